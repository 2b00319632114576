//! Users' own accounts: changing one's name, language and password; officers and organisation managers
//! disabling users and giving them roles (signing in is `auth::login`). Both end the user's sessions: tokens carry the user's `token_version`,
//! which both bump.

use crate::{
    auth::{AuthUser, UserAdmin},
    db::{
        Tx, WriteTx,
        models::{
            event,
            user::{self, User},
        },
    },
    domain::{
        events::{DomainEvent, RoleChange, UserRef},
        kinds::{Role, UserStatus},
        profile::ProfileChange,
    },
    error::{ApiError, ApiResult},
};

/// The caller's own user.
pub fn me(tx: &mut Tx, actor: &AuthUser) -> ApiResult<User> {
    Ok(user::find(tx, actor.id)?)
}

/// A user within the reach of who manages it ([`UserAdmin::reach`]): another
/// organisation's is 404 to a manager.
pub fn managed(tx: &mut Tx, actor: &UserAdmin, user_id: i64) -> ApiResult<User> {
    let found = user::find(tx, user_id)?;
    actor.may_manage(found.organisation_id)?;
    Ok(found)
}

/// Disables or re-enables a user (an officer, or the manager of the user's organisation);
/// nobody disables itself.
pub fn set_disabled(tx: &mut WriteTx, actor: &UserAdmin, user_id: i64, disabled: bool) -> ApiResult<User> {
    let found = managed(tx, actor, user_id)?;
    if user_id == actor.id && disabled {
        return Err(ApiError::invalid("disabled", "you cannot disable yourself"));
    }
    if (found.status == UserStatus::Disabled) == disabled {
        // Already so: nothing happens, and its sessions hold.
        return Ok(found);
    }
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

/// Gives a user another role: a manager gives `member` or `manager` within its own
/// organisation, an officer any role the organisation allows (officers in the central
/// purchasing organisation only). Nobody changes its own role. The user's sessions end
/// (the role is in its tokens).
pub fn set_role(tx: &mut WriteTx, actor: &UserAdmin, user_id: i64, role: Role) -> ApiResult<User> {
    let found = managed(tx, actor, user_id)?;
    actor.may_give(role)?;
    if user_id == actor.id {
        return Err(ApiError::invalid("role", "you cannot change your own role"));
    }
    super::organisations::check_role_fits(tx, found.organisation_id, role)?;
    if found.role == role {
        return Ok(found);
    }
    let updated = user::set_role(tx, user_id, role)?;
    event::record(tx, None, &DomainEvent::UserRoleChanged(RoleChange { user_id, role }), Some(actor.id))?;
    Ok(updated)
}

/// Creates and invites a user of an import; returns its id.
pub(super) fn invite_imported(
    tx: &mut WriteTx,
    actor: Option<i64>,
    organisation_id: i64,
    user: &crate::domain::import::ImportUser,
) -> ApiResult<i64> {
    let input = super::organisations::UserInput {
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role,
        password_hash: None,
    };
    let created = super::organisations::insert_user(tx, organisation_id, &input)?;
    super::accounts::send_invitation(tx, actor, &created)?;
    Ok(created.id)
}

/// Gives a user of an import the name and role the file gives it.
pub(super) fn update_imported(
    tx: &mut WriteTx,
    actor: Option<i64>,
    found: &User,
    user: &crate::domain::import::ImportUser,
) -> ApiResult<()> {
    if found.name != user.name {
        user::set_profile(tx, found.id, &user.name, found.locale)?;
    }
    if found.role != user.role {
        user::set_role(tx, found.id, user.role)?;
        let change = RoleChange { user_id: found.id, role: user.role };
        event::record(tx, None, &DomainEvent::UserRoleChanged(change), actor)?;
    }
    Ok(())
}

/// Changes the caller's own name or language ([`ProfileChange`]; the language `null` goes
/// back to its organisation's). The caller's pages and emails follow at once; its sessions
/// hold. A change that changes nothing records nothing.
pub fn set_profile(tx: &mut WriteTx, actor: &AuthUser, change: &ProfileChange) -> ApiResult<User> {
    let found = user::find(tx, actor.id)?;
    let name = change.name.clone().unwrap_or_else(|| found.name.clone());
    let locale = change.locale.unwrap_or(found.locale);
    if name == found.name && locale == found.locale {
        return Ok(found);
    }
    let updated = user::set_profile(tx, actor.id, &name, locale)?;
    event::record(tx, None, &DomainEvent::UserProfileChanged(UserRef { user_id: actor.id }), Some(actor.id))?;
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
