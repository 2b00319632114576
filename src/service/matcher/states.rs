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
//!
//! A pool this process opened is known from its commit ([`Self::opened`]): open, with the
//! title it was given. Nothing could change it before that commit (no one else saw it), and
//! the commit itself forgets it once, when this process announces it. So it is taken as
//! known unless it was forgotten since before its commit more than that once (another
//! process or post changed it: it is read, as any other). PostgreSQL read these states back
//! at about one post in two.

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
    /// Pools this process opened, since committed, not ranked yet: their title, and how
    /// many times each was forgotten since before its commit ([`PoolStates::opened`]).
    opened: HashMap<i64, (String, usize)>,
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
        let (mut found, missing, generation, opened_here) = {
            let known = self.known.read().unwrap_or_else(|p| p.into_inner());
            if !self.feed.is_live() {
                (Vec::new(), ids.to_vec(), None, false)
            } else {
                let mut found = Vec::with_capacity(ids.len());
                let mut missing = Vec::new();
                for &id in ids {
                    match known.pools.get(&id) {
                        Some((state, title)) => found.push((id, *state, title.clone())),
                        None => missing.push(id),
                    }
                }
                // The write lock is taken only when a pool opened here is among them.
                let opened_here = missing.iter().any(|id| known.opened.contains_key(id));
                (found, missing, Some(known.generation), opened_here)
            }
        };
        let missing = if opened_here { self.take_opened(missing, &mut found) } else { missing };
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

    /// Where a write that opens a pool starts counting the forgettings of its pool, before
    /// its commit ([`Self::opened`]); `None` while the feed is not live.
    pub(super) fn generation(&self) -> Option<u64> {
        let known = self.known.read().unwrap_or_else(|p| p.into_inner());
        self.feed.is_live().then_some(known.generation)
    }

    /// A pool this process opened, committed: open, with `title`. `since`: the
    /// [`Self::generation`] taken before the commit.
    pub(super) fn opened(&self, pool_id: i64, since: u64, title: String) {
        let mut known = write(&self.known);
        if !self.feed.is_live() || since < known.stores_from {
            return;
        }
        // The latest forgettings are last: only those since `since` are looked at.
        let forgotten =
            known.forgotten.iter().rev().take_while(|(at, _)| *at > since).filter(|(_, pool)| *pool == pool_id).count();
        crate::cache::insert_bounded(&mut known.opened, REMEMBERED, pool_id, (title, forgotten));
    }

    /// Of `missing`, the pools this process opened that nothing changed since: found (and
    /// stored), the others returned, to be read.
    fn take_opened(&self, missing: Vec<i64>, found: &mut Vec<(i64, PoolState, String)>) -> Vec<i64> {
        let mut known = write(&self.known);
        if !self.feed.is_live() {
            return missing;
        }
        let mut unknown = Vec::with_capacity(missing.len());
        for id in missing {
            // Its own commit forgets it once; anything more is another change.
            let Some((title, 0..=1)) = known.opened.remove(&id) else {
                unknown.push(id);
                continue;
            };
            insert(&mut known.pools, id, (PoolState::Open, title.clone()));
            found.push((id, PoolState::Open, title));
        }
        unknown
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
            known.opened.clear();
            known.stores_from = generation;
            return;
        }
        for &pool in &changes.pools {
            known.pools.remove(&pool);
            known.forgotten.push_back((generation, pool));
            if let Some((_, forgotten)) = known.opened.get_mut(&pool) {
                *forgotten += 1;
            }
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
