//! SQLite's writer, with group commit.
//!
//! SQLite has one writer at a time, and with `synchronous = FULL` every commit waits for the
//! disk (an fsync). One thread per database owns the write connection and runs the units of
//! work sent to it, in arrival order. Whatever has queued while it waited for the disk is run
//! as one batch: one `BEGIN IMMEDIATE`, each unit of work in its own savepoint (a unit that
//! fails is rolled back alone and answered at once), one `COMMIT` — one fsync for the whole
//! batch, as databases do for concurrent commits. A unit's answer is delivered only after
//! that `COMMIT` returned, so nothing acknowledged can be lost (a `kill -9` right after a 201
//! keeps the row), and units that succeeded see their batch's fate: committed, or an error.
//!
//! Queuing here, rather than in SQLite's busy handler, also keeps writers in arrival order
//! (the busy handler sleeps and retries with growing delays: under 32 concurrent writers that
//! gave p99 latencies above a second).

use std::{
    panic::AssertUnwindSafe,
    sync::{
        Arc,
        atomic::{AtomicU8, AtomicU64, Ordering},
        mpsc,
    },
    time::Duration,
};

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};

use super::{
    changes::ChangeFeed,
    connection::Manager,
    unit::{Changes, WriteTx},
};
use crate::{
    db::connection::DbConnection,
    error::{ApiError, ApiResult},
};

/// The most units of work committed together.
const MAX_BATCH: usize = 64;

/// How long a unit of work waits for its turn before giving up with 503 (it is then never
/// run). Writes take milliseconds; a wait this long means the disk or a unit is stuck.
pub(super) const PATIENCE: Duration = Duration::from_secs(30);

/// What the writer does with a unit of work: run it inside the batch's transaction (and
/// answer it once the batch's fate is known), or refuse it with an error.
type Run = Box<dyn FnOnce(Step<'_, '_>) -> Result<Deliver, ()> + Send>;

enum Step<'a, 'c> {
    Run(&'a mut WriteTx<'c>),
    Refuse(ApiError),
}
/// Delivers a successful unit's answer: its value if the batch committed, else the error.
type Deliver = Box<dyn FnOnce(Result<(), ApiError>) + Send>;

struct Job {
    run: Run,
    turn: Arc<Turn>,
}

/// A unit of work's place in the queue: the writer starts it only if its caller is still
/// waiting, and the caller gives up only if it has not started.
#[derive(Default)]
struct Turn(AtomicU8);

const QUEUED: u8 = 0;
const STARTED: u8 = 1;
const ABANDONED: u8 = 2;

impl Turn {
    fn start(&self) -> bool {
        self.0.compare_exchange(QUEUED, STARTED, Ordering::AcqRel, Ordering::Acquire).is_ok()
    }

    fn abandon(&self) -> bool {
        self.0.compare_exchange(QUEUED, ABANDONED, Ordering::AcqRel, Ordering::Acquire).is_ok()
    }
}

/// The handle to a database's writer thread (cloned with the [`super::Db`]).
#[derive(Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
    stats: Arc<Stats>,
}

/// What the writer has done, for metrics and tests.
#[derive(Default, Debug)]
pub struct Stats {
    /// Units of work handed to the writer.
    pub submitted: AtomicU64,
    /// Units of work committed.
    pub committed: AtomicU64,
    /// Transactions committed (each holding one or more units).
    pub commits: AtomicU64,
    /// Batches whose `COMMIT` failed: what they wrote is gone although their units ran, so
    /// in-memory state built from their uncommitted writes (the matcher's index) must be
    /// rebuilt from the database.
    pub failed_batches: AtomicU64,
}

impl Writer {
    /// Starts the writer thread of the SQLite database `manager` opens. The connection is
    /// opened on first use and again after it fails.
    pub(super) fn start(manager: Manager, feed: Arc<ChangeFeed>) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let stats = Arc::new(Stats::default());
        let counted = stats.clone();
        // The thread holds the feed weakly: it outlives no `Db`.
        let feed = Arc::downgrade(&feed);
        let spawned = std::thread::Builder::new()
            .name("mutua-sqlite-writer".into())
            .spawn(move || run_writer(&manager, &queue, &counted, &feed));
        if let Err(error) = spawned {
            // Without the thread every write answers 503 after its patience: visible, and
            // the process is unusable anyway when it cannot start a thread.
            tracing::error!(%error, "cannot start the SQLite writer thread");
        }
        Self { jobs, stats }
    }

    pub(super) fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Runs `work` in the next batch and returns its value once the batch has committed.
    pub(super) async fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut WriteTx<'_>) -> ApiResult<T> + Send + 'static,
    ) -> ApiResult<T> {
        let (answer, answered) = tokio::sync::oneshot::channel::<ApiResult<T>>();
        let span = tracing::Span::current();
        let run: Run = Box::new(move |step| {
            let _entered = span.enter();
            let tx = match step {
                Step::Run(tx) => tx,
                Step::Refuse(error) => {
                    let _ = answer.send(Err(error));
                    return Err(());
                }
            };
            // A unit that fails is undone in memory (its fate callbacks told) before its
            // caller hears of it, so that a read after the error never sees what it did.
            match std::panic::catch_unwind(AssertUnwindSafe(|| work(tx))) {
                Ok(Ok(value)) => Ok(Box::new(move |batch: Result<(), ApiError>| {
                    let _ = answer.send(batch.map(|()| value));
                }) as Deliver),
                Ok(Err(error)) => {
                    drop(tx.take_fates());
                    let _ = answer.send(Err(error));
                    Err(())
                }
                Err(panic) => {
                    drop(tx.take_fates());
                    std::panic::resume_unwind(panic)
                }
            }
        });
        let turn = Arc::new(Turn::default());
        self.jobs.send(Job { run, turn: turn.clone() }).map_err(|_| {
            tracing::error!("the SQLite writer thread is gone");
            ApiError::Unavailable
        })?;
        self.stats.submitted.fetch_add(1, Ordering::AcqRel);
        let mut answered = answered;
        match tokio::time::timeout(PATIENCE, &mut answered).await {
            Ok(outcome) => outcome.unwrap_or_else(|_| Err(internal("the writer dropped a unit of work"))),
            Err(_) if turn.abandon() => {
                tracing::error!("no turn to write after {PATIENCE:?}");
                Err(ApiError::Unavailable)
            }
            // It started just now: its answer follows.
            Err(_) => answered.await.unwrap_or_else(|_| Err(internal("the writer dropped a unit of work"))),
        }
    }
}

fn internal(what: &str) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("{what}"))
}

fn run_writer(manager: &Manager, queue: &mpsc::Receiver<Job>, stats: &Stats, feed: &std::sync::Weak<ChangeFeed>) {
    let mut connection: Option<DbConnection> = None;
    // Dropped with this thread, which ends the checkpointer's.
    let checkpoints = start_checkpointer(manager.clone());
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let conn = match connection.take().map_or_else(|| establish_writer(manager, checkpoints.is_some()), Ok) {
            Ok(conn) => connection.insert(conn),
            Err(error) => {
                tracing::error!(%error, "the SQLite writer cannot open the database");
                refuse(batch, || ApiError::Unavailable);
                continue;
            }
        };
        match run_batch(conn, batch, stats, feed) {
            Ok(()) => {
                if let Some(checkpoints) = &checkpoints {
                    // One pending request is enough: the checkpoint copies whatever is there.
                    let _ = checkpoints.try_send(());
                }
            }
            Err(BatchFailed { broken }) => {
                stats.failed_batches.fetch_add(1, Ordering::AcqRel);
                if broken {
                    connection = None;
                }
            }
        }
    }
}

/// The writer's connection. With a checkpointer ([`start_checkpointer`]), it checkpoints
/// the WAL itself only once it holds [`WRITER_CHECKPOINT_PAGES`]: the checkpointer copies
/// pages while the writer goes on appending, so the WAL is rarely all copied at the moment
/// the next write begins, which is when SQLite starts it again from its beginning. The
/// writer's own checkpoint, between two of its writes, then finds little left to copy and
/// lets the next write start the WAL again: its size stays bounded whatever the load.
fn establish_writer(manager: &Manager, checkpointer: bool) -> diesel::ConnectionResult<DbConnection> {
    let mut conn = manager.establish()?;
    if checkpointer {
        conn.batch_execute(&format!("PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES}"))
            .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
    }
    Ok(conn)
}

/// WAL pages (4 KiB each) at which the writer checkpoints in spite of the checkpointer:
/// 16 MiB, against SQLite's 1 000 pages when the writer does all the copying.
const WRITER_CHECKPOINT_PAGES: u32 = 4_096;

/// Least time between two checkpoints: each copies whatever committed since the last.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// Checkpoints the WAL (copies committed pages into the database file) on a thread of its
/// own, after commits, at most every [`CHECKPOINT_EVERY`]. Left to SQLite, the committing
/// connection does it every 1 000 pages, inside the writer: a post then waited for another
/// batch's pages to be copied and the database file synced (about 15% of the posts a second
/// in the benchmark). `PASSIVE`: it never waits for, nor blocks, readers or the writer.
/// Durability is the WAL's, synced at each commit; a checkpoint only bounds its size.
fn start_checkpointer(manager: Manager) -> Option<mpsc::SyncSender<()>> {
    let (requests, requested) = mpsc::sync_channel::<()>(1);
    let spawned = std::thread::Builder::new().name("mutua-sqlite-checkpoint".into()).spawn(move || {
        let mut connection: Option<DbConnection> = None;
        while requested.recv().is_ok() {
            let conn = match connection.take().map_or_else(|| manager.establish(), Ok) {
                Ok(conn) => connection.insert(conn),
                Err(error) => {
                    tracing::warn!(%error, "the SQLite checkpointer cannot open the database");
                    std::thread::sleep(CHECKPOINT_EVERY);
                    continue;
                }
            };
            if let Err(error) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE)") {
                tracing::warn!(%error, "WAL checkpoint failed");
                connection = None;
            }
            std::thread::sleep(CHECKPOINT_EVERY);
        }
    });
    match spawned {
        Ok(_) => Some(requests),
        Err(error) => {
            tracing::error!(%error, "cannot start the SQLite checkpointer: the writer checkpoints");
            None
        }
    }
}

struct BatchFailed {
    broken: bool,
}

/// One transaction for the batch; a savepoint per unit of work.
fn run_batch(
    conn: &mut DbConnection,
    batch: Vec<Job>,
    stats: &Stats,
    feed: &std::sync::Weak<ChangeFeed>,
) -> Result<(), BatchFailed> {
    let DbConnection::Sqlite(sqlite) = conn else {
        refuse(batch, || internal("the SQLite writer holds a PostgreSQL connection"));
        return Err(BatchFailed { broken: true });
    };
    if let Err(error) = AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE") {
        let error = ApiError::from(error);
        tracing::warn!(%error, "the SQLite writer cannot begin");
        let broken = matches!(error, ApiError::Unavailable);
        refuse(batch, || match &error {
            ApiError::Busy => ApiError::Busy,
            _ => ApiError::Unavailable,
        });
        return Err(BatchFailed { broken });
    }
    let mut delivers: Vec<Deliver> = Vec::with_capacity(batch.len());
    let mut changes = Changes::default();
    let mut events = Vec::new();
    for job in batch {
        if !job.turn.start() {
            continue;
        }
        if let Some(Released { deliver, changes: changed, events: recorded }) = run_in_savepoint(conn, job.run) {
            delivers.push(deliver);
            changes.merge(changed);
            events.extend(recorded);
        }
    }
    let DbConnection::Sqlite(sqlite) = conn else { return Err(BatchFailed { broken: true }) };
    let feed = feed.upgrade();
    if let Some(feed) = &feed {
        feed.committing(&events);
    }
    match AnsiTransactionManager::commit_transaction(sqlite) {
        Ok(()) => {
            // Counted and announced before anyone is answered: an answer implies both, so a
            // read after a write never sees the cache from before it.
            stats.commits.fetch_add(1, Ordering::AcqRel);
            stats.committed.fetch_add(delivers.len() as u64, Ordering::AcqRel);
            if let Some(feed) = &feed {
                feed.publish(&changes);
            }
            for deliver in delivers {
                deliver(Ok(()));
            }
            Ok(())
        }
        Err(error) => {
            tracing::error!(%error, units = delivers.len(), "a write batch could not commit: none of it happened");
            let _ = AnsiTransactionManager::rollback_transaction(sqlite);
            if let Some(feed) = &feed {
                feed.not_committed(&events);
            }
            for deliver in delivers {
                deliver(Err(ApiError::Unavailable));
            }
            Err(BatchFailed { broken: true })
        }
    }
}

/// A unit of work whose savepoint was released into the batch: its answer, what it changed,
/// and the ids of the events it recorded.
struct Released {
    deliver: Deliver,
    changes: Changes,
    events: Vec<i64>,
}

/// Runs one unit of work in a savepoint: released when it succeeds, rolled back when it
/// fails or panics (its caller is answered with the error at once).
/// The unit's fate callbacks ([`WriteTx::on_fate`]) are told at the savepoint's end.
fn run_in_savepoint(conn: &mut DbConnection, run: Run) -> Option<Released> {
    let DbConnection::Sqlite(sqlite) = conn else { return None };
    if let Err(error) = AnsiTransactionManager::begin_transaction(sqlite) {
        tracing::error!(%error, "cannot open a savepoint");
        let _ = run(Step::Refuse(ApiError::from(error)));
        return None;
    }
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut tx = WriteTx::new(conn);
        run(Step::Run(&mut tx)).map(|deliver| (deliver, tx.take_changes(), tx.take_events(), tx.take_fates()))
    }));
    let DbConnection::Sqlite(sqlite) = conn else { return None };
    match outcome {
        Ok(Ok((deliver, changes, events, fates))) => match AnsiTransactionManager::commit_transaction(sqlite) {
            Ok(()) => {
                fates.committed();
                Some(Released { deliver, changes, events })
            }
            Err(error) => {
                let _ = AnsiTransactionManager::rollback_transaction(sqlite);
                deliver(Err(ApiError::from(error)));
                None
            }
        },
        Ok(Err(())) => {
            let _ = AnsiTransactionManager::rollback_transaction(sqlite);
            None
        }
        Err(_panic) => {
            // The unit's answer channel was dropped with the panic: its caller gets an
            // internal error; the others of the batch go on.
            tracing::error!("a unit of work panicked; rolled back");
            let _ = AnsiTransactionManager::rollback_transaction(sqlite);
            None
        }
    }
}

/// Answers every unit of a batch that could not run with an error.
fn refuse(batch: Vec<Job>, error: impl Fn() -> ApiError) {
    for job in batch {
        if job.turn.start() {
            let _ = (job.run)(Step::Refuse(error()));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering::Acquire;

    use diesel::{RunQueryDsl, connection::SimpleConnection};

    use crate::{
        db::{DatabaseUrl, Db, System},
        error::ApiError,
    };

    fn database() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("writer.db").to_string_lossy().into_owned());
        let db = Db::new(&url, 2);
        db.raw_connection().unwrap().batch_execute("CREATE TABLE t (v INTEGER NOT NULL)").unwrap();
        (dir, db)
    }

    fn rows(db: &Db) -> i64 {
        diesel::sql_query("SELECT count(*) AS n FROM t")
            .get_result::<Count>(&mut *db.raw_connection().unwrap())
            .unwrap()
            .n
    }

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    fn insert(tx: &mut crate::db::WriteTx<'_>, v: i64) {
        diesel::sql_query(format!("INSERT INTO t (v) VALUES ({v})")).execute(tx.conn()).unwrap();
    }

    /// The checkpointer copies the WAL off the writer, and the writer's own checkpoint
    /// bounds it: under writes without a pause, the WAL stays a fraction of what went
    /// through it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_wal_stays_bounded_under_writes_without_a_pause() {
        let (dir, db) = database();
        db.raw_connection().unwrap().batch_execute("CREATE TABLE b (blob TEXT NOT NULL)").unwrap();
        let wal = dir.path().join("writer.db-wal");
        let blob = "x".repeat(64 * 1024);
        let mut largest = 0;
        for round in 0..640 {
            let blob = blob.clone();
            db.write(System, move |tx, _| {
                insert(tx, round);
                diesel::sql_query(format!("INSERT INTO b VALUES ('{blob}')")).execute(tx.conn()).unwrap();
                Ok(())
            })
            .await
            .unwrap();
            largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
        }
        // 640 commits of 64 KiB each: 42 MB went through the WAL, which would hold all of
        // it without checkpoints; the writer's own starts it again past 16 MiB.
        assert_eq!(rows(&db), 640);
        assert!(largest < 24_000_000, "the WAL grew to {largest} bytes");
    }

    /// Units queued while the writer is busy are committed together, and each is answered.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn units_queued_meanwhile_share_one_commit() {
        let (_dir, db) = database();
        let writer = db.writer.clone().unwrap();
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (running, started) = tokio::sync::oneshot::channel::<()>();
        let first = {
            let db = db.clone();
            tokio::spawn(async move {
                db.write(System, move |tx, _| {
                    insert(tx, 0);
                    running.send(()).unwrap();
                    hold.recv().unwrap();
                    Ok(())
                })
                .await
            })
        };
        // The writer is inside the first unit: whatever is queued now waits for the next commit.
        started.await.unwrap();
        let others: Vec<_> = (1..=10)
            .map(|v| {
                let db = db.clone();
                tokio::spawn(async move {
                    db.write(System, move |tx, _| {
                        insert(tx, v);
                        Ok(())
                    })
                    .await
                })
            })
            .collect();
        while writer.stats().submitted.load(Acquire) < 11 {
            tokio::task::yield_now().await;
        }
        release.send(()).unwrap();
        first.await.unwrap().unwrap();
        for other in others {
            other.await.unwrap().unwrap();
        }
        assert_eq!(rows(&db), 11);
        assert_eq!(writer.stats().committed.load(Acquire), 11);
        assert_eq!(writer.stats().commits.load(Acquire), 2, "the ten queued units share one commit");
    }

    /// A unit that fails or panics is rolled back alone; the others of its batch commit.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_or_panicking_unit_is_rolled_back_alone() {
        let (_dir, db) = database();
        let units: Vec<_> = (0..30)
            .map(|v: i64| {
                let db = db.clone();
                tokio::spawn(async move {
                    db.write(System, move |tx, _| {
                        insert(tx, v);
                        match v % 3 {
                            0 => Err(ApiError::Conflict("refused".into())),
                            1 => panic!("a bug in unit {v}"),
                            _ => Ok(v),
                        }
                    })
                    .await
                })
            })
            .collect();
        let mut committed = 0;
        for (v, unit) in units.into_iter().enumerate() {
            match (v % 3, unit.await.unwrap()) {
                (0, Err(ApiError::Conflict(_))) | (1, Err(ApiError::Internal(_))) => {}
                (2, Ok(_)) => committed += 1,
                (kind, other) => panic!("unit {v} of kind {kind}: {other:?}"),
            }
        }
        assert_eq!(rows(&db), committed);
        // The writer is still alive.
        db.write(System, |tx, _| {
            insert(tx, 99);
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(rows(&db), committed + 1);
    }
}
