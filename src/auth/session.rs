//! Whether a caller's session still holds: its user enabled, its token not older than the
//! user's last password change or disabling (`token_version`). Checked by
//! [`crate::db::Db`] at the start of every unit of work run for the caller, in the same
//! transaction as the work. A page's session is checked here too ([`admit_web`]): the one
//! place that turns a session into a [`WebUser`] and its capability.

use chrono::NaiveDateTime;

use super::{AuthUser, WebUser};
use crate::{
    db::{
        self, Caller, Tx,
        models::{user, web_session},
    },
    domain::kinds::UserStatus,
    error::{ApiError, ApiResult},
};

/// The person of the page session whose id hashes to `id_hash`, and when the session
/// expires; 401 when there is none, it expired, or its user was disabled or changed its
/// password since (both bump the user's token version).
pub fn admit_web(tx: &mut Tx, id_hash: &str) -> ApiResult<(WebUser, NaiveDateTime)> {
    let holder = web_session::holder(tx, id_hash)?.ok_or(ApiError::Unauthenticated)?;
    let user = holder.user;
    let holds = user.status == UserStatus::Active
        && user.token_version == holder.token_version
        && holder.expires_at > db::now();
    if !holds {
        return Err(ApiError::Unauthenticated);
    }
    let auth = AuthUser {
        id: user.id,
        organisation_id: user.organisation_id,
        role: user.role,
        token_version: user.token_version,
        cache: None,
    };
    Ok((WebUser::new(auth, user.name, user.organisation, user.locale), holder.expires_at))
}

/// What decides whether a session holds: `(token_version, not active)` of its user.
pub type SessionState = (i32, bool);

/// What this process remembers of sessions, so that a read whose session is known to hold
/// can be answered from memory (`crate::cache::ReadCache`, registered by `startup`). A
/// trait, so that authentication does not depend on the cache and what else it holds.
pub trait SessionMemory: Send + Sync + std::fmt::Debug {
    /// Taken before a session is read from the database; given back to store what was read.
    fn generation(&self) -> u64;
    /// The state of a user's session, if known.
    fn session(&self, user_id: i64) -> Option<SessionState>;
    /// Remembers what was read, unless something was forgotten since `generation`.
    fn store_session(&self, user_id: i64, state: SessionState, generation: u64);
}

impl Caller for AuthUser {
    /// 401 unless the caller's user exists, is enabled, and carries the current token
    /// version.
    fn admit(&self, tx: &mut Tx<'_>) -> ApiResult<()> {
        let generation = self.cache.as_ref().map(|cache| cache.generation());
        let state = user::session_state(tx, self.id)?;
        if let (Some(cache), Some(generation), Some(state)) = (&self.cache, generation, state) {
            cache.store_session(self.id, state, generation);
        }
        match state {
            Some((version, false)) if version == self.token_version => Ok(()),
            _ => Err(ApiError::Unauthenticated),
        }
    }
}
