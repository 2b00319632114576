//! Abuse with valid accounts and junk input (issue 12): each test is one finding, tried as
//! an attacker would.

use std::{
    collections::HashMap,
    net::IpAddr,
    process::{Command, Stdio},
};

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{OFFICER_EMAIL, PASSWORD, TestApp, assert_problem, spawn_app, spawn_app_with};

/// A login sent from `source` (any address of 127.0.0.0/8 reaches the app on Linux), with an
/// `X-Forwarded-For` header when given: another client, as the server sees it.
async fn login_from(app: &TestApp, source: &str, forwarded_for: Option<&str>, email: &str, password: &str) -> Response {
    let client = reqwest::Client::builder().local_address(source.parse::<IpAddr>().unwrap()).build().unwrap();
    let mut request = client.post(app.url("/api/v1/auth/login")).json(&json!({"email": email, "password": password}));
    if let Some(forwarded) = forwarded_for {
        request = request.header("X-Forwarded-For", forwarded);
    }
    request.send().await.unwrap()
}

async fn statuses_of_failed_logins(app: &TestApp, source: &str, forwarded_for: Option<&str>, n: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for _ in 0..n {
        statuses.push(login_from(app, source, forwarded_for, OFFICER_EMAIL, "a wrong guess").await.status().as_u16());
    }
    statuses
}

// 1. Junk logins: refused before any state.

#[tokio::test]
async fn an_email_longer_than_the_standard_allows_is_refused_before_anything_is_counted() {
    let app = spawn_app().await;
    let junk = format!("{}@junk.be", "x".repeat(60_000));
    for _ in 0..30 {
        assert_problem(app.login(&junk, "whatever").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    // Thirty junk logins from this address counted nothing: the officer still logs in.
    assert_eq!(app.login(OFFICER_EMAIL, PASSWORD).await.status(), StatusCode::OK);
}

// 2. The daily cap counts pools opened by moving; needs leave only open pools.

#[tokio::test]
async fn every_pool_opened_counts_toward_the_daily_cap() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_MAX_NEEDS_PER_DAY".into(), "2".into());
    })
    .await;
    let (_, namur) = app.commune("Namur").await;
    let posted = app.post_need(&namur, "Gestion du cimetière", "").await;
    let path = format!("/api/v1/needs/{}/move", posted["need"]["id"]);
    assert_eq!(app.post(&path, &namur, &json!({"pool_id": null})).await.status(), StatusCode::OK);
    let third = app.post(&path, &namur, &json!({"pool_id": null})).await;
    assert!(third.headers().get("retry-after").is_some());
    assert_problem(third, StatusCode::TOO_MANY_REQUESTS).await;
    // Another organisation has its own allowance.
    let (_, ciney) = app.commune("Ciney").await;
    app.post_need(&ciney, "Gestion des salles", "").await;
}

#[tokio::test]
async fn a_need_moves_only_out_of_an_open_pool() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let posted = app
        .post_need_with(
            &namur,
            &json!({"title": "Gestion du cimetière", "description": "", "estimated_cost_cents": 100}),
        )
        .await;
    let pool = posted["pool"]["id"].as_i64().unwrap();
    assert_eq!(app.pledge(&namur, pool, 100).await.json::<Value>().await.unwrap()["state"], "funded");
    let moved =
        app.post(&format!("/api/v1/needs/{}/move", posted["need"]["id"]), &namur, &json!({"pool_id": null})).await;
    assert_eq!(assert_problem(moved, StatusCode::CONFLICT).await["state"], "funded");
    assert_eq!(app.pool(pool).await["needs_count"], 1);
}

// 3. Only the need that opens a pool sets its target.

#[tokio::test]
async fn a_need_joining_a_pool_never_sets_its_target() {
    let app = spawn_app().await;
    let (_, bastogne) = app.commune("Bastogne").await;
    let (_, chimay) = app.commune("Chimay").await;
    let (_, dinant) = app.commune("Dinant").await;
    let (title, description) = ("Gestion des concessions du cimetière", "Registre des concessions et plan.");
    let opened = app.post_need(&bastogne, title, description).await;
    let pool = opened["pool"]["id"].as_i64().unwrap();
    assert!(opened["pool"]["target_cents"].is_null());
    // No cost, no pledge (SPEC §15).
    assert_eq!(app.pledge(&bastogne, pool, 3_000_000).await.status(), StatusCode::CONFLICT);

    // Chimay moves a 1-cent need of its own into Bastogne's pool.
    let other = app
        .post_need_with(
            &chimay,
            &json!({"title": "Application de signalement", "description": "", "estimated_cost_cents": 1}),
        )
        .await;
    let moved =
        app.post(&format!("/api/v1/needs/{}/move", other["need"]["id"]), &chimay, &json!({"pool_id": pool})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!((moved["pool"]["state"].as_str(), moved["pool"]["target_cents"].as_i64()), (Some("open"), None));
    // Dinant posts the same need with a 1-cent estimate: it joins, and sets nothing either.
    let joined = app
        .post_need_with(&dinant, &json!({"title": title, "description": description, "estimated_cost_cents": 1}))
        .await;
    assert_eq!((joined["merged"].as_bool(), joined["pool"]["id"].as_i64()), (Some(true), Some(pool)));
    assert_eq!((joined["pool"]["state"].as_str(), joined["pool"]["target_cents"].as_i64()), (Some("open"), None));

    // A threshold without a target funds nothing, and still takes no pledge.
    let (path, threshold) = (format!("/api/v1/pools/{pool}"), json!({"threshold_cents": 1}));
    let edited = app.request(Method::PATCH, &path, Some(&app.officer_token), Some(&threshold)).await;
    assert_eq!(edited.json::<Value>().await.unwrap()["state"], "open");
    assert_eq!(app.pledge(&bastogne, pool, 3_000_000).await.status(), StatusCode::CONFLICT);
    assert_eq!(app.pool(pool).await["pledged_cents"], 0);
}

// 4. Idempotency: session first, bounded per user, short echoes, tokens never stored.

fn with_key(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    key: &str,
    body: &Value,
) -> reqwest::RequestBuilder {
    app.client.request(method, app.url(path)).bearer_auth(token).header("Idempotency-Key", key).json(body)
}

#[tokio::test]
async fn a_disabled_users_idempotent_request_is_401_and_stores_nothing() {
    let app = spawn_app().await;
    let org = app.create_organisation("Namur", "fr").await;
    let token = app.create_member(org, "namur@example.be").await;
    let user = app.get("/api/v1/me", &token).await.json::<Value>().await.unwrap()["user"]["id"].as_i64().unwrap();
    let app = &app;
    let access = |disabled: bool| async move {
        let (path, body) = (format!("/api/v1/users/{user}"), json!({"disabled": disabled}));
        let response = app.request(Method::PATCH, &path, Some(&app.officer_token), Some(&body)).await;
        assert_eq!(response.status(), StatusCode::OK);
    };
    access(true).await;
    let first = json!({"title": "Gestion du cimetière", "description": ""});
    let refused = with_key(app, Method::POST, "/api/v1/needs", &token, "k-1", &first).send().await.unwrap();
    assert_problem(refused, StatusCode::UNAUTHORIZED).await;
    access(false).await;
    // Had the refused request stored its key, another body under it would be 422.
    let token = app.token("namur@example.be", PASSWORD).await;
    let other = json!({"title": "Réservation des salles", "description": ""});
    let accepted = with_key(app, Method::POST, "/api/v1/needs", &token, "k-1", &other).send().await.unwrap();
    assert_eq!(accepted.status(), StatusCode::CREATED);
    assert!(accepted.headers().get("idempotent-replayed").is_none());
}

/// Posts needs with fresh keys until one is refused; returns how many were accepted and the
/// refusal.
async fn post_until_refused(app: &TestApp, token: &str) -> (usize, Value) {
    for i in 0..20 {
        let body = json!({"title": format!("Besoin numéro {i}"), "description": "Un besoin à financer."});
        let response =
            with_key(app, Method::POST, "/api/v1/needs", token, &format!("key-{i}"), &body).send().await.unwrap();
        if response.status() != StatusCode::CREATED {
            assert!(response.headers().get("retry-after").is_some());
            return (i, assert_problem(response, StatusCode::TOO_MANY_REQUESTS).await);
        }
    }
    panic!("twenty keys and no bound");
}

#[tokio::test]
async fn each_users_share_of_the_idempotency_store_is_bounded() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_IDEMPOTENCY_MAX_KEYS".into(), "3".into());
    })
    .await;
    let (_, namur) = app.commune("Namur").await;
    let (accepted, problem) = post_until_refused(&app, &namur).await;
    assert_eq!((accepted, problem["type"].as_str()), (3, Some("/problems/idempotency-quota")));
    // A key already held still replays; a request without a key still runs; others are
    // not affected.
    let body = json!({"title": "Besoin numéro 0", "description": "Un besoin à financer."});
    let replay = with_key(&app, Method::POST, "/api/v1/needs", &namur, "key-0", &body).send().await.unwrap();
    assert_eq!(replay.headers().get("idempotent-replayed").unwrap(), "true");
    app.post_need(&namur, "Sans clé", "").await;
    let (_, ciney) = app.commune("Ciney").await;
    assert_eq!(post_until_refused(&app, &ciney).await.0, 3);

    let bytes = spawn_app_with(|vars| {
        vars.insert("MUTUA_IDEMPOTENCY_MAX_BYTES".into(), "2000".into());
    })
    .await;
    let (_, namur) = bytes.commune("Namur").await;
    let (accepted, problem) = post_until_refused(&bytes, &namur).await;
    assert!((1..20).contains(&accepted), "{accepted}");
    assert_eq!(problem["type"], "/problems/idempotency-quota");
}

#[tokio::test]
async fn problems_repeat_only_a_short_prefix_of_client_input() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let long = "z".repeat(20_000);
    let mut unknown_field = json!({"title": "Gestion du cimetière", "description": ""});
    unknown_field[&long] = json!(1);
    let wrong_type = json!({"title": "Gestion du cimetière", "description": "", "estimated_cost_cents": long});
    let responses = [
        with_key(&app, Method::POST, "/api/v1/needs", &namur, "echo-1", &unknown_field).send().await.unwrap(),
        app.post("/api/v1/needs", &namur, &wrong_type).await,
        app.get(&format!("/api/v1/pools/similar?title=Cimeti%C3%A8re&{long}=1"), &namur).await,
    ];
    for response in responses {
        let body = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await.to_string();
        assert!(body.len() < 1_000 && !body.contains(&"z".repeat(100)), "{} bytes: {body:.300}", body.len());
    }
}

#[tokio::test]
async fn responses_holding_tokens_are_never_stored() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let change = json!({"current_password": PASSWORD, "new_password": "une toute nouvelle phrase"});
    let first = with_key(&app, Method::POST, "/api/v1/me/password", &namur, "pw-1", &change).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers().get("cache-control").unwrap(), "no-store");
    // The same request again runs again (and the old token no longer works): no replay of
    // a stored token.
    let again = with_key(&app, Method::POST, "/api/v1/me/password", &namur, "pw-1", &change).send().await.unwrap();
    assert!(again.headers().get("idempotent-replayed").is_none());
    assert_problem(again, StatusCode::UNAUTHORIZED).await;
    // A login sent with a token and a key is not stored either.
    let login = json!({"email": OFFICER_EMAIL, "password": PASSWORD});
    for _ in 0..2 {
        let response = with_key(&app, Method::POST, "/api/v1/auth/login", &app.officer_token, "login-1", &login)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get("idempotent-replayed").is_none());
    }
}

// 5. Login limits that an attacker cannot turn against the account holder.

#[tokio::test]
async fn the_holder_logs_in_from_its_address_while_another_hammers_the_account() {
    let app = spawn_app().await;
    let statuses = statuses_of_failed_logins(&app, "127.0.0.2", None, 30).await;
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(login_from(&app, "127.0.0.3", None, OFFICER_EMAIL, PASSWORD).await.status(), StatusCode::OK);
    // The attacker's address stays refused, even with the right password.
    assert_problem(login_from(&app, "127.0.0.2", None, OFFICER_EMAIL, PASSWORD).await, StatusCode::TOO_MANY_REQUESTS)
        .await;
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_TRUSTED_PROXIES".into(), "127.0.0.1".into());
    })
    .await;
    // Behind the proxy, the attacker's forged first hop is ignored: the proxy's hop counts.
    let attacker = Some("6.6.6.6, 203.0.113.7");
    assert_eq!(statuses_of_failed_logins(&app, "127.0.0.1", attacker, 30).await.last(), Some(&429));
    let holder = login_from(&app, "127.0.0.1", Some("203.0.113.9"), OFFICER_EMAIL, PASSWORD).await;
    assert_eq!(holder.status(), StatusCode::OK, "another client behind the same proxy");

    // From a peer that is not a trusted proxy, the header changes nothing.
    let direct = spawn_app().await;
    let mut statuses = Vec::new();
    for i in 0..30 {
        let (forged, account) = (format!("198.51.100.{i}"), format!("guess{i}@x.be"));
        statuses.push(login_from(&direct, "127.0.0.1", Some(&forged), &account, "nope").await.status().as_u16());
    }
    assert_eq!(statuses.last(), Some(&429), "one address, whatever the header says: {statuses:?}");
}

#[tokio::test]
async fn successful_logins_are_limited_per_account() {
    let app = spawn_app().await;
    let mut statuses = Vec::new();
    for _ in 0..15 {
        statuses.push(app.login(OFFICER_EMAIL, PASSWORD).await.status().as_u16());
    }
    assert!(statuses.starts_with(&[200; 5]) && statuses.contains(&429), "{statuses:?}");
    let org = app.create_organisation("Namur", "fr").await;
    app.create_member(org, "namur@example.be").await;
}

#[tokio::test]
async fn wrong_current_passwords_count_as_failed_logins() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let guess = json!({"current_password": "a wrong guess", "new_password": "une toute nouvelle phrase"});
    let mut statuses = Vec::new();
    for _ in 0..15 {
        statuses.push(app.post("/api/v1/me/password", &namur, &guess).await.status().as_u16());
    }
    assert_eq!(statuses[0], 422);
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_problem(app.login("namur@example.be", PASSWORD).await, StatusCode::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn the_logs_record_the_client_address_the_limits_use() {
    let (_db, database_url) = crate::helpers::TestDb::create();
    let mut vars = crate::helpers::test_vars(&database_url);
    let port = crate::process::free_port();
    let log = tempfile::NamedTempFile::new().unwrap();
    vars.extend([
        ("MUTUA_BIND".to_owned(), format!("127.0.0.1:{port}")),
        ("MUTUA_TRUSTED_PROXIES".to_owned(), "127.0.0.2".to_owned()),
        ("MUTUA_LOG".to_owned(), "info".to_owned()),
        ("MUTUA_LOG_FORMAT".to_owned(), "json".to_owned()),
    ]);
    let mut server = Command::new(env!("CARGO_BIN_EXE_mutua"))
        .arg("serve")
        .env_clear()
        .envs(&vars)
        .stdout(log.reopen().unwrap())
        .spawn()
        .unwrap();
    crate::process::wait_for_port(port, "mutua serve");
    let app = TestApp::remote(format!("http://127.0.0.1:{port}")).await;
    // Direct, with a forged header; then through the trusted proxy.
    assert_eq!(login_from(&app, "127.0.0.1", Some("6.6.6.6"), OFFICER_EMAIL, PASSWORD).await.status(), 200);
    assert_eq!(
        login_from(&app, "127.0.0.2", Some("6.6.6.6, 198.51.100.4"), OFFICER_EMAIL, PASSWORD).await.status(),
        200
    );
    server.kill().unwrap();
    server.wait().unwrap();
    let logged: Vec<String> = std::fs::read_to_string(log.path())
        .unwrap()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|entry| entry["fields"]["message"] == "login")
        .map(|entry| {
            assert_eq!(entry["span"]["http.route"], "/api/v1/auth/login", "{entry}");
            assert_eq!(entry["span"]["otel.name"], "POST /api/v1/auth/login", "{entry}");
            entry["span"]["http.client_ip"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(logged, ["127.0.0.1", "127.0.0.1", "198.51.100.4"], "remote() logged in first, from 127.0.0.1");
}

// 6. Searches for similar pools have a per-user budget.

#[tokio::test]
async fn similar_searches_have_a_per_user_budget() {
    let app = spawn_app_with(|vars| {
        vars.insert("MUTUA_SIMILAR_PER_MINUTE".into(), "3".into());
    })
    .await;
    let (_, namur) = app.commune("Namur").await;
    let (_, ciney) = app.commune("Ciney").await;
    let search = "/api/v1/pools/similar?title=Gestion%20du%20cimeti%C3%A8re";
    for _ in 0..3 {
        assert_eq!(app.get(search, &namur).await.status(), StatusCode::OK);
    }
    let refused = app.get(search, &namur).await;
    assert!(refused.headers().get("retry-after").is_some());
    assert_problem(refused, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(app.get(search, &ciney).await.status(), StatusCode::OK, "per user");
}

// 7. Invisible format characters; the development secret file.

#[tokio::test]
async fn invisible_format_characters_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let (_, namur) = app.commune("Namur").await;
    let field_of = |response: Response| async move {
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        problem["errors"][0]["field"].as_str().unwrap().to_owned()
    };
    let need = |title: &str, description: &str| json!({"title": title, "description": description});
    let bidi = app.post("/api/v1/needs", &namur, &need("Facture\u{202E}fdp.exe", "")).await;
    assert_eq!(field_of(bidi).await, "title");
    let zero_width = app.post("/api/v1/needs", &namur, &need("Gestion du cimetière", "cime\u{200B}tière")).await;
    assert_eq!(field_of(zero_width).await, "description");
    let isolate = json!({"name": "Namur\u{2066}bis", "kind": "commune", "locale": "fr"});
    assert_eq!(field_of(app.post("/api/v1/organisations", &app.officer_token, &isolate).await).await, "name");

    let pool = app.open_pool(&namur, "Gestion du cimetière", 100).await;
    let bom = json!({"reason": "\u{FEFF}Hors budget"});
    assert_eq!(field_of(app.officer(pool, "cancel", Some(&bom)).await).await, "reason");
    app.pledge(&namur, pool, 100).await;
    app.confirm_pledge(&namur, pool).await;
    assert_eq!(app.officer(pool, "approve", None).await.status(), StatusCode::OK);
    let soft_hyphen = json!({"supplier": "Coopé\u{00AD}rative", "amount_cents": 100});
    assert_eq!(field_of(app.officer(pool, "award", Some(&soft_hyphen)).await).await, "supplier");
}

/// Runs `mutua serve --dev` in `dir` until it listens (the secret was accepted: it is then
/// stopped) or exits; returns whether it started, and what it wrote to stderr.
fn serve_dev_in(dir: &std::path::Path) -> (bool, String) {
    let port = crate::process::free_port();
    let vars: HashMap<&str, String> = HashMap::from([
        ("MUTUA_DATABASE_URL", dir.join("mutua.db").to_string_lossy().into_owned()),
        ("MUTUA_BIND", format!("127.0.0.1:{port}")),
        ("MUTUA_OUTBOX_DIR", dir.join("outbox").to_string_lossy().into_owned()),
        ("MUTUA_LOG", "info".to_owned()),
    ]);
    let mut server = Command::new(env!("CARGO_BIN_EXE_mutua"))
        .args(["serve", "--dev"])
        .current_dir(dir)
        .env_clear()
        .envs(vars)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The log announces the port once listening; the output ends if it exits instead.
    let stdout = std::io::BufRead::lines(std::io::BufReader::new(server.stdout.take().unwrap()));
    let started = stdout.map_while(Result::ok).any(|line| line.contains("listening"));
    if started {
        server.kill().unwrap();
    }
    let output = server.wait_with_output().unwrap();
    (started, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn the_development_secret_file_is_private_and_never_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join(".mutua-dev-secret");
    std::fs::write(&secret, "s".repeat(64)).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (started, stderr) = serve_dev_in(dir.path());
    assert!(!started && stderr.contains("0644") && stderr.contains("chmod 600"), "{stderr}");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(serve_dev_in(dir.path()).0, "mode 0600 is accepted");

    // A link planted where the secret goes: neither followed to write, nor read.
    std::fs::remove_file(&secret).unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::os::unix::fs::symlink(&elsewhere, &secret).unwrap();
    let (started, stderr) = serve_dev_in(dir.path());
    assert!(!started && stderr.contains("symbolic link"), "{stderr}");
    assert!(!elsewhere.exists(), "nothing written through the link");
}
