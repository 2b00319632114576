//! What every request handler shares.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::{
    auth::jwt::JwtKeys,
    config::Config,
    db::Db,
    mail::worker::Mailer,
    metrics::Metrics,
    ratelimit::{LoginThrottle, UserBudget},
    service::matcher::Matcher,
};

pub struct AppState {
    pub config: Config,
    pub db: Db,
    /// Reads answered from memory (sessions, pool views), forgotten by the writes that
    /// change them.
    pub cache: std::sync::Arc<crate::cache::ReadCache>,
    /// The pages' sessions and pools' pages, forgotten like `cache`.
    pub pages: Arc<crate::web::PageCache>,
    pub jwt: JwtKeys,
    pub matcher: Matcher,
    pub mailer: Arc<Mailer>,
    /// Wakes this process's mail worker after a change that may have queued emails.
    pub mail_wake: Arc<Notify>,
    pub login_throttle: Arc<LoginThrottle>,
    /// State-changing requests per user (`MUTUA_RATE_LIMIT_PER_MINUTE`).
    pub write_limiter: UserBudget,
    /// Searches for similar pools per user (`MUTUA_SIMILAR_PER_MINUTE`).
    pub similar_budget: UserBudget,
    pub metrics: Metrics,
}
