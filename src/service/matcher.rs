//! The matcher's in-memory index, kept consistent with the database across processes.
//!
//! Every write that changes what the index holds (a need posted, moved or withdrawn, a pool
//! merged) takes the matching lock ([`WriteTx::lock_matching`]) and records an event.
//! Before searching, a process replays the events recorded since its last look
//! ([`Matcher::search`]). Because every such event is written under the lock, they commit
//! in id order, so "events after my cursor" never skips one. On SQLite the write
//! transaction already serialises writers; on PostgreSQL an advisory transaction lock does.

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

use crate::{
    db::{
        Tx,
        models::{
            event,
            need::{self, IndexedNeed},
            pool,
        },
    },
    domain::matching::{Decision, Index, NeedText, PoolScore, Thresholds, analyze::analyse, decide},
    error::ApiResult,
};

#[cfg(doc)]
use crate::db::WriteTx;

/// Event types that change what the index holds.
pub const INDEX_EVENTS: &[&str] = &["need.posted", "need.moved", "need.withdrawn", "pool.merged"];

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

    /// Ranks the pools that may take `text` and applies the decision rule. A caller that
    /// acts on the outcome holds the matching lock ([`WriteTx::lock_matching`]).
    pub fn decide(&self, tx: &mut Tx, text: &NeedText) -> ApiResult<Outcome> {
        let ranked = self.search(tx, text)?;
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
    /// The text is analysed before the index's lock is taken: analysing 10 000 characters
    /// must not hold up the other requests that need the index.
    pub fn search(&self, tx: &mut Tx, text: &NeedText) -> ApiResult<Vec<(PoolScore, String)>> {
        let query = analyse(text);
        let ranked = {
            let mut inner = self.inner();
            catch_up(tx, &mut inner)?;
            inner.index.search_analysed(&query, SEARCH_DEPTH)
        };
        let ids: Vec<i64> = ranked.iter().map(|s| s.pool_id).collect();
        let living: HashMap<i64, String> = pool::states(tx, &ids)?
            .into_iter()
            .filter(|(_, state, _)| state.is_matchable())
            .map(|(id, _, title)| (id, title))
            .collect();
        Ok(ranked.into_iter().filter_map(|score| Some((score, living.get(&score.pool_id)?.clone()))).collect())
    }

    /// Pools close to a need not yet posted, best first, at most 10: the pool it would
    /// join comes first, then the suggestions.
    pub fn similar(&self, tx: &mut Tx, text: &NeedText) -> ApiResult<Vec<SimilarPool>> {
        let outcome = self.decide(tx, text)?;
        Ok(outcome.merge_into.into_iter().chain(outcome.similar).take(10).collect())
    }

    /// Needs indexed, for metrics and tests.
    pub fn indexed_needs(&self) -> usize {
        self.inner().index.len()
    }
}

/// Brings the index up to date with the database: a full load the first time, then the
/// index events recorded since.
fn catch_up(tx: &mut Tx, inner: &mut Inner) -> ApiResult<()> {
    let Some(cursor) = inner.cursor else {
        let last = event::last_id(tx)?;
        let mut after = 0;
        loop {
            let batch = need::active_after(tx, after, 5_000)?;
            let Some(last_need) = batch.last() else { break };
            after = last_need.0.id;
            for indexed in &batch {
                upsert(&mut inner.index, indexed);
            }
        }
        inner.cursor = Some(last);
        tracing::info!(needs = inner.index.len(), "matcher index loaded");
        return Ok(());
    };
    let events = event::of_types_after(tx, INDEX_EVENTS, cursor)?;
    let Some(last) = events.last().map(|e| e.id) else { return Ok(()) };
    for event in events {
        let data: serde_json::Value = serde_json::from_str(&event.data).unwrap_or_default();
        if event.event_type == "pool.merged" {
            if let Some(into) = data["into_pool_id"].as_i64() {
                for indexed in need::active_in_pool(tx, into)? {
                    upsert(&mut inner.index, &indexed);
                }
            }
        } else if let Some(need_id) = data["need_id"].as_i64() {
            match need::active_by_id(tx, need_id)? {
                Some(indexed) => upsert(&mut inner.index, &indexed),
                None => inner.index.remove(need_id),
            }
        }
    }
    inner.cursor = Some(last);
    Ok(())
}

fn upsert(index: &mut Index, (need, locale): &IndexedNeed) {
    index.upsert(
        need.id,
        need.pool_id,
        &NeedText {
            title: &need.title,
            description: &need.description,
            cpv_code: need.cpv_code.as_deref(),
            locale_hint: locale.as_str(),
        },
    );
}
