//! `GET /metrics` after some traffic: the families an operator reads, with route patterns
//! (never concrete paths) as labels. The exposition is parsed line by line.

use std::collections::HashMap;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with};

/// Series (`name{labels}`, exactly as exposed) → value.
struct Exposition(HashMap<String, f64>);

impl Exposition {
    fn parse(text: &str) -> Self {
        let samples = text
            .lines()
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| {
                let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {line}"));
                (series.to_owned(), value.parse().unwrap_or_else(|_| panic!("not a number: {line}")))
            })
            .collect();
        Self(samples)
    }

    /// The value of a series that must be there.
    fn value(&self, series: &str) -> f64 {
        *self.0.get(series).unwrap_or_else(|| panic!("{series} missing from /metrics"))
    }

    fn requests(&self, method: &str, route: &str, status: u16) -> f64 {
        self.value(&format!(r#"http_requests_total{{method="{method}",route="{route}",status="{status}"}}"#))
    }

    /// Every `route` label of the HTTP families.
    fn routes(&self) -> Vec<&str> {
        self.0
            .keys()
            .filter(|series| series.starts_with("http_"))
            .map(|series| {
                let start = series.find(r#"route=""#).unwrap_or_else(|| panic!("no route label: {series}")) + 7;
                let len = series[start..].find('"').unwrap();
                &series[start..start + len]
            })
            .collect()
    }
}

async fn scrape(app: &TestApp) -> Exposition {
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");
    Exposition::parse(&response.text().await.unwrap())
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_read_the_pool_the_outbox_and_the_pools() {
    // No worker: the emails stay pending until this test delivers them.
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_WORKER".into(), "false".into());
    })
    .await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let pool = app.open_pool(&namur, "Gestion des concessions du cimetière", 6_000).await;
    assert_eq!(app.pledge(&namur, pool, 3_000).await.status(), StatusCode::OK);
    assert_eq!(app.pledge(&ciney, pool, 3_000).await.status(), StatusCode::OK);
    assert_eq!(app.pool(pool).await["state"], "funded");
    // The matcher's index catches up with the database before each search.
    let similar = app.get("/api/v1/pools/similar?title=Cimeti%C3%A8re", &ciney).await;
    assert_eq!(similar.status(), StatusCode::OK);
    // 404 on an unknown path and on an unknown pool; 401 without a token.
    assert_eq!(app.get(&format!("/api/v1/nothing/{pool}"), &namur).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/pools/999999", &namur).await.status(), StatusCode::NOT_FOUND);
    let anonymous = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // 413 from the JSON extractor; 422 answered by the idempotency middleware, before the routing.
    let huge = json!({"title": "x".repeat(100_000), "description": ""});
    assert_eq!(app.post("/api/v1/needs", &namur, &huge).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bad_key = app
        .client
        .post(app.url("/api/v1/needs"))
        .bearer_auth(&namur)
        .header("Idempotency-Key", "k".repeat(256))
        .json(&json!({"title": "Parapheur", "description": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_key.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let before = scrape(&app).await;
    let pending = before.value(r#"outbox_emails{status="pending"}"#);
    assert!(pending >= 2.0, "one funding email per participant at least, got {pending}");
    assert_eq!(before.value(r#"outbox_emails{status="sent"}"#), 0.0);
    assert_eq!(before.value("emails_sent_total"), 0.0);

    let round = app.state().mailer.deliver_due().await;
    assert_eq!(round.sent as f64, pending);
    let after = scrape(&app).await;

    // Requests, by route pattern.
    assert_eq!(after.requests("PUT", "/api/v1/pools/{id}/pledge", 200), 2.0);
    assert_eq!(after.requests("POST", "/api/v1/needs", 201), 1.0);
    assert!(after.requests("POST", "/api/v1/auth/login", 200) >= 3.0);
    assert_eq!(after.requests("GET", "/api/v1/pools/{id}", 200), 1.0);
    assert_eq!(after.requests("GET", "/api/v1/pools/{id}", 404), 1.0);
    assert_eq!(after.requests("GET", "unmatched", 404), 1.0);
    assert_eq!(after.requests("GET", "/api/v1/me", 401), 1.0);
    assert_eq!(after.requests("POST", "/api/v1/needs", 413), 1.0);
    assert_eq!(after.requests("POST", "/api/v1/needs", 422), 1.0);
    assert_eq!(after.requests("GET", "/metrics", 200), 1.0, "the first scrape, counted");
    let pledge = r#"method="PUT",route="/api/v1/pools/{id}/pledge""#;
    assert_eq!(after.value(&format!("http_request_duration_seconds_count{{{pledge}}}")), 2.0);
    assert_eq!(after.value(&format!(r#"http_request_duration_seconds_bucket{{{pledge},le="+Inf"}}"#)), 2.0);
    assert!(after.value(&format!(r#"http_request_duration_seconds_bucket{{{pledge},le="10"}}"#)) <= 2.0);
    assert!(after.value(&format!(r#"http_request_duration_seconds_bucket{{{pledge},le="0.0005"}}"#)) <= 2.0);
    assert!(after.value(&format!("http_request_duration_seconds_sum{{{pledge}}}")) > 0.0);
    for route in after.routes() {
        assert!(
            route == "unmatched"
                || route.split('/').all(|segment| !segment.chars().any(|c| c.is_ascii_digit()) || segment == "v1"),
            "a concrete path as a route label: {route}"
        );
    }

    // Database pool, read at scrape time.
    assert_eq!(after.value("db_pool_max_connections"), 8.0);
    let idle = after.value(r#"db_pool_connections{state="idle"}"#);
    let in_use = after.value(r#"db_pool_connections{state="in_use"}"#);
    assert!(idle >= 1.0 && in_use >= 0.0 && idle + in_use <= 8.0, "idle {idle}, in use {in_use}");
    assert_eq!(after.value("db_up"), 1.0);

    // Outbox and worker counters agree with what the transport received.
    let delivered = app.state().mailer.transport().sent().len() as f64;
    assert_eq!(after.value(r#"outbox_emails{status="pending"}"#), 0.0);
    assert_eq!(after.value(r#"outbox_emails{status="sent"}"#), pending);
    assert_eq!(after.value(r#"outbox_emails{status="dead"}"#), 0.0);
    assert_eq!(after.value("emails_sent_total"), delivered);
    assert_eq!(delivered, pending);
    assert_eq!(after.value(r#"email_delivery_failures_total{kind="transient"}"#), 0.0);
    assert_eq!(after.value(r#"email_delivery_failures_total{kind="permanent"}"#), 0.0);
    assert_eq!(after.value("emails_dead_total"), 0.0);

    // Pools by state, every state present; the matcher.
    assert_eq!(after.value(r#"pools{state="funded"}"#), 1.0);
    assert_eq!(after.value(r#"pools{state="open"}"#), 0.0);
    assert_eq!(after.value(r#"pools{state="merged"}"#), 0.0);
    assert_eq!(after.value("matcher_indexed_needs"), 1.0, "the need, indexed by the last search");
}
