//! Reads answered from memory: whether a session holds, pool views, and public pages (the
//! open data export).
//!
//! Filled by the reads that go to the database, forgotten by the writes that change them:
//! in this process at commit (before the writer is answered), in the other processes
//! sharing the database through [`crate::db::ChangeFeed`] within a fraction of a second.
//! While this process cannot be sure to hear the others, the cache is neither read nor
//! filled.
//!
//! A read that went to the database stores what it read only if nothing was forgotten
//! since it started (a generation counter), so a value read just before a change can never
//! outlive the change.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
};

use actix_web::web::Bytes;

use crate::{
    db::{ChangeFeed, Changes},
    service::pool_view::PoolView,
};

/// The most pools kept; beyond, the cache starts again empty (a view is a few kilobytes).
const MAX_POOLS: usize = 50_000;
/// The most sessions kept.
const MAX_SESSIONS: usize = 100_000;
/// The most public pages kept: their addresses come from clients, so the bound matters.
const MAX_PAGES: usize = 1_000;

/// A public page as served: its body, its `ETag` and its `Link` to the next page.
#[derive(Clone, Debug)]
pub struct CachedPage {
    pub body: Bytes,
    pub etag: String,
    pub next: Option<String>,
}

/// A pool as read, and its API representation.
pub struct CachedPool {
    pub view: PoolView,
    pub json: Bytes,
}

/// What decides whether a session holds: `(token_version, disabled)` of its user.
pub type SessionState = (i32, bool);

pub struct ReadCache {
    feed: Arc<ChangeFeed>,
    generation: AtomicU64,
    sessions: RwLock<HashMap<i64, SessionState>>,
    pools: RwLock<HashMap<i64, Arc<CachedPool>>>,
    /// Public pages by path and query. What they show depends on every pool's events, so
    /// any change of any pool forgets them all.
    pages: RwLock<HashMap<String, Arc<CachedPage>>>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache").field("generation", &self.generation()).finish_non_exhaustive()
    }
}

impl ReadCache {
    /// A cache that forgets what `feed` announces.
    pub fn new(feed: Arc<ChangeFeed>) -> Arc<Self> {
        let cache = Arc::new(Self {
            feed: feed.clone(),
            generation: AtomicU64::new(0),
            sessions: RwLock::default(),
            pools: RwLock::default(),
            pages: RwLock::default(),
        });
        let weak = Arc::downgrade(&cache);
        feed.subscribe(move |changes| {
            if let Some(cache) = weak.upgrade() {
                cache.forget(changes);
            }
        });
        cache
    }

    /// Taken before a read goes to the database; given back to store what it read.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn usable(&self) -> bool {
        self.feed.is_live()
    }

    fn forget(&self, changes: &Changes) {
        // Under the maps' write locks, so that a store checks the generation atomically
        // with respect to this.
        let mut sessions = self.sessions.write().unwrap_or_else(|p| p.into_inner());
        let mut pools = self.pools.write().unwrap_or_else(|p| p.into_inner());
        let mut pages = self.pages.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        if changes.everything || !changes.pools.is_empty() {
            pages.clear();
        }
        if changes.everything {
            sessions.clear();
            pools.clear();
            return;
        }
        for user in &changes.users {
            sessions.remove(user);
        }
        for pool in &changes.pools {
            pools.remove(pool);
        }
    }

    /// The state of a user's session, if known.
    pub fn session(&self, user_id: i64) -> Option<SessionState> {
        if !self.usable() {
            return None;
        }
        self.sessions.read().unwrap_or_else(|p| p.into_inner()).get(&user_id).copied()
    }

    pub fn store_session(&self, user_id: i64, state: SessionState, generation: u64) {
        if !self.usable() {
            return;
        }
        let mut sessions = self.sessions.write().unwrap_or_else(|p| p.into_inner());
        if self.generation() != generation {
            return;
        }
        if sessions.len() >= MAX_SESSIONS {
            sessions.clear();
        }
        sessions.insert(user_id, state);
    }

    pub fn pool(&self, pool_id: i64) -> Option<Arc<CachedPool>> {
        if !self.usable() {
            return None;
        }
        self.pools.read().unwrap_or_else(|p| p.into_inner()).get(&pool_id).cloned()
    }

    pub fn page(&self, key: &str) -> Option<Arc<CachedPage>> {
        if !self.usable() {
            return None;
        }
        self.pages.read().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    pub fn store_page(&self, key: String, page: Arc<CachedPage>, generation: u64) {
        if !self.usable() {
            return;
        }
        // The same lock order as `forget`: sessions, pools, pages.
        let mut pages = self.pages.write().unwrap_or_else(|p| p.into_inner());
        if self.generation() != generation {
            return;
        }
        if pages.len() >= MAX_PAGES {
            pages.clear();
        }
        pages.insert(key, page);
    }

    pub fn store_pool(&self, pool: Arc<CachedPool>, generation: u64) {
        if !self.usable() {
            return;
        }
        let mut pools = self.pools.write().unwrap_or_else(|p| p.into_inner());
        if self.generation() != generation {
            return;
        }
        if pools.len() >= MAX_POOLS {
            pools.clear();
        }
        pools.insert(pool.view.pool.id, pool);
    }
}
