//! Operator metrics, served at `GET /metrics` in the Prometheus text format (0.0.4).
//! Every family is described in docs/OPERATIONS.md.
//!
//! Two kinds of families. Those counted as things happen (responses, email deliveries)
//! live in a registry for the life of the process. Those read at scrape time (the
//! connection pool, the matcher, the outbox and pool counts) are built afresh for each
//! scrape from a [`Scrape`], so a value never outlives its source, and a database that does
//! not answer simply leaves its families out (with `db_up 0`).

use std::{borrow::Cow, sync::Arc, time::Instant};

use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
};
use prometheus_client::{
    encoding::{EncodeLabelSet, prometheus_text},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};

use crate::{
    app_data,
    db::{
        Db, System, Tx,
        models::{outbox, pool},
    },
    domain::{kinds::OutboxStatus, pool_state::PoolState},
};

/// The `Content-Type` of `GET /metrics`: `text/plain; version=0.0.4; charset=utf-8`.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// Upper bounds of the request duration buckets, in seconds: 0.5 ms to 10 s.
const DURATION_BUCKETS: [f64; 14] =
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The `route` of a request no resource matched (404s of unknown paths): one label for
/// all of them, so that scanners cannot grow the series without bound.
pub const UNMATCHED: &str = "unmatched";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    /// The route pattern (`/api/v1/pools/{id}`), never the concrete path.
    route: Cow<'static, str>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResponseLabels {
    #[prometheus(flatten)]
    route: RouteLabels,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: &'static str,
}

/// The process's metrics: one per process, registered as its own `web::Data`.
pub struct Metrics {
    registry: Registry,
    requests: Family<ResponseLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
    /// Shared with the email worker, which counts its deliveries.
    pub email: Arc<EmailMetrics>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let requests = Family::<ResponseLabels, Counter>::default();
        let durations: Family<RouteLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(|| Histogram::new(DURATION_BUCKETS));
        let email = Arc::new(EmailMetrics::default());
        let mut registry = Registry::default();
        registry.register("http_requests", "HTTP responses by method, route pattern and status", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its response head, by method and route pattern",
            durations.clone(),
        );
        email.register(&mut registry);
        Self { registry, requests, durations, email }
    }

    fn observe(&self, route: RouteLabels, status: u16, seconds: f64) {
        self.durations.get_or_create(&route).observe(seconds);
        self.requests.get_or_create(&ResponseLabels { route, status }).inc();
    }

    /// The whole exposition: the process's families, then those of `scrape`.
    pub fn encode(&self, scrape: &Scrape) -> Result<String, std::fmt::Error> {
        let mut text = String::with_capacity(16 * 1024);
        prometheus_text::encode(&mut text, &self.registry)?;
        prometheus_text::encode(&mut text, &scrape.registry())?;
        Ok(text)
    }
}

/// What the email worker counts. `mutua worker` alone has no HTTP server: its counts are
/// not exposed.
#[derive(Debug, Default)]
pub struct EmailMetrics {
    sent: Counter,
    failures: Family<KindLabels, Counter>,
    dead: Counter,
}

impl EmailMetrics {
    fn register(&self, registry: &mut Registry) {
        // Both kinds exist from the start, so that `rate()` sees a 0 before the first failure.
        for kind in ["transient", "permanent"] {
            let _ = self.failures.get_or_create(&KindLabels { kind });
        }
        registry.register("emails_sent", "Emails the mail server accepted", self.sent.clone());
        registry.register(
            "email_delivery_failures",
            "Failed delivery attempts, transient (retried) or permanent (refused by the server)",
            self.failures.clone(),
        );
        registry.register(
            "emails_dead",
            "Emails given up: refused permanently once their attempts reached MUTUA_MAIL_MAX_ATTEMPTS",
            self.dead.clone(),
        );
    }

    pub fn sent(&self) {
        self.sent.inc();
    }

    pub fn failed(&self, permanent: bool) {
        let kind = if permanent { "permanent" } else { "transient" };
        self.failures.get_or_create(&KindLabels { kind }).inc();
    }

    pub fn dead(&self) {
        self.dead.inc();
    }
}

/// What is read at scrape time.
#[derive(Clone, Debug, Default)]
pub struct Scrape {
    pub pool_connections: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
    /// Units of work waiting for their turn at a connection ([`Db::waiting_for_connections`]).
    pub pool_waiting: usize,
    pub indexed_needs: usize,
    /// `None` when the database did not answer.
    pub database: Option<DatabaseCounts>,
}

/// Two `GROUP BY` queries: emails per outbox status, pools per state.
#[derive(Clone, Debug, Default)]
pub struct DatabaseCounts {
    pub outbox: Vec<(OutboxStatus, i64)>,
    pub pools: Vec<(PoolState, i64)>,
}

impl DatabaseCounts {
    pub fn read(tx: &mut Tx) -> diesel::QueryResult<Self> {
        Ok(Self { outbox: outbox::counts(tx)?, pools: pool::counts(tx)? })
    }
}

impl Scrape {
    /// Reads the database and its pool, beside the needs the matcher has indexed. The pool
    /// is read first, so the scrape's own connection is not counted as in use.
    pub async fn take(db: &Db, indexed_needs: usize) -> Self {
        let pool = db.state();
        let database = db
            .read(System, |tx, _| Ok(DatabaseCounts::read(tx)?))
            .await
            .map_err(|error| tracing::warn!(%error, "metrics: cannot count"))
            .ok();
        Self {
            pool_connections: pool.connections,
            pool_idle: pool.idle_connections,
            pool_max: db.max_size(),
            pool_waiting: db.waiting_for_connections(),
            indexed_needs,
            database,
        }
    }

    fn registry(&self) -> Registry {
        let mut registry = Registry::default();
        let connections = Family::<StateLabels, Gauge>::default();
        connections.get_or_create(&StateLabels { state: "idle" }).set(self.pool_idle.into());
        connections
            .get_or_create(&StateLabels { state: "in_use" })
            .set(self.pool_connections.saturating_sub(self.pool_idle).into());
        registry.register("db_pool_connections", "Open database connections, idle or in use", connections);
        registry.register("db_pool_max_connections", "The most connections the pool opens", gauge(self.pool_max));
        registry.register(
            "db_pool_waiting",
            "Units of work waiting for a connection, served in the order they came",
            gauge(u32::try_from(self.pool_waiting).unwrap_or(u32::MAX)),
        );
        registry.register(
            "matcher_indexed_needs",
            "Needs in this process's matcher index, which catches up with the database before each search",
            gauge(self.indexed_needs),
        );
        registry.register(
            "db_up",
            "1 if the database answered this scrape, else 0",
            gauge(u8::from(self.database.is_some())),
        );
        let Some(database) = &self.database else { return registry };

        let emails = Family::<StatusLabels, Gauge>::default();
        for &status in OutboxStatus::ALL {
            emails.get_or_create(&StatusLabels { status: status.as_str() }).set(count_of(&database.outbox, status));
        }
        registry.register("outbox_emails", "Emails in the outbox by status", emails);
        let pools = Family::<StateLabels, Gauge>::default();
        for &state in PoolState::ALL {
            pools.get_or_create(&StateLabels { state: state.as_str() }).set(count_of(&database.pools, state));
        }
        registry.register("pools", "Pools by state", pools);
        registry
    }
}

fn gauge(value: impl TryInto<i64>) -> Gauge {
    let gauge = Gauge::default();
    gauge.set(value.try_into().unwrap_or(i64::MAX));
    gauge
}

fn count_of<K: PartialEq>(counts: &[(K, i64)], key: K) -> i64 {
    counts.iter().find(|(k, _)| *k == key).map_or(0, |(_, n)| *n)
}

/// Counts and times every response by method, route pattern and status. Wrapped around
/// every other middleware, so that it sees what they answer (401, 413, 429…).
///
/// The pattern is read after the call, from the route that answered: read before, it would
/// be a search of every route's pattern, at every request. The middlewares answer their
/// refusals as responses (with the request, so with its route); an error one returns
/// instead (a missing piece of the application's setup, 500) carries no request and is
/// counted as `unmatched`. The counters are the application's `web::Data<Metrics>`: without
/// them, 500 (logged), not a request unseen.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let metrics = app_data::required::<Metrics>(req.request())?;
    let method = method_label(req.method());
    let result = next.call(req).await;
    let (route, status) = match &result {
        Ok(response) => (response.request().match_pattern(), response.status()),
        Err(error) => (None, error.as_response_error().status_code()),
    };
    let route = RouteLabels { method, route: route.map_or(Cow::Borrowed(UNMATCHED), Cow::Owned) };
    metrics.observe(route, status.as_u16(), started.elapsed().as_secs_f64());
    result
}

/// Methods outside the usual ones share one label: a client cannot invent series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_value(text: &str, series: &str) -> Option<String> {
        text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ').map(str::to_owned))
    }

    #[test]
    fn without_the_database_its_families_are_left_out_and_db_up_is_0() {
        let metrics = Metrics::new();
        let scrape = Scrape {
            pool_connections: 3,
            pool_idle: 1,
            pool_max: 10,
            pool_waiting: 4,
            indexed_needs: 7,
            database: None,
        };
        let text = metrics.encode(&scrape).unwrap();
        assert_eq!(line_value(&text, "db_up").as_deref(), Some("0"));
        assert_eq!(line_value(&text, r#"db_pool_connections{state="in_use"}"#).as_deref(), Some("2"));
        assert_eq!(line_value(&text, r#"db_pool_connections{state="idle"}"#).as_deref(), Some("1"));
        assert_eq!(line_value(&text, "db_pool_max_connections").as_deref(), Some("10"));
        assert_eq!(line_value(&text, "db_pool_waiting").as_deref(), Some("4"));
        assert_eq!(line_value(&text, "matcher_indexed_needs").as_deref(), Some("7"));
        assert_eq!(line_value(&text, r#"email_delivery_failures_total{kind="permanent"}"#).as_deref(), Some("0"));
        assert!(!text.contains("outbox_emails") && !text.contains("\npools"), "{text}");
    }

    #[test]
    fn every_pool_state_and_outbox_status_is_present_with_0_when_absent() {
        let metrics = Metrics::new();
        let database = DatabaseCounts {
            outbox: vec![(OutboxStatus::Sent, 4)],
            pools: vec![(PoolState::Open, 2), (PoolState::Funded, 1)],
        };
        let scrape = Scrape { database: Some(database), ..Scrape::default() };
        let text = metrics.encode(&scrape).unwrap();
        assert_eq!(line_value(&text, "db_up").as_deref(), Some("1"));
        assert_eq!(line_value(&text, r#"outbox_emails{status="sent"}"#).as_deref(), Some("4"));
        assert_eq!(line_value(&text, r#"outbox_emails{status="pending"}"#).as_deref(), Some("0"));
        assert_eq!(line_value(&text, r#"pools{state="funded"}"#).as_deref(), Some("1"));
        for state in PoolState::ALL {
            let series = format!("pools{{state=\"{state}\"}}");
            assert!(line_value(&text, &series).is_some(), "{series} missing");
        }
    }

    #[test]
    fn requests_are_counted_and_timed_by_pattern() {
        let metrics = Metrics::new();
        let route = RouteLabels { method: "PUT", route: Cow::Borrowed("/api/v1/pools/{id}/pledge") };
        metrics.observe(route.clone(), 200, 0.003);
        metrics.observe(route, 200, 0.2);
        let text = metrics.encode(&Scrape::default()).unwrap();
        let labels = r#"method="PUT",route="/api/v1/pools/{id}/pledge""#;
        assert_eq!(line_value(&text, &format!("http_requests_total{{{labels},status=\"200\"}}")).as_deref(), Some("2"));
        let bucket =
            |le: &str| line_value(&text, &format!("http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}}"));
        assert_eq!(bucket("0.0025").as_deref(), Some("0"));
        assert_eq!(bucket("0.005").as_deref(), Some("1"));
        assert_eq!(bucket("+Inf").as_deref(), Some("2"));
    }
}
