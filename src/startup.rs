//! Builds the whole service from a [`Config`]: database, state, HTTP server. Used by
//! `mutua serve` and by the tests, which bind port 0.

use std::{net::TcpListener, sync::Arc, time::Duration};

use actix_web::{
    App, Error, HttpServer,
    body::MessageBody,
    dev::{Server, ServiceRequest, ServiceResponse},
    http::Method,
    middleware::{self, Next},
    web,
};
use anyhow::Context;
use tokio::sync::Notify;
use tracing_actix_web::TracingLogger;

use crate::{
    auth::oidc::SingleSignOn,
    auth::{self, jwt::JwtKeys, session::SessionMemory},
    bootstrap,
    config::Config,
    db::Db,
    idempotency,
    mail::worker::Mailer,
    metrics::{self, Metrics},
    ratelimit::{self, LoginThrottle, PublicBudget, SearchBudget, UserBudget, WriteBudget},
    routes,
    service::matcher::Matcher,
    state::AppState,
    telemetry, web as pages,
};

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = Db::new(&config.database_url, config.database_pool_size);
        prepare_database(&db, &config).await?;
        let listener = TcpListener::bind(config.bind).with_context(|| format!("cannot listen on {}", config.bind))?;
        let port = listener.local_addr()?.port();
        let mail_wake = Arc::new(Notify::new());
        let metrics = web::Data::new(Metrics::new());
        let mailer = Arc::new(Mailer::new(
            db.clone(),
            config.mail.clone(),
            config.public_url.clone(),
            mail_wake.clone(),
            metrics.email.clone(),
        )?);
        std::thread::spawn(crate::domain::matching::load_dictionary);
        let cache = crate::cache::ReadCache::new(db.change_feed(), config.public_cache_bytes);
        let pages = crate::web::PageCache::new(db.change_feed());
        db.listen_to_other_processes();
        let sign_on = match &config.oidc {
            Some(oidc) => Some(Arc::new(SingleSignOn::new(oidc.clone(), &config.public_url)?)),
            None => None,
        };
        let state = web::Data::new(AppState {
            sign_on,
            cache,
            pages,
            jwt: web::Data::new(JwtKeys::new(&config.jwt_secret, config.jwt_ttl)?),
            matcher: Matcher::new(config.match_thresholds, db.clone()),
            mailer,
            mail_wake,
            login_throttle: web::Data::new(LoginThrottle::default()),
            reset_throttle: crate::ratelimit::ResetThrottle::default(),
            write_limiter: web::Data::new(WriteBudget(UserBudget::new(config.rate_limit_per_minute))),
            similar_budget: web::Data::new(SearchBudget(UserBudget::new(config.similar_per_minute))),
            public_budget: PublicBudget::new(config.public_per_minute),
            metrics,
            db,
            config,
        });
        let server = server(state.clone(), listener)?;
        tracing::info!(port, "listening");
        Ok(Self { port, server, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until the process is asked to stop; runs the mail worker beside the server
    /// unless `MUTUA_WORKER=false`.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        if self.state.config.run_worker {
            tokio::spawn(self.state.mailer.clone().run());
        }
        self.server.await
    }
}

/// Migrations (off the executor), then the bootstrap officer.
async fn prepare_database(db: &Db, config: &Config) -> anyhow::Result<()> {
    let migrating = db.clone();
    tokio::task::spawn_blocking(move || migrating.migrate(Duration::from_secs(60))).await??;
    if let Some(b) = &config.bootstrap {
        let created =
            bootstrap::create_officer(db, &b.organisation_name, &b.email, "Bootstrap officer", &b.password, true)
                .await?;
        if let Some(officer) = created {
            tracing::info!(user_id = officer.id, email = %officer.email, "bootstrap officer created");
        }
    }
    Ok(())
}

fn server(state: web::Data<AppState>, listener: TcpListener) -> anyhow::Result<Server> {
    let max_body = state.config.max_body_bytes;
    // What the middlewares and extractors read, each its own value (the handlers' state
    // holds the same instances).
    let trusted_proxies = web::Data::new(state.config.trusted_proxies.clone());
    let idempotency_limits = web::Data::new(idempotency::Limits {
        keys: state.config.idempotency_max_keys,
        bytes: state.config.idempotency_max_bytes,
    });
    let db = web::Data::new(state.db.clone());
    let sessions: Arc<dyn SessionMemory> = state.cache.clone();
    let sessions = web::Data::from(sessions);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(middleware::from_fn(wake_mailer))
            .wrap(middleware::from_fn(idempotency::middleware))
            .wrap(middleware::from_fn(ratelimit::middleware))
            .wrap(middleware::from_fn(auth::extractor::middleware))
            .wrap(TracingLogger::<telemetry::RequestSpan>::new())
            // Outermost: it sees the final status of every response.
            .wrap(middleware::from_fn(metrics::middleware))
            .app_data(state.clone())
            .app_data(trusted_proxies.clone())
            .app_data(state.jwt.clone())
            .app_data(sessions.clone())
            .app_data(state.write_limiter.clone())
            .app_data(state.similar_budget.clone())
            .app_data(state.login_throttle.clone())
            .app_data(state.metrics.clone())
            .app_data(idempotency_limits.clone())
            .app_data(db.clone())
            .app_data(web::JsonConfig::default().limit(max_body).error_handler(routes::json_error))
            .app_data(web::PayloadConfig::default().limit(max_body))
            // The pages' forms: a need's description of 10 000 characters fits.
            .app_data(web::FormConfig::default().limit(max_body))
            .app_data(web::QueryConfig::default().error_handler(routes::query_error))
            .app_data(web::PathConfig::default().error_handler(routes::path_error))
            .configure(routes::configure)
            // The pages for people, after the API: their paths never start with /api.
            .configure(pages::configure)
            .default_service(web::to(routes::not_found))
    })
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok(server)
}

/// After a successful change, wakes the mail worker: the change may have queued emails,
/// and they should leave now rather than at the next poll.
async fn wake_mailer(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let response = next.call(req).await?;
    // A page's form answers 303 once its change is committed.
    let done = response.status().is_success() || response.status() == actix_web::http::StatusCode::SEE_OTHER;
    if let (true, Some(state)) = (changes && done, state) {
        state.mail_wake.notify_one();
    }
    Ok(response)
}
