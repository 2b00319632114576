//! The event log read by *position*, so that a reader never skips an event that commits
//! after one with a higher id: the matcher's index follows its events so
//! (`service::matcher`), and so does every process's change feed, which tells its caches
//! what other processes changed (`db::changes`, through [`super::event::changes_since`]).
//!
//! - SQLite: the position is the event's id. The writer runs one unit of work at a time, so
//!   events become visible in id order.
//! - PostgreSQL: the position is the id of the transaction that recorded the event (column
//!   `events.xid`, `pg_current_xact_id()` at insert, migration
//!   `2026-12-07-000030_events_xid`). Posts record `need.posted` side by side (each holds
//!   only the conflict keys of its need, see `WriteTx::lock_for_post`), so a higher id may
//!   commit first. The *horizon* of a read is `pg_snapshot_xmin` of the statement's own
//!   snapshot: every transaction below it has ended, so no event of a position below it can
//!   appear later; events at or above it that the read saw are applied too, and the reader
//!   remembers them as applied beyond the horizon ([`Cursor`]).
//!
//! In both, every event of a position below the horizon was visible to the read that
//! returned that horizon (in one statement on PostgreSQL; on SQLite within the transaction,
//! which no other writer changes).

use std::collections::HashMap;

use diesel::{
    prelude::*,
    sql_types::{BigInt, Nullable, Text, Timestamp},
};

use super::{
    event::{Event, StoredEvent},
    in_json::in_json,
};
use crate::{
    db::{DbConnection, Tx, schema::events},
    domain::events::EventKind,
};

/// An event of the feed with its position: read ([`Event`]) for the matcher, as stored for
/// the change feed, which reads only what it needs of each and skips what it cannot read.
pub struct Positioned<E = Event> {
    pub position: u64,
    pub event: E,
}

/// What a read of the feed found: the events of the given kinds at or after a position, in
/// the order of their positions (then ids), and the horizon below which no event can appear
/// any more.
pub struct Feed<E = Event> {
    pub events: Vec<Positioned<E>>,
    pub horizon: u64,
}

/// Where a reader stands in the feed: every event of a position below `horizon` is applied,
/// and so are those of `beyond`, at or above it, which a read saw committed (or which the
/// reader's own unit recorded) while older transactions were still running. A later read
/// starts from the horizon again and skips them.
#[derive(Clone, Default)]
pub struct Cursor {
    pub horizon: u64,
    /// Event id → position.
    pub beyond: HashMap<i64, u64>,
}

impl Cursor {
    pub fn applied(&self, event_id: i64, position: u64) -> bool {
        position < self.horizon || self.beyond.contains_key(&event_id)
    }

    /// Moves to a newer `horizon`: the events applied beyond the old one and below the new
    /// one need no remembering any more.
    pub fn advance(&mut self, horizon: u64) {
        self.horizon = self.horizon.max(horizon);
        let horizon = self.horizon;
        self.beyond.retain(|_, position| *position >= horizon);
    }
}

/// The events of `kinds` not applied at `cursor` (at its horizon or after, leaving out those
/// it applied beyond it), and the horizon (see the module doc).
pub fn read_from(tx: &mut Tx, kinds: &[EventKind], cursor: &Cursor) -> QueryResult<Feed> {
    let stored = read_stored_from(tx, Some(kinds), cursor)?;
    let events = stored
        .events
        .into_iter()
        .map(|Positioned { position, event }| Ok(Positioned { position, event: event.read()? }))
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(Feed { events, horizon: stored.horizon })
}

/// [`read_from`], the events as stored, of every kind when `kinds` is `None`.
pub(super) fn read_stored_from(
    tx: &mut Tx,
    kinds: Option<&[EventKind]>,
    cursor: &Cursor,
) -> QueryResult<Feed<StoredEvent>> {
    let feed = match tx.conn() {
        DbConnection::Postgres(pg) => read_postgres(pg, kinds, cursor)?,
        DbConnection::Sqlite(sqlite) => read_sqlite(sqlite, kinds, cursor.horizon)?,
    };
    let events = feed.events.into_iter().filter(|e| !cursor.applied(e.event.id, e.position)).collect();
    Ok(Feed { events, horizon: feed.horizon })
}

/// The horizon now, without reading events: where a reader starts that needs none of the
/// events before (a change feed starting, which forgets everything at once).
pub fn horizon(tx: &mut Tx) -> QueryResult<u64> {
    #[derive(QueryableByName)]
    struct Horizon {
        #[diesel(sql_type = Text)]
        horizon: String,
    }
    match tx.conn() {
        DbConnection::Postgres(pg) => {
            let row: Horizon =
                diesel::sql_query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon").get_result(pg)?;
            number(&row.horizon)
        }
        DbConnection::Sqlite(_) => {
            let last: Option<i64> = events::table.select(diesel::dsl::max(events::id)).first(tx.conn())?;
            Ok(last.map_or(0, |last| last as u64 + 1))
        }
    }
}

fn number(text: &str) -> QueryResult<u64> {
    text.parse::<u64>().map_err(|e| diesel::result::Error::DeserializationError(format!("xid8 {text}: {e}").into()))
}

/// The horizon is past the newest event of any kind (one search of the primary key), not
/// only past the last one read: a first load reads only the lessons, and the catch-ups
/// after it must not replay every post from there.
fn read_sqlite(
    sqlite: &mut diesel::SqliteConnection,
    kinds: Option<&[EventKind]>,
    from: u64,
) -> QueryResult<Feed<StoredEvent>> {
    let after = i64::try_from(from).unwrap_or(i64::MAX).saturating_sub(1);
    let last: Option<i64> = events::table.select(diesel::dsl::max(events::id)).first(sqlite)?;
    let after_query = events::table.filter(events::id.gt(after)).order(events::id);
    let rows: Vec<StoredEvent> = match kinds {
        // The kinds as one bound JSON array: the statement stays prepared (`in_json`).
        Some(kinds) => after_query
            .filter(in_json(events::event_type, &EventKind::names(kinds)))
            .select(StoredEvent::as_select())
            .load(sqlite)?,
        None => after_query.select(StoredEvent::as_select()).load(sqlite)?,
    };
    let events = rows.into_iter().map(|row| Positioned { position: row.id as u64, event: row }).collect();
    Ok(Feed { events, horizon: last.map_or(from, |last| (last as u64 + 1).max(from)) })
}

/// The most events the usual read of the feed returns (see [`read_postgres`]).
const BOUNDED_ROWS: usize = 1_000;

/// One row of the PostgreSQL read: the horizon, and an event (none when nothing is new).
#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    horizon: String,
    #[diesel(sql_type = Nullable<Text>)]
    position: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pool_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    event_type: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    actor_user_id: Option<i64>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    at: Option<chrono::NaiveDateTime>,
    #[diesel(sql_type = Nullable<Text>)]
    data: Option<String>,
}

/// The events the cursor applied beyond its horizon are left out by the statement: while
/// many transactions run side by side the horizon trails, and each read would otherwise
/// send (and the reader parse) every event since it again.
///
/// Bounded to [`BOUNDED_ROWS`] events, so that its prepared plan is the scan of the index
/// on positions from the cursor's (a catch-up runs at every post, and planning it cost more
/// than running it); a read that fills the bound is made again without it (a reader far
/// behind: a process starting, or the lessons' first load).
fn read_postgres(
    pg: &mut diesel::PgConnection,
    kinds: Option<&[EventKind]>,
    cursor: &Cursor,
) -> QueryResult<Feed<StoredEvent>> {
    /// One statement, so that the horizon and the events come from one snapshot; `limit`
    /// closes the events' subquery.
    fn statement(limit: &str) -> &'static str {
        format!(
            "SELECT h.horizon::text AS horizon, e.xid::text AS position, e.id, e.pool_id, \
             e.type AS event_type, e.actor_user_id, e.at, e.data \
             FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h \
             LEFT JOIN LATERAL (SELECT * FROM events e WHERE e.xid >= ?::xid8 \
             AND (?::text[] IS NULL OR e.type = ANY(?::text[])) AND e.id <> ALL(?) \
             ORDER BY e.xid, e.id {limit}) e ON true ORDER BY e.xid, e.id"
        )
        .leak()
    }
    static BOUNDED: std::sync::LazyLock<&'static str> =
        std::sync::LazyLock::new(|| statement(&format!("LIMIT {BOUNDED_ROWS}")));
    static UNBOUNDED: std::sync::LazyLock<&'static str> = std::sync::LazyLock::new(|| statement(""));
    type Kinds = Nullable<diesel::sql_types::Array<Text>>;
    let applied: Vec<i64> = cursor.beyond.keys().copied().collect();
    let (from, kinds) = (cursor.horizon.to_string(), kinds.map(EventKind::names));
    let mut read = |sql: &'static str| -> QueryResult<Vec<Row>> {
        crate::db::prepared(sql)
            .bind::<Text, _>(&from)
            .bind::<Kinds, _>(&kinds)
            .bind::<Kinds, _>(&kinds)
            .bind::<diesel::sql_types::Array<BigInt>, _>(&applied)
            .load(pg)
    };
    let mut rows = read(*BOUNDED)?;
    if rows.len() >= BOUNDED_ROWS {
        rows = read(*UNBOUNDED)?;
    }
    let horizon = match rows.first() {
        Some(row) => number(&row.horizon)?,
        None => return Err(diesel::result::Error::NotFound),
    };
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        let (Some(position), Some(id), Some(event_type), Some(at), Some(data)) =
            (row.position, row.id, row.event_type, row.at, row.data)
        else {
            continue;
        };
        let stored = StoredEvent { id, pool_id: row.pool_id, event_type, actor_user_id: row.actor_user_id, at, data };
        events.push(Positioned { position: number(&position)?, event: stored });
    }
    Ok(Feed { events, horizon })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        db::{WriteTx, models::event},
        domain::events::{DomainEvent, NeedRef},
    };

    /// A reader far behind (more events than one prepared read returns) gets them all, in
    /// order, and a reader that applied some of them beyond the horizon gets the others.
    #[test]
    fn a_reader_far_behind_reads_every_event_in_order() {
        let (mut conn, _dropped) = super::super::scratch::database();
        let mut tx = WriteTx::new(&mut conn);
        let count = BOUNDED_ROWS + 5;
        let withdrawn: Vec<DomainEvent> =
            (0..count).map(|i| DomainEvent::NeedWithdrawn(NeedRef { need_id: i as i64, organisation_id: 1 })).collect();
        let listed: Vec<(Option<i64>, &DomainEvent)> = withdrawn.iter().map(|e| (None, e)).collect();
        let recorded = event::record_all_raising(&mut tx, &listed, None, Default::default()).unwrap();
        let ids = |feed: &Feed| feed.events.iter().map(|e| e.event.id).collect::<Vec<_>>();
        let all: Vec<i64> = recorded.iter().map(|e| e.id).collect();

        let feed = read_from(&mut tx, &[EventKind::NeedWithdrawn], &Cursor::default()).unwrap();
        assert_eq!(ids(&feed), all);
        assert!(read_from(&mut tx, &[EventKind::NeedPosted], &Cursor::default()).unwrap().events.is_empty());

        // The first ten applied beyond a horizon of 0: the others come, and only them.
        let beyond = feed.events.iter().take(10).map(|e| (e.event.id, e.position)).collect();
        let feed = read_from(&mut tx, &[EventKind::NeedWithdrawn], &Cursor { horizon: 0, beyond }).unwrap();
        assert_eq!(ids(&feed), all[10..]);
    }
}
