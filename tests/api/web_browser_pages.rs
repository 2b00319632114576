//! The pages of SPEC section 15 in Chromium (WebDriver, as `web_browser.rs`): every page
//! checked by axe-core at 1280 px and at 390 px (no serious or critical violation) and
//! without sideways scrolling at 390 px, with a screenshot at each width; a Belgian amount
//! (`45.000`) pledged from a French form; a pledge that funds a pool asks first, with and
//! without JavaScript; a Dutch reader's maintenance pool in Dutch only; the officer's pages:
//! the desk's pools to cost and overdue pledges, a drop and a merge through their
//! confirmation pages, the duplicates review proposing one direction.

use std::path::PathBuf;

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::{
    helpers::{OFFICER_EMAIL, PASSWORD, TestApp, spawn_app},
    pledge_rules::age_pledges,
    process::tool_or_skip,
    web_browser::{Browse, CHROMEDRIVER, Driver, chromium_with, screenshots},
};

const WIDE: (u32, u32) = (1280, 1000);
const NARROW: (u32, u32) = (390, 844);

struct Tour<'a> {
    browser: &'a Client,
    app: &'a TestApp,
    shots: PathBuf,
    /// Every page checked, at both widths.
    checked: Vec<String>,
    /// What the next screenshots show: the page scrolled to this element (else its top).
    focus: Option<String>,
}

impl Browse for Tour<'_> {
    fn browser(&self) -> &Client {
        self.browser
    }

    fn app(&self) -> &TestApp {
        self.app
    }
}

impl Tour<'_> {
    /// The main content's text, no-break spaces read as spaces.
    async fn main_text(&self) -> String {
        self.wait_for("main").await.text().await.unwrap().replace(['\u{202F}', '\u{A0}'], " ")
    }

    async fn resize(&self, (width, height): (u32, u32)) {
        self.browser.set_window_size(width, height).await.unwrap();
        // The layout follows the new width before anything is measured.
        let _ = self.browser.execute("return document.body.offsetWidth", vec![]).await;
    }

    /// axe at 1280 px and at 390 px, no sideways scrolling at 390 px, and a screenshot at
    /// each width (`name.png`, `name-mobile.png`) when `name` is given.
    async fn check(&mut self, what: &str, name: Option<&str>) {
        let wide = self.axe(what).await;
        if let Some(name) = name {
            self.screenshot(name).await;
        }
        self.resize(NARROW).await;
        let widths = self
            .browser
            .execute(
                "const d = document.documentElement; \
                 const wide = [...document.querySelectorAll('body *')] \
                   .filter(e => e.getBoundingClientRect().right > d.clientWidth + 1) \
                   .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)); \
                 return [d.scrollWidth, d.clientWidth, wide];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, client) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
        assert!(scroll <= client, "{what}: scrolls sideways at 390 px ({scroll} > {client}): {}", widths[2]);
        let narrow = self.axe(&format!("{what} at 390 px")).await;
        if let Some(name) = name {
            self.screenshot(&format!("{name}-mobile")).await;
        }
        self.resize(WIDE).await;
        self.checked.push(format!("{what}: {wide}/{narrow} minor"));
    }

    async fn screenshot(&self, name: &str) {
        if let Some(css) = &self.focus {
            let scrolled = self
                .browser
                .execute(
                    "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView(); return !!e;",
                    vec![json!(css)],
                )
                .await
                .unwrap();
            assert_eq!(scrolled, json!(true), "no {css} to show");
        }
        let png = self.browser.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    /// [`Tour::check`], the screenshots showing `css` rather than the top of the page.
    async fn check_showing(&mut self, what: &str, name: &str, css: &str) {
        self.focus = Some(css.to_owned());
        self.check(what, Some(name)).await;
        self.focus = None;
    }

    async fn sign_in(&self, email: &str) {
        self.goto("/").await;
        if self.browser.find(Locator::Css("form[action='/logout'] button")).await.is_ok() {
            self.click("form[action='/logout'] button").await;
        }
        self.wait_for("form[action='/login']").await;
        self.type_into("login-email", email).await;
        self.type_into("login-password", PASSWORD).await;
        self.click("form[action='/login'] button[type=submit]").await;
        self.wait_for("form[action='/logout']").await;
    }
}

const CEMETERY: &str = "Gestion des concessions du cimetière";
const CEMETERY_TEXT: &str =
    "Registre numérique des concessions de nos cimetières, avec les échéances et le plan des parcelles.";

#[tokio::test]
async fn every_page_at_390_and_1280_a_belgian_amount_a_confirmed_funding_and_a_dutch_maintenance_pool() {
    if !tool_or_skip(CHROMEDRIVER, "apt-get install chromium chromium-driver") {
        return;
    }
    let app = spawn_app().await;
    let namur = app.create_organisation("Ville de Namur", "fr").await;
    let namur = app.create_member(namur, "echevin@namur.be").await;
    let posted = app
        .post_need_with(
            &namur,
            &json!({"title": CEMETERY, "description": CEMETERY_TEXT, "estimated_cost_cents": 4_500_000}),
        )
        .await;
    let pool = posted["pool"]["id"].as_i64().unwrap();
    let ciney = app.create_organisation("Commune de Ciney", "fr").await;
    app.create_member(ciney, "informatique@ciney.be").await;

    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = chromium_with(&driver, profile.path(), true).await;
    browser.set_window_size(WIDE.0, WIDE.1).await.unwrap();
    let (shots, _keep) = screenshots();
    let mut tour = Tour { browser: &browser, app: &app, shots, checked: Vec::new(), focus: None };

    tour.goto("/login").await;
    tour.wait_for("form[action='/login']").await;
    tour.check("sign-in", Some("login-390")).await;
    tour.goto("/catalogue").await;
    tour.wait_for("main h1").await;
    tour.check("catalogue, empty", None).await;
    tour.sign_in("informatique@ciney.be").await;
    tour.check("member home, nothing awaits", None).await;

    // The need form says which pool the need will join, in words, not in percent.
    tour.click("a[href='/needs/new']").await;
    tour.type_into("need-title", CEMETERY).await;
    tour.type_into("need-description", CEMETERY_TEXT).await;
    tour.wait_for(&format!("#similar .will-join a[href='/pools/{pool}']")).await;
    let similar = tour.wait_for("#similar").await.text().await.unwrap();
    assert!(similar.contains("Votre besoin rejoindra ce projet") && similar.contains("même besoin"), "{similar}");
    assert!(!similar.contains('%'), "{similar}");
    tour.check("new need, the pool it will join", Some("need-new-will-join")).await;
    tour.click("form[action='/needs/new'] button[type=submit]").await;
    tour.wait_for(".notice.success").await;
    tour.check("posted need", Some("need-posted")).await;

    // A latecomer is told how to take part; a Belgian amount, `45.000`, funds the pool: the
    // page asks first.
    tour.goto(&format!("/pools/{pool}")).await;
    tour.wait_for("#latecomer-title").await;
    tour.check("pool page, how to take part", Some("pool-latecomer")).await;
    tour.type_into("pledge-amount", "45.000").await;
    tour.click(&format!("form[action='/pools/{pool}/pledge'] button[type=submit]")).await;
    tour.wait_for("input[name=confirmed][value=yes]").await;
    let text = tour.main_text().await;
    assert!(text.contains("45 000,00 €") && text.contains("atteint son seuil"), "{text}");
    assert_eq!(app.pool(pool).await["state"], "open", "nothing pledged before the confirmation");
    tour.check("confirmation of a pledge that funds the pool", Some("confirm-pledge")).await;
    tour.click("form[action$='/pledge'] button[type=submit]").await;
    tour.wait_for(".flash").await;
    let after = app.pool(pool).await;
    assert_eq!(after["state"], "funded", "{after}");
    let own = after["participants"].as_array().unwrap().iter().find(|p| p["organisation_id"] == ciney).cloned();
    assert_eq!(own.as_ref().map(|p| p["pledged_cents"].clone()), Some(json!(4_500_000)), "{after}");
    let text = tour.main_text().await;
    assert!(text.contains("Votre engagement est enregistré.") && text.contains("45 000,00 €"), "{text}");
    tour.check("pool page with the success message", Some("pool-funded-message")).await;
    tour.goto("/").await;
    tour.wait_for("section[aria-labelledby='awaiting']").await;
    let text = tour.main_text().await;
    assert!(text.contains("Décisions du conseil à enregistrer") && !text.contains("Rien n'attend"), "{text}");
    tour.check("member home with a decision to record", Some("member-home-awaiting")).await;
    tour.goto("/pools?q=cimetieres").await;
    tour.wait_for(&format!("table a[href='/pools/{pool}']")).await;
    tour.check("pool list, searched without accents", Some("pools-search")).await;
    tour.goto("/pools/999999").await;
    tour.wait_for("main h1").await;
    assert!(tour.main_text().await.contains("Page introuvable"));
    tour.check("not found", None).await;

    // The officer: desk, the funded pool's decisions, the duplicates page.
    tour.sign_in(OFFICER_EMAIL).await;
    tour.check("officer home", Some("officer-desk")).await;
    tour.goto(&format!("/pools/{pool}")).await;
    tour.wait_for("#decisions-title").await;
    tour.check("pool page, officer", Some("pool-officer-decisions")).await;
    tour.goto("/duplicates").await;
    tour.wait_for("main h1").await;
    tour.check("duplicates", None).await;

    // A Dutch commune uses delivered software; its maintenance pool reads in Dutch only.
    let tienen = app.create_organisation("Stad Tienen", "nl").await;
    let tienen = app.create_member(tienen, "ict@tienen.be").await;
    let delivered = app.delivered_pool(&tienen, "Beheer van de openbare verlichting", 3_000_000).await;
    let period = json!({"period_start": "2027-01-01", "period_end": "2027-12-31", "target_cents": 600_000});
    let opened = app.post(&format!("/api/v1/pools/{delivered}/maintenance"), &app.officer_token, &period).await;
    assert_eq!(opened.status(), reqwest::StatusCode::CREATED);
    let maintenance = opened.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    tour.sign_in("ict@tienen.be").await;
    tour.wait_for(&format!("section[aria-labelledby='invitations'] a[href='/pools/{maintenance}']")).await;
    tour.check("Dutch member home with an invitation", Some("member-home-nl")).await;
    tour.goto(&format!("/pools/{maintenance}")).await;
    tour.wait_for("h1").await;
    let text = tour.main_text().await;
    assert!(text.contains("Onderhoud van 1 januari 2027 tot en met 31 december 2027"), "{text}");
    let french = [
        "Maintenance",
        "logiciel",
        "livré",
        " du ",
        " au ",
        "janvier",
        "décembre",
        "pool n°",
        "Projet",
        "inclus",
        "licence",
        "2027-01-01",
        "Software maintenance",
    ];
    let found: Vec<&&str> = french.iter().filter(|w| text.contains(**w)).collect();
    assert!(found.is_empty(), "French or English words on a Dutch page: {found:?}\n{text}");
    tour.check("Dutch maintenance pool", Some("pool-maintenance-nl")).await;
    tour.goto(&format!("/pools/{delivered}")).await;
    tour.wait_for("#maintenance-title").await;
    tour.check("Dutch delivered pool", None).await;
    tour.goto("/catalogue").await;
    tour.wait_for("a[href='https://git.example.be/logiciel']").await;
    tour.check("catalogue", Some("catalogue-maintenance")).await;
    eprintln!("axe-core at 1280 and 390 px: {:?}", tour.checked);
    browser.close().await.unwrap();
}

/// Without JavaScript, a pledge that funds a pool is asked about on a page of its own,
/// and goes through only once confirmed; withdrawing it asks too.
#[tokio::test]
async fn without_javascript_a_pledge_that_funds_a_pool_asks_first() {
    if !tool_or_skip(CHROMEDRIVER, "apt-get install chromium chromium-driver") {
        return;
    }
    let app = spawn_app().await;
    let namur = app.create_organisation("Ville de Namur", "fr").await;
    app.create_member(namur, "echevin@namur.be").await;
    let namur_token = app.token("echevin@namur.be", PASSWORD).await;
    let pool = app.open_pool(&namur_token, "Réservation des salles communales", 1_200_000).await;

    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = chromium_with(&driver, profile.path(), false).await;
    browser.set_window_size(WIDE.0, WIDE.1).await.unwrap();
    let (shots, _keep) = screenshots();
    let tour = Tour { browser: &browser, app: &app, shots, checked: Vec::new(), focus: None };
    tour.sign_in("echevin@namur.be").await;
    tour.goto(&format!("/pools/{pool}")).await;
    tour.type_into("pledge-amount", "12.000").await;
    tour.click(&format!("form[action='/pools/{pool}/pledge'] button[type=submit]")).await;
    tour.wait_for("input[name=confirmed][value=yes]").await;
    assert_eq!(app.pool(pool).await["state"], "open");
    let text = tour.main_text().await;
    assert!(text.contains("12 000,00 €"), "{text}");
    // "No, go back": nothing pledged.
    tour.click("main a.confirm-back").await;
    tour.wait_for(&format!("form[action='/pools/{pool}/pledge']")).await;
    assert_eq!(app.pool(pool).await["pledged_cents"], 0);
    tour.type_into("pledge-amount", "12.000").await;
    tour.click(&format!("form[action='/pools/{pool}/pledge'] button[type=submit]")).await;
    tour.click("input[name=confirmed] ~ button[type=submit]").await;
    tour.wait_for(".flash").await;
    assert_eq!(app.pool(pool).await["state"], "funded");
    assert_eq!(app.pool(pool).await["pledged_cents"], 1_200_000);
    browser.close().await.unwrap();
}

const ROOMS: (&str, &str) = ("Réservation des salles communales", "Calendrier en ligne des salles.");
const SPORT_HALLS: (&str, &str) =
    ("Planning d'occupation des salles de sport", "Réservation des créneaux par les clubs.");

/// The officer's side of §15 in Chromium, with a screenshot of each page at both widths: the
/// desk lists a pool whose cost is to set and an overdue pledge; the pledge is dropped
/// through its confirmation page; the duplicates review proposes one direction (the pool
/// with fewer participants moves) and a secondary "other way"; the merge goes through its
/// confirmation page, listing what moves, and ends on the surviving pool with a message.
#[tokio::test]
async fn an_officer_drops_an_overdue_pledge_and_merges_a_duplicate_through_confirmation_pages() {
    if !tool_or_skip(CHROMEDRIVER, "apt-get install chromium chromium-driver") {
        return;
    }
    let app = spawn_app().await;
    let namur = app.create_organisation("Ville de Namur", "fr").await;
    let namur = app.create_member(namur, "echevin@namur.be").await;
    let ciney_id = app.create_organisation("Commune de Ciney", "fr").await;
    let ciney = app.create_member(ciney_id, "informatique@ciney.be").await;
    let andenne = app.create_organisation("Ville d'Andenne", "fr").await;
    let andenne = app.create_member(andenne, "ict@andenne.be").await;

    let trees = app.post_need(&namur, "Inventaire des arbres remarquables", "Sans estimation").await;
    let trees = trees["pool"]["id"].as_i64().unwrap();
    let signing = app.open_pool(&namur, "Parapheur électronique", 1_000_000).await;
    app.pledge(&namur, signing, 500_000).await;
    app.pledge(&ciney, signing, 500_000).await;
    assert_eq!(app.confirm_pledge(&namur, signing).await.status(), reqwest::StatusCode::OK);
    age_pledges(&app, signing, 91 * 24 * 60);
    let body = |(title, description): (&str, &str)| json!({"title": title, "description": description, "estimated_cost_cents": 900_000});
    let rooms = app.post_need_with(&namur, &body(ROOMS)).await["pool"]["id"].as_i64().unwrap();
    let halls = app.post_need_with(&ciney, &body(SPORT_HALLS)).await["pool"]["id"].as_i64().unwrap();
    assert_ne!(rooms, halls);
    // Two participants in the rooms pool, one in the halls pool: the halls pool moves.
    assert_eq!(app.pledge(&andenne, rooms, 100_000).await.status(), reqwest::StatusCode::OK);

    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = chromium_with(&driver, profile.path(), true).await;
    browser.set_window_size(WIDE.0, WIDE.1).await.unwrap();
    let (shots, _keep) = screenshots();
    let mut tour = Tour { browser: &browser, app: &app, shots, checked: Vec::new(), focus: None };
    tour.sign_in(OFFICER_EMAIL).await;

    // The desk: the pool to cost, the overdue pledge with its drop link.
    let drop_path = format!("/pools/{signing}/pledges/{ciney_id}/drop");
    tour.wait_for(&format!("section[aria-labelledby='no-cost'] a[href='/pools/{trees}#cost']")).await;
    tour.wait_for(&format!("section[aria-labelledby='overdue'] a[href='{drop_path}']")).await;
    let text = tour.main_text().await;
    for expected in [
        "Projets dont le coût reste à fixer",
        "Inventaire des arbres remarquables",
        "Commune de Ciney : 5 000,00 €, provisoire depuis le",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    tour.check_showing("officer home, costs to set and overdue pledges", "officer-desk-overdue", "#no-cost").await;

    // The drop asks first, on a page of its own, then says it is done.
    tour.click(&format!("section[aria-labelledby='overdue'] a[href='{drop_path}']")).await;
    tour.wait_for("#drop-reason").await;
    let text = tour.main_text().await;
    assert!(text.contains("Retirer l'engagement de Commune de Ciney") && text.contains("5 000,00 €"), "{text}");
    assert!(text.contains("Envoyé par e-mail aux utilisateurs de cette organisation"), "the reason's hint: {text}");
    assert_eq!(app.pool(signing).await["state"], "funded", "nothing dropped before the confirmation");
    tour.check_showing("confirmation of a drop", "pledge-drop", "main .lead").await;
    tour.type_into("drop-reason", "Aucune décision du conseil depuis 90 jours.").await;
    tour.click(&format!("form[action='{drop_path}'] button[type=submit]")).await;
    tour.wait_for(".flash").await;
    let text = tour.main_text().await;
    assert!(text.contains("L'engagement est retiré ; l'organisation en est avertie par e-mail."), "{text}");
    let after = app.pool(signing).await;
    assert_eq!((after["state"].as_str(), after["pledged_cents"].as_i64()), (Some("open"), Some(500_000)), "{after}");

    // The review proposes one direction, the other as a secondary link.
    tour.goto("/duplicates").await;
    let primary = format!("a.button:not(.secondary)[href='/pools/{halls}/merge?into_pool_id={rooms}']");
    tour.wait_for(&primary).await;
    tour.wait_for(&format!("a.button.secondary[href='/pools/{rooms}/merge?into_pool_id={halls}']")).await;
    let primaries = browser.find_all(Locator::Css("main .pair-actions a.button:not(.secondary)")).await.unwrap();
    assert_eq!(primaries.len(), 1, "one primary button");
    let text = tour.main_text().await;
    assert!(text.contains(ROOMS.1) && text.contains(SPORT_HALLS.1), "each need's description: {text}");
    // Why: the words that matched, as a reader wrote them, and how they met.
    let why = tour.wait_for("main .pair .why").await.text().await.unwrap();
    assert!(why.contains("Pourquoi cette paire est proposée") && why.contains("salles (même mot)"), "{why}");
    tour.check_showing("duplicates, one direction proposed", "duplicates-proposed", "main .pair").await;

    // The merge's confirmation lists what moves; the surviving pool says it is done.
    tour.click(&primary).await;
    tour.wait_for(&format!("form[action='/pools/{halls}/merge'] button[type=submit]")).await;
    let text = tour.main_text().await;
    for expected in [SPORT_HALLS.0, "Commune de Ciney", "Besoins déplacés", "Engagements transférés"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert_eq!(app.pool(halls).await["state"], "open", "nothing merged before the confirmation");
    tour.check_showing("confirmation of a merge", "merge-confirm-moves", "#merge-needs").await;
    tour.click(&format!("form[action='/pools/{halls}/merge'] button[type=submit]")).await;
    tour.wait_for(".flash").await;
    assert!(browser.current_url().await.unwrap().path().ends_with(&format!("/pools/{rooms}")));
    let text = tour.main_text().await;
    assert!(
        text.contains(
            "La fusion est faite : les besoins et les engagements de l'autre projet sont désormais dans celui-ci."
        ),
        "{text}"
    );
    assert!(text.contains(&format!("Le projet {halls} a été fusionné dans celui-ci")), "the history names it: {text}");
    assert_eq!(app.pool(halls).await["state"], "merged");
    assert_eq!(app.pool(rooms).await["needs_count"], 2);
    tour.check("pool page after a merge", Some("pool-merged-message")).await;
    eprintln!("axe-core at 1280 and 390 px: {:?}", tour.checked);
    browser.close().await.unwrap();
}

/// The officers' pages of SPEC §14 in French and in Dutch, each checked by axe-core at both
/// widths with its screenshots: a pool's settings saved with a Belgian amount, the import's
/// preview of a file chosen with the file field (read into the form by the page's script),
/// and an organisation's page with an invited user and the invitation form.
#[tokio::test]
async fn the_officers_settings_import_and_invitation_pages_in_french_and_dutch() {
    if !tool_or_skip(CHROMEDRIVER, "apt-get install chromium chromium-driver") {
        return;
    }
    let app = spawn_app().await;
    let namur = app.create_organisation("Ville de Namur", "fr").await;
    let member = app.create_member(namur, "echevin@namur.be").await;
    let posted = app
        .post_need_with(
            &member,
            &json!({"title": CEMETERY, "description": CEMETERY_TEXT, "estimated_cost_cents": 4_500_000}),
        )
        .await;
    let pool = posted["pool"]["id"].as_i64().unwrap();
    let invited = app
        .post(
            &format!("/api/v1/organisations/{namur}/users"),
            &app.officer_token,
            &json!({"email": "anne.lambert@namur.be", "name": "Anne Lambert", "role": "member"}),
        )
        .await;
    assert_eq!(invited.status(), reqwest::StatusCode::CREATED);
    let dir = tempfile::tempdir().unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/onboarding.csv");
    let wrong = dir.path().join("fout.csv");
    let mut text = std::fs::read_to_string(&sample).unwrap();
    text.push_str("Stad Tienen;commune;nl;;0207.446.773;24107;;;\r\n");
    std::fs::write(&wrong, text).unwrap();

    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = chromium_with(&driver, profile.path(), true).await;
    browser.set_window_size(WIDE.0, WIDE.1).await.unwrap();
    let (shots, _keep) = screenshots();
    let mut tour = Tour { browser: &browser, app: &app, shots, checked: Vec::new(), focus: None };
    tour.sign_in(OFFICER_EMAIL).await;

    for (lang, file, saved, verdict) in [
        ("fr", &sample, "Les paramètres du projet sont enregistrés.", "à créer"),
        ("nl", &wrong, "De instellingen van het project zijn opgeslagen.", "fout"),
    ] {
        tour.goto(&format!("/lang/{lang}?next=/pools/{pool}")).await;
        tour.click(&format!("a[href='/pools/{pool}/settings']")).await;
        tour.type_into("settings-target", "45.000").await;
        tour.type_into("settings-threshold", "40.000").await;
        tour.click(&format!("form[action='/pools/{pool}/settings'] button[type=submit]")).await;
        tour.wait_for(".flash").await;
        assert!(tour.main_text().await.contains(saved));
        assert_eq!(app.pool(pool).await["threshold_cents"], 4_000_000);
        // Tall enough to show the message and every field.
        tour.resize((WIDE.0, 1500)).await;
        tour.check(&format!("pool settings ({lang})"), Some(&format!("pool-settings-{lang}"))).await;

        tour.goto("/organisations/import").await;
        let field = tour.wait_for("#import-file").await;
        field.send_keys(&file.display().to_string()).await.unwrap();
        let mut read = String::new();
        for _ in 0..50 {
            read = tour.wait_for("#import-csv").await.prop("value").await.unwrap().unwrap_or_default();
            if read.contains("Gemeinde Eupen") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(read.contains("Gemeinde Eupen"), "the chosen file is read into the field: {read:?}");
        tour.click("form[action='/organisations/import'] button[type=submit]").await;
        tour.wait_for("table.import-report").await;
        let text = tour.main_text().await;
        assert!(text.contains(verdict), "{text}");
        // The reason of a line in error, in view.
        let show =
            "const row = document.querySelector('tr.verdict-error'); if (row) row.scrollIntoView({block: 'center'});";
        browser.execute(show, vec![]).await.unwrap();
        tour.check(&format!("import preview ({lang})"), Some(&format!("import-preview-{lang}"))).await;

        tour.goto(&format!("/organisations/{namur}")).await;
        tour.wait_for("#invite-email").await;
        browser.execute("document.getElementById('users').scrollIntoView()", vec![]).await.unwrap();
        tour.check(
            &format!("organisation with its invitation form ({lang})"),
            Some(&format!("organisation-invite-{lang}")),
        )
        .await;
        // Back to the original settings for the next language.
        let reset = json!({"target_cents": 4_500_000, "threshold_cents": null});
        let patched = app
            .request(reqwest::Method::PATCH, &format!("/api/v1/pools/{pool}"), Some(&app.officer_token), Some(&reset))
            .await;
        assert_eq!(patched.status(), reqwest::StatusCode::OK);
    }
    assert_eq!(
        app.get("/api/v1/organisations?limit=10", &app.officer_token).await.json::<Value>().await.unwrap()["total"],
        2,
        "previews change nothing"
    );
    eprintln!("axe-core at 1280 and 390 px: {:?}", tour.checked);
    browser.close().await.unwrap();
}
