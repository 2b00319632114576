//! Telling the caches of every process what committed writes changed.
//!
//! In this process, [`ChangeFeed::publish`] runs right after each commit, before the writer
//! is answered: a read that follows a write in the same process never sees the cache from
//! before it. Other processes sharing the database learn it within a fraction of a second:
//!
//! - **PostgreSQL**: each write transaction that changed something ends with
//!   `pg_notify('mutua_changes', …)`, delivered by the server exactly when it commits; every
//!   process listens on a connection of its own ([`listen_postgres`]).
//! - **SQLite**: commits happen one at a time and event ids only grow, so reading the event
//!   log after the last id seen misses nothing ([`poll_sqlite`]); every change of a pool or of
//!   a user's access records an event.
//!
//! While a process cannot be sure to hear the others (the listener not connected yet, or
//! reconnecting), [`ChangeFeed::is_live`] is false and caches must not be used.

use std::{
    sync::{
        Arc, RwLock, Weak,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
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
/// NOTIFY payloads must stay below 8000 bytes; beyond, "everything changed" is sent.
const MAX_PAYLOAD: usize = 7_000;

type Subscriber = Box<dyn Fn(&Changes) + Send + Sync>;

/// Where committed changes are announced to this process's caches.
#[derive(Default)]
pub struct ChangeFeed {
    subscribers: RwLock<Vec<Subscriber>>,
    live: AtomicBool,
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

/// The payload announcing `changes`: `p1,2,3;u7` (pools, users), or `*` for everything.
pub(super) fn payload(changes: &Changes) -> String {
    if changes.everything {
        return "*".into();
    }
    let join = |ids: &std::collections::BTreeSet<i64>| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let text = format!("p{};u{}", join(&changes.pools), join(&changes.users));
    if text.len() > MAX_PAYLOAD { "*".into() } else { text }
}

fn parse_payload(text: &str) -> Changes {
    let ids = |part: Option<&str>, tag: char| -> Option<std::collections::BTreeSet<i64>> {
        let part = part?.strip_prefix(tag)?;
        part.split(',').filter(|s| !s.is_empty()).map(|s| s.parse().ok()).collect()
    };
    let mut parts = text.split(';');
    match (ids(parts.next(), 'p'), ids(parts.next(), 'u')) {
        (Some(pools), Some(users)) => Changes { pools, users, everything: false },
        // Unreadable (another version of mutua?): forget everything rather than guess.
        _ => Changes::everything(),
    }
}

/// Announces `changes` to the other processes when the transaction commits.
pub(super) fn notify_postgres(tx: &mut Tx<'_>, changes: &Changes) -> diesel::QueryResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    if let DbConnection::Postgres(pg) = tx.conn() {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(CHANNEL)
            .bind::<Text, _>(payload(changes))
            .execute(pg)?;
    }
    Ok(())
}

/// Starts the thread that hears the other processes' changes, for as long as `feed` lives.
pub(super) fn start(manager: Manager, postgres_url: Option<String>, feed: &Arc<ChangeFeed>) {
    let feed = Arc::downgrade(feed);
    let spawned = std::thread::Builder::new().name("mutua-changes".into()).spawn(move || match postgres_url {
        Some(url) => listen_postgres(&url, &feed),
        None => poll_sqlite(&manager, &feed),
    });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start the change listener: caches stay off");
    }
}

fn listen_postgres(url: &str, feed: &Weak<ChangeFeed>) {
    while feed.strong_count() > 0 {
        let listening = PgConnection::establish(url)
            .map_err(|e| e.to_string())
            .and_then(|mut pg| pg.batch_execute(&format!("LISTEN {CHANNEL}")).map(|()| pg).map_err(|e| e.to_string()));
        let mut pg = match listening {
            Ok(pg) => pg,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for other processes' changes; retrying");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        let Some(live) = feed.upgrade() else { return };
        live.set_live(true);
        drop(live);
        loop {
            std::thread::sleep(POLL);
            let Some(feed) = feed.upgrade() else { return };
            // A round trip reads what the server sent meanwhile.
            if let Err(error) = pg.batch_execute("SELECT 1") {
                tracing::warn!(%error, "lost the change listener's connection");
                feed.set_live(false);
                break;
            }
            let mut heard = Changes::default();
            for notification in pg.notifications_iter() {
                match notification {
                    Ok(n) => heard.merge(parse_payload(&n.payload)),
                    Err(_) => heard.everything = true,
                }
            }
            feed.publish(&heard);
        }
    }
}

fn poll_sqlite(manager: &Manager, feed: &Weak<ChangeFeed>) {
    while feed.strong_count() > 0 {
        let mut conn = match manager.establish() {
            Ok(conn) => conn,
            Err(error) => {
                tracing::warn!(%error, "cannot read the event log for other processes' changes; retrying");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        let Ok(mut cursor) = event::last_id(&mut Tx::new(&mut conn)) else {
            std::thread::sleep(Duration::from_secs(1));
            continue;
        };
        let Some(live) = feed.upgrade() else { return };
        live.set_live(true);
        drop(live);
        loop {
            std::thread::sleep(POLL);
            let Some(feed) = feed.upgrade() else { return };
            match event::changes_after(&mut Tx::new(&mut conn), cursor) {
                Ok((changes, last)) => {
                    cursor = last.max(cursor);
                    feed.publish(&changes);
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot read the event log");
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

    #[test]
    fn payloads_round_trip_and_overflow_to_everything() {
        let changes = Changes { pools: [1, 22, 333].into(), users: [7].into(), everything: false };
        assert_eq!(payload(&changes), "p1,22,333;u7");
        assert_eq!(parse_payload(&payload(&changes)), changes);
        let none_of_users = Changes { pools: [5].into(), ..Changes::default() };
        assert_eq!(parse_payload(&payload(&none_of_users)), none_of_users);
        let huge = Changes { pools: (0..5_000).collect(), ..Changes::default() };
        assert_eq!(payload(&huge), "*");
        assert!(parse_payload("*").everything);
        assert!(parse_payload("garbage").everything);
    }
}
