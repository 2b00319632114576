use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn the_pledge_that_reaches_the_threshold_funds_the_pool_and_shares_sum_exactly() {
    let app = spawn_app().await;
    let (a, namur) = app.commune("Namur").await;
    let (b, ciney) = app.commune("Ciney").await;
    let (c, dinant) = app.commune("Dinant").await;
    let pool = app.open_pool(&namur, "Gestion des concessions du cimetière", 6_000).await;

    assert_eq!(app.pledge(&namur, pool, 3_000).await.status(), StatusCode::OK);
    let after_two: Value = app.pledge(&ciney, pool, 2_000).await.json().await.unwrap();
    assert_eq!(after_two["state"], "open");
    assert_eq!(after_two["pledged_cents"], 5_000);
    assert!(!app.event_types(pool).await.contains(&"pool.funded".to_owned()));

    let funded: Value = app.pledge(&dinant, pool, 4_000).await.json().await.unwrap();
    assert_eq!(funded["state"], "funded");
    assert_eq!(funded["pledged_cents"], 9_000);
    assert!(funded["funded_at"].is_string());
    let shares: Vec<(i64, i64, i64)> = funded["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["organisation_id"].as_i64().unwrap(),
                p["pledged_cents"].as_i64().unwrap(),
                p["share_cents"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(shares, vec![(a, 3_000, 2_000), (b, 2_000, 1_333), (c, 4_000, 2_667)]);
    assert_eq!(shares.iter().map(|s| s.2).sum::<i64>(), 6_000, "shares sum exactly to the target");
    let funded_events = app.event_types(pool).await.into_iter().filter(|t| t == "pool.funded").count();
    assert_eq!(funded_events, 1);

    // Once funded and past the correction hour, a pledge only rises (SPEC §15).
    crate::pledge_rules::age_pledges(&app, pool, 61);
    let change = assert_problem(app.pledge(&namur, pool, 1_000).await, StatusCode::CONFLICT).await;
    assert_eq!(change["state"], "funded");
    assert_problem(app.delete(&format!("/api/v1/pools/{pool}/pledge"), &ciney).await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn pledge_amounts_are_bounded_and_only_members_pledge() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let pool = app.open_pool(&namur, "Parapheur électronique", 10_000).await;
    for bad in [json!(0), json!(-5), json!(1_000_000_000_001_i64), json!(12.5), json!("100")] {
        let response = app.put(&format!("/api/v1/pools/{pool}/pledge"), &namur, &json!({"amount_cents": bad})).await;
        assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    // At most the pool's cost (SPEC §15).
    let above =
        assert_problem(app.pledge(&namur, pool, 1_000_000_000_000).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(above["errors"][0]["field"], "amount_cents");
    assert_eq!(app.pledge(&namur, pool, 10_000).await.status(), StatusCode::OK);
    assert_problem(app.pledge(&app.officer_token, pool, 100).await, StatusCode::FORBIDDEN).await;
    assert_problem(app.pledge(&namur, 999_999, 100).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn changing_and_withdrawing_a_pledge_while_open() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let pool = app.open_pool(&namur, "Parapheur électronique", 10_000).await;
    app.pledge(&namur, pool, 3_000).await;
    let changed: Value = app.pledge(&namur, pool, 5_000).await.json().await.unwrap();
    assert_eq!(changed["pledged_cents"], 5_000);
    let withdrawn: Value = app.delete(&format!("/api/v1/pools/{pool}/pledge"), &namur).await.json().await.unwrap();
    assert_eq!(withdrawn["pledged_cents"], 0);
    assert_eq!(withdrawn["participants"][0]["pledged_cents"], 0, "still a participant through its need");
    assert_problem(app.delete(&format!("/api/v1/pools/{pool}/pledge"), &namur).await, StatusCode::NOT_FOUND).await;
    let types = app.event_types(pool).await;
    assert_eq!(types, ["pool.created", "need.posted", "pledge.set", "pledge.set", "pledge.withdrawn"]);
}

#[tokio::test]
async fn a_pool_without_estimate_waits_for_an_officer_threshold() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let posted = app.post_need(&namur, "Application mobile citoyenne", "Notifications aux habitants.").await;
    let pool = posted["pool"]["id"].as_i64().unwrap();
    assert!(posted["pool"]["threshold_cents"].is_null());
    let refused = assert_problem(app.pledge(&namur, pool, 50_000).await, StatusCode::CONFLICT).await;
    assert_eq!(refused["type"], "/problems/no-target", "no cost, no pledge");
    let member_patch = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/pools/{pool}"),
            Some(&namur),
            Some(&json!({"threshold_cents": 1})),
        )
        .await;
    assert_problem(member_patch, StatusCode::FORBIDDEN).await;
    let patched: Value = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/pools/{pool}"),
            Some(&app.officer_token),
            Some(&json!({"threshold_cents": 40_000, "target_cents": 80_000, "deadline": "2030-01-31"})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(patched["state"], "open");
    assert_eq!(patched["deadline"], "2030-01-31");
    let pledged: Value = app.pledge(&namur, pool, 50_000).await.json().await.unwrap();
    assert_eq!(pledged["state"], "funded", "the cost set, a pledge above the threshold funds it");
    assert_eq!(pledged["participants"][0]["share_cents"], 50_000, "min(pledged, target)");
    let late = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/pools/{pool}"),
            Some(&app.officer_token),
            Some(&json!({"target_cents": 1})),
        )
        .await;
    assert_eq!(assert_problem(late, StatusCode::CONFLICT).await["state"], "funded");
}
