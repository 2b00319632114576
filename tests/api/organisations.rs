use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_problem, spawn_app};

#[tokio::test]
async fn officer_creates_lists_and_reads_organisations() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/v1/organisations",
            &app.officer_token,
            &json!({"name": "Gemeinde Eupen", "kind": "commune", "locale": "de", "nis_code": "63023", "population": 19900, "contact_email": "IT@eupen.be"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["locale"], "de");
    assert_eq!(created["contact_email"], "it@eupen.be");
    let id = created["id"].as_i64().unwrap();
    let one: Value = app.get(&format!("/api/v1/organisations/{id}"), &app.officer_token).await.json().await.unwrap();
    assert_eq!(one, created);
    let list: Value = app.get("/api/v1/organisations?limit=10", &app.officer_token).await.json().await.unwrap();
    assert_eq!(list["total"], 2, "the central purchasing office and Eupen");
    let duplicate = app
        .post(
            "/api/v1/organisations",
            &app.officer_token,
            &json!({"name": "GEMEINDE EUPEN", "kind": "commune", "locale": "de"}),
        )
        .await;
    assert_problem(duplicate, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn a_member_sees_only_its_own_organisation_and_users() {
    let app = spawn_app().await;
    let (ciney, ciney_member) = app.commune("Ciney").await;
    let (dinant, _) = app.commune("Dinant").await;
    let list: Value = app.get("/api/v1/organisations", &ciney_member).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], ciney);
    assert_eq!(app.get(&format!("/api/v1/organisations/{ciney}"), &ciney_member).await.status(), StatusCode::OK);
    assert_problem(app.get(&format!("/api/v1/organisations/{dinant}"), &ciney_member).await, StatusCode::NOT_FOUND)
        .await;
    let own_users: Value =
        app.get(&format!("/api/v1/organisations/{ciney}/users"), &ciney_member).await.json().await.unwrap();
    assert_eq!(own_users.as_array().unwrap().len(), 1);
    assert!(own_users[0].get("password_hash").is_none());
    let other = app.get(&format!("/api/v1/organisations/{dinant}/users"), &ciney_member).await;
    assert_problem(other, StatusCode::NOT_FOUND).await;
    let officer_view: Value =
        app.get(&format!("/api/v1/organisations/{dinant}/users"), &app.officer_token).await.json().await.unwrap();
    assert_eq!(officer_view.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn users_are_created_with_checked_fields() {
    let app = spawn_app().await;
    let org = app.create_organisation("Andenne", "fr").await;
    let path = format!("/api/v1/organisations/{org}/users");
    let weak = app
        .post(
            &path,
            &app.officer_token,
            &json!({"email": "a@andenne.be", "name": "A", "password": "short", "role": "member"}),
        )
        .await;
    let body = assert_problem(weak, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["errors"][0]["field"], "password");
    let officer_in_commune = app
        .post(
            &path,
            &app.officer_token,
            &json!({"email": "a@andenne.be", "name": "A", "password": PASSWORD, "role": "officer"}),
        )
        .await;
    assert_problem(officer_in_commune, StatusCode::UNPROCESSABLE_ENTITY).await;
    app.create_member(org, "a@andenne.be").await;
    let again = app
        .post(
            &path,
            &app.officer_token,
            &json!({"email": "A@Andenne.be", "name": "A", "password": PASSWORD, "role": "member"}),
        )
        .await;
    assert_problem(again, StatusCode::CONFLICT).await;
    let unknown_org = app
        .post(
            "/api/v1/organisations/424242/users",
            &app.officer_token,
            &json!({"email": "b@andenne.be", "name": "B", "password": PASSWORD, "role": "member"}),
        )
        .await;
    assert_problem(unknown_org, StatusCode::NOT_FOUND).await;
}
