//! PostgreSQL stopped and started again while requests flow. It restarts the server that
//! every other test uses, so it is ignored by default and run alone by `.ci/run`:
//! `cargo test --test api -- --ignored --test-threads 1 postgres_restart`.

use std::{
    process::Command,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app_with;

fn pg_ctl(action: &str) {
    let version = std::fs::read_dir("/etc/postgresql")
        .expect("a Debian PostgreSQL cluster")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .next()
        .expect("a PostgreSQL version");
    let status = Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", &version, "main", action])
        .args(if action == "stop" { &["-m", "fast"][..] } else { &[][..] })
        .status()
        .expect("pg_ctlcluster");
    assert!(status.success(), "pg_ctlcluster {action}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "restarts the PostgreSQL server; run alone"]
async fn postgres_restart_while_requests_flow() {
    if std::env::var("MUTUA_TEST_DATABASE_URL").is_err() {
        eprintln!("MUTUA_TEST_DATABASE_URL is unset: nothing to restart");
        return;
    }
    let app = Arc::new(
        spawn_app_with(|vars| {
            vars.insert("MUTUA_MAX_NEEDS_PER_DAY".into(), "0".into());
        })
        .await,
    );
    let (_, token) = app.commune("Namur").await;
    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    let statuses = Arc::new(Mutex::new(Vec::<u16>::new()));
    let running = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let (app, token, acknowledged, statuses, running) =
            (app.clone(), token.clone(), acknowledged.clone(), statuses.clone(), running.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while running.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let response = app
                    .post(
                        "/api/v1/needs",
                        &token,
                        &json!({"title": format!("Besoin numéro {n} pendant la panne"), "description": ""}),
                    )
                    .await;
                let status = response.status();
                statuses.lock().unwrap().push(status.as_u16());
                if status == StatusCode::CREATED {
                    let body: Value = response.json().await.unwrap();
                    acknowledged.lock().unwrap().push(body["need"]["id"].as_i64().unwrap());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    pg_ctl("stop");
    tokio::time::sleep(Duration::from_secs(4)).await;
    let down = app.client.get(app.url("/ready")).send().await.unwrap().status();
    pg_ctl("start");
    // Recovers by itself: the same process, no restart.
    let deadline = Instant::now() + Duration::from_secs(60);
    while app.client.get(app.url("/ready")).send().await.unwrap().status() != StatusCode::OK {
        assert!(Instant::now() < deadline, "mutua did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    running.store(false, std::sync::atomic::Ordering::Relaxed);
    writer.await.unwrap();

    assert_eq!(down, StatusCode::SERVICE_UNAVAILABLE, "/ready while the database is down");
    let statuses = statuses.lock().unwrap().clone();
    let unavailable = statuses.iter().filter(|s| **s == 503).count();
    assert!(unavailable > 0, "some requests met the outage: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 201 || *s == 503), "only 201 or 503: {statuses:?}");
    assert_eq!(statuses.last(), Some(&201), "writes succeed again after the restart");
    let acknowledged = acknowledged.lock().unwrap().clone();
    for id in &acknowledged {
        let response = app.get(&format!("/api/v1/needs/{id}"), &token).await;
        assert_eq!(response.status(), StatusCode::OK, "need {id} was acknowledged, so it must exist");
    }
    eprintln!(
        "postgres restart: {} writes acknowledged and all present, {unavailable} answered 503",
        acknowledged.len()
    );
}
