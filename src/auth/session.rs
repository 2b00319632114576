//! Whether a caller's session still holds: its user enabled, its token not older than the
//! user's last password change or disabling (`token_version`). Checked by
//! [`crate::db::Db`] at the start of every unit of work run for the caller, in the same
//! transaction as the work.

use super::AuthUser;
use crate::{
    db::{Caller, Tx, models::user},
    error::{ApiError, ApiResult},
};

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
