use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{Changes, Tx, WriteTx, schema::events};

/// An append-only audit record: rows are inserted, never changed.
#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i64,
    pub pool_id: Option<i64>,
    pub event_type: String,
    pub actor_user_id: Option<i64>,
    pub at: NaiveDateTime,
    /// JSON.
    pub data: String,
}

/// Records an event and returns it.
pub fn record(
    tx: &mut WriteTx,
    pool_id: Option<i64>,
    event_type: &str,
    actor_user_id: Option<i64>,
    data: &serde_json::Value,
) -> QueryResult<Event> {
    // Every change of a pool records an event of the pool: its cached view is forgotten.
    if let Some(pool_id) = pool_id {
        tx.touch_pool(pool_id);
    }
    diesel::insert_into(events::table)
        .values((
            events::pool_id.eq(pool_id),
            events::event_type.eq(event_type),
            events::actor_user_id.eq(actor_user_id),
            events::at.eq(crate::db::now()),
            events::data.eq(data.to_string()),
        ))
        .returning(events::all_columns)
        .get_result(tx.conn())
}

pub fn of_pool(tx: &mut Tx, pool_id: i64, limit: i64, offset: i64) -> QueryResult<(Vec<Event>, i64)> {
    let items = events::table
        .filter(events::pool_id.eq(pool_id))
        .order(events::id)
        .limit(limit)
        .offset(offset)
        .select(Event::as_select())
        .load(tx.conn())?;
    let total = events::table.filter(events::pool_id.eq(pool_id)).count().get_result(tx.conn())?;
    Ok((items, total))
}

/// The first `limit` events of a pool, oldest first.
pub fn first_of_pool(tx: &mut Tx, pool_id: i64, limit: i64) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::pool_id.eq(pool_id))
        .order(events::id)
        .limit(limit)
        .select(Event::as_select())
        .load(tx.conn())
}

/// Events of the given types after `after_id`, oldest first.
pub fn of_types_after(tx: &mut Tx, types: &[&str], after_id: i64) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::id.gt(after_id))
        .filter(events::event_type.eq_any(types))
        .order(events::id)
        .select(Event::as_select())
        .load(tx.conn())
}

/// The id of the newest event (0 when none).
pub fn last_id(tx: &mut Tx) -> QueryResult<i64> {
    let last: Option<i64> = events::table.select(diesel::dsl::max(events::id)).first(tx.conn())?;
    Ok(last.unwrap_or(0))
}

/// Up to `limit` events of these types recorded for a pool, after the event `after` and at
/// or after `since`, oldest first: a page of the open data export.
pub fn of_types_page(
    tx: &mut Tx,
    types: &[&str],
    since: Option<NaiveDateTime>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Event>> {
    let mut query = events::table
        .filter(events::pool_id.is_not_null())
        .filter(events::id.gt(after))
        .filter(events::event_type.eq_any(types))
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(events::at.ge(since));
    }
    query.order(events::id).limit(limit).select(Event::as_select()).load(tx.conn())
}

/// The events of these types of the given pools, up to and including the event `last`,
/// oldest first.
pub fn of_pools_through(tx: &mut Tx, pool_ids: &[i64], types: &[&str], last: i64) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::pool_id.eq_any(pool_ids))
        .filter(events::event_type.eq_any(types))
        .filter(events::id.le(last))
        .order(events::id)
        .select(Event::as_select())
        .load(tx.conn())
}

/// Event types that say a user's access changed (their `data` names the `user_id`).
pub const USER_ACCESS_EVENTS: &[&str] = &["user.disabled", "user.enabled", "user.password_changed", "user.signed_out"];

/// What the events after `after_id` changed (their pools, and the users whose access
/// changed), and the id of the last one (`after_id` when none).
pub fn changes_after(tx: &mut Tx, after_id: i64) -> QueryResult<(Changes, i64)> {
    let rows: Vec<(i64, Option<i64>, String, String)> = events::table
        .filter(events::id.gt(after_id))
        .order(events::id)
        .select((events::id, events::pool_id, events::event_type, events::data))
        .load(tx.conn())?;
    let mut changes = Changes::default();
    let mut last = after_id;
    for (id, pool_id, event_type, data) in rows {
        last = id;
        changes.pools.extend(pool_id);
        if USER_ACCESS_EVENTS.contains(&event_type.as_str()) {
            match serde_json::from_str::<serde_json::Value>(&data).ok().and_then(|d| d["user_id"].as_i64()) {
                Some(user_id) => {
                    changes.users.insert(user_id);
                }
                None => changes.everything = true,
            }
        }
    }
    Ok((changes, last))
}

/// Up to `limit` pools with an id above `after` that have events of these types (recorded
/// at or after `since`), by id.
pub fn pools_with_types(
    tx: &mut Tx,
    types: &[&str],
    since: Option<NaiveDateTime>,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    let mut query = events::table
        .filter(events::pool_id.gt(after))
        .filter(events::event_type.eq_any(types))
        .select(events::pool_id)
        .distinct()
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(events::at.ge(since));
    }
    let ids: Vec<Option<i64>> = query.order(events::pool_id).limit(limit).load(tx.conn())?;
    Ok(ids.into_iter().flatten().collect())
}

/// When the newest event of these types was recorded for a pool.
pub fn newest_of_types(tx: &mut Tx, types: &[&str]) -> QueryResult<Option<NaiveDateTime>> {
    events::table
        .filter(events::pool_id.is_not_null())
        .filter(events::event_type.eq_any(types))
        .select(diesel::dsl::max(events::at))
        .first(tx.conn())
}
