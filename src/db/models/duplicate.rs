//! Duplicate candidates (pairs of pools the matcher scores at or above the review threshold)
//! and the pairs officers dismissed. A pair is stored once, the smaller pool id first.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{
    DbConnection, Tx, WriteTx,
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
/// and [`insert_new`].
pub fn replace_for_pool(tx: &mut WriteTx, pool_id: i64, found: &[(i64, f64)], at: NaiveDateTime) -> QueryResult<()> {
    delete_for_pool(tx, pool_id)?;
    insert_new(tx, pool_id, found, at)
}

/// Inserts the pairs `(pool_id, other)` at their scores: the pairs of a pool that has none
/// yet. On PostgreSQL one statement (one round trip); on SQLite, where a statement costs no
/// round trip but preparing one does, the same prepared single-row statement once per pair
/// (a multi-row statement is parsed and planned anew for every count of rows).
pub fn insert_new(tx: &mut WriteTx, pool_id: i64, found: &[(i64, f64)], at: NaiveDateTime) -> QueryResult<()> {
    if found.is_empty() {
        return Ok(());
    }
    let row = |&(other, score): &(i64, f64)| {
        let (low, high) = key(pool_id, other);
        (
            candidates::pool_low.eq(low),
            candidates::pool_high.eq(high),
            candidates::score.eq(score),
            candidates::updated_at.eq(at),
        )
    };
    match tx.conn() {
        DbConnection::Postgres(pg) => {
            let rows: Vec<_> = found.iter().map(row).collect();
            diesel::insert_into(candidates::table).values(&rows).execute(pg).map(drop)
        }
        DbConnection::Sqlite(sqlite) => {
            for pair in found {
                diesel::insert_into(candidates::table).values(row(pair)).execute(sqlite)?;
            }
            Ok(())
        }
    }
}

/// Forgets every candidate pair of a pool (it ended, or was merged away).
pub fn delete_for_pool(tx: &mut WriteTx, pool_id: i64) -> QueryResult<usize> {
    diesel::delete(candidates::table.filter(candidates::pool_low.eq(pool_id).or(candidates::pool_high.eq(pool_id))))
        .execute(tx.conn())
}

/// Records each pair `(pool_id, other)` of `found` at its score, or raises the score of a
/// pair already recorded lower: one statement to read the pairs already there, one to
/// insert the new ones, and one per pair whose score rises (rare: a pair is scored again
/// only when a need is posted into one of its pools).
pub fn raise_all(tx: &mut WriteTx, pool_id: i64, found: &[(i64, f64)], at: NaiveDateTime) -> QueryResult<()> {
    if found.is_empty() {
        return Ok(());
    }
    let others: Vec<i64> = found.iter().map(|&(other, _)| other).collect();
    let recorded: HashMap<(i64, i64), f64> = candidates::table
        .filter(
            candidates::pool_low
                .eq(pool_id)
                .and(candidates::pool_high.eq_any(&others))
                .or(candidates::pool_high.eq(pool_id).and(candidates::pool_low.eq_any(&others))),
        )
        .select((candidates::pool_low, candidates::pool_high, candidates::score))
        .load::<(i64, i64, f64)>(tx.conn())?
        .into_iter()
        .map(|(low, high, score)| ((low, high), score))
        .collect();
    let mut new = Vec::new();
    for &(other, score) in found {
        let (low, high) = key(pool_id, other);
        match recorded.get(&(low, high)) {
            Some(&existing) if existing >= score => {}
            Some(_) => {
                diesel::update(candidates::table.find((low, high)))
                    .set((candidates::score.eq(score), candidates::updated_at.eq(at)))
                    .execute(tx.conn())?;
            }
            None => new.push((other, score)),
        }
    }
    insert_new(tx, pool_id, &new, at)
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
