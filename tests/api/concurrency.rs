//! Many organisations pledging to the same pools at the same instant.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;
use tokio::sync::Barrier;

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_simultaneous_pledges_fund_each_pool_exactly_once() {
    const ORGANISATIONS: usize = 30;
    const PLEDGE: i64 = 10_000;
    let app = Arc::new(spawn_app().await);
    let mut tokens = Vec::new();
    for i in 0..ORGANISATIONS {
        tokens.push(app.commune(&format!("Commune {i:02}")).await.1);
    }
    let tokens = Arc::new(tokens);
    for (round, title) in
        ["Gestion du cimetière", "Parapheur électronique", "Réservation des salles"].into_iter().enumerate()
    {
        // Funded by the tenth pledge: twenty must come too late.
        let pool = app.open_pool(&tokens[round], title, 10 * PLEDGE).await;
        let barrier = Arc::new(Barrier::new(ORGANISATIONS));
        let mut tasks = Vec::new();
        for i in 0..ORGANISATIONS {
            let (app, tokens, barrier) = (app.clone(), tokens.clone(), barrier.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                app.pledge(&tokens[i], pool, PLEDGE).await.status()
            }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        let accepted = statuses.iter().filter(|s| **s == StatusCode::OK).count();
        let late = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
        assert_eq!(accepted + late, ORGANISATIONS, "only 200 or 409: {statuses:?}");
        assert_eq!(accepted, 10, "the tenth pledge funds the pool; later ones are refused");
        let after: Value = app.pool(pool).await;
        assert_eq!(after["state"], "funded");
        assert_eq!(after["pledged_cents"].as_i64().unwrap(), accepted as i64 * PLEDGE, "no lost update");
        let shares: i64 =
            after["participants"].as_array().unwrap().iter().map(|p| p["share_cents"].as_i64().unwrap()).sum();
        assert_eq!(shares, 10 * PLEDGE);
        let funded = app.event_types(pool).await.into_iter().filter(|t| t == "pool.funded").count();
        assert_eq!(funded, 1, "exactly one funding");
    }
}
