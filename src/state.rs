//! What every request handler shares.

use crate::{auth::jwt::JwtKeys, config::Config, db::Db};

pub struct AppState {
    pub config: Config,
    pub db: Db,
    pub jwt: JwtKeys,
}
