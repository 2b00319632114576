//! Reads answered from memory never outlive the writes that change them: in the same
//! process at once, in another process sharing the database within a second.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{PASSWORD, TestApp, TestDb, spawn_app, test_vars},
    process::Server,
};

/// How long another process may serve what a write changed.
const WITHIN: Duration = Duration::from_secs(1);

/// Polls `check` until it holds, for at most `WITHIN`; returns how long it took.
async fn within_a_second(what: &str, mut check: impl AsyncFnMut() -> bool) -> Duration {
    let started = Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < WITHIN, "{what}: still not seen after {WITHIN:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_pool_read_after_a_write_in_the_same_process_sees_it() {
    let app = spawn_app().await;
    let (_, token) = app.commune("Commune de Gesves").await;
    let pool = app.open_pool(&token, "Inventaire des ouvrages d'art", 1_000_000).await;
    for amount in [100, 200, 300] {
        // Read (and cache) the pool, change it, read it again at once.
        assert_eq!(app.get(&format!("/api/v1/pools/{pool}"), &token).await.status(), StatusCode::OK);
        assert_eq!(app.pledge(&token, pool, amount).await.status(), StatusCode::OK);
        let after: serde_json::Value = app.get(&format!("/api/v1/pools/{pool}"), &token).await.json().await.unwrap();
        assert_eq!(after["pledged_cents"], amount);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_process_stops_a_disabled_user_and_a_changed_password_within_a_second() {
    let (_db, url) = TestDb::create();
    let vars = test_vars(&url);
    let (a, b) = (Server::start(&vars), Server::start(&vars));
    let (a, b) = (TestApp::remote(a.address()).await, TestApp::remote(b.address()).await);
    let (organisation, token) = a.commune("Commune d'Ohey").await;
    let pool = a.open_pool(&token, "Gestion des salles communales", 500_000).await;
    let path = format!("/api/v1/pools/{pool}");
    // Process B has the session and the pool in memory.
    for _ in 0..3 {
        assert_eq!(b.get(&path, &token).await.status(), StatusCode::OK);
    }

    // The public export, read (and kept) on B.
    let releases = async |app: &TestApp| -> usize {
        let page: serde_json::Value =
            app.request(reqwest::Method::GET, "/api/v1/ocds/releases", None, None).await.json().await.unwrap();
        page["releases"].as_array().unwrap().len()
    };
    let published = releases(&b).await;
    assert_eq!(releases(&b).await, published);

    // A pledge through A reaches B's view of the pool, and B's export.
    assert_eq!(a.pledge(&token, pool, 1234).await.status(), StatusCode::OK);
    within_a_second("a pledge made on another process", async || {
        b.get(&path, &token).await.json::<serde_json::Value>().await.unwrap()["pledged_cents"] == 1234
    })
    .await;
    within_a_second("a release published by another process", async || releases(&b).await == published + 1).await;

    // A password change through A ends the old token on B.
    let changed = a
        .post(
            "/api/v1/me/password",
            &token,
            &json!({"current_password": PASSWORD, "new_password": "une toute nouvelle phrase"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let old_token = token;
    within_a_second("a password changed on another process", async || {
        b.get(&path, &old_token).await.status() == StatusCode::UNAUTHORIZED
    })
    .await;
    let token = changed.json::<serde_json::Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        assert_eq!(b.get(&path, &token).await.status(), StatusCode::OK);
    }

    // Disabling the user through A ends its session on B.
    let users: serde_json::Value =
        a.get(&format!("/api/v1/organisations/{organisation}/users"), &a.officer_token).await.json().await.unwrap();
    let user = users[0]["id"].as_i64().unwrap();
    let disabled = a
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{user}"),
            Some(&a.officer_token),
            Some(&json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    within_a_second("a user disabled on another process", async || {
        b.get(&path, &token).await.status() == StatusCode::UNAUTHORIZED
    })
    .await;
}

#[tokio::test]
async fn a_delivered_pool_read_from_memory_lists_a_maintenance_pool_opened_since() {
    let app = spawn_app().await;
    let (_, token) = app.commune("Commune d'Assesse").await;
    let delivered = app.delivered_pool(&token, "Registre des concessions", 1_000).await;
    let path = format!("/api/v1/pools/{delivered}");
    let before: serde_json::Value = app.get(&path, &token).await.json().await.unwrap();
    assert_eq!(before["maintenance_pools"], json!([]));
    let period = json!({"period_start": "2027-01-01", "period_end": "2027-12-31", "target_cents": 500});
    let opened = app.post(&format!("{path}/maintenance"), &app.officer_token, &period).await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let after: serde_json::Value = app.get(&path, &token).await.json().await.unwrap();
    assert_eq!(after["maintenance_pools"].as_array().map(Vec::len), Some(1), "{after}");
}
