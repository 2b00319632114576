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
    /// The enterprise number (BCE/KBO), ten digits.
    pub bce: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = organisations, treat_none_as_default_value = false)]
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub kind: OrganisationKind,
    pub nis_code: Option<&'a str>,
    pub population: Option<i64>,
    pub locale: Locale,
    pub contact_email: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub bce: Option<&'a str>,
}

/// What an update sets: every described field (absent optional ones become NULL).
#[derive(AsChangeset)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
pub struct OrganisationChanges<'a> {
    pub name: &'a str,
    pub kind: OrganisationKind,
    pub nis_code: Option<&'a str>,
    pub population: Option<i64>,
    pub locale: Locale,
    pub contact_email: Option<&'a str>,
    pub bce: Option<&'a str>,
}

pub fn insert(tx: &mut WriteTx, new: &NewOrganisation) -> QueryResult<Organisation> {
    diesel::insert_into(organisations::table).values(new).returning(organisations::all_columns).get_result(tx.conn())
}

pub fn update(tx: &mut WriteTx, id: i64, changes: &OrganisationChanges) -> QueryResult<Organisation> {
    let updated: Organisation = diesel::update(organisations::table.find(id))
        .set(changes)
        .returning(organisations::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("organisations", id))?;
    // What the session check read of it is no longer so.
    if tx.caller_organisation(id).is_some() {
        let (name, locale) = (updated.name.clone(), updated.locale);
        tx.note_caller_organisation(CallerOrganisation { id, name, locale });
    }
    Ok(updated)
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
    if let Some(caller) = tx.caller_organisation(id) {
        return Ok(caller.locale);
    }
    organisations::table.find(id).select(organisations::locale).first(tx.conn()).map_err(in_row("organisations", id))
}

/// The name and locale of an organisation: the caller's as its session check read them in
/// this transaction (`user::session_state`), another's read.
pub fn name_and_locale(tx: &mut Tx, id: i64) -> QueryResult<(String, Locale)> {
    if let Some(caller) = tx.caller_organisation(id) {
        return Ok((caller.name.clone(), caller.locale));
    }
    organisations::table
        .find(id)
        .select((organisations::name, organisations::locale))
        .first(tx.conn())
        .map_err(in_row("organisations", id))
}

/// The caller's organisation as the session check read it (`crate::db::Tx`).
#[derive(Clone, Debug)]
pub struct CallerOrganisation {
    pub id: i64,
    pub name: String,
    pub locale: Locale,
}

/// The organisations with an id in `ids`.
pub fn by_ids(tx: &mut Tx, ids: &[i64]) -> QueryResult<Vec<Organisation>> {
    organisations::table.filter(organisations::id.eq_any(ids)).select(Organisation::as_select()).load(tx.conn())
}

/// The organisation of that name, ignoring case.
pub fn find_by_name(tx: &mut Tx, name: &str) -> QueryResult<Option<Organisation>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};
    // lower() is the same function on both backends; the unique index uses it too.
    organisations::table
        .filter(sql::<Bool>("lower(name) = lower(").bind::<Text, _>(name).sql(")"))
        .select(Organisation::as_select())
        .first(tx.conn())
        .optional()
}

/// The organisation of that enterprise number (ten digits).
pub fn find_by_bce(tx: &mut Tx, bce: &str) -> QueryResult<Option<Organisation>> {
    organisations::table
        .filter(organisations::bce.eq(bce))
        .select(Organisation::as_select())
        .first(tx.conn())
        .optional()
}

/// The first organisation of that INS/NIS code and kind (a commune and its CPAS share a
/// code).
pub fn find_by_nis_code(tx: &mut Tx, nis_code: &str, kind: OrganisationKind) -> QueryResult<Option<Organisation>> {
    organisations::table
        .filter(organisations::nis_code.eq(nis_code))
        .filter(organisations::kind.eq(kind))
        .order(organisations::id)
        .select(Organisation::as_select())
        .first(tx.conn())
        .optional()
}

/// A page of the organisations whose name contains `search` (ignoring case), by name.
pub fn search(tx: &mut Tx, search: &str, limit: i64, offset: i64) -> QueryResult<(Vec<Organisation>, i64)> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};
    let pattern = format!("%{}%", search.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let matching = || {
        organisations::table
            .filter(sql::<Bool>("lower(name) LIKE ").bind::<Text, _>(pattern.clone()).sql(" ESCAPE '\\'"))
    };
    let items = matching()
        .order((organisations::name, organisations::id))
        .limit(limit)
        .offset(offset)
        .select(Organisation::as_select())
        .load(tx.conn())?;
    let total = matching().count().get_result(tx.conn())?;
    Ok((items, total))
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

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use diesel::{Connection, SqliteConnection, connection::InstrumentationEvent};
    use diesel_migrations::MigrationHarness;

    use super::*;
    use crate::{
        db::{
            SQLITE_MIGRATIONS,
            connection::DbConnection,
            models::user::{self, NewUser},
        },
        domain::kinds::{Role, UserStatus},
    };

    fn new_organisation(name: &str, locale: Locale) -> NewOrganisation<'_> {
        NewOrganisation {
            name,
            kind: OrganisationKind::Commune,
            nis_code: None,
            population: None,
            locale,
            contact_email: None,
            created_at: crate::db::now(),
            bce: None,
        }
    }

    /// The session check's statement brings the caller's organisation: a post reads it no
    /// second time (a round trip on PostgreSQL), and an update in the same transaction is
    /// what is read after it.
    #[test]
    fn the_callers_organisation_is_read_with_the_session_check_and_kept_current() {
        let mut sqlite = SqliteConnection::establish(":memory:").unwrap();
        sqlite.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
        let statements = Arc::new(AtomicUsize::new(0));
        let counted = statements.clone();
        sqlite.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { .. } = event {
                counted.fetch_add(1, Ordering::AcqRel);
            }
        });
        let mut conn = DbConnection::Sqlite(sqlite);
        let (own, other, member) = {
            let mut tx = WriteTx::new(&mut conn);
            let own = insert(&mut tx, &new_organisation("Namur", Locale::Fr)).unwrap();
            let other = insert(&mut tx, &new_organisation("Eupen", Locale::De)).unwrap();
            let member = user::insert(
                &mut tx,
                &NewUser {
                    organisation_id: own.id,
                    email: "membre@namur.be",
                    name: "Membre",
                    role: Role::Member,
                    password_hash: None,
                    status: UserStatus::Active,
                    created_at: crate::db::now(),
                },
            )
            .unwrap();
            (own, other, member)
        };
        let mut tx = WriteTx::new(&mut conn);
        assert_eq!(user::session_state(&mut tx, member.id).unwrap(), Some((member.token_version, false)));
        let before = statements.load(Ordering::Acquire);
        assert_eq!(name_and_locale(&mut tx, own.id).unwrap(), ("Namur".to_owned(), Locale::Fr));
        assert_eq!(locale_of(&mut tx, own.id).unwrap(), Locale::Fr);
        assert_eq!(statements.load(Ordering::Acquire), before, "the caller's organisation is not read again");
        assert_eq!(name_and_locale(&mut tx, other.id).unwrap(), ("Eupen".to_owned(), Locale::De));
        assert_eq!(statements.load(Ordering::Acquire), before + 1, "another organisation is read");

        let changes = OrganisationChanges {
            name: "Namen",
            kind: OrganisationKind::Commune,
            nis_code: None,
            population: None,
            locale: Locale::Nl,
            contact_email: None,
            bce: None,
        };
        update(&mut tx, own.id, &changes).unwrap();
        let before = statements.load(Ordering::Acquire);
        assert_eq!(name_and_locale(&mut tx, own.id).unwrap(), ("Namen".to_owned(), Locale::Nl));
        assert_eq!(statements.load(Ordering::Acquire), before, "kept as updated, not read again");
    }
}
