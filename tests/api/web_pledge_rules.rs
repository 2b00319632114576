//! The pages' door to the rules of SPEC §15 (issue 25): the cap and the missing cost beside
//! the pledge field, the form a latecomer finds on a funded pool, the correction hour, the
//! officers' list of pools to cost and of overdue pledges, with the cost form and the drop's
//! confirmation page.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    helpers::{OFFICER_EMAIL, PASSWORD, spawn_app},
    pledge_rules::age_pledges,
    web_client::{WebClient, member},
};

#[tokio::test]
async fn the_pledge_form_refuses_more_than_the_cost_and_says_the_cost_in_the_page_language() {
    let app = spawn_app().await;
    let (_, email, token) = member(&app, "Namur", "fr").await;
    let pool = app.open_pool(&token, "Gestion du cimetière", 4_500_000).await;
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let page = web.get(&format!("/pools/{pool}")).await;
    let answer = web.submit(&page, &format!("/pools/{pool}/pledge"), &[("amount", "50.000")]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = answer.main_text();
    assert!(text.contains("Un engagement ne peut pas dépasser le coût du projet, soit 45 000,00 €"), "{text}");
    assert!(answer.body.contains(r#"id="pledge-amount-error""#), "beside the amount");
    assert!(answer.body.contains(r#"value="50.000""#), "what was typed is kept");
    assert_eq!(app.pool(pool).await["pledged_cents"], 0);
}

#[tokio::test]
async fn a_pool_without_a_cost_is_on_the_officers_desk_and_its_cost_is_set_on_its_page() {
    let app = spawn_app().await;
    let (_, email, token) = member(&app, "Namur", "fr").await;
    let posted = app.post_need(&token, "Inventaire des arbres remarquables", "Sans estimation").await;
    let pool = posted["pool"]["id"].as_i64().unwrap();

    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let page = web.get(&format!("/pools/{pool}")).await;
    assert!(!page.body.contains(&format!(r#"action="/pools/{pool}/pledge""#)), "no pledge form without a cost");
    assert!(page.main_text().contains("Le coût de ce projet n'est pas encore fixé"), "{}", page.main_text());

    let officer = WebClient::new(&app);
    officer.sign_in_as(OFFICER_EMAIL, PASSWORD).await;
    let home = officer.get("/").await;
    assert!(home.main_text().contains("Projets dont le coût reste à fixer"), "{}", home.main_text());
    assert!(home.body.contains(&format!(r#"href="/pools/{pool}#cost""#)), "links to where the cost is set");
    let pool_page = officer.get(&format!("/pools/{pool}")).await;
    assert!(pool_page.body.contains(r#"id="cost""#));
    let set = officer.submit(&pool_page, &format!("/pools/{pool}/cost"), &[("target", "45.000")]).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.main_text());
    assert_eq!(app.pool(pool).await["target_cents"], 4_500_000);
    assert!(!officer.get("/").await.body.contains(&format!(r#"href="/pools/{pool}#cost""#)), "off the desk");

    let page = web.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(&format!(r#"action="/pools/{pool}/pledge""#)), "now a pledge form");
}

#[tokio::test]
async fn a_latecomer_finds_the_pledge_form_on_a_funded_pool_and_corrects_within_the_hour() {
    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let (_, ciney_email, _) = member(&app, "Ciney", "fr").await;
    let pool = app.open_pool(&namur, "Réservation des salles", 1_000_000).await;
    assert_eq!(app.pledge(&namur, pool, 1_000_000).await.json::<Value>().await.unwrap()["state"], "funded");

    let web = WebClient::new(&app);
    web.sign_in(&ciney_email).await;
    let page = web.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(&format!(r#"action="/pools/{pool}/pledge""#)), "the latecomer's form");
    assert!(page.main_text().contains("aucune quote-part n'augmente"), "{}", page.main_text());
    let pledged = web.submit(&page, &format!("/pools/{pool}/pledge"), &[("amount", "2.500")]).await;
    assert_eq!(pledged.status, StatusCode::OK);
    let after = app.pool(pool).await;
    assert_eq!((after["state"].as_str(), after["pledged_cents"].as_i64()), (Some("funded"), Some(1_250_000)));

    // Within the hour, withdrawn from the funded pool on the page.
    let withdrawn = web.submit(&pledged, &format!("/pools/{pool}/pledge/withdraw"), &[("confirmed", "yes")]).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.main_text());
    assert_eq!(app.pool(pool).await["pledged_cents"], 1_000_000);

    // After it, the page says why not.
    let page = web.get(&format!("/pools/{pool}")).await;
    web.submit(&page, &format!("/pools/{pool}/pledge"), &[("amount", "2.500")]).await;
    age_pledges(&app, pool, 61);
    let page = web.get(&format!("/pools/{pool}")).await;
    let late = web.submit(&page, &format!("/pools/{pool}/pledge/withdraw"), &[("confirmed", "yes")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.main_text());
    assert_eq!(app.pool(pool).await["pledged_cents"], 1_250_000);
}

#[tokio::test]
async fn an_overdue_pledge_is_dropped_through_a_confirmation_page_with_a_reason() {
    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let (ciney_id, _, ciney) = member(&app, "Ciney", "fr").await;
    let pool = app.open_pool(&namur, "Parapheur électronique", 1_000_000).await;
    app.pledge(&namur, pool, 500_000).await;
    app.pledge(&ciney, pool, 500_000).await;
    assert_eq!(app.confirm_pledge(&namur, pool).await.status(), StatusCode::OK);

    let officer = WebClient::new(&app);
    officer.sign_in_as(OFFICER_EMAIL, PASSWORD).await;
    let drop_path = format!("/pools/{pool}/pledges/{ciney_id}/drop");
    assert!(!officer.get("/").await.body.contains(&drop_path), "not overdue yet");
    age_pledges(&app, pool, 91 * 24 * 60);
    let home = officer.get("/").await;
    assert!(home.body.contains(&format!(r#"href="{drop_path}""#)), "{}", home.main_text());
    assert!(home.main_text().contains("Ciney : 5 000,00 €, provisoire depuis le"), "{}", home.main_text());

    let confirm = officer.get(&drop_path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.main_text().contains("Retirer l'engagement de Ciney"), "{}", confirm.main_text());
    let without = officer.submit(&confirm, &drop_path, &[("reason", "")]).await;
    assert_eq!(without.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(without.body.contains(r#"id="drop-reason-error""#), "{}", without.body);
    assert_eq!(app.pool(pool).await["state"], "funded", "nothing dropped without a reason");

    let dropped = officer.submit(&without, &drop_path, &[("reason", "Aucune décision depuis 90 jours.")]).await;
    assert_eq!(dropped.status, StatusCode::OK, "{}", dropped.main_text());
    let after = app.pool(pool).await;
    assert_eq!((after["state"].as_str(), after["pledged_cents"].as_i64()), (Some("open"), Some(500_000)));
    assert!(dropped.main_text().contains("Aucune décision depuis 90 jours."), "in the history");

    // A member cannot reach it.
    let (_, email, _) = member(&app, "Andenne", "fr").await;
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    assert_eq!(web.get(&drop_path).await.status, StatusCode::FORBIDDEN);
}

/// A form's amounts are read in the language its page was shown in, the person's, not the
/// browser's: a Dutch commune's clerk in a browser asking for English pledges `12.500`
/// (English would call it ambiguous and the form shown in Dutch would have no message).
#[tokio::test]
async fn amounts_are_read_in_the_persons_language_whatever_the_browser_asks() {
    let app = spawn_app().await;
    let (_, email, token) = member(&app, "Leuven", "nl").await;
    let pool = app.open_pool(&token, "Begraafplaatsbeheer", 4_500_000).await;
    let web = WebClient::with_language(&app, "en");
    web.sign_in(&email).await;
    let page = web.get(&format!("/pools/{pool}")).await;
    assert!(page.body.contains(r#"<html lang="nl""#), "the page is in the person's language");
    let answer = web.submit(&page, &format!("/pools/{pool}/pledge"), &[("amount", "12.500")]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.main_text());
    let pledges: Value = app.get(&format!("/api/v1/pools/{pool}"), &token).await.json().await.unwrap();
    assert_eq!(pledges["pledged_cents"], 1_250_000, "{pledges}");
}
