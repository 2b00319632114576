//! Duplicate candidates (pairs of pools the matcher scores at or above the review threshold)
//! and the pairs officers dismissed. A pair is stored once, the smaller pool id first.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{
    DbConnection, Tx, WriteTx, prepared,
    schema::{duplicate_candidates as candidates, duplicate_dismissals as dismissals},
};

/// The stored form of an unordered pair: the smaller id first.
pub fn key(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

/// A candidate pair and its score.
#[derive(Clone, Copy, Debug, PartialEq, Queryable)]
pub struct Candidate {
    pub pool_low: i64,
    pub pool_high: i64,
    pub score: f64,
}

impl Candidate {
    /// The pool of the pair that is not `pool_id`.
    pub fn other(&self, pool_id: i64) -> i64 {
        if self.pool_low == pool_id { self.pool_high } else { self.pool_low }
    }
}

/// Replaces the candidate pairs of `pool_id` with `found` (`(other pool, score)`): a delete
/// and [`raise_all`].
pub fn replace_for_pool(tx: &mut WriteTx, pool_id: i64, found: &[(i64, f64)], at: NaiveDateTime) -> QueryResult<()> {
    delete_for_pool(tx, pool_id)?;
    raise_all(tx, pool_id, found, at)
}

/// Forgets every candidate pair of a pool (it ended, or was merged away).
pub fn delete_for_pool(tx: &mut WriteTx, pool_id: i64) -> QueryResult<usize> {
    diesel::delete(candidates::table.filter(candidates::pool_low.eq(pool_id).or(candidates::pool_high.eq(pool_id))))
        .execute(tx.conn())
}

/// The upsert of [`Pairs`] on PostgreSQL, its parameters the lows, the highs, the scores
/// and the time: also the first part of the statement that records events (none to raise
/// but with a post's), [`super::event::record_all_raising`].
pub(super) const RAISE_ON_POSTGRES: &str = "INSERT INTO duplicate_candidates AS d (pool_low, pool_high, score, updated_at) \
     SELECT unnest(?::int8[]), unnest(?::int8[]), unnest(?::float8[]), ? \
     ON CONFLICT (pool_low, pool_high) DO UPDATE \
     SET score = EXCLUDED.score, updated_at = EXCLUDED.updated_at WHERE d.score < EXCLUDED.score";

/// Pairs to record or raise: each at its best score, once (a statement may not raise a row
/// twice), the smaller pool id first.
#[derive(Clone, Debug, Default)]
pub struct Pairs {
    pub(super) lows: Vec<i64>,
    pub(super) highs: Vec<i64>,
    pub(super) scores: Vec<f64>,
}

impl Pairs {
    /// The pairs `(pool_id, other)` of `found` (`(other pool, score)`).
    pub fn of(pool_id: i64, found: &[(i64, f64)]) -> Self {
        let mut best: HashMap<(i64, i64), f64> = HashMap::with_capacity(found.len());
        for &(other, score) in found {
            let pair = best.entry(key(pool_id, other)).or_insert(score);
            *pair = pair.max(score);
        }
        let mut pairs = Self::default();
        for ((low, high), score) in best {
            pairs.lows.push(low);
            pairs.highs.push(high);
            pairs.scores.push(score);
        }
        pairs
    }

    pub fn is_empty(&self) -> bool {
        self.lows.is_empty()
    }

    /// Records each pair at its score, or raises the score of a pair recorded lower: the
    /// pair's score is the best either way, whichever post (or two at once, on PostgreSQL)
    /// recorded it first. One prepared statement (one round trip): on PostgreSQL the pairs
    /// bound as arrays, on SQLite as one JSON array (a statement a pair, as before, was a
    /// quarter of the SQLite writer's time in a post, most of it running and binding each
    /// statement).
    pub fn raise(self, tx: &mut WriteTx, at: NaiveDateTime) -> QueryResult<()> {
        use diesel::sql_types::{Array, BigInt, Double, Timestamp};
        if self.is_empty() {
            return Ok(());
        }
        match tx.conn() {
            DbConnection::Postgres(pg) => prepared(RAISE_ON_POSTGRES)
                .bind::<Array<BigInt>, _>(self.lows)
                .bind::<Array<BigInt>, _>(self.highs)
                .bind::<Array<Double>, _>(self.scores)
                .bind::<Timestamp, _>(at)
                .execute(pg)
                .map(drop),
            DbConnection::Sqlite(sqlite) => {
                // The pairs as one JSON array of `[low, high, score]` (SQLite has no arrays to bind).
                let rows: Vec<(i64, i64, f64)> =
                    self.lows.into_iter().zip(self.highs).zip(self.scores).map(|((l, h), s)| (l, h, s)).collect();
                let rows =
                    serde_json::to_string(&rows).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
                // `WHERE true`: SQLite's grammar needs it between a SELECT and ON CONFLICT.
                prepared(
                    "INSERT INTO duplicate_candidates AS d (pool_low, pool_high, score, updated_at) \
                     SELECT r.value ->> 0, r.value ->> 1, r.value ->> 2, ? FROM json_each(?) r WHERE true \
                     ON CONFLICT (pool_low, pool_high) DO UPDATE \
                     SET score = excluded.score, updated_at = excluded.updated_at WHERE d.score < excluded.score",
                )
                .bind::<Timestamp, _>(at)
                .bind::<diesel::sql_types::Text, _>(rows)
                .execute(sqlite)
                .map(drop)
            }
        }
    }
}

/// Records or raises each pair `(pool_id, other)` of `found` ([`Pairs::raise`]).
pub fn raise_all(tx: &mut WriteTx, pool_id: i64, found: &[(i64, f64)], at: NaiveDateTime) -> QueryResult<()> {
    Pairs::of(pool_id, found).raise(tx, at)
}

pub fn delete_pair(tx: &mut WriteTx, a: i64, b: i64) -> QueryResult<usize> {
    let (low, high) = key(a, b);
    diesel::delete(candidates::table.find((low, high))).execute(tx.conn())
}

/// Candidate pairs, best first (then by pool ids, a stable order for paging); only those of
/// `pool_id` when given.
pub fn list(tx: &mut Tx, pool_id: Option<i64>) -> QueryResult<Vec<Candidate>> {
    let mut query = candidates::table.into_boxed();
    if let Some(pool_id) = pool_id {
        query = query.filter(candidates::pool_low.eq(pool_id).or(candidates::pool_high.eq(pool_id)));
    }
    query
        .order((candidates::score.desc(), candidates::pool_low, candidates::pool_high))
        .select((candidates::pool_low, candidates::pool_high, candidates::score))
        .load(tx.conn())
}

/// Records that an officer judged two pools different; `false` when the pair was already
/// dismissed (nothing is written then).
pub fn dismiss(
    tx: &mut WriteTx,
    a: i64,
    b: i64,
    reason: Option<&str>,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let (low, high) = key(a, b);
    if is_dismissed(tx, low, high)? {
        return Ok(false);
    }
    diesel::insert_into(dismissals::table)
        .values((
            dismissals::pool_low.eq(low),
            dismissals::pool_high.eq(high),
            dismissals::reason.eq(reason),
            dismissals::dismissed_by.eq(by),
            dismissals::dismissed_at.eq(at),
        ))
        .execute(tx.conn())?;
    Ok(true)
}

pub fn is_dismissed(tx: &mut Tx, a: i64, b: i64) -> QueryResult<bool> {
    let (low, high) = key(a, b);
    diesel::select(diesel::dsl::exists(dismissals::table.find((low, high)))).get_result(tx.conn())
}

/// The pools an officer dismissed as different from `pool_id`.
pub fn dismissed_with(tx: &mut Tx, pool_id: i64) -> QueryResult<HashSet<i64>> {
    let pairs: Vec<(i64, i64)> = dismissals::table
        .filter(dismissals::pool_low.eq(pool_id).or(dismissals::pool_high.eq(pool_id)))
        .select((dismissals::pool_low, dismissals::pool_high))
        .load(tx.conn())?;
    Ok(pairs.into_iter().map(|(low, high)| if low == pool_id { high } else { low }).collect())
}

/// After `from` was merged into `into`: what an officer dismissed for `from` holds for
/// `into`, which now holds `from`'s needs.
pub fn carry_dismissals(tx: &mut WriteTx, from: i64, into: i64, by: i64, at: NaiveDateTime) -> QueryResult<()> {
    for other in dismissed_with(tx, from)? {
        if other != into {
            dismiss(tx, into, other, Some("dismissed before a merge"), by, at)?;
        }
    }
    Ok(())
}
