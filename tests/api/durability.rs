//! Nothing acknowledged is lost: a change answered 2xx is on disk, even when the process is
//! killed (SIGKILL) the instant after, with writes committed in groups.

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{TestApp, TestDb, test_vars},
    process::Server,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn needs_acknowledged_survive_a_kill_right_after_their_201() {
    let (_db, url) = TestDb::create();
    let vars = test_vars(&url);
    let server = Server::start(&vars);
    let app = std::sync::Arc::new(TestApp::remote(server.address()).await);
    let (_, token) = app.commune("Commune de Durbuy").await;
    // Concurrent posts, so that several share a commit.
    let posts: Vec<_> = (0..24)
        .map(|i| {
            let (app, token) = (app.clone(), token.clone());
            tokio::spawn(async move {
                let body = json!({"title": format!("Registre {i} des arbres remarquables"), "description": format!("lot {i}")});
                let response = app.post("/api/v1/needs", &token, &body).await;
                assert_eq!(response.status(), StatusCode::CREATED);
                response.json::<serde_json::Value>().await.unwrap()["need"]["id"].as_i64().unwrap()
            })
        })
        .collect();
    let mut ids = Vec::new();
    for post in posts {
        ids.push(post.await.unwrap());
    }
    server.kill();

    let restarted = Server::start(&vars);
    let app = TestApp::remote(restarted.address()).await;
    let token = app.token("communededurbuy@example.be", crate::helpers::PASSWORD).await;
    for id in ids {
        let response = app.get(&format!("/api/v1/needs/{id}"), &token).await;
        assert_eq!(response.status(), StatusCode::OK, "need {id} acknowledged, then lost");
    }
}
