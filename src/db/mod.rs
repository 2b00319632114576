//! Persistence: one connection type over SQLite and PostgreSQL, a pool, migrations, every
//! query (`models`), and the one way to run database work ([`Db::read`], [`Db::write`]).
//!
//! The backend is chosen from the URL scheme, never by trying each one. Queries are
//! written once against diesel's `MultiConnection`; the few places that need a backend's own
//! SQL (transaction modes, the advisory lock) are in this module and nowhere else.
//!
//! ```text
//! route ──▶ Db::read / Db::write ──▶ caller.admit(tx) ──▶ work(tx) ──▶ COMMIT (or ROLLBACK)
//!           (blocking pool,           (session check,      (service
//!            one connection,           same transaction)    functions,
//!            one transaction)                               db::models queries)
//! ```

mod changes;
mod connection;
pub mod models;
mod prepared;
pub mod schema;
mod types;
mod unit;
mod url;
mod writer;

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use diesel::r2d2;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub use changes::ChangeFeed;
pub use connection::{DbConnection, PooledConn};
pub use prepared::{Prepared, prepared};
pub use unit::{Caller, Changes, System, Tx, WriteTx};
pub(crate) use unit::{LOCK_FOR_POST, post_lock_parameters};
pub use url::DatabaseUrl;

use crate::error::{ApiError, ApiResult};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// How long a unit of work waits for a connection before the request is answered 503.
const CONNECTION_WAIT: Duration = Duration::from_secs(5);

/// The pool, and the entry points that run a unit of work on it.
#[derive(Clone)]
pub struct Db {
    url: DatabaseUrl,
    pool: connection::Pool,
    /// SQLite's writer thread (group commit); `None` on PostgreSQL, where each unit of work
    /// writes on its own pooled connection and the server groups commits itself.
    writer: Option<writer::Writer>,
    /// What committed writes changed, for the caches (see [`changes`]).
    feed: Arc<ChangeFeed>,
    /// The thread hearing other processes, stopped and waited for when the last clone of
    /// this `Db` goes (see [`changes::Listener`]).
    listener: Arc<std::sync::OnceLock<changes::Listener>>,
    /// One permit a pooled connection: units of work take connections in the order they
    /// came ([`Self::on_connection`]).
    turns: Arc<tokio::sync::Semaphore>,
    /// How many units wait for their turn now (`db_pool_waiting`).
    waiting: Arc<std::sync::atomic::AtomicUsize>,
}

impl Db {
    /// Builds the pool without waiting for the database, so that a process started while
    /// PostgreSQL is down still serves `/health` and recovers when it comes back.
    ///
    /// Connections are not checked when taken from the pool (a round trip per request):
    /// one that broke is dropped when its failure is seen.
    pub fn new(url: &DatabaseUrl, size: u32) -> Self {
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .connection_timeout(CONNECTION_WAIT)
            .test_on_check_out(false)
            .build_unchecked(connection::Manager::new(url.clone()));
        let feed = Arc::new(ChangeFeed::default());
        let writer = match url {
            DatabaseUrl::Sqlite(_) => Some(writer::Writer::start(connection::Manager::new(url.clone()), feed.clone())),
            DatabaseUrl::Postgres(_) => None,
        };
        let turns = Arc::new(tokio::sync::Semaphore::new(size as usize));
        Self { url: url.clone(), pool, writer, feed, listener: Arc::default(), turns, waiting: Arc::default() }
    }

    /// Where this process hears what committed writes changed.
    pub fn change_feed(&self) -> Arc<ChangeFeed> {
        self.feed.clone()
    }

    /// Starts hearing the changes committed by other processes sharing the database (a
    /// thread polling the event log, that lives as long as this `Db` and its clones:
    /// dropping the last waits for it to close its connection); until it has read the log,
    /// [`ChangeFeed::is_live`] is false. A second call starts nothing.
    pub fn listen_to_other_processes(&self) {
        if self.listener.get().is_some() {
            return;
        }
        if let Some(listener) = changes::start(connection::Manager::new(self.url.clone()), &self.feed) {
            // Lost a race with another call: this one's thread is stopped at once.
            let _ = self.listener.set(listener);
        }
    }

    pub fn state(&self) -> r2d2::State {
        self.pool.state()
    }

    /// How many units of work wait for their turn at a connection now.
    pub fn waiting_for_connections(&self) -> usize {
        self.waiting.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The most connections the pool opens.
    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// Runs `work` for `caller` in one read transaction (one snapshot), after
    /// [`Caller::admit`] in the same transaction. On the blocking thread pool.
    pub async fn read<C, T, F>(&self, caller: C, work: F) -> ApiResult<T>
    where
        C: Caller,
        T: Send + 'static,
        F: FnOnce(&mut Tx<'_>, &C) -> ApiResult<T> + Send + 'static,
    {
        self.on_connection(move |conn| {
            unit::run_read(conn, |tx| {
                caller.admit(tx)?;
                work(tx, &caller)
            })
        })
        .await
    }

    /// Runs `work` for `caller` in one write transaction, after [`Caller::admit`] in the
    /// same transaction. Either all of it is committed — the change, its audit event, its
    /// outbox rows — or none; the answer comes once it is committed.
    ///
    /// On SQLite the unit of work runs on the database's writer thread, committed together
    /// with whatever else queued meanwhile (see [`writer`]); on PostgreSQL on a pooled
    /// connection of its own.
    pub async fn write<C, T, F>(&self, caller: C, work: F) -> ApiResult<T>
    where
        C: Caller,
        T: Send + 'static,
        F: FnOnce(&mut WriteTx<'_>, &C) -> ApiResult<T> + Send + 'static,
    {
        let unit = move |tx: &mut WriteTx<'_>| {
            caller.admit(tx)?;
            work(tx, &caller)
        };
        match &self.writer {
            Some(writer) => writer.submit(unit).await,
            None => {
                let feed = self.feed.clone();
                let (value, committed) = self.on_connection(move |conn| unit::run_write(conn, &feed, unit)).await?;
                self.feed.publish(&committed.changes);
                Ok(value)
            }
        }
    }

    /// Whether units of work write side by side (PostgreSQL), rather than one at a time on
    /// the writer thread (SQLite).
    pub fn writes_in_parallel(&self) -> bool {
        self.writer.is_none()
    }

    /// How many write batches failed to commit after their units ran (SQLite): state kept in
    /// memory from inside those units is to be rebuilt.
    pub fn failed_batches(&self) -> u64 {
        self.writer.as_ref().map_or(0, |w| w.stats().failed_batches.load(std::sync::atomic::Ordering::Acquire))
    }

    /// Runs `work` on the blocking thread pool with a pooled connection, in its turn;
    /// marks the connection broken when the work found the database unreachable.
    ///
    /// Units wait for a connection in the order they came (a fair semaphore, one permit a
    /// connection), holding no thread while they wait, up to [`CONNECTION_WAIT`]. Left to
    /// the pool, every waiting unit held a blocking thread parked on it (the threads that
    /// hash passwords and run every other unit), and one that came as a connection was
    /// returned could take it ahead of those already waiting: under load on PostgreSQL,
    /// the slowest posts (p99) waited about twice as long as the mean.
    async fn on_connection<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        let turn = {
            // Counted down however the wait ends: with a turn, after 5 s, or dropped (a
            // client that went away).
            let _waiting = Waiting::count(&self.waiting);
            tokio::time::timeout(CONNECTION_WAIT, self.turns.clone().acquire_owned()).await
        };
        let turn = match turn {
            Ok(turn) => turn.map_err(|e| ApiError::Internal(e.into()))?,
            Err(_) => {
                tracing::warn!("no database connection: every one stayed taken");
                return Err(ApiError::Unavailable);
            }
        };
        let db = self.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let _entered = span.enter();
            let mut conn = db.connection()?;
            let outcome = work(&mut conn);
            if matches!(outcome, Err(ApiError::Unavailable)) {
                conn.0.broken = true;
            }
            outcome
        })
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("database task failed: {e}")))?
    }

    fn connection(&self) -> ApiResult<PooledConn> {
        self.pool.get().map(PooledConn).map_err(|error| {
            tracing::warn!(%error, "no database connection");
            ApiError::Unavailable
        })
    }

    /// A bare connection, outside any unit of work: for tests that prepare a situation
    /// (a deadline in the past) and for tools. The service itself never uses it.
    pub fn raw_connection(&self) -> ApiResult<PooledConn> {
        self.connection()
    }

    /// Applies pending migrations; waits for the database up to `patience`.
    pub fn migrate(&self, patience: Duration) -> anyhow::Result<()> {
        let started = std::time::Instant::now();
        let mut conn = loop {
            match self.pool.get() {
                Ok(conn) => break PooledConn(conn),
                Err(e) if started.elapsed() < patience => {
                    tracing::warn!(error = %e, "database not reachable yet; retrying");
                    std::thread::sleep(Duration::from_millis(500));
                }
                Err(e) => return Err(e).context("cannot connect to the database"),
            }
        };
        let applied = match &mut *conn {
            DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        }
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        tracing::info!(applied, "database schema up to date");
        Ok(())
    }
}

/// The current time as stored in the database (UTC, microseconds, no time zone).
pub fn now() -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let now = chrono::Utc::now().naive_utc();
    // Both backends keep microseconds; truncating here makes a value read back equal to
    // the value written.
    now.with_nanosecond(now.nanosecond() / 1000 * 1000).unwrap_or(now)
}

/// Whether the database answers (`GET /ready`).
pub fn ping(tx: &mut Tx<'_>) -> diesel::QueryResult<()> {
    use diesel::connection::SimpleConnection;
    tx.conn().batch_execute("SELECT 1")
}

/// One unit counted among those waiting for a connection while it lives.
struct Waiting<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> Waiting<'a> {
    fn count(waiting: &'a std::sync::atomic::AtomicUsize) -> Self {
        waiting.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self(waiting)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{DatabaseUrl, Db, System};

    /// Units waiting for a connection hold no thread: with every connection taken and a
    /// queue of units behind it, other blocking work (a password's hash) still runs, on a
    /// runtime of two blocking threads.
    #[test]
    fn units_waiting_for_a_connection_leave_the_blocking_threads_free() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let url = DatabaseUrl::Sqlite(dir.path().join("turns.db").to_string_lossy().into_owned());
            let db = Db::new(&url, 1);
            let (release, held) = std::sync::mpsc::channel::<()>();
            let (entered, holding) = tokio::sync::oneshot::channel::<()>();
            let holder = tokio::spawn({
                let db = db.clone();
                async move {
                    db.read(System, move |_, _| {
                        entered.send(()).unwrap();
                        held.recv().unwrap();
                        Ok(())
                    })
                    .await
                }
            });
            holding.await.unwrap();
            let waiting: Vec<_> = (0..4)
                .map(|i| {
                    let db = db.clone();
                    tokio::spawn(async move { db.read(System, move |_, _| Ok(i)).await })
                })
                .collect();
            tokio::time::sleep(Duration::from_millis(100)).await;
            assert_eq!(db.waiting_for_connections(), 4, "the units waiting, counted");
            let other = tokio::time::timeout(Duration::from_secs(2), tokio::task::spawn_blocking(|| 42)).await;
            assert_eq!(other.ok().map(Result::unwrap), Some(42), "the blocking threads were all taken");
            release.send(()).unwrap();
            holder.await.unwrap().unwrap();
            for (i, unit) in waiting.into_iter().enumerate() {
                assert_eq!(unit.await.unwrap().unwrap(), i);
            }
            assert_eq!(db.waiting_for_connections(), 0);
        });
    }
}
