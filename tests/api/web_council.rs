//! Council decisions and maintenance on the pages (SPEC sections 10 and 11), over plain
//! HTTP as a browser without JavaScript uses them: a member records its council's decision
//! or refusal, an officer sees what keeps a funded pool from approval and opens a period of
//! maintenance, the catalogue shows it; each form refuses what the API refuses, with the
//! errors beside their fields.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{OFFICER_EMAIL, TestApp, spawn_app},
    web_client::{WebClient, member},
};

/// A funded pool of Namur (3 000 €) and Ciney (2 000 €), both pledges provisional:
/// `(pool, namur email, ciney email)`.
async fn funded_pool(app: &TestApp) -> (i64, String, String) {
    let (_, namur_email, namur) = member(app, "Namur", "fr").await;
    let (_, ciney_email, ciney) = member(app, "Ciney", "fr").await;
    let pool = app.open_pool(&namur, "Registre des concessions", 500_000).await;
    assert_eq!(app.pledge(&namur, pool, 300_000).await.status(), StatusCode::OK);
    assert_eq!(app.pledge(&ciney, pool, 200_000).await.status(), StatusCode::OK);
    assert_eq!(app.pool(pool).await["state"], "funded");
    (pool, namur_email, ciney_email)
}

fn participant<'a>(pool: &'a Value, name: &str) -> &'a Value {
    pool["participants"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()
}

#[tokio::test]
async fn a_member_records_its_councils_decision_with_errors_beside_their_fields_first() {
    let app = spawn_app().await;
    let (pool, namur_email, _) = funded_pool(&app).await;
    let web = WebClient::new(&app);
    let home = web.sign_in(&namur_email).await;
    // The decision to record comes first on the home page.
    let decisions = home.body.find(r#"id="decisions""#).expect("decisions to record");
    assert!(decisions < home.body.find(r#"id="my-pools""#).unwrap(), "first on the page");
    assert!(home.body.contains(&format!(r##"href="/pools/{pool}#council""##)));
    assert!(home.main_text().contains("Projet financé : la centrale attend cette décision."), "{}", home.main_text());

    let page = web.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(&format!(r#"action="/pools/{pool}/pledge/confirm""#)));
    assert!(page.main_text().contains("provisoire, en attente du conseil"), "{}", page.main_text());
    for body in ["college", "conseil", "bureau_permanent", "zone_council", "other"] {
        assert!(page.body.contains(&format!(r#"name="decided_by" value="{body}""#)), "{body}");
    }
    assert!(page.main_text().contains("Bureau permanent du CPAS"));

    // Nothing chosen, a date that does not exist: each error beside its field, in French.
    let path = format!("/pools/{pool}/pledge/confirm");
    let token = page.csrf();
    let refused =
        web.post(&path, &[("decision_ref", ""), ("decision_date", "31/2/2026"), ("csrf_token", &token)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["decision_ref", "decision_date", "decided_by"] {
        assert!(refused.body.contains(&format!(r##"href="#confirm-{field}""##)), "summary link to {field}");
        assert!(refused.body.contains(&format!(r#"id="confirm-{field}-error""#)), "message beside {field}");
    }
    assert!(refused.body.contains("Cette date n&#39;existe pas"));
    assert!(refused.body.contains(r#"value="31/2/2026""#), "the date typed is kept");
    // A date in the future, and the body chosen kept.
    let refused = web
        .post(
            &path,
            &[
                ("decision_ref", "CC/2026/0412"),
                ("decision_date", "1/1/2099"),
                ("decided_by", "conseil"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("La date de la décision ne peut pas être dans le futur"));
    assert!(refused.body.contains(r#"value="conseil" checked"#), "the choice kept");
    assert_eq!(participant(&app.pool(pool).await, "Namur")["pledge_status"], "provisional");

    // Recorded, with the date as people write it: the API's confirmation.
    let recorded = web
        .post(
            &path,
            &[
                ("decision_ref", "CC/2026/0412"),
                ("decision_date", "9 mars 2026"),
                ("decided_by", "conseil"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER);
    assert_eq!(recorded.location(), Some(format!("/pools/{pool}").as_str()));
    let api = app.pool(pool).await;
    let namur = participant(&api, "Namur");
    assert_eq!(
        (namur["pledge_status"].as_str(), namur["decision_ref"].as_str()),
        (Some("confirmed"), Some("CC/2026/0412"))
    );
    assert_eq!(app.event_types(pool).await.iter().filter(|t| *t == "pledge.confirmed").count(), 1);
    let page = web.follow(recorded).await;
    let text = page.main_text();
    assert!(text.contains("Votre engagement est confirmé par la décision CC/2026/0412 du 9 mars 2026"), "{text}");
    assert!(text.contains("(Conseil communal, provincial ou de l'action sociale)"), "{text}");
    assert!(
        text.contains("Namur : engagement de 3 000,00 € confirmé par la décision CC/2026/0412."),
        "history: {text}"
    );
    // Ciney's pledge is still provisional, shown as such beside it.
    assert!(text.contains("Ciney 2 000,00 € 2 000,00 € provisoire, en attente du conseil"), "{text}");
    assert!(!web.get("/").await.body.contains(r#"id="decisions""#), "nothing left to record");
}

#[tokio::test]
async fn a_council_refusal_recorded_on_the_page_reopens_the_funded_pool() {
    let app = spawn_app().await;
    let (pool, _, ciney_email) = funded_pool(&app).await;
    let web = WebClient::new(&app);
    web.sign_in(&ciney_email).await;
    let page = web.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(&format!(r#"action="/pools/{pool}/pledge/withdraw""#)), "the refusal form");
    // An empty refusal is not a plain withdrawal: its fields are asked for.
    let path = format!("/pools/{pool}/pledge/withdraw");
    let refused = web.post(&path, &[("decision_ref", ""), ("decision_date", ""), ("csrf_token", &page.csrf())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"id="refuse-decision_ref-error""#)
            && refused.body.contains(r#"id="refuse-decision_date-error""#)
    );
    assert_eq!(app.pool(pool).await["state"], "funded");

    let refusal = [("decision_ref", "CAS/2026/77"), ("decision_date", "2.3.2026")];
    let asked = web.submit(&page, &path, &refusal).await;
    assert!(asked.main_text().contains("CAS/2026/77"), "the refusal is confirmed first: {}", asked.main_text());
    assert_eq!(app.pool(pool).await["state"], "funded");
    let reopened = web.submit(&asked, &path, &[refusal[0], refusal[1], ("confirmed", "yes")]).await;
    assert_eq!(reopened.status, StatusCode::OK);
    assert!(reopened.main_text().contains("Le refus de votre conseil est enregistré"), "{}", reopened.main_text());
    let api = app.pool(pool).await;
    assert_eq!((api["state"].as_str(), api["pledged_cents"].as_i64()), (Some("open"), Some(300_000)));
    let events = app.event_types(pool).await;
    assert!(
        events.contains(&"pledge.refused".to_owned()) && events.contains(&"pool.reopened".to_owned()),
        "{events:?}"
    );
    let text = reopened.main_text();
    assert!(text.contains("Ciney : son conseil a refusé l'engagement de 2 000,00 € (décision CAS/2026/77)"), "{text}");
    assert!(text.contains("Rouvert aux engagements"), "{text}");
}

#[tokio::test]
async fn the_officer_sees_what_blocks_an_approval_and_a_blocked_approval_is_worded() {
    let app = spawn_app().await;
    let (pool, namur_email, _) = funded_pool(&app).await;
    let office = WebClient::new(&app);
    let desk = office.sign_in(OFFICER_EMAIL).await;
    let text = desk.main_text();
    assert!(text.contains("Namur attend la décision de son conseil"), "{text}");
    assert!(text.contains("Ciney attend la décision de son conseil"), "{text}");
    let page = office.get(&format!("/pools/{pool}")).await;
    assert!(
        page.main_text()
            .contains("Le projet ne peut pas encore être approuvé : Namur attend la décision de son conseil")
    );
    assert!(!page.body.contains("/pledge/confirm"), "no council form for an officer");

    // Approving anyway: 409, worded beside the approval.
    let answer =
        office.post(&format!("/pools/{pool}/approve"), &[("csrf_token", &page.csrf()), ("confirmed", "yes")]).await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert!(answer.body.contains(r#"id="approve-submit-error""#), "beside the button");
    assert!(answer.body.contains("attendent la décision de leur conseil"), "{}", answer.main_text());
    assert_eq!(app.pool(pool).await["state"], "funded");

    // Once Namur's decision is recorded, only Ciney is waited for.
    let namur = WebClient::new(&app);
    namur.sign_in(&namur_email).await;
    let namur_page = namur.get(&format!("/pools/{pool}")).await;
    namur
        .submit(
            &namur_page,
            &format!("/pools/{pool}/pledge/confirm"),
            &[("decision_ref", "CC/2026/0412"), ("decision_date", "2026-03-09"), ("decided_by", "college")],
        )
        .await;
    let text = office.get("/").await.main_text();
    assert!(!text.contains("Namur attend") && text.contains("Ciney attend la décision de son conseil"), "{text}");
}

#[tokio::test]
async fn a_member_never_sees_nor_uses_another_organisations_council_form_and_officers_forms_stay_theirs() {
    let app = spawn_app().await;
    let (pool, namur_email, _) = funded_pool(&app).await;
    let (_, liege_email, liege) = member(&app, "Liège", "fr").await;
    let delivered = app.delivered_pool(&liege, "Inventaire des voiries", 1_000).await;
    let web = WebClient::new(&app);
    web.sign_in(&liege_email).await;
    // Liège takes no part: no council form, and posting one touches nobody's pledge (404,
    // as the API answers: no pledge of the caller's organisation).
    let page = web.get(&format!("/pools/{pool}")).await;
    assert!(!page.body.contains("/pledge/confirm") && !page.body.contains("/pledge/withdraw"), "no council form");
    let decision = [("decision_ref", "CC/1"), ("decision_date", "1/3/2026"), ("decided_by", "college")];
    let mut fields = decision.to_vec();
    let token = page.csrf();
    fields.push(("csrf_token", &token));
    let answer = web.post(&format!("/pools/{pool}/pledge/confirm"), &fields).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let api = app
        .post(
            &format!("/api/v1/pools/{pool}/pledge/confirm"),
            &liege,
            &json!({"decision_ref": "CC/1", "decision_date": "2026-03-01", "decided_by": "college"}),
        )
        .await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND, "the API agrees");
    let refusal = web
        .post(
            &format!("/pools/{pool}/pledge/withdraw"),
            &fields[..2].iter().copied().chain([("csrf_token", token.as_str())]).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(refusal.status, StatusCode::NOT_FOUND);
    let api = app.pool(pool).await;
    assert_eq!((api["state"].as_str(), api["pledged_cents"].as_i64()), (Some("funded"), Some(500_000)));
    for name in ["Namur", "Ciney"] {
        assert_eq!(participant(&api, name)["pledge_status"], "provisional", "{name}");
    }
    // Nor does a member see or use the officers' maintenance form (403 as the API).
    let page = web.get(&format!("/pools/{delivered}")).await;
    assert!(!page.body.contains("/maintenance\""), "no maintenance form for a member");
    let period =
        [("period_start", "1/1/2027"), ("period_end", "31/12/2027"), ("target", "500"), ("csrf_token", &token)];
    assert_eq!(web.post(&format!("/pools/{delivered}/maintenance"), &period).await.status, StatusCode::FORBIDDEN);
    let api = app
        .post(
            &format!("/api/v1/pools/{delivered}/maintenance"),
            &liege,
            &json!({"period_start": "2027-01-01", "period_end": "2027-12-31", "target_cents": 50_000}),
        )
        .await;
    assert_eq!(api.status(), StatusCode::FORBIDDEN, "the API agrees");
    assert_eq!(app.pool(delivered).await["maintenance_pools"], json!([]));

    // An officer has no pledge to confirm: 403, as the API answers.
    let office = WebClient::new(&app);
    let desk = office.sign_in(OFFICER_EMAIL).await;
    let mut fields = decision.to_vec();
    let token = desk.csrf();
    fields.push(("csrf_token", &token));
    assert_eq!(office.post(&format!("/pools/{pool}/pledge/confirm"), &fields).await.status, StatusCode::FORBIDDEN);
    let _ = namur_email;
}

#[tokio::test]
async fn an_officer_opens_maintenance_on_the_page_and_the_catalogue_shows_it() {
    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let delivered = app.delivered_pool(&namur, "Registre des concessions", 4_000_000).await;
    let office = WebClient::new(&app);
    office.sign_in(OFFICER_EMAIL).await;
    let page = office.get(&format!("/pools/{delivered}")).await;
    assert!(page.body.contains(&format!(r#"action="/pools/{delivered}/maintenance""#)));
    assert!(page.main_text().contains("Aucune maintenance n'a encore été ouverte pour ce logiciel."));
    let path = format!("/pools/{delivered}/maintenance");

    // Typing errors first, each beside its field, what was typed kept.
    let refused = office
        .submit(
            &page,
            &path,
            &[("period_start", "1/1/27"), ("period_end", "31/12/2027"), ("target", "huit mille"), ("threshold", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"id="maintenance-period_start-error""#)
            && refused.body.contains("l&#39;année en quatre chiffres")
    );
    assert!(
        refused.body.contains(r#"id="maintenance-target-error""#) && refused.body.contains(r#"value="huit mille""#)
    );
    // Then the API's own rule of a period: its end after its start.
    let refused = office
        .submit(&page, &path, &[("period_start", "31/12/2027"), ("period_end", "1/1/2027"), ("target", "8 000")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("La fin de la période doit être postérieure à son début"), "{}", refused.main_text());

    let opened = office
        .submit(
            &page,
            &path,
            &[
                ("period_start", "1/1/2027"),
                ("period_end", "31/12/2027"),
                ("target", "8 000"),
                ("threshold", "6 000,00"),
                ("deadline", ""),
                ("title", ""),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK);
    let maintenance = app.pool(delivered).await["maintenance_pools"][0]["id"].as_i64().expect("a maintenance pool");
    let api = app.pool(maintenance).await;
    assert_eq!(
        (
            api["kind"].as_str(),
            api["maintains_pool_id"].as_i64(),
            api["target_cents"].as_i64(),
            api["threshold_cents"].as_i64()
        ),
        (Some("maintenance"), Some(delivered), Some(800_000), Some(600_000))
    );
    let text = opened.main_text();
    assert!(
        text.contains("Maintenance du 1er janvier 2027 au 31 décembre 2027 du logiciel livré par le projet n° 1")
            && text.contains("Le projet de maintenance est ouvert"),
        "{text}"
    );
    // A period that overlaps it: beside the period's start.
    let page = office.get(&format!("/pools/{delivered}")).await;
    assert!(page.body.contains(&format!(r#"href="/pools/{maintenance}""#)), "listed on the delivered pool");
    let refused = office
        .submit(&page, &path, &[("period_start", "1/6/2027"), ("period_end", "31/5/2028"), ("target", "8 000")])
        .await;
    assert!(
        refused.body.contains("Cette période chevauche celle d&#39;une autre maintenance"),
        "{}",
        refused.main_text()
    );
    assert_eq!(app.pool(delivered).await["maintenance_pools"].as_array().map(Vec::len), Some(1));

    // The catalogue, public: the software, its users and its maintenance with its state.
    let catalogue = WebClient::new(&app).get("/catalogue").await;
    let text = catalogue.main_text();
    for expected in
        ["Registre des concessions", "Namur", "EUPL-1.2", "Maintenance du 1er janvier 2027 au 31 décembre 2027 ouvert"]
    {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(
        !catalogue.body.contains(&format!(r#"href="/pools/{maintenance}""#)),
        "no link to a page that needs a sign-in"
    );
    let signed_in = office.get("/catalogue").await;
    assert!(signed_in.body.contains(&format!(r#"href="/pools/{maintenance}""#)));
}
