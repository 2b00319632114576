//! The organisations' pages (SPEC §14): an officer lists, searches, creates and edits
//! organisations; an organisation's manager sees its own, with its users' controls, and
//! nothing of another's. Same services as the API, so the same checks.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    helpers::{OFFICER_EMAIL, spawn_app},
    web_client::WebClient,
};

#[tokio::test]
async fn an_officer_creates_searches_and_edits_organisations() {
    let app = spawn_app().await;
    let web = WebClient::with_language(&app, "fr");
    web.sign_in(OFFICER_EMAIL).await;
    let list = web.get("/organisations").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.main_text().contains("Organisations membres"), "{}", list.main_text());

    let fields = |name: &'static str, bce: &'static str| {
        vec![
            ("name", name),
            ("kind", "commune"),
            ("locale", "fr"),
            ("bce", bce),
            ("nis_code", "92094"),
            ("contact_email", ""),
        ]
    };
    let refused = web.submit(&list, "/organisations", &fields("Ville de Namur", "0207.446.773")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.main_text().contains("Indiquez un numéro d'entreprise de dix chiffres valide"),
        "{}",
        refused.main_text()
    );
    assert!(refused.body.contains(r#"value="0207.446.773""#), "the value typed is kept");

    let created = web.submit(&list, "/organisations", &fields("Ville de Namur", "BE 0207.446.772")).await;
    assert_eq!(created.status, StatusCode::OK);
    assert!(created.main_text().contains("L'organisation a été ajoutée."), "{}", created.main_text());
    assert!(created.body.contains(r#"value="0207446772""#), "stored normalised");

    let taken = web.submit(&list, "/organisations", &fields("Commune de Ciney", "0207446772")).await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.main_text());

    let found = web.get("/organisations?q=namur").await;
    assert!(found.main_text().contains("Ville de Namur") && found.main_text().contains("0207446772"));
    let none = web.get("/organisations?q=gembloux").await;
    assert!(none.main_text().contains("Aucune organisation ne correspond"), "{}", none.main_text());

    let listed: Value = app.get("/api/v1/organisations?limit=10", &app.officer_token).await.json().await.unwrap();
    let id = listed["items"].as_array().unwrap().iter().find(|o| o["name"] == "Ville de Namur").unwrap()["id"].clone();
    let page = web.get(&format!("/organisations/{id}")).await;
    let saved = web
        .submit(
            &page,
            &format!("/organisations/{id}"),
            &[
                ("name", "Ville de Namur"),
                ("kind", "commune"),
                ("locale", "nl"),
                ("bce", ""),
                ("nis_code", "92094"),
                ("contact_email", "ict@namur.be"),
            ],
        )
        .await;
    assert!(saved.main_text().contains("Les modifications ont été enregistrées."), "{}", saved.main_text());
    let read: Value = app.get(&format!("/api/v1/organisations/{id}"), &app.officer_token).await.json().await.unwrap();
    assert_eq!((read["locale"].as_str(), read["contact_email"].as_str()), (Some("nl"), Some("ict@namur.be")));
}

#[tokio::test]
async fn a_manager_runs_its_own_organisations_users_on_the_pages() {
    let app = spawn_app().await;
    let (namur, colleague) = app.commune("Namur").await;
    let (ciney, _) = app.commune("Ciney").await;
    app.create_with_role(namur, "chef@namur.be", "manager").await;
    let colleague_id = app.get("/api/v1/me", &colleague).await.json::<Value>().await.unwrap()["user"]["id"].clone();

    // The pages speak the person's language: Namur's, French.
    let web = WebClient::with_language(&app, "nl");
    web.sign_in("chef@namur.be").await;
    let own = web.get(&format!("/organisations/{namur}")).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.main_text().contains("namur@example.be"), "{}", own.main_text());
    assert!(!own.body.contains(r#"name="bce""#), "a manager does not edit the organisation");
    assert!(!own.body.contains(r#"value="officer""#), "a manager never gives the role officer");
    assert_eq!(web.get(&format!("/organisations/{ciney}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(web.get("/organisations").await.status, StatusCode::FORBIDDEN);

    // Disabling asks first, then says it is done; the colleague's token stops working.
    let confirm = web.get(&format!("/organisations/{namur}/users/{colleague_id}/disable")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.main_text().contains("Désactiver"), "{}", confirm.main_text());
    let done = web.submit(&confirm, &format!("/organisations/{namur}/users/{colleague_id}/disable"), &[]).await;
    assert!(done.main_text().contains("L'accès de cet utilisateur a été désactivé."), "{}", done.main_text());
    assert_eq!(app.get("/api/v1/me", &colleague).await.status(), StatusCode::UNAUTHORIZED);
    let enabled = web.submit(&done, &format!("/organisations/{namur}/users/{colleague_id}/enable"), &[]).await;
    assert!(enabled.main_text().contains("L'accès de cet utilisateur a été rétabli."), "{}", enabled.main_text());
    let role = web
        .submit(&enabled, &format!("/organisations/{namur}/users/{colleague_id}/role"), &[("role", "manager")])
        .await;
    assert!(role.main_text().contains("Le rôle a été modifié."), "{}", role.main_text());
    let officer =
        web.submit(&role, &format!("/organisations/{namur}/users/{colleague_id}/role"), &[("role", "officer")]).await;
    assert_eq!(officer.status, StatusCode::FORBIDDEN);
}
