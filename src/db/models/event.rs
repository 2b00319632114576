use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{Tx, WriteTx, schema::events};

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

/// When the last event of each of these pools was recorded: `(pool id, at)`.
pub fn last_of_pools(tx: &mut Tx, pool_ids: &[i64]) -> QueryResult<Vec<(Option<i64>, Option<NaiveDateTime>)>> {
    events::table
        .filter(events::pool_id.eq_any(pool_ids))
        .group_by(events::pool_id)
        .select((events::pool_id, diesel::dsl::max(events::at)))
        .load(tx.conn())
}
