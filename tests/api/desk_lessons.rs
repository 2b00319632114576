//! Learning from the desk (issue 26): an officer's merge of two pools written in different
//! words teaches the matcher that their words relate, so a later pair worded the same way
//! reaches the review queue (and is not merged); a dismissal teaches that they do not, so a
//! later pair with the same words is not proposed. Each is compared with the same posts on
//! a service that learnt nothing, and learnt again by a second process on the same database.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, TestDb, spawn_app, test_vars},
    process::Server,
};

/// One object in two languages, in words no dictionary of the matcher relates.
const SOLAR_FR: &str = "Cadastre solaire des toitures";
const SOLAR_NL: &str = "Zonnekaart voor inwoners";
/// Two different objects in one language, sharing their generic words.
const TREES: &str = "Inventaire des arbres remarquables de la commune";
const BENCHES: &str = "Inventaire des bancs publics de la commune";

async fn member(app: &TestApp, name: &str, locale: &str) -> String {
    let id = app.create_organisation(name, locale).await;
    let slug: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    app.create_member(id, &format!("{slug}@example.be")).await
}

/// Posts a need; its pool and whether it was merged.
async fn post(app: &TestApp, token: &str, title: &str) -> (i64, bool) {
    let posted = app.post_need_with(token, &json!({"title": title, "description": ""})).await;
    (posted["pool"]["id"].as_i64().unwrap(), posted["merged"].as_bool().unwrap())
}

/// The listed pairs with their scores, `(smaller pool id, larger pool id, score)`.
async fn pairs(app: &TestApp) -> Vec<(i64, i64, f64)> {
    let page: Value = app.get("/api/v1/duplicates", &app.officer_token).await.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (i["pools"][0]["id"].as_i64().unwrap(), i["pools"][1]["id"].as_i64().unwrap(), i["score"].as_f64().unwrap())
        })
        .collect()
}

fn has_pair(listed: &[(i64, i64, f64)], a: i64, b: i64) -> bool {
    listed.iter().any(|&(x, y, _)| (x, y) == (a.min(b), a.max(b)))
}

async fn cancel(app: &TestApp, pool: i64) {
    let cancelled = app.officer(pool, "cancel", Some(&json!({"reason": "Traité par la centrale."}))).await;
    assert_eq!(cancelled.status(), StatusCode::OK, "{}", cancelled.text().await.unwrap());
}

/// Posts a French need and a Dutch one in two new pools (their first pools cancelled when
/// `taught` holds them), and says whether they are now a pair and with what score.
async fn later_pair(app: &TestApp, round: &str, first: &str, second: &str) -> (i64, i64, Vec<(i64, i64, f64)>) {
    let fr = member(app, &format!("Commune de Wavre {round}"), "fr").await;
    let nl = member(app, &format!("Gemeente Halle {round}"), "nl").await;
    let (a, merged_a) = post(app, &fr, first).await;
    let (b, merged_b) = post(app, &nl, second).await;
    assert!(!merged_a && !merged_b, "{round}: neither is merged automatically");
    (a, b, pairs(app).await)
}

#[tokio::test]
async fn a_merge_across_languages_brings_a_later_pair_worded_alike_to_review_never_to_a_merge() {
    // Without a lesson: the two wordings are not proposed.
    let control = spawn_app().await;
    let (a, b, listed) = later_pair(&control, "control", SOLAR_FR, SOLAR_NL).await;
    assert!(!has_pair(&listed, a, b), "without a lesson: {listed:?}");

    let (_db, url) = TestDb::create();
    let vars = test_vars(&url);
    let first_process = Server::start(&vars);
    let app = TestApp::remote(first_process.address()).await;
    let namur = member(&app, "Ville de Namur", "fr").await;
    let tienen = member(&app, "Stad Tienen", "nl").await;
    let (first, _) = post(&app, &namur, SOLAR_FR).await;
    let (second, merged) = post(&app, &tienen, SOLAR_NL).await;
    assert!(!merged && first != second);
    let merge = app.officer(second, "merge", Some(&json!({"into_pool_id": first}))).await;
    assert_eq!(merge.status(), StatusCode::OK, "{}", merge.text().await.unwrap());
    // The surviving pool ends, so that later needs open pools of their own.
    cancel(&app, first).await;
    let (a, b, listed) = later_pair(&app, "after the merge", SOLAR_FR, SOLAR_NL).await;
    eprintln!("after the merge: {listed:?}");
    assert!(has_pair(&listed, a, b), "the lesson brings them to review, not to a merge: {listed:?}");

    // A process started afterwards learns it from the events when it loads its index.
    cancel(&app, a).await;
    cancel(&app, b).await;
    let second_process = Server::start(&vars);
    let remote = TestApp::remote(second_process.address()).await;
    let (c, d, listed) = later_pair(&remote, "second process", SOLAR_FR, SOLAR_NL).await;
    assert!(has_pair(&listed, c, d), "learnt again from the events: {listed:?}");
}

#[tokio::test]
async fn a_dismissal_keeps_a_later_pair_with_the_same_words_out_of_review() {
    let app = spawn_app().await;
    let (a, b, listed) = later_pair(&app, "first", TREES, BENCHES).await;
    assert!(has_pair(&listed, a, b), "the words alone make a pair: {listed:?}");
    let dismissed = app
        .post(
            "/api/v1/duplicates/dismiss",
            &app.officer_token,
            &json!({"pool_ids": [a, b], "reason": "Deux inventaires."}),
        )
        .await;
    assert_eq!(dismissed.status(), StatusCode::NO_CONTENT);
    cancel(&app, a).await;
    cancel(&app, b).await;
    let (c, d, listed) = later_pair(&app, "later", TREES, BENCHES).await;
    eprintln!("after the dismissal: {listed:?}");
    assert!(!has_pair(&listed, c, d), "the same words are no longer proposed: {listed:?}");
}
