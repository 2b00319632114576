//! The duplicate review (SPEC section 9): pairs of pools an officer looks at before money is
//! committed, kept current as needs and pools change, dismissed once, and the approval that
//! waits for them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, TestDb, assert_problem, spawn_app, spawn_app_with, test_vars},
    process::Server,
};

/// Two texts the matcher scores as likely the same need, but not enough to merge them.
const ROOMS: (&str, &str) = ("Réservation des salles communales", "Calendrier en ligne des salles.");
const SPORT_HALLS: (&str, &str) =
    ("Planning d'occupation des salles de sport", "Réservation des créneaux par les clubs.");
/// A need that is like neither.
const BUDGET: (&str, &str) = ("Consolidation budgétaire du CPAS", "Tableaux de bord financiers trimestriels.");

async fn post(app: &TestApp, token: &str, (title, description): (&str, &str)) -> Value {
    app.post_need_with(token, &json!({"title": title, "description": description})).await
}

async fn post_pool(app: &TestApp, token: &str, need: (&str, &str)) -> (i64, i64) {
    let posted = post(app, token, need).await;
    assert_eq!(posted["merged"], false, "{posted}");
    (posted["pool"]["id"].as_i64().unwrap(), posted["need"]["id"].as_i64().unwrap())
}

/// The listed pairs, as `(smaller pool id, larger pool id)`.
async fn pairs(app: &TestApp) -> Vec<(i64, i64)> {
    let page: Value = app.get("/api/v1/duplicates?limit=100", &app.officer_token).await.json().await.unwrap();
    assert_eq!(page["total"].as_u64().unwrap() as usize, page["items"].as_array().unwrap().len());
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (item["pools"][0]["id"].as_i64().unwrap(), item["pools"][1]["id"].as_i64().unwrap()))
        .collect()
}

fn pair(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

async fn dismiss(app: &TestApp, a: i64, b: i64) -> reqwest::Response {
    app.post(
        "/api/v1/duplicates/dismiss",
        &app.officer_token,
        &json!({"pool_ids": [a, b], "reason": "Deux outils distincts."}),
    )
    .await
}

#[tokio::test]
async fn candidates_appear_and_disappear_as_needs_move_and_pools_end() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let (rooms, _) = post_pool(&app, &namur, ROOMS).await;
    let (halls, halls_need) = post_pool(&app, &ciney, SPORT_HALLS).await;
    let (budget, _) = post_pool(&app, &ciney, BUDGET).await;
    assert_eq!(pairs(&app).await, [pair(rooms, halls)], "the close pools, not the budget");

    // The pair as the review shows it: both pools side by side, with who takes part.
    let page: Value = app.get("/api/v1/duplicates", &app.officer_token).await.json().await.unwrap();
    let item = &page["items"][0];
    assert!(item["score"].as_f64().unwrap() >= 0.13 && item["score"].as_f64().unwrap() < 0.39, "{item}");
    let titles: Vec<&str> = item["pools"].as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
    assert_eq!(titles, [ROOMS.0, SPORT_HALLS.0]);
    assert_eq!(item["pools"][0]["organisations"], json!(["Namur"]));
    assert_eq!((item["pools"][1]["needs_count"].as_i64(), item["pools"][1]["state"].as_str()), (Some(1), Some("open")));

    // Ciney takes its need out into a pool of its own: the pair follows the need.
    let moved = app.post(&format!("/api/v1/needs/{halls_need}/move"), &ciney, &json!({"pool_id": null})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let halls_again = moved.json::<Value>().await.unwrap()["pool"]["id"].as_i64().unwrap();
    assert_eq!(pairs(&app).await, [pair(rooms, halls_again)]);

    // Withdrawn, the need no longer makes its pool a duplicate.
    assert_eq!(app.delete(&format!("/api/v1/needs/{halls_need}"), &ciney).await.status(), StatusCode::OK);
    assert_eq!(pairs(&app).await, []);

    // Posted again; then one pool ends: a cancelled pool is never reviewed.
    let (halls, _) = post_pool(&app, &ciney, SPORT_HALLS).await;
    assert_eq!(pairs(&app).await, [pair(rooms, halls)]);
    let cancelled = app.officer(halls, "cancel", Some(&json!({"reason": "Besoin abandonné."}))).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_eq!(pairs(&app).await, []);
    assert!(budget > 0);
}

#[tokio::test]
async fn a_need_joining_a_pool_keeps_its_pairs_one_each_at_their_best_score() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let (rooms, _) = post_pool(&app, &namur, ROOMS).await;
    let (halls, _) = post_pool(&app, &ciney, SPORT_HALLS).await;
    let before: Value = app.get("/api/v1/duplicates", &app.officer_token).await.json().await.unwrap();

    // A third commune posts Ciney's need: it joins Ciney's pool, and ranks Namur's again.
    let (_, dinant) = app.commune("Dinant").await;
    let joined = post(&app, &dinant, SPORT_HALLS).await;
    assert_eq!((joined["merged"].as_bool(), joined["pool"]["id"].as_i64()), (Some(true), Some(halls)), "{joined}");
    assert_eq!(pairs(&app).await, [pair(rooms, halls)]);
    let after: Value = app.get("/api/v1/duplicates", &app.officer_token).await.json().await.unwrap();
    assert!(after["items"][0]["score"].as_f64() >= before["items"][0]["score"].as_f64(), "{before} {after}");
    assert_eq!(after["items"][0]["pools"][1]["needs_count"], 2);
}

#[tokio::test]
async fn a_dismissal_is_recorded_once_on_both_pools_and_never_proposed_again() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let (rooms, _) = post_pool(&app, &namur, ROOMS).await;
    let (halls, _) = post_pool(&app, &ciney, SPORT_HALLS).await;
    assert_eq!(pairs(&app).await, [pair(rooms, halls)]);

    assert_eq!(dismiss(&app, halls, rooms).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(pairs(&app).await, []);
    for pool in [rooms, halls] {
        let events = app.event_types(pool).await;
        assert_eq!(events.iter().filter(|t| *t == "pool.duplicate_dismissed").count(), 1, "{events:?}");
    }
    let page: Value =
        app.get(&format!("/api/v1/pools/{rooms}/events?limit=200"), &app.officer_token).await.json().await.unwrap();
    let dismissed = page["items"].as_array().unwrap().iter().find(|e| e["type"] == "pool.duplicate_dismissed").unwrap();
    assert_eq!(dismissed["data"]["other_pool_id"], halls);
    assert_eq!(dismissed["data"]["reason"], "Deux outils distincts.");

    // Again: nothing more happens.
    assert_eq!(dismiss(&app, rooms, halls).await.status(), StatusCode::NO_CONTENT);
    for pool in [rooms, halls] {
        assert_eq!(app.event_types(pool).await.iter().filter(|t| *t == "pool.duplicate_dismissed").count(), 1);
    }
    // The pools change again: the dismissed pair stays dismissed.
    let (_, andenne) = app.commune("Andenne").await;
    let joined = post(&app, &andenne, ROOMS).await;
    assert_eq!((joined["merged"].as_bool(), joined["pool"]["id"].as_i64()), (Some(true), Some(rooms)));
    assert_eq!(pairs(&app).await, []);

    // What cannot be dismissed.
    assert_problem(dismiss(&app, rooms, rooms).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_problem(dismiss(&app, rooms, 999_999).await, StatusCode::NOT_FOUND).await;
    let one = app.post("/api/v1/duplicates/dismiss", &app.officer_token, &json!({"pool_ids": [rooms]})).await;
    assert_problem(one, StatusCode::UNPROCESSABLE_ENTITY).await;
    let member = app.post("/api/v1/duplicates/dismiss", &namur, &json!({"pool_ids": [rooms, halls]})).await;
    assert_problem(member, StatusCode::FORBIDDEN).await;
    assert_problem(app.get("/api/v1/duplicates", &namur).await, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_merged_pool_hands_its_pairs_and_its_dismissals_to_the_survivor() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let (_, andenne) = app.commune("Andenne").await;
    let (rooms, _) = post_pool(&app, &namur, ROOMS).await;
    let (halls, _) = post_pool(&app, &ciney, SPORT_HALLS).await;
    let (budget, _) = post_pool(&app, &andenne, BUDGET).await;
    assert_eq!(pairs(&app).await, [pair(rooms, halls)]);
    // The officer judged the rooms different from the halls, then merges the halls into the
    // budget pool (an odd merge, but one an officer may make): the survivor now holds the
    // halls' need, and what was dismissed for the halls holds for it.
    assert_eq!(dismiss(&app, rooms, halls).await.status(), StatusCode::NO_CONTENT);
    let merged = app.officer(halls, "merge", Some(&json!({"into_pool_id": budget}))).await;
    assert_eq!(merged.status(), StatusCode::OK);
    assert_eq!(pairs(&app).await, [], "the survivor inherits the dismissal");

    // Without a dismissal, the survivor inherits the pair.
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let (_, andenne) = app.commune("Andenne").await;
    let (rooms, _) = post_pool(&app, &namur, ROOMS).await;
    let (halls, _) = post_pool(&app, &ciney, SPORT_HALLS).await;
    let (budget, _) = post_pool(&app, &andenne, BUDGET).await;
    let merged = app.officer(halls, "merge", Some(&json!({"into_pool_id": budget}))).await;
    assert_eq!(merged.status(), StatusCode::OK);
    assert_eq!(pairs(&app).await, [pair(rooms, budget)], "the survivor's vocabulary includes both pools'");
}

/// A pool funded by its own organisation's pledge, confirmed by its council.
async fn funded(app: &TestApp, token: &str, need: (&str, &str)) -> i64 {
    let posted = app
        .post_need_with(token, &json!({"title": need.0, "description": need.1, "estimated_cost_cents": 10_000}))
        .await;
    let pool = posted["pool"]["id"].as_i64().unwrap();
    assert_eq!(app.pledge(token, pool, 10_000).await.status(), StatusCode::OK);
    assert_eq!(app.confirm_pledge(token, pool).await.status(), StatusCode::OK);
    pool
}

#[tokio::test]
async fn approval_waits_until_each_likely_duplicate_is_dismissed_or_merged() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let rooms = funded(&app, &namur, ROOMS).await;
    let (halls, _) = post_pool(&app, &ciney, SPORT_HALLS).await;

    let blocked = assert_problem(app.officer(rooms, "approve", None).await, StatusCode::CONFLICT).await;
    assert_eq!(blocked["type"], "/problems/unreviewed-duplicates");
    assert_eq!(blocked["duplicates"], json!([halls]));
    assert_eq!(blocked["organisations"], json!([]));
    assert_eq!(dismiss(&app, rooms, halls).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.officer(rooms, "approve", None).await.status(), StatusCode::OK);

    // Or the duplicate is merged into the pool (on a fresh service: the rooms pool above,
    // approved, would take the same need again).
    let app = spawn_app().await;
    let (_, andenne) = app.commune("Andenne").await;
    let (_, ciney) = app.commune("Ciney").await;
    let rooms = funded(&app, &andenne, ROOMS).await;
    let (halls, _) = post_pool(&app, &ciney, SPORT_HALLS).await;
    assert_problem(app.officer(rooms, "approve", None).await, StatusCode::CONFLICT).await;
    let merged = app.officer(halls, "merge", Some(&json!({"into_pool_id": rooms}))).await;
    assert_eq!(merged.status(), StatusCode::OK);
    let approved = app.officer(rooms, "approve", None).await;
    assert_eq!(approved.status(), StatusCode::OK, "{}", approved.text().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_on_one_database_list_the_same_candidates() {
    let (_db, url) = TestDb::create();
    let vars = test_vars(&url);
    let (first, second) = (Server::start(&vars), Server::start(&vars));
    let (a, b) = (TestApp::remote(first.address()).await, TestApp::remote(second.address()).await);
    let (_, namur) = a.commune("Namur").await;
    let (_, ciney) = a.commune("Ciney").await;
    let (rooms, _) = post_pool(&a, &namur, ROOMS).await;
    let (halls, _) = post_pool(&b, &ciney, SPORT_HALLS).await;
    let (budget, _) = post_pool(&a, &ciney, BUDGET).await;
    assert_eq!(pairs(&a).await, [pair(rooms, halls)]);
    assert_eq!(pairs(&b).await, pairs(&a).await);
    assert_eq!(dismiss(&b, rooms, halls).await.status(), StatusCode::NO_CONTENT);
    assert_eq!((pairs(&a).await, pairs(&b).await), (vec![], vec![]));
    assert!(budget > 0);
}

#[tokio::test]
async fn a_pool_keeps_only_its_ten_likeliest_duplicates_however_many_score_above_review() {
    // No merges (as in the benchmark), so that many pools hold the same text.
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_MATCH_MERGE".into(), "2".into());
        vars.insert("MUTUA_MAX_NEEDS_PER_DAY".into(), "0".into());
    })
    .await;
    let (_, namur) = app.commune("Namur").await;
    let mut pools = Vec::new();
    for _ in 0..13 {
        pools.push(post_pool(&app, &namur, ROOMS).await);
    }
    let of = |pool: i64, listed: &[(i64, i64)]| listed.iter().filter(|(a, b)| *a == pool || *b == pool).count();
    // The last pool scores the same against the twelve others; its post records ten.
    let (last, need_id) = pools[12];
    assert_eq!(of(last, &pairs(&app).await), 10);

    // Ranked again (its need moved into a pool of its own): ten again.
    let moved = app.post(&format!("/api/v1/needs/{need_id}/move"), &namur, &json!({"pool_id": null})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved_to = moved.json::<Value>().await.unwrap()["pool"]["id"].as_i64().unwrap();
    assert_eq!(of(moved_to, &pairs(&app).await), 10);
}
