//! The states and titles of the pools a ranking finds are kept in memory: read once, read
//! again when the pool changes (in this process or another), and never trusted for the pool
//! a post joins, which is checked under its lock.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{TestApp, TestDb, spawn_app_on, test_vars},
    process::Server,
};
use mutua::{db::schema::pools, domain::pool_state::PoolState};

const ARCHIVES: (&str, &str) = (
    "Numérisation des archives de l'état civil",
    "Scanner les registres de naissance, mariage et décès et les indexer pour la recherche en ligne.",
);

async fn suggested(app: &TestApp, token: &str, text: (&str, &str)) -> Vec<i64> {
    app.similar(token, text).await.into_iter().map(|(pool, _)| pool).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pools_state_is_read_once_until_it_changes_here_or_elsewhere() {
    let (_db, url) = TestDb::create();
    let a = spawn_app_on(&url).await;
    let (_, namur) = a.commune("Namur").await;
    let pool = a.post_need(&namur, ARCHIVES.0, ARCHIVES.1).await["pool"]["id"].as_i64().unwrap();
    let matcher = &a.state().matcher;

    assert_eq!(suggested(&a, &namur, ARCHIVES).await, [pool]);
    let read = matcher.pool_states_read();
    assert_eq!(suggested(&a, &namur, ARCHIVES).await, [pool]);
    assert_eq!(matcher.pool_states_read(), read, "known: not read again");

    // Another process ends the pool: this one hears of it, and reads the pool again.
    let b = Server::start(&test_vars(&url));
    let b = TestApp::remote(b.address()).await;
    let cancelled = b.officer(pool, "cancel", Some(&json!({"reason": "Projet abandonné"}))).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !suggested(&a, &namur, ARCHIVES).await.is_empty() {
        assert!(Instant::now() < deadline, "the pool cancelled elsewhere is still suggested here");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(matcher.pool_states_read(), read + 1, "the changed pool, read once");
    let posted = a.post_need(&namur, ARCHIVES.0, ARCHIVES.1).await;
    assert_eq!(posted["merged"], false, "a cancelled pool takes no need: {posted}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pool_opened_here_is_known_from_its_commit_unless_it_changed_since() {
    let (_db, url) = TestDb::create();
    let a = spawn_app_on(&url).await;
    let (_, namur) = a.commune("Namur").await;
    let matcher = &a.state().matcher;
    let read = matcher.pool_states_read();
    let pool = a.post_need(&namur, ARCHIVES.0, ARCHIVES.1).await["pool"]["id"].as_i64().unwrap();
    assert_eq!(suggested(&a, &namur, ARCHIVES).await, [pool]);
    assert_eq!(matcher.pool_states_read(), read, "opened here: known open from its commit, not read");

    // Opened here, then ended by another process before anything here ranked it: once this
    // process has heard of that, the pool is read, not taken as opened.
    const CEMETERY: (&str, &str) =
        ("Gestion des concessions du cimetière", "Plan des tombes, échéances des concessions et avis aux familles.");
    let other = a.post_need(&namur, CEMETERY.0, CEMETERY.1).await["pool"]["id"].as_i64().unwrap();
    let b = Server::start(&test_vars(&url));
    let b = TestApp::remote(b.address()).await;
    let cancelled = b.officer(other, "cancel", Some(&json!({"reason": "Projet abandonné"}))).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    // The change feed polls every 100 ms.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(suggested(&a, &namur, CEMETERY).await.is_empty(), "the pool ended elsewhere is not suggested");
    assert_eq!(matcher.pool_states_read(), read + 1, "the changed pool, read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_post_never_joins_a_pool_that_ended_unheard() {
    let (_db, url) = TestDb::create();
    let a = spawn_app_on(&url).await;
    let (_, namur) = a.commune("Namur").await;
    let pool = a.post_need(&namur, ARCHIVES.0, ARCHIVES.1).await["pool"]["id"].as_i64().unwrap();
    assert_eq!(suggested(&a, &namur, ARCHIVES).await, [pool], "known open");

    // The pool ends in a way no process hears of (as if another process's change had not
    // been announced yet): memory still says open.
    let mut conn = a.state().db.raw_connection().unwrap();
    diesel::update(pools::table.find(pool)).set(pools::state.eq(PoolState::Cancelled)).execute(&mut *conn).unwrap();
    drop(conn);
    assert_eq!(suggested(&a, &namur, ARCHIVES).await, [pool], "not heard of");

    // The post would join it: under the pool's lock it reads that it ended, and opens its own.
    let posted = a.post_need(&namur, ARCHIVES.0, ARCHIVES.1).await;
    assert_eq!(posted["merged"], false, "the ended pool is not joined: {posted}");
    let opened = posted["pool"]["id"].as_i64().unwrap();
    assert_ne!(opened, pool);
    assert_eq!(suggested(&a, &namur, ARCHIVES).await, [opened], "what the lock read is known");
}
