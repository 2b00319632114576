//! Connections: one type over SQLite and PostgreSQL, chosen from the URL scheme, and the
//! pool that lends them.

use diesel::{
    connection::SimpleConnection,
    prelude::*,
    r2d2::{self, ManageConnection, R2D2Connection},
};

use super::DatabaseUrl;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Settings applied to every SQLite connection the pool opens: WAL so readers never wait for
/// the writer, enforced foreign keys, and a busy timeout so writers queue instead of failing.
/// Temporary files in memory: the writer runs each unit of a group commit in a savepoint,
/// whose statement journal (the pages as they were before the unit) otherwise spills to a
/// temporary file past 64 KiB, a write system call per page for nothing durable; it lives
/// only until the batch commits.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
     PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;";

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
/// PostgreSQL restart) fails every query, and diesel cannot tell; [`super::Db`] marks it when
/// its work ends in [`crate::error::ApiError::Unavailable`], and the pool then drops it instead of
/// lending it again. This replaces a `SELECT 1` before every use, a round trip per request.
pub struct Conn {
    pub(super) inner: DbConnection,
    pub(super) broken: bool,
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
pub struct PooledConn(pub(super) r2d2::PooledConnection<Manager>);

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
