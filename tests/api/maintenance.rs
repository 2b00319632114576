//! Maintenance pools of delivered software (SPEC section 10): who is invited, periods that
//! follow one another but never overlap, and a maintenance pool living the lifecycle of any
//! pool without taking needs.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

const CEMETERY: &str = "Gestion des concessions du cimetière";

async fn open_maintenance(app: &TestApp, delivered: i64, body: &Value) -> reqwest::Response {
    app.post(&format!("/api/v1/pools/{delivered}/maintenance"), &app.officer_token, body).await
}

fn period(start: &str, end: &str) -> Value {
    json!({"period_start": start, "period_end": end, "target_cents": 800_000})
}

/// The recipients of the emails queued for `event_type`, sorted.
fn queued_to(app: &TestApp, event_type: &str) -> Vec<String> {
    use mutua::db::schema::outbox;
    let mut conn = app.state().db.raw_connection().unwrap();
    let mut to: Vec<String> = outbox::table
        .filter(outbox::event_type.eq(event_type))
        .select(outbox::recipient_email)
        .load(&mut *conn)
        .unwrap();
    to.sort();
    to
}

#[tokio::test]
async fn every_organisation_that_uses_the_software_is_invited_even_one_that_came_after_delivery() {
    let app = spawn_app().await;
    let (namur_id, namur) = app.commune("Namur").await;
    let (ciney_id, ciney) = app.commune("Ciney").await;
    let (andenne_id, andenne) = app.commune("Andenne").await;
    let (_, dinant) = app.commune("Dinant").await;
    let (_, eupen) = app.commune("Eupen").await;
    // Namur's need opens the pool, Ciney pledges without a need, Eupen's need joins and is
    // withdrawn before delivery: Eupen does not use the software.
    let pool = app.open_pool(&namur, CEMETERY, 1_000).await;
    let eupen_need = app.post_need(&eupen, CEMETERY, "").await["need"]["id"].as_i64().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/needs/{eupen_need}"), &eupen).await.status(), StatusCode::OK);
    app.pledge(&ciney, pool, 1_000).await;
    app.confirm_pledge(&ciney, pool).await;
    app.officer(pool, "approve", None).await;
    app.officer(pool, "award", Some(&json!({"supplier": "Coopérative du Libre", "amount_cents": 1_000}))).await;
    let deliver = json!({"repository_url": "https://git.example.be/cimetiere", "licence": "GPL-3.0-or-later"});
    assert_eq!(app.officer(pool, "deliver", Some(&deliver)).await.status(), StatusCode::OK);
    // After delivery, Andenne posts the same need: pointed to the delivered pool, it joins it.
    let later = app.post_need(&andenne, CEMETERY, "").await;
    assert_eq!((later["merged"].as_bool(), later["pool"]["id"].as_i64()), (Some(true), Some(pool)));
    app.post_need(&dinant, "Réservation des salles communales", "").await;

    let opened = open_maintenance(
        &app,
        pool,
        &json!({"period_start": "2027-01-01", "period_end": "2027-12-31", "target_cents": 800_000,
                "threshold_cents": 600_000, "deadline": "2099-11-30"}),
    )
    .await;
    assert_eq!(opened.status(), StatusCode::CREATED);
    let maintenance: Value = opened.json().await.unwrap();
    let id = maintenance["id"].as_i64().unwrap();
    assert_eq!(
        (maintenance["kind"].as_str(), maintenance["maintains_pool_id"].as_i64(), maintenance["state"].as_str()),
        (Some("maintenance"), Some(pool), Some("open"))
    );
    assert_eq!(
        (maintenance["period_start"].as_str(), maintenance["period_end"].as_str()),
        (Some("2027-01-01"), Some("2027-12-31"))
    );
    assert_eq!(
        (maintenance["target_cents"].as_i64(), maintenance["threshold_cents"].as_i64()),
        (Some(800_000), Some(600_000))
    );
    assert_eq!(
        (maintenance["deadline"].as_str(), maintenance["cpv_code"].as_str()),
        (Some("2099-11-30"), Some("72267000-4"))
    );
    assert_eq!(maintenance["title"], format!("Maintenance (2027-01-01 – 2027-12-31) : {CEMETERY}"));
    assert_eq!(
        (maintenance["participants"].as_array().unwrap().len(), maintenance["needs_count"].as_i64()),
        (0, Some(0))
    );

    let delivered = app.pool(pool).await;
    assert_eq!(
        delivered["maintenance_pools"],
        json!([{"id": id, "state": "open", "period_start": "2027-01-01", "period_end": "2027-12-31"}])
    );
    assert_eq!((delivered["kind"].as_str(), &delivered["maintains_pool_id"]), (Some("development"), &json!(null)));
    assert_eq!(maintenance["maintenance_pools"], json!([]));

    let events: Value =
        app.get(&format!("/api/v1/pools/{id}/events?limit=200"), &app.officer_token).await.json().await.unwrap();
    let types: Vec<&str> = events["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["pool.created", "pool.maintenance_opened"]);
    assert_eq!(events["items"][1]["data"]["invited_organisations"], json!([namur_id, ciney_id, andenne_id]));
    // One invitation per user of each organisation that uses the software; nobody else.
    assert_eq!(
        queued_to(&app, "pool.maintenance_opened"),
        ["andenne@example.be", "ciney@example.be", "namur@example.be"]
    );
}

#[tokio::test]
async fn maintenance_periods_follow_one_another_but_never_overlap() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let pool = app.delivered_pool(&namur, CEMETERY, 1_000).await;
    let first = open_maintenance(&app, pool, &period("2027-01-01", "2027-12-31")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = first.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    for (start, end) in [
        ("2027-01-01", "2027-12-31"),
        ("2027-06-01", "2028-05-31"),
        ("2026-01-01", "2027-01-01"),
        ("2027-12-31", "2028-12-31"),
    ] {
        let overlap =
            assert_problem(open_maintenance(&app, pool, &period(start, end)).await, StatusCode::CONFLICT).await;
        assert!(overlap["detail"].as_str().unwrap().contains(&first.to_string()), "{overlap}");
    }
    // The next period, from the day after the first one ends.
    let second = open_maintenance(&app, pool, &period("2028-01-01", "2028-12-31")).await;
    assert_eq!(second.status(), StatusCode::CREATED);
    let second = second.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // A period that ended without funding frees its days for another try.
    let cancel = json!({"reason": "Montant à revoir."});
    assert_eq!(app.officer(second, "cancel", Some(&cancel)).await.status(), StatusCode::OK);
    let retry = open_maintenance(&app, pool, &period("2028-01-01", "2028-06-30")).await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    let retry = retry.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let listed: Vec<(i64, String)> = app.pool(pool).await["maintenance_pools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_i64().unwrap(), m["state"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(listed, [(first, "open".into()), (second, "cancelled".into()), (retry, "open".into())]);

    for (body, field) in [
        (period("2029-01-01", "2029-01-01"), "period_end"),
        (period("2029-12-31", "2029-01-01"), "period_end"),
        (json!({"period_start": "2029-01-01", "period_end": "2029-12-31", "target_cents": 0}), "target_cents"),
        (
            json!({"period_start": "2029-01-01", "period_end": "2029-12-31", "target_cents": 10, "threshold_cents": -1}),
            "threshold_cents",
        ),
        (
            json!({"period_start": "2029-01-01", "period_end": "2029-12-31", "target_cents": 10, "deadline": "2020-01-01"}),
            "deadline",
        ),
        (json!({"period_start": "2029-01-01", "period_end": "2029-12-31", "target_cents": 10, "title": "x"}), "title"),
        (json!({"period_start": "2029-01-01", "target_cents": 10}), "period_end"),
    ] {
        let problem = assert_problem(open_maintenance(&app, pool, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    let open = app.open_pool(&namur, "Parapheur électronique", 1_000).await;
    let wrong =
        assert_problem(open_maintenance(&app, open, &period("2029-01-01", "2029-12-31")).await, StatusCode::CONFLICT)
            .await;
    assert_eq!(wrong["state"], "open");
    assert_problem(open_maintenance(&app, 999_999, &period("2029-01-01", "2029-12-31")).await, StatusCode::NOT_FOUND)
        .await;
    let member =
        app.post(&format!("/api/v1/pools/{pool}/maintenance"), &namur, &period("2029-01-01", "2029-12-31")).await;
    assert_problem(member, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_maintenance_pool_lives_the_lifecycle_of_any_pool_and_takes_no_needs() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let pool = app.delivered_pool(&namur, CEMETERY, 1_000).await;
    let opened: Value = open_maintenance(&app, pool, &period("2027-01-01", "2027-12-31")).await.json().await.unwrap();
    let maintenance = opened["id"].as_i64().unwrap();

    // The same need again goes to the delivered software, never to its upkeep.
    let posted = app.post_need(&ciney, CEMETERY, "").await;
    assert_eq!(posted["pool"]["id"], pool);
    assert!(posted["similar_pools"].as_array().unwrap().iter().all(|s| s["pool_id"] != maintenance));
    // A need of an open pool cannot be moved into the upkeep either.
    let other_posted = app
        .post_need_with(
            &ciney,
            &json!({"title": "Réservation des salles communales", "description": "", "estimated_cost_cents": 1_000}),
        )
        .await;
    let other = other_posted["pool"]["id"].as_i64().unwrap();
    let need = other_posted["need"]["id"].as_i64().unwrap();
    let moved = app.post(&format!("/api/v1/needs/{need}/move"), &ciney, &json!({"pool_id": maintenance})).await;
    let problem = assert_problem(moved, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "pool_id");
    for (from, into) in [(maintenance, other), (other, maintenance)] {
        let merge = app.officer(from, "merge", Some(&json!({"into_pool_id": into}))).await;
        assert_problem(merge, StatusCode::CONFLICT).await;
    }

    app.pledge(&namur, maintenance, 300_000).await;
    let funded: Value = app.pledge(&ciney, maintenance, 500_000).await.json().await.unwrap();
    assert_eq!(funded["state"], "funded");
    let blocked = assert_problem(app.officer(maintenance, "approve", None).await, StatusCode::CONFLICT).await;
    assert_eq!(blocked["type"], "/problems/unconfirmed-pledges");
    app.confirm_pledge(&namur, maintenance).await;
    app.confirm_pledge(&ciney, maintenance).await;
    assert_eq!(app.officer(maintenance, "approve", None).await.status(), StatusCode::OK);
    let types = app.event_types(maintenance).await;
    assert_eq!(types.iter().filter(|t| *t == "pool.funded").count(), 1);
    assert_eq!(app.pool(pool).await["maintenance_pools"][0]["state"], "approved");
    // Upkeep is opened on the development, not on a maintenance pool.
    let award = json!({"supplier": "Coopérative du Libre", "amount_cents": 800_000});
    app.officer(maintenance, "award", Some(&award)).await;
    let deliver = json!({"repository_url": "https://git.example.be/logiciel", "licence": "EUPL-1.2"});
    assert_eq!(app.officer(maintenance, "deliver", Some(&deliver)).await.status(), StatusCode::OK);
    let nested = open_maintenance(&app, maintenance, &period("2028-01-01", "2028-12-31")).await;
    let problem = assert_problem(nested, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains(&pool.to_string()), "{problem}");
}
