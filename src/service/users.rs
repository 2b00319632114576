//! Users' own accounts: changing one's password, and officers disabling users (signing in
//! is `auth::login`). Both end the user's sessions: tokens carry the user's `token_version`,
//! which both bump.

use crate::{
    auth::{AuthUser, Officer},
    db::{
        Tx, WriteTx,
        models::{
            event,
            user::{self, User},
        },
    },
    domain::{
        events::{DomainEvent, UserRef},
        kinds::UserStatus,
    },
    error::{ApiError, ApiResult},
};

/// The caller's own user.
pub fn me(tx: &mut Tx, actor: &AuthUser) -> ApiResult<User> {
    Ok(user::find(tx, actor.id)?)
}

/// Disables or re-enables a user; an officer cannot disable itself.
pub fn set_disabled(tx: &mut WriteTx, actor: &Officer, user_id: i64, disabled: bool) -> ApiResult<User> {
    if user_id == actor.id && disabled {
        return Err(ApiError::invalid("disabled", "an officer cannot disable itself"));
    }
    let found = user::find(tx, user_id)?;
    // Re-enabling a user who never chose a password makes it invited again: only choosing
    // a password (or signing in once through single sign-on) activates it.
    let status = match (disabled, found.status) {
        (true, _) => UserStatus::Disabled,
        (false, UserStatus::Invited) => UserStatus::Invited,
        (false, _) if found.password_hash.is_none() => UserStatus::Invited,
        (false, _) => UserStatus::Active,
    };
    let updated = user::set_status(tx, user_id, status)?;
    let user = UserRef { user_id };
    let changed = if disabled { DomainEvent::UserDisabled(user) } else { DomainEvent::UserEnabled(user) };
    event::record(tx, None, &changed, Some(actor.id))?;
    Ok(updated)
}

/// Replaces the caller's password hash (checked against the current password before the
/// transaction); every token issued before stops working.
pub fn set_password(tx: &mut WriteTx, actor: &AuthUser, password_hash: &str) -> ApiResult<User> {
    let updated = user::set_password(tx, actor.id, password_hash)?;
    let changed = DomainEvent::UserPasswordChanged(UserRef { user_id: actor.id });
    event::record(tx, None, &changed, Some(actor.id))?;
    Ok(updated)
}
