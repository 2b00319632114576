//! Sessions of people signed in to the web pages (`web_sessions`): the SHA-256 of the
//! cookie's random id, the user, and the user's token version at sign-in.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        Tx, WriteTx,
        schema::{organisations, users, web_sessions},
    },
    domain::kinds::{Locale, Role},
};

/// Who holds a session, and what decides whether it still holds: read in one statement.
#[derive(Clone, Debug, Queryable)]
pub struct Holder {
    pub user_id: i64,
    pub organisation_id: i64,
    pub role: Role,
    pub user_token_version: i32,
    pub disabled: bool,
    pub name: String,
    pub organisation: String,
    pub locale: Locale,
    pub session_token_version: i32,
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

/// The holder of the session whose id hashes to `id_hash`, if the session exists.
pub fn holder(tx: &mut Tx, id_hash: &str) -> QueryResult<Option<Holder>> {
    web_sessions::table
        .inner_join(users::table.inner_join(organisations::table))
        .filter(web_sessions::id_hash.eq(id_hash))
        .select((
            users::id,
            users::organisation_id,
            users::role,
            users::token_version,
            users::disabled,
            users::name,
            organisations::name,
            organisations::locale,
            web_sessions::token_version,
            web_sessions::expires_at,
        ))
        .first(tx.conn())
        .optional()
}

pub fn delete(tx: &mut WriteTx, id_hash: &str) -> QueryResult<usize> {
    diesel::delete(web_sessions::table.filter(web_sessions::id_hash.eq(id_hash))).execute(tx.conn())
}

/// Forgets sessions that expired before `now`.
pub fn purge_expired(tx: &mut WriteTx, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(web_sessions::table.filter(web_sessions::expires_at.lt(now))).execute(tx.conn())
}
