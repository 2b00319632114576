//! Persistence: one connection type over SQLite and PostgreSQL, a pool, migrations, and
//! the two transaction shapes the service uses.
//!
//! The backend is chosen from the URL scheme ([`DatabaseUrl`]), never by trying each one.
//! Queries are written once against [`DbConnection`] (diesel's `MultiConnection`); the few
//! places that need a backend's own SQL (advisory locks, `SKIP LOCKED`) match on it.

pub mod models;
pub mod schema;

use std::time::Duration;

use anyhow::Context;
use diesel::{
    connection::{AnsiTransactionManager, SimpleConnection, TransactionManager},
    prelude::*,
    r2d2::{self, ManageConnection, R2D2Connection},
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::{
    config::DatabaseUrl,
    error::{ApiError, ApiResult},
};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Settings applied to every SQLite connection the pool opens: WAL so readers never wait for
/// the writer, enforced foreign keys, and a busy timeout so writers queue instead of failing.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
     PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;";

/// Tunes the SQLite library once, before its first connection. Its defaults serialise
/// threads twice over: a global mutex around every allocation (to keep memory
/// statistics nobody reads) and a mutex per connection (for connections shared between
/// threads, which the pool never does: a connection is used by one thread at a time). Under
/// concurrent reads both turned into futex contention; without them `GET /api/v1/pools/{id}`
/// spends its time in queries, not in the kernel.
fn configure_sqlite_library() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config may be called before the library is initialised, which
        // this Once guarantees (no connection is opened before it returns); the arguments
        // are those the two options document (none; an int).
        let outcome = unsafe {
            (
                libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MULTITHREAD),
                libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0 as std::os::raw::c_int),
            )
        };
        if outcome != (libsqlite3_sys::SQLITE_OK, libsqlite3_sys::SQLITE_OK) {
            // The library was already initialised (another user in this process): keep
            // its settings, which are correct, only slower.
            tracing::debug!(?outcome, "SQLite already configured");
        }
    });
}

/// Opens connections of the backend the URL names.
#[derive(Clone, Debug)]
pub struct Manager {
    url: DatabaseUrl,
}

impl Manager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }

    pub fn establish(&self) -> ConnectionResult<DbConnection> {
        match &self.url {
            DatabaseUrl::Postgres(url) => PgConnection::establish(url).map(DbConnection::Postgres),
            DatabaseUrl::Sqlite(path) => {
                configure_sqlite_library();
                let mut conn = SqliteConnection::establish(path)?;
                conn.batch_execute(SQLITE_PRAGMAS).map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// A pooled connection, and whether it broke: a connection whose server went away (a
/// PostgreSQL restart) fails every query, and diesel cannot tell; [`Db::run`] marks it when
/// its work ends in [`ApiError::Unavailable`], and the pool then drops it instead of
/// lending it again. This replaces a `SELECT 1` before every use, a round trip per request.
pub struct Conn {
    inner: DbConnection,
    broken: bool,
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<Conn, r2d2::Error> {
        self.establish().map(|inner| Conn { inner, broken: false }).map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), r2d2::Error> {
        conn.inner.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        // A connection given back inside a transaction (a panic mid-way) is not reused.
        conn.broken || std::thread::panicking() || conn.inner.is_broken()
    }
}

/// A connection lent by the pool; derefs to [`DbConnection`].
pub struct PooledConn(r2d2::PooledConnection<Manager>);

impl std::ops::Deref for PooledConn {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        &self.0.inner
    }
}

impl std::ops::DerefMut for PooledConn {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.0.inner
    }
}

pub type Pool = r2d2::Pool<Manager>;

/// The pool, with helpers that run database work off the async executor.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    is_postgres: bool,
}

impl Db {
    /// Builds the pool without waiting for the database, so that a process started while
    /// PostgreSQL is down still serves `/health` and recovers when it comes back.
    ///
    /// Connections are not checked when taken from the pool (a round trip per request):
    /// one that broke is dropped when its failure is seen (see [`Conn`]).
    pub fn new(url: &DatabaseUrl, size: u32) -> Self {
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(5))
            .test_on_check_out(false)
            .build_unchecked(Manager::new(url.clone()));
        Self { pool, is_postgres: url.is_postgres() }
    }

    pub fn is_postgres(&self) -> bool {
        self.is_postgres
    }

    pub fn state(&self) -> r2d2::State {
        self.pool.state()
    }

    /// The most connections the pool opens.
    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// A pooled connection, or 503 when none can be had.
    pub fn conn(&self) -> ApiResult<PooledConn> {
        self.pool.get().map(PooledConn).map_err(|error| {
            tracing::warn!(%error, "no database connection");
            ApiError::Unavailable
        })
    }

    /// Runs `work` on the blocking thread pool with a pooled connection.
    pub async fn run<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let mut conn = db.conn()?;
            let outcome = work(&mut conn);
            if matches!(outcome, Err(ApiError::Unavailable)) {
                conn.0.broken = true;
            }
            outcome
        })
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("database task failed: {e}")))?
    }

    /// Runs `work` for an authenticated caller, after checking in the same blocking task
    /// that the caller's session still holds ([`crate::auth::session::check`]).
    pub async fn run_as<T, F>(&self, caller: &crate::auth::AuthUser, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &crate::auth::AuthUser) -> ApiResult<T> + Send + 'static,
    {
        let caller = caller.clone();
        self.run(move |conn| {
            crate::auth::session::check(conn, &caller)?;
            work(conn, &caller)
        })
        .await
    }

    /// [`Db::write`] for an authenticated caller: the session is checked inside the
    /// transaction.
    pub async fn write_as<T, F>(&self, caller: &crate::auth::AuthUser, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &crate::auth::AuthUser) -> ApiResult<T> + Send + 'static,
    {
        let caller = caller.clone();
        self.write(move |conn| {
            crate::auth::session::check(conn, &caller)?;
            work(conn, &caller)
        })
        .await
    }

    /// Runs `work` in one write transaction (see [`write_tx`]) on the blocking thread pool.
    pub async fn write<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
    {
        self.run(move |conn| write_tx(conn, work)).await
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

/// Runs `work` in a transaction that writes: `BEGIN IMMEDIATE` on SQLite, so that two
/// writers queue on the busy timeout instead of failing when a reader upgrades; a plain
/// transaction on PostgreSQL, where the work takes the row locks it needs
/// ([`models::pool::lock`]).
pub fn write_tx<T, F>(conn: &mut DbConnection, work: F) -> ApiResult<T>
where
    F: FnOnce(&mut DbConnection) -> ApiResult<T>,
{
    if let DbConnection::Postgres(_) = conn {
        return conn.transaction(work);
    }
    // SQLite has one writer at a time. Writers queue here, in arrival order, rather than in
    // SQLite's busy handler, which sleeps and retries with growing delays: under 32
    // concurrent writers that gave p99 latencies above a second.
    let _writer = SQLITE_WRITER.lock();
    on_sqlite(conn, |c| AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"))?;
    match work(conn) {
        Ok(value) => {
            on_sqlite(conn, AnsiTransactionManager::commit_transaction)?;
            Ok(value)
        }
        Err(error) => {
            on_sqlite(conn, AnsiTransactionManager::rollback_transaction)?;
            Err(error)
        }
    }
}

/// The queue of this process's SQLite writers. One per process rather than per database:
/// a process serves one database (tests run several apps in one process, and share it).
static SQLITE_WRITER: parking_lot::FairMutex<()> = parking_lot::const_fair_mutex(());

fn on_sqlite(conn: &mut DbConnection, op: impl FnOnce(&mut SqliteConnection) -> QueryResult<()>) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => op(c),
        DbConnection::Postgres(_) => Ok(()),
    }
}

/// The current time as stored in the database (UTC, microseconds, no time zone).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    // Both backends keep microseconds; truncating here makes a value read back equal to
    // the value written.
    now.with_nanosecond(now.nanosecond() / 1000 * 1000).unwrap_or(now)
}

use chrono::Timelike;
