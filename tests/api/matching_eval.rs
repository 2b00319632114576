//! Replays the three labelled dev sets (`tests/data/needs-dev.jsonl`, 80 needs in 32
//! clusters of the same need; `tests/data/needs-dev2.jsonl`, 162 needs in 75 clusters,
//! cross-language and hard negatives; `tests/data/needs-dev3.jsonl`, 162 needs in 76
//! clusters, written by someone who never saw the matcher's vocabulary) through the API in
//! shuffled orders, each need posted by its own organisation in the locale of its language,
//! and reports the matcher beside the trigram rule Decidim uses for similar proposals:
//! `greatest(similarity(title), similarity(description)) >= 0.25`, best 5. On PostgreSQL the
//! baseline is computed by pg_trgm itself; on SQLite by a faithful port. Then an officer who
//! knows the clusters empties the review queue (`GET /api/v1/duplicates`, best pair first):
//! merges the pairs that hold the same need, dismisses the others; the share of same-need
//! pairs in one pool after that is measured.
//!
//! The thresholds are the defaults, chosen by cross-evaluation between the two sets
//! (`cargo run --release --example matcher_eval -- cross`, docs/MATCHING.md); the floors
//! below are a little under what that evaluation measures for these orders, so a change
//! of behaviour fails here, not a rounding. The second set is replayed in one order only:
//! each need costs an organisation and a member, and CI must stay fast.

use std::collections::{HashMap, HashSet};

use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
use rand::{SeedableRng, seq::SliceRandom};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with};

#[derive(Deserialize, Clone)]
struct LabelledNeed {
    cluster: String,
    lang: String,
    cpv_code: Option<String>,
    title: String,
    description: String,
    estimated_cost_cents: Option<i64>,
}

fn dev_set(name: &str) -> Vec<LabelledNeed> {
    let path = format!("{}/tests/data/{name}.jsonl", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(&path).unwrap();
    raw.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// What one replay measured.
#[derive(Debug)]
struct Report {
    false_merge_pairs: usize,
    pair_recall: f64,
    found: f64,
    baseline_found: f64,
    /// Same-need pairs in one pool once the officer has emptied the review queue.
    reviewed_recall: f64,
    reviews: usize,
    review_merges: usize,
}

/// pg_trgm's `similarity`: words are runs of alphanumerics, lower-cased, padded with two
/// spaces before and one after; trigrams form a set; |shared| / |union|.
fn trigrams(text: &str) -> HashSet<[char; 3]> {
    let mut set = HashSet::new();
    for word in text.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let padded: Vec<char> = "  ".chars().chain(word.chars()).chain(" ".chars()).collect();
        for w in padded.windows(3) {
            set.insert([w[0], w[1], w[2]]);
        }
    }
    set
}

fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (trigrams(a), trigrams(b));
    let shared = a.intersection(&b).count() as f64;
    let union = (a.len() + b.len()) as f64 - shared;
    if union == 0.0 { 0.0 } else { shared / union }
}

#[derive(QueryableByName)]
struct Candidate {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The baseline's five best earlier needs for need `id` (database ids).
fn baseline_top5(app: &TestApp, id: i64, earlier: &[(i64, &LabelledNeed)], need: &LabelledNeed) -> Vec<i64> {
    if let mutua::db::DbConnection::Postgres(pg) = &mut *app.state().db.raw_connection().unwrap() {
        return diesel::sql_query(
            "SELECT b.id FROM needs a JOIN needs b ON b.id < a.id WHERE a.id = $1 \
             AND greatest(similarity(a.title, b.title), similarity(a.description, b.description)) >= 0.25 \
             ORDER BY greatest(similarity(a.title, b.title), similarity(a.description, b.description)) DESC, b.id LIMIT 5",
        )
        .bind::<BigInt, _>(id)
        .load::<Candidate>(pg)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    }
    let mut scored: Vec<(f64, i64)> = earlier
        .iter()
        .map(|(other, n)| {
            (similarity(&need.title, &n.title).max(similarity(&need.description, &n.description)), *other)
        })
        .filter(|(score, _)| *score >= 0.25)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(5).map(|(_, id)| id).collect()
}

async fn replay(set: &str, seed: u64) -> Report {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_MAX_NEEDS_PER_DAY".into(), "0".into());
    })
    .await;
    if let mutua::db::DbConnection::Postgres(pg) = &mut *app.state().db.raw_connection().unwrap() {
        diesel::sql_query("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute(pg).unwrap();
    }
    let mut needs = dev_set(set);
    needs.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
    // need id → (cluster index, pool id at posting)
    let mut posted: Vec<(i64, &LabelledNeed)> = Vec::new();
    let mut pool_of: HashMap<i64, i64> = HashMap::new();
    let (mut found, mut baseline_found, mut findable) = (0, 0, 0);
    for (i, need) in needs.iter().enumerate() {
        let org = app.create_organisation(&format!("Organisation {i:02}"), &need.lang).await;
        let token = app.create_member(org, &format!("member{i}@org{i}.be")).await;
        let body = json!({
            "title": need.title, "description": need.description,
            "cpv_code": need.cpv_code, "estimated_cost_cents": need.estimated_cost_cents,
        });
        let answer: Value = app.post_need_with(&token, &body).await;
        let id = answer["need"]["id"].as_i64().unwrap();
        let pool = answer["pool"]["id"].as_i64().unwrap();
        let same: Vec<i64> = posted.iter().filter(|(_, n)| n.cluster == need.cluster).map(|(id, _)| *id).collect();
        if !same.is_empty() {
            findable += 1;
            let same_pools: HashSet<i64> = same.iter().map(|id| pool_of[id]).collect();
            let suggested: Vec<i64> = answer["similar_pools"]
                .as_array()
                .unwrap()
                .iter()
                .take(5)
                .map(|s| s["pool_id"].as_i64().unwrap())
                .collect();
            let merged_right = answer["merged"] == true && same_pools.contains(&pool);
            if merged_right || suggested.iter().any(|p| same_pools.contains(p)) {
                found += 1;
            }
            if baseline_top5(&app, id, &posted, need).iter().any(|other| same.contains(other)) {
                baseline_found += 1;
            }
        }
        pool_of.insert(id, pool);
        posted.push((id, need));
    }
    let (false_pairs, pair_recall) = pair_stats(&posted, &pool_of, true);
    let (reviews, review_merges) = empty_review_queue(&app, &posted, &mut pool_of).await;
    let (wrong_after, reviewed_recall) = pair_stats(&posted, &pool_of, false);
    assert_eq!(wrong_after, false_pairs, "the officer merges no different needs");
    Report {
        false_merge_pairs: false_pairs,
        pair_recall,
        found: found as f64 / findable as f64,
        baseline_found: baseline_found as f64 / findable as f64,
        reviewed_recall,
        reviews,
        review_merges,
    }
}

/// (Pairs of different needs in one pool, share of same-need pairs in one pool.)
fn pair_stats(posted: &[(i64, &LabelledNeed)], pool_of: &HashMap<i64, i64>, show: bool) -> (usize, f64) {
    let (mut false_pairs, mut same_pairs, mut merged_same) = (0, 0, 0);
    for (i, (a, na)) in posted.iter().enumerate() {
        for (b, nb) in &posted[i + 1..] {
            let together = pool_of[a] == pool_of[b];
            if na.cluster == nb.cluster {
                same_pairs += 1;
                merged_same += usize::from(together);
            } else if together {
                false_pairs += 1;
                if show {
                    eprintln!("false merge: {:?} / {:?}", na.title, nb.title);
                }
            }
        }
    }
    (false_pairs, merged_same as f64 / same_pairs as f64)
}

/// An officer who knows the clusters works through the review queue, best pair first:
/// merges (the younger pool into the older) the pairs whose pools hold the same need,
/// dismisses the others. Returns (reviews, merges).
async fn empty_review_queue(
    app: &TestApp,
    posted: &[(i64, &LabelledNeed)],
    pool_of: &mut HashMap<i64, i64>,
) -> (usize, usize) {
    let (mut reviews, mut merges) = (0, 0);
    loop {
        let page: Value = app.get("/api/v1/duplicates?limit=1", &app.officer_token).await.json().await.unwrap();
        let Some(pair) = page["items"].as_array().and_then(|items| items.first()) else { break };
        let ids: Vec<i64> = pair["pools"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
        let (older, younger) = (ids[0].min(ids[1]), ids[0].max(ids[1]));
        let clusters = |pool: i64| -> HashSet<&str> {
            posted.iter().filter(|(id, _)| pool_of[id] == pool).map(|(_, n)| n.cluster.as_str()).collect()
        };
        reviews += 1;
        assert!(reviews <= 2 * posted.len(), "the review queue empties");
        if clusters(older).is_disjoint(&clusters(younger)) {
            let body = json!({"pool_ids": [older, younger]});
            let dismissed = app.post("/api/v1/duplicates/dismiss", &app.officer_token, &body).await;
            assert_eq!(dismissed.status().as_u16(), 204);
        } else {
            let merged = app.officer(younger, "merge", Some(&json!({"into_pool_id": older}))).await;
            assert_eq!(merged.status().as_u16(), 200, "{:?}", merged.text().await);
            merges += 1;
            pool_of.values_mut().filter(|p| **p == younger).for_each(|p| *p = older);
        }
    }
    (reviews, merges)
}

/// What a set must show in every order replayed, and on average.
struct Floors {
    found: f64,
    mean_recall: f64,
    /// Same-need pairs in one pool once the officer has emptied the queue, every order.
    reviewed: f64,
}

async fn replay_and_check(set: &str, seeds: &[u64], floors: Floors) {
    let mut reports = Vec::new();
    for &seed in seeds {
        reports.push(replay(set, seed).await);
    }
    eprintln!(
        "{set}\nseed | false-merge pairs | pair merge recall | found (top 5) | trigram baseline found | after review | reviews | merges"
    );
    for (seed, r) in seeds.iter().zip(&reports) {
        eprintln!(
            "{seed} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {} | {}",
            r.false_merge_pairs,
            r.pair_recall,
            r.found,
            r.baseline_found,
            r.reviewed_recall,
            r.reviews,
            r.review_merges
        );
    }
    let mean = |f: fn(&Report) -> f64| reports.iter().map(f).sum::<f64>() / reports.len() as f64;
    let (recall, found, baseline) = (mean(|r| r.pair_recall), mean(|r| r.found), mean(|r| r.baseline_found));
    eprintln!(
        "mean | {} | {recall:.3} | {found:.3} | {baseline:.3}",
        reports.iter().map(|r| r.false_merge_pairs).sum::<usize>()
    );
    assert!(reports.iter().all(|r| r.false_merge_pairs == 0), "{set}: no false merge in any order");
    assert!(reports.iter().all(|r| r.found >= floors.found), "{set}: found ≥ {} in every order", floors.found);
    assert!(recall >= floors.mean_recall, "{set}: pair merge recall {recall:.3} < {}", floors.mean_recall);
    assert!(found > baseline, "{set}: the matcher beats the trigram baseline");
    for r in &reports {
        assert!(
            r.reviewed_recall >= floors.reviewed,
            "{set}: after review {:.3} < {}",
            r.reviewed_recall,
            floors.reviewed
        );
        assert!(2 * r.review_merges >= r.reviews, "{set}: half the reviews or more are merges: {r:?}");
    }
}

#[tokio::test]
async fn dev_set_replayed_through_the_api() {
    // Measured for orders 1-3 (SQLite, 2026-12-07, defaults 0.32 / 0.025 / 0.03 / 0.12 / 0.13):
    // recall 0.429, 0.464, 0.345; found 1.000; after review 1.000 (33, 31, 37 reviews, 21, 19,
    // 25 merges).
    replay_and_check("needs-dev", &[1, 2, 3], Floors { found: 0.97, mean_recall: 0.35, reviewed: 0.97 }).await;
}

#[tokio::test]
async fn second_dev_set_replayed_through_the_api() {
    // Measured for order 1 (SQLite, 2026-12-07, defaults 0.32 / 0.025 / 0.03 / 0.12 / 0.13):
    // recall 0.242, found 0.977, after review 0.975 (87 reviews, 55 merges). Issue 26's 0.93
    // after review is reached.
    replay_and_check("needs-dev2", &[1], Floors { found: 0.93, mean_recall: 0.15, reviewed: 0.93 }).await;
}

#[tokio::test]
async fn third_dev_set_replayed_through_the_api() {
    // Measured for order 1 (SQLite, 2026-12-07, defaults 0.32 / 0.025 / 0.03 / 0.12 / 0.13,
    // chosen on needs-dev and needs-dev2 only): recall 0.129, found 0.930, after review 0.626
    // (70 reviews, 41 merges). Issue 26 asks for 0.97 found and 0.93 after review: not
    // reached; the floors are kept where they were, not raised to the target.
    replay_and_check("needs-dev3", &[1], Floors { found: 0.90, mean_recall: 0.08, reviewed: 0.50 }).await;
}

#[test]
fn the_trigram_port_agrees_with_pg_trgm() {
    // Values computed by PostgreSQL 15's pg_trgm (`SELECT similarity(a, b)`).
    let cases = [
        ("word", "two words", 0.363_636),
        ("Gestion du cimetière", "cimetiere gestion", 0.625),
        ("abc", "abc", 1.0),
        ("", "abc", 0.0),
    ];
    for (a, b, expected) in cases {
        let got = similarity(a, b);
        assert!((got - expected).abs() < 1e-3, "{a:?} {b:?}: {got} vs {expected}");
    }
}
