//! What the request handlers of `routes` and `web` share. Infrastructure below them
//! (middlewares, extractors) never reads it: `startup` registers each value they need as
//! its own `web::Data` (the same instance as here, where both use it).

use std::sync::Arc;

use actix_web::web;
use tokio::sync::Notify;

use crate::{
    auth::jwt::JwtKeys,
    config::Config,
    db::{Db, System},
    domain::email::Email,
    mail::worker::Mailer,
    metrics::Metrics,
    ratelimit::{LoginThrottle, PublicBudget, ResetThrottle, SearchBudget, WriteBudget},
    service::{self, matcher::Matcher},
};

impl AppState {
    /// "Password forgotten", for the API and the page alike: the work (finding the account,
    /// the per-account limit, the token, the email) runs after the answer, so that the
    /// answer takes the same time whether or not `email` has an account; beyond the
    /// per-address limit nothing runs at all. The work starts after a random pause, so that
    /// the load it puts on the machine does not fall on the requests that follow this one
    /// (measured: without the pause, answers right after a request for an existing
    /// account were slower, enough to tell them apart over 50 requests).
    pub fn request_password_reset(self: &Arc<Self>, email: Email, address: std::net::IpAddr) {
        if !self.reset_throttle.admit(address) {
            tracing::info!(%address, "password reset refused: too many from this address");
            return;
        }
        let state = self.clone();
        actix_web::rt::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(rand::random_range(50..500))).await;
            let outcome = state.db.write(System, move |tx, _| service::accounts::request_reset(tx, &email)).await;
            match outcome {
                Ok(true) => {
                    state.mail_wake.notify_one();
                    tracing::info!("password reset link queued");
                }
                Ok(false) => tracing::info!("password reset: no email sent"),
                Err(error) => tracing::warn!(%error, "password reset request failed"),
            }
        });
    }
}

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
    /// "Password forgotten" requests per client address.
    pub reset_throttle: ResetThrottle,
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
