//! One's own account (SPEC §14): `PATCH /api/v1/me` (name, language) and the `/account`
//! page (name, language, password, "sign out everywhere"), through HTTP and the real SMTP
//! server, on the backend the tests run on.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    accounts::{app_with_mail, words},
    helpers::{PASSWORD, TestApp, assert_problem, spawn_app},
    process::SmtpSink,
    web_client::{Page, WebClient},
};

const NEW_PASSWORD: &str = "une toute nouvelle phrase de passe";

async fn patch_me(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.request(Method::PATCH, "/api/v1/me", Some(token), Some(&body)).await
}

/// The fields a 422 names.
async fn refused_fields(response: reqwest::Response) -> Vec<String> {
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect()
}

fn lang_of(page: &Page) -> &str {
    crate::web_client::between(&page.body, "<html lang=\"", "\"")
}

#[tokio::test]
async fn patching_me_changes_the_name_and_the_language_of_pages_and_emails() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let namur = app.create_organisation("Commune de Namur", "fr").await;
    let token = app.create_member(namur, "marie@namur.be").await;
    let web = WebClient::new(&app);
    assert_eq!(lang_of(&web.sign_in("marie@namur.be").await), "fr", "the organisation's language first");

    let changed = patch_me(&app, &token, json!({"name": "  Marie Dupont ", "locale": "nl"})).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let me: Value = changed.json().await.unwrap();
    assert_eq!((me["user"]["name"].as_str(), me["user"]["locale"].as_str()), (Some("Marie Dupont"), Some("nl")));
    assert_eq!(me["organisation"]["id"], namur);
    let read: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(read["user"], me["user"], "GET shows what PATCH answered");

    // The page already open follows at once, in the new language and with the new name.
    let home = web.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(lang_of(&home), "nl");
    assert!(home.body.contains("Marie Dupont"));

    // So do the emails.
    let asked =
        app.request(Method::POST, "/api/v1/auth/password-reset", None, Some(&json!({"email": "marie@namur.be"}))).await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let mails = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(mails[0].event, "user.password_reset");
    assert!(words(&mails[0].text).contains("60 minuten geldig"), "in Dutch: {}", mails[0].text);
    assert!(words(&mails[0].text).contains("Marie Dupont"), "{}", mails[0].text);

    // Leaving a field out keeps it; null goes back to the organisation's language.
    let back = patch_me(&app, &token, json!({"locale": null})).await;
    assert_eq!(back.status(), StatusCode::OK);
    let me: Value = back.json().await.unwrap();
    assert_eq!((me["user"]["name"].as_str(), me["user"]["locale"].as_str()), (Some("Marie Dupont"), None));
    assert_eq!(lang_of(&web.get("/").await), "fr");
    let renamed: Value = patch_me(&app, &token, json!({"name": "Marie D."})).await.json().await.unwrap();
    assert_eq!((renamed["user"]["name"].as_str(), renamed["user"]["locale"].as_str()), (Some("Marie D."), None));

    // The token still works: a change of name or language ends no session.
    assert_eq!(app.get("/api/v1/me", &token).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn patching_me_with_wrong_fields_is_422_naming_them_and_changes_nothing() {
    let app = spawn_app().await;
    let namur = app.create_organisation("Commune de Namur", "fr").await;
    let token = app.create_member(namur, "marie@namur.be").await;
    assert_eq!(refused_fields(patch_me(&app, &token, json!({"locale": "es"})).await).await, ["locale"]);
    assert_eq!(refused_fields(patch_me(&app, &token, json!({"locale": "NL"})).await).await, ["locale"]);
    assert_eq!(refused_fields(patch_me(&app, &token, json!({"name": "   "})).await).await, ["name"]);
    assert_eq!(refused_fields(patch_me(&app, &token, json!({"name": "x".repeat(201)})).await).await, ["name"]);
    assert_eq!(
        refused_fields(patch_me(&app, &token, json!({"name": "", "locale": "xx"})).await).await,
        ["name", "locale"]
    );
    assert_eq!(refused_fields(patch_me(&app, &token, json!({})).await).await, ["name"]);
    assert_eq!(refused_fields(patch_me(&app, &token, json!({"role": "officer"})).await).await, ["role"]);
    assert_eq!(refused_fields(patch_me(&app, &token, json!({"email": "x@y.be"})).await).await, ["email"]);
    let me: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!((me["user"]["name"].as_str(), me["user"]["locale"].as_str()), (Some("Test Member"), None));
    assert_problem(
        app.request(Method::PATCH, "/api/v1/me", None, Some(&json!({"locale": "nl"}))).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

/// A member of a French commune, signed in to the pages: `(app, browser, API token)`.
async fn signed_in(app: &TestApp) -> (WebClient<'_>, String) {
    let namur = app.create_organisation("Commune de Namur", "fr").await;
    let token = app.create_member(namur, "marie@namur.be").await;
    let web = WebClient::new(app);
    web.sign_in("marie@namur.be").await;
    (web, token)
}

#[tokio::test]
async fn the_account_page_changes_the_name_and_the_language_with_a_message() {
    let app = spawn_app().await;
    let (web, token) = signed_in(&app).await;
    let home = web.get("/").await;
    assert!(home.body.contains(r#"<a href="/account">"#), "the header links to the account");
    assert_eq!(WebClient::new(&app).get("/account").await.location(), Some("/login?next=/account"));

    let form = web.get("/account").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.main_text().contains("marie@namur.be"), "{}", form.main_text());

    // A name too long: the error beside the field, the text typed kept.
    let long = "Marie ".repeat(40);
    let refused = web.submit(&form, "/account/name", &[("name", &long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(r#"id="name-name-error""#), "{}", refused.body);
    assert!(refused.main_text().contains("Indiquez un nom de 1 à 200 caractères"), "{}", refused.main_text());
    assert!(refused.body.contains(&format!(r#"value="{long}""#)), "the name typed is kept");

    let saved = web.submit(&form, "/account/name", &[("name", "Marie Dupont")]).await;
    assert_eq!(saved.status, StatusCode::OK);
    assert!(saved.main_text().contains("Votre nom est enregistré."), "{}", saved.main_text());
    assert!(saved.body.contains("Marie Dupont"));
    let me: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(me["user"]["name"], "Marie Dupont");
    // The message is said once.
    assert!(!web.get("/account").await.main_text().contains("Votre nom est enregistré."));

    // The language: the account's choice wins over the footer's switch, which it forgets.
    web.follow(web.get("/lang/de?next=/account").await).await;
    assert_eq!(lang_of(&web.get("/account").await), "de");
    let dutch = web.submit(&form, "/account/language", &[("locale", "nl")]).await;
    assert_eq!(dutch.status, StatusCode::OK);
    assert_eq!(lang_of(&dutch), "nl");
    assert!(dutch.main_text().contains("Uw taal is opgeslagen"), "{}", dutch.main_text());
    assert_eq!(web.cookie("mutua_lang"), None);
    let me: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(me["user"]["locale"], "nl");

    let wrong = web.submit(&form, "/account/language", &[("locale", "es")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.main_text().contains("Kies een taal uit de lijst"), "{}", wrong.main_text());

    let organisations = web.submit(&form, "/account/language", &[("locale", "")]).await;
    assert_eq!(lang_of(&organisations), "fr");
    let me: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(me["user"]["locale"], Value::Null);

    // Forms without their token change nothing.
    let forged = web.post("/account/name", &[("name", "Mallory")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_account_page_changes_the_password_after_checking_the_current_one() {
    let app = spawn_app().await;
    let (web, token) = signed_in(&app).await;
    let other = WebClient::new(&app);
    other.sign_in("marie@namur.be").await;
    let form = web.get("/account").await;

    let wrong = web
        .submit(
            &form,
            "/account/password",
            &[
                ("current_password", "not my password at all"),
                ("new_password", NEW_PASSWORD),
                ("new_password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains(r#"id="password-current_password-error""#));
    assert!(wrong.main_text().contains("Ce n'est pas votre mot de passe actuel"), "{}", wrong.main_text());
    assert!(!wrong.body.contains("not my password at all") && !wrong.body.contains(NEW_PASSWORD), "passwords not kept");

    let different = web
        .submit(
            &form,
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", NEW_PASSWORD), ("new_password_confirm", "autre chose")],
        )
        .await;
    assert_eq!(different.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(different.main_text().contains("Les deux mots de passe ne sont pas identiques"));
    let short = web
        .submit(
            &form,
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "court"), ("new_password_confirm", "court")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains(r#"id="password-new_password-error""#));
    // Nothing changed so far.
    assert_eq!(app.get("/api/v1/me", &token).await.status(), StatusCode::OK);

    let changed = web
        .submit(
            &form,
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", NEW_PASSWORD), ("new_password_confirm", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(changed.main_text().contains("Votre mot de passe est changé"), "{}", changed.main_text());
    // This session goes on; the other one, and the tokens issued before, are over.
    assert_eq!(web.get("/account").await.status, StatusCode::OK);
    let ended = other.get("/account").await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert!(ended.location().unwrap().starts_with("/login"));
    assert_problem(app.get("/api/v1/me", &token).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.login("marie@namur.be", PASSWORD).await, StatusCode::UNAUTHORIZED).await;
    let refused = WebClient::new(&app).sign_in_as("marie@namur.be", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "the old password is refused on the pages too");
    app.token("marie@namur.be", NEW_PASSWORD).await;
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_and_token_of_the_person() {
    let app = spawn_app().await;
    let (web, token) = signed_in(&app).await;
    let other = WebClient::new(&app);
    other.sign_in("marie@namur.be").await;
    // A colleague's session is not touched.
    let namur: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    let colleague = app.create_member(namur["organisation"]["id"].as_i64().unwrap(), "paul@namur.be").await;

    let form = web.get("/account").await;
    assert_eq!(web.post("/account/sign-out-everywhere", &[]).await.status, StatusCode::FORBIDDEN, "needs its token");
    let answer = web.post("/account/sign-out-everywhere", &[("csrf_token", &form.csrf())]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/login"));
    let login = web.follow(answer).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.main_text().contains("Toutes vos sessions sont fermées"), "{}", login.main_text());

    for browser in [&web, &other] {
        let ended = browser.get("/account").await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER);
        assert!(ended.location().unwrap().starts_with("/login"));
    }
    assert_problem(app.get("/api/v1/me", &token).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(app.get("/api/v1/me", &colleague).await.status(), StatusCode::OK);
    // Signing in again works, with the same password.
    assert_eq!(web.sign_in("marie@namur.be").await.status, StatusCode::OK);
    app.token("marie@namur.be", PASSWORD).await;
}

#[tokio::test]
async fn signing_out_everywhere_through_the_api_ends_every_token_and_session_of_the_caller() {
    let app = spawn_app().await;
    let (web, token) = signed_in(&app).await;
    let second = app.token("marie@namur.be", PASSWORD).await;
    let namur: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    let colleague = app.create_member(namur["organisation"]["id"].as_i64().unwrap(), "paul@namur.be").await;
    assert_eq!(web.get("/account").await.status, StatusCode::OK);

    let answer = app.request(Method::POST, "/api/v1/me/sign-out-everywhere", Some(&token), None).await;
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    assert!(answer.text().await.unwrap().is_empty());

    for ended in [&token, &second] {
        assert_problem(app.get("/api/v1/me", ended).await, StatusCode::UNAUTHORIZED).await;
    }
    let page = web.get("/account").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "the web session ended too");
    assert!(page.location().unwrap().starts_with("/login"));
    let again = app.request(Method::POST, "/api/v1/me/sign-out-everywhere", Some(&token), None).await;
    assert_problem(again, StatusCode::UNAUTHORIZED).await;
    assert_eq!(app.get("/api/v1/me", &colleague).await.status(), StatusCode::OK, "another user's token holds");
    // Logging in again works, with the same password.
    let fresh = app.token("marie@namur.be", PASSWORD).await;
    assert_eq!(app.get("/api/v1/me", &fresh).await.status(), StatusCode::OK);
}
