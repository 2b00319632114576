//! The role `manager` (SPEC §14): a member who also manages its own organisation's users
//! (disables, re-enables, gives the role member or manager, never officer), and nothing
//! beyond: every attempt at another organisation is refused.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, assert_problem, spawn_app};

const NOT_OFFICER_ROLE: &str = "a manager gives the roles member and manager only; officers name officers";

async fn patch_user(app: &TestApp, token: &str, user: i64, body: Value) -> reqwest::Response {
    app.request(Method::PATCH, &format!("/api/v1/users/{user}"), Some(token), Some(&body)).await
}

async fn user_id(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/me", token).await.json::<Value>().await.unwrap()["user"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_manager_manages_its_own_organisations_users() {
    let app = spawn_app().await;
    let (namur, member) = app.commune("Namur").await;
    let member_id = user_id(&app, &member).await;
    let (manager_id, manager) = app.create_with_role(namur, "chef@namur.be", "manager").await;
    let me: Value = app.get("/api/v1/me", &manager).await.json().await.unwrap();
    assert_eq!(me["user"]["role"], "manager");

    // Still a member: it posts its organisation's needs.
    let posted = app.post_need(&manager, "Gestion du cimetière", "Registre des concessions.").await;
    assert_eq!(posted["need"]["organisation_id"], namur);

    // Disables a colleague, whose token stops working at once, and re-enables it.
    let disabled = patch_user(&app, &manager, member_id, json!({"disabled": true})).await;
    assert_eq!(disabled.status(), StatusCode::OK);
    assert_eq!(disabled.json::<Value>().await.unwrap()["disabled"], true);
    assert_eq!(app.get("/api/v1/me", &member).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("namur@example.be", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    let enabled = patch_user(&app, &manager, member_id, json!({"disabled": false})).await;
    assert_eq!(enabled.status(), StatusCode::OK);

    // Makes it a manager: its old token (which carried the role) ends; a new one manages.
    let member = app.token("namur@example.be", PASSWORD).await;
    let promoted = patch_user(&app, &manager, member_id, json!({"role": "manager"})).await;
    assert_eq!(promoted.status(), StatusCode::OK);
    assert_eq!(promoted.json::<Value>().await.unwrap()["role"], "manager");
    assert_eq!(app.get("/api/v1/me", &member).await.status(), StatusCode::UNAUTHORIZED);
    let second = app.token("namur@example.be", PASSWORD).await;
    let demoted = patch_user(&app, &second, manager_id, json!({"role": "member"})).await;
    assert_eq!(demoted.status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/me", &manager).await.status(), StatusCode::UNAUTHORIZED, "the role ended its tokens");

    // Never officer, never itself.
    let officer = patch_user(&app, &second, manager_id, json!({"role": "officer"})).await;
    assert_eq!(assert_problem(officer, StatusCode::FORBIDDEN).await["detail"], NOT_OFFICER_ROLE);
    let itself = patch_user(&app, &second, member_id, json!({"disabled": true})).await;
    assert_eq!(assert_problem(itself, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"], "disabled");
    let own_role = patch_user(&app, &second, member_id, json!({"role": "member"})).await;
    assert_eq!(assert_problem(own_role, StatusCode::UNPROCESSABLE_ENTITY).await["errors"][0]["field"], "role");
}

#[tokio::test]
async fn a_manager_is_refused_everything_outside_its_organisation() {
    let app = spawn_app().await;
    let (namur, _) = app.commune("Namur").await;
    let (ciney, ciney_member) = app.commune("Ciney").await;
    let ciney_member_id = user_id(&app, &ciney_member).await;
    let officer_id = user_id(&app, &app.officer_token).await;
    let (_, manager) = app.create_with_role(namur, "chef@namur.be", "manager").await;
    let before: Value =
        app.get(&format!("/api/v1/organisations/{ciney}/users"), &app.officer_token).await.json().await.unwrap();

    // Read.
    assert_problem(app.get(&format!("/api/v1/organisations/{ciney}"), &manager).await, StatusCode::NOT_FOUND).await;
    assert_problem(app.get(&format!("/api/v1/organisations/{ciney}/users"), &manager).await, StatusCode::NOT_FOUND)
        .await;
    // Disable, enable, role: another organisation's user, or an officer.
    for target in [ciney_member_id, officer_id] {
        for body in [
            json!({"disabled": true}),
            json!({"disabled": false}),
            json!({"role": "manager"}),
            json!({"role": "member"}),
        ] {
            let refused = patch_user(&app, &manager, target, body.clone()).await;
            assert_problem(refused, StatusCode::NOT_FOUND).await;
        }
    }
    // Create a user there.
    let invite = json!({"email": "intrus@ciney.be", "name": "Intrus", "role": "member"});
    let refused = app.post(&format!("/api/v1/organisations/{ciney}/users"), &manager, &invite).await;
    assert!([StatusCode::NOT_FOUND, StatusCode::UNPROCESSABLE_ENTITY].contains(&refused.status()));
    // Officer-only: organisations themselves.
    let rename = json!({"name": "Namur", "kind": "commune", "locale": "fr"});
    assert_problem(app.put(&format!("/api/v1/organisations/{namur}"), &manager, &rename).await, StatusCode::FORBIDDEN)
        .await;
    let create = json!({"name": "Gembloux", "kind": "commune", "locale": "fr"});
    assert_problem(app.post("/api/v1/organisations", &manager, &create).await, StatusCode::FORBIDDEN).await;
    // A password is an officer's to choose, for a machine client, even in its own organisation.
    let with_password = json!({"email": "robot@namur.be", "name": "Robot", "role": "member", "password": PASSWORD});
    let refused = app.post(&format!("/api/v1/organisations/{namur}/users"), &manager, &with_password).await;
    assert_problem(refused, StatusCode::FORBIDDEN).await;

    let after: Value =
        app.get(&format!("/api/v1/organisations/{ciney}/users"), &app.officer_token).await.json().await.unwrap();
    assert_eq!(before, after, "nothing changed in Ciney");
    assert_eq!(app.get("/api/v1/me", &ciney_member).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_plain_member_manages_nobody() {
    let app = spawn_app().await;
    let (_, member) = app.commune("Namur").await;
    let colleague = app.create_member(
        app.get("/api/v1/me", &member).await.json::<Value>().await.unwrap()["organisation"]["id"].as_i64().unwrap(),
        "collegue@namur.be",
    );
    let colleague = colleague.await;
    let colleague_id = user_id(&app, &colleague).await;
    let refused = patch_user(&app, &member, colleague_id, json!({"disabled": true})).await;
    let problem = assert_problem(refused, StatusCode::FORBIDDEN).await;
    assert_eq!(problem["detail"], "only officers and the managers of an organisation may manage its users");
}
