//! Telling the caches of every process what committed writes changed.
//!
//! In this process, [`ChangeFeed::publish`] runs right after each commit, before the writer
//! is answered: a read that follows a write in the same process never sees the cache from
//! before it. Other processes sharing the database learn it within a fraction of a second,
//! on both backends the same way: every change of a pool or of a user's access records an
//! event, and a thread of each process reads the event log every [`POLL`] ([`poll`]).
//!
//! The log is followed by *position* (`models::index_feed`, as the matcher follows it): on
//! PostgreSQL, writes commit side by side, so an event may commit after one with a higher
//! id; it is read all the same. Write transactions announce nothing themselves (no
//! `NOTIFY`: PostgreSQL holds NOTIFY's queue lock through each notifying commit's WAL
//! flush, so posts committed one at a time, issue 28).
//!
//! The events this process committed were announced to it at their commit: its writers
//! tell the feed their ids before they commit ([`ChangeFeed::committing`]), and the poll
//! leaves them out. Told after the commit, a poll that read the log in between announced
//! them a second time.
//!
//! While a process cannot be sure to hear the others (the poller not connected yet, or
//! reconnecting), [`ChangeFeed::is_live`] is false and caches must not be used.

use std::{
    collections::HashSet,
    sync::{
        Arc, Mutex, RwLock, Weak,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use super::{
    connection::Manager,
    models::{event, index_feed},
    unit::{Changes, Tx},
};

/// How often other processes' changes are looked for.
const POLL: Duration = Duration::from_millis(100);
/// How long dropping a [`Listener`] waits for its thread to close its connection.
const STOP_PATIENCE: Duration = Duration::from_secs(2);

type Subscriber = Box<dyn Fn(&Changes) + Send + Sync>;

/// Where committed changes are announced to this process's caches.
#[derive(Default)]
pub struct ChangeFeed {
    subscribers: RwLock<Vec<Subscriber>>,
    live: AtomicBool,
    /// The events this process is committing or committed that the poll has not met yet,
    /// which it leaves out; `None` while no poll runs (nothing is kept then).
    own: Mutex<Option<HashSet<i64>>>,
}

impl ChangeFeed {
    /// Calls `subscriber` with every change committed from now on, by any process.
    pub fn subscribe(&self, subscriber: impl Fn(&Changes) + Send + Sync + 'static) {
        self.subscribers.write().unwrap_or_else(|p| p.into_inner()).push(Box::new(subscriber));
    }

    pub(super) fn publish(&self, changes: &Changes) {
        if changes.is_empty() {
            return;
        }
        for subscriber in self.subscribers.read().unwrap_or_else(|p| p.into_inner()).iter() {
            subscriber(changes);
        }
    }

    /// Notes the ids of events this process is about to commit (it publishes what they
    /// changed once committed): the poll of the event log leaves them out.
    pub(super) fn committing(&self, events: &[i64]) {
        if events.is_empty() {
            return;
        }
        if let Some(own) = self.own.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            own.extend(events);
        }
    }

    /// Forgets events noted by [`Self::committing`] whose commit failed: no read will meet
    /// them.
    pub(super) fn not_committed(&self, events: &[i64]) {
        if let Some(own) = self.own.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            events.iter().for_each(|id| {
                own.remove(id);
            });
        }
    }

    /// Whether a read of the log met an event of this process; it is forgotten then (the
    /// cursor never shows an event twice).
    fn own(&self, event_id: i64) -> bool {
        self.own.lock().unwrap_or_else(|p| p.into_inner()).as_mut().is_some_and(|own| own.remove(&event_id))
    }

    /// Starts or stops keeping this process's events for the poll.
    fn keep_own(&self, keep: bool) {
        *self.own.lock().unwrap_or_else(|p| p.into_inner()) = keep.then(HashSet::new);
    }

    /// Whether changes committed by other processes reach this one now.
    pub fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    fn set_live(&self, live: bool) {
        if !live {
            self.live.store(false, Ordering::Release);
        }
        // Forget everything either way: changes may have been missed while not listening.
        self.publish(&Changes::everything());
        if live {
            self.live.store(true, Ordering::Release);
        }
    }
}

/// The thread hearing the other processes' changes. Dropping it stops the thread and waits
/// until it has closed its connection: a process must not exit while that thread still uses
/// it, since the C libraries' exit handlers free their state under it (libcrypto, under a
/// TLS connection to PostgreSQL, corrupted the heap of a test binary that way).
pub(super) struct Listener {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        let Some(thread) = self.thread.take() else { return };
        thread.thread().unpark();
        // Bounded: the thread may be stuck connecting to a server that does not answer; then
        // it is left to end on its own.
        let deadline = Instant::now() + STOP_PATIENCE;
        while !thread.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        if thread.is_finished() {
            let _ = thread.join();
        }
    }
}

/// What the listener thread checks between round trips: its [`Listener`] dropped, or no one
/// left to tell.
struct Lifeline {
    stop: Arc<AtomicBool>,
    feed: Weak<ChangeFeed>,
}

impl Lifeline {
    /// The feed to tell, while the thread should go on.
    fn feed(&self) -> Option<Arc<ChangeFeed>> {
        if self.stop.load(Ordering::Acquire) { None } else { self.feed.upgrade() }
    }

    fn alive(&self) -> bool {
        !self.stop.load(Ordering::Acquire) && self.feed.strong_count() > 0
    }

    /// Waits `pause`, or less when stopped; whether to go on.
    fn wait(&self, pause: Duration) -> bool {
        std::thread::park_timeout(pause);
        self.alive()
    }
}

/// Starts the thread that hears the other processes' changes, for as long as `feed` lives
/// and the returned [`Listener`] is kept.
pub(super) fn start(manager: Manager, feed: &Arc<ChangeFeed>) -> Option<Listener> {
    let stop = Arc::new(AtomicBool::new(false));
    let life = Lifeline { stop: stop.clone(), feed: Arc::downgrade(feed) };
    let spawned = std::thread::Builder::new().name("mutua-changes".into()).spawn(move || poll(&manager, &life));
    match spawned {
        Ok(handle) => Some(Listener { stop, thread: Some(handle) }),
        Err(error) => {
            tracing::error!(%error, "cannot start the change listener: caches stay off");
            None
        }
    }
}

/// Reads the event log every [`POLL`], from where the last read left it, and publishes what
/// the events of other processes changed.
fn poll(manager: &Manager, life: &Lifeline) {
    while life.alive() {
        let mut conn = match manager.establish() {
            Ok(conn) => conn,
            Err(error) => {
                tracing::warn!(%error, "cannot read the event log for other processes' changes; retrying");
                life.wait(Duration::from_secs(1));
                continue;
            }
        };
        // Kept from before the horizon is read: a commit in between is then left out too.
        if let Some(feed) = life.feed() {
            feed.keep_own(true);
        }
        // Nothing before the horizon is needed: going live forgets everything.
        let Ok(horizon) = index_feed::horizon(&mut Tx::new(&mut conn)) else {
            life.wait(Duration::from_secs(1));
            continue;
        };
        let mut cursor = index_feed::Cursor { horizon, ..Default::default() };
        let Some(live) = life.feed() else { return };
        live.set_live(true);
        drop(live);
        while life.wait(POLL) {
            let Some(feed) = life.feed() else { return };
            match event::changes_since(&mut Tx::new(&mut conn), &mut cursor, |id| feed.own(id)) {
                Ok(changes) => feed.publish(&changes),
                Err(error) => {
                    tracing::warn!(%error, "cannot read the event log");
                    feed.keep_own(false);
                    feed.set_live(false);
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{DatabaseUrl, Db};

    /// Threads of this process named `mutua-changes` (Linux names them in /proc).
    fn listener_threads() -> usize {
        let tasks = std::fs::read_dir("/proc/self/task").expect("/proc/self/task");
        tasks
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
            .filter(|name| name.trim_end() == "mutua-changes")
            .count()
    }

    /// Only this test starts listeners in this binary: the count is its own.
    #[test]
    fn dropping_the_last_db_ends_the_listener_before_it_returns() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::new(&DatabaseUrl::Sqlite(dir.path().join("changes.db").to_string_lossy().into_owned()), 2);
        db.migrate(Duration::from_secs(10)).unwrap();
        let before = listener_threads();
        db.listen_to_other_processes();
        db.listen_to_other_processes();
        let feed = db.change_feed();
        let started = std::time::Instant::now();
        while !feed.is_live() {
            assert!(started.elapsed() < Duration::from_secs(10), "the listener never went live");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(listener_threads(), before + 1, "a second call starts no second thread");
        let clone = db.clone();
        drop(db);
        assert_eq!(listener_threads(), before + 1, "a clone keeps it");
        // The feed is still held here: only the last `Db` going ends the thread. The drop
        // joins it; the kernel may still list a joined thread for a moment (its task is
        // released just after the join is woken), hence a short wait.
        drop(clone);
        let dropped = std::time::Instant::now();
        while listener_threads() != before && dropped.elapsed() < Duration::from_millis(500) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(listener_threads(), before, "gone, its connection closed, when the drop returns");
        drop(feed);
    }
}
