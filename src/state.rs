//! What the request handlers of `routes` and `web` share. Infrastructure below them
//! (middlewares, extractors) never reads it: `startup` registers each value they need as
//! its own `web::Data` (the same instance as here, where both use it).

use std::sync::Arc;

use actix_web::web;
use tokio::sync::Notify;

use crate::{
    auth::jwt::JwtKeys,
    config::Config,
    db::Db,
    mail::worker::Mailer,
    metrics::Metrics,
    ratelimit::{LoginThrottle, PublicBudget, SearchBudget, WriteBudget},
    service::matcher::Matcher,
};

pub struct AppState {
    pub config: Config,
    pub db: Db,
    /// Reads answered from memory (sessions, pool views), forgotten by the writes that
    /// change them.
    pub cache: Arc<crate::cache::ReadCache>,
    /// The pages' sessions and pools' pages, forgotten like `cache`.
    pub pages: Arc<crate::web::PageCache>,
    pub jwt: web::Data<JwtKeys>,
    pub matcher: Matcher,
    pub mailer: Arc<Mailer>,
    /// Wakes this process's mail worker after a change that may have queued emails.
    pub mail_wake: Arc<Notify>,
    pub login_throttle: web::Data<LoginThrottle>,
    /// State-changing requests per user (`MUTUA_RATE_LIMIT_PER_MINUTE`).
    pub write_limiter: web::Data<WriteBudget>,
    /// Searches for similar pools per user (`MUTUA_SIMILAR_PER_MINUTE`).
    pub similar_budget: web::Data<SearchBudget>,
    /// Anonymous requests for public data per client address (`MUTUA_PUBLIC_PER_MINUTE`).
    pub public_budget: PublicBudget,
    pub metrics: web::Data<Metrics>,
    /// Single sign-on, when `MUTUA_OIDC_*` configure it.
    pub sign_on: Option<Arc<crate::auth::oidc::SingleSignOn>>,
}
