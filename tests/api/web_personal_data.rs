//! Personal data refused on the pages as in the API (SPEC section 16): the need form and
//! the council's forms show the error beside the field, in the page's language, with the
//! text typed kept so that the person removes only what must go.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    helpers::spawn_app,
    web_client::{WebClient, member},
};

#[tokio::test]
async fn the_need_form_refuses_personal_data_beside_the_field_with_the_text_kept() {
    let app = spawn_app().await;
    let (_, email, _) = member(&app, "Gemeente Voeren", "nl").await;
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let form = web.get("/needs/new").await;
    let description = "Register van de concessies. Contact: marie.dupont@gembloux.be";
    let fields = [("title", "Register 0471 23 45 67"), ("description", description), ("csrf_token", &form.csrf())];
    let answer = web.post("/needs/new", &fields).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    for anchor in ["need-title", "need-description"] {
        assert!(answer.body.contains(&format!(r##"href="#{anchor}""##)), "summary link to {anchor}");
        assert!(answer.body.contains(&format!(r#"id="{anchor}-error""#)), "message beside {anchor}");
    }
    assert!(answer.body.contains("Persoonsgegevens (e-mailadres, telefoonnummer, rijksregisternummer)"));
    assert!(answer.body.contains(r#"value="Register 0471 23 45 67""#), "the title typed is kept");
    assert!(answer.body.contains(&format!(">{description}</textarea>")), "the description typed is kept");
    let needs: Value = app.get("/api/v1/needs", &app.officer_token).await.json().await.unwrap();
    assert_eq!(needs["total"], 0);
}

#[tokio::test]
async fn the_council_forms_refuse_personal_data_in_the_reference() {
    let app = spawn_app().await;
    let (_, email, token) = member(&app, "Namur", "fr").await;
    let pool = app.open_pool(&token, "Registre des concessions", 500_000).await;
    assert_eq!(app.pledge(&token, pool, 500_000).await.status(), StatusCode::OK);
    assert_eq!(app.pool(pool).await["state"], "funded", "both council forms are shown");
    let web = WebClient::new(&app);
    web.sign_in(&email).await;
    let csrf = web.get(&format!("/pools/{pool}")).await.csrf();
    let reference = "CC-12 marie.dupont@gembloux.be";
    for (form, path, extra) in [("confirm", "confirm", Some(("decided_by", "college"))), ("refuse", "withdraw", None)] {
        let mut fields = vec![("decision_ref", reference), ("decision_date", "1/3/2026"), ("csrf_token", &csrf)];
        fields.extend(extra);
        let answer = web.post(&format!("/pools/{pool}/pledge/{path}"), &fields).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{form}");
        assert!(answer.body.contains(&format!(r#"id="{form}-decision_ref-error""#)), "{form}: {}", answer.main_text());
        assert!(answer.body.contains("seraient publiées avec le projet"), "{}", answer.main_text());
        assert!(answer.body.contains(&format!(r#"value="{reference}""#)), "the reference typed is kept");
    }
    assert_eq!(app.pool(pool).await["participants"][0]["pledge_status"], "provisional");
}
