//! What every request handler shares.

use crate::{auth::jwt::JwtKeys, config::Config, db::Db, service::matcher::Matcher};

pub struct AppState {
    pub config: Config,
    pub db: Db,
    pub jwt: JwtKeys,
    pub matcher: Matcher,
}
