use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::in_row;
use crate::{
    db::{Tx, WriteTx, schema::organisations},
    domain::kinds::{Locale, OrganisationKind},
};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrganisationKind,
    pub nis_code: Option<String>,
    pub population: Option<i64>,
    pub locale: Locale,
    pub contact_email: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = organisations)]
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub kind: OrganisationKind,
    pub nis_code: Option<&'a str>,
    pub population: Option<i64>,
    pub locale: Locale,
    pub contact_email: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert(tx: &mut WriteTx, new: &NewOrganisation) -> QueryResult<Organisation> {
    diesel::insert_into(organisations::table).values(new).returning(organisations::all_columns).get_result(tx.conn())
}

pub fn find(tx: &mut Tx, id: i64) -> QueryResult<Organisation> {
    organisations::table
        .find(id)
        .select(Organisation::as_select())
        .first(tx.conn())
        .map_err(in_row("organisations", id))
}

/// The locale of an organisation (the language its needs are analysed in by default).
pub fn locale_of(tx: &mut Tx, id: i64) -> QueryResult<Locale> {
    organisations::table.find(id).select(organisations::locale).first(tx.conn()).map_err(in_row("organisations", id))
}

/// The organisations with an id in `ids`.
pub fn by_ids(tx: &mut Tx, ids: &[i64]) -> QueryResult<Vec<Organisation>> {
    organisations::table.filter(organisations::id.eq_any(ids)).select(Organisation::as_select()).load(tx.conn())
}

pub fn name_taken(tx: &mut Tx, name: &str) -> QueryResult<bool> {
    use diesel::dsl::{exists, select, sql};
    use diesel::sql_types::{Bool, Text};
    // lower() is the same function on both backends; the unique index uses it too.
    select(exists(organisations::table.filter(sql::<Bool>("lower(name) = lower(").bind::<Text, _>(name).sql(")"))))
        .get_result(tx.conn())
}

pub fn list(tx: &mut Tx, limit: i64, offset: i64) -> QueryResult<(Vec<Organisation>, i64)> {
    let items = organisations::table
        .order(organisations::id)
        .limit(limit)
        .offset(offset)
        .select(Organisation::as_select())
        .load(tx.conn())?;
    let total = organisations::table.count().get_result(tx.conn())?;
    Ok((items, total))
}

pub fn find_by_kind(tx: &mut Tx, kind: OrganisationKind) -> QueryResult<Option<Organisation>> {
    organisations::table
        .filter(organisations::kind.eq(kind))
        .order(organisations::id)
        .select(Organisation::as_select())
        .first(tx.conn())
        .optional()
}
