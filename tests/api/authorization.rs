//! Every route of the OpenAPI document, called with no token, as a member of another
//! organisation, as a member of the owning organisation, as an officer, and as the managers
//! of both organisations.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Expected statuses: (no token, other organisation's member, owner's member, officer).
type Expected = [u16; 4];

/// The route that ends the caller's tokens, called after every other route.
const SIGNS_OUT: &str = "/api/v1/me/sign-out-everywhere";

fn expected(method: &str, path: &str) -> Option<Expected> {
    Some(match (method, path) {
        ("GET", "/health" | "/ready" | "/metrics") => [200, 200, 200, 200],
        ("POST", "/api/v1/auth/login") => [422, 422, 422, 422],
        // Answered alike for everyone (SPEC §14): the body names no address here.
        ("POST", "/api/v1/auth/password-reset") => [422, 422, 422, 422],
        ("GET", "/api/v1/me") => [401, 200, 200, 200],
        // Sets the caller's own language back to its organisation's (it was already).
        ("PATCH", "/api/v1/me") => [401, 200, 200, 200],
        ("POST", "/api/v1/me/password") => [401, 422, 422, 422],
        // Ends the caller's tokens: called last (see `SIGNS_OUT`).
        ("POST", SIGNS_OUT) => [401, 204, 204, 204],
        // Re-enables the owner's member (who is enabled): changes nothing, reaches the user.
        ("PATCH", "/api/v1/users/{id}") => [401, 403, 403, 200],
        ("PUT", "/api/v1/organisations/{id}") => [401, 403, 403, 422],
        // The fixture user chose its password: only an invited user is invited again.
        ("POST", "/api/v1/users/{id}/invite") => [401, 403, 403, 409],
        ("POST", "/api/v1/organisations") => [401, 403, 403, 422],
        ("GET", "/api/v1/organisations") => [401, 200, 200, 200],
        ("GET", "/api/v1/organisations/{id}") => [401, 404, 200, 200],
        ("GET", "/api/v1/organisations/{id}/users") => [401, 404, 200, 200],
        ("POST", "/api/v1/organisations/{id}/users") => [401, 403, 403, 422],
        ("POST", "/api/v1/needs") => [401, 422, 422, 403],
        ("GET", "/api/v1/needs") => [401, 200, 200, 200],
        ("GET", "/api/v1/needs/{id}") => [401, 404, 200, 200],
        ("DELETE", "/api/v1/needs/{id}") => [401, 404, 200, 403],
        ("POST", "/api/v1/needs/{id}/move") => [401, 422, 422, 403],
        ("GET", "/api/v1/pools") => [401, 200, 200, 200],
        ("GET", "/api/v1/pools/similar") => [401, 422, 422, 422],
        ("GET", "/api/v1/pools/{id}") => [401, 200, 200, 200],
        ("PATCH", "/api/v1/pools/{id}") => [401, 403, 403, 200],
        ("PUT", "/api/v1/pools/{id}/pledge") => [401, 422, 422, 403],
        ("DELETE", "/api/v1/pools/{id}/pledge") => [401, 404, 404, 403],
        ("POST", "/api/v1/pools/{id}/pledge/confirm") => [401, 422, 422, 403],
        ("POST", "/api/v1/pools/{id}/pledges/{organisation_id}/drop") => [401, 403, 403, 422],
        ("GET", "/api/v1/pools/{id}/events") => [401, 200, 200, 200],
        ("POST", "/api/v1/pools/{id}/approve") => [401, 403, 403, 409],
        ("POST", "/api/v1/pools/{id}/reject" | "/api/v1/pools/{id}/cancel" | "/api/v1/pools/{id}/award")
        | ("POST", "/api/v1/pools/{id}/deliver" | "/api/v1/pools/{id}/merge" | "/api/v1/pools/{id}/maintenance")
        | ("POST", "/api/v1/pools/{id}/redact") => [401, 403, 403, 422],
        ("GET", "/api/v1/duplicates") => [401, 403, 403, 200],
        ("POST", "/api/v1/duplicates/dismiss") => [401, 403, 403, 422],
        ("GET", "/api/v1/outbox") => [401, 403, 403, 200],
        ("POST", "/api/v1/outbox/{id}/requeue") => [401, 403, 403, 404],
        // Public: open data (SPEC section 12).
        ("GET", "/api/v1/ocds/releases" | "/api/v1/ocds/records") => [200, 200, 200, 200],
        _ => return None,
    })
}

/// What the managers get, of the other organisation and of the owner's: what a member of
/// theirs gets, except where managing users (SPEC §14): the owner's manager reaches the
/// owner's users, the other's does not (404).
fn managers(method: &str, path: &str, [_, other, owner, _]: Expected) -> [u16; 2] {
    match (method, path) {
        ("PATCH", "/api/v1/users/{id}") => [404, 200],
        ("POST", "/api/v1/users/{id}/invite") => [404, 409],
        // The owner's member withdrew that need just before: a manager reaches it, too late.
        ("DELETE", "/api/v1/needs/{id}") => [404, 409],
        // The body is read before the organisation: an empty one is 422 to both.
        ("POST", "/api/v1/organisations/{id}/users") => [422, 422],
        _ => [other, owner],
    }
}

struct Fixture {
    organisation: i64,
    user: i64,
    need: i64,
    withdrawable_need: i64,
    pool: i64,
}

fn concrete(path: &str, f: &Fixture, method: &str) -> String {
    let id = if path.starts_with("/api/v1/organisations/") {
        f.organisation
    } else if path.starts_with("/api/v1/users/") {
        f.user
    } else if path == "/api/v1/needs/{id}" && method == "DELETE" {
        f.withdrawable_need
    } else if path.starts_with("/api/v1/needs/") {
        f.need
    } else if path.starts_with("/api/v1/outbox/") {
        999_999
    } else {
        f.pool
    };
    path.replace("{id}", &id.to_string()).replace("{organisation_id}", &f.organisation.to_string())
}

#[tokio::test]
async fn every_route_answers_each_identity_as_expected() {
    let app = spawn_app().await;
    let (organisation, owner) = app.commune("Namur").await;
    let (ciney, other) = app.commune("Ciney").await;
    let (_, owner_manager) = app.create_with_role(organisation, "chef@namur.be", "manager").await;
    let (_, other_manager) = app.create_with_role(ciney, "chef@ciney.be", "manager").await;
    let me: Value = app.get("/api/v1/me", &owner).await.json().await.unwrap();
    let posted = app.post_need(&owner, "Gestion du cimetière", "Registre des concessions.").await;
    let withdrawable = app.post_need(&owner, "Réservation des salles de sport", "Calendrier en ligne.").await;
    let fixture = Fixture {
        organisation,
        user: me["user"]["id"].as_i64().unwrap(),
        need: posted["need"]["id"].as_i64().unwrap(),
        withdrawable_need: withdrawable["need"]["id"].as_i64().unwrap(),
        pool: posted["pool"]["id"].as_i64().unwrap(),
    };
    // A colleague of the owner and a second officer, both disabled after logging in: their
    // tokens are still signed and unexpired, but must open nothing.
    let colleague = app.create_member(organisation, "colleague@namur.be").await;
    let officer2 = second_officer(&app).await;
    for token in [&colleague, &officer2] {
        let me: Value = app.get("/api/v1/me", token).await.json().await.unwrap();
        let path = format!("/api/v1/users/{}", me["user"]["id"]);
        let disabled =
            app.request(Method::PATCH, &path, Some(&app.officer_token), Some(&json!({"disabled": true}))).await;
        assert_eq!(disabled.status(), StatusCode::OK);
    }
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let identities: [Option<&str>; 8] = [
        None,
        Some(&other),
        Some(&owner),
        Some(&app.officer_token),
        Some(&colleague),
        Some(&officer2),
        Some(&other_manager),
        Some(&owner_manager),
    ];
    let mut checked = 0;
    let mut wrong = Vec::new();
    let mut routes: Vec<(&String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, operations)| operations.as_object().unwrap().keys().map(move |m| (path, m.to_uppercase())))
        .collect();
    routes.sort_by_key(|(path, _)| *path == SIGNS_OUT);
    for (path, method) in routes {
        let Some(expected) = expected(&method, path).map(|e| with_managers(&method, path, e)) else {
            wrong.push(format!("{method} {path}: no authorisation expectation in this table"));
            continue;
        };
        let url = concrete(path, &fixture, &method);
        for (who, token) in identities.iter().enumerate() {
            let body = (method != "GET" && method != "DELETE").then(|| body_of(&method, path));
            let status = call(&app, &method, &url, *token, body.as_ref()).await;
            checked += 1;
            if status.as_u16() != expected[who] {
                wrong.push(format!(
                    "{method} {url} as {}: {status}, expected {}",
                    [
                        "nobody",
                        "other",
                        "owner",
                        "officer",
                        "disabled member",
                        "disabled officer",
                        "other's manager",
                        "owner's manager"
                    ][who],
                    expected[who]
                ));
            }
        }
    }
    eprintln!("authorisation matrix: {checked} route × identity checks");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 8 * 30, "{checked}");
}

/// Adds what a disabled member (of the owner's organisation) and a disabled officer get: what
/// their enabled counterpart gets when the refusal comes before any database work (403 for
/// the role, 422 for a body the extractor refuses), what nobody gets on public routes, and
/// 401 everywhere else.
fn with_disabled([nobody, other, owner, officer]: Expected) -> [u16; 6] {
    let disabled = |enabled: u16| match enabled {
        403 | 422 => enabled,
        _ if nobody != 401 => nobody,
        _ => 401,
    };
    [nobody, other, owner, officer, disabled(owner), disabled(officer)]
}

/// An empty body, except where an empty one would be refused before the caller's reach is
/// known.
fn body_of(method: &str, path: &str) -> Value {
    match (method, path) {
        ("PATCH", "/api/v1/users/{id}") => json!({"disabled": false}),
        ("PATCH", "/api/v1/me") => json!({"locale": null}),
        _ => json!({}),
    }
}

fn with_managers(method: &str, path: &str, expected: Expected) -> [u16; 8] {
    let [a, b, c, d, e, f] = with_disabled(expected);
    let [other_manager, owner_manager] = managers(method, path, expected);
    [a, b, c, d, e, f, other_manager, owner_manager]
}

async fn second_officer(app: &TestApp) -> String {
    let me: Value = app.get("/api/v1/me", &app.officer_token).await.json().await.unwrap();
    let central = me["organisation"]["id"].as_i64().unwrap();
    let body = json!({"email": "second@centrale.be", "name": "Second", "password": crate::helpers::PASSWORD, "role": "officer"});
    let created = app.post(&format!("/api/v1/organisations/{central}/users"), &app.officer_token, &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    app.token("second@centrale.be", crate::helpers::PASSWORD).await
}

async fn call(app: &TestApp, method: &str, url: &str, token: Option<&str>, body: Option<&Value>) -> StatusCode {
    app.request(Method::from_bytes(method.as_bytes()).unwrap(), url, token, body).await.status()
}
