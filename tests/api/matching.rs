//! The matcher through the API: merge, suggestion, move, and the two thresholds.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{spawn_app, spawn_app_with};

const CEMETERY: [(&str, &str); 3] = [
    (
        "Gestion des concessions du cimetière",
        "Nous souhaitons un registre numérique des concessions de nos cimetières, avec les échéances et le plan des parcelles.",
    ),
    ("gestion des concessions de cimetiere", "registre des concessions du cimetiere et rappel des echeances"),
    (
        "CIMETIÈRES : GESTION DES CONCESSIONS",
        "Registre informatisé des concessions funéraires : plan interactif des cimetières, rappels automatiques avant \
         l'échéance des concessions, export pour le service population et historique des défunts par parcelle.",
    ),
];

fn similar_ids(posted: &Value) -> Vec<i64> {
    posted["similar_pools"].as_array().unwrap().iter().map(|s| s["pool_id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn three_communes_one_need_from_a_cold_start_and_another_topic_apart() {
    let app = spawn_app().await;
    let mut pools = Vec::new();
    let mut merged = Vec::new();
    for (i, (title, description)) in CEMETERY.iter().enumerate() {
        let (_, token) = app.commune(&format!("Commune {i}")).await;
        let posted = app.post_need(&token, title, description).await;
        pools.push(posted["pool"]["id"].as_i64().unwrap());
        merged.push(posted["merged"].as_bool().unwrap());
        assert!(
            !similar_ids(&posted).contains(&posted["pool"]["id"].as_i64().unwrap()),
            "never the pool it merged into"
        );
    }
    assert_eq!(merged, [false, true, true]);
    assert!(pools.iter().all(|p| *p == pools[0]), "{pools:?}");
    let (_, other) = app.commune("Commune 9").await;
    let rooms = app
        .post_need(&other, "Réservation en ligne des salles communales", "Calendrier des salles et paiement en ligne.")
        .await;
    assert_eq!(rooms["merged"], false);
    assert_ne!(rooms["pool"]["id"].as_i64(), Some(pools[0]));
}

#[tokio::test]
async fn below_the_merge_threshold_a_need_is_only_suggested_and_can_move() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_MATCH_MERGE".into(), "1.01".into());
    })
    .await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let first = app.post_need(&namur, CEMETERY[0].0, CEMETERY[0].1).await;
    let pool = first["pool"]["id"].as_i64().unwrap();
    let second = app.post_need(&ciney, CEMETERY[1].0, CEMETERY[1].1).await;
    assert_eq!(second["merged"], false, "no score reaches a merge threshold above 1");
    assert_eq!(similar_ids(&second).first(), Some(&pool), "but the pool is suggested first");
    let score = second["similar_pools"][0]["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 1.0);

    // The commune agrees with the suggestion: that is recorded as evidence.
    let need = second["need"]["id"].as_i64().unwrap();
    let moved = app.post(&format!("/api/v1/needs/{need}/move"), &ciney, &json!({"pool_id": pool})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let events: Value = app.get(&format!("/api/v1/pools/{pool}/events"), &ciney).await.json().await.unwrap();
    let evidence = events["items"].as_array().unwrap().iter().find(|e| e["type"] == "need.moved").unwrap();
    assert_eq!(evidence["data"]["was_suggested"], true);
    assert_eq!(evidence["data"]["suggested_score"].as_f64(), Some(score));
}

#[tokio::test]
async fn a_near_tie_between_two_pools_is_suggested_not_merged() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let (_, dinant) = app.commune("Dinant").await;
    let first = app.post_need(&namur, CEMETERY[0].0, CEMETERY[0].1).await;
    let second = app.post_need(&ciney, CEMETERY[0].0, CEMETERY[0].1).await;
    assert_eq!(second["merged"], true);
    // Ciney insists on a pool of its own: now two pools hold the very same text.
    let need = second["need"]["id"].as_i64().unwrap();
    let alone: Value =
        app.post(&format!("/api/v1/needs/{need}/move"), &ciney, &json!({"pool_id": null})).await.json().await.unwrap();
    let (a, b) = (first["pool"]["id"].as_i64().unwrap(), alone["pool"]["id"].as_i64().unwrap());
    assert_ne!(a, b);
    let third = app.post_need(&dinant, CEMETERY[0].0, CEMETERY[0].1).await;
    assert_eq!(third["merged"], false, "the best pool is not clearly ahead of the second: no merge");
    let similar = similar_ids(&third);
    assert!(similar.contains(&a) && similar.contains(&b), "{similar:?}");
}

#[tokio::test]
async fn the_suggestion_threshold_is_configurable() {
    async fn suggestions(strict: bool) -> Vec<i64> {
        let app = spawn_app_with(|vars| {
            if strict {
                vars.insert("MUTUA_MATCH_SUGGEST".into(), "0.99".into());
            }
        })
        .await;
        let (_, namur) = app.commune("Namur").await;
        let (_, ciney) = app.commune("Ciney").await;
        app.post_need(&namur, "Gestion des salles communales", "Réservation des salles de la commune.").await;
        let close =
            app.post_need(&ciney, "Gestion des salles de sport", "Planning des clubs dans les halls sportifs.").await;
        assert_eq!(close["merged"], false);
        similar_ids(&close)
    }
    assert_eq!(suggestions(false).await.len(), 1, "a close pool is suggested at the default threshold");
    assert!(suggestions(true).await.is_empty(), "nothing scores 0.99");
}

/// Posts are ranked before their write transaction; when the index moved in between (another
/// post landed first), the write ranks again. The same need posted at once by many
/// authorities still ends in one pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_need_posted_at_once_by_many_authorities_ends_in_one_pool() {
    let app = std::sync::Arc::new(crate::helpers::spawn_app().await);
    let mut tokens = Vec::new();
    for i in 0..8 {
        tokens.push(app.commune(&format!("Commune {i}")).await.1);
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(tokens.len()));
    let posts: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let (app, barrier) = (app.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let body = serde_json::json!({
                    "title": "Gestion des concessions du cimetière",
                    "description": "Registre numérique des concessions, échéances et plan des parcelles.",
                });
                app.post_need_with(&token, &body).await["pool"]["id"].as_i64().unwrap()
            })
        })
        .collect();
    let mut pools = Vec::new();
    for post in posts {
        pools.push(post.await.unwrap());
    }
    pools.dedup();
    assert_eq!(pools.len(), 1, "one pool for one need: {pools:?}");
}

/// The score reads the text only: a CPV code shared by two different needs (authors pick one
/// of 9,000 in a hurry, and a class such as 4861 covers very different software) neither
/// lifts nor lowers it.
#[tokio::test]
async fn a_shared_cpv_code_does_not_move_a_score() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let inventory = json!({
        "title": "Logiciel d'inventaire des collections du musée communal",
        "description": "Base de données des objets du musée : fiches, photos, localisation en réserve, prêts.",
        "cpv_code": "48610000-7",
    });
    let posted: Value = app.post("/api/v1/needs", &namur, &inventory).await.json().await.unwrap();
    let pool = posted["pool"]["id"].as_i64().unwrap();
    let climate = "title=Surveillance%20climatique%20des%20r%C3%A9serves%20du%20mus%C3%A9e\
                   &description=Capteurs%20de%20temp%C3%A9rature%20et%20d%27humidit%C3%A9%20dans%20les%20r%C3%A9serves%20du%20mus%C3%A9e";
    let score = |cpv: &'static str| {
        let (app, namur) = (&app, &namur);
        async move {
            let url = format!("/api/v1/pools/similar?{climate}{cpv}");
            let res = app.get(&url, namur).await;
            assert_eq!(res.status(), StatusCode::OK);
            let found: Value = res.json().await.unwrap();
            let hit = found.as_array().unwrap().iter().find(|p| p["pool_id"].as_i64() == Some(pool)).cloned();
            hit.expect("the museum pool is suggested")["score"].as_f64().unwrap()
        }
    };
    let without = score("").await;
    assert!(without > 0.0, "{without}");
    assert_eq!(score("&cpv_code=48614000-5").await, without, "same class 4861");
    assert_eq!(score("&cpv_code=48610000-7").await, without, "the very same code");
}
