//! Many organisations pledging to the same pools at the same instant.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::Barrier;

use crate::{
    helpers::{TestApp, TestDb, spawn_app, test_vars},
    process::Server,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_simultaneous_pledges_fund_each_pool_exactly_once() {
    const ORGANISATIONS: usize = 30;
    const PLEDGE: i64 = 10_000;
    let app = Arc::new(spawn_app().await);
    let mut tokens = Vec::new();
    for i in 0..ORGANISATIONS {
        tokens.push(app.commune(&format!("Commune {i:02}")).await.1);
    }
    let tokens = Arc::new(tokens);
    for (round, title) in
        ["Gestion du cimetière", "Parapheur électronique", "Réservation des salles"].into_iter().enumerate()
    {
        // Funded by the tenth pledge; the twenty others are latecomers, welcome until the
        // pool is approved (SPEC §15), and still exactly one funding.
        let pool = app.open_pool(&tokens[round], title, 10 * PLEDGE).await;
        let barrier = Arc::new(Barrier::new(ORGANISATIONS));
        let mut tasks = Vec::new();
        for i in 0..ORGANISATIONS {
            let (app, tokens, barrier) = (app.clone(), tokens.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                app.pledge(&tokens[i], pool, PLEDGE).await.status()
            }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        let accepted = statuses.iter().filter(|s| **s == StatusCode::OK).count();
        let late = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
        assert_eq!(accepted + late, ORGANISATIONS, "only 200 or 409: {statuses:?}");
        assert_eq!(accepted, ORGANISATIONS, "latecomers are welcome: {statuses:?}");
        let after: Value = app.pool(pool).await;
        assert_eq!(after["state"], "funded");
        assert_eq!(after["pledged_cents"].as_i64().unwrap(), accepted as i64 * PLEDGE, "no lost update");
        let shares: i64 =
            after["participants"].as_array().unwrap().iter().map(|p| p["share_cents"].as_i64().unwrap()).sum();
        assert_eq!(shares, 10 * PLEDGE);
        let funded = app.event_types(pool).await.into_iter().filter(|t| t == "pool.funded").count();
        assert_eq!(funded, 1, "exactly one funding");
    }
}

/// SPEC section 10: a council's refusal can take a funded pool back to open, and the next
/// crossing funds it again. Pledges, refusals and new pledges race; every crossing up must
/// be one `pool.funded` and every crossing down one `pool.reopened`, alternating, and the
/// last of them must say where the pool is.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_pledges_refusals_and_new_pledges_fund_and_reopen_once_per_crossing() {
    const ORGANISATIONS: usize = 12;
    const ROUNDS: usize = 3;
    const PLEDGE: i64 = 10_000;
    const THRESHOLD: i64 = 4 * PLEDGE;
    let app = Arc::new(spawn_app().await);
    let mut tokens = Vec::new();
    for i in 0..ORGANISATIONS {
        tokens.push(app.commune(&format!("Commune {i:02}")).await.1);
    }
    let tokens = Arc::new(tokens);
    let pool = app.open_pool(&tokens[0], "Gestion du cimetière", THRESHOLD).await;
    let barrier = Arc::new(Barrier::new(ORGANISATIONS));
    let mut tasks = Vec::new();
    for i in 0..ORGANISATIONS {
        let (app, tokens, barrier) = (app.clone(), tokens.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            // (pledges accepted, refusals accepted), and every status seen.
            let (mut pledged, mut refused, mut statuses) = (0_i64, 0_i64, Vec::new());
            for round in 0..=ROUNDS {
                let status = app.pledge(&tokens[i], pool, PLEDGE).await.status();
                pledged += i64::from(status == StatusCode::OK);
                statuses.push(("pledge", status));
                if round == ROUNDS {
                    break;
                }
                let status = app.refuse_pledge(&tokens[i], pool).await.status();
                refused += i64::from(status == StatusCode::OK);
                statuses.push(("refusal", status));
            }
            (pledged, refused, statuses)
        }));
    }
    let (mut pledged, mut refused) = (0, 0);
    for task in tasks {
        let (p, r, statuses) = task.await.unwrap();
        for (what, status) in statuses {
            // A pledge is late (409) while the pool is funded; a refusal finds nothing (404)
            // when the pledge before it was late.
            let expected = if what == "pledge" { StatusCode::CONFLICT } else { StatusCode::NOT_FOUND };
            assert!(status == StatusCode::OK || status == expected, "{what}: {status}");
        }
        (pledged, refused) = (pledged + p, refused + r);
    }

    let after: Value = app.pool(pool).await;
    let standing = pledged - refused;
    assert_eq!(after["pledged_cents"].as_i64().unwrap(), standing * PLEDGE, "no lost update");
    let sum: i64 = after["participants"].as_array().unwrap().iter().map(|p| p["pledged_cents"].as_i64().unwrap()).sum();
    assert_eq!(sum, standing * PLEDGE);

    let events: Value =
        app.get(&format!("/api/v1/pools/{pool}/events?limit=200"), &app.officer_token).await.json().await.unwrap();
    let crossings: Vec<(String, i64)> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "pool.funded" || e["type"] == "pool.reopened")
        .map(|e| (e["type"].as_str().unwrap().to_owned(), e["data"]["pledged_cents"].as_i64().unwrap()))
        .collect();
    let funded = crossings.iter().filter(|(t, _)| t == "pool.funded").count();
    let reopened = crossings.len() - funded;
    eprintln!("{pledged} pledges and {refused} refusals accepted: {funded} fundings, {reopened} reopenings");
    // The first funding pledge's own refusal comes later: at least one crossing each way.
    assert!(funded >= 1 && reopened >= 1, "{crossings:?}");
    for (i, (event, pledged_then)) in crossings.iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!((event.as_str(), *pledged_then >= THRESHOLD), ("pool.funded", true), "{crossings:?}");
        } else {
            assert_eq!((event.as_str(), *pledged_then < THRESHOLD), ("pool.reopened", true), "{crossings:?}");
        }
    }
    let state = after["state"].as_str().unwrap();
    if funded == reopened + 1 {
        assert_eq!((state, standing * PLEDGE >= THRESHOLD), ("funded", true));
    } else {
        assert_eq!((funded, state, standing * PLEDGE < THRESHOLD), (reopened, "open", true));
    }
}

/// Issue 28: two instances (processes) on one database post the same need at the same
/// instant, round after round; each time the two needs are in one pool: one opened it, the
/// other joined it. On PostgreSQL, a post that opens a pool does so before it locks its
/// need's conflict keys, so the one that takes them second must see the first and join its
/// pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_need_posted_on_two_instances_at_once_is_in_one_pool() {
    const NEEDS: [(&str, &str); 12] = [
        ("Gestion du cimetière", "Registre des concessions et des emplacements du cimetière communal."),
        ("Parapheur électronique", "Signature électronique des courriers et des délibérations du collège."),
        ("Réservation des salles", "Réservation en ligne des salles communales par les associations."),
        ("Taxe sur les secondes résidences", "Calcul et envoi des avertissements-extraits de rôle."),
        ("Inscriptions aux stages sportifs", "Paiement en ligne des stages d'été pour les enfants."),
        ("Suivi des chantiers de voirie", "Planification des travaux de réfection des routes communales."),
        ("Prêts de la bibliothèque", "Catalogue, lecteurs et retours des livres empruntés."),
        ("Compteurs énergétiques des bâtiments", "Relevé mensuel de la consommation de gaz et d'électricité."),
        ("Permis d'urbanisme", "Instruction des demandes de permis et avis des services."),
        ("Repas scolaires", "Commande et facturation des repas dans les écoles communales."),
        ("Plaintes des citoyens", "Enregistrement et suivi des plaintes adressées à l'administration."),
        ("Location de vélos partagés", "Stations de vélos électriques et abonnements des habitants."),
    ];
    let twins: Vec<_> = NEEDS.iter().map(|need| (*need, *need)).collect();
    race_on_two_instances(&twins).await;
}

/// Issue 28: the same need in other words (another word order, other words around its
/// object), posted on two instances at the same instant: still one pool each time.
/// Posts lock only the conflict keys of their need (`domain::matching::conflicts`); twins
/// must share one, or each would open a pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twins_in_other_words_posted_on_two_instances_at_once_are_in_one_pool() {
    const TWINS: [Twins; 4] = [
        (
            ("Parapheur électronique", "Signature électronique des courriers et des délibérations du collège."),
            ("Électronique, le parapheur", "Pour signer électroniquement les délibérations et le courrier du collège."),
        ),
        (
            ("Gestion du cimetière", "Registre des concessions et des emplacements du cimetière communal."),
            ("Cimetière : gestion", "Les concessions et les emplacements du cimetière, dans un registre."),
        ),
        (
            ("Location de vélos partagés", "Stations de vélos électriques et abonnements des habitants."),
            ("Vélos partagés en location", "Abonnements des habitants aux stations de vélos électriques."),
        ),
        (
            ("Inventaire des arbres remarquables", "Relevé des arbres remarquables avec photos et état sanitaire."),
            ("Arbres remarquables, inventaire", "Photos, état sanitaire et relevé de nos arbres remarquables."),
        ),
    ];
    race_on_two_instances(&TWINS).await;
}

/// Two needs, each a title and a description, that the matcher reads as one.
type Twins = ((&'static str, &'static str), (&'static str, &'static str));

/// Starts two server processes on one database and, for each pair, posts its two needs at
/// once, one on each; asserts that each pair ended in one pool of its own.
async fn race_on_two_instances(pairs: &[Twins]) {
    let (_db, url) = TestDb::create();
    let vars = test_vars(&url);
    let (first, second) = (Server::start(&vars), Server::start(&vars));
    let a = Arc::new(TestApp::remote(first.address()).await);
    let b = Arc::new(TestApp::remote(second.address()).await);
    let (_, namur) = a.commune("Namur").await;
    let (_, ciney) = a.commune("Ciney").await;
    let mut pools = Vec::new();
    for &((title_a, description_a), (title_b, description_b)) in pairs {
        let barrier = Arc::new(Barrier::new(2));
        let post = |app: Arc<TestApp>, token: String, title: &str, description: &str| {
            let (barrier, body) = (barrier.clone(), json!({"title": title, "description": description}));
            let title = title.to_owned();
            tokio::spawn(async move {
                barrier.wait().await;
                let response = app.post("/api/v1/needs", &token, &body).await;
                assert_eq!(response.status(), StatusCode::CREATED, "{title}");
                response.json::<Value>().await.unwrap()
            })
        };
        let on_a = post(a.clone(), namur.clone(), title_a, description_a);
        let on_b = post(b.clone(), ciney.clone(), title_b, description_b);
        let (on_a, on_b) = (on_a.await.unwrap(), on_b.await.unwrap());
        let pool = on_a["pool"]["id"].as_i64().unwrap();
        assert_eq!(on_b["pool"]["id"].as_i64().unwrap(), pool, "{title_a}: one pool, {on_a} {on_b}");
        let merged = [&on_a, &on_b].iter().filter(|posted| posted["merged"] == true).count();
        assert_eq!(merged, 1, "{title_a}: one opened the pool, the other joined it");
        assert!(!pools.contains(&pool), "{title_a}: a pool of its own");
        pools.push(pool);
    }
    for (app, pool) in [(&a, pools[0]), (&b, pools[pools.len() - 1])] {
        assert_eq!(app.pool(pool).await["needs_count"], 2);
    }
    // Nothing is left of a pool a post opened ahead of its locks before joining the other.
    let all: Value = a.get("/api/v1/pools?limit=100", &a.officer_token).await.json().await.unwrap();
    assert_eq!(all["total"], pairs.len(), "one pool a pair, and no other: {all}");
    let needs: Value = a.get("/api/v1/needs?limit=100", &a.officer_token).await.json().await.unwrap();
    assert_eq!(needs["total"], 2 * pairs.len(), "two needs a pair, and no other: {needs}");
}
