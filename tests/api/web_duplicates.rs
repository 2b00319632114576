//! The duplicate review on the pages (SPEC sections 9 and 11), over plain HTTP: an officer
//! sees each candidate pair side by side, merges one pool into the other or dismisses the
//! pair with a reason; a pool with a pair still to review cannot be approved, and its page
//! and the officer's desk say so; members neither see nor use the review.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{OFFICER_EMAIL, TestApp, spawn_app},
    web_client::{WebClient, member},
};

/// Two texts the matcher scores as likely the same need, not enough to merge them (as in
/// `duplicates.rs`).
const ROOMS: (&str, &str) = ("Réservation des salles communales", "Calendrier en ligne des salles.");
const SPORT_HALLS: (&str, &str) =
    ("Planning d'occupation des salles de sport", "Réservation des créneaux par les clubs.");

/// Namur's rooms pool (funded, its pledge confirmed) and Ciney's sport halls pool (open): a
/// candidate pair. `(rooms, halls, namur email)`.
async fn a_pair(app: &TestApp) -> (i64, i64, String) {
    let (_, namur_email, namur) = member(app, "Namur", "fr").await;
    let (_, _, ciney) = member(app, "Ciney", "fr").await;
    let post = |token: &str, (title, description): (&str, &str), cost: i64| {
        let body = json!({"title": title, "description": description, "estimated_cost_cents": cost});
        let token = token.to_owned();
        async move { app.post_need_with(&token, &body).await }
    };
    let rooms = post(&namur, ROOMS, 500_000).await;
    let halls = post(&ciney, SPORT_HALLS, 300_000).await;
    assert_eq!(halls["merged"], false, "{halls}");
    let (rooms, halls) = (rooms["pool"]["id"].as_i64().unwrap(), halls["pool"]["id"].as_i64().unwrap());
    assert_eq!(app.pledge(&namur, rooms, 500_000).await.status(), StatusCode::OK);
    assert_eq!(app.confirm_pledge(&namur, rooms).await.status(), StatusCode::OK);
    let listed: Value = app.get("/api/v1/duplicates", &app.officer_token).await.json().await.unwrap();
    assert_eq!(listed["total"], 1, "{listed}");
    (rooms, halls, namur_email)
}

fn anchor(a: i64, b: i64) -> String {
    format!("pair-{}-{}", a.min(b), a.max(b))
}

#[tokio::test]
async fn the_officer_sees_a_pair_side_by_side_and_what_it_blocks() {
    let app = spawn_app().await;
    let (rooms, halls, _) = a_pair(&app).await;
    let office = WebClient::new(&app);
    let desk = office.sign_in(OFFICER_EMAIL).await;
    // The desk: the pair to review, and the funded pool it blocks.
    let text = desk.main_text();
    assert!(text.contains("Doublons à examiner 1"), "{text}");
    assert!(desk.body.contains(&format!(r##"href="/duplicates#{}""##, anchor(rooms, halls))));
    assert!(text.contains(&format!("Doublon probable du projet {halls} à examiner")), "{text}");
    assert!(!text.contains("Prêt pour la décision"), "{text}");
    // The review: both pools side by side, with their states, who takes part, the money.
    let review = office.get("/duplicates").await;
    assert_eq!(review.status, StatusCode::OK);
    let text = review.main_text();
    for expected in [ROOMS.0, SPORT_HALLS.0, "Namur", "Ciney", "financé", "ouvert", "5 000,00", "ressemblance"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(review.body.contains(&format!(r#"id="{}""#, anchor(rooms, halls))));
    // Each need with its description and estimate.
    for expected in [ROOMS.1, SPORT_HALLS.1, "estimé à 3 000,00 €"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // One direction: the open pool into the funded one, which never moves (SPEC §15).
    assert!(review.body.contains(&format!(r#"href="/pools/{halls}/merge?into_pool_id={rooms}""#)));
    assert!(!review.body.contains(&format!(r#"href="/pools/{rooms}/merge"#)), "a funded pool never moves");
    // The funded pool's page says the approval waits for the review, and approving is 409.
    let page = office.get(&format!("/pools/{rooms}")).await;
    assert!(page.main_text().contains(&format!("Doublon probable du projet {halls} à examiner")));
    let refused =
        office.post(&format!("/pools/{rooms}/approve"), &[("csrf_token", &page.csrf()), ("confirmed", "yes")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("un doublon probable doit d&#39;abord être examiné"), "{}", refused.main_text());
    assert_eq!(app.pool(rooms).await["state"], "funded");
}

#[tokio::test]
async fn a_dismissed_pair_leaves_the_review_with_its_reason_and_the_pool_can_be_approved() {
    let app = spawn_app().await;
    let (rooms, halls, _) = a_pair(&app).await;
    let office = WebClient::new(&app);
    office.sign_in(OFFICER_EMAIL).await;
    let review = office.get("/duplicates").await;
    // A reason too short: beside the pair's reason field, what was typed kept.
    let form = format!("dismiss-{}-{}", rooms.min(halls), rooms.max(halls));
    let pair = [("pool_a", rooms.to_string()), ("pool_b", halls.to_string())];
    let fields = |reason: &str| {
        let mut all: Vec<(&str, String)> = pair.to_vec();
        all.push(("reason", reason.to_owned()));
        all
    };
    let short = fields("ab");
    let short: Vec<(&str, &str)> = short.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = office.submit(&review, "/duplicates/dismiss", &short).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(&format!(r#"id="{form}-reason-error""#)), "beside the field");
    assert!(refused.body.contains(&format!(r##"href="#{form}-reason""##)), "in the summary");
    assert!(refused.body.contains(">ab</textarea>"));

    let reason = "Des salles communales d'un côté, des salles de sport et leurs clubs de l'autre.";
    let given = fields(reason);
    let given: Vec<(&str, &str)> = given.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dismissed = office.submit(&review, "/duplicates/dismiss", &given).await;
    assert_eq!(dismissed.status, StatusCode::OK);
    assert!(dismissed.main_text().contains("Aucun doublon probable n'attend d'examen."), "{}", dismissed.main_text());
    assert!(
        dismissed.body.contains("La paire est écartée : ce ne sont pas des doublons."),
        "the dismissal says it was done"
    );
    let listed: Value = app.get("/api/v1/duplicates", &app.officer_token).await.json().await.unwrap();
    assert_eq!(listed["total"], 0);
    for pool in [rooms, halls] {
        assert!(app.event_types(pool).await.contains(&"pool.duplicate_dismissed".to_owned()), "{pool}");
    }
    let page = office.get(&format!("/pools/{rooms}")).await;
    let text = page.main_text();
    assert!(text.contains(&format!("ne sont pas le même besoin : {reason}")), "{text}");
    let approved = office.submit(&page, &format!("/pools/{rooms}/approve"), &[("confirmed", "yes")]).await;
    assert_eq!(approved.status, StatusCode::OK);
    assert_eq!(app.pool(rooms).await["state"], "approved");
}

#[tokio::test]
async fn merging_from_the_review_moves_the_needs_and_ends_the_pair() {
    let app = spawn_app().await;
    let (rooms, halls, _) = a_pair(&app).await;
    let office = WebClient::new(&app);
    office.sign_in(OFFICER_EMAIL).await;
    office.get("/duplicates").await;
    // The review leads to a confirmation page that says what moves.
    let confirm = office.get(&format!("/pools/{halls}/merge?into_pool_id={rooms}")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let text = confirm.main_text();
    assert!(text.contains(&format!("Fusionner le projet {halls} dans le projet {rooms} ?")), "{text}");
    for expected in [SPORT_HALLS.0, "Ciney", "estimé à 3 000,00 €"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert_eq!(app.pool(halls).await["state"], "open", "nothing merged by looking");
    let merged =
        office.submit(&confirm, &format!("/pools/{halls}/merge"), &[("into_pool_id", &rooms.to_string())]).await;
    assert_eq!(merged.status, StatusCode::OK);
    assert!(merged.body.contains(&format!(r#"action="/pools/{rooms}/approve""#)), "on the surviving pool");
    assert_eq!(app.pool(halls).await["state"], "merged");
    let survivor = app.pool(rooms).await;
    assert_eq!(survivor["needs_count"], 2);
    let listed: Value = app.get("/api/v1/duplicates", &app.officer_token).await.json().await.unwrap();
    assert_eq!(listed["total"], 0);
    let text = merged.main_text();
    assert!(!text.contains("Doublon probable") && text.contains("Les engagements couvrent le seuil"), "{text}");
}

#[tokio::test]
async fn members_neither_see_nor_use_the_review() {
    let app = spawn_app().await;
    let (rooms, halls, namur_email) = a_pair(&app).await;
    let web = WebClient::new(&app);
    let home = web.sign_in(&namur_email).await;
    assert!(!home.body.contains(r#"href="/duplicates""#), "not in a member's menu");
    assert_eq!(web.get("/duplicates").await.status, StatusCode::FORBIDDEN);
    let (a, b) = (rooms.to_string(), halls.to_string());
    let answer = web.post("/duplicates/dismiss", &[("pool_a", &a), ("pool_b", &b), ("csrf_token", &home.csrf())]).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let api = app
        .post(
            "/api/v1/duplicates/dismiss",
            &app.token(&namur_email, crate::helpers::PASSWORD).await,
            &json!({"pool_ids": [rooms, halls]}),
        )
        .await;
    assert_eq!(api.status(), StatusCode::FORBIDDEN, "the API agrees");
    let listed: Value = app.get("/api/v1/duplicates", &app.officer_token).await.json().await.unwrap();
    assert_eq!(listed["total"], 1, "nothing dismissed");
    let page = web.get(&format!("/pools/{rooms}")).await;
    assert!(!page.body.contains("/duplicates"), "a member's pool page says nothing of the review");
}

/// Each pair says why it was proposed: the words that matched as the needs wrote them, and
/// through which translation when the needs are in two languages.
#[tokio::test]
async fn a_pair_across_languages_says_which_words_matched_through_which_dictionary() {
    let app = spawn_app().await;
    let (_, _, tienen) = member(&app, "Tienen", "nl").await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let dutch =
        json!({"title": "Registratie van de honden", "description": "De eigenaars melden hun hond online aan."});
    let french = json!({"title": "Médailles et vaccinations des chiens et des chats", "description": "Les propriétaires déclarent leur chien en ligne."});
    let dogs = app.post_need_with(&tienen, &dutch).await["pool"]["id"].as_i64().unwrap();
    let chiens = app.post_need_with(&namur, &french).await;
    assert_eq!(chiens["merged"], false, "{chiens}");
    let chiens = chiens["pool"]["id"].as_i64().unwrap();

    let office = WebClient::new(&app);
    office.sign_in(OFFICER_EMAIL).await;
    let review = office.get("/duplicates").await;
    let why = crate::web_client::between(&review.body, r#"<section class="why""#, "</section>").to_owned();
    eprintln!("{why}");
    assert!(review.body.contains(&format!("pair-{}-{}", dogs.min(chiens), dogs.max(chiens))), "{}", review.main_text());
    assert!(why.contains("Pourquoi cette paire est proposée"), "{why}");
    assert!(
        why.contains(r#"<span lang="nl">honden</span> ↔ <span lang="fr">chiens</span> <span class="muted">(dictionnaire NL→FR)</span>"#),
        "{why}"
    );
    assert!(why.contains(r#"<span lang="nl">eigenaars</span> ↔ <span lang="fr">propriétaires</span> <span class="muted">(même notion)</span>"#), "{why}");
}
