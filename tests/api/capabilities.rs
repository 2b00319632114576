//! One role rule, two doors: each action reserved to officers or to members is refused to
//! the other role by the API and by the pages with the same service error (the
//! capability's refusal: a 403 problem naming the role in the API, the translated refusal
//! on the page), and nothing changes. Searches for similar pools spend one budget, whichever
//! door asks.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    helpers::{OFFICER_EMAIL, assert_problem, spawn_app, spawn_app_with, yesterday},
    web_client::{WebClient, member},
};

const NOT_OFFICER: &str = "only officers of the central purchasing office may do this";
const NOT_MEMBER: &str = "only members of a participating organisation may do this";
/// The pages' words for `key`, in the language the page is written in.
fn words(page: &crate::web_client::Page, key: &str) -> String {
    let lang = crate::web_client::between(&page.body, "<html lang=\"", "\"").to_owned();
    let path = format!("{}/templates/web/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all[key].as_str().unwrap().to_owned()
}

/// Who is refused an action.
#[derive(Clone, Copy, Debug)]
enum Refused {
    /// An officer-only action, tried by a member.
    Member,
    /// A member-only action, tried by an officer.
    Officer,
}

/// One action through both doors: the page (`GET` without fields, else a form post) and
/// the API.
struct Action {
    name: &'static str,
    refused: Refused,
    page: String,
    fields: Vec<(&'static str, String)>,
    api: (Method, String, Option<Value>),
}

fn actions(pool: i64, need: i64, other_pool: i64) -> Vec<Action> {
    let decision = || vec![("decision_ref", "CC/2026/0412".to_owned()), ("decision_date", yesterday())];
    let act = |name, refused, page: String, fields: Vec<(&'static str, String)>, api| Action {
        name,
        refused,
        page,
        fields,
        api,
    };
    let post = |path: String, body: Value| (Method::POST, path, Some(body));
    let reason = || vec![("reason", "Hors du budget de l'année".to_owned())];
    vec![
        act(
            "approve",
            Refused::Member,
            format!("/pools/{pool}/approve"),
            vec![],
            (Method::POST, format!("/api/v1/pools/{pool}/approve"), None),
        ),
        act(
            "reject",
            Refused::Member,
            format!("/pools/{pool}/reject"),
            reason(),
            post(format!("/api/v1/pools/{pool}/reject"), json!({"reason": "Hors du budget de l'année"})),
        ),
        act(
            "cancel",
            Refused::Member,
            format!("/pools/{pool}/cancel"),
            reason(),
            post(format!("/api/v1/pools/{pool}/cancel"), json!({"reason": "Hors du budget de l'année"})),
        ),
        act(
            "award",
            Refused::Member,
            format!("/pools/{pool}/award"),
            vec![("supplier", "Coopérative".to_owned()), ("amount", "1000".to_owned())],
            post(format!("/api/v1/pools/{pool}/award"), json!({"supplier": "Coopérative", "amount_cents": 100_000})),
        ),
        act(
            "deliver",
            Refused::Member,
            format!("/pools/{pool}/deliver"),
            vec![("repository_url", "https://git.example.be/x".to_owned()), ("licence", "EUPL-1.2".to_owned())],
            post(
                format!("/api/v1/pools/{pool}/deliver"),
                json!({"repository_url": "https://git.example.be/x", "licence": "EUPL-1.2"}),
            ),
        ),
        act(
            "merge",
            Refused::Member,
            format!("/pools/{pool}/merge"),
            vec![("into_pool_id", other_pool.to_string())],
            post(format!("/api/v1/pools/{pool}/merge"), json!({"into_pool_id": other_pool})),
        ),
        act(
            "maintenance",
            Refused::Member,
            format!("/pools/{pool}/maintenance"),
            vec![
                ("period_start", "2030-01-01".to_owned()),
                ("period_end", "2030-12-31".to_owned()),
                ("target", "1000".to_owned()),
            ],
            post(
                format!("/api/v1/pools/{pool}/maintenance"),
                json!({"period_start": "2030-01-01", "period_end": "2030-12-31", "target_cents": 100_000}),
            ),
        ),
        act(
            "duplicates review",
            Refused::Member,
            "/duplicates".to_owned(),
            vec![],
            (Method::GET, "/api/v1/duplicates".to_owned(), None),
        ),
        act(
            "duplicates dismiss",
            Refused::Member,
            "/duplicates/dismiss".to_owned(),
            vec![("pool_a", pool.to_string()), ("pool_b", other_pool.to_string())],
            post("/api/v1/duplicates/dismiss".to_owned(), json!({"pool_ids": [pool, other_pool]})),
        ),
        act(
            "outbox requeue",
            Refused::Member,
            "/outbox/1/requeue".to_owned(),
            vec![],
            (Method::POST, "/api/v1/outbox/1/requeue".to_owned(), None),
        ),
        act(
            "need form",
            Refused::Officer,
            "/needs/new".to_owned(),
            vec![],
            post("/api/v1/needs".to_owned(), json!({"title": "Registre des concessions", "description": ""})),
        ),
        act(
            "need post",
            Refused::Officer,
            "/needs/new".to_owned(),
            vec![("title", "Registre des concessions".to_owned()), ("description", String::new())],
            post("/api/v1/needs".to_owned(), json!({"title": "Registre des concessions", "description": ""})),
        ),
        act(
            "need move",
            Refused::Officer,
            format!("/needs/{need}/move"),
            vec![("pool_id", other_pool.to_string())],
            post(format!("/api/v1/needs/{need}/move"), json!({"pool_id": other_pool})),
        ),
        act(
            "need withdraw",
            Refused::Officer,
            format!("/needs/{need}/withdraw"),
            vec![],
            (Method::DELETE, format!("/api/v1/needs/{need}"), None),
        ),
        act(
            "pledge",
            Refused::Officer,
            format!("/pools/{pool}/pledge"),
            vec![("amount", "1000".to_owned())],
            (Method::PUT, format!("/api/v1/pools/{pool}/pledge"), Some(json!({"amount_cents": 100_000}))),
        ),
        act(
            "pledge withdraw",
            Refused::Officer,
            format!("/pools/{pool}/pledge/withdraw"),
            vec![],
            (Method::DELETE, format!("/api/v1/pools/{pool}/pledge"), None),
        ),
        act(
            "pledge refused by the council",
            Refused::Officer,
            format!("/pools/{pool}/pledge/withdraw"),
            decision(),
            (
                Method::DELETE,
                format!("/api/v1/pools/{pool}/pledge"),
                Some(json!({"decision_ref": "CC/2026/0412", "decision_date": yesterday()})),
            ),
        ),
        act(
            "pledge confirmed by the council",
            Refused::Officer,
            format!("/pools/{pool}/pledge/confirm"),
            [decision(), vec![("decided_by", "college".to_owned())]].concat(),
            post(
                format!("/api/v1/pools/{pool}/pledge/confirm"),
                json!({"decision_ref": "CC/2026/0412", "decision_date": yesterday(), "decided_by": "college"}),
            ),
        ),
    ]
}

#[tokio::test]
async fn the_page_and_the_api_refuse_the_other_role_with_the_same_error() {
    let app = spawn_app().await;
    let (_, namur_email, namur) = member(&app, "Namur", "fr").await;
    let pool = app.open_pool(&namur, "Registre des concessions du cimetière", 4_000_000).await;
    let other_pool = app.open_pool(&namur, "Réservation des salles communales", 1_000_000).await;
    assert_eq!(app.pledge(&namur, pool, 100_000).await.status(), StatusCode::OK);
    let need = app.get(&format!("/api/v1/needs?pool_id={pool}"), &namur).await.json::<Value>().await.unwrap()["items"]
        [0]["id"]
        .as_i64()
        .unwrap();
    let before = (app.pool(pool).await, app.pool(other_pool).await, app.event_types(pool).await);

    let as_member = WebClient::with_language(&app, "en");
    let member_home = as_member.sign_in(&namur_email).await;
    let as_officer = WebClient::with_language(&app, "en");
    let officer_home = as_officer.sign_in(OFFICER_EMAIL).await;

    for action in actions(pool, need, other_pool) {
        let (web, home, token, refusal) = match action.refused {
            Refused::Member => (&as_member, &member_home, namur.as_str(), NOT_OFFICER),
            Refused::Officer => (&as_officer, &officer_home, app.officer_token.as_str(), NOT_MEMBER),
        };
        let (method, path, body) = &action.api;
        let api = app.request(method.clone(), path, Some(token), body.as_ref()).await;
        let problem = assert_problem(api, StatusCode::FORBIDDEN).await;
        assert_eq!(problem["detail"], refusal, "API {}", action.name);

        let page = if action.page.ends_with("/new") && action.fields.is_empty() || action.page == "/duplicates" {
            web.get(&action.page).await
        } else {
            let csrf = home.csrf();
            let mut fields: Vec<(&str, &str)> = action.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            fields.push(("csrf_token", &csrf));
            web.post(&action.page, &fields).await
        };
        assert_eq!(page.status, StatusCode::FORBIDDEN, "page {}: {}", action.name, page.main_text());
        let refusal = words(&page, "error.forbidden");
        assert!(page.main_text().contains(&refusal), "page {}: {}", action.name, page.main_text());
    }
    let after = (app.pool(pool).await, app.pool(other_pool).await, app.event_types(pool).await);
    assert_eq!(before, after, "a refused action changed nothing");
}

#[tokio::test]
async fn searches_from_the_pages_spend_the_api_budget() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_SIMILAR_PER_MINUTE".into(), "3".into());
    })
    .await;
    let (_, namur_email, namur) = member(&app, "Namur", "fr").await;
    let web = WebClient::with_language(&app, "en");
    web.sign_in(&namur_email).await;
    let query = "title=Gestion%20du%20cimeti%C3%A8re&description=";
    // The need form's preview and the page's search are the same page.
    for _ in 0..2 {
        assert_eq!(web.get(&format!("/needs/similar?{query}")).await.status, StatusCode::OK);
    }
    assert_eq!(app.get(&format!("/api/v1/pools/similar?{query}"), &namur).await.status(), StatusCode::OK);
    // The budget of 3 is spent, by both doors together.
    let refused = app.get(&format!("/api/v1/pools/similar?{query}"), &namur).await;
    assert!(refused.headers().get("retry-after").is_some());
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS).await;
    let page = web.get(&format!("/needs/similar?{query}")).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let rate_limited = words(&page, "error.rate_limited");
    let before_seconds = rate_limited.split('{').next().unwrap();
    assert!(page.main_text().contains(before_seconds.trim()), "{}", page.body);
}
