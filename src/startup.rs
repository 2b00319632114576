//! Builds the whole service from a [`Config`]: database, state, HTTP server. Used by
//! `mutua serve` and by the tests, which bind port 0.

use std::{net::TcpListener, time::Duration};

use actix_web::{App, HttpServer, dev::Server, middleware, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::{
    auth::jwt::JwtKeys, bootstrap, config::Config, db::Db, idempotency, routes, service::matcher::Matcher,
    state::AppState,
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
        let state = web::Data::new(AppState {
            jwt: JwtKeys::new(&config.jwt_secret, config.jwt_ttl)?,
            matcher: Matcher::new(config.match_thresholds),
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

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Migrations, then the bootstrap officer, both off the executor.
async fn prepare_database(db: &Db, config: &Config) -> anyhow::Result<()> {
    let db = db.clone();
    let bootstrap = config.bootstrap.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        db.migrate(Duration::from_secs(60))?;
        if let Some(b) = bootstrap {
            let mut conn = db.conn().map_err(|e| anyhow::anyhow!("{e}"))?;
            if let Some(officer) = bootstrap::create_officer(
                &mut conn,
                &b.organisation_name,
                &b.email,
                "Bootstrap officer",
                &b.password,
                true,
            )? {
                tracing::info!(user_id = officer.id, email = %officer.email, "bootstrap officer created");
            }
        }
        Ok(())
    })
    .await?
}

fn server(state: web::Data<AppState>, listener: TcpListener) -> anyhow::Result<Server> {
    let max_body = state.config.max_body_bytes;
    let server = HttpServer::new(move || {
        App::new()
            .wrap(middleware::from_fn(idempotency::middleware))
            .wrap(TracingLogger::default())
            .app_data(state.clone())
            .app_data(web::JsonConfig::default().limit(max_body).error_handler(routes::json_error))
            .app_data(web::PayloadConfig::default().limit(max_body))
            .app_data(web::QueryConfig::default().error_handler(routes::query_error))
            .app_data(web::PathConfig::default().error_handler(routes::path_error))
            .configure(routes::configure)
            .default_service(web::to(routes::not_found))
    })
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok(server)
}
