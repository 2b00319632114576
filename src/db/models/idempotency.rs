use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{WriteTx, schema::idempotency_keys};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyKey {
    pub user_id: i64,
    pub key: String,
    pub request_hash: String,
    /// `None` while the first request is being handled.
    pub response_status: Option<i32>,
    pub response_body: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn find(tx: &mut WriteTx, user_id: i64, key: &str) -> QueryResult<Option<IdempotencyKey>> {
    idempotency_keys::table.find((user_id, key)).select(IdempotencyKey::as_select()).first(tx.conn()).optional()
}

/// What a user's keys recorded since `since` take: `(stored bytes, created at)` of each.
/// Read through the primary key's `user_id` prefix; a user holds at most its bound.
pub fn held_since(tx: &mut WriteTx, user_id: i64, since: NaiveDateTime) -> QueryResult<Vec<(i32, NaiveDateTime)>> {
    idempotency_keys::table
        .filter(idempotency_keys::user_id.eq(user_id))
        .filter(idempotency_keys::created_at.ge(since))
        .select((idempotency_keys::stored_bytes, idempotency_keys::created_at))
        .load(tx.conn())
}

/// A request hash: SHA-256 in hexadecimal.
const REQUEST_HASH_BYTES: i32 = 64;

/// Bytes a row takes: its key, request hash and response body.
fn stored_bytes(parts: &[&str]) -> i32 {
    i32::try_from(parts.iter().map(|p| p.len()).sum::<usize>()).unwrap_or(i32::MAX)
}

/// Records that a request with this key started; fails with a unique violation when
/// another request holds the key.
pub fn start(tx: &mut WriteTx, user_id: i64, key: &str, request_hash: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::created_at.eq(at),
            idempotency_keys::stored_bytes.eq(stored_bytes(&[key]).saturating_add(REQUEST_HASH_BYTES)),
        ))
        .execute(tx.conn())
        .map(drop)
}

/// Takes over a key whose first request never finished (its process died).
pub fn restart(tx: &mut WriteTx, user_id: i64, key: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(idempotency_keys::table.find((user_id, key)))
        .set(idempotency_keys::created_at.eq(at))
        .execute(tx.conn())
        .map(drop)
}

pub fn finish(tx: &mut WriteTx, user_id: i64, key: &str, status: i32, body: &str) -> QueryResult<()> {
    diesel::update(idempotency_keys::table.find((user_id, key)))
        .set((
            idempotency_keys::response_status.eq(Some(status)),
            idempotency_keys::response_body.eq(Some(body)),
            idempotency_keys::stored_bytes.eq(stored_bytes(&[key, body]).saturating_add(REQUEST_HASH_BYTES)),
        ))
        .execute(tx.conn())
        .map(drop)
}

pub fn forget(tx: &mut WriteTx, user_id: i64, key: &str) -> QueryResult<()> {
    diesel::delete(idempotency_keys::table.find((user_id, key))).execute(tx.conn()).map(drop)
}

/// Deletes keys recorded before `before`; returns how many.
pub fn purge(tx: &mut WriteTx, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before))).execute(tx.conn())
}
