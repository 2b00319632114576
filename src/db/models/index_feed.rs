//! The events the matcher's index follows, read by *position*, so that a reader never skips
//! an event that commits after one with a higher id.
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
//!   remembers them as applied beyond the horizon (`service::matcher`).
//!
//! In both, every event of a position below the horizon was visible to the read that
//! returned that horizon (in one statement on PostgreSQL; on SQLite within the transaction,
//! which no other writer changes).

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

/// An event of the feed with its position.
pub struct Positioned {
    pub position: u64,
    pub event: Event,
}

/// What a read of the feed found: the events of the given kinds at or after a position, in
/// the order of their positions (then ids), and the horizon below which no event can appear
/// any more.
pub struct Feed {
    pub events: Vec<Positioned>,
    pub horizon: u64,
}

/// The events of `kinds` at position `from` or after, and the horizon (see the module doc).
pub fn read_from(tx: &mut Tx, kinds: &[EventKind], from: u64) -> QueryResult<Feed> {
    match tx.conn() {
        DbConnection::Postgres(pg) => read_postgres(pg, kinds, from),
        DbConnection::Sqlite(sqlite) => read_sqlite(sqlite, kinds, from),
    }
}

/// The horizon is past the newest event of any kind (one search of the primary key), not
/// only past the last one read: a first load reads only the lessons, and the catch-ups
/// after it must not replay every post from there.
fn read_sqlite(sqlite: &mut diesel::SqliteConnection, kinds: &[EventKind], from: u64) -> QueryResult<Feed> {
    let after = i64::try_from(from).unwrap_or(i64::MAX).saturating_sub(1);
    let last: Option<i64> = events::table.select(diesel::dsl::max(events::id)).first(sqlite)?;
    // The kinds as one bound JSON array: the statement stays prepared (`in_json`).
    let rows: Vec<StoredEvent> = events::table
        .filter(events::id.gt(after))
        .filter(in_json(events::event_type, &EventKind::names(kinds)))
        .order(events::id)
        .select(StoredEvent::as_select())
        .load(sqlite)?;
    let events = rows
        .into_iter()
        .map(|row| Ok(Positioned { position: row.id as u64, event: row.read()? }))
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(Feed { events, horizon: last.map_or(from, |last| (last as u64 + 1).max(from)) })
}

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

fn read_postgres(pg: &mut diesel::PgConnection, kinds: &[EventKind], from: u64) -> QueryResult<Feed> {
    // One statement, so the horizon and the events come from one snapshot.
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT h.horizon::text AS horizon, e.xid::text AS position, e.id, e.pool_id, e.type AS event_type, \
         e.actor_user_id, e.at, e.data \
         FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h \
         LEFT JOIN events e ON e.xid >= $1::xid8 AND e.type = ANY($2) \
         ORDER BY e.xid, e.id",
    )
    .bind::<Text, _>(from.to_string())
    .bind::<diesel::sql_types::Array<Text>, _>(EventKind::names(kinds))
    .load(pg)?;
    let number = |text: &str| {
        text.parse::<u64>().map_err(|e| diesel::result::Error::DeserializationError(format!("xid8 {text}: {e}").into()))
    };
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
        events.push(Positioned { position: number(&position)?, event: stored.read()? });
    }
    Ok(Feed { events, horizon })
}
