//! The matcher's in-memory index, kept consistent with the database across processes.
//!
//! Every write that changes what the index holds (a need posted, moved or withdrawn, a pool
//! merged) runs inside [`matching_lock`] and records an event. Before searching, a process
//! takes the same lock and replays the events recorded since its last look
//! ([`Matcher::search`]). Because every such event is written under the lock, they commit
//! in id order, so "events after my cursor" never skips one. On SQLite `BEGIN IMMEDIATE`
//! already serialises writers; on PostgreSQL an advisory transaction lock does.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

use diesel::{prelude::*, sql_types::BigInt};

use crate::{
    db::{
        DbConnection,
        models::{event, need::Need, pool},
        schema::{needs, organisations},
    },
    domain::{
        matching::{Decision, Index, NeedText, PoolScore, Thresholds, decide},
        pool_state::PoolState,
    },
    error::ApiResult,
};

/// Event types that change what the index holds.
pub const INDEX_EVENTS: &[&str] = &["need.posted", "need.moved", "need.withdrawn", "pool.merged"];

/// The advisory lock key of matching on PostgreSQL ("mutua" in ASCII).
const MATCHING_LOCK_KEY: i64 = 0x6d_75_74_75_61;

/// Serialises the writes that change the index, across processes. Call first in the
/// transaction, before any row lock, so that lock order is the same everywhere.
pub fn matching_lock(conn: &mut DbConnection) -> ApiResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<BigInt, _>(MATCHING_LOCK_KEY).execute(pg)?;
    }
    Ok(())
}

struct Inner {
    index: Index,
    /// The id of the last event applied to the index; `None` until loaded.
    cursor: Option<i64>,
}

/// A pool the matcher found, with its title for the response.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimilarPool {
    pub pool_id: i64,
    pub title: String,
    pub score: f64,
}

/// What the matcher decided for a need.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub merge_into: Option<SimilarPool>,
    pub similar: Vec<SimilarPool>,
}

pub struct Matcher {
    inner: Mutex<Inner>,
    thresholds: Thresholds,
}

/// How many ranked pools to look at before dropping those that cannot take needs.
const SEARCH_DEPTH: usize = 30;

impl Matcher {
    pub fn new(thresholds: Thresholds) -> Self {
        Self { inner: Mutex::new(Inner { index: Index::new(), cursor: None }), thresholds }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the index possibly half-updated; the
        // cursor was not advanced, so replaying the events repairs it.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Ranks the pools that may take `text` and applies the decision rule. The caller holds
    /// [`matching_lock`] in a transaction.
    pub fn decide(&self, conn: &mut DbConnection, text: &NeedText) -> ApiResult<Outcome> {
        let ranked = self.search(conn, text)?;
        let Decision { merge_into, similar } =
            decide(&ranked.iter().map(|(s, _)| *s).collect::<Vec<_>>(), &self.thresholds);
        let titled = |score: &PoolScore| SimilarPool {
            pool_id: score.pool_id,
            title: ranked.iter().find(|(s, _)| s.pool_id == score.pool_id).map(|(_, t)| t.clone()).unwrap_or_default(),
            score: (score.score * 1000.0).round() / 1000.0,
        };
        Ok(Outcome {
            merge_into: merge_into.and_then(|id| ranked.iter().find(|(s, _)| s.pool_id == id)).map(|(s, _)| titled(s)),
            similar: similar.iter().map(titled).collect(),
        })
    }

    /// Pools similar to `text` that can still take needs, best first, with their titles.
    pub fn search(&self, conn: &mut DbConnection, text: &NeedText) -> ApiResult<Vec<(PoolScore, String)>> {
        let ranked = {
            let mut inner = self.inner();
            catch_up(conn, &mut inner)?;
            inner.index.search(text, SEARCH_DEPTH)
        };
        let ids: Vec<i64> = ranked.iter().map(|s| s.pool_id).collect();
        let living: HashMap<i64, (String, String)> =
            pool::states(conn, &ids)?.into_iter().map(|(id, state, title)| (id, (state, title))).collect();
        Ok(ranked
            .into_iter()
            .filter_map(|score| {
                let (state, title) = living.get(&score.pool_id)?;
                PoolState::parse(state).ok().filter(|s| s.is_matchable()).map(|_| (score, title.clone()))
            })
            .collect())
    }

    /// Pools close to a need not yet posted, best first, at most 10: the pool it would
    /// join comes first, then the suggestions.
    pub fn similar(&self, conn: &mut DbConnection, text: &NeedText) -> ApiResult<Vec<SimilarPool>> {
        let outcome = self.decide(conn, text)?;
        Ok(outcome.merge_into.into_iter().chain(outcome.similar).take(10).collect())
    }

    /// Needs indexed, for metrics and tests.
    pub fn indexed_needs(&self) -> usize {
        self.inner().index.len()
    }
}

/// Brings the index up to date with the database: a full load the first time, then the
/// index events recorded since.
fn catch_up(conn: &mut DbConnection, inner: &mut Inner) -> ApiResult<()> {
    let Some(cursor) = inner.cursor else {
        let last = event::last_id(conn)?;
        let mut after = 0;
        loop {
            let batch = load(conn, active_needs().filter(needs::id.gt(after)).limit(5_000))?;
            let Some(last_need) = batch.last() else { break };
            after = last_need.0.id;
            for (need, locale) in &batch {
                upsert(&mut inner.index, need, locale);
            }
        }
        inner.cursor = Some(last);
        tracing::info!(needs = inner.index.len(), "matcher index loaded");
        return Ok(());
    };
    let events = event::of_types_after(conn, INDEX_EVENTS, cursor)?;
    let Some(last) = events.last().map(|e| e.id) else { return Ok(()) };
    for event in events {
        let data: serde_json::Value = serde_json::from_str(&event.data).unwrap_or_default();
        if event.event_type == "pool.merged" {
            if let Some(into) = data["into_pool_id"].as_i64() {
                for (need, locale) in load(conn, active_needs().filter(needs::pool_id.eq(into)))? {
                    upsert(&mut inner.index, &need, &locale);
                }
            }
        } else if let Some(need_id) = data["need_id"].as_i64() {
            match load(conn, active_needs().filter(needs::id.eq(need_id)))?.first() {
                Some((need, locale)) => upsert(&mut inner.index, need, locale),
                None => inner.index.remove(need_id),
            }
        }
    }
    inner.cursor = Some(last);
    Ok(())
}

fn upsert(index: &mut Index, need: &Need, locale: &str) {
    index.upsert(
        need.id,
        need.pool_id,
        &NeedText {
            title: &need.title,
            description: &need.description,
            cpv_code: need.cpv_code.as_deref(),
            locale_hint: locale,
        },
    );
}

type Backend = <DbConnection as diesel::Connection>::Backend;
type ActiveNeeds = diesel::dsl::IntoBoxed<'static, diesel::dsl::InnerJoin<needs::table, organisations::table>, Backend>;

/// Active needs, with the locale of the organisation that posted them; callers add filters.
fn active_needs() -> ActiveNeeds {
    needs::table.inner_join(organisations::table).into_boxed().filter(needs::status.eq("active")).order(needs::id)
}

fn load(conn: &mut DbConnection, query: ActiveNeeds) -> ApiResult<Vec<(Need, String)>> {
    Ok(query.select((Need::as_select(), organisations::locale)).load(conn)?)
}
