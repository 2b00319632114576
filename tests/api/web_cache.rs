//! Pages answered from memory never outlive the writes that change them, and never show one
//! person what belongs to another: a pool's page read after a write in the same process
//! shows it; a session signed out, disabled or whose password changed ends on another
//! process within a second; a kept page carries each person's own name and form token.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{OFFICER_EMAIL, PASSWORD, TestApp, TestDb, spawn_app, test_vars},
    process::Server,
    web_client::{WebClient, member},
};

/// How long another process may serve what a write changed.
const WITHIN: Duration = Duration::from_secs(1);

/// Polls `check` until it holds, for at most `WITHIN`.
async fn within_a_second(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    loop {
        if check().await {
            return;
        }
        assert!(started.elapsed() < WITHIN, "{what}: still not seen after {WITHIN:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Reads a page a few times: the process keeps the session and the page.
async fn read(web: &WebClient<'_>, path: &str) {
    for _ in 0..3 {
        assert_eq!(web.get(path).await.status, StatusCode::OK);
    }
}

/// Whether the session no longer holds: the page sends the person to sign in.
async fn ended(web: &WebClient<'_>, path: &str) -> bool {
    web.get(path).await.status == StatusCode::SEE_OTHER
}

#[tokio::test]
async fn a_pool_page_read_after_a_write_in_the_same_process_shows_it() {
    let app = spawn_app().await;
    let (_, email, token) = member(&app, "Gesves", "fr").await;
    let pool = app.open_pool(&token, "Inventaire des ouvrages d'art", 1_000_000).await;
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let path = format!("/pools/{pool}");
    for (amount, shown) in [("100", "100,00"), ("250,50", "250,50"), ("1 000", "1 000,00")] {
        // Read (and keep) the page, change the pool through its form, read it again.
        for _ in 0..2 {
            assert_eq!(web.get(&path).await.status, StatusCode::OK);
        }
        let page = web.get(&path).await;
        let pledged = web.post(&format!("{path}/pledge"), &[("amount", amount), ("csrf_token", &page.csrf())]).await;
        assert_eq!(pledged.status, StatusCode::SEE_OTHER);
        let text = web.get(&path).await.main_text().replace(['\u{202F}', '\u{A0}'], " ");
        assert!(text.contains(&format!("Gesves s'est engagée pour {shown} €")), "{shown}: {text}");
    }
    // A change through the API, and an officer's decision, are seen at once as well.
    assert_eq!(app.pledge(&token, pool, 1_000_000).await.status(), StatusCode::OK);
    assert!(web.get(&path).await.body.contains("state-funded"), "funded through the API");
    app.officer(pool, "cancel", Some(&json!({"reason": "Le besoin est couvert ailleurs"}))).await;
    let text = web.get(&path).await.main_text();
    assert!(text.contains("Le besoin est couvert ailleurs") && !text.contains("S'engager"), "{text}");
}

#[tokio::test]
async fn a_kept_page_shows_each_person_their_own_name_organisation_and_form_token() {
    let app = spawn_app().await;
    let (namur, namur_email, namur_token) = member(&app, "Namur", "fr").await;
    let (_, ciney_email, ciney_token) = member(&app, "Ciney", "nl").await;
    let colleague = "marie.dupont@namur.be";
    let created = app
        .post(
            &format!("/api/v1/organisations/{namur}/users"),
            &app.officer_token,
            &json!({"email": colleague, "name": "Marie <Dupont> & fils", "password": PASSWORD, "role": "member"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let pool = app.open_pool(&namur_token, "Registre des concessions", 1_000_000).await;
    app.pledge(&namur_token, pool, 400_000).await;
    app.pledge(&ciney_token, pool, 100_000).await;
    let path = format!("/pools/{pool}");
    let (first, second, ciney) = (WebClient::new(&app), WebClient::new(&app), WebClient::new(&app));
    first.sign_in(&namur_email).await;
    second.sign_in(colleague).await;
    ciney.sign_in(&ciney_email).await;
    for _ in 0..2 {
        let (a, b, c) = (first.get(&path).await, second.get(&path).await, ciney.get(&path).await);
        // Each person's own token, and their own name, in the same kept page.
        assert_ne!(a.csrf(), b.csrf());
        assert!(a.body.contains("Test Member") && !a.body.contains("Marie"));
        assert!(b.body.contains("Marie &lt;Dupont&gt; &amp; fils") && !b.body.contains("Test Member"));
        // Each organisation's own pledge in its form, in its language.
        assert!(a.body.contains(r#"value="4 000,00""#) && b.body.contains(r#"value="4 000,00""#));
        assert!(c.body.contains(r#"<html lang="nl">"#) && c.body.contains(r#"value="1.000,00""#), "Ciney's own");
        // A form posted with the token of a kept page is accepted for its own person only.
        let by_b = second.post(&format!("{path}/pledge"), &[("amount", "4 100"), ("csrf_token", &a.csrf())]).await;
        assert_eq!(by_b.status, StatusCode::FORBIDDEN);
    }
    let office = WebClient::new(&app);
    office.sign_in(OFFICER_EMAIL).await;
    let officer_page = office.get(&path).await;
    assert!(!officer_page.body.contains(&format!(r#"action="{path}/pledge""#)), "an officer's page is its own");
    assert!(officer_page.body.contains(&format!(r#"action="{path}/cancel""#)));
    assert!(!first.get(&path).await.body.contains(&format!(r#"action="{path}/cancel""#)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_process_ends_a_signed_out_disabled_or_password_changed_web_session_within_a_second() {
    let (_db, url) = TestDb::create();
    let vars = test_vars(&url);
    let (a, b) = (Server::start(&vars), Server::start(&vars));
    let (a, b) = (TestApp::remote(a.address()).await, TestApp::remote(b.address()).await);
    let (organisation, email, token) = member(&a, "Ohey", "fr").await;
    let pool = a.open_pool(&token, "Gestion des salles communales", 500_000).await;
    let path = format!("/pools/{pool}");
    // A person signed in through A, reading the page on B: B keeps the session and the page.
    let on_a = WebClient::new(&a);
    let on_b = WebClient::new(&b);
    let share = |from: &WebClient| on_b.set_cookie("mutua_session", &from.cookie("mutua_session").unwrap());

    // A pledge made through A's page reaches B's page.
    let page = on_a.sign_in(&email).await;
    share(&on_a);
    read(&on_b, &path).await;
    let pledged = on_a.post(&format!("{path}/pledge"), &[("amount", "1 234"), ("csrf_token", &page.csrf())]).await;
    assert_eq!(pledged.status, StatusCode::SEE_OTHER);
    within_a_second("a pledge made on another process", async || {
        on_b.get(&path)
            .await
            .main_text()
            .replace(['\u{202F}', '\u{A0}'], " ")
            .contains("Ohey s'est engagée pour 1 234,00 €")
    })
    .await;

    // Signing out on A ends the session on B.
    on_a.submit(&page, "/logout", &[]).await;
    within_a_second("a sign-out on another process", async || ended(&on_b, &path).await).await;

    // A password changed through A.
    let page = on_a.sign_in(&email).await;
    share(&on_a);
    read(&on_b, &path).await;
    let changed = a
        .post(
            "/api/v1/me/password",
            &token,
            &json!({"current_password": PASSWORD, "new_password": "une toute nouvelle phrase"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    within_a_second("a password changed on another process", async || ended(&on_b, &path).await).await;
    assert_eq!(on_a.get("/").await.status, StatusCode::SEE_OTHER, "and on A at once");
    let _ = page;

    // A user disabled through A.
    let signed_in = on_a.sign_in_as(&email, "une toute nouvelle phrase").await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    share(&on_a);
    read(&on_b, &path).await;
    let users: serde_json::Value =
        a.get(&format!("/api/v1/organisations/{organisation}/users"), &a.officer_token).await.json().await.unwrap();
    let user = users[0]["id"].as_i64().unwrap();
    let disabled = a
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{user}"),
            Some(&a.officer_token),
            Some(&json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    within_a_second("a user disabled on another process", async || ended(&on_b, &path).await).await;
}

/// Issue 28: an officer's pool page is kept too (a change made behind the service's back
/// is not seen), and forgotten when another pool changes: a need posted into a new pool
/// that looks like this one puts it on the officer's page at once, as a duplicate to review.
#[tokio::test]
async fn an_officer_pool_page_is_kept_until_any_pool_changes() {
    use diesel::prelude::*;
    use mutua::db::schema::pools;

    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let (_, _, ciney) = member(&app, "Ciney", "fr").await;
    let rooms = app
        .post_need(&namur, "Réservation des salles communales", "Calendrier en ligne des salles.")
        .await["pool"]["id"]
        .as_i64()
        .unwrap();
    let office = WebClient::new(&app);
    office.sign_in(OFFICER_EMAIL).await;
    let path = format!("/pools/{rooms}");
    read(&office, &path).await;
    {
        let mut conn = app.state().db.raw_connection().unwrap();
        diesel::update(pools::table.find(rooms))
            .set(pools::title.eq("Titre changé en douce"))
            .execute(&mut *conn)
            .unwrap();
    }
    let text = office.get(&path).await.main_text();
    assert!(text.contains("Réservation des salles communales"), "served from memory: {text}");
    let halls = app
        .post_need(&ciney, "Planning d'occupation des salles de sport", "Réservation des créneaux par les clubs.")
        .await;
    assert_eq!(halls["merged"], false, "{halls}");
    let halls = halls["pool"]["id"].as_i64().unwrap();
    let text = office.get(&path).await.main_text();
    assert!(text.contains(&format!("Doublon probable du projet {halls} à examiner")), "{text}");
    assert!(text.contains("Titre changé en douce"), "read again: {text}");
}

/// Issue 28: a process forgets what its own writes changed once, at their commit. On SQLite
/// the change feed reads the event log for the other processes' writes: it leaves out the
/// events this process committed, which it would otherwise announce a fraction of a second
/// later, forgetting the pages read meanwhile (on PostgreSQL a notification names its feed).
#[tokio::test]
async fn a_process_hears_of_its_own_writes_once() {
    use std::sync::{Arc, Mutex};

    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let feed = app.state().db.change_feed();
    let started = Instant::now();
    while !feed.is_live() {
        assert!(started.elapsed() < Duration::from_secs(10), "the change feed never went live");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let heard = Arc::new(Mutex::new(Vec::new()));
    let told = heard.clone();
    feed.subscribe(move |changes| told.lock().unwrap().push(changes.clone()));
    let posted = app.post_need(&namur, "Registre des concessions", "Gestion des concessions du cimetière.").await;
    let pool = posted["pool"]["id"].as_i64().unwrap();
    // Five polls of the event log.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let heard = heard.lock().unwrap().clone();
    let of_pool = heard.iter().filter(|changes| changes.everything || changes.pools.contains(&pool)).count();
    assert_eq!(of_pool, 1, "the post's pool announced once, at its commit: {heard:?}");
}

/// SPEC §14: a person's own name and language, changed through one process, show on the
/// pages another process answers from memory within a second; "sign out everywhere" ends the
/// session there too.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_process_follows_a_changed_name_and_language_and_a_sign_out_everywhere() {
    let (_db, url) = TestDb::create();
    let vars = test_vars(&url);
    let (a, b) = (Server::start(&vars), Server::start(&vars));
    let (a, b) = (TestApp::remote(a.address()).await, TestApp::remote(b.address()).await);
    let (_, email, token) = member(&a, "Gesves", "fr").await;
    let pool = a.open_pool(&token, "Gestion des salles communales", 500_000).await;
    let path = format!("/pools/{pool}");
    let on_a = WebClient::new(&a);
    let on_b = WebClient::new(&b);
    let page = on_a.sign_in(&email).await;
    on_b.set_cookie("mutua_session", &on_a.cookie("mutua_session").unwrap());
    read(&on_b, &path).await;
    assert!(on_b.get(&path).await.body.starts_with("<!doctype html>\n<html lang=\"fr\""));

    let changed = a
        .request(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(&token),
            Some(&json!({"name": "Line Gesves", "locale": "nl"})),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    within_a_second("a name and a language changed on another process", async || {
        let seen = on_b.get(&path).await.body;
        seen.starts_with("<!doctype html>\n<html lang=\"nl\"") && seen.contains("Line Gesves")
    })
    .await;

    let answer = on_a.post("/account/sign-out-everywhere", &[("csrf_token", &page.csrf())]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    within_a_second("a sign-out everywhere on another process", async || ended(&on_b, &path).await).await;
}
