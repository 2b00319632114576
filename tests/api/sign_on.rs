//! Single sign-on (SPEC §14) against a real OpenID provider: panva's `oidc-provider`
//! (`tests/oidc/provider.mjs`, installed by `.ci/run` with `npm ci`), on a loopback port,
//! with one client and accounts whose id is an email. A browser is played by an HTTP
//! client that keeps cookies and fills in the provider's development sign-in and consent
//! forms, as a person would.
//!
//! Without node or the package the tests are skipped with a notice, except in CI
//! (`CI` set), where they fail.

use std::{
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command, Stdio},
};

use reqwest::{StatusCode, Url, header};
use serde_json::{Value, json};

use fantoccini::Locator;

use crate::{
    helpers::{PASSWORD, TestApp, spawn_app, spawn_app_with, try_spawn_app_with},
    process::{free_port, tool_or_skip},
    web_browser::{CHROMEDRIVER, Driver, chromium, screenshots},
};

const CLIENT_ID: &str = "mutua-test";
const CLIENT_SECRET: &str = "a client secret of the test provider";

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

/// Whether node and `oidc-provider` are there; in CI their absence fails the test.
fn provider_available() -> bool {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let package = provider_dir().join("node_modules/oidc-provider/package.json").exists();
    if !(node && package) {
        let install = "install Node.js 20 or later, then `npm ci --prefix tests/oidc` (as .ci/run does)";
        let missing = if node { "the npm package oidc-provider" } else { "node" };
        assert!(std::env::var_os("CI").is_none(), "{missing} is required in CI and was not found: {install}");
        eprintln!("SKIPPED: {missing} is not installed ({install}); CI runs this test");
    }
    node && package
}

/// The OpenID provider process; stopped when dropped.
struct Provider {
    child: Child,
    _stdin: ChildStdin,
    issuer: String,
}

impl Provider {
    /// Starts the provider with a client returning to `redirect_uri`, and `accounts`
    /// (email, `email_verified`).
    fn start(redirect_uri: &str, accounts: &[(&str, bool)]) -> Provider {
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(provider_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start node tests/oidc/provider.mjs");
        let mut stdin = child.stdin.take().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut read = || -> Value { serde_json::from_str(&lines.next().expect("a line").unwrap()).unwrap() };
        let issuer = read()["issuer"].as_str().unwrap().to_owned();
        let accounts: serde_json::Map<String, Value> =
            accounts.iter().map(|(email, verified)| ((*email).to_owned(), json!(verified))).collect();
        let setup = json!({
            "redirect_uri": redirect_uri, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "accounts": accounts,
        });
        writeln!(stdin, "{setup}").unwrap();
        assert_eq!(read()["ready"], json!(true));
        // Whatever else it prints is read and dropped: a closed pipe would end it (EPIPE).
        std::thread::spawn(move || lines.for_each(drop));
        Provider { child, _stdin: stdin, issuer }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An app whose single sign-on points at a fresh provider holding `accounts`; `None`
/// (skipped) without node outside CI.
async fn app_with_provider(accounts: &[(&str, bool)]) -> Option<(TestApp, Provider)> {
    if !provider_available() {
        return None;
    }
    // The address is chosen first: the provider must know where mutua receives people back.
    // Between choosing it and listening on it, another test's server (or the provider, which
    // listens on any free port) may take it: then both start again on another.
    for _ in 0..5 {
        let port = free_port();
        let public_url = format!("http://127.0.0.1:{port}");
        let provider = Provider::start(&format!("{public_url}/login/oidc/callback"), accounts);
        let issuer = provider.issuer.clone();
        let app = try_spawn_app_with(move |vars| {
            for (key, value) in [
                ("MUTUA_BIND", format!("127.0.0.1:{port}")),
                ("MUTUA_PUBLIC_URL", public_url),
                ("MUTUA_OIDC_ISSUER", issuer),
                ("MUTUA_OIDC_CLIENT_ID", CLIENT_ID.to_owned()),
                ("MUTUA_OIDC_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
                ("MUTUA_OIDC_NAME", "Keycloak de l'intercommunale".to_owned()),
            ] {
                vars.insert(key.to_owned(), value);
            }
        })
        .await;
        match app {
            Ok(app) => return Some((app, provider)),
            Err(error) if format!("{error:#}").contains("Address already in use") => continue,
            Err(error) => panic!("build app: {error:#}"),
        }
    }
    panic!("no free port for mutua in five tries")
}

/// A person's browser: keeps cookies (for mutua and the provider alike), speaks
/// `language`, follows nothing by itself.
struct Browser {
    client: reqwest::Client,
}

impl Browser {
    fn new(language: &str) -> Browser {
        let mut headers = header::HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, header::HeaderValue::from_str(language).unwrap());
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser { client }
    }

    async fn get(&self, url: &str) -> reqwest::Response {
        self.client.get(url).send().await.unwrap()
    }

    /// Starts a sign-on on mutua and goes through the provider's pages as `account`, up to
    /// the provider's redirect back to mutua: that URL, not yet followed.
    async fn through_provider(&self, app: &TestApp, account: &str) -> String {
        self.through_provider_from(app, "/login/oidc", account).await
    }

    /// [`Browser::through_provider`], starting at `start` (`/login/oidc?next=…`).
    async fn through_provider_from(&self, app: &TestApp, start: &str, account: &str) -> String {
        let callback = app.url("/login/oidc/callback");
        let mut url = Url::parse(&app.url(start)).unwrap();
        let mut form: Option<Vec<(String, String)>> = None;
        for _ in 0..20 {
            let request = match form.take() {
                Some(fields) => self.client.post(url.clone()).form(&fields),
                None => self.client.get(url.clone()),
            };
            let response = request.send().await.unwrap();
            if let Some(location) = response.headers().get(header::LOCATION) {
                let next = url.join(location.to_str().unwrap()).unwrap();
                if next.as_str().starts_with(&callback) {
                    return next.to_string();
                }
                url = next;
                continue;
            }
            let status = response.status();
            let body = response.text().await.unwrap();
            assert_eq!(status, StatusCode::OK, "at {url}:\n{body}");
            let (action, mut fields) = first_form(&body).unwrap_or_else(|| panic!("no form at {url}:\n{body}"));
            if body.contains(r#"name="login""#) {
                fields.push(("login".into(), account.into()));
                fields.push(("password".into(), "any password: the development pages take any".into()));
            }
            url = url.join(&action).unwrap();
            form = Some(fields);
        }
        panic!("the provider never sent the browser back to mutua");
    }

    /// Whether this browser holds a mutua session: a page for signed-in people answers.
    async fn signed_in(&self, app: &TestApp) -> bool {
        let response = self.get(&app.url("/needs/new")).await;
        match response.status() {
            StatusCode::OK => true,
            StatusCode::SEE_OTHER => false,
            other => panic!("/needs/new answered {other}"),
        }
    }
}

/// The action and hidden fields of the first form of an HTML page.
fn first_form(html: &str) -> Option<(String, Vec<(String, String)>)> {
    let start = html.find("<form")?;
    let end = start + html[start..].find("</form>")?;
    let form = &html[start..end];
    let action = attribute(form, "action")?;
    let fields = form
        .split("<input")
        .skip(1)
        .filter(|tag| attribute(tag, "type").as_deref() == Some("hidden"))
        .filter_map(|tag| Some((attribute(tag, "name")?, attribute(tag, "value").unwrap_or_default())))
        .collect();
    Some((action.replace("&amp;", "&"), fields))
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let at = tag.find(&format!(r#"{name}=""#))? + name.len() + 2;
    Some(tag[at..at + tag[at..].find('"')?].to_owned())
}

/// Creates an active member with `email` (with a password, as the API allows for
/// accounts an officer makes): `(organisation id, user id)`.
async fn member(app: &TestApp, email: &str) -> (i64, i64) {
    let organisation = app.create_organisation(&format!("Commune de {email}"), "fr").await;
    let response = app
        .post(
            &format!("/api/v1/organisations/{organisation}/users"),
            &app.officer_token,
            &json!({"email": email, "name": "Agent SSO", "password": PASSWORD, "role": "member"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    (organisation, response.json::<Value>().await.unwrap()["id"].as_i64().unwrap())
}

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

/// A refusal: `status`, a page saying `words`, no session cookie given.
async fn assert_refused(response: reqwest::Response, status: StatusCode, words: &str) {
    assert_eq!(response.status(), status);
    assert!(
        !set_cookies(&response).iter().any(|c| c.starts_with("mutua_session=") && !c.contains("Max-Age=0")),
        "a refusal opens no session: {:?}",
        set_cookies(&response)
    );
    let body = response.text().await.unwrap().replace("&#39;", "'");
    assert!(body.contains(words), "expected {words:?} in\n{body}");
}

#[tokio::test]
async fn a_known_user_signs_in_with_the_same_session_as_a_password() {
    let Some((app, _provider)) = app_with_provider(&[("agent@namur.be", true)]).await else { return };
    member(&app, "agent@namur.be").await;
    let browser = Browser::new("fr-BE");
    let login = browser.get(&app.url("/login?next=/pools")).await.text().await.unwrap().replace("&#39;", "'");
    assert!(login.contains("Se connecter avec Keycloak de l'intercommunale"), "{login}");
    assert!(login.contains(r#"href="/login/oidc?next=/pools""#), "{login}");

    let started = browser.get(&app.url("/login/oidc?next=/pools")).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let to_provider = Url::parse(started.headers()[header::LOCATION].to_str().unwrap()).unwrap();
    let query: std::collections::HashMap<_, _> = to_provider.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["scope"], "openid email profile");
    assert!(query["state"].len() == 64 && query["nonce"].len() == 64, "256-bit state and nonce: {query:?}");
    assert!(!query.contains_key("code_verifier"));
    let state_cookie = set_cookies(&started).into_iter().find(|c| c.starts_with("mutua_oidc=")).unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Max-Age=600"] {
        assert!(state_cookie.contains(flag), "{state_cookie}");
    }

    let back = browser.through_provider_from(&app, "/login/oidc?next=/pools", "agent@namur.be").await;
    let signed = browser.get(&back).await;
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed.headers()[header::LOCATION], "/pools", "back where the person was going");
    let cookies = set_cookies(&signed);
    let session = cookies.iter().find(|c| c.starts_with("mutua_session=")).expect("a session");
    for flag in ["HttpOnly", "SameSite=Lax", "Max-Age=36000"] {
        assert!(session.contains(flag), "the password sign-in's session: {session}");
    }
    assert!(cookies.iter().any(|c| c.starts_with("mutua_oidc=;") && c.contains("Max-Age=0")), "{cookies:?}");
    assert!(browser.signed_in(&app).await);
    let home = browser.get(&app.url("/")).await.text().await.unwrap();
    assert!(home.contains("Agent SSO"), "the person's name in the page");
}

#[tokio::test]
async fn an_invited_user_signs_in_and_becomes_active() {
    let Some((app, _provider)) = app_with_provider(&[("invitee@dinant.be", true)]).await else { return };
    let (organisation, id) = member(&app, "invitee@dinant.be").await;
    // Invited: made so in the database, as an invitation leaves it (no password yet).
    {
        use diesel::prelude::*;
        use mutua::db::schema::users;
        let mut conn = app.state().db.raw_connection().unwrap();
        diesel::update(users::table.find(id))
            .set((users::status.eq("invited"), users::password_hash.eq(None::<String>)))
            .execute(&mut *conn)
            .unwrap();
    }
    assert_eq!(app.login("invitee@dinant.be", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    let browser = Browser::new("fr");
    let back = browser.through_provider(&app, "invitee@dinant.be").await;
    assert_eq!(browser.get(&back).await.status(), StatusCode::SEE_OTHER);
    assert!(browser.signed_in(&app).await);
    let users = app.get(&format!("/api/v1/organisations/{organisation}/users"), &app.officer_token).await;
    let users: Value = users.json().await.unwrap();
    let user = users.as_array().unwrap().iter().find(|u| u["id"] == json!(id)).expect("the user").clone();
    assert_eq!(user["status"], "active", "{user}");
}

#[tokio::test]
async fn a_disabled_user_is_refused_and_the_page_says_so() {
    let Some((app, _provider)) = app_with_provider(&[("ancien@namur.be", true)]).await else { return };
    let (_, id) = member(&app, "ancien@namur.be").await;
    let response = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&app.officer_token),
            Some(&json!({"disabled": true})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let browser = Browser::new("en");
    let back = browser.through_provider(&app, "ancien@namur.be").await;
    assert_refused(browser.get(&back).await, StatusCode::FORBIDDEN, "Your mutua account is disabled.").await;
    assert!(!browser.signed_in(&app).await);
}

#[tokio::test]
async fn an_unknown_email_creates_no_account_and_opens_no_session() {
    let Some((app, _provider)) = app_with_provider(&[("inconnu@liege.be", true)]).await else { return };
    let browser = Browser::new("nl-BE,nl;q=0.9");
    let back = browser.through_provider(&app, "inconnu@liege.be").await;
    let refused = browser.get(&back).await;
    assert_refused(refused, StatusCode::FORBIDDEN, "Er bestaat geen mutua-account met uw e-mailadres.").await;
    assert!(!browser.signed_in(&app).await);
    let users = app.get("/api/v1/users?q=inconnu", &app.officer_token).await;
    if users.status() == StatusCode::OK {
        let body = users.text().await.unwrap();
        assert!(!body.contains("inconnu@liege.be"), "no account was created: {body}");
    }
    assert_eq!(app.login("inconnu@liege.be", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_email_the_provider_does_not_verify_is_refused_even_when_an_account_has_it() {
    let Some((app, _provider)) = app_with_provider(&[("pas.verifie@mons.be", false)]).await else { return };
    member(&app, "pas.verifie@mons.be").await;
    let browser = Browser::new("de");
    let back = browser.through_provider(&app, "pas.verifie@mons.be").await;
    let refused = browser.get(&back).await;
    assert_refused(refused, StatusCode::FORBIDDEN, "Ihr Identifizierungsdienst bestätigt Ihre E-Mail-Adresse nicht.")
        .await;
    assert!(!browser.signed_in(&app).await);
}

#[tokio::test]
async fn a_tampered_or_foreign_state_is_refused() {
    let Some((app, _provider)) = app_with_provider(&[("agent@wavre.be", true)]).await else { return };
    member(&app, "agent@wavre.be").await;
    let browser = Browser::new("fr");
    let back = browser.through_provider(&app, "agent@wavre.be").await;
    let url = Url::parse(&back).unwrap();
    let state: String = url.query_pairs().find(|(k, _)| k == "state").unwrap().1.into_owned();
    let says = "Cette demande de connexion n'est plus valable";

    // The genuine return carried to another browser (which would sign its user in as
    // someone else): that browser holds no such attempt.
    let other = Browser::new("fr");
    assert_refused(other.get(&back).await, StatusCode::BAD_REQUEST, says).await;
    assert!(!other.signed_in(&app).await);

    // In the right browser, a state altered on the way, or none.
    let flipped = format!("{}{}", &state[..63], if state.ends_with('0') { '1' } else { '0' });
    let tampered = back.replace(&format!("state={state}"), &format!("state={flipped}"));
    assert_ne!(tampered, back);
    assert_refused(browser.get(&tampered).await, StatusCode::BAD_REQUEST, says).await;
    let without = back.replace(&format!("state={state}"), "");
    assert_refused(browser.get(&without).await, StatusCode::BAD_REQUEST, says).await;
    assert!(!browser.signed_in(&app).await);

    // The same browser, starting again, signs in: the refusals were the state's.
    let again = browser.through_provider(&app, "agent@wavre.be").await;
    assert_eq!(browser.get(&again).await.status(), StatusCode::SEE_OTHER);
    assert!(browser.signed_in(&app).await);
}

#[tokio::test]
async fn a_replayed_code_is_refused() {
    let Some((app, _provider)) = app_with_provider(&[("agent@arlon.be", true)]).await else { return };
    member(&app, "agent@arlon.be").await;
    let first = Browser::new("fr");
    let back = first.through_provider(&app, "agent@arlon.be").await;
    assert_eq!(first.get(&back).await.status(), StatusCode::SEE_OTHER);
    assert!(first.signed_in(&app).await);

    // The same return again, in the browser that used it: its attempt is spent.
    let says = "Cette demande de connexion n'est plus valable";
    assert_refused(first.get(&back).await, StatusCode::BAD_REQUEST, says).await;

    // The used code under a fresh, genuine state of another browser: the state passes,
    // and the provider refuses the code (used already, and not issued with this PKCE).
    let thief = Browser::new("fr");
    let started = thief.get(&app.url("/login/oidc")).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let to_provider = Url::parse(started.headers()[header::LOCATION].to_str().unwrap()).unwrap();
    let fresh_state = to_provider.query_pairs().find(|(k, _)| k == "state").unwrap().1.into_owned();
    let code = Url::parse(&back).unwrap().query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let replay = format!("{}?code={code}&state={fresh_state}", app.url("/login/oidc/callback"));
    let refused = thief.get(&replay).await;
    assert_refused(refused, StatusCode::BAD_REQUEST, "La connexion n'a pas pu être vérifiée").await;
    assert!(!thief.signed_in(&app).await);
}

#[tokio::test]
async fn without_single_sign_on_there_is_no_button_and_no_route() {
    let app = spawn_app().await;
    let browser = Browser::new("fr");
    let login = browser.get(&app.url("/login")).await.text().await.unwrap();
    assert!(login.contains(r#"action="/login""#), "{login}");
    assert!(!login.contains("/login/oidc"), "no button");
    assert_eq!(browser.get(&app.url("/login/oidc")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(browser.get(&app.url("/login/oidc/callback?state=a&code=b")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_provider_that_does_not_answer_gets_a_page_not_a_crash() {
    // A port nobody listens on: discovery fails.
    let port = free_port();
    let app = spawn_app_with(move |vars| {
        vars.insert("MUTUA_OIDC_ISSUER".into(), format!("http://127.0.0.1:{port}"));
        vars.insert("MUTUA_OIDC_CLIENT_ID".into(), CLIENT_ID.into());
        vars.insert("MUTUA_OIDC_CLIENT_SECRET".into(), CLIENT_SECRET.into());
    })
    .await;
    let browser = Browser::new("nl");
    let login = browser.get(&app.url("/login")).await.text().await.unwrap();
    assert!(!login.contains("/login/oidc"), "no MUTUA_OIDC_NAME, no button");
    let refused = browser.get(&app.url("/login/oidc")).await;
    assert_refused(refused, StatusCode::BAD_GATEWAY, "De identificatiedienst van uw bestuur antwoordt niet.").await;
}

#[tokio::test]
async fn in_chromium_the_button_leads_through_the_provider_and_back_signed_in() {
    if !tool_or_skip(CHROMEDRIVER, "apt-get install chromium chromium-driver") {
        return;
    }
    let Some((app, _provider)) = app_with_provider(&[("agent@namur.be", true)]).await else { return };
    member(&app, "agent@namur.be").await;
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let (shots, _temp) = screenshots();
    let browser = chromium(&driver, profile.path()).await;
    let patience = std::time::Duration::from_secs(60);
    let wait = |css: &'static str| {
        let browser = browser.clone();
        async move {
            match browser.wait().at_most(patience).for_element(Locator::Css(css)).await {
                Ok(element) => element,
                Err(error) => panic!(
                    "no {css} at {:?}: {error}\n{}",
                    browser.current_url().await.ok(),
                    browser.source().await.unwrap_or_default()
                ),
            }
        }
    };

    for (lang, label) in
        [("nl", "Aanmelden met Keycloak de l'intercommunale"), ("fr", "Se connecter avec Keycloak de l'intercommunale")]
    {
        browser.goto(&app.url(&format!("/lang/{lang}?next=/login"))).await.unwrap();
        let button = wait("a[href^='/login/oidc']").await;
        assert_eq!(button.text().await.unwrap(), label);
        let png = browser.screenshot().await.unwrap();
        std::fs::write(shots.join(format!("login-sign-on-{lang}.png")), png).unwrap();
    }

    wait("a[href^='/login/oidc']").await.click().await.unwrap();
    wait("input[name='login']").await.send_keys("agent@namur.be").await.unwrap();
    wait("input[name='password']").await.send_keys("any password").await.unwrap();
    wait("button[type='submit']").await.click().await.unwrap();
    // The provider's consent page, then back to mutua, signed in.
    wait("form input[name='prompt'][value='consent']").await;
    wait("button[type='submit']").await.click().await.unwrap();
    wait("form[action='/logout']").await;
    let main = wait("main").await.text().await.unwrap();
    assert!(!main.is_empty());
    assert!(browser.source().await.unwrap().contains("Agent SSO"), "the person's name in the page");
    browser.close().await.unwrap();
}
