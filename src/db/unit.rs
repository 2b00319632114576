//! The unit of work: a transaction handle that only this module can create.
//!
//! A request's database work runs in one transaction, begun by [`super::Db::read`] or
//! [`super::Db::write`] and nowhere else. The work receives a [`Tx`] (reads) or a
//! [`WriteTx`] (reads and writes); queries in `db::models` take one of them, and neither can
//! be built outside `db`. So a service function, which receives the handle, cannot begin a
//! transaction of its own, and a function that writes cannot be called from a read.
//!
//! The mistake this prevents, nesting a write inside a write (which on SQLite would wait
//! forever for the writer lock its own caller holds), does not compile, nor do its
//! neighbours: building a `WriteTx` outside `db` (private constructor), awaiting a second
//! unit of work inside the synchronous work closure, calling a writing query in a read.
//! Each is a case of `tests/compile_fail/`, checked by `trybuild` against the error it
//! must give (its `.stderr`), so a case that breaks for another reason fails the test. Each
//! differs from the example below, which compiles, only in the mistake:
//!
//! ```
//! async fn one_unit(db: mutua::db::Db) -> mutua::error::ApiResult<usize> {
//!     db.write(mutua::db::System, |tx, _| Ok(mutua::db::models::outbox::requeue(tx, 1, mutua::db::now())?)).await
//! }
//! ```

use std::ops::{Deref, DerefMut};

use diesel::{
    QueryResult, RunQueryDsl,
    connection::{AnsiTransactionManager, TransactionManager},
    sql_types::BigInt,
};

use super::{changes::ChangeFeed, connection::DbConnection, models::organisation::CallerOrganisation};
use crate::error::{ApiError, ApiResult};

/// An open transaction: reads. Created only by [`super::Db`].
pub struct Tx<'c> {
    conn: &'c mut DbConnection,
    /// The caller's organisation as the session check read it, in this transaction: the
    /// work reads it no second time (`models::organisation::name_and_locale`).
    caller_organisation: Option<CallerOrganisation>,
}

impl<'c> Tx<'c> {
    /// A read handle on a connection (`db` only).
    pub(super) fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn, caller_organisation: None }
    }

    /// The connection, for the queries of `db::models`.
    pub(in crate::db) fn conn(&mut self) -> &mut DbConnection {
        self.conn
    }

    pub(in crate::db) fn note_caller_organisation(&mut self, organisation: CallerOrganisation) {
        self.caller_organisation = Some(organisation);
    }

    /// The caller's organisation, if it is `id` and the session check read it.
    pub(in crate::db) fn caller_organisation(&self, id: i64) -> Option<&CallerOrganisation> {
        self.caller_organisation.as_ref().filter(|organisation| organisation.id == id)
    }
}

/// An open transaction that may write: `BEGIN IMMEDIATE` behind this process's writer queue
/// on SQLite, a read-committed transaction taking row locks on PostgreSQL. Created only by
/// [`super::Db::write`]; it reads too (it derefs to [`Tx`]).
pub struct WriteTx<'c> {
    tx: Tx<'c>,
    /// What this unit of work changed, for the caches to forget once it is committed.
    changes: Changes,
    /// Told the unit's fate ([`Self::on_fate`]).
    fates: Fates,
    /// The transaction's id on PostgreSQL, once [`Self::lock_for_post`] read it.
    xid: Option<u64>,
    /// The ids of the events this unit recorded ([`Self::note_event`]).
    events: Vec<i64>,
}

/// Callbacks told whether a unit of work committed ([`WriteTx::on_fate`]): `true` once it
/// has, `false` when it was rolled back. Dropped without [`Self::committed`] (the unit
/// failed, panicked, or its commit failed), they are told `false`: a unit never counts as
/// committed by default.
#[derive(Default)]
pub(super) struct Fates(Vec<Box<dyn FnOnce(bool) + Send>>);

impl Fates {
    /// Tells every callback that the unit committed.
    pub(super) fn committed(mut self) {
        for fate in std::mem::take(&mut self.0) {
            fate(true);
        }
    }
}

impl Drop for Fates {
    fn drop(&mut self) {
        for fate in std::mem::take(&mut self.0) {
            fate(false);
        }
    }
}

/// What committed writes changed, as far as cached reads are concerned: pools (their views)
/// and users (their sessions). Published to this process at commit, and to the other
/// processes sharing the database (see `db::changes`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub pools: std::collections::BTreeSet<i64>,
    pub users: std::collections::BTreeSet<i64>,
    /// Anything may have changed (a notification was lost): forget everything.
    pub everything: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.pools.is_empty() && self.users.is_empty() && !self.everything
    }

    pub fn merge(&mut self, other: Changes) {
        self.pools.extend(other.pools);
        self.users.extend(other.users);
        self.everything |= other.everything;
    }

    pub fn everything() -> Self {
        Self { everything: true, ..Self::default() }
    }
}

impl<'c> Deref for WriteTx<'c> {
    type Target = Tx<'c>;

    fn deref(&self) -> &Tx<'c> {
        &self.tx
    }
}

impl DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// The advisory lock key of matching on PostgreSQL ("mutua" in ASCII).
const MATCHING_LOCK_KEY: i64 = 0x6d_75_74_75_61;

/// The class of the advisory locks on a post's conflict keys ("mutu" in ASCII): the
/// two-`int4` form, a key space apart from [`MATCHING_LOCK_KEY`]'s `bigint` one.
const CONFLICT_LOCK_CLASS: i32 = 0x6d_75_74_75;

/// The query of [`WriteTx::lock_for_post`] on PostgreSQL: a row of the transaction's id
/// (`xid`) once the locks are held. Its parameters: [`post_lock_parameters`], in order.
/// -1 sorts first: the shared lock before the keys.
pub(crate) const LOCK_FOR_POST: &str = "SELECT pg_current_xact_id()::text AS xid, count(l) AS locks FROM ( \
       SELECT CASE WHEN k < 0 THEN pg_advisory_xact_lock_shared(?)::text \
                   ELSE pg_advisory_xact_lock(?, k)::text END AS l \
       FROM (SELECT DISTINCT k FROM unnest(array_append(?::int4[], -1)) k ORDER BY k) keys \
     ) locked";

/// The parameters of [`LOCK_FOR_POST`]: the matching lock's key, the conflict keys' class,
/// and the keys (31 bits each, `domain::matching::conflicts`).
pub(crate) fn post_lock_parameters(keys: &[u32]) -> (i64, i32, Vec<i32>) {
    (MATCHING_LOCK_KEY, CONFLICT_LOCK_CLASS, keys.iter().filter_map(|k| i32::try_from(*k).ok()).collect())
}

impl<'c> WriteTx<'c> {
    /// A write handle on a connection inside a write transaction (`db` only).
    pub(super) fn new(conn: &'c mut DbConnection) -> Self {
        Self { tx: Tx::new(conn), changes: Changes::default(), fates: Fates::default(), xid: None, events: Vec::new() }
    }

    /// Notes that a pool's view changed (`db::models` calls it with every write of a pool,
    /// a need, a pledge or an event of the pool).
    pub(in crate::db) fn touch_pool(&mut self, pool_id: i64) {
        self.changes.pools.insert(pool_id);
    }

    /// Notes that a user's session may have ended (disabled, password changed).
    pub(in crate::db) fn touch_user(&mut self, user_id: i64) {
        self.changes.users.insert(user_id);
    }

    pub(super) fn take_changes(&mut self) -> Changes {
        std::mem::take(&mut self.changes)
    }

    /// Notes the id of an event this unit recorded: once committed, this process's change
    /// feed does not announce it to this process a second time (`db::changes`).
    pub(in crate::db) fn note_event(&mut self, id: i64) {
        self.events.push(id);
    }

    /// The ids of the events the unit recorded and did not roll back.
    pub(super) fn take_events(&mut self) -> Vec<i64> {
        std::mem::take(&mut self.events)
    }

    /// Calls `fate` once the unit's fate is known: `true` when it committed (on SQLite,
    /// when its savepoint was released into the writer's batch: a batch that then fails to
    /// commit is counted by [`super::Db::failed_batches`]), `false` when it was rolled back
    /// (an error, a panic, a failed commit). Memory a unit changes ahead of its commit (the
    /// matcher's index) is kept or undone here.
    pub fn on_fate(&mut self, fate: impl FnOnce(bool) + Send + 'static) {
        self.fates.0.push(Box::new(fate));
    }

    pub(super) fn take_fates(&mut self) -> Fates {
        std::mem::take(&mut self.fates)
    }

    /// Whether other write transactions run beside this one: on PostgreSQL, where each
    /// unit of work writes on a connection of its own; not on SQLite, where the writer
    /// runs one unit at a time.
    pub fn beside_other_writers(&mut self) -> bool {
        matches!(self.conn(), DbConnection::Postgres(_))
    }

    /// Serialises, across processes, the writes that change what the matcher indexes (see
    /// `service::matcher`), but for posts, which take it shared ([`Self::lock_for_post`]):
    /// it waits for the posts in progress and excludes new ones. Take it first in the
    /// transaction, before any row lock, so that the lock order is the same everywhere. On
    /// SQLite the write transaction already excludes every other writer.
    pub fn lock_matching(&mut self) -> QueryResult<()> {
        if let DbConnection::Postgres(pg) = self.conn() {
            diesel::sql_query("SELECT pg_advisory_xact_lock($1)").bind::<BigInt, _>(MATCHING_LOCK_KEY).execute(pg)?;
        }
        Ok(())
    }

    /// What a post locks instead of [`Self::lock_matching`]: on PostgreSQL the matching lock
    /// *shared* (the other changes of the index, which take it exclusive, wait for every
    /// post in progress and every post waits for them) and an exclusive lock on each of its
    /// need's conflict keys (`domain::matching::conflicts`): two posts wait for each other
    /// only when one could join the other's pool. One statement, in one order everywhere
    /// (the shared lock, then the keys ascending), so that no two posts wait in a cycle.
    /// It also reads the transaction's id, the position of the events it records
    /// ([`Self::index_position`]). On SQLite the write transaction already excludes every
    /// other writer.
    pub fn lock_for_post(&mut self, keys: &[u32]) -> QueryResult<()> {
        #[derive(diesel::QueryableByName)]
        struct Locked {
            #[diesel(sql_type = diesel::sql_types::Text)]
            xid: String,
        }
        let (matching, class, keys) = post_lock_parameters(keys);
        let DbConnection::Postgres(pg) = self.conn() else { return Ok(()) };
        let locked: Locked = super::prepared(LOCK_FOR_POST)
            .bind::<BigInt, _>(matching)
            .bind::<diesel::sql_types::Integer, _>(class)
            .bind::<diesel::sql_types::Array<diesel::sql_types::Integer>, _>(keys)
            .get_result(pg)?;
        self.locked_for_post(&locked.xid)
    }

    /// Notes that a statement of [`LOCK_FOR_POST`] ran in this unit (in another statement:
    /// `models::need::insert_locking_for_post`), with the transaction id it read.
    pub(crate) fn locked_for_post(&mut self, xid: &str) -> QueryResult<()> {
        let xid =
            xid.parse().map_err(|e| diesel::result::Error::DeserializationError(format!("xid8 {xid}: {e}").into()))?;
        self.xid = Some(xid);
        Ok(())
    }

    /// The position in the matcher's feed (`db::models::index_feed`) of an event this unit
    /// recorded: its transaction's id on PostgreSQL (read by [`Self::lock_for_post`]), its
    /// own id on SQLite.
    pub fn index_position(&self, event_id: i64) -> u64 {
        self.xid.unwrap_or(event_id as u64)
    }
}

/// Whom a unit of work runs for. [`super::Db`] calls [`Caller::admit`] first, in the same
/// transaction as the work, so that a session ended a moment ago (a disabled user, a changed
/// password) cannot slip a change in. `auth` implements it for a signed-in user; `db` does
/// not know what a session is.
pub trait Caller: Send + Sync + 'static {
    fn admit(&self, tx: &mut Tx<'_>) -> ApiResult<()>;
}

/// The service itself: the mail worker, the expiry job, the bootstrap, the command line,
/// and requests made before anyone is signed in (a login).
#[derive(Clone, Copy, Debug)]
pub struct System;

impl Caller for System {
    fn admit(&self, _tx: &mut Tx<'_>) -> ApiResult<()> {
        Ok(())
    }
}

/// How a transaction begins on each backend.
#[derive(Clone, Copy)]
pub(super) enum Mode {
    /// One snapshot for the whole work (PostgreSQL: repeatable read, read only; SQLite: a
    /// deferred transaction, whose first read fixes the snapshot in WAL mode).
    Read,
    Write,
}

impl Mode {
    fn begin_sql(self, postgres: bool) -> &'static str {
        match (self, postgres) {
            (Mode::Read, true) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            (Mode::Read, false) => "BEGIN",
            (Mode::Write, true) => "BEGIN",
            (Mode::Write, false) => "BEGIN IMMEDIATE",
        }
    }
}

/// Runs `work` in a transaction of `mode` on `conn`: committed when it returns `Ok`, rolled
/// back otherwise.
pub(super) fn run_read<T>(conn: &mut DbConnection, work: impl FnOnce(&mut Tx<'_>) -> ApiResult<T>) -> ApiResult<T> {
    in_transaction(conn, Mode::Read, |conn| work(&mut Tx::new(conn)))
}

/// What a committed unit of work changed, and the ids of the events it recorded.
pub(super) struct Committed {
    pub(super) changes: Changes,
    pub(super) events: Vec<i64>,
}

/// Runs `work` in a write transaction (PostgreSQL: on a pooled connection of its own).
/// The ids of the events it recorded are noted in `feed` before the commit
/// ([`ChangeFeed::committing`]), and forgotten if the commit fails.
pub(super) fn run_write<T>(
    conn: &mut DbConnection,
    feed: &ChangeFeed,
    work: impl FnOnce(&mut WriteTx<'_>) -> ApiResult<T>,
) -> ApiResult<(T, Committed)> {
    let mut noted = Vec::new();
    let outcome = in_transaction(conn, Mode::Write, |conn| {
        let mut tx = WriteTx::new(conn);
        let value = work(&mut tx)?;
        let committed = Committed { changes: tx.take_changes(), events: tx.take_events() };
        feed.committing(&committed.events);
        noted.clone_from(&committed.events);
        Ok((value, committed, tx.take_fates()))
    });
    let (value, committed, fates) = outcome.inspect_err(|_| feed.not_committed(&noted))?;
    fates.committed();
    Ok((value, committed))
}

fn in_transaction<T>(
    conn: &mut DbConnection,
    mode: Mode,
    work: impl FnOnce(&mut DbConnection) -> ApiResult<T>,
) -> ApiResult<T> {
    let begin = mode.begin_sql(matches!(conn, DbConnection::Postgres(_)));
    on_backend(
        conn,
        |c| AnsiTransactionManager::begin_transaction_sql(c, begin),
        |c| AnsiTransactionManager::begin_transaction_sql(c, begin),
    )?;
    match work(conn) {
        Ok(value) => {
            on_backend(conn, AnsiTransactionManager::commit_transaction, AnsiTransactionManager::commit_transaction)?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = on_backend(
                conn,
                AnsiTransactionManager::rollback_transaction,
                AnsiTransactionManager::rollback_transaction,
            ) {
                // The work's error is the one to answer; a connection that cannot roll back
                // is broken and will be dropped by the pool.
                tracing::warn!(%rollback, "rollback failed");
            }
            Err(error)
        }
    }
}

/// Calls the transaction manager of the connection's own backend: diesel's multi-backend
/// connection has its own manager, which cannot begin a transaction with given SQL.
fn on_backend(
    conn: &mut DbConnection,
    postgres: impl FnOnce(&mut diesel::PgConnection) -> QueryResult<()>,
    sqlite: impl FnOnce(&mut diesel::SqliteConnection) -> QueryResult<()>,
) -> Result<(), ApiError> {
    Ok(match conn {
        DbConnection::Postgres(c) => postgres(c),
        DbConnection::Sqlite(c) => sqlite(c),
    }?)
}
