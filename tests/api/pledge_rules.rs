//! The rules of SPEC §15 (issue 25) through the API: the pledge cap, no pledge without a
//! cost, latecomers to a funded pool, the correction hour, the officers' drop, pools that
//! close when emptied, and the emails of merges, awards and deliveries. Time is moved by
//! ageing the stored timestamps, as `cooling_off.rs` does, never by sleeping.

use std::time::Duration;

use diesel::prelude::*;
use mutua::db::schema::pledges;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    accounts::app_with_mail,
    helpers::{TestApp, assert_problem, spawn_app},
    process::SmtpSink,
};

/// Moves the pledges of a pool `minutes` into the past, as if that long had gone by since
/// each was set.
pub fn age_pledges(app: &TestApp, pool: i64, minutes: i64) {
    let mut conn = app.state().db.raw_connection().unwrap();
    let rows: Vec<(i64, chrono::NaiveDateTime)> = pledges::table
        .filter(pledges::pool_id.eq(pool))
        .select((pledges::id, pledges::updated_at))
        .load(&mut *conn)
        .unwrap();
    assert!(!rows.is_empty(), "pledges to age");
    for (id, at) in rows {
        diesel::update(pledges::table.find(id))
            .set(pledges::updated_at.eq(at - chrono::Duration::minutes(minutes)))
            .execute(&mut *conn)
            .unwrap();
    }
}

/// The share of each organisation in a pool answer.
fn shares(pool: &Value) -> Vec<(i64, i64)> {
    pool["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["organisation_id"].as_i64().unwrap(), p["share_cents"].as_i64().unwrap()))
        .collect()
}

fn share_of(pool: &Value, organisation: i64) -> i64 {
    shares(pool).into_iter().find(|(o, _)| *o == organisation).map_or(0, |(_, s)| s)
}

async fn drop_pledge(app: &TestApp, token: &str, pool: i64, organisation: i64, reason: &str) -> reqwest::Response {
    app.post(&format!("/api/v1/pools/{pool}/pledges/{organisation}/drop"), token, &json!({"reason": reason})).await
}

#[tokio::test]
async fn a_pledge_is_at_most_the_cost_and_the_refusal_names_the_amount_and_the_cost() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let pool = app.open_pool(&namur, "Gestion du cimetière", 4_500_000).await;

    let typo = app.pledge(&namur, pool, 500_000_000_000).await;
    let problem = assert_problem(typo, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "amount_cents", "{problem}");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("4500000"), "the cost: {problem}");
    let after = app.pool(pool).await;
    assert_eq!((after["state"].as_str(), after["pledged_cents"].as_i64()), (Some("open"), Some(0)), "nothing pledged");

    assert_problem(app.pledge(&namur, pool, 4_500_001).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let exact: Value = app.pledge(&namur, pool, 4_500_000).await.json().await.unwrap();
    assert_eq!((exact["state"].as_str(), exact["pledged_cents"].as_i64()), (Some("funded"), Some(4_500_000)));
}

#[tokio::test]
async fn a_pool_without_a_cost_takes_no_pledge_until_an_officer_sets_one() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let posted = app.post_need(&namur, "Inventaire des arbres remarquables", "Sans estimation").await;
    let pool = posted["pool"]["id"].as_i64().unwrap();
    assert!(posted["pool"]["target_cents"].is_null());

    let refused = assert_problem(app.pledge(&namur, pool, 100_000).await, StatusCode::CONFLICT).await;
    assert_eq!(refused["type"], "/problems/no-target", "{refused}");
    assert_eq!(app.pool(pool).await["pledged_cents"], 0);

    let patched = app
        .request(
            Method::PATCH,
            &format!("/api/v1/pools/{pool}"),
            Some(&app.officer_token),
            Some(&json!({"target_cents": 800_000})),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    assert_eq!(app.pledge(&namur, pool, 100_000).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_latecomer_pledges_to_a_funded_pool_and_no_share_rises() {
    let app = spawn_app().await;
    let (namur_id, namur) = app.commune("Namur").await;
    let (ciney_id, ciney) = app.commune("Ciney").await;
    let (andenne_id, andenne) = app.commune("Andenne").await;
    let pool = app.open_pool(&namur, "Réservation des salles", 1_000_000).await;
    app.pledge(&namur, pool, 600_000).await;
    let funded: Value = app.pledge(&ciney, pool, 700_000).await.json().await.unwrap();
    assert_eq!(funded["state"], "funded");
    let before = [share_of(&funded, namur_id), share_of(&funded, ciney_id)];

    let late = app.pledge(&andenne, pool, 300_000).await;
    assert_eq!(late.status(), StatusCode::OK, "a latecomer is welcome until approval");
    let late: Value = late.json().await.unwrap();
    assert_eq!((late["state"].as_str(), late["pledged_cents"].as_i64()), (Some("funded"), Some(1_600_000)));
    let after = [share_of(&late, namur_id), share_of(&late, ciney_id)];
    assert!(after[0] <= before[0] && after[1] <= before[1], "shares never rise: {before:?} → {after:?}");
    assert!(after[0] < before[0], "the latecomer lightens the others' shares: {before:?} → {after:?}");
    assert!(share_of(&late, andenne_id) > 0);
    let total: i64 = shares(&late).iter().map(|(_, s)| s).sum();
    assert_eq!(total, 1_000_000, "together they pay the cost");

    // Higher is welcome; lower, after the correction hour, is not.
    assert_eq!(app.pledge(&andenne, pool, 400_000).await.status(), StatusCode::OK);
    age_pledges(&app, pool, 61);
    let lower = assert_problem(app.pledge(&andenne, pool, 100_000).await, StatusCode::CONFLICT).await;
    assert_eq!(lower["type"], "/problems/wrong-state", "{lower}");
    let types = app.event_types(pool).await;
    assert_eq!(types.iter().filter(|t| *t == "pool.funded").count(), 1, "{types:?}");

    // Once approved, no more.
    for token in [&namur, &ciney, &andenne] {
        assert_eq!(app.confirm_pledge(token, pool).await.status(), StatusCode::OK);
    }
    assert_eq!(app.officer(pool, "approve", None).await.status(), StatusCode::OK);
    let (_, gembloux) = app.commune("Gembloux").await;
    assert_problem(app.pledge(&gembloux, pool, 100_000).await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn within_the_hour_a_typo_is_corrected_even_on_a_funded_pool_and_not_after() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let pool = app.open_pool(&namur, "Parapheur électronique", 4_500_000).await;
    app.pledge(&namur, pool, 1_000_000).await;
    // The typo: the whole cost instead of 35 000 €, and the pool is funded.
    let funded: Value = app.pledge(&ciney, pool, 4_500_000).await.json().await.unwrap();
    assert_eq!(funded["state"], "funded");

    let corrected = app.pledge(&ciney, pool, 3_500_000).await;
    assert_eq!(corrected.status(), StatusCode::OK);
    let corrected: Value = corrected.json().await.unwrap();
    assert_eq!(corrected["pledged_cents"], 4_500_000);
    let lowered = app.pledge(&ciney, pool, 500_000).await;
    assert_eq!(lowered.status(), StatusCode::OK);
    let lowered: Value = lowered.json().await.unwrap();
    assert_eq!((lowered["state"].as_str(), lowered["pledged_cents"].as_i64()), (Some("open"), Some(1_500_000)));
    let types = app.event_types(pool).await;
    assert_eq!(types.iter().filter(|t| *t == "pledge.corrected").count(), 2, "{types:?}");
    assert!(types.contains(&"pool.reopened".to_owned()), "{types:?}");

    // Funded again, then withdrawn within the hour, without a council's decision.
    app.pledge(&ciney, pool, 3_500_000).await;
    assert_eq!(app.pool(pool).await["state"], "funded");
    let withdrawn = app.delete(&format!("/api/v1/pools/{pool}/pledge"), &ciney).await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let withdrawn: Value = withdrawn.json().await.unwrap();
    assert_eq!((withdrawn["state"].as_str(), withdrawn["pledged_cents"].as_i64()), (Some("open"), Some(1_000_000)));
    assert_eq!(app.event_types(pool).await.last().map(String::as_str), Some("pool.reopened"));

    // After the hour, §10: only the council's refusal withdraws it from a funded pool.
    app.pledge(&ciney, pool, 3_500_000).await;
    age_pledges(&app, pool, 60);
    assert_problem(app.pledge(&ciney, pool, 3_000_000).await, StatusCode::CONFLICT).await;
    assert_problem(app.delete(&format!("/api/v1/pools/{pool}/pledge"), &ciney).await, StatusCode::CONFLICT).await;
    assert_eq!(app.pool(pool).await["pledged_cents"], 4_500_000, "nothing changed");
    assert_eq!(app.refuse_pledge(&ciney, pool).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_confirmed_pledge_has_no_correction_hour() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let pool = app.open_pool(&namur, "Registre des délibérations", 1_000_000).await;
    app.pledge(&namur, pool, 1_000_000).await;
    assert_eq!(app.confirm_pledge(&namur, pool).await.status(), StatusCode::OK);
    assert_problem(app.pledge(&namur, pool, 900_000).await, StatusCode::CONFLICT).await;
    assert_problem(app.delete(&format!("/api/v1/pools/{pool}/pledge"), &namur).await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn an_officer_drops_a_provisional_pledge_its_organisation_is_told_and_the_pool_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let (namur_id, namur) = app.commune("Namur").await;
    let eupen = app.create_organisation("Eupen", "de").await;
    let eupen_token = app.create_member(eupen, "kanzlei@eupen.be").await;
    app.create_member(eupen, "finanzen@eupen.be").await;
    let pool = app.open_pool(&namur, "Verwaltung der Friedhöfe", 1_000_000).await;
    app.pledge(&namur, pool, 400_000).await;
    assert_eq!(app.confirm_pledge(&namur, pool).await.status(), StatusCode::OK);
    assert_eq!(app.pledge(&eupen_token, pool, 600_000).await.json::<Value>().await.unwrap()["state"], "funded");
    let funded_mails = sink.wait_for(4, Duration::from_secs(20)).await.len();

    // Members cannot; a reason is required; a confirmed pledge stays.
    let reason = "Aucune décision du conseil depuis 90 jours.";
    assert_problem(drop_pledge(&app, &namur, pool, eupen, reason).await, StatusCode::FORBIDDEN).await;
    assert_problem(drop_pledge(&app, &app.officer_token, pool, eupen, "").await, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let confirmed = drop_pledge(&app, &app.officer_token, pool, namur_id, reason).await;
    assert_problem(confirmed, StatusCode::CONFLICT).await;

    let dropped = drop_pledge(&app, &app.officer_token, pool, eupen, reason).await;
    assert_eq!(dropped.status(), StatusCode::OK);
    let dropped: Value = dropped.json().await.unwrap();
    assert_eq!((dropped["state"].as_str(), dropped["pledged_cents"].as_i64()), (Some("open"), Some(400_000)));
    let types = app.event_types(pool).await;
    assert!(types.ends_with(&["pledge.dropped".to_owned(), "pool.reopened".to_owned()]), "{types:?}");
    assert_problem(drop_pledge(&app, &app.officer_token, pool, eupen, reason).await, StatusCode::NOT_FOUND).await;

    // pledge.dropped to both users of Eupen, pool.reopened to Namur and the officer.
    let mails = sink.wait_for(funded_mails + 4, Duration::from_secs(20)).await;
    let told: Vec<_> = mails.iter().filter(|m| m.event == "pledge.dropped").collect();
    let mut to: Vec<&str> = told.iter().map(|m| m.to.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, ["finanzen@eupen.be", "kanzlei@eupen.be"], "every user of that organisation, no one else");
    for mail in told {
        assert!(mail.text.contains("Sehr geehrte Damen und Herren"), "in German:\n{}", mail.text);
        assert!(mail.text.contains(reason), "with the reason:\n{}", mail.text);
        assert!(mail.text.contains("6.000,00"), "with the amount:\n{}", mail.text);
        assert!(mail.text.contains(&format!("/pools/{pool}")), "{}", mail.text);
    }
}

#[tokio::test]
async fn a_pool_left_with_no_need_and_no_pledge_closes_and_leaves_the_listings() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let posted = app
        .post_need_with(
            &namur,
            &json!({"title": "Gestion des salles", "description": "", "estimated_cost_cents": 500_000}),
        )
        .await;
    let (pool, need) = (posted["pool"]["id"].as_i64().unwrap(), posted["need"]["id"].as_i64().unwrap());
    app.pledge(&ciney, pool, 100_000).await;

    // A pledge still holds it open.
    assert_eq!(app.delete(&format!("/api/v1/needs/{need}"), &namur).await.status(), StatusCode::OK);
    assert_eq!(app.pool(pool).await["state"], "open");
    assert_eq!(app.delete(&format!("/api/v1/pools/{pool}/pledge"), &ciney).await.status(), StatusCode::OK);
    assert_eq!(app.pool(pool).await["state"], "cancelled");
    assert_eq!(app.event_types(pool).await.last().map(String::as_str), Some("pool.emptied"));

    let listed: Value = app.get("/api/v1/pools?limit=100", &app.officer_token).await.json().await.unwrap();
    let ids: Vec<i64> = listed["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert!(!ids.contains(&pool), "{ids:?}");
    let similar: Value =
        app.get("/api/v1/pools/similar?title=Gestion%20des%20salles", &app.officer_token).await.json().await.unwrap();
    assert!(!similar.to_string().contains(&format!("\"pool_id\":{pool}")), "{similar}");

    // A move empties the pool it leaves.
    let first = app
        .post_need_with(
            &namur,
            &json!({"title": "Registre des concessions", "description": "", "estimated_cost_cents": 500_000}),
        )
        .await;
    let second = app
        .post_need_with(
            &ciney,
            &json!({"title": "Parapheur électronique", "description": "", "estimated_cost_cents": 500_000}),
        )
        .await;
    let (left, joined) = (first["pool"]["id"].as_i64().unwrap(), second["pool"]["id"].as_i64().unwrap());
    assert_ne!(left, joined);
    let need = first["need"]["id"].as_i64().unwrap();
    let moved = app.post(&format!("/api/v1/needs/{need}/move"), &namur, &json!({"pool_id": joined})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(app.pool(left).await["state"], "cancelled");
    assert_eq!(app.pool(joined).await["state"], "open");
}

#[tokio::test]
async fn a_merge_tells_the_members_whose_needs_moved_and_never_moves_a_funded_pool() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let (_, namur) = app.commune("Namur").await;
    let gent = app.create_organisation("Gent", "nl").await;
    let gent_token = app.create_member(gent, "stadhuis@gent.be").await;
    let kept = app.open_pool(&namur, "Gestion des salles communales", 1_000_000).await;
    let moved = app.open_pool(&gent_token, "Parkeerbeleid en vergunningen", 1_000_000).await;
    assert_ne!(kept, moved);

    let merged = app.officer(moved, "merge", Some(&json!({"into_pool_id": kept}))).await;
    assert_eq!(merged.status(), StatusCode::OK);
    let mails = sink.wait_for(1, Duration::from_secs(20)).await;
    let mail = mails.iter().find(|m| m.event == "pool.merged").expect("a pool.merged email");
    assert_eq!(mail.to, "stadhuis@gent.be", "only the organisation whose need moved");
    assert!(mail.text.contains("Geachte"), "in Dutch:\n{}", mail.text);
    assert!(mail.text.contains(&format!("/pools/{kept}")), "links to the surviving pool:\n{}", mail.text);
    assert!(mail.text.contains(&format!("nr. {moved}")), "names the pool it left:\n{}", mail.text);
    assert_eq!(mails.len(), 1, "{mails:?}");

    // The history of each names the other.
    let events: Value =
        app.get(&format!("/api/v1/pools/{kept}/events"), &app.officer_token).await.json().await.unwrap();
    let received = events["items"].as_array().unwrap().iter().find(|e| e["type"] == "pool.merge_received").unwrap();
    assert_eq!(received["data"]["from_pool_id"], moved);

    // A funded pool never moves.
    let (_, ciney) = app.commune("Ciney").await;
    let funded = app.open_pool(&ciney, "Gestion des marchés publics", 500_000).await;
    app.pledge(&ciney, funded, 500_000).await;
    let refused = app.officer(funded, "merge", Some(&json!({"into_pool_id": kept}))).await;
    let problem = assert_problem(refused, StatusCode::CONFLICT).await;
    assert_eq!((problem["type"].as_str(), problem["state"].as_str()), (Some("/problems/wrong-state"), Some("funded")));
    assert_eq!(app.pool(funded).await["state"], "funded");
}

#[tokio::test]
async fn participants_are_emailed_at_award_and_at_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let (_, namur) = app.commune("Namur").await;
    let pool = app.delivered_pool(&namur, "Gestion des salles communales", 800_000).await;
    // funded (member and officer), approved, awarded, delivered.
    let mails = sink.wait_for(5, Duration::from_secs(20)).await;
    let awarded = mails.iter().find(|m| m.event == "pool.awarded").expect("pool.awarded");
    assert_eq!(awarded.to, "namur@example.be");
    assert!(
        awarded.text.contains("Coopérative du Libre") && awarded.text.contains("8\u{202f}000,00"),
        "{}",
        awarded.text
    );
    let delivered = mails.iter().find(|m| m.event == "pool.delivered").expect("pool.delivered");
    assert!(delivered.text.contains("https://git.example.be/logiciel") && delivered.text.contains("EUPL-1.2"));
    assert!(delivered.text.contains(&format!("/pools/{pool}")));
}
