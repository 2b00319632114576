//! What every request handler shares.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::{auth::jwt::JwtKeys, config::Config, db::Db, mail::worker::Mailer, service::matcher::Matcher};

pub struct AppState {
    pub config: Config,
    pub db: Db,
    pub jwt: JwtKeys,
    pub matcher: Matcher,
    pub mailer: Arc<Mailer>,
    /// Wakes this process's mail worker after a change that may have queued emails.
    pub mail_wake: Arc<Notify>,
}
