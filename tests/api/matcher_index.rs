//! The matcher's index in memory equals what a replay of the events gives: a process puts its
//! own posts in it without reading them back, a post rolled back leaves no trace in it, and
//! the posts of another process sharing the database are still caught up.

use serde_json::Value;

use crate::{
    helpers::{TestApp, TestDb, spawn_app_on, spawn_app_with_parallel_writers_on, test_vars},
    process::Server,
};
use mutua::{
    db::{
        System, WriteTx,
        models::{
            event,
            need::{self, Need, NewNeed},
        },
    },
    domain::{
        events::{DomainEvent, NeedPosted},
        kinds::{Locale, NeedStatus},
        matching::{NeedText, analyze::analyse},
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

async fn similar(app: &TestApp, token: &str, text: (&str, &str)) -> Vec<(i64, f64)> {
    app.similar(token, text).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn own_posts_are_not_read_back_and_another_process_posts_are_caught_up() {
    let (_db, url) = TestDb::create();
    let a = spawn_app_on(&url).await;
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
async fn own_posts_made_side_by_side_are_not_read_back_either() {
    let (_db, url) = TestDb::create();
    let a = spawn_app_on(&url).await;
    let (_, token) = a.commune("Namur").await;
    a.post_need(&token, "Plateforme de prêt de vélos", "Vélos partagés entre les services.").await;
    let read_before = a.state().matcher.needs_read();
    // Each post's catch-up meets the others committed a moment before: held from before
    // their commit, none is read back, whatever the order of commits and catch-ups.
    const SERVICES: [&str; 6] =
        ["bibliothèque", "piscine", "crèche", "académie de musique", "maison de repos", "régie foncière"];
    let (a, token) = (std::sync::Arc::new(a), std::sync::Arc::new(token));
    let posts: Vec<_> = (0..48)
        .map(|i| {
            let (a, token) = (a.clone(), token.clone());
            tokio::spawn(async move {
                let (title, description) = OWN[i % OWN.len()];
                let title = format!("{title} ({} {i})", SERVICES[i % SERVICES.len()]);
                let posted = a.post_need(&token, &title, description).await;
                assert!(posted["pool"]["id"].is_i64(), "{posted}");
            })
        })
        .collect();
    for post in posts {
        post.await.unwrap();
    }
    let matcher = &a.state().matcher;
    assert_eq!(matcher.needs_read(), read_before, "the process read none of its own posts back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_post_rolled_back_leaves_no_trace_in_matching() {
    let (_db, url) = TestDb::create();
    let a = spawn_app_on(&url).await;
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
            let (need, event_id) = record_a_post_beside(tx, first_need, CEMETERY)?;
            let text =
                NeedText { title: &need.title, description: &need.description, locale_hint: Locale::Fr.as_str() };
            app.matcher.posted(tx, event_id, &need, &analyse(&text));
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

/// A write unit held open the way a post of another process holds it: its need's conflict
/// keys locked (`WriteTx::lock_for_post`) and, if `need` is given, that need written into
/// the pool of need `into` and recorded as `need.posted` (not put in this process's index:
/// as another process's post, it is caught up from the database). The unit commits when
/// `release` is sent; `locked` is told once it holds everything (with the event's id).
fn hold_a_post(
    state: &mutua::state::AppState,
    (title, description): (&'static str, &'static str),
    into: Option<i64>,
    locked: tokio::sync::oneshot::Sender<i64>,
    release: std::sync::mpsc::Receiver<()>,
) -> tokio::task::JoinHandle<Result<(), ApiError>> {
    let db = state.db.clone();
    tokio::spawn(async move {
        db.write(System, move |tx, _| {
            let text = NeedText { title, description, locale_hint: "fr" };
            tx.lock_for_post(&analyse(&text).conflict_keys())?;
            let mut event_id = 0;
            if let Some(into) = into {
                event_id = record_a_post_beside(tx, into, (title, description))?.1;
            }
            let _ = locked.send(event_id);
            release.recv().map_err(|e| ApiError::Internal(e.into()))?;
            Ok(())
        })
        .await
    })
}

/// Issue 28, PostgreSQL: posts record their events side by side, so an event may commit
/// after one with a higher id that a catch-up already applied. It is caught up all the same
/// (the index follows events by transaction, `db::models::index_feed`). SQLite's one writer
/// commits events in id order: nothing to test there.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_event_committed_after_a_higher_one_is_still_caught_up() {
    let (_db, url) = TestDb::create();
    let Some(a) = spawn_app_with_parallel_writers_on(&url).await else { return };
    let state = a.state.clone().expect("an in-process app");
    let (_, token) = a.commune("Namur").await;
    let first = a.post_need(&token, OWN[0].0, OWN[0].1).await;
    let first_pool = first["pool"]["id"].as_i64().unwrap();
    let (locked_tx, locked) = tokio::sync::oneshot::channel();
    let (release, release_rx) = std::sync::mpsc::channel();
    let held = hold_a_post(&state, CEMETERY, first["need"]["id"].as_i64(), locked_tx, release_rx);
    let lower = locked.await.expect("the held post recorded its event");

    // Meanwhile a post with other words commits, with a higher event id, and a search
    // catches this process up past it.
    let other = a.post_need(&token, OWN[1].0, OWN[1].1).await;
    let other_pool = other["pool"]["id"].as_i64().unwrap();
    let events: Value =
        a.get(&format!("/api/v1/pools/{other_pool}/events"), &a.officer_token).await.json().await.unwrap();
    let higher = events["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).max().unwrap();
    assert!(higher > lower, "the other post's events come after the held one's ({higher} > {lower})");
    assert_eq!(similar(&a, &token, OWN[1]).await.first().map(|s| s.0), Some(other_pool));
    assert!(similar(&a, &token, CEMETERY).await.is_empty(), "the held post is not committed yet");

    release.send(()).unwrap();
    held.await.unwrap().expect("the held post commits");
    assert_eq!(
        similar(&a, &token, CEMETERY).await.first().map(|s| s.0),
        Some(first_pool),
        "the event committed last, with the lower id, is caught up"
    );
    let b = Server::start(&test_vars(&url));
    let b = TestApp::remote(b.address()).await;
    let (_, ciney) = b.commune("Ciney").await;
    for text in [OWN[0], OWN[1], CEMETERY] {
        assert_eq!(similar(&a, &token, text).await, similar(&b, &ciney, text).await, "{text:?}");
    }
}

/// Issue 28, PostgreSQL: a post waits only for the posts that share one of its conflict
/// keys (a word whose sharing could make one join the other's pool), not for every post.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_post_waits_only_for_posts_that_share_a_word() {
    let (_db, url) = TestDb::create();
    let a = std::sync::Arc::new(spawn_app_on(&url).await);
    let state = a.state.clone().expect("an in-process app");
    if !state.db.writes_in_parallel() {
        eprintln!("skipped: SQLite's writer runs one unit at a time");
        return;
    }
    let (_, token) = a.commune("Namur").await;
    a.post_need(&token, OWN[3].0, OWN[3].1).await;
    let (locked_tx, locked) = tokio::sync::oneshot::channel();
    let (release, release_rx) = std::sync::mpsc::channel();
    let held = hold_a_post(&state, OWN[1], None, locked_tx, release_rx);
    locked.await.expect("the held post holds its keys");

    let patience = std::time::Duration::from_secs(10);
    // The held post's title reads as "parapheur", "signature", "électronique", "collège",
    // "commune" (concepts of the lexicon); this one shares none of them.
    let apart = tokio::time::timeout(patience, a.post_need(&token, OWN[2].0, OWN[2].1)).await;
    assert_eq!(apart.expect("a post with other words does not wait")["merged"], false);

    let sharing = {
        let (a, token) = (a.clone(), token.clone());
        tokio::spawn(async move { a.post_need(&token, "Parapheur pour les échevins", "Signatures.").await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(!sharing.is_finished(), "a post sharing a specific word (parapheur) waits");
    release.send(()).unwrap();
    held.await.unwrap().expect("the held post commits");
    let posted = tokio::time::timeout(patience, sharing).await.expect("it goes on once the other ends").unwrap();
    assert!(posted["pool"]["id"].is_i64(), "{posted}");
}

/// Records a post as `service::needs::post` does, without the matcher: a need of the same
/// organisation, pool and author as need `beside`, with `(title, description)`, and its
/// `need.posted` event. Returns the need and the event's id.
fn record_a_post_beside(
    tx: &mut WriteTx,
    beside: i64,
    (title, description): (&str, &str),
) -> Result<(Need, i64), ApiError> {
    let model = need::find(tx, beside)?;
    let need = need::insert(
        tx,
        &NewNeed {
            organisation_id: model.organisation_id,
            pool_id: model.pool_id,
            posted_by_user_id: model.posted_by_user_id,
            title,
            description,
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
    let event_id = event::record(tx, Some(need.pool_id), &posted, None)?.id;
    Ok((need, event_id))
}
