//! The audit trail: events recorded as [`DomainEvent`] values, read back as values.
//!
//! A stored event whose type no [`EventKind`] has, or whose data does not read as its
//! kind's, is an error naming the row (like an unknown text of `db::types`), never skipped
//! or defaulted: the OCDS export, the page history and the matcher would silently differ.
//! One reader skips instead, [`changes_since`], which only needs the pool and, for the kinds
//! of [`EventKind::USER_ACCESS`], the user: an event it cannot read forgets every cached
//! session rather than stopping the change feed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    duplicate::Pairs,
    in_row,
    index_feed::{self, Cursor, Positioned},
};
use crate::{
    db::{Changes, DbConnection, Tx, WriteTx, prepared, schema::events},
    domain::events::{DomainEvent, EventKind},
};

/// An append-only audit record: rows are inserted, never changed, but for one reason: a
/// redaction of a pool's text ([`rewrite`]) replaces the text in the rows that hold it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub id: i64,
    pub pool_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    pub at: NaiveDateTime,
    pub event: DomainEvent,
}

/// A row as stored: the event's type and its JSON text.
#[derive(Queryable, Selectable)]
#[diesel(table_name = events)]
pub(super) struct StoredEvent {
    pub(super) id: i64,
    pub(super) pool_id: Option<i64>,
    pub(super) event_type: String,
    pub(super) actor_user_id: Option<i64>,
    pub(super) at: NaiveDateTime,
    pub(super) data: String,
}

impl StoredEvent {
    pub(super) fn read(self) -> QueryResult<Event> {
        let event = DomainEvent::read(&self.event_type, &self.data)
            .map_err(|e| diesel::result::Error::DeserializationError(e.into()))
            .map_err(in_row("events", self.id))?;
        Ok(Event { id: self.id, pool_id: self.pool_id, actor_user_id: self.actor_user_id, at: self.at, event })
    }
}

fn read_all(rows: Vec<StoredEvent>) -> QueryResult<Vec<Event>> {
    rows.into_iter().map(StoredEvent::read).collect()
}

/// Records an event and returns it.
pub fn record(
    tx: &mut WriteTx,
    pool_id: Option<i64>,
    event: &DomainEvent,
    actor_user_id: Option<i64>,
) -> QueryResult<Event> {
    let mut recorded = record_all(tx, &[(pool_id, event)], actor_user_id)?;
    recorded.pop().ok_or(diesel::result::Error::NotFound)
}

/// Records events of one actor, in the order given (their ids rise in that order), and
/// returns them. On PostgreSQL one statement, however many: one round trip.
pub fn record_all(
    tx: &mut WriteTx,
    events: &[(Option<i64>, &DomainEvent)],
    actor_user_id: Option<i64>,
) -> QueryResult<Vec<Event>> {
    record_all_raising(tx, events, actor_user_id, Pairs::default())
}

/// Records events as [`record_all`] does, and the likely-duplicate `pairs` found with them
/// ([`Pairs::raise`]): on PostgreSQL in the same statement, one round trip for both.
pub fn record_all_raising(
    tx: &mut WriteTx,
    events: &[(Option<i64>, &DomainEvent)],
    actor_user_id: Option<i64>,
    pairs: Pairs,
) -> QueryResult<Vec<Event>> {
    use diesel::sql_types::{Array, BigInt, Double, Nullable, Text, Timestamp};
    /// The pairs' upsert (a no-op when there are none), then the events inserted from
    /// arrays, in their order: their ids are drawn in it.
    static INSERT_ON_POSTGRES: std::sync::LazyLock<&'static str> = std::sync::LazyLock::new(|| {
        format!(
            "WITH raised AS ({}) INSERT INTO events (pool_id, type, actor_user_id, at, data) \
             SELECT e.pool_id, e.type, ?, ?, e.data FROM unnest(?::int8[], ?::text[], ?::text[]) \
             WITH ORDINALITY AS e (pool_id, type, data, n) ORDER BY e.n RETURNING id, at",
            super::duplicate::RAISE_ON_POSTGRES
        )
        .leak()
    });
    #[derive(QueryableByName)]
    struct Inserted {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Timestamp)]
        at: NaiveDateTime,
    }
    let now = crate::db::now();
    let (mut pools, mut kinds, mut data) = (Vec::new(), Vec::new(), Vec::new());
    for &(pool_id, event) in events {
        // Every change of a pool records an event of the pool: its cached view is forgotten.
        if let Some(pool_id) = pool_id {
            tx.touch_pool(pool_id);
        }
        // What the other processes' feeds read from this event ([`changes_since`]), this
        // process publishes at its commit: its own feed leaves the event out.
        if let Some(user_id) = event.user_access_changed() {
            tx.touch_user(user_id);
        }
        pools.push(pool_id);
        kinds.push(event.kind().as_str());
        data.push(event.data().map_err(|e| diesel::result::Error::SerializationError(e.into()))?.to_string());
    }
    let stored: Vec<(i64, NaiveDateTime)> = match tx.conn() {
        DbConnection::Postgres(pg) => {
            let mut inserted: Vec<Inserted> = prepared(*INSERT_ON_POSTGRES)
                .bind::<Array<BigInt>, _>(pairs.lows)
                .bind::<Array<BigInt>, _>(pairs.highs)
                .bind::<Array<Double>, _>(pairs.scores)
                .bind::<Timestamp, _>(now)
                .bind::<Nullable<BigInt>, _>(actor_user_id)
                .bind::<Timestamp, _>(now)
                .bind::<Array<Nullable<BigInt>>, _>(pools)
                .bind::<Array<Text>, _>(kinds)
                .bind::<Array<Text>, _>(data)
                .load(pg)?;
            inserted.sort_by_key(|row| row.id);
            inserted.into_iter().map(|row| (row.id, row.at)).collect()
        }
        DbConnection::Sqlite(_) => {
            let stored = pools
                .iter()
                .zip(&kinds)
                .zip(&data)
                .map(|((pool_id, kind), data)| {
                    diesel::insert_into(events::table)
                        .values((
                            events::pool_id.eq(pool_id),
                            events::event_type.eq(kind),
                            events::actor_user_id.eq(actor_user_id),
                            events::at.eq(now),
                            events::data.eq(data),
                        ))
                        .returning((events::id, events::at))
                        .get_result(tx.conn())
                })
                .collect::<QueryResult<_>>()?;
            pairs.raise(tx, now)?;
            stored
        }
    };
    Ok(stored
        .into_iter()
        .zip(events)
        .map(|((id, at), &(pool_id, event))| {
            tx.note_event(id);
            Event { id, pool_id, actor_user_id, at, event: event.clone() }
        })
        .collect())
}

/// The events that may hold a copy of a pool's text: the pool's own, and the `pool.created`
/// and `need.posted` of other pools that name it (a maintenance pool, a suggestion). A
/// first sieve on the stored JSON; the caller reads each to be sure.
pub fn naming_pool(tx: &mut Tx, pool_id: i64) -> QueryResult<Vec<Event>> {
    let kinds = EventKind::names(&[EventKind::PoolCreated, EventKind::NeedPosted]);
    let rows = events::table
        .filter(
            events::pool_id
                .eq(pool_id)
                .or(events::event_type.eq_any(kinds).and(events::data.like(format!("%pool_id\":{pool_id},%")))),
        )
        .order(events::id)
        .select(StoredEvent::as_select())
        .load(tx.conn())?;
    read_all(rows)
}

/// Writes an event's payload again, redacted (see [`Event`]); its pool is forgotten by the
/// caches.
pub fn rewrite(tx: &mut WriteTx, event: &Event) -> QueryResult<usize> {
    let data = event.event.data().map_err(|e| diesel::result::Error::SerializationError(e.into()))?;
    if let Some(pool_id) = event.pool_id {
        tx.touch_pool(pool_id);
    }
    diesel::update(events::table.find(event.id)).set(events::data.eq(data.to_string())).execute(tx.conn())
}

pub fn of_pool(tx: &mut Tx, pool_id: i64, limit: i64, offset: i64) -> QueryResult<(Vec<Event>, i64)> {
    let items = events::table
        .filter(events::pool_id.eq(pool_id))
        .order(events::id)
        .limit(limit)
        .offset(offset)
        .select(StoredEvent::as_select())
        .load(tx.conn())?;
    let items = read_all(items)?;
    let total = events::table.filter(events::pool_id.eq(pool_id)).count().get_result(tx.conn())?;
    Ok((items, total))
}

/// The first `limit` events of a pool, oldest first.
pub fn first_of_pool(tx: &mut Tx, pool_id: i64, limit: i64) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::pool_id.eq(pool_id))
        .order(events::id)
        .limit(limit)
        .select(StoredEvent::as_select())
        .load(tx.conn())
        .and_then(read_all)
}

/// The events of one kind recorded for a pool at or after `since`, oldest first.
///
/// One search of `events_pool_type_at_idx` (read at every pledge). The rows are put in
/// order here, not by the query: with `ORDER BY id`, SQLite's planner, once `ANALYZE` has
/// run, prefers walking all of the pool's events by `events_pool_idx` to sorting a few.
pub fn of_pool_kind_since(tx: &mut Tx, pool_id: i64, kind: EventKind, since: NaiveDateTime) -> QueryResult<Vec<Event>> {
    let mut rows: Vec<StoredEvent> = events::table
        .filter(events::pool_id.eq(pool_id))
        .filter(events::event_type.eq(kind.as_str()))
        .filter(events::at.ge(since))
        .select(StoredEvent::as_select())
        .load(tx.conn())?;
    rows.sort_unstable_by_key(|row| row.id);
    read_all(rows)
}

/// Up to `limit` events of these kinds recorded for a pool, after the event `after` and at
/// or after `since`, oldest first: a page of the open data export.
pub fn of_types_page(
    tx: &mut Tx,
    kinds: &[EventKind],
    since: Option<NaiveDateTime>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Event>> {
    let mut query = events::table
        .filter(events::pool_id.is_not_null())
        .filter(events::id.gt(after))
        .filter(events::event_type.eq_any(EventKind::names(kinds)))
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(events::at.ge(since));
    }
    query.order(events::id).limit(limit).select(StoredEvent::as_select()).load(tx.conn()).and_then(read_all)
}

/// The events of these kinds of the given pools, up to and including the event `last`,
/// oldest first.
pub fn of_pools_through(tx: &mut Tx, pool_ids: &[i64], kinds: &[EventKind], last: i64) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::pool_id.eq_any(pool_ids))
        .filter(events::event_type.eq_any(EventKind::names(kinds)))
        .filter(events::id.le(last))
        .order(events::id)
        .select(StoredEvent::as_select())
        .load(tx.conn())
        .and_then(read_all)
}

/// What the events not applied yet at `cursor` changed (their pools, and the users whose
/// access changed), leaving out those `own` says are this process's (announced at their
/// commit);
/// the cursor moves past them all. Events are followed by position (`index_feed`), so that
/// one committing after a higher id is not missed. Only the events of
/// [`EventKind::USER_ACCESS`] are read; one that does not read changes everything.
pub fn changes_since(tx: &mut Tx, cursor: &mut Cursor, mut own: impl FnMut(i64) -> bool) -> QueryResult<Changes> {
    let feed = index_feed::read_stored_from(tx, None, cursor)?;
    let mut changes = Changes::default();
    for Positioned { position, event } in feed.events {
        cursor.beyond.insert(event.id, position);
        if own(event.id) {
            continue;
        }
        changes.pools.extend(event.pool_id);
        if EventKind::parse(&event.event_type).is_some_and(|kind| EventKind::USER_ACCESS.contains(&kind)) {
            match DomainEvent::read(&event.event_type, &event.data).ok().and_then(|e| e.user_access_changed()) {
                Some(user_id) => {
                    changes.users.insert(user_id);
                }
                None => changes.everything = true,
            }
        }
    }
    cursor.advance(feed.horizon);
    Ok(changes)
}

/// Up to `limit` pools with an id above `after` that have events of these kinds (recorded
/// at or after `since`), by id.
pub fn pools_with_types(
    tx: &mut Tx,
    kinds: &[EventKind],
    since: Option<NaiveDateTime>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    let mut query = events::table
        .filter(events::pool_id.gt(after))
        .filter(events::event_type.eq_any(EventKind::names(kinds)))
        .select(events::pool_id)
        .distinct()
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(events::at.ge(since));
    }
    let ids: Vec<Option<i64>> = query.order(events::pool_id).limit(limit).load(tx.conn())?;
    Ok(ids.into_iter().flatten().collect())
}

/// When the newest event of these kinds was recorded for a pool.
pub fn newest_of_types(tx: &mut Tx, kinds: &[EventKind]) -> QueryResult<Option<NaiveDateTime>> {
    events::table
        .filter(events::pool_id.is_not_null())
        .filter(events::event_type.eq_any(EventKind::names(kinds)))
        .select(diesel::dsl::max(events::at))
        .first(tx.conn())
}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use diesel::connection::InstrumentationEvent;

    use super::*;
    use crate::{
        db::models::{
            duplicate,
            pool::{self, NewPool},
        },
        domain::{events::NeedRef, pool_state::PoolState},
    };

    /// A post's events and its likely-duplicate pairs are stored together, in one statement
    /// on PostgreSQL (a round trip less a post); the events keep their order.
    #[test]
    fn events_and_the_pairs_found_with_them_are_recorded_in_one_statement_on_postgres() {
        let (mut conn, _dropped) = super::super::scratch::database();
        let postgres = matches!(conn, DbConnection::Postgres(_));
        let statements = Arc::new(AtomicUsize::new(0));
        let counted = statements.clone();
        let count = move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { .. } = event {
                counted.fetch_add(1, Ordering::AcqRel);
            }
        };
        match &mut conn {
            DbConnection::Postgres(pg) => pg.set_instrumentation(count),
            DbConnection::Sqlite(sqlite) => sqlite.set_instrumentation(count),
        }
        let mut tx = WriteTx::new(&mut conn);
        let now = crate::db::now();
        let new = |title| NewPool {
            title,
            description: "",
            cpv_code: None,
            state: PoolState::Open,
            currency: "EUR",
            target_cents: None,
            opened_by_organisation_id: None,
            created_at: now,
            updated_at: now,
        };
        let (a, b, c) = (
            pool::insert(&mut tx, &new("a")).unwrap(),
            pool::insert(&mut tx, &new("b")).unwrap(),
            pool::insert(&mut tx, &new("c")).unwrap(),
        );
        let first = DomainEvent::NeedWithdrawn(NeedRef { need_id: 1, organisation_id: 1 });
        let second = DomainEvent::NeedWithdrawn(NeedRef { need_id: 2, organisation_id: 1 });
        let pairs = duplicate::Pairs::of(a.id, &[(b.id, 0.7), (c.id, 0.6), (b.id, 0.8)]);
        let before = statements.load(Ordering::Acquire);
        let recorded = record_all_raising(&mut tx, &[(Some(a.id), &first), (None, &second)], None, pairs).unwrap();
        let ran = statements.load(Ordering::Acquire) - before;
        if postgres {
            assert_eq!(ran, 1, "events and pairs in one statement");
        }
        assert_eq!(
            recorded.iter().map(|e| (e.pool_id, e.event.clone())).collect::<Vec<_>>(),
            [(Some(a.id), first), (None, second)]
        );
        assert!(recorded[0].id < recorded[1].id);
        let mut stored: Vec<(i64, i64, f64)> = duplicate::list(&mut tx, Some(a.id))
            .unwrap()
            .into_iter()
            .map(|c| (c.pool_low, c.pool_high, c.score))
            .collect();
        stored.sort_by_key(|&(low, high, _)| (low, high));
        assert_eq!(stored, [(a.id, b.id, 0.8), (a.id, c.id, 0.6)]);
    }
}
