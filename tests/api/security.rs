//! Tokens that must stop working, rate limits, limits on input, and a catalogue of attacks
//! that must all be refused.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{OFFICER_EMAIL, PASSWORD, assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn disabling_a_user_or_changing_its_password_ends_its_sessions() {
    let app = spawn_app().await;
    let (_, token) = app.commune("Namur").await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    let user = me["user"]["id"].as_i64().unwrap();

    let path = format!("/api/v1/users/{user}");
    let (on, off) = (json!({"disabled": true}), json!({"disabled": false}));
    let disable = |disabled: bool| {
        app.request(Method::PATCH, &path, Some(&app.officer_token), Some(if disabled { &on } else { &off }))
    };
    assert_eq!(disable(true).await.status(), StatusCode::OK);
    assert_problem(app.get("/api/v1/me", &token).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.login("namur@example.be", PASSWORD).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(disable(false).await.status(), StatusCode::OK);
    assert_problem(app.get("/api/v1/me", &token).await, StatusCode::UNAUTHORIZED).await;
    let token = app.token("namur@example.be", PASSWORD).await;

    let wrong = app
        .post(
            "/api/v1/me/password",
            &token,
            &json!({"current_password": "not it at all", "new_password": "a brand new passphrase"}),
        )
        .await;
    assert_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
    let changed = app
        .post(
            "/api/v1/me/password",
            &token,
            &json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let fresh = changed.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
    assert_problem(app.get("/api/v1/me", &token).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(app.get("/api/v1/me", &fresh).await.status(), StatusCode::OK);
    assert_eq!(app.login("namur@example.be", "a brand new passphrase").await.status(), StatusCode::OK);

    let me_officer: Value = app.get("/api/v1/me", &app.officer_token).await.json().await.unwrap();
    let own = app
        .request(
            Method::PATCH,
            &format!("/api/v1/users/{}", me_officer["user"]["id"]),
            Some(&app.officer_token),
            Some(&json!({"disabled": true})),
        )
        .await;
    assert_problem(own, StatusCode::UNPROCESSABLE_ENTITY).await;
}

#[tokio::test]
async fn repeated_login_failures_answer_429_even_for_the_right_password() {
    let app = spawn_app().await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(app.login(OFFICER_EMAIL, "wrong password entirely").await.status().as_u16());
    }
    // About ten failures, then refused.
    let failures = statuses.iter().take_while(|s| **s == 401).count();
    assert!((10..=11).contains(&failures), "{statuses:?}");
    assert_eq!(statuses[11], 429);
    let blocked = app.login(OFFICER_EMAIL, PASSWORD).await;
    let retry_after: u64 = blocked.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(blocked, StatusCode::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn failures_across_accounts_from_one_address_are_limited_too() {
    let app = spawn_app().await;
    let mut last = StatusCode::OK;
    for i in 0..12 {
        last = app.login(&format!("guess{i}@nowhere.be"), "wrong password entirely").await.status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn each_users_writes_are_limited_per_minute() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_RATE_LIMIT_PER_MINUTE".into(), "5".into());
    })
    .await;
    let (_, token) = app.commune("Namur").await;
    let pool = app.open_pool(&token, "Gestion du cimetière", 100_000).await;
    let mut statuses = Vec::new();
    for amount in 1..=6 {
        statuses.push(app.pledge(&token, pool, amount).await.status().as_u16());
    }
    // One write (the need) plus four pledges fit in five; the fifth pledge does not.
    assert_eq!(statuses, [200, 200, 200, 200, 429, 429]);
    let limited = app.pledge(&token, pool, 7).await;
    assert!(limited.headers().get("retry-after").is_some());
    assert_eq!(
        app.get(&format!("/api/v1/pools/{pool}"), &token).await.status(),
        StatusCode::OK,
        "reads are not limited"
    );
}

#[tokio::test]
async fn needs_per_organisation_per_day_are_capped() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_MAX_NEEDS_PER_DAY".into(), "2".into());
    })
    .await;
    let (_, token) = app.commune("Namur").await;
    app.post_need(&token, "Gestion du cimetière", "").await;
    app.post_need(&token, "Réservation des salles", "").await;
    let third = app.post("/api/v1/needs", &token, &json!({"title": "Parapheur électronique", "description": ""})).await;
    assert!(third.headers().get("retry-after").is_some());
    assert_problem(third, StatusCode::TOO_MANY_REQUESTS).await;
}

/// Requests an attacker would try. Each must be refused (any 4xx) and change nothing.
#[tokio::test]
async fn a_catalogue_of_attacks_is_refused() {
    let app = spawn_app().await;
    let (victim_org, victim) = app.commune("Namur").await;
    let (_, attacker) = app.commune("Ciney").await;
    let posted = app.post_need(&victim, "Gestion du cimetière", "Registre des concessions.").await;
    let need = posted["need"]["id"].as_i64().unwrap();
    let pool = posted["pool"]["id"].as_i64().unwrap();
    let before: Value = app.pool(pool).await;
    let nul = "Gestion\u{0} du cimetière";
    let attacks: Vec<(&str, Method, String, Option<Value>)> = vec![
        ("read another organisation's need", Method::GET, format!("/api/v1/needs/{need}"), None),
        ("withdraw another organisation's need", Method::DELETE, format!("/api/v1/needs/{need}"), None),
        (
            "move another organisation's need",
            Method::POST,
            format!("/api/v1/needs/{need}/move"),
            Some(json!({"pool_id": null})),
        ),
        ("list another organisation's users", Method::GET, format!("/api/v1/organisations/{victim_org}/users"), None),
        ("read another organisation", Method::GET, format!("/api/v1/organisations/{victim_org}"), None),
        (
            "create a user in another organisation",
            Method::POST,
            format!("/api/v1/organisations/{victim_org}/users"),
            Some(json!({"email": "evil@x.be", "name": "Evil", "password": PASSWORD, "role": "member"})),
        ),
        (
            "make oneself officer",
            Method::POST,
            "/api/v1/organisations".into(),
            Some(json!({"name": "Evil", "kind": "central_purchasing", "locale": "fr"})),
        ),
        ("approve a pool", Method::POST, format!("/api/v1/pools/{pool}/approve"), None),
        (
            "edit a pool's threshold",
            Method::PATCH,
            format!("/api/v1/pools/{pool}"),
            Some(json!({"threshold_cents": 1})),
        ),
        (
            "mass assignment on a need",
            Method::POST,
            "/api/v1/needs".into(),
            Some(json!({"title": "Gestion du parc", "description": "", "organisation_id": victim_org})),
        ),
        (
            "mass assignment of pool state",
            Method::PUT,
            format!("/api/v1/pools/{pool}/pledge"),
            Some(json!({"amount_cents": 100, "state": "funded"})),
        ),
        (
            "negative pledge",
            Method::PUT,
            format!("/api/v1/pools/{pool}/pledge"),
            Some(json!({"amount_cents": -1_000_000})),
        ),
        (
            "overflowing pledge",
            Method::PUT,
            format!("/api/v1/pools/{pool}/pledge"),
            Some(json!({"amount_cents": 9_223_372_036_854_775_807_i64})),
        ),
        ("NUL byte in a title", Method::POST, "/api/v1/needs".into(), Some(json!({"title": nul, "description": ""}))),
        (
            "control characters in a title",
            Method::POST,
            "/api/v1/needs".into(),
            Some(json!({"title": "abc\u{1b}[31m", "description": ""})),
        ),
        ("huge page", Method::GET, "/api/v1/pools?limit=1000000".into(), None),
        ("negative offset", Method::GET, "/api/v1/pools?offset=-5".into(), None),
        ("unknown query parameter", Method::GET, "/api/v1/pools?admin=true".into(), None),
        ("SQL in a filter", Method::GET, "/api/v1/pools?state=open'%20OR%20'1'='1".into(), None),
        ("path traversal as an id", Method::GET, "/api/v1/needs/..%2F..%2Fetc%2Fpasswd".into(), None),
        ("id overflow", Method::GET, "/api/v1/needs/99999999999999999999999".into(), None),
        ("requeue an email", Method::POST, "/api/v1/outbox/1/requeue".into(), None),
        ("list the outbox", Method::GET, "/api/v1/outbox".into(), None),
        ("disable a user", Method::PATCH, "/api/v1/users/1".into(), Some(json!({"disabled": true}))),
    ];
    let mut accepted = Vec::new();
    for (what, method, path, body) in &attacks {
        let status = app.request(method.clone(), path, Some(&attacker), body.as_ref()).await.status();
        if !status.is_client_error() {
            accepted.push(format!("{what}: {status}"));
        }
    }
    // Token attacks are in auth.rs; an unauthenticated write:
    let anonymous = app
        .request(Method::PUT, &format!("/api/v1/pools/{pool}/pledge"), None, Some(&json!({"amount_cents": 5})))
        .await;
    if anonymous.status() != StatusCode::UNAUTHORIZED {
        accepted.push(format!("anonymous pledge: {}", anonymous.status()));
    }
    // SQL in free text is data, stored verbatim, harming nothing.
    let sql = app.post_need(&attacker, "Robert'); DROP TABLE pools;--", "1' OR '1'='1").await;
    assert_eq!(sql["need"]["title"], "Robert'); DROP TABLE pools;--");
    let after: Value = app.pool(pool).await;
    assert_eq!(before["pledged_cents"], after["pledged_cents"]);
    assert_eq!(before["state"], after["state"]);
    assert_eq!(
        app.get(&format!("/api/v1/needs/{need}"), &victim).await.json::<Value>().await.unwrap()["status"],
        "active"
    );
    eprintln!("attacks tried: {}, accepted: {}", attacks.len() + 1, accepted.len());
    assert!(accepted.is_empty(), "accepted attacks:\n{}", accepted.join("\n"));
}
