//! Redaction (SPEC §16): an officer replaces a pool's text, and no public release, record
//! or page, nor any API answer, shows the old text from then on; ids unchanged, the
//! redaction published with its reason, the matcher no longer finds the old words.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{OFFICER_EMAIL, PASSWORD, TestApp, assert_problem, spawn_app},
    web_client::{WebClient, member},
};

/// Words of the old text that must be gone everywhere.
const OLD: [&str; 3] = ["Marie Dupont", "Lilas", "Dupont"];

/// Every release of the export, following `links.next`, as an anonymous harvester.
async fn harvest(app: &TestApp, path: &str) -> Vec<String> {
    let mut url = app.url(path);
    let mut bodies = Vec::new();
    for _ in 0..50 {
        let body = reqwest::get(&url).await.unwrap().text().await.unwrap();
        let page: Value = serde_json::from_str(&body).unwrap();
        let empty = page["releases"].as_array().or(page["records"].as_array()).is_none_or(Vec::is_empty);
        bodies.push(body);
        if empty {
            break;
        }
        url = page["links"]["next"].as_str().unwrap().replace("http://127.0.0.1:8080", &app.address);
    }
    bodies
}

/// Every answer a reader can get that may show the pool's text: open data (releases,
/// records, a linked release's page), the API's reads (as the officer and as a member),
/// and the pages (as anyone, a member and the officer).
async fn everything_public(app: &TestApp, pool: i64, need: i64, token: &str, web: &[&WebClient<'_>]) -> Vec<String> {
    let mut all = harvest(app, "/api/v1/ocds/releases?limit=3").await;
    all.extend(harvest(app, "/api/v1/ocds/records").await);
    all.extend(harvest(app, &format!("/api/v1/ocds/releases?limit=1&after={}", 0)).await);
    let api = [
        format!("/api/v1/pools/{pool}"),
        "/api/v1/pools".to_owned(),
        "/api/v1/pools?q=cimeti%C3%A8re".to_owned(),
        "/api/v1/pools?q=Dupont".to_owned(),
        format!("/api/v1/pools/{pool}/events?limit=200"),
        "/api/v1/needs".to_owned(),
        format!("/api/v1/needs/{need}"),
        "/api/v1/outbox?status=sent".to_owned(),
        "/api/v1/outbox?status=pending".to_owned(),
        "/api/v1/duplicates".to_owned(),
        "/api/v1/pools/similar?title=Marie%20Dupont%20rue%20des%20Lilas".to_owned(),
    ];
    for path in &api {
        for caller in [&app.officer_token, token] {
            all.push(app.get(path, caller).await.text().await.unwrap());
        }
    }
    let pages = [
        format!("/pools/{pool}"),
        "/pools".to_owned(),
        "/pools?q=cimeti%C3%A8re".to_owned(),
        "/catalogue".to_owned(),
        format!("/needs/{need}"),
        "/".to_owned(),
    ];
    for client in web {
        for path in &pages {
            all.push(client.get(path).await.body);
        }
    }
    all
}

fn showing_old_text(bodies: &[String]) -> usize {
    bodies.iter().filter(|b| OLD.iter().any(|old| b.contains(old))).count()
}

fn release_ids(bodies: &[String]) -> Vec<String> {
    let mut ids: Vec<String> = bodies
        .iter()
        .filter_map(|b| serde_json::from_str::<Value>(b).ok())
        .flat_map(|p| p["releases"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[tokio::test]
async fn after_a_redaction_no_public_release_record_page_or_answer_shows_the_old_text() {
    let app = spawn_app().await;
    let (_, email, gembloux) = member(&app, "Gembloux", "fr").await;
    // A name and an address typed into a need (nothing the door recognises as personal
    // data), then copied by an officer's edit of the title.
    let posted = app
        .post_need_with(
            &gembloux,
            &json!({"title": "Cimetière de Marie Dupont", "description": "Concessions du cimetière. Contact : Marie Dupont, rue des Lilas 4.", "estimated_cost_cents": 500_000}),
        )
        .await;
    let (pool, need) = (posted["pool"]["id"].as_i64().unwrap(), posted["need"]["id"].as_i64().unwrap());
    let edit = json!({"title": "Gestion du cimetière (Marie Dupont)"});
    assert_eq!(
        app.request(reqwest::Method::PATCH, &format!("/api/v1/pools/{pool}"), Some(&app.officer_token), Some(&edit))
            .await
            .status(),
        StatusCode::OK
    );
    let (_, ciney) = app.commune("Ciney").await;
    // Another authority's need, in its own words: suggested the pool (its title stored).
    app.post_need(&ciney, "Registre des concessions du cimetière", "Plan et concessions").await;
    assert_eq!(app.pledge(&gembloux, pool, 500_000).await.status(), StatusCode::OK);

    let anyone = WebClient::new(&app);
    let member_web = WebClient::new(&app);
    member_web.sign_in(&email).await;
    let officer_web = WebClient::new(&app);
    officer_web.sign_in_as(OFFICER_EMAIL, PASSWORD).await;
    let web = [&anyone, &member_web, &officer_web];
    // Before: the text is everywhere (and every cache holds it).
    let before = everything_public(&app, pool, need, &gembloux, &web).await;
    assert!(showing_old_text(&before) > 10, "the old text was published: the test can fail");
    let similar: Value = app
        .get("/api/v1/pools/similar?title=Marie%20Dupont%20rue%20des%20Lilas", &gembloux)
        .await
        .json()
        .await
        .unwrap();
    assert!(similar.as_array().unwrap().iter().any(|s| s["pool_id"] == pool), "the matcher knew the words: {similar}");

    // Refused: nothing to replace; personal data in the reason; a member.
    let redact = |body: Value, token: String| {
        let app = &app;
        async move { app.post(&format!("/api/v1/pools/{pool}/redact"), &token, &body).await }
    };
    let nothing = assert_problem(
        redact(json!({"reason": "Nom retiré"}), app.officer_token.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(nothing["errors"][0]["field"], "title");
    let leaky = json!({"title": "Gestion du cimetière", "reason": "À la demande de marie.dupont@gembloux.be"});
    let leaky = assert_problem(redact(leaky, app.officer_token.clone()).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(leaky["errors"][0]["field"], "reason");
    let by_member = redact(json!({"title": "Gestion du cimetière", "reason": "Nom retiré"}), gembloux.clone()).await;
    assert_eq!(by_member.status(), StatusCode::FORBIDDEN);

    let body = json!({
        "title": "Gestion du cimetière",
        "description": "Concessions du cimetière.",
        "reason": "Nom et adresse d'une personne retirés à sa demande (RGPD, art. 17)",
    });
    let done = redact(body, app.officer_token.clone()).await;
    assert_eq!(done.status(), StatusCode::OK);
    let answer: Value = done.json().await.unwrap();
    assert_eq!(answer["title"], "Gestion du cimetière");

    let after = everything_public(&app, pool, need, &gembloux, &web).await;
    let leaks: Vec<&String> = after.iter().filter(|b| OLD.iter().any(|old| b.contains(old))).collect();
    assert!(leaks.is_empty(), "{} answers still show the old text, the first: {}", leaks.len(), leaks[0]);
    // A search for the old words (the page echoes them) finds the pool no more.
    let search = member_web.get("/pools?q=Dupont").await.body;
    assert!(!search.contains(&format!(r#"href="/pools/{pool}""#)), "the pool is not found by the old words");
    // Releases keep their ids; the redaction is one more, an amendment with its reason.
    let (ids_before, ids_after) = (release_ids(&before), release_ids(&after));
    assert!(ids_before.iter().all(|id| ids_after.contains(id)), "ids unchanged");
    assert_eq!(ids_after.len(), ids_before.len() + 1);
    let records: Value = reqwest::get(app.url("/api/v1/ocds/records")).await.unwrap().json().await.unwrap();
    crate::ocds_tools::Schemas::load().assert_valid(&records);
    let record =
        records["records"].as_array().unwrap().iter().find(|r| r["ocid"] == format!("ocds-mutua0-{pool}")).unwrap();
    let amendment = &record["compiledRelease"]["tender"]["amendments"][0];
    assert_eq!(amendment["rationale"], "Nom et adresse d'une personne retirés à sa demande (RGPD, art. 17)");
    assert_eq!(record["compiledRelease"]["tender"]["title"], "Gestion du cimetière");
    // Who, when and why, never the old text.
    let events: Value =
        app.get(&format!("/api/v1/pools/{pool}/events?limit=200"), &app.officer_token).await.json().await.unwrap();
    let redacted = events["items"].as_array().unwrap().iter().find(|e| e["type"] == "pool.redacted").unwrap();
    assert!(redacted["actor_user_id"].is_i64() && redacted["at"].is_string(), "{redacted}");
    assert_eq!(redacted["data"]["fields"], json!(["title", "description"]));
}

#[tokio::test]
async fn the_officer_redacts_from_the_pool_page_after_confirming_in_the_page_language() {
    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let pool = app.open_pool(&namur, "Cimetière de Marie Dupont", 500_000).await;
    let officer = WebClient::new(&app);
    officer.sign_in_as(OFFICER_EMAIL, PASSWORD).await;
    officer.get("/lang/nl?next=/").await;
    let page = officer.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(&format!(r#"action="/pools/{pool}/redact""#)), "the form is on the officer's page");
    let fields = [("title", "Gestion du cimetière"), ("description", ""), ("reason", "Naam verwijderd op verzoek")];
    let unconfirmed =
        officer.post(&format!("/pools/{pool}/redact"), &[&fields[..], &[("csrf_token", &page.csrf())]].concat()).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed.body.contains("Vink het vakje aan om de vervanging te bevestigen"),
        "asked to confirm, in Dutch"
    );
    assert!(unconfirmed.body.contains(r#"value="Gestion du cimetière""#), "what was typed is kept");
    assert_eq!(app.pool(pool).await["title"], "Cimetière de Marie Dupont", "nothing replaced without confirmation");
    let done =
        officer.submit(&page, &format!("/pools/{pool}/redact"), &[&fields[..], &[("confirm", "yes")]].concat()).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(!done.body.contains("Marie Dupont") && done.body.contains("Gestion du cimetière"));
    assert!(done.body.contains("Naam verwijderd op verzoek"), "the history says why");
}
