use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn a_replayed_post_creates_one_need_and_returns_the_same_body() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let body = json!({"title": "Gestion du cimetière", "description": "Registre des concessions."});
    let send = |body: Value, key: &'static str| {
        app.client.post(app.url("/api/v1/needs")).bearer_auth(&namur).header("Idempotency-Key", key).json(&body).send()
    };
    let first = send(body.clone(), "key-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = send(body.clone(), "key-1").await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let needs: Value = app.get("/api/v1/needs", &namur).await.json().await.unwrap();
    assert_eq!(needs["total"], 1, "one need for two requests");
    let other_body = send(json!({"title": "Autre chose", "description": ""}), "key-1").await.unwrap();
    assert_problem(other_body, StatusCode::UNPROCESSABLE_ENTITY).await;
    // Keys belong to a user: another user's identical key is independent.
    let (_, ciney) = app.commune("Ciney").await;
    let theirs = app
        .client
        .post(app.url("/api/v1/needs"))
        .bearer_auth(&ciney)
        .header("Idempotency-Key", "key-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), StatusCode::CREATED);
    assert!(theirs.headers().get("idempotent-replayed").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_have_one_effect() {
    let app = Arc::new(spawn_app().await);
    let (_, namur) = app.commune("Namur").await;
    let pool = app.open_pool(&namur, "Parapheur électronique", 100_000).await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (app, token) = (app.clone(), namur.clone());
        tasks.push(tokio::spawn(async move {
            app.client
                .put(app.url(&format!("/api/v1/pools/{pool}/pledge")))
                .bearer_auth(token)
                .header("Idempotency-Key", "same-pledge")
                .json(&json!({"amount_cents": 1_000}))
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for task in tasks {
        let status = task.await.unwrap();
        assert!(status == StatusCode::OK || status == StatusCode::CONFLICT, "{status}");
    }
    let set = app.event_types(pool).await.into_iter().filter(|t| t == "pledge.set").count();
    assert_eq!(set, 1, "one effect");
}

#[tokio::test]
async fn malformed_keys_are_refused() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let response = app
        .client
        .post(app.url("/api/v1/needs"))
        .bearer_auth(&namur)
        .header("Idempotency-Key", "x".repeat(300))
        .json(&json!({"title": "Gestion du cimetière", "description": ""}))
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
}
