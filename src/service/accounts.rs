//! People's own accounts (SPEC §14): invitations, password resets, and what a person
//! changes on its own account. Emailed links carry a single-use token
//! ([`crate::auth::link_token`]); only its hash is stored (`account_tokens`). A token dies
//! when used, when a newer one of its kind is sent to the same user, or when it expires.

use chrono::Duration;

use crate::{
    auth::{AuthUser, UserAdmin, link_token::LinkToken},
    db::{
        self, Tx, WriteTx,
        models::{
            account_token::{self, AccountToken},
            event::{self, Event},
            organisation,
            outbox::{self, NewOutboxRow},
            user::{self, User},
            web_session,
        },
    },
    domain::{
        email::Email,
        events::{DomainEvent, UserRef},
        kinds::{OutboxStatus, TokenKind, UserStatus},
    },
    error::{ApiError, ApiResult},
    mail::templates::account::{AccountMail, AccountMailContext},
};

/// How long an invitation link works.
pub const INVITATION_VALIDITY: Duration = Duration::days(7);
/// How long a password reset link works.
pub const RESET_VALIDITY: Duration = Duration::minutes(60);
/// How many reset emails one account gets per [`RESET_WINDOW`]; more requests are answered
/// alike and send nothing.
pub const RESETS_PER_ACCOUNT: i64 = 3;
pub const RESET_WINDOW: Duration = Duration::hours(1);

/// Sends `user_id` a new invitation (officers; a manager for its own organisation): its
/// earlier invitations die. 409 unless the user is still invited.
pub fn invite(tx: &mut WriteTx, admin: &UserAdmin, user_id: i64) -> ApiResult<User> {
    let found = user::find(tx, user_id)?;
    admin.may_manage(found.organisation_id)?;
    if found.status != UserStatus::Invited {
        return Err(ApiError::Conflict(format!("the user is {}, not invited", found.status)));
    }
    send_invitation(tx, Some(admin.id), &found)?;
    Ok(found)
}

/// Queues the invitation of a user who was just created without a password (or is
/// re-invited): a new token, the earlier ones replaced, the event and its email.
pub fn send_invitation(tx: &mut WriteTx, actor: Option<i64>, invited: &User) -> ApiResult<()> {
    let token = issue(tx, invited.id, TokenKind::Invitation, INVITATION_VALIDITY)?;
    let event = event::record(tx, None, &DomainEvent::UserInvited(UserRef { user_id: invited.id }), actor)?;
    queue(tx, AccountMail::Invitation, &event, invited, format!("/invitations/{}", token.as_str()))
}

/// "Password forgotten": queues a reset link to the active user of `email`, unless it got
/// [`RESETS_PER_ACCOUNT`] in the last [`RESET_WINDOW`]. Anything else (no such user, not
/// active, throttled) sends nothing; the caller answers alike in every case. Returns
/// whether an email was queued (for the log only).
pub fn request_reset(tx: &mut WriteTx, email: &Email) -> ApiResult<bool> {
    // Locked: requests for one account run after one another (they come together, each
    // after its own random pause), so that the count sees every reset committed before.
    let Some(found) = user::lock_by_email(tx, email.as_str())? else { return Ok(false) };
    if found.status != UserStatus::Active {
        return Ok(false);
    }
    let since = db::now() - RESET_WINDOW;
    if account_token::count_since(tx, found.id, TokenKind::Reset, since)? >= RESETS_PER_ACCOUNT {
        return Ok(false);
    }
    let token = issue(tx, found.id, TokenKind::Reset, RESET_VALIDITY)?;
    let event = event::record(tx, None, &DomainEvent::UserPasswordReset(UserRef { user_id: found.id }), None)?;
    queue(tx, AccountMail::PasswordReset, &event, &found, format!("/password/reset/{}", token.as_str()))?;
    Ok(true)
}

/// The user a link's token still opens: `None` when it is unknown, used, replaced or
/// expired, or its user can no longer use it (an invitation of a user no longer invited, a
/// reset of a user no longer active).
pub fn live_token(tx: &mut Tx, token: &LinkToken, kind: TokenKind) -> ApiResult<Option<(AccountToken, User)>> {
    let Some(found) = account_token::find_by_hash(tx, &token.hash())? else { return Ok(None) };
    if found.kind != kind || !found.is_live(db::now()) {
        return Ok(None);
    }
    let owner = user::find(tx, found.user_id)?;
    let expected = match kind {
        TokenKind::Invitation => UserStatus::Invited,
        TokenKind::Reset => UserStatus::Active,
    };
    Ok((owner.status == expected).then_some((found, owner)))
}

/// Uses a link's token to set the password (hashed before the transaction): the user
/// becomes active, every other link of the user dies, and every session and API token of
/// the user ends, on every process (the token version moves, the sessions are deleted and
/// the change is announced). `None` when the token is no longer live (used a moment ago by
/// another request, say): nothing changes.
pub fn use_token(tx: &mut WriteTx, token: &LinkToken, kind: TokenKind, password_hash: &str) -> ApiResult<Option<User>> {
    let Some((found, owner)) = live_token(tx, token, kind)? else { return Ok(None) };
    let now = db::now();
    if account_token::mark_used(tx, found.id, now)? == 0 {
        return Ok(None);
    }
    account_token::replace_live(tx, owner.id, &[TokenKind::Invitation, TokenKind::Reset], now)?;
    let updated = user::activate_with_password(tx, owner.id, password_hash)?;
    web_session::delete_of_user(tx, owner.id)?;
    event::record(tx, None, &DomainEvent::UserPasswordChanged(UserRef { user_id: owner.id }), Some(owner.id))?;
    Ok(Some(updated))
}

/// "Sign out everywhere": ends every page session and every API token of the caller, on
/// every process (the token version moves, the sessions are deleted and the change is
/// recorded), the session the request came from included.
pub fn sign_out_everywhere(tx: &mut WriteTx, actor: &AuthUser) -> ApiResult<()> {
    user::end_tokens(tx, actor.id)?;
    web_session::delete_of_user(tx, actor.id)?;
    event::record(tx, None, &DomainEvent::UserSignedOutEverywhere(UserRef { user_id: actor.id }), Some(actor.id))?;
    Ok(())
}

fn issue(tx: &mut WriteTx, user_id: i64, kind: TokenKind, validity: Duration) -> ApiResult<LinkToken> {
    let (token, now) = (LinkToken::generate(), db::now());
    account_token::replace_live(tx, user_id, &[kind], now)?;
    account_token::insert(tx, &token.hash(), kind, user_id, now, now + validity)?;
    Ok(token)
}

/// One email to the user, in its own language or else its organisation's.
fn queue(tx: &mut WriteTx, kind: AccountMail, event: &Event, to: &User, link_path: String) -> ApiResult<()> {
    let organisation = organisation::find(tx, to.organisation_id)?;
    let context = AccountMailContext {
        recipient_name: to.name.clone(),
        recipient_organisation: organisation.name,
        link_path,
        link: String::new(),
    };
    let now = db::now();
    outbox::insert(
        tx,
        &[NewOutboxRow {
            event_id: event.id,
            recipient_user_id: to.id,
            recipient_email: to.email.clone(),
            event_type: kind.event_kind().as_str().to_owned(),
            locale: to.locale.unwrap_or(organisation.locale),
            context: serde_json::to_string(&context).map_err(|e| ApiError::Internal(e.into()))?,
            status: OutboxStatus::Pending,
            next_attempt_at: now,
            created_at: now,
        }],
    )?;
    Ok(())
}
