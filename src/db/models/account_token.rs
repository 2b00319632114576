//! Single-use tokens of emailed links (`account_tokens`): only the SHA-256 of the token, its
//! kind, its user, and when it expires, was used or was replaced by a newer one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{Tx, WriteTx, schema::account_tokens},
    domain::kinds::TokenKind,
};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = account_tokens)]
pub struct AccountToken {
    pub id: i64,
    pub kind: TokenKind,
    pub user_id: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub replaced_at: Option<NaiveDateTime>,
}

impl AccountToken {
    /// Neither used, replaced nor expired at `now`.
    pub fn is_live(&self, now: NaiveDateTime) -> bool {
        self.used_at.is_none() && self.replaced_at.is_none() && self.expires_at > now
    }
}

/// Stores a new token (its hash) for `user_id`.
pub fn insert(
    tx: &mut WriteTx,
    token_hash: &str,
    kind: TokenKind,
    user_id: i64,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::token_hash.eq(token_hash),
            account_tokens::kind.eq(kind),
            account_tokens::user_id.eq(user_id),
            account_tokens::created_at.eq(now),
            account_tokens::expires_at.eq(expires_at),
        ))
        .execute(tx.conn())
}

/// Ends every live token of `user_id` of these kinds (a newer one replaces them, or the
/// password they would set was set another way).
pub fn replace_live(tx: &mut WriteTx, user_id: i64, kinds: &[TokenKind], now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user_id))
            .filter(account_tokens::kind.eq_any(kinds.to_vec()))
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::replaced_at.is_null()),
    )
    .set(account_tokens::replaced_at.eq(now))
    .execute(tx.conn())
}

/// The token whose hash is `token_hash`, if any.
pub fn find_by_hash(tx: &mut Tx, token_hash: &str) -> QueryResult<Option<AccountToken>> {
    account_tokens::table
        .filter(account_tokens::token_hash.eq(token_hash))
        .select(AccountToken::as_select())
        .first(tx.conn())
        .optional()
}

/// Marks a token used, if it still is live: 1 when this call used it, 0 when another
/// request used or replaced it first.
pub fn mark_used(tx: &mut WriteTx, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        account_tokens::table
            .find(id)
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::replaced_at.is_null())
            .filter(account_tokens::expires_at.gt(now)),
    )
    .set(account_tokens::used_at.eq(now))
    .execute(tx.conn())
}

/// How many tokens of `kind` were made for `user_id` since `since` (the reset throttle).
pub fn count_since(tx: &mut Tx, user_id: i64, kind: TokenKind, since: NaiveDateTime) -> QueryResult<i64> {
    account_tokens::table
        .filter(account_tokens::user_id.eq(user_id))
        .filter(account_tokens::kind.eq(kind))
        .filter(account_tokens::created_at.gt(since))
        .count()
        .get_result(tx.conn())
}
