//! Cooling off after a council refusal (SPEC §15, issue 24): an organisation whose pledge
//! its council refused waits a day before pledging to that pool again, through the API and
//! the page, so that a pledge that funds a pool and its refusal cannot be cycled to email
//! every participant and officer again and again.

use diesel::prelude::*;
use mutua::db::schema::events;
use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    helpers::{TestApp, assert_problem, spawn_app},
    web_client::{WebClient, member},
};

fn count(types: &[String], kind: &str) -> usize {
    types.iter().filter(|t| *t == kind).count()
}

/// Moves every `pledge.refused` of a pool `hours` into the past, as if that long had gone by.
fn age_refusals(app: &TestApp, pool: i64, hours: i64) {
    let mut conn = app.state().db.raw_connection().unwrap();
    let rows: Vec<(i64, chrono::NaiveDateTime)> = events::table
        .filter(events::pool_id.eq(pool))
        .filter(events::event_type.eq("pledge.refused"))
        .select((events::id, events::at))
        .load(&mut *conn)
        .unwrap();
    assert!(!rows.is_empty(), "a refusal to age");
    for (id, at) in rows {
        diesel::update(events::table.find(id))
            .set(events::at.eq(at - chrono::Duration::hours(hours)))
            .execute(&mut *conn)
            .unwrap();
    }
}

#[tokio::test]
async fn ten_pledge_and_refusal_cycles_fund_a_pool_at_most_twice() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let pool = app.open_pool(&namur, "Réservation des salles communales", 1_000).await;
    app.pledge(&namur, pool, 600).await;

    let mut cooled = 0;
    for _ in 0..10 {
        let pledged = app.pledge(&ciney, pool, 400).await;
        if pledged.status() == StatusCode::CONFLICT {
            let problem = assert_problem(pledged, StatusCode::CONFLICT).await;
            assert_eq!(problem["type"], "/problems/cooling-off", "{problem}");
            cooled += 1;
            continue;
        }
        assert_eq!(pledged.status(), StatusCode::OK);
        assert_eq!(app.refuse_pledge(&ciney, pool).await.status(), StatusCode::OK);
    }
    let types = app.event_types(pool).await;
    assert!(count(&types, "pool.funded") <= 2, "{types:?}");
    assert_eq!((count(&types, "pledge.refused"), cooled), (1, 9), "one refusal, then a day of waiting");
    assert_eq!(app.pool(pool).await["state"], "open");
}

#[tokio::test]
async fn the_refused_organisation_waits_a_day_and_no_other_waits_at_all() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let (_, andenne) = app.commune("Andenne").await;
    let pool = app.open_pool(&namur, "Inventaire du patrimoine arboré", 1_000).await;
    let other = app.open_pool(&namur, "Parapheur électronique", 1_000).await;
    app.pledge(&namur, pool, 600).await;
    assert_eq!(app.pledge(&ciney, pool, 400).await.json::<Value>().await.unwrap()["state"], "funded");
    assert_eq!(app.refuse_pledge(&ciney, pool).await.status(), StatusCode::OK);

    let refused = app.pledge(&ciney, pool, 100).await;
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((86_400 - 120..=86_400).contains(&retry_after), "about a day left: {retry_after}");
    let problem = assert_problem(refused, StatusCode::CONFLICT).await;
    assert_eq!((problem["type"].as_str(), problem["status"].as_u64()), (Some("/problems/cooling-off"), Some(409)));
    assert!(problem["detail"].as_str().unwrap().contains(&format!("{retry_after} s")), "{problem}");

    // Only that organisation, only on that pool.
    assert_eq!(app.pledge(&andenne, pool, 100).await.status(), StatusCode::OK);
    assert_eq!(app.pledge(&ciney, other, 100).await.status(), StatusCode::OK);

    // Still waiting a minute before the day is over; free once it is.
    age_refusals(&app, pool, 23);
    let almost = app.pledge(&ciney, pool, 300).await;
    let retry_after: u64 = almost.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3_600 - 120..=3_600).contains(&retry_after), "about an hour left: {retry_after}");
    assert_problem(almost, StatusCode::CONFLICT).await;
    age_refusals(&app, pool, 1);
    let again: Value = app.pledge(&ciney, pool, 300).await.json().await.unwrap();
    assert_eq!((again["state"].as_str(), again["pledged_cents"].as_i64()), (Some("funded"), Some(1_000)));
}

#[tokio::test]
async fn the_page_says_in_its_language_that_the_council_refused_and_when_to_come_back() {
    let app = spawn_app().await;
    let (_, _, namur) = member(&app, "Namur", "fr").await;
    let (_, ciney_email, ciney) = member(&app, "Ciney", "fr").await;
    let pool = app.open_pool(&namur, "Registre des concessions", 500_000).await;
    app.pledge(&namur, pool, 300_000).await;
    app.pledge(&ciney, pool, 200_000).await;
    assert_eq!(app.refuse_pledge(&ciney, pool).await.status(), StatusCode::OK);

    let web = WebClient::new(&app);
    web.sign_in(&ciney_email).await;
    let page = web.get(&format!("/pools/{pool}")).await;
    let answer = web.submit(&page, &format!("/pools/{pool}/pledge"), &[("amount", "1 000")]).await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    let text = answer.main_text();
    assert!(
        text.contains("Votre conseil a refusé l'engagement de votre organisation pour ce projet : un nouvel engagement sera possible dans 24 h"),
        "{text}"
    );
    assert!(answer.body.contains(r#"id="pledge-amount-error""#), "beside the amount");
    assert_eq!(app.pool(pool).await["pledged_cents"], 300_000, "nothing pledged");
}
