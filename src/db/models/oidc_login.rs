//! Single sign-on attempts under way (`oidc_logins`): between `GET /login/oidc` and the
//! provider's return, keyed by the SHA-256 of the `state` the browser carries.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{WriteTx, schema::oidc_logins};

/// What the return needs to finish an attempt.
#[derive(Clone, Debug, Queryable)]
pub struct PendingLogin {
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
    pub expires_at: NaiveDateTime,
}

pub fn insert(tx: &mut WriteTx, state_hash: &str, login: &PendingLogin, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::insert_into(oidc_logins::table)
        .values((
            oidc_logins::state_hash.eq(state_hash),
            oidc_logins::nonce.eq(&login.nonce),
            oidc_logins::pkce_verifier.eq(&login.pkce_verifier),
            oidc_logins::next_path.eq(&login.next_path),
            oidc_logins::created_at.eq(now),
            oidc_logins::expires_at.eq(login.expires_at),
        ))
        .execute(tx.conn())
}

/// Takes the attempt whose state hashes to `state_hash`: deleted in the same statement
/// that reads it, so that of two returns with the same state only one gets it.
pub fn take(tx: &mut WriteTx, state_hash: &str) -> QueryResult<Option<PendingLogin>> {
    diesel::delete(oidc_logins::table.filter(oidc_logins::state_hash.eq(state_hash)))
        .returning((oidc_logins::nonce, oidc_logins::pkce_verifier, oidc_logins::next_path, oidc_logins::expires_at))
        .get_result(tx.conn())
        .optional()
}

/// Forgets attempts that expired before `now`.
pub fn purge_expired(tx: &mut WriteTx, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(oidc_logins::table.filter(oidc_logins::expires_at.lt(now))).execute(tx.conn())
}
