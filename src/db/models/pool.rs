use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{in_json::in_json, in_row};
use crate::{
    db::{DbConnection, Tx, WriteTx, schema::pools},
    domain::{kinds::PoolKind, money::Cents, pool_state::PoolState},
};

#[derive(Clone, Debug, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = pools)]
pub struct Pool {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub cpv_code: Option<String>,
    pub state: PoolState,
    pub currency: String,
    pub target_cents: Option<Cents>,
    /// `None`: the threshold follows the target.
    pub threshold_cents: Option<Cents>,
    pub pledged_cents: Cents,
    pub deadline: Option<NaiveDate>,
    pub reason: Option<String>,
    pub supplier: Option<String>,
    pub award_cents: Option<Cents>,
    pub repository_url: Option<String>,
    pub licence: Option<String>,
    pub merged_into_pool_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub funded_at: Option<NaiveDateTime>,
    pub approved_at: Option<NaiveDateTime>,
    pub rejected_at: Option<NaiveDateTime>,
    pub awarded_at: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
    pub expired_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub merged_at: Option<NaiveDateTime>,
    pub kind: PoolKind,
    /// For a maintenance pool: the delivered pool it maintains.
    pub maintains_pool_id: Option<i64>,
    /// For a maintenance pool: the first and last day of the upkeep it funds.
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// The organisation whose need opened the pool (`None` for pools older than this column
    /// whose opening could not be traced).
    pub opened_by_organisation_id: Option<i64>,
}

impl Pool {
    /// What must be pledged before the pool is funded: the threshold set by an officer, or
    /// else the target. `None` while neither is known: such a pool cannot be funded.
    pub fn effective_threshold(&self) -> Option<Cents> {
        self.threshold_cents.or(self.target_cents)
    }
}

#[derive(Insertable)]
#[diesel(table_name = pools, treat_none_as_default_value = false)]
pub struct NewPool<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub cpv_code: Option<&'a str>,
    pub state: PoolState,
    pub currency: &'a str,
    pub target_cents: Option<Cents>,
    pub opened_by_organisation_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A maintenance pool (SPEC section 10): a period of upkeep of a delivered pool, opened by
/// an officer with its own money and deadline. Pools opened otherwise are developments.
#[derive(Insertable)]
#[diesel(table_name = pools, treat_none_as_default_value = false)]
pub struct NewMaintenancePool<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub cpv_code: &'a str,
    pub state: PoolState,
    pub currency: &'a str,
    pub target_cents: Cents,
    pub threshold_cents: Option<Cents>,
    pub deadline: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub kind: PoolKind,
    pub maintains_pool_id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
}

/// Every change of a pool's own columns, applied in one statement.
#[derive(AsChangeset, Default)]
#[diesel(table_name = pools)]
pub struct PoolChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub state: Option<PoolState>,
    pub target_cents: Option<Option<Cents>>,
    pub threshold_cents: Option<Option<Cents>>,
    pub pledged_cents: Option<Cents>,
    pub deadline: Option<Option<NaiveDate>>,
    pub reason: Option<Option<String>>,
    pub supplier: Option<Option<String>>,
    pub award_cents: Option<Option<Cents>>,
    pub repository_url: Option<Option<String>>,
    pub licence: Option<Option<String>>,
    pub merged_into_pool_id: Option<Option<i64>>,
    pub updated_at: Option<NaiveDateTime>,
    pub funded_at: Option<Option<NaiveDateTime>>,
    pub approved_at: Option<Option<NaiveDateTime>>,
    pub rejected_at: Option<Option<NaiveDateTime>>,
    pub awarded_at: Option<Option<NaiveDateTime>>,
    pub delivered_at: Option<Option<NaiveDateTime>>,
    pub expired_at: Option<Option<NaiveDateTime>>,
    pub cancelled_at: Option<Option<NaiveDateTime>>,
    pub merged_at: Option<Option<NaiveDateTime>>,
}

pub fn insert(tx: &mut WriteTx, new: &NewPool) -> QueryResult<Pool> {
    diesel::insert_into(pools::table).values(new).returning(pools::all_columns).get_result(tx.conn())
}

/// Deletes a pool this unit of work inserted, that nothing refers to any more and nothing
/// recorded: a post's pool opened ahead of its locks, when the post joins another pool
/// after all. No one else saw it; its id is not used again.
pub fn delete_unseen(tx: &mut WriteTx, id: i64) -> QueryResult<()> {
    diesel::delete(pools::table.find(id)).execute(tx.conn()).map(drop)
}

pub fn insert_maintenance(tx: &mut WriteTx, new: &NewMaintenancePool) -> QueryResult<Pool> {
    // The delivered pool lists its maintenance pools.
    tx.touch_pool(new.maintains_pool_id);
    diesel::insert_into(pools::table).values(new).returning(pools::all_columns).get_result(tx.conn())
}

pub fn find(tx: &mut Tx, id: i64) -> QueryResult<Pool> {
    pools::table.find(id).select(Pool::as_select()).first(tx.conn()).map_err(in_row("pools", id))
}

/// Reads a pool for a change, holding its row lock until the transaction ends.
///
/// The first statement is a write, which on PostgreSQL takes the row lock (so concurrent
/// pledges to one pool queue here and each then reads what the previous one committed);
/// on SQLite the whole database is already held by `BEGIN IMMEDIATE`. Portable, where
/// `SELECT … FOR UPDATE` is not.
pub fn lock(tx: &mut WriteTx, id: i64) -> QueryResult<Pool> {
    // A column no key or index uses: writing the primary key, even to itself, makes SQLite
    // check every table that references pools (a full scan of an unindexed one).
    // One statement: the row as locked is returned.
    diesel::update(pools::table.find(id))
        .set(pools::updated_at.eq(pools::updated_at))
        .returning(pools::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("pools", id))
}

pub fn update(tx: &mut WriteTx, id: i64, changes: &PoolChanges) -> QueryResult<Pool> {
    tx.touch_pool(id);
    let pool: Pool = diesel::update(pools::table.find(id))
        .set(changes)
        .returning(pools::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("pools", id))?;
    // A delivered pool lists its maintenance pools with their states.
    if let Some(delivered) = pool.maintains_pool_id {
        tx.touch_pool(delivered);
    }
    Ok(pool)
}

/// A maintenance pool as its delivered pool lists it.
#[derive(Clone, Debug, Queryable)]
pub struct MaintenancePeriod {
    pub id: i64,
    pub state: PoolState,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
}

/// The maintenance pools of a delivered pool, by period.
pub fn maintenance_of(tx: &mut Tx, delivered_pool_id: i64) -> QueryResult<Vec<MaintenancePeriod>> {
    pools::table
        .filter(pools::maintains_pool_id.eq(delivered_pool_id))
        .order((pools::period_start, pools::id))
        .select((pools::id, pools::state, pools::period_start, pools::period_end))
        .load(tx.conn())
}

/// States and titles of the given pools (to filter matcher results, to name related pools).
///
/// On PostgreSQL the statement is planned at each run, not prepared: a prepared statement's
/// generic plan is made once per connection, and one made while the table held a few
/// hundred pools scans the whole table (measured: every search of a growing table read all
/// its rows, 0.5 ms a post at 4 000 pools, until the next `ANALYZE`). Planned at each run,
/// it finds the few rows by their key whatever the table's size when the connection opened.
pub fn states(tx: &mut Tx, ids: &[i64]) -> QueryResult<Vec<(i64, PoolState, String)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        state: PoolState,
        #[diesel(sql_type = diesel::sql_types::Text)]
        title: String,
    }
    match tx.conn() {
        DbConnection::Sqlite(sqlite) => {
            pools::table.filter(in_json(pools::id, ids)).select((pools::id, pools::state, pools::title)).load(sqlite)
        }
        DbConnection::Postgres(pg) => {
            let rows: Vec<Row> = diesel::sql_query("SELECT id, state, title FROM pools WHERE id = ANY($1)")
                .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(ids)
                .load(pg)?;
            Ok(rows.into_iter().map(|row| (row.id, row.state, row.title)).collect())
        }
    }
}

/// Pools an organisation opened since `since`, for the daily cap.
pub fn opened_since(tx: &mut Tx, organisation_id: i64, since: NaiveDateTime) -> QueryResult<i64> {
    pools::table
        .filter(pools::opened_by_organisation_id.eq(organisation_id))
        .filter(pools::created_at.ge(since))
        .count()
        .get_result(tx.conn())
}

/// How many pools are in each state.
pub fn counts(tx: &mut Tx) -> QueryResult<Vec<(PoolState, i64)>> {
    pools::table.group_by(pools::state).select((pools::state, diesel::dsl::count_star())).load(tx.conn())
}

/// Filters of the pool list.
#[derive(Default)]
pub struct PoolFilter {
    pub state: Option<PoolState>,
    /// A CPV code prefix: `48` matches the whole division.
    pub cpv_prefix: Option<String>,
    /// Words that must all appear in the title or description (case-insensitive).
    pub words: Vec<String>,
    /// Pools that match the words otherwise (the matcher's reading of them: accents,
    /// stems, other languages); listed as well as those that contain the words.
    pub also: Vec<i64>,
}

pub fn list(tx: &mut Tx, filter: &PoolFilter, limit: i64, offset: i64) -> QueryResult<(Vec<Pool>, i64)> {
    // With pools found otherwise, the pools that contain the words are read first, and the
    // list is of both.
    let ids: Option<Vec<i64>> = if filter.also.is_empty() || filter.words.is_empty() {
        None
    } else {
        let contain = PoolFilter { state: None, cpv_prefix: None, words: filter.words.clone(), also: Vec::new() };
        let mut ids: Vec<i64> = ids_containing(tx, &contain)?;
        ids.extend(filter.also.iter().copied());
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    };
    let query = || {
        let mut q = pools::table.into_boxed();
        if let Some(ids) = &ids {
            q = q.filter(pools::id.eq_any(ids.clone()));
        }
        match filter.state {
            Some(state) => q = q.filter(pools::state.eq(state)),
            // Without a state asked for, a pool that closed itself empty (`pool.emptied`,
            // SPEC §15: cancelled, no active need left in it) is not listed.
            None => {
                q = q.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                    "NOT (pools.state = 'cancelled' AND NOT EXISTS \
                     (SELECT 1 FROM needs WHERE needs.pool_id = pools.id AND needs.status = 'active'))",
                ))
            }
        }
        if let Some(prefix) = &filter.cpv_prefix {
            q = q.filter(pools::cpv_code.like(format!("{}%", escape_like(prefix))).escape('\\'));
        }
        for word in filter.words.iter().filter(|_| ids.is_none()) {
            let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("(lower(title) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pattern.clone())
                    .sql(" ESCAPE '\\' OR lower(description) LIKE ")
                    .bind::<diesel::sql_types::Text, _>(pattern)
                    .sql(" ESCAPE '\\')"),
            );
        }
        q
    };
    let items =
        query().order(pools::id.desc()).limit(limit).offset(offset).select(Pool::as_select()).load(tx.conn())?;
    let total = query().count().get_result(tx.conn())?;
    Ok((items, total))
}

/// The ids of the pools that contain all of `filter`'s words, at most 5 000.
fn ids_containing(tx: &mut Tx, filter: &PoolFilter) -> QueryResult<Vec<i64>> {
    let mut q = pools::table.into_boxed();
    for word in &filter.words {
        let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
        q = q.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(lower(title) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern.clone())
                .sql(" ESCAPE '\\' OR lower(description) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern)
                .sql(" ESCAPE '\\')"),
        );
    }
    q.select(pools::id).limit(5_000).load(tx.conn())
}

fn escape_like(raw: &str) -> String {
    raw.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Open pools whose cost is not set yet, oldest first: no one can pledge to them until an
/// officer sets it (SPEC §15).
pub fn without_target(tx: &mut Tx, limit: i64) -> QueryResult<(Vec<Pool>, i64)> {
    let query = || pools::table.filter(pools::state.eq(PoolState::Open)).filter(pools::target_cents.is_null());
    let items = query().order(pools::id).limit(limit).select(Pool::as_select()).load(tx.conn())?;
    let total = query().count().get_result(tx.conn())?;
    Ok((items, total))
}

/// Open pools whose deadline is before `today`.
pub fn past_deadline(tx: &mut Tx, today: NaiveDate, limit: i64) -> QueryResult<Vec<i64>> {
    pools::table
        .filter(pools::state.eq(PoolState::Open))
        .filter(pools::deadline.lt(today))
        .select(pools::id)
        .order(pools::id)
        .limit(limit)
        .load(tx.conn())
}
