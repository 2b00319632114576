//! `spawn_app()`: a whole mutua on port 0 with its own database, and typed helpers to
//! talk to it over HTTP as a user would.
//!
//! SQLite always (a file in a temporary directory). PostgreSQL when
//! `MUTUA_TEST_DATABASE_URL` points at a server: each test creates its own database there
//! and drops it when done.

use std::{
    collections::HashMap,
    sync::atomic::{AtomicU64, Ordering},
};

use diesel::{Connection, PgConnection, RunQueryDsl};
use mutua::{Application, config::Config};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

pub const OFFICER_EMAIL: &str = "officer@centrale.be";
pub const PASSWORD: &str = "correct horse battery staple";

/// A database that disappears with the test.
pub enum TestDb {
    /// Kept for its `Drop`, which removes the directory.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    pub fn create() -> (Self, String) {
        match std::env::var("MUTUA_TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let admin_url = without_tls(&admin_url);
                static COUNTER: AtomicU64 = AtomicU64::new(0);
                let name = format!(
                    "mutua_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed),
                    rand_suffix()
                );
                let mut admin = PgConnection::establish(&admin_url).expect("connect to MUTUA_TEST_DATABASE_URL");
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create database");
                let url = replace_database(&admin_url, &name);
                (Self::Postgres { admin_url, name }, url)
            }
            _ => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = dir.path().join("mutua.db").to_string_lossy().into_owned();
                (Self::Sqlite(dir), url)
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Self::Postgres { admin_url, name } = self {
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
            }
        }
    }
}

fn rand_suffix() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
}

/// The URL with `sslmode=disable` unless it names a mode. Threads of finished tests' apps may
/// still hold a connection when the binary exits: the change listener did until the `Db`
/// waited for it (see `db::changes::Listener`), and a test's database is dropped before its
/// app, so the listener reconnects meanwhile. Over TLS, libcrypto's exit handler once freed
/// its state under such a connection after every test had passed, and the binary aborted with
/// a corrupted heap. A loopback connection in a test gains nothing from TLS.
fn without_tls(url: &str) -> String {
    if url.contains("sslmode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

/// `postgres://user@host:port/db?x` with another database name.
pub fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The variables of a test configuration, to adjust before `spawn_app_with`.
pub fn test_vars(database_url: &str) -> HashMap<String, String> {
    [
        ("MUTUA_DATABASE_URL", database_url),
        ("MUTUA_DATABASE_POOL_SIZE", "8"),
        ("MUTUA_BIND", "127.0.0.1:0"),
        ("MUTUA_JWT_SECRET", "test secret of at least thirty-two bytes!"),
        ("MUTUA_BOOTSTRAP_OFFICER_EMAIL", OFFICER_EMAIL),
        ("MUTUA_BOOTSTRAP_OFFICER_PASSWORD", PASSWORD),
        ("MUTUA_RATE_LIMIT_PER_MINUTE", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub officer_token: String,
    /// The in-process app's state; `None` for an app in another process.
    pub state: Option<actix_web::web::Data<mutua::state::AppState>>,
    /// Dropped with the app: the database goes with the test.
    _db: Option<TestDb>,
}

/// The HTTP client of the tests: no redirects followed, and idle connections dropped before
/// the server closes them (its keep-alive is 5 s), so that a request never goes out on a
/// connection the server is closing at that instant (a slow machine showed that race).
pub fn test_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns an app after `adjust` has changed its configuration variables.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut HashMap<String, String>)) -> TestApp {
    try_spawn_app_with(adjust).await.expect("build app")
}

/// An in-process app (its state at hand) on the database `url`, which other processes of
/// the test may share.
pub async fn spawn_app_on(url: &str) -> TestApp {
    let url = url.to_owned();
    spawn_app_with(move |vars| {
        vars.insert("MUTUA_DATABASE_URL".into(), url);
    })
    .await
}

/// [`spawn_app_on`] where writers run side by side (PostgreSQL), so that events may commit
/// out of id order; `None` on SQLite, whose one writer commits them in order (the test has
/// nothing to check there).
pub async fn spawn_app_with_parallel_writers_on(url: &str) -> Option<TestApp> {
    let app = spawn_app_on(url).await;
    if app.state().db.writes_in_parallel() {
        Some(app)
    } else {
        eprintln!("skipped: SQLite commits events in id order");
        None
    }
}

/// [`spawn_app_with`], or why the app could not start (a port it was told to listen on
/// taken meanwhile, say).
pub async fn try_spawn_app_with(adjust: impl FnOnce(&mut HashMap<String, String>)) -> anyhow::Result<TestApp> {
    let (db, url) = TestDb::create();
    let mut vars = test_vars(&url);
    adjust(&mut vars);
    let mut config = Config::from_lookup(|k| vars.get(k).cloned(), || Err("no secret".into())).expect("config");
    // Emails stay in memory unless the test asked for SMTP or files.
    config.mail.memory = !vars.contains_key("MUTUA_SMTP_URL") && !vars.contains_key("MUTUA_OUTBOX_DIR");
    config.mail.poll_interval = std::time::Duration::from_millis(200);
    let app = Application::build(config).await?;
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    let client = test_client();
    let mut app = TestApp { address, client, officer_token: String::new(), state: Some(state), _db: Some(db) };
    app.officer_token = app.token(OFFICER_EMAIL, PASSWORD).await;
    Ok(app)
}

impl TestApp {
    /// A client for an app served by another process at `address`.
    pub async fn remote(address: String) -> TestApp {
        let client = test_client();
        let mut app = TestApp { address, client, officer_token: String::new(), state: None, _db: None };
        app.officer_token = app.token(OFFICER_EMAIL, PASSWORD).await;
        app
    }

    /// The state of an in-process app.
    pub fn state(&self) -> &mutua::state::AppState {
        self.state.as_ref().expect("an in-process app")
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Response {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.expect("request")
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/login", None, Some(&json!({"email": email, "password": password})))
            .await
    }

    pub async fn token(&self, email: &str, password: &str) -> String {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// Creates an organisation as the officer and returns its id.
    pub async fn create_organisation(&self, name: &str, locale: &str) -> i64 {
        let response = self
            .post(
                "/api/v1/organisations",
                &self.officer_token,
                &json!({"name": name, "kind": "commune", "locale": locale}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create organisation {name}");
        response.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }

    /// Creates a member of `organisation_id` and returns its token.
    pub async fn create_member(&self, organisation_id: i64, email: &str) -> String {
        let response = self
            .post(
                &format!("/api/v1/organisations/{organisation_id}/users"),
                &self.officer_token,
                &json!({"email": email, "name": "Test Member", "password": PASSWORD, "role": "member"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create member {email}");
        self.token(email, PASSWORD).await
    }

    /// Creates a user of `organisation_id` with `role` (an officer choosing its password)
    /// and returns `(user id, token)`.
    pub async fn create_with_role(&self, organisation_id: i64, email: &str, role: &str) -> (i64, String) {
        let response = self
            .post(
                &format!("/api/v1/organisations/{organisation_id}/users"),
                &self.officer_token,
                &json!({"email": email, "name": "Test User", "password": PASSWORD, "role": role}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create {role} {email}");
        let id = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        (id, self.token(email, PASSWORD).await)
    }

    /// An organisation with one member: `(organisation id, member token)`.
    pub async fn commune(&self, name: &str) -> (i64, String) {
        let id = self.create_organisation(name, "fr").await;
        let slug: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
        let token = self.create_member(id, &format!("{slug}@example.be")).await;
        (id, token)
    }
}

/// Asserts a problem+json answer with `status`, and returns its body.
pub async fn assert_problem(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    assert!(body["type"].is_string() && body["title"].is_string() && body["detail"].is_string(), "{body}");
    body
}

impl TestApp {
    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    /// Posts a need and returns the whole 201 answer.
    /// The pools `GET /api/v1/pools/similar` finds for a need not posted, best first: (id, score).
    pub async fn similar(&self, token: &str, (title, description): (&str, &str)) -> Vec<(i64, f64)> {
        let url = reqwest::Url::parse_with_params(
            &self.url("/api/v1/pools/similar"),
            &[("title", title), ("description", description)],
        )
        .unwrap();
        let found: Value = self.client.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
        found
            .as_array()
            .unwrap_or_else(|| panic!("a list: {found}"))
            .iter()
            .map(|s| (s["pool_id"].as_i64().unwrap(), s["score"].as_f64().unwrap()))
            .collect()
    }

    pub async fn post_need(&self, token: &str, title: &str, description: &str) -> Value {
        self.post_need_with(token, &json!({"title": title, "description": description})).await
    }

    pub async fn post_need_with(&self, token: &str, body: &Value) -> Value {
        let response = self.post("/api/v1/needs", token, body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "post need {body}");
        response.json().await.unwrap()
    }

    pub async fn pledge(&self, token: &str, pool_id: i64, amount_cents: i64) -> Response {
        self.put(&format!("/api/v1/pools/{pool_id}/pledge"), token, &json!({"amount_cents": amount_cents})).await
    }

    pub async fn pool(&self, pool_id: i64) -> Value {
        let response = self.get(&format!("/api/v1/pools/{pool_id}"), &self.officer_token).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// The event types of a pool, oldest first.
    pub async fn event_types(&self, pool_id: i64) -> Vec<String> {
        let page: Value = self
            .get(&format!("/api/v1/pools/{pool_id}/events?limit=200"), &self.officer_token)
            .await
            .json()
            .await
            .unwrap();
        page["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_owned()).collect()
    }

    /// An officer action on a pool.
    pub async fn officer(&self, pool_id: i64, action: &str, body: Option<&Value>) -> Response {
        self.request(Method::POST, &format!("/api/v1/pools/{pool_id}/{action}"), Some(&self.officer_token), body).await
    }

    /// Records the council decision (of yesterday) that confirms `token`'s organisation's
    /// pledge to a pool.
    pub async fn confirm_pledge(&self, token: &str, pool_id: i64) -> Response {
        let body = json!({"decision_ref": "CC/2026/0412", "decision_date": yesterday(), "decided_by": "college"});
        self.post(&format!("/api/v1/pools/{pool_id}/pledge/confirm"), token, &body).await
    }

    /// Records that `token`'s organisation's council refused its pledge to a pool.
    pub async fn refuse_pledge(&self, token: &str, pool_id: i64) -> Response {
        let body = json!({"decision_ref": "CC/2026/0418", "decision_date": yesterday()});
        self.request(Method::DELETE, &format!("/api/v1/pools/{pool_id}/pledge"), Some(token), Some(&body)).await
    }

    /// A pool with one need and one pledge of `token`'s organisation, confirmed, approved,
    /// awarded and delivered as free software.
    pub async fn delivered_pool(&self, token: &str, title: &str, target_cents: i64) -> i64 {
        let pool = self.open_pool(token, title, target_cents).await;
        assert_eq!(self.pledge(token, pool, target_cents).await.status(), StatusCode::OK);
        assert_eq!(self.confirm_pledge(token, pool).await.status(), StatusCode::OK);
        let steps = [
            ("approve", None),
            ("award", Some(json!({"supplier": "Coopérative du Libre", "amount_cents": target_cents}))),
            ("deliver", Some(json!({"repository_url": "https://git.example.be/logiciel", "licence": "EUPL-1.2"}))),
        ];
        for (action, body) in steps {
            assert_eq!(self.officer(pool, action, body.as_ref()).await.status(), StatusCode::OK, "{action}");
        }
        pool
    }

    /// A pool with one need of `token`'s organisation and the given target, still open.
    pub async fn open_pool(&self, token: &str, title: &str, target_cents: i64) -> i64 {
        let posted = self
            .post_need_with(token, &json!({"title": title, "description": "", "estimated_cost_cents": target_cents}))
            .await;
        posted["pool"]["id"].as_i64().unwrap()
    }
}

/// Yesterday (UTC), a date no council decision is refused for.
pub fn yesterday() -> String {
    (chrono::Utc::now() - chrono::Duration::days(1)).date_naive().to_string()
}
