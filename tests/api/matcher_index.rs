//! The matcher's index in memory equals what a replay of the events gives: a process puts its
//! own posts in it without reading them back, a post rolled back leaves no trace in it, and
//! the posts of another process sharing the database are still caught up.

use serde_json::Value;

use crate::{
    helpers::{TestApp, TestDb, spawn_app_with, test_vars},
    process::Server,
};
use mutua::{
    db::{
        System,
        models::{
            event,
            need::{self, NewNeed},
        },
    },
    domain::{
        events::{DomainEvent, NeedPosted},
        kinds::{Locale, NeedStatus},
    },
    error::ApiError,
};

/// Distinct topics: none of these needs joins another's pool.
const OWN: [(&str, &str); 4] = [
    ("Réservation en ligne des salles communales", "Calendrier des salles et paiement en ligne."),
    ("Parapheur électronique pour le collège", "Signature des délibérations et du courrier sortant."),
    ("Inventaire du patrimoine arboré", "Relevé des arbres remarquables avec photos et état sanitaire."),
    ("Suivi des compteurs d'énergie", "Relevés mensuels des bâtiments communaux et alertes de consommation."),
];

const CEMETERY: (&str, &str) = (
    "Gestion des concessions du cimetière",
    "Registre numérique des concessions de nos cimetières, avec les échéances et le plan des parcelles.",
);

async fn similar(app: &TestApp, token: &str, (title, description): (&str, &str)) -> Vec<(i64, f64)> {
    let url = reqwest::Url::parse_with_params(
        &app.url("/api/v1/pools/similar"),
        &[("title", title), ("description", description)],
    )
    .unwrap();
    let found: Value = app.client.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    found
        .as_array()
        .unwrap_or_else(|| panic!("a list: {found}"))
        .iter()
        .map(|s| (s["pool_id"].as_i64().unwrap(), s["score"].as_f64().unwrap()))
        .collect()
}

/// An in-process app (its matcher is inspected) on the database `url`.
async fn in_process(url: &str) -> TestApp {
    let url = url.to_owned();
    spawn_app_with(move |vars| {
        vars.insert("MUTUA_DATABASE_URL".into(), url);
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn own_posts_are_not_read_back_and_another_process_posts_are_caught_up() {
    let (_db, url) = TestDb::create();
    let a = in_process(&url).await;
    let (_, token) = a.commune("Namur").await;
    // The first post loads the index (a load is not a read-back).
    a.post_need(&token, "Plateforme de prêt de vélos", "Vélos partagés entre les services.").await;
    let matcher = &a.state().matcher;
    let read_before = matcher.needs_read();
    let mut pools = Vec::new();
    for (title, description) in OWN {
        let posted = a.post_need(&token, title, description).await;
        assert_eq!(posted["merged"], false, "{posted}");
        pools.push(posted["pool"]["id"].as_i64().unwrap());
    }
    for (text, pool) in OWN.iter().zip(&pools) {
        assert_eq!(similar(&a, &token, *text).await.first().map(|s| s.0), Some(*pool), "{text:?} is indexed");
    }
    assert_eq!(matcher.needs_read(), read_before, "the process read none of its own posts back");

    // Another process posts: this one reads that need, and only it.
    let b = Server::start(&test_vars(&url));
    let b = TestApp::remote(b.address()).await;
    let (_, ciney) = b.commune("Ciney").await;
    let theirs = b.post_need(&ciney, CEMETERY.0, CEMETERY.1).await;
    let their_pool = theirs["pool"]["id"].as_i64().unwrap();
    assert_eq!(similar(&a, &token, CEMETERY).await.first().map(|s| s.0), Some(their_pool));
    assert_eq!(matcher.needs_read(), read_before + 1, "the other process's post, read once");
    let joined = a.post_need(&token, CEMETERY.0, CEMETERY.1).await;
    assert_eq!((joined["merged"].as_bool(), joined["pool"]["id"].as_i64()), (Some(true), Some(their_pool)));

    // What each process finds is the same: the one that replayed the other's events and
    // held its own, and the one that did the reverse.
    for text in OWN.iter().chain([&CEMETERY]) {
        assert_eq!(similar(&a, &token, *text).await, similar(&b, &ciney, *text).await, "{text:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_post_rolled_back_leaves_no_trace_in_matching() {
    let (_db, url) = TestDb::create();
    let a = in_process(&url).await;
    let (_, token) = a.commune("Namur").await;
    let first = a.post_need(&token, OWN[0].0, OWN[0].1).await;
    let first_need = first["need"]["id"].as_i64().unwrap();
    let state = a.state.clone().expect("an in-process app");
    let indexed = state.matcher.indexed_needs();

    // A unit of work records a post as `service::needs::post` does, the need put in the
    // index with it, then fails: the unit is rolled back.
    let app = state.clone();
    let failed = state
        .db
        .write(System, move |tx, _| {
            let model = need::find(tx, first_need)?;
            let need = need::insert(
                tx,
                &NewNeed {
                    organisation_id: model.organisation_id,
                    pool_id: model.pool_id,
                    posted_by_user_id: model.posted_by_user_id,
                    title: CEMETERY.0,
                    description: CEMETERY.1,
                    cpv_code: None,
                    estimated_cost_cents: None,
                    status: NeedStatus::Active,
                    similar_pools: "[]",
                    created_at: mutua::db::now(),
                },
            )?;
            let posted = DomainEvent::NeedPosted(NeedPosted {
                need_id: need.id,
                organisation_id: need.organisation_id,
                title: need.title.clone(),
                estimated_cost_cents: None,
                merged: true,
                score: Some(1.0),
                similar_pools: Vec::new(),
            });
            let recorded = event::record(tx, Some(need.pool_id), &posted, None)?;
            app.matcher.posted(tx, recorded.id, (need, Locale::Fr));
            assert_eq!(app.matcher.indexed_needs(), indexed + 1, "in the index before the commit");
            Err::<(), _>(ApiError::Conflict("rolled back on purpose".into()))
        })
        .await;
    assert!(matches!(failed, Err(ApiError::Conflict(_))), "{failed:?}");

    assert_eq!(state.matcher.indexed_needs(), indexed, "the rolled-back need left the index");
    assert!(similar(&a, &token, CEMETERY).await.is_empty(), "nothing found for the rolled-back text");
    let posted = a.post_need(&token, CEMETERY.0, CEMETERY.1).await;
    assert_eq!(posted["merged"], false, "no pool holds the rolled-back need: {posted}");
    assert!(posted["similar_pools"].as_array().unwrap().is_empty(), "{posted}");
    // A process that replays the events from the start finds the same.
    let b = Server::start(&test_vars(&url));
    let b = TestApp::remote(b.address()).await;
    let (_, ciney) = b.commune("Ciney").await;
    for text in [OWN[0], CEMETERY] {
        assert_eq!(similar(&a, &token, text).await, similar(&b, &ciney, text).await, "{text:?}");
    }
}
