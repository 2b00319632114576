use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn the_same_need_written_three_ways_makes_one_pool() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let (_, dinant) = app.commune("Dinant").await;
    let (_, eupen) = app.commune("Eupen").await;
    let first = app
        .post_need(
            &namur,
            "Gestion des concessions du cimetière",
            "Registre des concessions et des défunts, avec plan.",
        )
        .await;
    assert_eq!(first["merged"], false);
    let pool_id = first["pool"]["id"].as_i64().unwrap();
    assert_eq!(first["pool"]["title"], "Gestion des concessions du cimetière");
    let second = app
        .post_need(&ciney, "Cimetiere : gestion des concessions", "registre des defunts et des concessions, avec plan")
        .await;
    assert_eq!(second["merged"], true);
    assert_eq!(second["pool"]["id"], pool_id);
    let third = app
        .post_need(
            &dinant,
            "GESTION DES CONCESSIONS DU CIMETIÈRE",
            "REGISTRE DES CONCESSIONS ET DES DÉFUNTS, AVEC PLAN !",
        )
        .await;
    assert_eq!(third["merged"], true);
    assert_eq!(third["pool"]["id"], pool_id);
    assert_eq!(third["pool"]["needs_count"], 3);
    assert_eq!(third["pool"]["participants"].as_array().unwrap().len(), 3);
    let other = app.post_need(&eupen, "Réservation des salles communales", "Calendrier en ligne des salles.").await;
    assert_eq!(other["merged"], false);
    assert_ne!(other["pool"]["id"], pool_id);
}

#[tokio::test]
async fn needs_are_validated() {
    let app = spawn_app().await;
    let (_, member) = app.commune("Namur").await;
    let response = app
        .post(
            "/api/v1/needs",
            &member,
            &json!({"title": "ab", "description": "x".repeat(10_001), "cpv_code": "48000000-9", "estimated_cost_cents": 0}),
        )
        .await;
    let body = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "description", "cpv_code", "estimated_cost_cents"]);
    let ok = app
        .post_need_with(
            &member,
            &json!({"title": "Parapheur électronique", "description": "", "cpv_code": "48000000-8", "estimated_cost_cents": 4_000_000}),
        )
        .await;
    assert_eq!(ok["pool"]["cpv_code"], "48000000-8");
    assert_eq!(ok["pool"]["target_cents"], 4_000_000);
    assert_eq!(ok["pool"]["threshold_cents"], 4_000_000);
    let officer = app.post("/api/v1/needs", &app.officer_token, &json!({"title": "abc", "description": ""})).await;
    assert_problem(officer, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn another_organisations_need_is_404_and_lists_are_scoped() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let posted = app.post_need(&namur, "Gestion du parc informatique", "Inventaire des postes.").await;
    let need_id = posted["need"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/needs/{need_id}");
    assert_eq!(app.get(&path, &namur).await.status(), StatusCode::OK);
    assert_eq!(app.get(&path, &app.officer_token).await.status(), StatusCode::OK);
    assert_problem(app.get(&path, &ciney).await, StatusCode::NOT_FOUND).await;
    assert_problem(app.delete(&path, &ciney).await, StatusCode::NOT_FOUND).await;
    let move_other = app.post(&format!("{path}/move"), &ciney, &json!({"pool_id": null})).await;
    assert_problem(move_other, StatusCode::NOT_FOUND).await;
    let ciney_list: Value = app.get("/api/v1/needs", &ciney).await.json().await.unwrap();
    assert_eq!(ciney_list["total"], 0);
    let officer_list: Value = app.get("/api/v1/needs", &app.officer_token).await.json().await.unwrap();
    assert_eq!(officer_list["total"], 1);
    let asked_for_other: Value = app
        .get(&format!("/api/v1/needs?organisation_id={}", posted["need"]["organisation_id"]), &ciney)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(asked_for_other["total"], 0, "a member's filter cannot reach another organisation");
}

#[tokio::test]
async fn withdraw_and_move() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let a = app.post_need(&namur, "Gestion des salles communales", "Réservation en ligne des salles.").await;
    let b = app.post_need(&ciney, "Gestion des marchés publics", "Suivi des procédures et des délais.").await;
    let (pool_a, need_b) = (a["pool"]["id"].as_i64().unwrap(), b["need"]["id"].as_i64().unwrap());
    let moved = app.post(&format!("/api/v1/needs/{need_b}/move"), &ciney, &json!({"pool_id": pool_a})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["need"]["pool_id"], pool_a);
    assert_eq!(moved["pool"]["needs_count"], 2);
    let types = app.event_types(pool_a).await;
    assert!(types.contains(&"need.moved".to_owned()), "{types:?}");
    let alone = app.post(&format!("/api/v1/needs/{need_b}/move"), &ciney, &json!({"pool_id": null})).await;
    let alone: Value = alone.json().await.unwrap();
    assert_ne!(alone["pool"]["id"], pool_a);
    assert_eq!(alone["pool"]["title"], "Gestion des marchés publics");
    let withdrawn = app.delete(&format!("/api/v1/needs/{need_b}"), &ciney).await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    assert_eq!(withdrawn.json::<Value>().await.unwrap()["status"], "withdrawn");
    assert_problem(app.delete(&format!("/api/v1/needs/{need_b}"), &ciney).await, StatusCode::CONFLICT).await;
    let unknown_pool =
        app.post(&format!("/api/v1/needs/{}/move", a["need"]["id"]), &namur, &json!({"pool_id": 999_999})).await;
    assert_problem(unknown_pool, StatusCode::UNPROCESSABLE_ENTITY).await;
}

#[tokio::test]
async fn similar_pools_are_found_before_posting() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let posted = app.post_need(&namur, "Gestion des concessions du cimetière", "Registre des concessions.").await;
    let found: Value = app
        .get("/api/v1/pools/similar?title=Concessions%20du%20cimeti%C3%A8re&description=registre", &namur)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found[0]["pool_id"], posted["pool"]["id"]);
    let score = found[0]["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 1.0, "{score}");
    let bad = app.get("/api/v1/pools/similar?title=a", &namur).await;
    assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await;
}

/// The pool in a post's answer is the pool as `GET` shows it: read back when the need joined
/// it, built without reading when the post opened it (`Posted::view`).
#[tokio::test]
async fn the_pool_a_post_answers_with_is_the_pool_as_read() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let body = |title: &str| {
        json!({"title": title, "description": "Registre des concessions et des défunts, avec plan.",
               "estimated_cost_cents": 4_000_000})
    };
    let opened = app.post_need_with(&namur, &body("Gestion des concessions du cimetière")).await;
    assert_eq!(opened["merged"], false);
    let pool_id = opened["pool"]["id"].as_i64().unwrap();
    assert_eq!(opened["pool"], app.pool(pool_id).await, "a pool just opened");
    assert_eq!(opened["pool"]["participants"][0]["name"], "Namur");
    let joined = app.post_need_with(&ciney, &body("Cimetière : gestion des concessions")).await;
    assert_eq!(joined["merged"], true);
    assert_eq!(joined["pool"], app.pool(pool_id).await, "a pool joined");
    assert_eq!(joined["pool"]["participants"].as_array().unwrap().len(), 2);
}
