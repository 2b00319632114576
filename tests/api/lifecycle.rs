use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

/// A pool funded by one pledge, which its council confirmed: ready to be approved.
async fn funded_pool(app: &TestApp, token: &str, title: &str) -> i64 {
    let pool = app.open_pool(token, title, 1_000).await;
    assert_eq!(app.pledge(token, pool, 1_000).await.json::<Value>().await.unwrap()["state"], "funded");
    assert_eq!(app.confirm_pledge(token, pool).await.status(), StatusCode::OK);
    pool
}

fn reason() -> Value {
    json!({"reason": "Couvert par un marché existant."})
}

#[tokio::test]
async fn approve_award_deliver_and_reuse() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let pool = funded_pool(&app, &namur, "Gestion des concessions du cimetière").await;

    assert_problem(app.post(&format!("/api/v1/pools/{pool}/approve"), &namur, &json!({})).await, StatusCode::FORBIDDEN)
        .await;
    let approved: Value = app.officer(pool, "approve", None).await.json().await.unwrap();
    assert_eq!(approved["state"], "approved");
    let award = json!({"supplier": "Coopérative du Libre", "amount_cents": 900});
    let awarded: Value = app.officer(pool, "award", Some(&award)).await.json().await.unwrap();
    assert_eq!(
        (awarded["state"].as_str(), awarded["supplier"].as_str()),
        (Some("awarded"), Some("Coopérative du Libre"))
    );
    let bad_licence = json!({"repository_url": "https://git.example.be/cimetiere", "licence": "Proprietary"});
    assert_problem(app.officer(pool, "deliver", Some(&bad_licence)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let deliver = json!({"repository_url": "https://git.example.be/cimetiere", "licence": "GPL-3.0-or-later"});
    let delivered: Value = app.officer(pool, "deliver", Some(&deliver)).await.json().await.unwrap();
    assert_eq!(delivered["state"], "delivered");

    // The same need later: pointed to what exists, no new funding.
    let reuse = app.post_need(&ciney, "Gestion des concessions du cimetière", "").await;
    assert_eq!(reuse["merged"], true);
    assert_eq!(reuse["pool"]["id"], pool);
    assert_eq!(reuse["existing"]["repository_url"], "https://git.example.be/cimetiere");
    assert_eq!(reuse["existing"]["licence"], "GPL-3.0-or-later");
    assert_problem(app.pledge(&ciney, pool, 100).await, StatusCode::CONFLICT).await;

    let types = app.event_types(pool).await;
    for expected in
        ["pool.created", "need.posted", "pledge.set", "pool.funded", "pool.approved", "pool.awarded", "pool.delivered"]
    {
        assert!(types.contains(&expected.to_owned()), "{expected} in {types:?}");
    }
}

#[tokio::test]
async fn only_the_transitions_of_the_lifecycle_are_allowed() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let open = app.open_pool(&namur, "Inventaire du patrimoine arboré", 1_000).await;
    let award = json!({"supplier": "X", "amount_cents": 10});
    let deliver = json!({"repository_url": "https://git.example.be/x", "licence": "EUPL-1.2"});
    for (action, body) in [
        ("approve", None),
        ("reject", Some(reason())),
        ("award", Some(award.clone())),
        ("deliver", Some(deliver.clone())),
    ] {
        let problem = assert_problem(app.officer(open, action, body.as_ref()).await, StatusCode::CONFLICT).await;
        assert_eq!(problem["state"], "open", "{action}");
    }
    let funded = funded_pool(&app, &namur, "Parapheur électronique pour le collège").await;
    assert_problem(app.officer(funded, "award", Some(&award)).await, StatusCode::CONFLICT).await;
    let rejected: Value = app.officer(funded, "reject", Some(&reason())).await.json().await.unwrap();
    assert_eq!(
        (rejected["state"].as_str(), rejected["reason"].as_str()),
        (Some("rejected"), Some("Couvert par un marché existant."))
    );
    assert_problem(app.officer(funded, "approve", None).await, StatusCode::CONFLICT).await;
    assert_problem(app.officer(funded, "cancel", Some(&reason())).await, StatusCode::CONFLICT).await;

    let cancelled: Value = app.officer(open, "cancel", Some(&reason())).await.json().await.unwrap();
    assert_eq!(cancelled["state"], "cancelled");
    let awarded = funded_pool(&app, &namur, "Gestion des ressources humaines").await;
    app.officer(awarded, "approve", None).await;
    app.officer(awarded, "award", Some(&award)).await;
    let too_late = assert_problem(app.officer(awarded, "cancel", Some(&reason())).await, StatusCode::CONFLICT).await;
    assert_eq!(too_late["state"], "awarded");
    assert_problem(
        app.officer(awarded, "reject", Some(&json!({"reason": ""}))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}

#[tokio::test]
async fn merging_moves_needs_and_keeps_the_larger_pledge() {
    let app = spawn_app().await;
    let (a, namur) = app.commune("Namur").await;
    let (b, ciney) = app.commune("Ciney").await;
    let keep = app.open_pool(&namur, "Gestion des salles communales", 10_000).await;
    let away = app.open_pool(&ciney, "Réservation de locaux communaux", 10_000).await;
    app.pledge(&namur, keep, 3_000).await;
    app.pledge(&namur, away, 4_000).await;
    app.pledge(&ciney, away, 2_000).await;
    assert_problem(
        app.officer(away, "merge", Some(&json!({"into_pool_id": away}))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let merged = app.officer(away, "merge", Some(&json!({"into_pool_id": keep}))).await;
    assert_eq!(merged.status(), StatusCode::OK);
    let merged: Value = merged.json().await.unwrap();
    assert_eq!(merged["id"], keep);
    assert_eq!(merged["needs_count"], 2);
    assert_eq!(merged["pledged_cents"], 6_000, "Namur keeps its larger pledge (4 000), Ciney's 2 000 moves");
    let pledges: Vec<(i64, i64)> = merged["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["organisation_id"].as_i64().unwrap(), p["pledged_cents"].as_i64().unwrap()))
        .collect();
    assert_eq!(pledges, vec![(a, 4_000), (b, 2_000)]);
    let gone = app.pool(away).await;
    assert_eq!((gone["state"].as_str(), gone["merged_into_pool_id"].as_i64()), (Some("merged"), Some(keep)));
    assert_eq!(gone["pledged_cents"], 0);
    assert!(app.event_types(away).await.contains(&"pool.merged".to_owned()));
    assert!(app.event_types(keep).await.contains(&"pool.merge_received".to_owned()));
    // A merge re-checks the threshold.
    let third = app.open_pool(&ciney, "Inventaire des arbres remarquables", 5_000).await;
    app.pledge(&ciney, third, 4_500).await;
    let funded: Value = app.officer(keep, "merge", Some(&json!({"into_pool_id": third}))).await.json().await.unwrap();
    assert_eq!(funded["state"], "funded");
}

#[tokio::test]
async fn pools_are_listed_with_filters() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    app.post_need_with(&namur, &json!({"title": "Gestion du cimetière", "description": "", "cpv_code": "48000000-8"}))
        .await;
    app.post_need_with(&namur, &json!({"title": "Site web accessible", "description": "", "cpv_code": "72212000-4"}))
        .await;
    let funded = app.open_pool(&namur, "Parapheur électronique", 100).await;
    app.pledge(&namur, funded, 100).await;
    let all: Value = app.get("/api/v1/pools", &namur).await.json().await.unwrap();
    assert_eq!(all["total"], 3);
    let by_state: Value = app.get("/api/v1/pools?state=funded", &namur).await.json().await.unwrap();
    assert_eq!((by_state["total"].as_i64(), by_state["items"][0]["id"].as_i64()), (Some(1), Some(funded)));
    let by_cpv: Value = app.get("/api/v1/pools?cpv=48", &namur).await.json().await.unwrap();
    assert_eq!(by_cpv["total"], 1);
    let by_words: Value = app.get("/api/v1/pools?q=CIMETIÈRE", &namur).await.json().await.unwrap();
    assert_eq!(by_words["total"], 1);
    let page: Value = app.get("/api/v1/pools?limit=1&offset=1", &namur).await.json().await.unwrap();
    assert_eq!((page["total"].as_i64(), page["items"].as_array().unwrap().len()), (Some(3), 1));
    for bad in ["state=flying", "limit=0", "limit=201", "offset=-1", "cpv=abc"] {
        assert_problem(app.get(&format!("/api/v1/pools?{bad}"), &namur).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
}
