use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConnection, schema::organisations};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub nis_code: Option<String>,
    pub population: Option<i64>,
    pub locale: String,
    pub contact_email: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = organisations)]
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub nis_code: Option<&'a str>,
    pub population: Option<i64>,
    pub locale: &'a str,
    pub contact_email: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewOrganisation) -> QueryResult<Organisation> {
    diesel::insert_into(organisations::table).values(new).returning(organisations::all_columns).get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Organisation> {
    organisations::table.find(id).select(Organisation::as_select()).first(conn)
}

/// The organisations with an id in `ids`.
pub fn by_ids(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Organisation>> {
    organisations::table.filter(organisations::id.eq_any(ids)).select(Organisation::as_select()).load(conn)
}

pub fn name_taken(conn: &mut DbConnection, name: &str) -> QueryResult<bool> {
    use diesel::dsl::{exists, select, sql};
    use diesel::sql_types::{Bool, Text};
    // lower() is the same function on both backends; the unique index uses it too.
    select(exists(organisations::table.filter(sql::<Bool>("lower(name) = lower(").bind::<Text, _>(name).sql(")"))))
        .get_result(conn)
}

pub fn list(conn: &mut DbConnection, limit: i64, offset: i64) -> QueryResult<(Vec<Organisation>, i64)> {
    let items = organisations::table
        .order(organisations::id)
        .limit(limit)
        .offset(offset)
        .select(Organisation::as_select())
        .load(conn)?;
    let total = organisations::table.count().get_result(conn)?;
    Ok((items, total))
}

pub fn find_by_kind(conn: &mut DbConnection, kind: &str) -> QueryResult<Option<Organisation>> {
    organisations::table
        .filter(organisations::kind.eq(kind))
        .order(organisations::id)
        .select(Organisation::as_select())
        .first(conn)
        .optional()
}
