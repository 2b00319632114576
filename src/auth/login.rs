//! Checking an email and a password, for the API's token and the pages' session alike:
//! one path, so that both go through the same login limits (`ratelimit::login`) and the
//! same constant-time answer for unknown emails.

use std::sync::Arc;

use actix_web::HttpRequest;

use super::password;
use crate::{
    client_address,
    db::{
        Db, System,
        models::user::{self, User},
    },
    error::{ApiError, ApiResult},
    ratelimit::LoginThrottle,
};

/// The longest email RFC 5321 allows in a path: longer input matches no account.
pub const MAX_EMAIL_BYTES: usize = 254;
/// The longest password hashed; the policy allows 256 characters, of up to four bytes.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// The active user `email` names if `password` is its password; 401 alike for an unknown
/// email, a wrong password, an invited (no password yet) and a disabled user; 429 while the limits refuse this account
/// from this client address; 422 for input longer than any account's, before any state is
/// touched (no limiter key, no database read).
pub async fn check_credentials(
    db: &Db,
    throttle: &Arc<LoginThrottle>,
    req: &HttpRequest,
    email: &str,
    password: String,
) -> ApiResult<User> {
    let email = email.trim();
    if email.len() > MAX_EMAIL_BYTES {
        return Err(ApiError::invalid("email", format!("must be at most {MAX_EMAIL_BYTES} bytes")));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::invalid("password", format!("must be at most {MAX_PASSWORD_BYTES} bytes")));
    }
    let email = email.to_lowercase();
    let address = client_address::of(req);
    throttle.check(&email, address)?;
    let lookup = email.clone();
    let found = db.read(System, move |tx, _| Ok(user::find_by_email(tx, &lookup)?)).await?;
    let (hashing, account) = (throttle.clone(), email.clone());
    // Hash verification is CPU work of tens of milliseconds: off the executor.
    let verified = password::off_executor(move || {
        // Again once a hashing slot is ours: failures recorded while this request waited
        // count, so a burst of concurrent guesses is not all let through.
        hashing.check(&account, address)?;
        Ok::<_, ApiError>(match found {
            // The same hashing work whatever the account: an invited user has no password
            // yet and a disabled one may not sign in, but neither answer comes sooner.
            Some(u) => {
                let matches = match u.password_hash.as_deref() {
                    Some(hash) => password::verify(&password, hash),
                    None => {
                        password::verify_against_dummy(&password);
                        false
                    }
                };
                (matches && u.is_active()).then_some(u)
            }
            None => {
                password::verify_against_dummy(&password);
                None
            }
        })
    })
    .await??;
    let Some(user) = verified else {
        throttle.failed(&email, address);
        return Err(ApiError::Unauthenticated);
    };
    throttle.succeeded(&email);
    Ok(user)
}

/// The hash of `new_password` for a signed-in person changing its own password, once
/// `current_password` is checked against `current` (its user, read by the caller): for the
/// API's `POST /api/v1/me/password` and the `/account` page alike. A new password that
/// breaks the rules is 422 naming `new_password`; a wrong current one is 422 naming
/// `current_password` and counts as a failed login of the account from this client address,
/// so repeated it is 429: a stolen token or an unattended session is no way to guess the
/// password.
pub async fn new_password_hash(
    throttle: &Arc<LoginThrottle>,
    req: &HttpRequest,
    current: User,
    current_password: String,
    new_password: String,
) -> ApiResult<String> {
    password::check_policy(&new_password).map_err(|e| ApiError::invalid("new_password", e))?;
    if current_password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::invalid("current_password", "is not your current password"));
    }
    let (account, address) = (current.email.clone(), client_address::of(req));
    throttle.check(&account, address)?;
    let (hashing, checked) = (throttle.clone(), account.clone());
    // Two hashes' worth of CPU work: off the executor, holding no connection.
    let hash = password::off_executor(move || {
        hashing.check(&checked, address)?;
        if current.password_hash.as_deref().is_some_and(|h| password::verify(&current_password, h)) {
            password::hash(&new_password).map(Some).map_err(ApiError::from)
        } else {
            Ok(None)
        }
    })
    .await??;
    let Some(hash) = hash else {
        throttle.failed(&account, address);
        return Err(ApiError::invalid("current_password", "is not your current password"));
    };
    throttle.succeeded(&account);
    Ok(hash)
}
