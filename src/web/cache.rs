//! Pages answered from memory, as the API's reads are (`crate::cache`): whose a session is,
//! what a pool's page shows, and that page as rendered for each kind of viewer.
//!
//! Forgotten through the same [`ChangeFeed`] as the API's cache: in this process at commit,
//! before the writer is answered; in the other processes sharing the database within a
//! fraction of a second. A session is forgotten with its user (disabled, password changed,
//! signed out: each touches the user), a pool's page with the pool (every write of the
//! pool, its needs, pledges and events touches it). While the feed is not live, nothing is
//! read from or stored in memory. A read that went to the database stores what it read only
//! if nothing was forgotten since it began (a generation counter), so that a value read
//! just before a change never outlives the change.
//!
//! A member's rendered page is kept per (pool, language, organisation): what it shows
//! depends on nothing else but the person's name in the header and the token of its forms,
//! which are put into the kept page at each request ([`Rendered`]). An officer's is kept per
//! (pool, language), and forgotten with any pool's change, not only its own: it lists the
//! likely duplicates still to review against the pool, which move when a need is posted into
//! another pool or another pool changes state. Every such change records an event of some
//! pool, so the feed announces it here and in every other process.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use chrono::NaiveDateTime;

use super::render::Rendered;
use crate::domain::kinds::Locale;
use crate::{
    auth::WebUser,
    cache::{Freshness, insert_bounded, write},
    db::{ChangeFeed, Changes},
    service::pool_view::PoolPage,
};

/// The most sessions kept; beyond, they are all forgotten and read again.
const MAX_SESSIONS: usize = 100_000;
/// The most pools whose page is kept.
const MAX_POOLS: usize = 10_000;
/// The most bytes of rendered pages kept (a pool's page is some 5 to 30 kB).
const MAX_RENDERED_BYTES: usize = 32 << 20;

/// A session known to hold, until it expires.
#[derive(Clone)]
struct Session {
    user: Arc<WebUser>,
    expires_at: NaiveDateTime,
}

/// Who sees a pool's page the same way: members of one organisation in one language, or
/// officers in one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Viewer {
    Member { lang: Locale, organisation_id: i64 },
    Officer { lang: Locale },
}

#[derive(Default)]
struct PoolEntry {
    page: Option<Arc<PoolPage>>,
    rendered: HashMap<Viewer, Arc<Rendered>>,
}

#[derive(Default)]
struct Pools {
    entries: HashMap<i64, PoolEntry>,
    /// Officers' pages, by pool and language: forgotten all at once (see the module doc).
    officers: HashMap<(i64, Locale), Arc<Rendered>>,
    rendered_bytes: usize,
}

pub struct PageCache {
    freshness: Freshness,
    sessions: RwLock<HashMap<String, Session>>,
    pools: RwLock<Pools>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache").field("generation", &self.generation()).finish_non_exhaustive()
    }
}

impl PageCache {
    /// A cache that forgets what `feed` announces.
    pub fn new(feed: Arc<ChangeFeed>) -> Arc<Self> {
        let cache =
            Arc::new(Self { freshness: Freshness::new(feed), sessions: RwLock::default(), pools: RwLock::default() });
        cache.freshness.subscribe(&cache, Self::forget);
        cache
    }

    /// Taken before a read goes to the database; given back to store what it read.
    pub fn generation(&self) -> u64 {
        self.freshness.generation()
    }

    fn forget(&self, changes: &Changes) {
        // The locks in one order everywhere: sessions, pools.
        let mut sessions = write(&self.sessions);
        let mut pools = write(&self.pools);
        self.freshness.advance();
        if changes.everything {
            sessions.clear();
            *pools = Pools::default();
            return;
        }
        if !changes.users.is_empty() {
            sessions.retain(|_, session| !changes.users.contains(&session.user.auth.id));
        }
        if !changes.pools.is_empty() && !pools.officers.is_empty() {
            pools.rendered_bytes -= pools.officers.values().map(|r| r.len()).sum::<usize>();
            pools.officers.clear();
        }
        for pool in &changes.pools {
            if let Some(entry) = pools.entries.remove(pool) {
                pools.rendered_bytes -= entry.rendered.values().map(|r| r.len()).sum::<usize>();
            }
        }
    }

    /// The person whose session id hashes to `id_hash`, if this process knows the session
    /// holds now.
    pub fn session(&self, id_hash: &str, now: NaiveDateTime) -> Option<Arc<WebUser>> {
        self.freshness.read(&self.sessions, |sessions| {
            sessions.get(id_hash).filter(|s| s.expires_at > now).map(|s| s.user.clone())
        })
    }

    pub fn store_session(&self, id_hash: &str, user: WebUser, expires_at: NaiveDateTime, generation: u64) {
        self.freshness.store(&self.sessions, generation, |sessions| {
            insert_bounded(sessions, MAX_SESSIONS, id_hash.to_owned(), Session { user: Arc::new(user), expires_at });
        });
    }

    /// What a pool's page shows, if known as it is now.
    pub fn pool_page(&self, pool_id: i64) -> Option<Arc<PoolPage>> {
        self.freshness.read(&self.pools, |pools| pools.entries.get(&pool_id).and_then(|e| e.page.clone()))
    }

    pub fn store_pool_page(&self, pool_id: i64, page: Arc<PoolPage>, generation: u64) {
        self.store(pool_id, generation, |pools| pools.entries.entry(pool_id).or_default().page = Some(page));
    }

    /// A pool's page as rendered for `viewer`, if known as it is now.
    pub fn rendered(&self, pool_id: i64, viewer: Viewer) -> Option<Arc<Rendered>> {
        self.freshness.read(&self.pools, |pools| match viewer {
            Viewer::Officer { lang } => pools.officers.get(&(pool_id, lang)).cloned(),
            Viewer::Member { .. } => pools.entries.get(&pool_id).and_then(|e| e.rendered.get(&viewer).cloned()),
        })
    }

    pub fn store_rendered(&self, pool_id: i64, viewer: Viewer, rendered: Arc<Rendered>, generation: u64) {
        let bytes = rendered.len();
        self.store(pool_id, generation, |pools| {
            pools.rendered_bytes += bytes;
            let replaced = match viewer {
                Viewer::Officer { lang } => pools.officers.insert((pool_id, lang), rendered),
                Viewer::Member { .. } => pools.entries.entry(pool_id).or_default().rendered.insert(viewer, rendered),
            };
            if let Some(replaced) = replaced {
                pools.rendered_bytes -= replaced.len();
            }
        });
    }

    fn store(&self, pool_id: i64, generation: u64, put: impl FnOnce(&mut Pools)) {
        self.freshness.store(&self.pools, generation, |pools| {
            if pools.rendered_bytes >= MAX_RENDERED_BYTES
                || (pools.entries.len() >= MAX_POOLS && !pools.entries.contains_key(&pool_id))
            {
                *pools = Pools::default();
            }
            put(pools);
        });
    }
}
