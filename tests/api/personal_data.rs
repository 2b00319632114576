//! Personal data refused at the door of the API (SPEC section 16): an email address, a
//! phone number or a national register number in a need's title or description, a pool's
//! edit or a council's decision reference is 422 naming the field; ordinary numbers pass.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, spawn_app};

const MESSAGE: &str = "personal data would be published with the pool: remove it";

/// The fields named by a 422 answer, each with the personal-data message.
async fn refused_fields(response: reqwest::Response) -> Vec<String> {
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    let errors = problem["errors"].as_array().unwrap();
    assert!(errors.iter().all(|e| e["message"] == MESSAGE), "{problem}");
    errors.iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect()
}

fn yesterday() -> String {
    (chrono::Utc::now() - chrono::Duration::days(1)).date_naive().to_string()
}

#[tokio::test]
async fn a_need_holding_personal_data_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    for personal in ["marie.dupont@gembloux.be", "0471 23 45 67", "+32 471 23 45 67", "85.07.30-033.28"] {
        let description = format!("Registre des concessions. Contact : {personal}");
        let response =
            app.post("/api/v1/needs", &namur, &json!({"title": "Registre", "description": description})).await;
        assert_eq!(refused_fields(response).await, ["description"], "{personal}");
        let title = format!("Registre {personal}");
        let response = app.post("/api/v1/needs", &namur, &json!({"title": title, "description": ""})).await;
        assert_eq!(refused_fields(response).await, ["title"], "{personal}");
    }
    let needs: Value = app.get("/api/v1/needs", &app.officer_token).await.json().await.unwrap();
    assert_eq!(needs["total"], 0, "nothing was recorded");

    // A commune's ordinary numbers are not personal data.
    let ordinary = "Gestion du cimetière de Gembloux (5030, 26 000 habitants) : 45 000 € en 2026, \
        CPV 48000000-8, BCE 0207.446.772, facture n° 2026-0412 du 01/02/2026, art. L1222-3, \
        registre 85.07.30-033.29";
    let created = app.post_need(&namur, "Registre des concessions 2026", ordinary).await;
    assert_eq!(created["need"]["description"], ordinary);
}

#[tokio::test]
async fn a_council_decision_reference_or_a_pool_edit_holding_personal_data_is_refused() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let pool = app.open_pool(&namur, "Parapheur électronique", 10_000).await;
    app.pledge(&namur, pool, 3_000).await;
    let confirm = |reference: &str| {
        let body = json!({"decision_ref": reference, "decision_date": yesterday(), "decided_by": "college"});
        let (app, namur) = (&app, &namur);
        async move { app.post(&format!("/api/v1/pools/{pool}/pledge/confirm"), namur, &body).await }
    };
    assert_eq!(refused_fields(confirm("CC/2026/0412 marie.dupont@gembloux.be").await).await, ["decision_ref"]);
    let refusal = json!({"decision_ref": "CC/2026/0412 tél. 081 62 43 21", "decision_date": yesterday()});
    let response = refuse(&app, &namur, pool, &refusal).await;
    assert_eq!(refused_fields(response).await, ["decision_ref"]);
    assert_eq!(confirm("CC/2026/0412").await.status(), StatusCode::OK);

    let edit = json!({"description": "Écrire à marie.dupont@gembloux.be"});
    let response =
        app.request(Method::PATCH, &format!("/api/v1/pools/{pool}"), Some(&app.officer_token), Some(&edit)).await;
    assert_eq!(refused_fields(response).await, ["description"]);
    assert_ne!(app.pool(pool).await["description"], edit["description"]);
}

async fn refuse(app: &TestApp, token: &str, pool: i64, body: &Value) -> reqwest::Response {
    app.request(Method::DELETE, &format!("/api/v1/pools/{pool}/pledge"), Some(token), Some(body)).await
}
