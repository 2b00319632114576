//! Merges on the pages (SPEC §15, issue 25): the review proposes one direction, the pool
//! with fewer participants moving, with "the other way" as a secondary link; both go
//! through the confirmation page; a funded pool never moves; a member whose need shares a
//! pool may open a separate project from the need's page.

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{OFFICER_EMAIL, spawn_app},
    web_client::{WebClient, member},
};

const ROOMS: (&str, &str) = ("Réservation des salles communales", "Calendrier en ligne des salles.");
const SPORT_HALLS: (&str, &str) =
    ("Planning d'occupation des salles de sport", "Réservation des créneaux par les clubs.");

#[tokio::test]
async fn the_review_proposes_moving_the_pool_with_fewer_participants_and_offers_the_other_way() {
    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let (_, _, ciney) = member(&app, "Ciney", "fr").await;
    let (_, _, andenne) = member(&app, "Andenne", "fr").await;
    let body = |(title, description): (&str, &str)| json!({"title": title, "description": description, "estimated_cost_cents": 900_000});
    let rooms = app.post_need_with(&namur, &body(ROOMS)).await["pool"]["id"].as_i64().unwrap();
    let halls = app.post_need_with(&ciney, &body(SPORT_HALLS)).await["pool"]["id"].as_i64().unwrap();
    assert_ne!(rooms, halls);
    // Two participants in the rooms pool, one in the halls pool.
    assert_eq!(app.pledge(&andenne, rooms, 100_000).await.status(), StatusCode::OK);

    let office = WebClient::new(&app);
    office.sign_in(OFFICER_EMAIL).await;
    let review = office.get("/duplicates").await;
    let primary = format!(r#"<a class="button" href="/pools/{halls}/merge?into_pool_id={rooms}">"#);
    let secondary = format!(r#"<a class="button secondary" href="/pools/{rooms}/merge?into_pool_id={halls}">"#);
    assert!(review.body.contains(&primary), "{}", review.body);
    assert!(review.body.contains(&secondary), "{}", review.body);
    assert_eq!(review.body.matches(r#"<a class="button" href="/pools/"#).count(), 1, "one primary button");

    // The other way: its confirmation lists the needs, participants and pledges that move.
    let confirm = office.get(&format!("/pools/{rooms}/merge?into_pool_id={halls}")).await;
    let text = confirm.main_text();
    for expected in [ROOMS.0, "Namur", "Andenne : 1 000,00 €", "provisoire"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let merged =
        office.submit(&confirm, &format!("/pools/{rooms}/merge"), &[("into_pool_id", &halls.to_string())]).await;
    assert_eq!(merged.status, StatusCode::OK);
    assert_eq!(app.pool(rooms).await["state"], "merged");
    assert_eq!(app.pool(halls).await["needs_count"], 2);
    // The history of each pool names the other.
    assert!(
        merged.main_text().contains(&format!("Le projet {rooms} a été fusionné dans celui-ci")),
        "{}",
        merged.main_text()
    );
    let gone = office.get(&format!("/pools/{rooms}")).await;
    assert!(gone.main_text().contains(&format!("Fusionné dans le projet {halls}")), "{}", gone.main_text());
}

#[tokio::test]
async fn a_funded_pool_never_moves_even_when_asked_for_directly() {
    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let (_, _, ciney) = member(&app, "Ciney", "fr").await;
    let funded = app.open_pool(&namur, ROOMS.0, 500_000).await;
    let open = app.open_pool(&ciney, SPORT_HALLS.0, 500_000).await;
    app.pledge(&namur, funded, 500_000).await;
    let office = WebClient::new(&app);
    office.sign_in(OFFICER_EMAIL).await;
    let refused = office.get(&format!("/pools/{funded}/merge?into_pool_id={open}")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.main_text());
    let page = office.get(&format!("/pools/{open}")).await;
    let posted = office.submit(&page, &format!("/pools/{funded}/merge"), &[("into_pool_id", &open.to_string())]).await;
    assert_eq!(posted.status, StatusCode::CONFLICT);
    assert_eq!(app.pool(funded).await["state"], "funded");
}

#[tokio::test]
async fn a_need_that_shares_a_pool_can_leave_for_a_separate_project() {
    let app = spawn_app().await;
    let (_, namur_email, namur) = member(&app, "Namur", "fr").await;
    let (_, _, ciney) = member(&app, "Ciney", "fr").await;
    let first = app.open_pool(&namur, "Gestion des concessions du cimetière", 500_000).await;
    let joined = app
        .post_need_with(
            &ciney,
            &json!({"title": "Gestion des concessions du cimetière", "description": "", "estimated_cost_cents": 400_000}),
        )
        .await;
    assert_eq!(joined["pool"]["id"], first, "merged automatically: {joined}");
    let namur_need: i64 = {
        let listed: serde_json::Value = app.get("/api/v1/needs", &namur).await.json().await.unwrap();
        listed["items"][0]["id"].as_i64().unwrap()
    };

    let web = WebClient::new(&app);
    web.sign_in(&namur_email).await;
    let page = web.get(&format!("/needs/{namur_need}")).await;
    assert!(page.main_text().contains("Ce n'est pas le même besoin ?"), "{}", page.main_text());
    let moved = web.submit(&page, &format!("/needs/{namur_need}/move"), &[("pool_id", "new")]).await;
    assert_eq!(moved.status, StatusCode::OK);
    let need: serde_json::Value = app.get(&format!("/api/v1/needs/{namur_need}"), &namur).await.json().await.unwrap();
    let now_in = need["pool_id"].as_i64().unwrap();
    assert_ne!(now_in, first, "a project of its own");
    assert_eq!(app.pool(first).await["needs_count"], 1);
    // Alone in its pool now: no such offer.
    let page = web.get(&format!("/needs/{namur_need}")).await;
    assert!(!page.main_text().contains("Ce n'est pas le même besoin ?"));
}
