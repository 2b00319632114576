//! Whether a caller's session still holds: its user enabled, its token not older than the
//! user's last password change or disabling (`token_version`).

use diesel::prelude::*;

use super::AuthUser;
use crate::{
    db::{DbConnection, schema::users},
    error::{ApiError, ApiResult},
};

/// 401 unless the caller's user exists, is enabled, and carries the current token version.
pub fn check(conn: &mut DbConnection, caller: &AuthUser) -> ApiResult<()> {
    let current: Option<(i32, bool)> =
        users::table.find(caller.id).select((users::token_version, users::disabled)).first(conn).optional()?;
    match current {
        Some((version, false)) if version == caller.token_version => Ok(()),
        _ => Err(ApiError::Unauthenticated),
    }
}
