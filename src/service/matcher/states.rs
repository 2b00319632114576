//! The states and titles of the pools the matcher ranks, kept in memory: a post ranks some
//! twenty pools it would otherwise read each time.
//!
//! Forgotten by the writes that change them, as the read caches are (`crate::cache`): a
//! pool's every change records an event of the pool, announced at commit in this process
//! and through [`ChangeFeed`] from the others. While the feed is not live, nothing is read
//! from here or stored. A pool found here may therefore have ended a moment ago in another
//! process: what acts on a ranking locks the pool it joins and checks its state there
//! (`service::needs::post`), and what it read under that lock is stored ([`Self::saw`]).
//!
//! A read stores what it read only for the pools not forgotten since it began: the pools
//! forgotten lately are remembered by the generation that forgot them, up to
//! [`REMEMBERED`]; a read older than that stores nothing.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
};

use crate::{
    cache::write,
    db::{ChangeFeed, Changes, Tx, models::pool},
    domain::pool_state::PoolState,
    error::ApiResult,
};

/// The most pools kept; beyond, it starts again empty (a few dozen bytes each).
const MAX_POOLS: usize = 200_000;
/// How many of the latest forgettings are remembered pool by pool.
const REMEMBERED: usize = 4_096;

pub(super) struct PoolStates {
    feed: Arc<ChangeFeed>,
    known: RwLock<Known>,
    /// Pools whose state was read from the database, since the start.
    read: AtomicU64,
}

#[derive(Default)]
struct Known {
    pools: HashMap<i64, (PoolState, String)>,
    /// Counts the forgettings.
    generation: u64,
    /// The pools forgotten lately, with the generation that forgot each, oldest first.
    forgotten: VecDeque<(u64, i64)>,
    /// A read begun before this generation stores nothing: what was forgotten then is no
    /// longer known pool by pool (everything was forgotten, or the memory was trimmed).
    stores_from: u64,
}

impl PoolStates {
    pub(super) fn new(feed: Arc<ChangeFeed>) -> Arc<Self> {
        let states = Arc::new(Self { feed: feed.clone(), known: RwLock::default(), read: AtomicU64::new(0) });
        let weak = Arc::downgrade(&states);
        feed.subscribe(move |changes| {
            if let Some(states) = weak.upgrade() {
                states.forget(changes);
            }
        });
        states
    }

    /// The state and title of each pool of `ids` (those that exist): from memory, the
    /// others read in one statement and kept.
    pub(super) fn of(&self, tx: &mut Tx, ids: &[i64]) -> ApiResult<Vec<(i64, PoolState, String)>> {
        let (mut found, missing, generation) = {
            let known = self.known.read().unwrap_or_else(|p| p.into_inner());
            if !self.feed.is_live() {
                (Vec::new(), ids.to_vec(), None)
            } else {
                let mut found = Vec::with_capacity(ids.len());
                let mut missing = Vec::new();
                for &id in ids {
                    match known.pools.get(&id) {
                        Some((state, title)) => found.push((id, *state, title.clone())),
                        None => missing.push(id),
                    }
                }
                (found, missing, Some(known.generation))
            }
        };
        if missing.is_empty() {
            return Ok(found);
        }
        self.read.fetch_add(missing.len() as u64, Ordering::AcqRel);
        let read = pool::states(tx, &missing)?;
        if let Some(generation) = generation {
            self.store(generation, &read);
        }
        found.extend(read);
        Ok(found)
    }

    /// Pools whose state was read from the database since the start.
    pub(super) fn read(&self) -> u64 {
        self.read.load(Ordering::Acquire)
    }

    /// A pool read under its lock: nothing else changes it before the lock is released,
    /// after which its change is announced like any other.
    pub(super) fn saw(&self, pool_id: i64, state: PoolState, title: &str) {
        if !self.feed.is_live() {
            return;
        }
        let mut known = write(&self.known);
        insert(&mut known.pools, pool_id, (state, title.to_owned()));
    }

    fn store(&self, generation: u64, read: &[(i64, PoolState, String)]) {
        let mut known = write(&self.known);
        if !self.feed.is_live() || generation < known.stores_from {
            return;
        }
        let since: HashSet<i64> =
            known.forgotten.iter().filter(|(at, _)| *at > generation).map(|(_, pool)| *pool).collect();
        for (id, state, title) in read {
            if !since.contains(id) {
                insert(&mut known.pools, *id, (*state, title.clone()));
            }
        }
    }

    fn forget(&self, changes: &Changes) {
        let mut known = write(&self.known);
        known.generation += 1;
        let generation = known.generation;
        if changes.everything {
            known.pools.clear();
            known.forgotten.clear();
            known.stores_from = generation;
            return;
        }
        for &pool in &changes.pools {
            known.pools.remove(&pool);
            known.forgotten.push_back((generation, pool));
        }
        while known.forgotten.len() > REMEMBERED {
            if let Some((at, _)) = known.forgotten.pop_front() {
                known.stores_from = known.stores_from.max(at);
            }
        }
    }
}

fn insert(pools: &mut HashMap<i64, (PoolState, String)>, id: i64, value: (PoolState, String)) {
    crate::cache::insert_bounded(pools, MAX_POOLS, id, value);
}
