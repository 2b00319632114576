//! The pages in a real browser: Debian's Chromium, driven through WebDriver
//! (`chromedriver`, started here on a free port) with fantoccini, JavaScript on. A member
//! signs in, types a need and sees the similar pool appear, joins it, pledges and records
//! its council's decision; an officer sees what blocks the funded pool, reviews a duplicate
//! side by side and merges it, approves, opens a period of maintenance once the software is
//! delivered; the catalogue shows it; a disabled member's session ends at its next page.
//! axe-core (vendored in `tests/support/axe-core`) checks every page on the way: no serious
//! or critical violation. Screenshots of the main pages are taken on the way; with
//! `MUTUA_SCREENSHOTS=docs/screenshots` they are written there (the README shows them).
//!
//! The same flows without JavaScript, plain form posts, are in `web.rs`.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::{
    helpers::{OFFICER_EMAIL, PASSWORD, TestApp, spawn_app_with},
    process::{free_port, tool_or_skip, wait_for_port},
};

pub(crate) const CHROMEDRIVER: &str = "chromedriver";
pub(crate) const AXE: &str = include_str!("../support/axe-core/axe.min.js");
/// How long to wait for a page or an element before failing (a bound, not a measure).
pub(crate) const PATIENCE: Duration = Duration::from_secs(60);

/// `chromedriver` on a port of its own; killed when dropped.
pub(crate) struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub(crate) fn start() -> Driver {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        wait_for_port(port, "chromedriver");
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium with a fresh profile, for a machine without network.
pub(crate) async fn chromium(driver: &Driver, profile: &std::path::Path) -> Client {
    chromium_with(driver, profile, true).await
}

/// [`chromium`], with JavaScript on or off (a person whose browser runs no script).
pub(crate) async fn chromium_with(driver: &Driver, profile: &std::path::Path, javascript: bool) -> Client {
    let args = json!([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=1280,1000",
        "--lang=fr-BE",
        format!("--user-data-dir={}", profile.display()),
    ]);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    // The pages' language, for a person who is not signed in, comes from Accept-Language.
    let mut prefs = json!({"intl.accept_languages": "fr-BE,fr"});
    if !javascript {
        prefs["profile.managed_default_content_settings.javascript"] = json!(2);
    }
    capabilities
        .insert("goog:chromeOptions".into(), json!({"binary": "/usr/bin/chromium", "args": args, "prefs": prefs}));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

/// Where the screenshots go: `MUTUA_SCREENSHOTS` if set (relative to the crate), else a
/// temporary directory that goes with the test.
pub(crate) fn screenshots() -> (PathBuf, Option<tempfile::TempDir>) {
    match std::env::var("MUTUA_SCREENSHOTS") {
        Ok(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
            std::fs::create_dir_all(&dir).unwrap();
            (dir, None)
        }
        _ => {
            let temp = tempfile::tempdir().unwrap();
            (temp.path().to_owned(), Some(temp))
        }
    }
}

/// What every browser test does on a page: go to a path, wait for an element, type, click.
pub(crate) trait Browse {
    fn browser(&self) -> &Client;
    fn app(&self) -> &TestApp;

    async fn goto(&self, path: &str) {
        self.browser().goto(&self.app().url(path)).await.unwrap();
    }

    async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        match self.browser().wait().at_most(PATIENCE).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(error) => {
                let source = self.browser().source().await.unwrap_or_default();
                panic!("no {css} on {:?}: {error}\n{source}", self.browser().current_url().await.ok())
            }
        }
    }

    async fn type_into(&self, id: &str, text: &str) {
        let field = self.wait_for(&format!("#{id}")).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
    }

    /// Runs axe-core on the page; fails on any serious or critical violation, and answers
    /// how many violations it found in all.
    async fn axe(&self, what: &str) -> usize {
        self.browser().execute(AXE, vec![]).await.expect("inject axe-core");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ["violations"] })
                .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" ")) }))))
                .catch(e => done([{ id: "axe-error", impact: "critical", help: String(e), nodes: [] }]));
        "#;
        let found = self.browser().execute_async(script, vec![]).await.expect("axe-core runs");
        let violations = found.as_array().cloned().unwrap_or_default();
        let grave: Vec<&Value> =
            violations.iter().filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical"))).collect();
        assert!(grave.is_empty(), "{what}: accessibility violations {grave:#?}");
        violations.len()
    }
}

struct Visit<'a> {
    browser: &'a Client,
    app: &'a TestApp,
    shots: PathBuf,
    /// Every page checked by axe, with what it found.
    checked: Vec<String>,
}

impl Browse for Visit<'_> {
    fn browser(&self) -> &Client {
        self.browser
    }

    fn app(&self) -> &TestApp {
        self.app
    }
}

impl Visit<'_> {
    async fn main_text(&self) -> String {
        self.wait_for("main").await.text().await.unwrap()
    }

    async fn screenshot(&self, name: &str) {
        let png = self.browser.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    /// Runs axe-core on the page; fails on any serious or critical violation.
    async fn accessible(&mut self, what: &str) {
        let found = self.axe(what).await;
        self.checked.push(format!("{what}: {found} minor"));
    }
}

/// Signs out whoever is signed in, and signs `email` in.
async fn sign_in(visit: &Visit<'_>, email: &str) {
    visit.goto("/").await;
    if visit.browser.find(Locator::Css("form[action='/logout'] button")).await.is_ok() {
        visit.click("form[action='/logout'] button").await;
    }
    visit.wait_for("form[action='/login']").await;
    visit.type_into("login-email", email).await;
    visit.type_into("login-password", PASSWORD).await;
    visit.click("form[action='/login'] button[type=submit]").await;
    visit.wait_for("form[action='/logout']").await;
}

#[tokio::test]
async fn a_member_and_an_officer_in_chromium_from_a_typed_need_to_an_approval() {
    if !tool_or_skip(CHROMEDRIVER, "apt-get install chromium chromium-driver") {
        return;
    }
    // Never merged automatically here: the second need is suggested, and joined by hand.
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_MATCH_MERGE".into(), "1.01".into());
    })
    .await;
    let namur = app.create_organisation("Ville de Namur", "fr").await;
    let namur = app.create_member(namur, "echevin@namur.be").await;
    let posted = app
        .post_need_with(
            &namur,
            &json!({
                "title": "Gestion des concessions du cimetière",
                "description": "Registre numérique des concessions de nos cimetières, avec les échéances et le plan des parcelles.",
                "cpv_code": "48000000-8",
                "estimated_cost_cents": 4_000_000,
            }),
        )
        .await;
    let pool = posted["pool"]["id"].as_i64().unwrap();
    app.pledge(&namur, pool, 1_500_000).await;
    let ciney = app.create_organisation("Commune de Ciney", "fr").await;
    let ciney_token = app.create_member(ciney, "informatique@ciney.be").await;
    let ciney_user: Value = app.get("/api/v1/me", &ciney_token).await.json().await.unwrap();

    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = chromium(&driver, profile.path()).await;
    let (shots, _keep) = screenshots();
    let mut visit = Visit { browser: &browser, app: &app, shots, checked: Vec::new() };

    // Signing in, with a mistake first.
    visit.goto("/").await;
    visit.wait_for("form[action='/login']").await;
    visit.accessible("sign-in").await;
    visit.screenshot("login").await;
    visit.type_into("login-email", "informatique@ciney.be").await;
    visit.click("form[action='/login'] button[type=submit]").await;
    visit.wait_for(".error-summary a[href='#login-password']").await;
    visit.accessible("sign-in with errors").await;
    visit.screenshot("login-errors").await;
    visit.type_into("login-password", PASSWORD).await;
    visit.click("form[action='/login'] button[type=submit]").await;
    visit.wait_for("section[aria-labelledby='my-pools']").await;
    visit.accessible("member home, empty").await;

    // A need typed: the similar pool appears while typing.
    visit.click("a[href='/needs/new']").await;
    visit.type_into("need-title", "gestion des concessions de cimetiere").await;
    visit.type_into("need-description", "registre des concessions du cimetiere et rappel des echeances").await;
    visit.wait_for(&format!("#similar a[href='/pools/{pool}']")).await;
    visit.accessible("new need with similar pools").await;
    visit.screenshot("need-new-similar").await;
    visit.click("form[action='/needs/new'] button[type=submit]").await;
    visit.wait_for(".notice.success").await;
    visit.accessible("posted need").await;

    // Joining the suggested pool, then pledging the rest.
    visit.click(&format!("form[action$='/move'] input[value='{pool}'] ~ button")).await;
    visit.wait_for(&format!("form[action='/pools/{pool}/pledge']")).await;
    visit.type_into("pledge-amount", "25 000,00").await;
    visit.click(&format!("form[action='/pools/{pool}/pledge'] button[type=submit]")).await;
    // The pledge funds the pool: the page asks first.
    visit.wait_for("input[name=confirmed][value=yes]").await;
    visit.accessible("confirmation of a pledge that funds the pool").await;
    visit.click("input[name=confirmed] ~ button[type=submit]").await;
    visit.wait_for("h1 .state-funded").await;
    assert_eq!(app.pool(pool).await["state"], "funded");
    // WebDriver reads no-break spaces as spaces.
    let text = visit.main_text().await.replace(['\u{202F}', '\u{A0}'], " ");
    assert!(text.contains("Commune de Ciney") && text.contains("25 000,00 €"), "{text}");
    visit.accessible("pool page, member").await;
    visit.goto("/pools").await;
    visit.wait_for("table").await;
    visit.accessible("pool list").await;
    visit.goto("/pools/999999").await;
    visit.wait_for("main h1").await;
    visit.accessible("not found").await;

    // The pool is funded: the home page asks for the council's decision first.
    visit.goto("/").await;
    visit.wait_for(&format!("section[aria-labelledby='decisions'] a[href='/pools/{pool}#council']")).await;
    visit.accessible("member home with a decision to record").await;
    visit.screenshot("member-home").await;
    // Ciney's council decision, recorded on the pool's page: a mistake first.
    visit.click(&format!("section[aria-labelledby='decisions'] a[href='/pools/{pool}#council']")).await;
    visit.type_into("confirm-decision_ref", "Collège 2026/118").await;
    visit.type_into("confirm-decision_date", "31/2/2026").await;
    visit.click(&format!("form[action='/pools/{pool}/pledge/confirm'] button[type=submit]")).await;
    visit.wait_for(".error-summary a[href='#confirm-decided_by']").await;
    visit.accessible("council decision with errors").await;
    visit.goto(&format!("/pools/{pool}#council")).await;
    visit.type_into("confirm-decision_ref", "Collège 2026/118").await;
    visit.type_into("confirm-decision_date", "9/3/2026").await;
    visit.click("#confirm-decided_by").await;
    visit.browser.execute("document.getElementById('council').scrollIntoView()", vec![]).await.unwrap();
    visit.screenshot("pool-council").await;
    visit.click(&format!("form[action='/pools/{pool}/pledge/confirm'] button[type=submit]")).await;
    visit.wait_for("#council details").await;
    let text = visit.main_text().await;
    assert!(text.contains("Collège 2026/118 du 9 mars 2026"), "{text}");
    visit.accessible("pool page, council decision recorded").await;
    // Each participant's pledge with its council's decision, or that it is awaited.
    visit.browser.execute("document.getElementById('participants-title').scrollIntoView()", vec![]).await.unwrap();
    visit.screenshot("pool-member").await;

    // Andenne posts the same need in its own words: not merged here, a likely duplicate.
    let andenne = app.create_organisation("Ville d'Andenne", "fr").await;
    let andenne = app.create_member(andenne, "informatique@andenne.be").await;
    let posted = app
        .post_need_with(
            &andenne,
            &json!({"title": "Registre des concessions de cimetière", "description": "Suivi des concessions funéraires et de leurs échéances."}),
        )
        .await;
    let duplicate = posted["pool"]["id"].as_i64().unwrap();
    let listed: Value = app.get("/api/v1/duplicates", &app.officer_token).await.json().await.unwrap();
    let pair = json!([pool.min(duplicate), pool.max(duplicate)]);
    assert!(
        listed["items"].as_array().unwrap().iter().any(|i| json!([i["pools"][0]["id"], i["pools"][1]["id"]]) == pair),
        "{listed}"
    );

    // The officer's desk says whose council is still awaited, and the duplicate to review.
    sign_in(&visit, OFFICER_EMAIL).await;
    visit.wait_for(&format!("section[aria-labelledby='funded'] a[href='/pools/{pool}']")).await;
    let text = visit.main_text().await;
    assert!(text.contains("Ville de Namur attend la décision de son conseil"), "{text}");
    assert!(text.contains(&format!("Doublon probable du projet {duplicate} à examiner")), "{text}");
    assert!(!text.contains("Commune de Ciney attend"), "{text}");
    visit.accessible("officer home").await;
    visit.screenshot("officer-home").await;
    visit.click(&format!("section[aria-labelledby='funded'] a[href='/pools/{pool}']")).await;
    visit
        .wait_for(&format!(
            "#approve-submit a[href='/duplicates#pair-{}-{}']",
            pool.min(duplicate),
            pool.max(duplicate)
        ))
        .await;
    visit.accessible("pool page, officer, approval blocked").await;
    visit.screenshot("pool-officer").await;

    // Namur's council decides; Namur records it; the officer approves.
    sign_in(&visit, "echevin@namur.be").await;
    visit.goto(&format!("/pools/{pool}")).await;
    visit.type_into("confirm-decision_ref", "CC/2026/0412").await;
    visit.type_into("confirm-decision_date", "12/3/2026").await;
    visit.click("#confirm-decided_by-conseil").await;
    visit.click(&format!("form[action='/pools/{pool}/pledge/confirm'] button[type=submit]")).await;
    visit.wait_for("#council details").await;
    // The officer reviews the duplicate side by side, merges it, and approves.
    sign_in(&visit, OFFICER_EMAIL).await;
    visit.click("section[aria-labelledby='duplicates'] a[href='/duplicates']").await;
    let anchor = format!("pair-{}-{}", pool.min(duplicate), pool.max(duplicate));
    let proposed = format!("#{anchor} a[href='/pools/{duplicate}/merge?into_pool_id={pool}']");
    visit.wait_for(&proposed).await;
    let text = visit.main_text().await;
    assert!(text.contains("Ville d'Andenne") && text.contains("Registre des concessions de cimetière"), "{text}");
    visit.accessible("duplicates side by side").await;
    visit.screenshot("duplicates").await;
    // One direction proposed (the funded pool never moves), then a confirmation page.
    visit.click(&proposed).await;
    visit.wait_for(&format!("form[action='/pools/{duplicate}/merge'] button")).await;
    visit.accessible("merge confirmation").await;
    visit.screenshot("merge-confirm").await;
    visit.click(&format!("form[action='/pools/{duplicate}/merge'] button")).await;
    visit.wait_for(&format!("form[action='/pools/{pool}/approve']")).await;
    assert_eq!(app.pool(duplicate).await["state"], "merged");
    let text = visit.main_text().await;
    assert!(!text.contains("Doublon probable") && text.contains("Ville d'Andenne"), "{text}");
    visit.click(&format!("form[action='/pools/{pool}/approve'] button")).await;
    visit.click("input[name=confirmed] ~ button[type=submit]").await;
    visit.wait_for("h1 .state-approved").await;
    assert_eq!(app.pool(pool).await["state"], "approved");

    // Delivered, then a period of maintenance opened on the delivered pool's page.
    app.officer(pool, "award", Some(&json!({"supplier": "Coopérative du Libre SCRL", "amount_cents": 3_950_000})))
        .await;
    app.officer(
        pool,
        "deliver",
        Some(&json!({"repository_url": "https://git.example.be/cimetiere", "licence": "GPL-3.0-or-later"})),
    )
    .await;
    visit.goto(&format!("/pools/{pool}")).await;
    visit.wait_for(&format!("form[action='/pools/{pool}/maintenance']")).await;
    visit.accessible("delivered pool with the maintenance form").await;
    visit.type_into("maintenance-period_start", "1/1/2027").await;
    visit.type_into("maintenance-period_end", "31/12/2027").await;
    visit.type_into("maintenance-target", "6 000").await;
    visit.click(&format!("form[action='/pools/{pool}/maintenance'] button[type=submit]")).await;
    visit.wait_for(&format!("p.lead a[href='/pools/{pool}']")).await;
    visit.accessible("maintenance pool").await;
    assert_eq!(app.pool(pool).await["maintenance_pools"].as_array().map(Vec::len), Some(1));

    // The public catalogue: the software, its users, its maintenance.
    app.officer(pool, "award", Some(&json!({"supplier": "Coopérative du Libre SCRL", "amount_cents": 3_950_000})))
        .await;
    app.officer(
        pool,
        "deliver",
        Some(&json!({"repository_url": "https://git.example.be/cimetiere", "licence": "GPL-3.0-or-later"})),
    )
    .await;
    visit.click("form[action='/logout'] button").await;
    visit.wait_for("form[action='/login']").await;
    visit.goto("/catalogue").await;
    visit.wait_for("a[href='https://git.example.be/cimetiere']").await;
    let text = visit.main_text().await;
    assert!(text.contains("Maintenance du 1er janvier 2027 au 31 décembre 2027"), "{text}");
    visit.accessible("catalogue").await;
    visit.screenshot("catalogue").await;

    // A disabled member's session ends at its next page.
    visit.goto("/login").await;
    visit.type_into("login-email", "informatique@ciney.be").await;
    visit.type_into("login-password", PASSWORD).await;
    visit.click("form[action='/login'] button[type=submit]").await;
    visit.wait_for("section[aria-labelledby='my-pools']").await;
    let id = ciney_user["user"]["id"].as_i64().unwrap();
    let disabled = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&app.officer_token),
            Some(&json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled.status(), reqwest::StatusCode::OK);
    visit.click("a[href='/pools']").await;
    visit.wait_for("form[action='/login']").await;
    assert!(visit.browser.current_url().await.unwrap().path().starts_with("/login"));

    eprintln!("axe-core: {:?}", visit.checked);
    browser.close().await.unwrap();
}
