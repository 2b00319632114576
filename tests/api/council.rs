//! Pledges that hold in a council (SPEC section 10): provisional until a council's decision
//! confirms them, the approval gate, and a council's refusal reopening a funded pool.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app, yesterday};

/// The participant entry of `organisation` in a pool.
fn participant(pool: &Value, organisation: i64) -> Value {
    pool["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["organisation_id"] == organisation)
        .unwrap_or_else(|| panic!("{organisation} in {pool}"))
        .clone()
}

fn count(types: &[String], wanted: &str) -> usize {
    types.iter().filter(|t| *t == wanted).count()
}

async fn confirm_with(app: &TestApp, token: &str, pool: i64, body: &Value) -> reqwest::Response {
    app.post(&format!("/api/v1/pools/{pool}/pledge/confirm"), token, body).await
}

#[tokio::test]
async fn a_pledge_is_provisional_until_its_council_confirms_it_and_again_when_its_amount_changes() {
    let app = spawn_app().await;
    let (namur_id, namur) = app.commune("Namur").await;
    let (ciney_id, ciney) = app.commune("Ciney").await;
    let pool = app.open_pool(&namur, "Gestion des concessions du cimetière", 10_000).await;
    app.post_need(&ciney, "Gestion des concessions du cimetière", "").await;

    let pledged: Value = app.pledge(&namur, pool, 3_000).await.json().await.unwrap();
    let namur_entry = participant(&pledged, namur_id);
    assert_eq!(
        (namur_entry["pledge_status"].as_str(), &namur_entry["decision_ref"]),
        (Some("provisional"), &json!(null))
    );
    let ciney_entry = participant(&pledged, ciney_id);
    assert_eq!(
        (&ciney_entry["pledge_status"], &ciney_entry["decision_ref"]),
        (&json!(null), &json!(null)),
        "no pledge"
    );

    let decision = json!({"decision_ref": " CC/2026/0412 ", "decision_date": yesterday(), "decided_by": "conseil"});
    let confirmed = confirm_with(&app, &namur, pool, &decision).await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let entry = participant(&confirmed.json().await.unwrap(), namur_id);
    assert_eq!(
        (entry["pledge_status"].as_str(), entry["decision_ref"].as_str(), entry["decided_by"].as_str()),
        (Some("confirmed"), Some("CC/2026/0412"), Some("conseil"))
    );
    assert_eq!(entry["decision_date"], yesterday());
    assert_eq!(count(&app.event_types(pool).await, "pledge.confirmed"), 1);

    // The same amount again leaves the decision standing; another amount needs a new one.
    let same: Value = app.pledge(&namur, pool, 3_000).await.json().await.unwrap();
    assert_eq!(participant(&same, namur_id)["pledge_status"], "confirmed");
    let changed: Value = app.pledge(&namur, pool, 3_500).await.json().await.unwrap();
    let entry = participant(&changed, namur_id);
    assert_eq!((entry["pledge_status"].as_str(), &entry["decision_ref"]), (Some("provisional"), &json!(null)));
    let events: Value =
        app.get(&format!("/api/v1/pools/{pool}/events?limit=200"), &app.officer_token).await.json().await.unwrap();
    let last_set = events["items"].as_array().unwrap().iter().rev().find(|e| e["type"] == "pledge.set").unwrap();
    assert_eq!(last_set["data"]["previous_status"], "confirmed", "the audit trail says a decision was undone");

    // Ciney has a need but no pledge: nothing to confirm.
    assert_problem(app.confirm_pledge(&ciney, pool).await, StatusCode::NOT_FOUND).await;
    assert_problem(app.confirm_pledge(&app.officer_token, pool).await, StatusCode::FORBIDDEN).await;
    assert_problem(app.confirm_pledge(&namur, 999_999).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn a_confirmation_needs_a_visible_reference_a_past_date_and_a_known_body() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let pool = app.open_pool(&namur, "Parapheur électronique", 10_000).await;
    app.pledge(&namur, pool, 3_000).await;
    let in_two_days = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive().to_string();
    let valid = json!({"decision_ref": "CC/2026/0412", "decision_date": yesterday(), "decided_by": "college"});
    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        body[field] = value;
        body
    };
    for (body, field) in [
        (with("decision_ref", json!("")), "decision_ref"),
        (with("decision_ref", json!("   ")), "decision_ref"),
        (with("decision_ref", json!("x".repeat(201))), "decision_ref"),
        (with("decision_ref", json!("CC/2026\u{200B}/0412")), "decision_ref"),
        (with("decision_ref", json!("CC/2026/\u{202E}2140")), "decision_ref"),
        (with("decision_ref", json!("CC/2026\n0412")), "decision_ref"),
        (with("decision_date", json!(in_two_days)), "decision_date"),
        (with("decided_by", json!("bourgmestre")), "decided_by"),
        (with("decided_by", json!("College")), "decided_by"),
    ] {
        let problem =
            assert_problem(confirm_with(&app, &namur, pool, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    let problem = assert_problem(
        confirm_with(&app, &namur, pool, &json!({"decision_ref": "", "decision_date": in_two_days, "decided_by": "?"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 3, "every invalid field at once: {problem}");
    for missing in ["decision_ref", "decision_date", "decided_by"] {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(missing);
        assert_problem(confirm_with(&app, &namur, pool, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    assert_problem(
        confirm_with(&app, &namur, pool, &with("quorum", json!(12))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    for body in [
        valid.clone(),
        with("decided_by", json!("bureau_permanent")),
        with("decided_by", json!("zone_council")),
        with("decided_by", json!("other")),
    ] {
        assert_eq!(confirm_with(&app, &namur, pool, &body).await.status(), StatusCode::OK, "{body}");
    }
    let pool_now = app.pool(pool).await;
    assert_eq!(pool_now["participants"][0]["pledge_status"], "confirmed", "nothing invalid was recorded");
}

#[tokio::test]
async fn approval_waits_for_every_paying_pledge_to_be_confirmed() {
    let app = spawn_app().await;
    let (namur_id, namur) = app.commune("Namur").await;
    let (ciney_id, ciney) = app.commune("Ciney").await;
    let (andenne_id, andenne) = app.commune("Andenne").await;
    let (dinant_id, dinant) = app.commune("Dinant").await;
    let pool = app.open_pool(&namur, "Gestion des concessions du cimetière", 10_000).await;
    app.post_need(&andenne, "Gestion des concessions du cimetière", "").await;
    // One cent next to 20 000: its share of the 10 000 rounds to 0 (the cents left over go
    // to larger remainders), so its council's decision does not hold the approval. Ciney
    // comes late, to a funded pool (SPEC §15).
    assert_eq!(app.pledge(&dinant, pool, 1).await.status(), StatusCode::OK);
    assert_eq!(app.pledge(&namur, pool, 10_000).await.status(), StatusCode::OK);
    let funded: Value = app.pledge(&ciney, pool, 10_000).await.json().await.unwrap();
    assert_eq!(funded["state"], "funded");
    assert_eq!(participant(&funded, dinant_id)["share_cents"], 0);
    assert_eq!(participant(&funded, andenne_id)["pledge_status"], json!(null));

    let blocked = assert_problem(app.officer(pool, "approve", None).await, StatusCode::CONFLICT).await;
    assert_eq!(blocked["type"], "/problems/unconfirmed-pledges");
    assert_eq!((&blocked["organisations"], &blocked["duplicates"]), (&json!([namur_id, ciney_id]), &json!([])));
    assert_eq!(app.confirm_pledge(&namur, pool).await.status(), StatusCode::OK, "confirmed while funded");
    let blocked = assert_problem(app.officer(pool, "approve", None).await, StatusCode::CONFLICT).await;
    assert_eq!(blocked["organisations"], json!([ciney_id]));
    assert!(blocked["detail"].as_str().unwrap().contains(&ciney_id.to_string()), "{blocked}");
    assert_eq!(app.pool(pool).await["state"], "funded");

    assert_eq!(app.confirm_pledge(&ciney, pool).await.status(), StatusCode::OK);
    let approved = app.officer(pool, "approve", None).await;
    assert_eq!(approved.status(), StatusCode::OK);
    assert_eq!(approved.json::<Value>().await.unwrap()["state"], "approved");
    // Once approved, councils have decided: nothing more is recorded.
    let late = assert_problem(app.confirm_pledge(&dinant, pool).await, StatusCode::CONFLICT).await;
    assert_eq!(late["state"], "approved");
    // The gate is not a way around the lifecycle: an open pool is still a wrong state.
    let open = app.open_pool(&namur, "Parapheur électronique", 10_000).await;
    app.pledge(&namur, open, 1_000).await;
    let wrong = assert_problem(app.officer(open, "approve", None).await, StatusCode::CONFLICT).await;
    assert_eq!((wrong["type"].as_str(), wrong["state"].as_str()), (Some("/problems/wrong-state"), Some("open")));
    assert!(wrong.get("organisations").is_none());
}

#[tokio::test]
async fn a_council_refusal_reopens_a_funded_pool_and_the_next_crossing_funds_it_again() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (ciney_id, ciney) = app.commune("Ciney").await;
    let (_, andenne) = app.commune("Andenne").await;
    let pool = app.open_pool(&namur, "Réservation des salles communales", 1_000).await;
    app.pledge(&namur, pool, 600).await;
    let funded: Value = app.pledge(&ciney, pool, 400).await.json().await.unwrap();
    assert_eq!(funded["state"], "funded");
    assert!(funded["funded_at"].is_string());

    // After the correction hour (SPEC §15), a plain withdrawal from a funded pool is
    // refused, and so is a body that is not a refusal: it is never read as a plain
    // withdrawal.
    crate::pledge_rules::age_pledges(&app, pool, 61);
    let delete = |token: &str, body: Option<Value>| {
        let path = format!("/api/v1/pools/{pool}/pledge");
        let token = token.to_owned();
        let app = &app;
        async move { app.request(Method::DELETE, &path, Some(&token), body.as_ref()).await }
    };
    assert_problem(delete(&ciney, None).await, StatusCode::CONFLICT).await;
    let typo = json!({"decision_ref": "CC/2026/0418", "decision_date": yesterday(), "reason": "budget"});
    assert_problem(delete(&ciney, Some(typo)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let not_json = app
        .client
        .delete(app.url(&format!("/api/v1/pools/{pool}/pledge")))
        .bearer_auth(&ciney)
        .header("content-type", "text/plain")
        .body(r#"{"decision_ref": "CC/2026/0418"}"#)
        .send()
        .await
        .unwrap();
    assert_problem(not_json, StatusCode::BAD_REQUEST).await;
    let huge = json!({"decision_ref": "x".repeat(100_000), "decision_date": yesterday()});
    assert_problem(delete(&ciney, Some(huge)).await, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_problem(delete(&ciney, Some(json!(["not", "an", "object"]))).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let future = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive().to_string();
    let problem = assert_problem(
        delete(&ciney, Some(json!({"decision_ref": "CC/1", "decision_date": future}))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "decision_date");
    assert_problem(app.refuse_pledge(&andenne, pool).await, StatusCode::NOT_FOUND).await;
    assert_eq!(app.pool(pool).await["state"], "funded", "nothing happened yet");

    let refused = app.refuse_pledge(&ciney, pool).await;
    assert_eq!(refused.status(), StatusCode::OK);
    let reopened: Value = refused.json().await.unwrap();
    assert_eq!((reopened["state"].as_str(), reopened["pledged_cents"].as_i64()), (Some("open"), Some(600)));
    assert_eq!(reopened["funded_at"], json!(null), "not funded while open again");
    assert!(reopened["participants"].as_array().unwrap().iter().all(|p| p["organisation_id"] != ciney_id));
    let types = app.event_types(pool).await;
    assert_eq!((count(&types, "pool.funded"), count(&types, "pool.reopened")), (1, 1));
    let events: Value =
        app.get(&format!("/api/v1/pools/{pool}/events?limit=200"), &app.officer_token).await.json().await.unwrap();
    let refusal = events["items"].as_array().unwrap().iter().find(|e| e["type"] == "pledge.refused").unwrap();
    assert_eq!(
        (refusal["data"]["decision_ref"].as_str(), refusal["data"]["amount_cents"].as_i64()),
        (Some("CC/2026/0418"), Some(400))
    );
    let reopen = events["items"].as_array().unwrap().iter().find(|e| e["type"] == "pool.reopened").unwrap();
    assert_eq!((reopen["data"]["from"].as_str(), reopen["data"]["to"].as_str()), (Some("funded"), Some("open")));

    // Open again: pledges are taken, and the next crossing is a second funding.
    let half: Value = app.pledge(&andenne, pool, 200).await.json().await.unwrap();
    assert_eq!(half["state"], "open");
    let again: Value = app.pledge(&andenne, pool, 500).await.json().await.unwrap();
    assert_eq!(again["state"], "funded");
    assert!(again["funded_at"].as_str().unwrap() > funded["funded_at"].as_str().unwrap());
    let types = app.event_types(pool).await;
    assert_eq!((count(&types, "pool.funded"), count(&types, "pool.reopened")), (2, 1), "{types:?}");
    let transitions: Vec<&String> = types.iter().filter(|t| *t == "pool.funded" || *t == "pool.reopened").collect();
    assert_eq!(transitions, ["pool.funded", "pool.reopened", "pool.funded"]);

    // Funded again, it still takes a latecomer's pledge (SPEC §15), and no second funding;
    // once the latecomer's council refuses too, another refusal takes it below once more.
    let extra = app.commune("Dinant").await.1;
    assert_eq!(app.pledge(&extra, pool, 100).await.json::<Value>().await.unwrap()["state"], "funded");
    assert_eq!(app.refuse_pledge(&extra, pool).await.json::<Value>().await.unwrap()["state"], "funded");
    assert_eq!(app.confirm_pledge(&namur, pool).await.status(), StatusCode::OK);
    let refused_again: Value = app.refuse_pledge(&andenne, pool).await.json().await.unwrap();
    assert_eq!(refused_again["state"], "open", "600 is below 1 000");
    let types = app.event_types(pool).await;
    assert_eq!((count(&types, "pool.funded"), count(&types, "pool.reopened")), (2, 2));
}

#[tokio::test]
async fn a_confirmed_pledge_cannot_be_refused_and_a_refusal_that_keeps_the_threshold_keeps_the_pool_funded() {
    let app = spawn_app().await;
    let (namur_id, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let (_, andenne) = app.commune("Andenne").await;
    let pool = app.open_pool(&namur, "Inventaire du patrimoine arboré", 1_000).await;
    app.pledge(&namur, pool, 900).await;
    app.pledge(&ciney, pool, 50).await;
    assert_eq!(app.pledge(&andenne, pool, 500).await.json::<Value>().await.unwrap()["state"], "funded");
    assert_eq!(app.confirm_pledge(&namur, pool).await.status(), StatusCode::OK);

    let conflict = assert_problem(app.refuse_pledge(&namur, pool).await, StatusCode::CONFLICT).await;
    assert_eq!(conflict["type"], "/problems/conflict");
    assert!(conflict["detail"].as_str().unwrap().contains("CC/2026/0412"), "{conflict}");
    let after = app.pool(pool).await;
    assert_eq!((after["state"].as_str(), after["pledged_cents"].as_i64()), (Some("funded"), Some(1_450)));
    assert_eq!(participant(&after, namur_id)["pledge_status"], "confirmed");

    // 1 450 − 50 = 1 400, still above the threshold: funded, no reopening.
    let still: Value = app.refuse_pledge(&ciney, pool).await.json().await.unwrap();
    assert_eq!((still["state"].as_str(), still["pledged_cents"].as_i64()), (Some("funded"), Some(1_400)));
    let types = app.event_types(pool).await;
    assert_eq!((count(&types, "pledge.refused"), count(&types, "pool.reopened")), (1, 0));
    // A refusal while open is recorded too; once approved, nothing is refused any more.
    assert_eq!(app.confirm_pledge(&andenne, pool).await.status(), StatusCode::OK);
    assert_eq!(app.officer(pool, "approve", None).await.status(), StatusCode::OK);
    let late = assert_problem(app.refuse_pledge(&andenne, pool).await, StatusCode::CONFLICT).await;
    assert_eq!(late["state"], "approved");
    let open = app.open_pool(&ciney, "Parapheur électronique", 1_000).await;
    app.pledge(&ciney, open, 300).await;
    let withdrawn: Value = app.refuse_pledge(&ciney, open).await.json().await.unwrap();
    assert_eq!((withdrawn["state"].as_str(), withdrawn["pledged_cents"].as_i64()), (Some("open"), Some(0)));
    assert_eq!(count(&app.event_types(open).await, "pledge.refused"), 1);
}
