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

#[tokio::test]
async fn the_enterprise_number_is_checked_normalised_and_unique() {
    let app = spawn_app().await;
    let create = |name: &str, bce: &str| json!({"name": name, "kind": "commune", "locale": "fr", "bce": bce});
    for written in ["0207.446.772", "BE 0207446772", "BE0207.446.772", "be 0207 446 772"] {
        let response = app.post("/api/v1/organisations", &app.officer_token, &create("Namur", written)).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{written}");
        let created: Value = response.json().await.unwrap();
        assert_eq!(created["bce"], "0207446772", "{written}");
        let id = created["id"].as_i64().unwrap();
        let read: Value =
            app.get(&format!("/api/v1/organisations/{id}"), &app.officer_token).await.json().await.unwrap();
        assert_eq!(read["bce"], "0207446772");
        // Free the number and the name for the next way of writing it.
        let cleared = app
            .put(
                &format!("/api/v1/organisations/{id}"),
                &app.officer_token,
                &json!({"name": format!("Namur {written}"), "kind": "commune", "locale": "fr"}),
            )
            .await;
        assert_eq!(cleared.status(), StatusCode::OK);
        assert_eq!(cleared.json::<Value>().await.unwrap()["bce"], Value::Null);
    }
    for wrong in ["0207.446.773", "207446772", "BE 0207 446 7721", "FR0207446772", "0207/446/772"] {
        let refused = app.post("/api/v1/organisations", &app.officer_token, &create("Ciney", wrong)).await;
        let body = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            body["errors"],
            json!([{"field": "bce", "message": "must be a Belgian enterprise number (BCE/KBO) of ten digits, such as 0207.446.772"}]),
            "{wrong}"
        );
    }
    let first = app.post("/api/v1/organisations", &app.officer_token, &create("Andenne", "0207446772")).await;
    let andenne = first.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let taken = app.post("/api/v1/organisations", &app.officer_token, &create("Gembloux", "BE 0207.446.772")).await;
    let body = assert_problem(taken, StatusCode::CONFLICT).await;
    assert!(body["detail"].as_str().unwrap().contains("Andenne"), "names the organisation that has it: {body}");
    let (ciney, _) = app.commune("Ciney").await;
    let moved =
        app.put(&format!("/api/v1/organisations/{ciney}"), &app.officer_token, &create("Ciney", "0207446772")).await;
    assert_problem(moved, StatusCode::CONFLICT).await;
    let kept = app
        .put(&format!("/api/v1/organisations/{andenne}"), &app.officer_token, &create("Andenne", "0207.446.772"))
        .await;
    assert_eq!(kept.status(), StatusCode::OK, "its own number is no conflict");
    let (_, member) = app.commune("Dinant").await;
    let forbidden =
        app.put(&format!("/api/v1/organisations/{andenne}"), &member, &create("Andenne", "0207446772")).await;
    assert_problem(forbidden, StatusCode::FORBIDDEN).await;
}
