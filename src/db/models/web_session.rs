//! Sessions of people signed in to the web pages (`web_sessions`): the SHA-256 of the
//! cookie's random id, the user, and the user's token version at sign-in.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        Tx, WriteTx,
        schema::{organisations, users, web_sessions},
    },
    domain::kinds::{Locale, Role, UserStatus},
};

/// The user of a session, with what decides whether the session still holds.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub id: i64,
    pub organisation_id: i64,
    pub role: Role,
    pub token_version: i32,
    pub status: UserStatus,
    pub name: String,
    pub organisation: String,
    /// The user's own language, else its organisation's.
    pub locale: Locale,
}

/// Who holds a session, the user's token version when it was opened, and its expiry.
#[derive(Clone, Debug)]
pub struct Holder {
    pub user: SessionUser,
    pub token_version: i32,
    pub expires_at: NaiveDateTime,
}

pub fn insert(
    tx: &mut WriteTx,
    id_hash: &str,
    user_id: i64,
    token_version: i32,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(web_sessions::table)
        .values((
            web_sessions::id_hash.eq(id_hash),
            web_sessions::user_id.eq(user_id),
            web_sessions::token_version.eq(token_version),
            web_sessions::created_at.eq(now),
            web_sessions::expires_at.eq(expires_at),
        ))
        .execute(tx.conn())
}

/// The holder of the session whose id hashes to `id_hash`, if the session exists: the
/// session by its key, then its user with the organisation by theirs. Two lookups by key
/// cost less than one statement joining the three tables (measured: a page's whole unit of
/// work went from 0.66 to 0.85 of the API's throughput).
pub fn holder(tx: &mut Tx, id_hash: &str) -> QueryResult<Option<Holder>> {
    let session: Option<(i64, i32, NaiveDateTime)> = web_sessions::table
        .find(id_hash)
        .select((web_sessions::user_id, web_sessions::token_version, web_sessions::expires_at))
        .first(tx.conn())
        .optional()?;
    let Some((user_id, token_version, expires_at)) = session else { return Ok(None) };
    type Row = (i64, i64, Role, i32, UserStatus, String, String, Locale, Option<Locale>);
    let user: Option<Row> = users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(user_id))
        .select((
            users::id,
            users::organisation_id,
            users::role,
            users::token_version,
            users::status,
            users::name,
            organisations::name,
            organisations::locale,
            users::locale,
        ))
        .first(tx.conn())
        .optional()?;
    Ok(user.map(|(id, organisation_id, role, version, status, name, organisation, org_locale, own)| Holder {
        user: SessionUser {
            id,
            organisation_id,
            role,
            token_version: version,
            status,
            name,
            organisation,
            locale: own.unwrap_or(org_locale),
        },
        token_version,
        expires_at,
    }))
}

/// Deletes a session; returns its user, whose cached sessions are then forgotten.
pub fn delete(tx: &mut WriteTx, id_hash: &str) -> QueryResult<Option<i64>> {
    let user_id = diesel::delete(web_sessions::table.filter(web_sessions::id_hash.eq(id_hash)))
        .returning(web_sessions::user_id)
        .get_result(tx.conn())
        .optional()?;
    if let Some(user_id) = user_id {
        tx.touch_user(user_id);
    }
    Ok(user_id)
}

/// Forgets sessions that expired before `now`.
pub fn purge_expired(tx: &mut WriteTx, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(web_sessions::table.filter(web_sessions::expires_at.lt(now))).execute(tx.conn())
}
