//! People's own accounts (SPEC §14): invitations and password resets through the real SMTP
//! server (aiosmtpd), the links read from the delivered emails and followed with the pages.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    helpers::{PASSWORD, TestApp, assert_problem, spawn_app_with},
    process::{Mail, SmtpSink},
    web_client::WebClient,
};

pub(crate) const PUBLIC: &str = "https://mutua.example.be";
const NEW_PASSWORD: &str = "une toute nouvelle phrase de passe";

pub(crate) async fn app_with_mail(
    sink: &SmtpSink,
    adjust: impl FnOnce(&mut std::collections::HashMap<String, String>),
) -> TestApp {
    let url = sink.url();
    spawn_app_with(move |vars| {
        vars.insert("MUTUA_SMTP_URL".into(), url);
        vars.insert("MUTUA_PUBLIC_URL".into(), PUBLIC.into());
        adjust(vars);
    })
    .await
}

/// The path of the single-use link of an email (`/invitations/…`, `/password/reset/…`),
/// checked to be the same in its text and HTML parts.
pub(crate) fn link_of(mail: &Mail, prefix: &str) -> String {
    let start = format!("{PUBLIC}{prefix}");
    let at = mail.text.find(&start).unwrap_or_else(|| panic!("no {start} link in\n{}", mail.text));
    let url: String = mail.text[at..].chars().take_while(|c| !c.is_whitespace()).collect();
    assert!(mail.html.contains(&url), "the HTML part carries the same link");
    let token = &url[start.len()..];
    assert_eq!(token.len(), 64, "a 256-bit token in hexadecimal: {url}");
    url[PUBLIC.len()..].to_owned()
}

async fn invite(app: &TestApp, organisation: i64, email: &str) -> Value {
    let created = app
        .post(
            &format!("/api/v1/organisations/{organisation}/users"),
            &app.officer_token,
            &json!({"email": email, "name": "Anne Invitée", "role": "member"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    created.json().await.unwrap()
}

/// The words of a text, one space between each (emails are wrapped).
pub(crate) fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Chooses a password on a link's page; returns the answer to the form.
async fn choose(web: &WebClient<'_>, path: &str, password: &str, confirm: &str) -> crate::web_client::Page {
    let form = web.get(path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let token = form.csrf();
    web.post(path, &[("password", password), ("password_confirm", confirm), ("csrf_token", &token)]).await
}

#[tokio::test]
async fn an_invited_user_chooses_its_password_from_the_emailed_link_and_is_signed_in() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let eupen = app.create_organisation("Gemeinde Eupen", "de").await;
    let user = invite(&app, eupen, "anne@eupen.be").await;
    assert_eq!((user["status"].as_str(), user["disabled"].as_bool()), (Some("invited"), Some(false)));

    // An invited user cannot log in, whatever it types.
    assert_problem(app.login("anne@eupen.be", PASSWORD).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.login("anne@eupen.be", "").await, StatusCode::UNAUTHORIZED).await;

    let mails = sink.wait_for(1, Duration::from_secs(20)).await;
    let mail = &mails[0];
    assert_eq!((mail.event.as_str(), mail.to.as_str()), ("user.invited", "anne@eupen.be"));
    assert!(words(&mail.text).contains("7 Tage gültig"), "in the organisation's language (German): {}", mail.text);
    let path = link_of(mail, "/invitations/");

    let web = WebClient::new(&app);
    let mismatch = choose(&web, &path, NEW_PASSWORD, "something else entirely").await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    let short = choose(&web, &path, "short", "short").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = choose(&web, &path, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let home = web.follow(answer).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Anne Invitée"), "signed in: {}", home.main_text());

    let token = app.token("anne@eupen.be", NEW_PASSWORD).await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(me["user"]["status"], "active");

    // The link was used: a page that says so, never the form again.
    let again = WebClient::new(&app).get(&path).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(!again.body.contains("csrf_token"), "no form on a dead link");
    assert_eq!(sink.messages().len(), 1, "one email");
}

#[tokio::test]
async fn a_new_invitation_kills_the_earlier_link_and_only_invited_users_are_reinvited() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let namur = app.create_organisation("Commune de Namur", "fr").await;
    let user = invite(&app, namur, "paul@namur.be").await;
    let id = user["id"].as_i64().unwrap();
    let first = link_of(&sink.wait_for(1, Duration::from_secs(20)).await[0], "/invitations/");

    let again = app.post(&format!("/api/v1/users/{id}/invite"), &app.officer_token, &json!({})).await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    let mails = sink.wait_for(2, Duration::from_secs(20)).await;
    assert!(mails.iter().all(|m| m.event == "user.invited" && words(&m.text).contains("valable 7 jours")));
    // The sink's directory lists the emails in no particular order: the new link is the one
    // that is not the first.
    let links: Vec<String> = mails.iter().map(|m| link_of(m, "/invitations/")).collect();
    let second = links.iter().find(|link| **link != first).expect("a new link in the second email").clone();
    assert_eq!(links.iter().filter(|link| **link == first).count(), 1, "{links:?}");

    let web = WebClient::new(&app);
    let replaced = web.get(&first).await;
    assert_eq!(replaced.status, StatusCode::GONE, "the replaced link is dead");
    assert!(replaced.main_text().contains("remplacé"), "{}", replaced.main_text());
    // Forged or unknown tokens: the same page.
    assert_eq!(web.get(&format!("/invitations/{}", "0".repeat(64))).await.status, StatusCode::GONE);
    assert_eq!(web.get("/invitations/not-a-token").await.status, StatusCode::GONE);
    assert_eq!(choose(&web, &second, NEW_PASSWORD, NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);

    // Active now: not invited again; a member may not invite.
    let active = app.post(&format!("/api/v1/users/{id}/invite"), &app.officer_token, &json!({})).await;
    assert_problem(active, StatusCode::CONFLICT).await;
    let member = app.token("paul@namur.be", NEW_PASSWORD).await;
    assert_problem(app.post(&format!("/api/v1/users/{id}/invite"), &member, &json!({})).await, StatusCode::FORBIDDEN)
        .await;
}

#[tokio::test]
async fn an_expired_invitation_shows_the_dead_link_page() {
    use diesel::prelude::*;
    use mutua::db::schema::account_tokens;
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let gent = app.create_organisation("Stad Gent", "nl").await;
    invite(&app, gent, "els@gent.be").await;
    let path = link_of(&sink.wait_for(1, Duration::from_secs(20)).await[0], "/invitations/");
    let web = WebClient::with_language(&app, "nl-BE,nl;q=0.9");
    assert_eq!(web.get(&path).await.status, StatusCode::OK);
    {
        // Eight days later.
        let mut conn = app.state().db.raw_connection().unwrap();
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::days(1);
        diesel::update(account_tokens::table).set(account_tokens::expires_at.eq(past)).execute(&mut *conn).unwrap();
    }
    let gone = web.get(&path).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.main_text().contains("verlopen"), "in Dutch: {}", gone.main_text());
    let web = WebClient::new(&app);
    let csrf = web.get("/login").await.csrf();
    let posted =
        web.post(&path, &[("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD), ("csrf_token", &csrf)]).await;
    assert_eq!(posted.status, StatusCode::GONE, "an expired link sets nothing");
    assert_problem(app.login("els@gent.be", NEW_PASSWORD).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn a_password_reset_ends_every_session_and_token_and_works_once() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let namur = app.create_organisation("Commune de Namur", "fr").await;
    let old_token = app.create_member(namur, "marie@namur.be").await;
    let old_session = WebClient::new(&app);
    old_session.sign_in("marie@namur.be").await;

    let asked =
        app.request(Method::POST, "/api/v1/auth/password-reset", None, Some(&json!({"email": "marie@namur.be"}))).await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let mails = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!((mails[0].event.as_str(), mails[0].to.as_str()), ("user.password_reset", "marie@namur.be"));
    assert!(words(&mails[0].text).contains("valable 60 minutes"), "{}", mails[0].text);
    let path = link_of(&mails[0], "/password/reset/");

    // Still signed in until the link is used.
    assert_eq!(app.get("/api/v1/me", &old_token).await.status(), StatusCode::OK);
    let web = WebClient::new(&app);
    let answer = choose(&web, &path, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(web.follow(answer).await.status, StatusCode::OK);

    assert_problem(app.get("/api/v1/me", &old_token).await, StatusCode::UNAUTHORIZED).await;
    let ended = old_session.get("/").await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "the old page session is gone");
    assert!(ended.location().unwrap().starts_with("/login"));
    assert_problem(app.login("marie@namur.be", PASSWORD).await, StatusCode::UNAUTHORIZED).await;
    app.token("marie@namur.be", NEW_PASSWORD).await;

    let reused = WebClient::new(&app).get(&path).await;
    assert_eq!(reused.status, StatusCode::GONE, "single use");
}

#[tokio::test]
async fn a_reset_request_says_the_same_for_unknown_addresses_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let namur = app.create_organisation("Commune de Namur", "fr").await;
    app.create_member(namur, "marie@namur.be").await;
    invite(&app, namur, "invitee@namur.be").await;
    sink.wait_for(1, Duration::from_secs(20)).await;

    let ask = async |email: &'static str| {
        app.request(Method::POST, "/api/v1/auth/password-reset", None, Some(&json!({ "email": email }))).await
    };
    let (known, unknown, invited) =
        (ask("marie@namur.be").await, ask("nobody@namur.be").await, ask("invitee@namur.be").await);
    let mut answers = Vec::new();
    for response in [known, unknown, invited] {
        answers.push((response.status(), response.text().await.unwrap()));
    }
    assert_eq!(answers[0], answers[1], "the same status and body");
    assert_eq!(answers[0], answers[2]);
    assert_eq!(answers[0].0, StatusCode::ACCEPTED);
    let mails = sink.wait_for(2, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let resets: Vec<_> = sink.messages().into_iter().filter(|m| m.event == "user.password_reset").collect();
    assert_eq!(resets.len(), 1, "only the active account gets an email: {mails:?}");
    assert_eq!(resets[0].to, "marie@namur.be");

    // The page says the same, too.
    let web = WebClient::new(&app);
    let login = web.get("/login").await;
    assert!(login.body.contains(r#"href="/password/forgot""#));
    let form = web.get("/password/forgot").await;
    let page_known = web.submit(&form, "/password/forgot", &[("email", "marie@namur.be")]).await;
    let page_unknown = web.submit(&form, "/password/forgot", &[("email", "personne@namur.be")]).await;
    assert_eq!(page_known.status, StatusCode::OK);
    assert_eq!(page_known.main_text(), page_unknown.main_text());
    assert!(page_known.main_text().contains("60 minutes"));
}

#[tokio::test]
async fn reset_requests_are_throttled_per_account_and_per_address_and_still_answer_202() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |vars| {
        vars.insert("MUTUA_TRUSTED_PROXIES".into(), "127.0.0.1".into());
    })
    .await;
    let namur = app.create_organisation("Commune de Namur", "fr").await;
    for i in 0..6 {
        app.create_member(namur, &format!("agent{i}@namur.be")).await;
    }
    let ask = |email: String, from: String| {
        app.client
            .post(app.url("/api/v1/auth/password-reset"))
            .header("X-Forwarded-For", from)
            .json(&json!({ "email": email }))
            .send()
    };
    // One account, from five addresses: three emails an hour.
    for i in 0..5 {
        let answer = ask("agent0@namur.be".into(), format!("198.51.100.{i}")).await.unwrap();
        assert_eq!(answer.status(), StatusCode::ACCEPTED);
    }
    // One address, six accounts: five at once.
    for i in 1..6 {
        let answer = ask(format!("agent{i}@namur.be"), "203.0.113.9".into()).await.unwrap();
        assert_eq!(answer.status(), StatusCode::ACCEPTED);
    }
    let answer = ask("agent0@namur.be".into(), "203.0.113.9".into()).await.unwrap();
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    sink.wait_for(8, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mails = sink.messages();
    let to = |email: &str| mails.iter().filter(|m| m.to == email).count();
    assert_eq!(to("agent0@namur.be"), 3, "per account");
    assert_eq!((1..6).map(|i| to(&format!("agent{i}@namur.be"))).sum::<usize>(), 5, "per address: five of the six");
    assert_eq!(mails.len(), 8);
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::test]
async fn a_reset_request_takes_the_same_time_for_existing_and_unknown_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |vars| {
        vars.insert("MUTUA_TRUSTED_PROXIES".into(), "127.0.0.1".into());
    })
    .await;
    let namur = app.create_organisation("Commune de Namur", "fr").await;
    let mut existing = Vec::new();
    for i in 0..50 {
        let email = format!("agent{i}@namur.be");
        let created = app
            .post(
                &format!("/api/v1/organisations/{namur}/users"),
                &app.officer_token,
                &json!({"email": email, "name": "Agent", "role": "member", "password": PASSWORD}),
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        existing.push(email);
    }
    let time = async |email: String, from: String| {
        let started = Instant::now();
        let answer = app
            .client
            .post(app.url("/api/v1/auth/password-reset"))
            .header("X-Forwarded-For", from)
            .json(&json!({ "email": email }))
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let body = answer.text().await.unwrap();
        (started.elapsed().as_secs_f64() * 1000.0, status, body)
    };
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    let mut answers = std::collections::HashSet::new();
    // Alternated, each from its own address (the per-address limit is not what is measured).
    for (i, email) in existing.iter().enumerate().take(50) {
        let (ms, status, body) = time(email.clone(), format!("10.1.{}.{}", i / 200, i % 200)).await;
        known.push(ms);
        answers.insert((status, body));
        let (ms, status, body) = time(format!("nobody{i}@namur.be"), format!("10.2.{}.{}", i / 200, i % 200)).await;
        unknown.push(ms);
        answers.insert((status, body));
    }
    assert_eq!(answers.len(), 1, "one status and body for all: {answers:?}");
    let (known, unknown) = (median(known), median(unknown));
    eprintln!("password reset request, median of 50: existing {known:.3} ms, unknown {unknown:.3} ms");
    assert!((known - unknown).abs() <= 0.2 * known.max(unknown), "existing {known:.3} ms vs unknown {unknown:.3} ms");
    // And the existing ones were really emailed.
    assert_eq!(sink.wait_for(50, Duration::from_secs(60)).await.len(), 50);
}

/// Requests for one account that run at the same moment (each after its own random pause,
/// on a connection of its own on PostgreSQL) still queue no more than the hour's resets:
/// the count is taken holding the account's row.
#[tokio::test]
async fn resets_of_one_account_side_by_side_queue_no_more_than_the_limit() {
    let app = crate::helpers::spawn_app().await;
    let namur = app.create_organisation("Commune de Namur", "fr").await;
    app.create_member(namur, "agent@namur.be").await;
    let email = mutua::domain::email::Email::parse("agent@namur.be").unwrap();
    let requests: Vec<_> = (0..12)
        .map(|_| {
            let (db, email) = (app.state().db.clone(), email.clone());
            tokio::spawn(async move {
                db.write(mutua::db::System, move |tx, _| mutua::service::accounts::request_reset(tx, &email)).await
            })
        })
        .collect();
    let mut queued = 0;
    for request in requests {
        queued += i64::from(request.await.unwrap().unwrap());
    }
    assert_eq!(queued, mutua::service::accounts::RESETS_PER_ACCOUNT);
}
