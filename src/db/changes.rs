//! Telling the caches of every process what committed writes changed.
//!
//! In this process, [`ChangeFeed::publish`] runs right after each commit, before the writer
//! is answered: a read that follows a write in the same process never sees the cache from
//! before it. Other processes sharing the database learn it within a fraction of a second:
//!
//! - **PostgreSQL**: each write transaction that changed something ends with
//!   `pg_notify('mutua_changes', …)`, delivered by the server exactly when it commits; every
//!   process listens on a connection of its own ([`listen_postgres`]). A notification names
//!   the feed it comes from, so a process does not forget again, a fraction of a second
//!   later, what it already forgot at its own commit.
//! - **SQLite**: commits happen one at a time and event ids only grow, so reading the event
//!   log after the last id seen misses nothing ([`poll_sqlite`]); every change of a pool or of
//!   a user's access records an event. The writer tells the feed the ids of the events it
//!   committed ([`ChangeFeed::committed_here`]), and the poll leaves them out: this process
//!   forgot what they changed at their commit already.
//!
//! While a process cannot be sure to hear the others (the listener not connected yet, or
//! reconnecting), [`ChangeFeed::is_live`] is false and caches must not be used.

use std::{
    collections::BTreeSet,
    sync::{
        Arc, Mutex, RwLock, Weak,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use diesel::{Connection, PgConnection, RunQueryDsl, connection::SimpleConnection, sql_types::Text};

use super::{
    connection::{DbConnection, Manager},
    models::event,
    unit::{Changes, Tx},
};

/// The channel of PostgreSQL notifications.
const CHANNEL: &str = "mutua_changes";
/// How often other processes' changes are looked for.
const POLL: Duration = Duration::from_millis(100);
/// How long dropping a [`Listener`] waits for its thread to close its connection.
const STOP_PATIENCE: Duration = Duration::from_secs(2);
/// NOTIFY payloads must stay below 8000 bytes; beyond, "everything changed" is sent.
const MAX_PAYLOAD: usize = 7_000;

type Subscriber = Box<dyn Fn(&Changes) + Send + Sync>;

/// Where committed changes are announced to this process's caches.
pub struct ChangeFeed {
    subscribers: RwLock<Vec<Subscriber>>,
    live: AtomicBool,
    /// Names this feed in its PostgreSQL notifications: random, since two instances in
    /// containers often share a process id.
    origin: u64,
    /// The events this process committed that its SQLite poll has not read past yet, which
    /// the poll leaves out; `None` while no poll runs (nothing is kept then).
    own: Mutex<Option<BTreeSet<i64>>>,
}

impl Default for ChangeFeed {
    fn default() -> Self {
        Self {
            subscribers: RwLock::default(),
            live: AtomicBool::new(false),
            origin: rand::random(),
            own: Mutex::new(None),
        }
    }
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

    /// Notes the ids of events this process has just committed (the SQLite writer, before it
    /// publishes what they changed): the poll of the event log leaves them out.
    pub(super) fn committed_here(&self, events: Vec<i64>) {
        if let Some(own) = self.own.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            own.extend(events);
        }
    }

    /// This process's events beyond `cursor` (a copy: the writer adds to them meanwhile).
    fn own_after(&self, cursor: i64) -> BTreeSet<i64> {
        let own = self.own.lock().unwrap_or_else(|p| p.into_inner());
        own.as_ref().map(|own| own.range(cursor + 1..).copied().collect()).unwrap_or_default()
    }

    /// Starts (`Some`) or stops (`None`) keeping this process's events for the poll, or,
    /// once the poll has read up to `last`, forgets those up to it (`Some(last)` again).
    fn keep_own_after(&self, last: Option<i64>) {
        let mut own = self.own.lock().unwrap_or_else(|p| p.into_inner());
        match (last, own.as_mut()) {
            (None, _) => *own = None,
            (Some(last), Some(kept)) => *kept = kept.split_off(&(last + 1)),
            (Some(_), None) => *own = Some(BTreeSet::new()),
        }
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

/// The payload announcing `changes` from the feed `origin`: `o1a2b;p1,2,3;u7` (origin in
/// hexadecimal, pools, users), or `o1a2b;*` for everything.
pub(super) fn payload(origin: u64, changes: &Changes) -> String {
    let everything = format!("o{origin:x};*");
    if changes.everything {
        return everything;
    }
    let join = |ids: &std::collections::BTreeSet<i64>| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let text = format!("o{origin:x};p{};u{}", join(&changes.pools), join(&changes.users));
    if text.len() > MAX_PAYLOAD { everything } else { text }
}

/// The feed a payload comes from (if readable) and what it announces.
fn parse_payload(text: &str) -> (Option<u64>, Changes) {
    let ids = |part: Option<&str>, tag: char| -> Option<std::collections::BTreeSet<i64>> {
        let part = part?.strip_prefix(tag)?;
        part.split(',').filter(|s| !s.is_empty()).map(|s| s.parse().ok()).collect()
    };
    let mut parts = text.split(';');
    let origin = parts.next().and_then(|o| o.strip_prefix('o')).and_then(|o| u64::from_str_radix(o, 16).ok());
    let rest: Vec<&str> = parts.collect();
    let changes = match rest.as_slice() {
        ["*"] => Changes::everything(),
        [pools, users] => match (ids(Some(pools), 'p'), ids(Some(users), 'u')) {
            (Some(pools), Some(users)) => Changes { pools, users, everything: false },
            _ => Changes::everything(),
        },
        // Unreadable (another version of mutua?): forget everything rather than guess.
        _ => Changes::everything(),
    };
    (origin, changes)
}

impl ChangeFeed {
    /// Announces `changes` to the other processes when the transaction commits.
    pub(super) fn notify_postgres(&self, tx: &mut Tx<'_>, changes: &Changes) -> diesel::QueryResult<()> {
        if changes.is_empty() {
            return Ok(());
        }
        if let DbConnection::Postgres(pg) = tx.conn() {
            diesel::sql_query("SELECT pg_notify($1, $2)")
                .bind::<Text, _>(CHANNEL)
                .bind::<Text, _>(payload(self.origin, changes))
                .execute(pg)?;
        }
        Ok(())
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
pub(super) fn start(manager: Manager, postgres_url: Option<String>, feed: &Arc<ChangeFeed>) -> Option<Listener> {
    let stop = Arc::new(AtomicBool::new(false));
    let life = Lifeline { stop: stop.clone(), feed: Arc::downgrade(feed) };
    let spawned = std::thread::Builder::new().name("mutua-changes".into()).spawn(move || match postgres_url {
        Some(url) => listen_postgres(&url, &life),
        None => poll_sqlite(&manager, &life),
    });
    match spawned {
        Ok(handle) => Some(Listener { stop, thread: Some(handle) }),
        Err(error) => {
            tracing::error!(%error, "cannot start the change listener: caches stay off");
            None
        }
    }
}

fn listen_postgres(url: &str, life: &Lifeline) {
    while life.alive() {
        let listening = PgConnection::establish(url)
            .map_err(|e| e.to_string())
            .and_then(|mut pg| pg.batch_execute(&format!("LISTEN {CHANNEL}")).map(|()| pg).map_err(|e| e.to_string()));
        let mut pg = match listening {
            Ok(pg) => pg,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for other processes' changes; retrying");
                life.wait(Duration::from_secs(1));
                continue;
            }
        };
        let Some(live) = life.feed() else { return };
        live.set_live(true);
        drop(live);
        while life.wait(POLL) {
            let Some(feed) = life.feed() else { return };
            // A round trip reads what the server sent meanwhile.
            if let Err(error) = pg.batch_execute("SELECT 1") {
                tracing::warn!(%error, "lost the change listener's connection");
                feed.set_live(false);
                break;
            }
            let mut heard = Changes::default();
            for notification in pg.notifications_iter() {
                match notification {
                    Ok(n) => match parse_payload(&n.payload) {
                        // Published here at commit already.
                        (Some(origin), _) if origin == feed.origin => {}
                        (_, changes) => heard.merge(changes),
                    },
                    Err(_) => heard.everything = true,
                }
            }
            feed.publish(&heard);
        }
    }
}

fn poll_sqlite(manager: &Manager, life: &Lifeline) {
    while life.alive() {
        let mut conn = match manager.establish() {
            Ok(conn) => conn,
            Err(error) => {
                tracing::warn!(%error, "cannot read the event log for other processes' changes; retrying");
                life.wait(Duration::from_secs(1));
                continue;
            }
        };
        // Kept from before the cursor is read: a commit in between is then left out too.
        if let Some(feed) = life.feed() {
            feed.keep_own_after(Some(0));
        }
        let Ok(mut cursor) = event::last_id(&mut Tx::new(&mut conn)) else {
            life.wait(Duration::from_secs(1));
            continue;
        };
        let Some(live) = life.feed() else { return };
        live.set_live(true);
        drop(live);
        while life.wait(POLL) {
            let Some(feed) = life.feed() else { return };
            match event::changes_after(&mut Tx::new(&mut conn), cursor, &feed.own_after(cursor)) {
                Ok((changes, last)) => {
                    cursor = last.max(cursor);
                    feed.keep_own_after(Some(cursor));
                    feed.publish(&changes);
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot read the event log");
                    feed.keep_own_after(None);
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
        // The feed is still held here: only the last `Db` going ends the thread.
        drop(clone);
        assert_eq!(listener_threads(), before, "gone, its connection closed, when the drop returns");
        drop(feed);
    }

    #[test]
    fn payloads_round_trip_name_their_feed_and_overflow_to_everything() {
        let changes = Changes { pools: [1, 22, 333].into(), users: [7].into(), everything: false };
        assert_eq!(payload(0x1a2b, &changes), "o1a2b;p1,22,333;u7");
        assert_eq!(parse_payload(&payload(0x1a2b, &changes)), (Some(0x1a2b), changes));
        let none_of_users = Changes { pools: [5].into(), ..Changes::default() };
        assert_eq!(parse_payload(&payload(u64::MAX, &none_of_users)), (Some(u64::MAX), none_of_users));
        let huge = Changes { pools: (0..5_000).collect(), ..Changes::default() };
        assert_eq!(payload(3, &huge), "o3;*");
        assert_eq!(parse_payload("o3;*"), (Some(3), Changes::everything()));
        for unreadable in ["*", "garbage", "p1;u2", "o3;p1", "o3;px;u"] {
            assert!(parse_payload(unreadable).1.everything, "{unreadable}");
        }
    }
}
