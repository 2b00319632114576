//! Checking an email and a password, for the API's token and the pages' session alike:
//! one path, so that both go through the same failed-login throttle and the same
//! constant-time answer for unknown emails.

use actix_web::HttpRequest;

use super::password;
use crate::{
    db::{System, models::user::User},
    error::{ApiError, ApiResult},
    service,
    state::AppState,
};

/// The address failed logins are counted against: the TCP peer.
pub fn client_address(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()
}

/// The enabled user `email` names if `password` is its password; 401 alike for an unknown
/// email, a wrong password and a disabled user; 429 while the account or the address has
/// failed too often.
pub async fn check_credentials(state: &AppState, req: &HttpRequest, email: &str, password: String) -> ApiResult<User> {
    let email = email.trim().to_lowercase();
    let address = client_address(req);
    state.login_throttle.check(&email, &address)?;
    if email.len() > 254 || password.len() > 1024 {
        state.login_throttle.failed(&email, &address);
        return Err(ApiError::Unauthenticated);
    }
    let lookup = email.clone();
    let found = state.db.read(System, move |tx, _| service::users::by_email(tx, &lookup)).await?;
    // Hash verification is CPU work of tens of milliseconds: off the executor.
    let verified = password::off_executor(move || match found {
        Some(u) if password::verify(&password, &u.password_hash) && !u.disabled => Some(u),
        Some(_) => None,
        None => {
            password::verify_against_dummy(&password);
            None
        }
    })
    .await?;
    match verified {
        Some(user) => Ok(user),
        None => {
            state.login_throttle.failed(&email, &address);
            Err(ApiError::Unauthenticated)
        }
    }
}
