use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConnection, schema::needs};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = needs)]
pub struct Need {
    pub id: i64,
    pub organisation_id: i64,
    pub pool_id: i64,
    pub posted_by_user_id: i64,
    pub title: String,
    pub description: String,
    pub cpv_code: Option<String>,
    pub estimated_cost_cents: Option<i64>,
    pub status: String,
    /// JSON `[{pool_id, title, score}]`: what the matcher suggested at posting time.
    pub similar_pools: String,
    pub created_at: NaiveDateTime,
    pub withdrawn_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = needs)]
pub struct NewNeed<'a> {
    pub organisation_id: i64,
    pub pool_id: i64,
    pub posted_by_user_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub cpv_code: Option<&'a str>,
    pub estimated_cost_cents: Option<i64>,
    pub status: &'a str,
    pub similar_pools: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewNeed) -> QueryResult<Need> {
    diesel::insert_into(needs::table).values(new).returning(needs::all_columns).get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Need> {
    needs::table.find(id).select(Need::as_select()).first(conn)
}

pub fn set_pool(conn: &mut DbConnection, id: i64, pool_id: i64) -> QueryResult<Need> {
    diesel::update(needs::table.find(id)).set(needs::pool_id.eq(pool_id)).returning(needs::all_columns).get_result(conn)
}

pub fn withdraw(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<Need> {
    diesel::update(needs::table.find(id))
        .set((needs::status.eq("withdrawn"), needs::withdrawn_at.eq(Some(at))))
        .returning(needs::all_columns)
        .get_result(conn)
}

/// Moves every need of one pool to another; returns how many moved.
pub fn move_all(conn: &mut DbConnection, from_pool: i64, to_pool: i64) -> QueryResult<usize> {
    diesel::update(needs::table.filter(needs::pool_id.eq(from_pool))).set(needs::pool_id.eq(to_pool)).execute(conn)
}

/// Needs an organisation posted since `since`, for the daily cap.
pub fn count_since(conn: &mut DbConnection, organisation_id: i64, since: NaiveDateTime) -> QueryResult<i64> {
    needs::table
        .filter(needs::organisation_id.eq(organisation_id))
        .filter(needs::created_at.ge(since))
        .count()
        .get_result(conn)
}

/// Filters of the need list.
#[derive(Default)]
pub struct NeedFilter {
    pub organisation_id: Option<i64>,
    pub pool_id: Option<i64>,
    pub status: Option<String>,
}

pub fn list(conn: &mut DbConnection, filter: &NeedFilter, limit: i64, offset: i64) -> QueryResult<(Vec<Need>, i64)> {
    let query = || {
        let mut q = needs::table.into_boxed();
        if let Some(org) = filter.organisation_id {
            q = q.filter(needs::organisation_id.eq(org));
        }
        if let Some(pool) = filter.pool_id {
            q = q.filter(needs::pool_id.eq(pool));
        }
        if let Some(status) = &filter.status {
            q = q.filter(needs::status.eq(status.clone()));
        }
        q
    };
    let items = query().order(needs::id.desc()).limit(limit).offset(offset).select(Need::as_select()).load(conn)?;
    let total = query().count().get_result(conn)?;
    Ok((items, total))
}
