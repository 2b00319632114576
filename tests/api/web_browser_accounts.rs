//! People's own accounts in Chromium (WebDriver, as `web_browser.rs`; SPEC §14): an officer
//! invites someone, the invitation is read from the real SMTP server, its link opened in
//! the browser, a password chosen, and the person lands signed in on its home page; a
//! forgotten password is asked for on the sign-in page, the emailed link followed, a new
//! password chosen, and a session opened before is gone. The invitation, reset and
//! `/account` pages are checked by axe-core at 1280 and 390 px (where nothing scrolls
//! sideways) and photographed in French and in Dutch (`MUTUA_SCREENSHOTS=docs/screenshots`).

use std::{path::PathBuf, time::Duration};

use fantoccini::Client;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    accounts::{app_with_mail, link_of},
    helpers::{PASSWORD, TestApp},
    process::{SmtpSink, tool_or_skip},
    web_browser::{Browse, CHROMEDRIVER, Driver, chromium, screenshots},
    web_client::WebClient,
};

const CHOSEN: &str = "une phrase de passe choisie";

struct Person<'a> {
    browser: &'a Client,
    app: &'a TestApp,
    shots: PathBuf,
}

impl Browse for Person<'_> {
    fn browser(&self) -> &Client {
        self.browser
    }

    fn app(&self) -> &TestApp {
        self.app
    }
}

impl Person<'_> {
    async fn main_text(&self) -> String {
        self.wait_for("main").await.text().await.unwrap().replace(['\u{202F}', '\u{A0}'], " ")
    }

    /// The page's language, as its `<html lang>` says.
    async fn lang(&self) -> String {
        let found = self.browser.execute("return document.documentElement.lang", vec![]).await.unwrap();
        found.as_str().unwrap().to_owned()
    }

    /// axe-core finds no serious or critical violation, at the window's width and at 390 px,
    /// where nothing scrolls sideways; a screenshot at each (`name.png`, `name-mobile.png`).
    async fn check(&self, name: &str) {
        self.axe(name).await;
        self.screenshot(name).await;
        let (width, height) = self.browser.get_window_size().await.unwrap();
        self.browser.set_window_size(390, 844).await.unwrap();
        let widths = self
            .browser
            .execute("const d = document.documentElement; return [d.scrollWidth, d.clientWidth];", vec![])
            .await
            .unwrap();
        let (scroll, client) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
        assert!(scroll <= client, "{name}: scrolls sideways at 390 px ({scroll} > {client})");
        self.axe(&format!("{name} at 390 px")).await;
        self.screenshot(&format!("{name}-mobile")).await;
        self.browser.set_window_size(width as u32, height as u32).await.unwrap();
    }

    async fn screenshot(&self, name: &str) {
        let png = self.browser.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    /// The page at `path` in Dutch, photographed as `{name}-nl`, then in French as `{name}`
    /// (the language switch, as a person not signed in would use it).
    async fn in_both_languages(&self, path: &str, name: &str, ready: &str) {
        for (code, suffix) in [("nl", "-nl"), ("fr", "")] {
            self.goto(&format!("/lang/{code}?next={path}")).await;
            self.wait_for(ready).await;
            assert_eq!(self.lang().await, code, "{path}");
            self.check(&format!("{name}{suffix}")).await;
        }
    }

    async fn choose_password(&self) {
        self.type_into("choose-password", CHOSEN).await;
        self.type_into("choose-password_confirm", CHOSEN).await;
        self.click("main form button[type=submit]").await;
    }
}

#[tokio::test]
async fn an_invitation_and_a_forgotten_password_in_chromium_through_the_emails() {
    if !tool_or_skip(CHROMEDRIVER, "apt-get install chromium chromium-driver") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::started(dir.path());
    let app = app_with_mail(&sink, |_| {}).await;
    let namur = app.create_organisation("Ville de Namur", "fr").await;
    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = chromium(&driver, profile.path()).await;
    let (shots, _keep) = screenshots();
    let person = Person { browser: &browser, app: &app, shots };

    // (a) An officer invites Anne (through the API); Anne follows the emailed link.
    let created = app
        .post(
            &format!("/api/v1/organisations/{namur}/users"),
            &app.officer_token,
            &json!({"email": "anne@namur.be", "name": "Anne Lambert", "role": "member"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let mails = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!((mails[0].event.as_str(), mails[0].to.as_str()), ("user.invited", "anne@namur.be"));
    let invitation = link_of(&mails[0], "/invitations/");
    person.in_both_languages(&invitation, "invitation", "#choose-password").await;
    assert!(person.main_text().await.contains("anne@namur.be"));
    person.choose_password().await;
    person.wait_for("section[aria-labelledby='my-pools']").await;
    assert!(person.wait_for("header").await.text().await.unwrap().contains("Anne Lambert"), "signed in");
    let me: Value = app.get("/api/v1/me", &app.token("anne@namur.be", CHOSEN).await).await.json().await.unwrap();
    assert_eq!(me["user"]["status"], "active");

    // Her account page, from the header, in both languages, whole (a taller window).
    person.click("header a[href='/account']").await;
    person.wait_for("form[action='/account/password']").await;
    browser.set_window_size(1280, 1900).await.unwrap();
    person.in_both_languages("/account", "account", "form[action='/account/password']").await;
    // A wrong current password: the error beside its field, nothing typed shown again.
    person.type_into("password-current_password", "pas mon mot de passe").await;
    person.type_into("password-new_password", CHOSEN).await;
    person.type_into("password-new_password_confirm", CHOSEN).await;
    person.click("form[action='/account/password'] button[type=submit]").await;
    person.wait_for(".error-summary a[href='#password-current_password']").await;
    assert_eq!(person.wait_for("#password-current_password").await.prop("value").await.unwrap().as_deref(), Some(""));
    person.check("account-errors").await;
    // Her own language: Dutch, for every page from now on.
    person.wait_for("#language-locale option[value=nl]").await.click().await.unwrap();
    person.click("form[action='/account/language'] button[type=submit]").await;
    person.wait_for(".flash").await;
    assert_eq!(person.lang().await, "nl");
    assert!(person.main_text().await.contains("Uw taal is opgeslagen"), "{}", person.main_text().await);
    person.goto("/").await;
    person.wait_for("section[aria-labelledby='my-pools']").await;
    assert_eq!(person.lang().await, "nl", "the home page too");
    browser.set_window_size(1280, 1000).await.unwrap();

    // (b) Marie forgot her password. She is still signed in elsewhere (another browser, and
    // an application with an API token) when she asks for a new one here.
    let marie_token = app.create_member(namur, "marie@namur.be").await;
    let elsewhere = WebClient::new(&app);
    elsewhere.sign_in("marie@namur.be").await;
    assert_eq!(elsewhere.get("/").await.status, StatusCode::OK);

    person.click("form[action='/logout'] button").await;
    person.click("a[href='/password/forgot']").await;
    person.type_into("forgot-email", "marie@namur.be").await;
    person.click("form[action='/password/forgot'] button[type=submit]").await;
    person.wait_for("main [role=status]").await;
    assert!(person.main_text().await.contains("60 minutes"), "{}", person.main_text().await);
    person.check("password-forgot-sent").await;
    let mails = sink.wait_for(2, Duration::from_secs(20)).await;
    let reset = mails.iter().find(|m| m.event == "user.password_reset").expect("the reset email");
    assert_eq!(reset.to, "marie@namur.be");
    let path = link_of(reset, "/password/reset/");
    person.in_both_languages(&path, "password-reset", "#choose-password").await;
    person.choose_password().await;
    person.wait_for("section[aria-labelledby='my-pools']").await;

    // The session opened before, and the token, are gone; the old password too.
    let ended = elsewhere.get("/").await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "the other browser's session ended");
    assert!(ended.location().unwrap().starts_with("/login"));
    assert_eq!(app.get("/api/v1/me", &marie_token).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("marie@namur.be", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    app.token("marie@namur.be", CHOSEN).await;
}
