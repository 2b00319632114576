//! The pages for people over plain HTTP, as a browser without JavaScript uses them:
//! sessions and their end, CSRF, headers, authorisation matching the API's, forms with
//! their errors, amounts and languages, and the whole flow from a need to an approval.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{OFFICER_EMAIL, PASSWORD, TestApp, spawn_app, spawn_app_with},
    web_client::{Page, WebClient, between, member},
};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

async fn user_id(app: &TestApp, token: &str) -> i64 {
    let me: Value = app.get("/api/v1/me", token).await.json().await.unwrap();
    me["user"]["id"].as_i64().unwrap()
}

fn assert_page_headers(page: &Page) {
    let header = |name: &str| page.headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("content-security-policy").as_deref(), Some(CSP));
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"));
    assert!(!CSP.contains("unsafe-inline"));
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_no_inline_script() {
    let app = spawn_app().await;
    let web = WebClient::new(&app);
    let login = web.get("/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_page_headers(&login);
    assert_page_headers(&web.get("/catalogue").await);
    let home = web.sign_in(OFFICER_EMAIL).await;
    assert_eq!(home.status, StatusCode::OK);
    assert_page_headers(&home);
    assert_page_headers(&web.get("/pools/999").await);
    for page in [&login, &home] {
        assert!(!page.body.contains("<script>") && !page.body.contains(" onclick="), "inline script");
        assert!(!page.body.contains("style="), "inline style");
    }
}

#[tokio::test]
async fn session_cookie_is_http_only_lax_and_secure_behind_https() {
    let app = spawn_app().await;
    let web = WebClient::new(&app);
    let signed_in = web.sign_in_as(OFFICER_EMAIL, PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_in.location(), Some("/"));
    let cookie = signed_in.set_cookie("mutua_session");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");

    let https = spawn_app_with(|vars| {
        vars.insert("MUTUA_PUBLIC_URL".into(), "https://mutua.example.be".into());
    })
    .await;
    let web = WebClient::new(&https);
    let signed_in = web.sign_in_as(OFFICER_EMAIL, PASSWORD).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    let cookie = signed_in.set_cookie("__Host-mutua_session");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
}

#[tokio::test]
async fn a_form_without_its_token_is_refused_with_403() {
    let app = spawn_app().await;
    let (_, email, token) = member(&app, "Namur", "fr").await;
    let pool = app.open_pool(&token, "Registre des concessions", 4_000_000).await;
    let web = WebClient::new(&app);
    // The sign-in form itself: without the pre-session cookie's token.
    let refused = web.post("/login", &[("email", &email), ("password", PASSWORD), ("csrf_token", "x")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    web.sign_in(&email).await;
    let forms = [
        "/logout".to_owned(),
        "/needs/new".to_owned(),
        format!("/pools/{pool}/pledge"),
        format!("/pools/{pool}/pledge/withdraw"),
        format!("/pools/{pool}/pledge/confirm"),
        format!("/pools/{pool}/approve"),
        format!("/pools/{pool}/reject"),
        format!("/pools/{pool}/cancel"),
        format!("/pools/{pool}/award"),
        format!("/pools/{pool}/deliver"),
        format!("/pools/{pool}/merge"),
        format!("/pools/{pool}/maintenance"),
        "/needs/1/move".to_owned(),
        "/needs/1/withdraw".to_owned(),
        "/outbox/1/requeue".to_owned(),
        "/duplicates/dismiss".to_owned(),
    ];
    for form in &forms {
        for token in [None, Some("0".repeat(64))] {
            let mut fields = vec![("amount", "100"), ("title", "Un besoin"), ("reason", "parce que")];
            if let Some(token) = &token {
                fields.push(("csrf_token", token));
            }
            let answer = web.post(form, &fields).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{form} with token {token:?}");
        }
    }
    // Nothing happened: no pledge, and the session still holds.
    assert_eq!(app.pool(pool).await["pledged_cents"], 0);
    assert_eq!(web.get("/").await.status, StatusCode::OK);
    // Another person's token is not this person's.
    let other = WebClient::new(&app);
    let other_home = other.sign_in(OFFICER_EMAIL).await;
    let answer =
        web.post(&format!("/pools/{pool}/pledge"), &[("amount", "100"), ("csrf_token", &other_home.csrf())]).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_person_not_signed_in_is_sent_to_sign_in_and_back_to_a_local_page_only() {
    let app = spawn_app().await;
    let web = WebClient::new(&app);
    let answer = web.get("/pools?state=open").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/login?next=/pools%3Fstate%3Dopen"));
    let form = web.get("/login?next=/pools%3Fstate%3Dopen").await;
    assert!(form.body.contains(r#"name="next" value="/pools?state=open""#), "{}", form.body);
    let token = form.csrf();
    let back = web
        .post(
            "/login",
            &[("email", OFFICER_EMAIL), ("password", PASSWORD), ("csrf_token", &token), ("next", "/pools?state=open")],
        )
        .await;
    assert_eq!(back.location(), Some("/pools?state=open"));
    for evil in ["//evil.example/x", "https://evil.example", "/\\evil.example"] {
        let web = WebClient::new(&app);
        let token = web.get("/login").await.csrf();
        let answer = web
            .post("/login", &[("email", OFFICER_EMAIL), ("password", PASSWORD), ("csrf_token", &token), ("next", evil)])
            .await;
        assert_eq!(answer.location(), Some("/"), "{evil}");
    }
    // The catalogue is public.
    assert_eq!(WebClient::new(&app).get("/catalogue").await.status, StatusCode::OK);
    // The similar pools' fragment, asked for by htmx without a session, sends the whole
    // page to sign in rather than putting the sign-in form inside the need form.
    let fragment = app
        .client
        .get(app.url("/needs/similar?title=Cimeti%C3%A8re"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(fragment.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(fragment.headers()["hx-redirect"], "/login?next=/needs/similar%3Ftitle%3DCimeti%25C3%25A8re");
}

#[tokio::test]
async fn sign_out_ends_the_session_even_for_a_copy_of_its_cookie() {
    let app = spawn_app().await;
    let web = WebClient::new(&app);
    let home = web.sign_in(OFFICER_EMAIL).await;
    let stolen = web.cookie("mutua_session").unwrap();
    let out = web.submit(&home, "/logout", &[]).await;
    assert!(out.body.contains(r#"action="/login""#), "back on the sign-in form");
    assert!(web.cookie("mutua_session").is_none(), "the browser forgets it");
    let replay = WebClient::new(&app);
    replay.set_cookie("mutua_session", &stolen);
    let answer = replay.get("/").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(answer.set_cookie("mutua_session").contains("Max-Age=0"), "a dead session is cleared");
}

#[tokio::test]
async fn a_password_change_or_disabling_ends_the_web_sessions_at_the_next_page() {
    let app = spawn_app().await;
    let (_, email, token) = member(&app, "Namur", "fr").await;
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let changed = app
        .post(
            "/api/v1/me/password",
            &token,
            &json!({"current_password": PASSWORD, "new_password": "another long passphrase"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let answer = web.get("/").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/login?next=/"));

    let (_, email, token) = member(&app, "Ciney", "fr").await;
    let id = user_id(&app, &token).await;
    let web = WebClient::new(&app);
    let home = web.sign_in(&email).await;
    let disabled = app
        .request(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&app.officer_token),
            Some(&json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    // A form posted after the disabling changes nothing either.
    let answer = web.post("/needs/new", &[("title", "Registre des concessions"), ("csrf_token", &home.csrf())]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), Some("/login?next=/needs/new"));
    let needs: Value = app.get("/api/v1/needs", &app.officer_token).await.json().await.unwrap();
    assert_eq!(needs["total"], 0);
    // And a disabled person cannot sign in again.
    assert_eq!(web.sign_in_as(&email, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_member_sees_only_its_organisation_and_only_the_forms_it_may_use() {
    let app = spawn_app().await;
    let (_, namur_email, namur) = member(&app, "Namur", "fr").await;
    let (_, _, ciney) = member(&app, "Ciney", "fr").await;
    let theirs = app
        .post_need_with(&ciney, &json!({"title": "Réservation des salles de Ciney", "description": "secret de Ciney", "estimated_cost_cents": 1_000_000}))
        .await;
    let their_need = theirs["need"]["id"].as_i64().unwrap();
    let their_pool = theirs["pool"]["id"].as_i64().unwrap();
    let web = WebClient::new(&app);
    let home = web.sign_in(&namur_email).await;
    assert!(!home.body.contains("Réservation des salles de Ciney"), "another organisation's need on the home page");
    // The API answers 404 for another organisation's need; so does the page.
    assert_eq!(app.get(&format!("/api/v1/needs/{their_need}"), &namur).await.status(), StatusCode::NOT_FOUND);
    let page = web.get(&format!("/needs/{their_need}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("secret de Ciney"));
    // The pool is readable by any user, as in the API; a member sees no officer's form.
    let pool = web.get(&format!("/pools/{their_pool}")).await;
    assert_eq!(pool.status, StatusCode::OK);
    assert!(pool.body.contains(&format!(r#"action="/pools/{their_pool}/pledge""#)));
    for officer_form in ["approve", "reject", "cancel", "award", "deliver", "merge"] {
        assert!(
            !pool.body.contains(&format!("/pools/{their_pool}/{officer_form}\"")),
            "{officer_form} shown to a member"
        );
    }
    assert!(!pool.body.contains("/pledge/withdraw"), "no pledge to withdraw");
    // Officers' forms posted by a member: 403, as the API answers.
    for officer_form in ["approve", "reject", "cancel", "merge"] {
        let answer = web
            .post(
                &format!("/pools/{their_pool}/{officer_form}"),
                &[("reason", "parce que"), ("into_pool_id", "1"), ("csrf_token", &pool.csrf())],
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{officer_form}");
        let api = app
            .post(
                &format!("/api/v1/pools/{their_pool}/{officer_form}"),
                &namur,
                &json!({"reason": "parce que", "into_pool_id": 1}),
            )
            .await;
        assert_eq!(api.status(), StatusCode::FORBIDDEN, "API {officer_form}");
    }
    // A member cannot move another organisation's need either.
    let answer =
        web.post(&format!("/needs/{their_need}/move"), &[("pool_id", "1"), ("csrf_token", &pool.csrf())]).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(app.pool(their_pool).await["state"], "open");
}

#[tokio::test]
async fn officers_neither_post_needs_nor_pledge() {
    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let pool = app.open_pool(&namur, "Registre des concessions", 4_000_000).await;
    let web = WebClient::new(&app);
    let home = web.sign_in(OFFICER_EMAIL).await;
    assert!(!home.body.contains(r#"href="/needs/new""#), "no need form in an officer's menu");
    assert_eq!(web.get("/needs/new").await.status, StatusCode::FORBIDDEN);
    let token = home.csrf();
    let posted = web.post("/needs/new", &[("title", "Registre"), ("csrf_token", &token)]).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    let pool_page = web.get(&format!("/pools/{pool}")).await;
    assert!(!pool_page.body.contains(&format!(r#"action="/pools/{pool}/pledge""#)));
    let pledged = web.post(&format!("/pools/{pool}/pledge"), &[("amount", "100"), ("csrf_token", &token)]).await;
    assert_eq!(pledged.status, StatusCode::FORBIDDEN);
    assert_eq!(app.pool(pool).await["pledged_cents"], 0);
}

#[tokio::test]
async fn from_a_need_to_an_approval_with_forms_only() {
    // Never merged automatically: the second need is suggested, and joined by hand.
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_MATCH_MERGE".into(), "1.01".into());
    })
    .await;
    let (_, namur_email, _) = member(&app, "Namur", "fr").await;
    let (_, ciney_email, _) = member(&app, "Ciney", "fr").await;

    let namur = WebClient::new(&app);
    namur.sign_in(&namur_email).await;
    let form = namur.get("/needs/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let posted = namur
        .submit(
            &form,
            "/needs/new",
            &[
                ("title", "Gestion des concessions du cimetière"),
                ("description", "Registre numérique des concessions, échéances et plan des parcelles."),
                ("cpv_code", "48000000-8"),
                ("estimated_cost", "40 000,00 €"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK);
    assert!(posted.main_text().contains("Votre besoin a ouvert un nouveau projet"), "{}", posted.main_text());
    let pool: i64 = between(&posted.body, "href=\"/pools/", "\"").parse().unwrap();
    assert_eq!(app.pool(pool).await["target_cents"], 4_000_000);

    let ciney = WebClient::new(&app);
    ciney.sign_in(&ciney_email).await;
    let form = ciney.get("/needs/new").await;
    let posted = ciney
        .submit(
            &form,
            "/needs/new",
            &[
                ("title", "gestion des concessions de cimetiere"),
                ("description", "registre des concessions du cimetiere et rappel des echeances"),
                ("estimated_cost", ""),
            ],
        )
        .await;
    assert!(
        posted.main_text().contains("Gestion des concessions du cimetière"),
        "the suggestion: {}",
        posted.main_text()
    );
    let need: i64 = between(&posted.body, "action=\"/needs/", "/move\"").parse().unwrap();
    let joined = ciney.submit(&posted, &format!("/needs/{need}/move"), &[("pool_id", &pool.to_string())]).await;
    assert_eq!(joined.status, StatusCode::OK);
    assert!(joined.body.contains(&format!(r#"action="/pools/{pool}/pledge""#)), "on the pool's page");

    let pledged = ciney.submit(&joined, &format!("/pools/{pool}/pledge"), &[("amount", "25 000")]).await;
    assert_eq!(pledged.status, StatusCode::OK);
    // The pledge that funds the pool asks first, on a page of its own (no script needed).
    let asked = namur
        .submit(
            &namur.get(&format!("/pools/{pool}")).await,
            &format!("/pools/{pool}/pledge"),
            &[("amount", "15.000,00")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.body.contains(r#"name="confirmed" value="yes""#), "{}", asked.main_text());
    assert!(asked.main_text().contains("atteint son seuil"), "{}", asked.main_text());
    assert_eq!(app.pool(pool).await["state"], "open", "nothing done before the confirmation");
    let pledged =
        namur.submit(&asked, &format!("/pools/{pool}/pledge"), &[("amount", "15.000,00"), ("confirmed", "yes")]).await;
    assert_eq!(pledged.status, StatusCode::OK);
    assert!(pledged.main_text().contains("financé"), "{}", pledged.main_text());
    assert!(pledged.main_text().contains("Votre engagement est enregistré."), "{}", pledged.main_text());
    let api = app.pool(pool).await;
    assert_eq!((api["state"].as_str(), api["pledged_cents"].as_i64()), (Some("funded"), Some(4_000_000)));

    // The officer's desk says what keeps the funded pool from being approved.
    let office = WebClient::new(&app);
    let desk = office.sign_in(OFFICER_EMAIL).await;
    assert!(desk.body.contains(&format!(r#"href="/pools/{pool}""#)), "the funded pool is on the officer's desk");
    let text = desk.main_text();
    assert!(text.contains("Namur attend la décision de son conseil"), "{text}");
    assert!(text.contains("Ciney attend la décision de son conseil"), "{text}");

    // Each council's decision, recorded on the pool's page.
    for (web, reference) in [(&namur, "CC/2026/0412"), (&ciney, "Collège 2026-118")] {
        let home = web.get("/").await;
        assert!(home.body.contains(&format!(r##"href="/pools/{pool}#council""##)), "a decision to record");
        let page = web.get(&format!("/pools/{pool}")).await;
        let recorded = web
            .submit(
                &page,
                &format!("/pools/{pool}/pledge/confirm"),
                &[("decision_ref", reference), ("decision_date", "9/3/2026"), ("decided_by", "college")],
            )
            .await;
        assert_eq!(recorded.status, StatusCode::OK);
        assert!(recorded.main_text().contains(&format!("{reference} du 9 mars 2026")), "{}", recorded.main_text());
        assert!(!web.get("/").await.body.contains("#council"), "nothing left to record");
    }
    let desk = office.get("/").await;
    assert!(desk.main_text().contains("Prêt pour la décision"), "{}", desk.main_text());
    let pool_page = office.get(&format!("/pools/{pool}")).await;
    let asked = office.submit(&pool_page, &format!("/pools/{pool}/approve"), &[]).await;
    assert!(asked.body.contains(r#"name="confirmed" value="yes""#), "approving asks first");
    assert_eq!(app.pool(pool).await["state"], "funded");
    let approved = office.submit(&asked, &format!("/pools/{pool}/approve"), &[("confirmed", "yes")]).await;
    assert_eq!(approved.status, StatusCode::OK);
    assert!(approved.main_text().contains("Le projet est approuvé"), "{}", approved.main_text());
    assert_eq!(app.pool(pool).await["state"], "approved");
    assert_eq!(
        app.event_types(pool).await.iter().filter(|t| *t == "pool.approved").count(),
        1,
        "the same event as through the API"
    );
    // The award and the delivery, and the delivered software in the public catalogue.
    let awarded = office
        .submit(
            &approved,
            &format!("/pools/{pool}/award"),
            &[("supplier", "Coopérative du Libre"), ("amount", "39 500")],
        )
        .await;
    assert_eq!(app.pool(pool).await["award_cents"], 3_950_000, "{}", awarded.main_text());
    office
        .submit(
            &awarded,
            &format!("/pools/{pool}/deliver"),
            &[("repository_url", "https://git.example.be/cimetiere"), ("licence", "GPL-3.0-or-later")],
        )
        .await;
    let catalogue = WebClient::new(&app).get("/catalogue").await;
    let text = catalogue.main_text();
    for expected in [
        "Gestion des concessions du cimetière",
        "https://git.example.be/cimetiere",
        "GPL-3.0-or-later",
        "Namur",
        "Ciney",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[tokio::test]
async fn form_errors_are_beside_their_fields_in_the_page_language_with_the_values_kept() {
    let app = spawn_app().await;
    let (_, email, _) = member(&app, "Gemeente Voeren", "nl").await;
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let form = web.get("/needs/new").await;
    assert!(form.body.contains(r#"<html lang="nl">"#));
    let token = form.csrf();
    let answer = web
        .post(
            "/needs/new",
            &[
                ("title", "ab"),
                ("description", "iets"),
                ("estimated_cost", "1,234"),
                ("cpv_code", "123"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &answer.body;
    // The summary links to each field; each message is beside its field, in Dutch.
    for anchor in ["need-title", "need-estimated_cost", "need-cpv_code"] {
        assert!(body.contains(&format!(r##"href="#{anchor}""##)), "summary link to {anchor}");
        assert!(body.contains(&format!(r#"id="{anchor}-error""#)), "message beside {anchor}");
    }
    assert!(body.contains("Er is een probleem"));
    assert!(body.contains("Vul een titel van 3 tot 200 tekens in"));
    assert!(body.contains("Dit bedrag kan op twee manieren gelezen worden"));
    assert!(body.contains(r#"value="ab""#) && body.contains(">iets</textarea>") && body.contains(r#"value="1,234""#));
    assert!(body.contains("<title>Fout: "));
    let needs: Value = app.get("/api/v1/needs", &app.officer_token).await.json().await.unwrap();
    assert_eq!(needs["total"], 0);

    // A refused pledge: the amount's error beside it, the amount kept, in French.
    let (_, email, token) = member(&app, "Namur", "fr").await;
    let pool = app.open_pool(&token, "Registre des concessions", 4_000_000).await;
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let page = web.get(&format!("/pools/{pool}")).await;
    let answer = web.post(&format!("/pools/{pool}/pledge"), &[("amount", "douze"), ("csrf_token", &page.csrf())]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains(r##"href="#pledge-amount""##) && answer.body.contains(r#"id="pledge-amount-error""#));
    assert!(answer.body.contains("Indiquez le montant en chiffres"));
    assert!(answer.body.contains(r#"value="douze""#));
    // A rule of the service (the pool no longer takes pledges): shown the same way.
    app.officer(pool, "cancel", Some(&json!({"reason": "Le besoin est couvert"}))).await;
    let answer = web.post(&format!("/pools/{pool}/pledge"), &[("amount", "100"), ("csrf_token", &page.csrf())]).await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert!(answer.body.contains("le projet est désormais « annulé »"), "{}", answer.main_text());
}

/// Amounts typed the Belgian way (SPEC §15): on a French page `45.000` is forty-five
/// thousand euros, and more than two decimals is its own error.
#[tokio::test]
async fn a_french_pledge_of_45_000_with_a_dot_pledges_forty_five_thousand_euros() {
    let app = spawn_app().await;
    let (_, email, token) = member(&app, "Gembloux", "fr").await;
    let pool = app.open_pool(&token, "Registre des concessions", 9_000_000).await;
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let page = web.get(&format!("/pools/{pool}")).await;
    let path = format!("/pools/{pool}/pledge");
    let precise = web.post(&path, &[("amount", "45.000,505"), ("csrf_token", &page.csrf())]).await;
    assert_eq!(precise.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(precise.body.contains("Indiquez au plus deux chiffres après la virgule"), "{}", precise.main_text());
    assert_eq!(app.pool(pool).await["pledged_cents"], 0);

    let pledged = web.submit(&page, &path, &[("amount", "45.000")]).await;
    assert_eq!(pledged.status, StatusCode::OK);
    assert_eq!(app.pool(pool).await["pledged_cents"], 4_500_000);
}

#[tokio::test]
async fn amounts_and_words_follow_the_organisation_then_the_switch() {
    let app = spawn_app().await;
    let (_, fr_email, fr_token) = member(&app, "Namur", "fr").await;
    let (_, nl_email, nl_token) = member(&app, "Voeren", "nl").await;
    let pool = app.open_pool(&fr_token, "Registre des concessions", 4_000_000).await;
    app.pledge(&fr_token, pool, 1_200_050).await;
    app.pledge(&nl_token, pool, 100).await;

    let fr = WebClient::new(&app);
    fr.sign_in(&fr_email).await;
    let page = fr.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(r#"<html lang="fr">"#));
    assert!(page.body.contains("12\u{202F}000,50\u{A0}€"), "French amount");
    assert!(page.body.contains(r#"value="12 000,50""#), "the pledge in its field, as typed back");

    let nl = WebClient::with_language(&app, "de-BE,de;q=0.9");
    nl.sign_in(&nl_email).await;
    let page = nl.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(r#"<html lang="nl">"#), "the organisation's locale before the browser's");
    assert!(page.body.contains("€\u{A0}12.000,50"), "Dutch amount");
    let switched = nl.get(&format!("/lang/en?next=/pools/{pool}")).await;
    assert_eq!(switched.location(), Some(format!("/pools/{pool}").as_str()));
    let page = nl.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(r#"<html lang="en">"#), "the switch wins");
    assert!(page.body.contains("€12,000.50"));

    let anonymous = WebClient::with_language(&app, "de-BE,de;q=0.9,fr;q=0.5");
    let login = anonymous.get("/login").await;
    assert!(login.body.contains(r#"<html lang="de">"#) && login.body.contains("Anmelden"));
    let unknown = WebClient::with_language(&app, "es");
    assert!(unknown.get("/login").await.body.contains(r#"<html lang="fr">"#), "French by default");
}

#[tokio::test]
async fn sign_in_errors_and_the_api_throttle_are_shared() {
    let app = spawn_app().await;
    let web = WebClient::new(&app);
    let token = web.get("/login").await.csrf();
    let empty = web.post("/login", &[("email", ""), ("password", ""), ("csrf_token", &token)]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains(r##"href="#login-email""##) && empty.body.contains(r##"href="#login-password""##));
    let wrong =
        web.post("/login", &[("email", OFFICER_EMAIL), ("password", "wrong password!"), ("csrf_token", &token)]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("L&#39;adresse e-mail ou le mot de passe est incorrect"));
    assert!(wrong.body.contains(&format!(r#"value="{OFFICER_EMAIL}""#)), "the email kept");
    // Failed sign-ins through the pages and the API count on one throttle.
    for _ in 0..5 {
        web.post("/login", &[("email", OFFICER_EMAIL), ("password", "wrong password!"), ("csrf_token", &token)]).await;
        app.login(OFFICER_EMAIL, "wrong password!").await;
    }
    let throttled =
        web.post("/login", &[("email", OFFICER_EMAIL), ("password", PASSWORD), ("csrf_token", &token)]).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.login(OFFICER_EMAIL, PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn stylesheet_and_scripts_are_versioned_and_cached_for_a_year() {
    let app = spawn_app().await;
    let web = WebClient::new(&app);
    let login = web.get("/login").await;
    for file in ["mutua.css", "htmx.min.js", "mutua.js"] {
        let at = login.body.find(&format!("/{file}\"")).unwrap_or_else(|| panic!("{file} linked"));
        let start = login.body[..at].rfind("\"/static/").unwrap() + 1;
        let url = &login.body[start..at + file.len() + 1];
        let answer = web.get(url).await;
        assert_eq!(answer.status, StatusCode::OK, "{url}");
        let cache = answer.headers.get("cache-control").unwrap().to_str().unwrap();
        assert!(cache.contains("max-age=31536000") && cache.contains("immutable"), "{cache}");
        assert_eq!(answer.headers.get("x-content-type-options").unwrap(), "nosniff");
    }
    assert_eq!(web.get("/static/old/mutua.css").await.headers.get("cache-control").unwrap(), "public, max-age=60");
    assert_eq!(web.get("/static/x/nothing.js").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn emails_link_to_the_pools_web_page() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_PUBLIC_URL".into(), "https://mutua.example.be".into());
    })
    .await;
    let (_, _, token) = member(&app, "Namur", "fr").await;
    let pool = app.open_pool(&token, "Registre des concessions", 100_000).await;
    app.pledge(&token, pool, 100_000).await;
    let state = app.state();
    let mut sent = Vec::new();
    for _ in 0..200 {
        sent = state.mailer.transport().sent();
        if !sent.is_empty() {
            break;
        }
        state.mailer.deliver_due().await;
    }
    let raw = sent.first().expect("an email").clone();
    let message = mail_parser::MessageParser::default().parse(&raw).expect("an email");
    let (text, html) = (message.body_text(0).unwrap(), message.body_html(0).unwrap());
    let link = format!("https://mutua.example.be/pools/{pool}");
    assert!(text.contains(&link) && html.contains(&format!("href=\"{link}\"")), "{text}");
    assert!(!text.contains("/api/v1/pools") && !html.contains("/api/v1/pools"), "{text}");
}

#[tokio::test]
async fn the_pool_list_filters_by_state_and_words() {
    let app = spawn_app().await;
    let (_, email, token) = member(&app, "Namur", "fr").await;
    let cemetery = app.open_pool(&token, "Registre des concessions du cimetière", 4_000_000).await;
    let rooms = app.open_pool(&token, "Réservation des salles communales", 100_000).await;
    app.pledge(&token, rooms, 100_000).await;
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let link = |id: i64| format!(r#"href="/pools/{id}""#);
    let all = web.get("/pools").await;
    assert!(all.body.contains(&link(cemetery)) && all.body.contains(&link(rooms)));
    let funded = web.get("/pools?state=funded").await;
    assert!(funded.body.contains(&link(rooms)) && !funded.body.contains(&link(cemetery)));
    let words = web.get("/pools?q=cimeti%C3%A8re&page=x").await;
    assert_eq!(words.status, StatusCode::OK);
    assert!(words.body.contains(&link(cemetery)) && !words.body.contains(&link(rooms)));
    assert!(words.main_text().contains("Projets trouvés : 1"), "{}", words.main_text());
    // Accents aside, and in another language, as the matcher reads the words.
    for typed in ["cimetieres", "CIMETIERE", "Friedhof", "begraafplaats", "cemetery"] {
        let found = web.get(&format!("/pools?q={typed}")).await;
        assert!(found.body.contains(&link(cemetery)), "{typed}: {}", found.main_text());
        assert!(!found.body.contains(&link(rooms)), "{typed}: {}", found.main_text());
    }
    // Still within the state asked for.
    let funded = web.get("/pools?q=Friedhof&state=funded").await;
    assert!(!funded.body.contains(&link(cemetery)), "{}", funded.main_text());
}

/// The form's page a sign-in comes back to, when a form is posted after the session ended:
/// `/login?next=…`, then, signed in again, that page.
async fn back_after_signing_in(web: &WebClient<'_>, email: &str, answer: Page) -> Page {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let login = web.follow(answer).await;
    let next = between(&login.body, r#"name="next" value=""#, "\"").to_owned();
    let fields = [("email", email), ("password", PASSWORD), ("csrf_token", &login.csrf()), ("next", &next)];
    web.follow(web.post("/login", &fields).await).await
}

#[tokio::test]
async fn a_form_posted_after_the_session_ended_comes_back_to_its_page_not_to_a_post_only_address() {
    let app = spawn_app().await;
    let forms = ["/account/name", "/account/language", "/account/password", "/account/sign-out-everywhere"];
    for (form, commune) in forms.into_iter().zip(["Namur", "Ciney", "Dinant", "Huy"]) {
        // One person a form: sign-ins per account are limited.
        let (_, email, token) = member(&app, commune, "fr").await;
        let web = WebClient::new(&app);
        web.sign_in(&email).await;
        let account = web.get("/account").await;
        // The session ends while the page is open (here: signed out everywhere from
        // elsewhere); the browser still holds its cookie.
        let ended = app.request(reqwest::Method::POST, "/api/v1/me/sign-out-everywhere", Some(&token), None).await;
        assert_eq!(ended.status(), StatusCode::NO_CONTENT);
        let answer = web.post(form, &[("name", "Marie"), ("locale", "nl"), ("csrf_token", &account.csrf())]).await;
        assert_eq!(answer.location(), Some("/login?next=/account"), "{form}");
        let back = back_after_signing_in(&web, &email, answer).await;
        assert_eq!(back.status, StatusCode::OK, "{form}: {}", back.body);
        assert!(back.body.contains(r#"action="/account/name""#), "the account page again: {}", back.main_text());
    }

    // An officer's forms: the duplicates' review, the desk's outbox.
    let officer = WebClient::new(&app);
    officer.sign_in(OFFICER_EMAIL).await;
    for (page, form) in [("/duplicates", "/duplicates/dismiss"), ("/", "/outbox/1/requeue")] {
        let shown = officer.get(page).await;
        let token = app.token(OFFICER_EMAIL, PASSWORD).await;
        let ended = app.request(reqwest::Method::POST, "/api/v1/me/sign-out-everywhere", Some(&token), None).await;
        assert_eq!(ended.status(), StatusCode::NO_CONTENT);
        let answer = officer.post(form, &[("pool_a", "1"), ("pool_b", "2"), ("csrf_token", &shown.csrf())]).await;
        assert_eq!(answer.location(), Some(format!("/login?next={page}").as_str()), "{form}");
        let back = back_after_signing_in(&officer, OFFICER_EMAIL, answer).await;
        assert_eq!(back.status, StatusCode::OK, "{form}: {}", back.body);
    }
}
