//! The public surface holds (SPEC §16, issue 24): open data bounded in memory, by parsed
//! parameters and in bytes, in time linear in a pool's history, per client address; one
//! search budget for the API and the pages.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, TestDb, assert_problem, spawn_app_with, test_vars},
    process::Server,
};

/// A pool opened by `token`'s organisation with a description of `description_chars` (its
/// title again and again, so that pools with other titles stay apart).
async fn described_pool(app: &TestApp, token: &str, title: &str, description_chars: usize) -> i64 {
    let description: String = format!("{title}. ").chars().cycle().take(description_chars).collect();
    let body = json!({"title": title, "description": description, "estimated_cost_cents": 100_000_000});
    let posted = app.post_need_with(token, &body).await;
    assert_eq!(posted["merged"], false, "{title} opens its own pool");
    posted["pool"]["id"].as_i64().unwrap()
}

/// `changes` pledges of `token`'s organisation to `pool`, each a different amount: one
/// release each.
async fn pledge_changes(app: &TestApp, token: &str, pool: i64, changes: usize) {
    for i in 0..changes {
        let amount = 100_000 + i64::try_from(i % 2).unwrap() * 1_000 + i64::try_from(i).unwrap();
        assert_eq!(app.pledge(token, pool, amount).await.status(), StatusCode::OK);
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::test]
async fn three_hundred_spellings_of_one_record_page_grow_memory_by_at_most_64_mib() {
    let (_db, url) = TestDb::create();
    let mut vars = test_vars(&url);
    vars.insert("MUTUA_PUBLIC_PER_MINUTE".into(), "0".into());
    let server = Server::start(&vars);
    let app = TestApp::remote(server.address()).await;
    let (_, namur) = app.commune("Namur").await;
    // A record of some 70 releases of 10 kB each (the description is in every release).
    let pool = described_pool(&app, &namur, "Gestion du cimetière", 10_000).await;
    pledge_changes(&app, &namur, pool, 70).await;
    let anonymous = reqwest::Client::new();
    let first = anonymous.get(app.url("/api/v1/ocds/records?after=0")).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let page_bytes = first.bytes().await.unwrap().len();
    assert!(page_bytes > 500_000, "a page large enough to matter: {page_bytes} bytes");
    let before = server.resident_bytes();
    for zeros in 1..=300 {
        let after = "0".repeat(zeros);
        let spelling = match zeros % 3 {
            0 => format!("/api/v1/ocds/records?after={after}"),
            1 => format!("/api/v1/ocds/records?limit=20&after={after}"),
            _ => format!("/api/v1/ocds/records?after={after}&limit=020"),
        };
        let response = anonymous.get(app.url(&spelling)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{spelling}");
        assert_eq!(response.bytes().await.unwrap().len(), page_bytes);
    }
    let grown = server.resident_bytes().saturating_sub(before);
    eprintln!("300 spellings of a {page_bytes}-byte page: RSS grew by {:.1} MiB", mib(grown));
    assert!(grown <= 64 << 20, "RSS grew by {:.1} MiB", mib(grown));
}

/// The time of computing one pool's record (the cache forgotten first, by a change of
/// another pool), the best of three. Each request on a connection of its own: the server
/// closes a connection whose request outlived its keep-alive, and a connection left idle
/// meanwhile may be closing when it is reused.
async fn record_time(app: &TestApp, token: &str, other: i64, pool: i64) -> Duration {
    let mut best = Duration::MAX;
    for i in 0..3 {
        let fresh = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        let pledge = fresh
            .put(app.url(&format!("/api/v1/pools/{other}/pledge")))
            .bearer_auth(token)
            .json(&json!({"amount_cents": 50_000 + i}))
            .send()
            .await
            .unwrap();
        assert_eq!(pledge.status(), StatusCode::OK);
        let started = Instant::now();
        let response = fresh.get(app.url(&format!("/api/v1/ocds/records?limit=1&after={}", pool - 1))).send().await;
        let body: Value = response.unwrap().json().await.unwrap();
        best = best.min(started.elapsed());
        assert_eq!(body["records"][0]["ocid"], format!("ocds-mutua0-{pool}"));
    }
    best
}

#[tokio::test]
async fn a_record_with_ten_times_the_history_costs_about_ten_times_the_time() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_PUBLIC_PER_MINUTE".into(), "0".into());
    })
    .await;
    let (_, namur) = app.commune("Namur").await;
    let mut others = Vec::new();
    for name in ["Ciney", "Dinant", "Gembloux", "Andenne"] {
        others.push(app.commune(name).await.1);
    }
    let short = described_pool(&app, &namur, "Gestion du cimetière", 100).await;
    let long = described_pool(&app, &namur, "Registre de la voirie communale", 100).await;
    let elsewhere = described_pool(&app, &namur, "Plateforme des marchés publics", 100).await;
    // Four other authorities pledge to both: a change of one pledge changes every share.
    for token in &others {
        for pool in [short, long] {
            assert_eq!(app.pledge(token, pool, 200_000).await.status(), StatusCode::OK);
        }
    }
    pledge_changes(&app, &namur, short, 40).await;
    pledge_changes(&app, &namur, long, 400).await;
    let (small, large) =
        (record_time(&app, &namur, elsewhere, short).await, record_time(&app, &namur, elsewhere, long).await);
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    eprintln!("record of 46 releases: {small:?}; of 406 releases: {large:?}; ratio {ratio:.1}");
    // Linear: about 10 (less, with the fixed costs); quadratic: about 100. Tolerant of a
    // loaded machine.
    assert!(ratio <= 25.0, "10x the history cost {ratio:.1}x the time ({small:?} then {large:?})");
}

#[tokio::test]
async fn a_record_with_more_than_100_releases_links_them_and_each_link_finds_its_release() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_PUBLIC_PER_MINUTE".into(), "0".into());
    })
    .await;
    let (_, namur) = app.commune("Namur").await;
    let pool = described_pool(&app, &namur, "Gestion du cimetière", 100).await;
    pledge_changes(&app, &namur, pool, 110).await;
    let package: Value = app.client.get(app.url("/api/v1/ocds/records")).send().await.unwrap().json().await.unwrap();
    crate::ocds_tools::Schemas::load().assert_valid(&package);
    if crate::ocds_tools::reference_tools() {
        let review = crate::ocds_tools::libcoveocds(&package);
        assert_eq!(review.validation_errors(), &json!([]), "libcoveocds validation errors");
        assert_eq!(review.conformance_errors(), json!({}), "libcoveocds conformance errors");
    }
    let record = &package["records"][0];
    let links = record["releases"].as_array().unwrap();
    assert!(links.len() > 100);
    assert!(links.iter().all(|l| l["url"].is_string() && l["date"].is_string() && l["tag"].is_array()));
    assert!(record["compiledRelease"]["planning"].is_object(), "compiled from every release");
    for link in [&links[0], &links[57], links.last().unwrap()] {
        let url = link["url"].as_str().unwrap();
        let (page, id) = url.split_once('#').unwrap();
        let path = page.strip_prefix("http://127.0.0.1:8080").unwrap();
        let releases: Value = app.client.get(app.url(path)).send().await.unwrap().json().await.unwrap();
        assert_eq!(releases["releases"][0]["id"], id, "{url}");
        assert_eq!(releases["releases"][0]["date"], link["date"]);
    }
}

#[tokio::test]
async fn a_response_ends_before_the_byte_cap_and_links_next_goes_on() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_PUBLIC_PER_MINUTE".into(), "0".into());
        vars.insert("MUTUA_PUBLIC_PAGE_BYTES".into(), "60000".into());
    })
    .await;
    let (_, namur) = app.commune("Namur").await;
    let pool = described_pool(&app, &namur, "Gestion du cimetière", 9_000).await;
    pledge_changes(&app, &namur, pool, 12).await;
    let mut url = app.url("/api/v1/ocds/releases?limit=200");
    let mut ids = Vec::new();
    for _ in 0..20 {
        let response = app.client.get(&url).send().await.unwrap();
        let body = response.bytes().await.unwrap();
        let page: Value = serde_json::from_slice(&body).unwrap();
        let releases = page["releases"].as_array().unwrap();
        if releases.is_empty() {
            break;
        }
        assert!(body.len() <= 60_000, "a page of {} bytes", body.len());
        ids.extend(releases.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        url = page["links"]["next"].as_str().unwrap().replace("http://127.0.0.1:8080", &app.address);
    }
    assert_eq!(ids.len(), 14, "every release, once, over several pages: {ids:?}");
    ids.dedup();
    assert_eq!(ids.len(), 14);
}

#[tokio::test]
async fn anonymous_open_data_is_limited_per_client_address() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_PUBLIC_PER_MINUTE".into(), "5".into());
    })
    .await;
    let anonymous = reqwest::Client::new();
    let get = |path: &'static str| anonymous.get(app.url(path)).send();
    for path in ["/api/v1/ocds/releases", "/api/v1/ocds/records", "/catalogue", "/api/v1/ocds/releases?after=0"] {
        assert_eq!(get(path).await.unwrap().status(), StatusCode::OK, "{path}");
    }
    assert_eq!(get("/api/v1/ocds/records?after=00").await.unwrap().status(), StatusCode::OK);
    let refused = get("/api/v1/ocds/records").await.unwrap();
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After: {wait}");
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(get("/catalogue").await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS, "the page too");
    // A signed-in harvester is counted by its own limits, not its address's.
    let signed_in = app.get("/api/v1/ocds/records", &app.officer_token).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
}

#[tokio::test]
async fn searches_through_the_api_the_page_and_the_preview_spend_one_budget() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_SIMILAR_PER_MINUTE".into(), "4".into());
    })
    .await;
    let (_, email, token) = crate::web_client::member(&app, "Namur", "fr").await;
    let web = crate::web_client::WebClient::new(&app);
    web.sign_in(&email).await;
    let api = "/api/v1/pools/similar?title=Gestion%20du%20cimeti%C3%A8re";
    let page = "/needs/similar?title=Gestion%20du%20cimeti%C3%A8re";
    assert_eq!(app.get(api, &token).await.status(), StatusCode::OK);
    assert_eq!(web.get(page).await.status, StatusCode::OK);
    // The need form's preview asks for the same fragment through htmx.
    let preview = app
        .client
        .get(app.url(page))
        .header("hx-request", "true")
        .header("cookie", format!("mutua_session={}", web.cookie("mutua_session").unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    assert_eq!(app.get(api, &token).await.status(), StatusCode::OK);
    // Four searches in all: the fifth is refused, by either door.
    let refused = web.get(page).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.get("retry-after").is_some());
    assert_problem(app.get(api, &token).await, StatusCode::TOO_MANY_REQUESTS).await;
}
