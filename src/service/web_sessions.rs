//! Sessions of people using the web pages: opened at sign-in, checked at the start of each
//! of their units of work (like a bearer token's, in the same transaction, by
//! [`crate::auth::session::admit_web`]), closed at sign-out. A session ends when it
//! expires, when its user is disabled, changes its password or signs out everywhere (each
//! bumps the user's token version), and at sign-out. The check reads the
//! database; the pages' cache of sessions (`web::cache`) forgets a user's sessions when
//! any of the three touches the user, on every process.

use chrono::Duration;

use crate::{
    db::{
        self, WriteTx,
        models::{event, user::User, web_session},
    },
    domain::events::{DomainEvent, UserRef},
    error::ApiResult,
};

/// Opens a session for `user`, valid for `lifetime`.
pub fn open(tx: &mut WriteTx, user: &User, id_hash: &str, lifetime: Duration) -> ApiResult<()> {
    let now = db::now();
    web_session::insert(tx, id_hash, user.id, user.token_version, now, now + lifetime)?;
    Ok(())
}

/// Ends a session (signing out); ending one that is already gone is no error. The sign-out
/// is recorded (`user.signed_out`): the other processes read it to forget the session.
pub fn close(tx: &mut WriteTx, id_hash: &str) -> ApiResult<()> {
    if let Some(user_id) = web_session::delete(tx, id_hash)? {
        event::record(tx, None, &DomainEvent::UserSignedOut(UserRef { user_id }), Some(user_id))?;
    }
    Ok(())
}

/// Replaces the session `old_hash` by a new one of `user`, opened now: after the person
/// changed its own password, which ended every session of the user, the one it did it from
/// goes on under a new id.
pub fn renew(tx: &mut WriteTx, old_hash: &str, user: &User, id_hash: &str, lifetime: Duration) -> ApiResult<()> {
    web_session::delete(tx, old_hash)?;
    open(tx, user, id_hash, lifetime)
}

/// Forgets expired sessions (the worker's housekeeping).
pub fn purge_expired(tx: &mut WriteTx) -> ApiResult<usize> {
    Ok(web_session::purge_expired(tx, db::now())?)
}
