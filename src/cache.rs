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
    collections::{HashMap, VecDeque},
    sync::{
        Arc, RwLock, RwLockWriteGuard,
        atomic::{AtomicU64, Ordering},
    },
};

use actix_web::web::Bytes;

use crate::{
    auth::session::{SessionMemory, SessionState},
    db::{ChangeFeed, Changes},
    service::pool_view::PoolView,
};

/// The most pools kept; beyond, the cache starts again empty (a view is a few kilobytes).
const MAX_POOLS: usize = 50_000;
/// The most sessions kept.
const MAX_SESSIONS: usize = 100_000;

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

/// What every cache of reads shares (this one, and the pages' in `crate::web::cache`):
/// whether it may be used (the change feed is live), and the generation that lets a read
/// store what it read only if nothing was forgotten since it began.
pub struct Freshness {
    feed: Arc<ChangeFeed>,
    generation: AtomicU64,
}

impl Freshness {
    pub fn new(feed: Arc<ChangeFeed>) -> Self {
        Self { feed, generation: AtomicU64::new(0) }
    }

    /// Has `forget` run on `cache` for every change the feed announces, as long as the
    /// cache lives.
    pub fn subscribe<C: Send + Sync + 'static>(&self, cache: &Arc<C>, forget: fn(&C, &Changes)) {
        let weak = Arc::downgrade(cache);
        self.feed.subscribe(move |changes| {
            if let Some(cache) = weak.upgrade() {
                forget(&cache, changes);
            }
        });
    }

    /// Taken before a read goes to the database; given back to store what it read.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Marks that something was forgotten. Called with the write lock of every map the
    /// forgetting touches held, so that a store checks the generation atomically with
    /// respect to it.
    pub fn advance(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// What `get` finds in `map`, when the cache may be used.
    pub fn read<M, T>(&self, map: &RwLock<M>, get: impl FnOnce(&M) -> Option<T>) -> Option<T> {
        if !self.feed.is_live() {
            return None;
        }
        get(&map.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Runs `put` on `map` under its write lock, when the cache may be used and nothing was
    /// forgotten since `generation`.
    pub fn store<M>(&self, map: &RwLock<M>, generation: u64, put: impl FnOnce(&mut M)) {
        if !self.feed.is_live() {
            return;
        }
        let mut map = write(map);
        if self.generation() == generation {
            put(&mut map);
        }
    }
}

/// A map's write lock; a panic while it was held left a map that is at worst incomplete.
pub fn write<M>(map: &RwLock<M>) -> RwLockWriteGuard<'_, M> {
    map.write().unwrap_or_else(|p| p.into_inner())
}

/// Inserts into a map bounded to `max` entries: beyond, it starts again empty.
pub fn insert_bounded<K: Eq + std::hash::Hash, V>(map: &mut HashMap<K, V>, max: usize, key: K, value: V) {
    if map.len() >= max {
        map.clear();
    }
    map.insert(key, value);
}

impl CachedPage {
    /// What the page takes in memory, near enough: its body and its links.
    fn bytes(&self) -> usize {
        self.body.len() + self.etag.len() + self.next.as_ref().map_or(0, String::len)
    }
}

/// Public pages by their parsed parameters, bounded in bytes (`MUTUA_PUBLIC_CACHE_BYTES`):
/// beyond, the oldest pages stored go first. Keys are written from the parsed query
/// ([`crate::routes::ocds`]), so `after=0` and `after=000` are one entry, and a query the
/// handler refuses stores nothing.
#[derive(Default)]
struct Pages {
    map: HashMap<String, Arc<CachedPage>>,
    /// Keys in the order they were stored, for eviction.
    order: VecDeque<String>,
    bytes: usize,
}

impl Pages {
    fn insert(&mut self, max_bytes: usize, key: String, page: Arc<CachedPage>) {
        let size = page.bytes() + key.len();
        if size > max_bytes || self.map.contains_key(&key) {
            return;
        }
        while self.bytes + size > max_bytes {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some(gone) = self.map.remove(&oldest) {
                self.bytes -= gone.bytes() + oldest.len();
            }
        }
        self.bytes += size;
        self.order.push_back(key.clone());
        self.map.insert(key, page);
    }

    fn clear(&mut self) {
        *self = Self::default();
    }
}

pub struct ReadCache {
    freshness: Freshness,
    sessions: RwLock<HashMap<i64, SessionState>>,
    pools: RwLock<HashMap<i64, Arc<CachedPool>>>,
    /// Public pages by parsed parameters. What they show depends on every pool's events,
    /// so any change of any pool forgets them all.
    pages: RwLock<Pages>,
    max_page_bytes: usize,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache").field("generation", &self.generation()).finish_non_exhaustive()
    }
}

impl ReadCache {
    /// A cache that forgets what `feed` announces, keeping at most `max_page_bytes` of
    /// public pages.
    pub fn new(feed: Arc<ChangeFeed>, max_page_bytes: usize) -> Arc<Self> {
        let cache = Arc::new(Self {
            freshness: Freshness::new(feed),
            sessions: RwLock::default(),
            pools: RwLock::default(),
            pages: RwLock::default(),
            max_page_bytes,
        });
        cache.freshness.subscribe(&cache, Self::forget);
        cache
    }

    /// Taken before a read goes to the database; given back to store what it read.
    pub fn generation(&self) -> u64 {
        self.freshness.generation()
    }

    fn forget(&self, changes: &Changes) {
        // The locks in one order everywhere: sessions, pools, pages.
        let mut sessions = write(&self.sessions);
        let mut pools = write(&self.pools);
        let mut pages = write(&self.pages);
        self.freshness.advance();
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

    pub fn pool(&self, pool_id: i64) -> Option<Arc<CachedPool>> {
        self.freshness.read(&self.pools, |pools| pools.get(&pool_id).cloned())
    }

    pub fn store_pool(&self, pool: Arc<CachedPool>, generation: u64) {
        self.freshness.store(&self.pools, generation, |pools| {
            insert_bounded(pools, MAX_POOLS, pool.view.pool.id, pool);
        });
    }

    pub fn page(&self, key: &str) -> Option<Arc<CachedPage>> {
        self.freshness.read(&self.pages, |pages| pages.map.get(key).cloned())
    }

    pub fn store_page(&self, key: String, page: Arc<CachedPage>, generation: u64) {
        let max = self.max_page_bytes;
        self.freshness.store(&self.pages, generation, |pages| pages.insert(max, key, page));
    }
}

impl SessionMemory for ReadCache {
    fn generation(&self) -> u64 {
        self.freshness.generation()
    }

    fn session(&self, user_id: i64) -> Option<SessionState> {
        self.freshness.read(&self.sessions, |sessions| sessions.get(&user_id).copied())
    }

    fn store_session(&self, user_id: i64, state: SessionState, generation: u64) {
        self.freshness.store(&self.sessions, generation, |sessions| {
            insert_bounded(sessions, MAX_SESSIONS, user_id, state);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(bytes: usize) -> Arc<CachedPage> {
        Arc::new(CachedPage { body: Bytes::from(vec![b'x'; bytes]), etag: String::new(), next: None })
    }

    #[test]
    fn pages_are_bounded_in_bytes_the_oldest_going_first() {
        let mut pages = Pages::default();
        for i in 0..100 {
            pages.insert(10_000, format!("k{i:03}"), page(1_000));
            assert!(pages.bytes <= 10_000);
        }
        assert_eq!(pages.map.len(), 9);
        assert!(pages.map.contains_key("k099") && !pages.map.contains_key("k090"));
        pages.insert(10_000, "huge".into(), page(20_000));
        assert!(!pages.map.contains_key("huge"), "a page larger than the bound is not kept");
        assert_eq!(pages.bytes, pages.map.iter().map(|(k, p)| k.len() + p.bytes()).sum::<usize>());
    }
}
