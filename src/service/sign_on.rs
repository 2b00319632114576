//! Signing in by single sign-on (SPEC §14): the attempt kept between the two legs of the
//! flow, and the sign-in of the account an ID token's verified email names. Sign-on never
//! creates an account: an email without one is refused, as is a disabled user. An invited
//! user becomes active: the provider vouched for the address the invitation went to.

use chrono::Duration;

use crate::{
    db::{
        self, WriteTx,
        models::{
            account_token,
            oidc_login::{self, PendingLogin},
            user::{self, User},
        },
    },
    domain::kinds::{TokenKind, UserStatus},
    error::ApiResult,
    service::web_sessions,
};

/// How long a person has at the provider before the attempt lapses.
pub const ATTEMPT_LIFETIME: Duration = Duration::minutes(10);

/// Keeps an attempt under the hash of its `state`.
pub fn begin(
    tx: &mut WriteTx,
    state_hash: &str,
    nonce: String,
    pkce_verifier: String,
    next_path: String,
) -> ApiResult<()> {
    let now = db::now();
    let login = PendingLogin { nonce, pkce_verifier, next_path, expires_at: now + ATTEMPT_LIFETIME };
    oidc_login::insert(tx, state_hash, &login, now)?;
    Ok(())
}

/// Takes the attempt of a `state`, once: `None` when there is none (never begun, already
/// taken) or it lapsed.
pub fn take(tx: &mut WriteTx, state_hash: &str) -> ApiResult<Option<PendingLogin>> {
    Ok(oidc_login::take(tx, state_hash)?.filter(|login| login.expires_at > db::now()))
}

/// What a verified email leads to.
#[derive(Debug)]
pub enum SignOn {
    /// A session was opened for this user.
    SignedIn(User),
    /// No account has this email.
    UnknownEmail,
    /// The account is disabled.
    Disabled { user_id: i64 },
}

/// Signs in the user whose email is `email` (already lower case), opening the page session
/// whose id hashes to `session_hash`. An invited user becomes active first, and its
/// invitation links die: the account is claimed, and a password, if wanted, comes from
/// "password forgotten". Nothing else is created or changed.
pub fn sign_in(tx: &mut WriteTx, email: &str, session_hash: &str, lifetime: Duration) -> ApiResult<SignOn> {
    let Some(found) = user::find_by_email(tx, email)? else { return Ok(SignOn::UnknownEmail) };
    let found = match found.status {
        UserStatus::Disabled => return Ok(SignOn::Disabled { user_id: found.id }),
        UserStatus::Invited => {
            account_token::replace_live(tx, found.id, &[TokenKind::Invitation], db::now())?;
            user::set_status(tx, found.id, UserStatus::Active)?
        }
        UserStatus::Active => found,
    };
    web_sessions::open(tx, &found, session_hash, lifetime)?;
    Ok(SignOn::SignedIn(found))
}

/// Forgets lapsed attempts (the worker's housekeeping).
pub fn purge_expired(tx: &mut WriteTx) -> ApiResult<usize> {
    Ok(oidc_login::purge_expired(tx, db::now())?)
}
