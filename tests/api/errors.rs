use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&app.officer_token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_problem(response, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn unknown_field_is_422_naming_it() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/v1/organisations",
            &app.officer_token,
            &json!({"name": "Ciney", "kind": "commune", "locale": "fr", "is_admin": true}),
        )
        .await;
    let body = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["errors"][0]["field"], "is_admin");
}

#[tokio::test]
async fn oversized_body_is_413() {
    let app = spawn_app().await;
    let huge = "x".repeat(200 * 1024);
    let response = app
        .post("/api/v1/organisations", &app.officer_token, &json!({"name": huge, "kind": "commune", "locale": "fr"}))
        .await;
    assert_problem(response, StatusCode::PAYLOAD_TOO_LARGE).await;
}

#[tokio::test]
async fn invalid_values_are_422_with_every_field() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/v1/organisations",
            &app.officer_token,
            &json!({"name": " ", "kind": "commune", "locale": "fr", "nis_code": "12", "contact_email": "nope"}),
        )
        .await;
    let body = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "nis_code", "contact_email"]);
    let bad_enum = app
        .post("/api/v1/organisations", &app.officer_token, &json!({"name": "Ciney", "kind": "kingdom", "locale": "fr"}))
        .await;
    assert_problem(bad_enum, StatusCode::UNPROCESSABLE_ENTITY).await;
}

#[tokio::test]
async fn unknown_paths_and_ids_are_404_and_wrong_methods_405() {
    let app = spawn_app().await;
    assert_problem(app.get("/api/v1/nothing-here", &app.officer_token).await, StatusCode::NOT_FOUND).await;
    assert_problem(app.get("/api/v1/organisations/999999", &app.officer_token).await, StatusCode::NOT_FOUND).await;
    assert_problem(app.get("/api/v1/organisations/abc", &app.officer_token).await, StatusCode::NOT_FOUND).await;
    let delete = app.request(reqwest::Method::DELETE, "/api/v1/organisations", Some(&app.officer_token), None).await;
    assert_eq!(delete.headers().get("allow").unwrap(), "GET, POST");
    assert_problem(delete, StatusCode::METHOD_NOT_ALLOWED).await;
}
