//! Issue 28: other processes hear what a write changed by reading the event log, on
//! PostgreSQL as on SQLite. No write transaction sends a notification (PostgreSQL's NOTIFY
//! made commits go one at a time), and an event that commits after one with a higher id
//! still reaches the other processes' caches (`db::changes`, `db::models::index_feed`).

use std::time::{Duration, Instant};

use diesel::{connection::SimpleConnection, prelude::*};
use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    helpers::{TestApp, TestDb, spawn_app_on, spawn_app_with_parallel_writers_on, test_vars},
    process::Server,
};
use mutua::{
    db::{System, models::event, schema::pools},
    domain::{
        events::{DomainEvent, PledgeAmount},
        money::Cents,
    },
    error::ApiError,
};

async fn title(app: &TestApp, pool: i64, token: &str) -> String {
    let read = app.get(&format!("/api/v1/pools/{pool}"), token).await;
    assert_eq!(read.status(), StatusCode::OK);
    read.json::<Value>().await.unwrap()["title"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_event_committed_after_a_higher_one_still_reaches_another_process() {
    let (_db, url) = TestDb::create();
    let Some(a) = spawn_app_with_parallel_writers_on(&url).await else { return };
    let state = a.state.clone().expect("an in-process app");
    let b = Server::start(&test_vars(&url));
    let b = TestApp::remote(b.address()).await;
    let (organisation, token) = a.commune("Namur").await;
    let pool = a.open_pool(&token, "Gestion des salles communales", 500_000).await;
    // A write of the pool records its event and waits, uncommitted.
    let (recorded_tx, recorded) = tokio::sync::oneshot::channel();
    let (release, release_rx) = std::sync::mpsc::channel::<()>();
    let db = state.db.clone();
    let held = tokio::spawn(async move {
        db.write(System, move |tx, _| {
            let withdrawn = PledgeAmount { organisation_id: organisation, amount_cents: Cents::new(0) };
            let id = event::record(tx, Some(pool), &DomainEvent::PledgeWithdrawn(withdrawn), None)?.id;
            let _ = recorded_tx.send(id);
            release_rx.recv().map_err(|e| ApiError::Internal(e.into()))?;
            Ok(())
        })
        .await
    });
    let lower = recorded.await.expect("the held write recorded its event");

    // Meanwhile another write commits, with a higher event id, and B reads past it.
    let other = a.open_pool(&token, "Parapheur électronique", 300_000).await;
    let events: Value = a.get(&format!("/api/v1/pools/{other}/events"), &a.officer_token).await.json().await.unwrap();
    let higher = events["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).max().unwrap();
    assert!(higher > lower, "the other write's events come after the held one's ({higher} > {lower})");
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Process B keeps the pool in memory.
    for _ in 0..3 {
        assert_eq!(title(&b, pool, &token).await, "Gestion des salles communales");
    }

    // The pool's title changes behind every cache's back: B still answers from memory.
    {
        let mut conn = state.db.raw_connection().unwrap();
        diesel::update(pools::table.find(pool)).set(pools::title.eq("Salles communales")).execute(&mut *conn).unwrap();
    }
    assert_eq!(title(&b, pool, &token).await, "Gestion des salles communales", "served from memory");

    // The held write commits last, with the lower id: B forgets the pool all the same.
    release.send(()).unwrap();
    held.await.unwrap().expect("the held write commits");
    let started = Instant::now();
    while title(&b, pool, &token).await != "Salles communales" {
        assert!(started.elapsed() < Duration::from_secs(1), "B still serves the pool from before the held write");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What made PostgreSQL's commits go one at a time: each notifying commit held NOTIFY's
/// queue lock through its WAL flush. The other processes read the event log instead.
#[tokio::test]
async fn a_write_sends_no_notification() {
    let (_db, url) = TestDb::create();
    if !url.starts_with("postgres") {
        eprintln!("skipped: SQLite has no notifications");
        return;
    }
    let mut listener = PgConnection::establish(&url).unwrap();
    listener.batch_execute("LISTEN mutua_changes").unwrap();
    let a = spawn_app_on(&url).await;
    let (_, token) = a.commune("Namur").await;
    let pool = a.open_pool(&token, "Gestion des salles communales", 500_000).await;
    assert_eq!(a.pledge(&token, pool, 1234).await.status(), StatusCode::OK);
    listener.batch_execute("SELECT 1").unwrap();
    let heard = listener.notifications_iter().count();
    assert_eq!(heard, 0, "notifications sent by writes");
}
