use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{in_row, organisation::CallerOrganisation};
use crate::{
    db::{
        Tx, WriteTx,
        schema::{organisations, users},
    },
    domain::kinds::{Locale, Role, UserStatus},
};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub organisation_id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// None until an invited user chooses its password (or for one who only signs in
    /// through single sign-on).
    pub password_hash: Option<String>,
    pub token_version: i32,
    pub status: UserStatus,
    /// The user's own language, overriding its organisation's for pages and emails.
    pub locale: Option<Locale>,
    pub created_at: NaiveDateTime,
}

impl User {
    /// Only an active user signs in, holds sessions and gets emails.
    pub fn is_active(&self) -> bool {
        self.status == UserStatus::Active
    }
}

#[derive(Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct NewUser<'a> {
    pub organisation_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
    pub status: UserStatus,
    pub created_at: NaiveDateTime,
}

pub fn insert(tx: &mut WriteTx, new: &NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table).values(new).returning(users::all_columns).get_result(tx.conn())
}

pub fn find(tx: &mut Tx, id: i64) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(tx.conn()).map_err(in_row("users", id))
}

pub fn find_by_email(tx: &mut Tx, email: &str) -> QueryResult<Option<User>> {
    users::table.filter(users::email.eq(email)).select(User::as_select()).first(tx.conn()).optional()
}

/// The user of `email`, its row locked until the transaction ends (as `pool::lock`):
/// requests for one account that count what was done for it before acting (the password
/// resets of an hour) queue here, each counting what the one before committed.
pub fn lock_by_email(tx: &mut WriteTx, email: &str) -> QueryResult<Option<User>> {
    // A column no key or index uses, written to itself.
    diesel::update(users::table.filter(users::email.eq(email)))
        .set(users::created_at.eq(users::created_at))
        .returning(users::all_columns)
        .get_result(tx.conn())
        .optional()
}

pub fn email_taken(tx: &mut Tx, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.filter(users::email.eq(email)))).get_result(tx.conn())
}

/// What decides whether a user's session holds: `(token_version, not active)`. Its
/// organisation's name and locale come in the same statement, kept for the rest of the
/// transaction (`organisation::name_and_locale`): a post needs them, and a statement is a
/// round trip on PostgreSQL.
pub fn session_state(tx: &mut Tx, id: i64) -> QueryResult<Option<(i32, bool)>> {
    let found: Option<(i32, UserStatus, i64, String, Locale)> = users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(id))
        .select((users::token_version, users::status, organisations::id, organisations::name, organisations::locale))
        .first(tx.conn())
        .optional()?;
    Ok(found.map(|(version, status, organisation_id, name, locale)| {
        tx.note_caller_organisation(CallerOrganisation { id: organisation_id, name, locale });
        (version, status != UserStatus::Active)
    }))
}

pub fn of_organisation(tx: &mut Tx, organisation_id: i64) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::organisation_id.eq(organisation_id))
        .order(users::id)
        .select(User::as_select())
        .load(tx.conn())
}

pub fn any_officer(tx: &mut Tx) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.filter(users::role.eq(Role::Officer)))).get_result(tx.conn())
}

/// Changes a user's status; whatever it becomes, its tokens stop working.
pub fn set_status(tx: &mut WriteTx, id: i64, status: UserStatus) -> QueryResult<User> {
    tx.touch_user(id);
    diesel::update(users::table.find(id))
        .set((users::status.eq(status), users::token_version.eq(users::token_version + 1)))
        .returning(users::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("users", id))
}

/// Gives another role; tokens (which carry the role) issued before stop working.
pub fn set_role(tx: &mut WriteTx, id: i64, role: Role) -> QueryResult<User> {
    tx.touch_user(id);
    diesel::update(users::table.find(id))
        .set((users::role.eq(role), users::token_version.eq(users::token_version + 1)))
        .returning(users::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("users", id))
}

/// Changes a user's name and own language (`None`: its organisation's).
pub fn set_profile(tx: &mut WriteTx, id: i64, name: &str, locale: Option<Locale>) -> QueryResult<User> {
    tx.touch_user(id);
    diesel::update(users::table.find(id))
        .set((users::name.eq(name), users::locale.eq(locale)))
        .returning(users::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("users", id))
}

/// Replaces the password hash; tokens issued before stop working.
pub fn set_password(tx: &mut WriteTx, id: i64, password_hash: &str) -> QueryResult<User> {
    tx.touch_user(id);
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(Some(password_hash)), users::token_version.eq(users::token_version + 1)))
        .returning(users::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("users", id))
}

/// Ends every token of the user ("sign out everywhere"): the tokens issued before carry an
/// older version.
pub fn end_tokens(tx: &mut WriteTx, id: i64) -> QueryResult<User> {
    tx.touch_user(id);
    diesel::update(users::table.find(id))
        .set(users::token_version.eq(users::token_version + 1))
        .returning(users::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("users", id))
}

/// Sets the password an invited user chose, or the one a reset link allowed, and makes the
/// user active; tokens issued before stop working.
pub fn activate_with_password(tx: &mut WriteTx, id: i64, password_hash: &str) -> QueryResult<User> {
    tx.touch_user(id);
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(Some(password_hash)),
            users::status.eq(UserStatus::Active),
            users::token_version.eq(users::token_version + 1),
        ))
        .returning(users::all_columns)
        .get_result(tx.conn())
        .map_err(in_row("users", id))
}

/// Someone an email goes to: an active user, with its organisation's name, and its own
/// language or else its organisation's.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub organisation_id: i64,
    pub organisation: String,
    pub locale: Locale,
    pub role: Role,
}

/// The active users of these organisations, and every active officer when
/// `with_officers`; by user id.
/// A recipient as read: user id, email, name, organisation id and name, the organisation's
/// language, the user's own, and its role.
type RecipientRow = (i64, String, String, i64, String, Locale, Option<Locale>, Role);

pub fn recipients(tx: &mut Tx, organisation_ids: &[i64], with_officers: bool) -> QueryResult<Vec<Recipient>> {
    let mut query =
        users::table.inner_join(organisations::table).filter(users::status.eq(UserStatus::Active)).into_boxed();
    query = if with_officers {
        query.filter(users::organisation_id.eq_any(organisation_ids.to_vec()).or(users::role.eq(Role::Officer)))
    } else {
        query.filter(users::organisation_id.eq_any(organisation_ids.to_vec()))
    };
    let rows: Vec<RecipientRow> = query
        .order(users::id)
        .select((
            users::id,
            users::email,
            users::name,
            organisations::id,
            organisations::name,
            organisations::locale,
            users::locale,
            users::role,
        ))
        .load(tx.conn())?;
    Ok(rows
        .into_iter()
        .map(|(user_id, email, name, organisation_id, organisation, org_locale, own, role)| Recipient {
            user_id,
            email,
            name,
            organisation_id,
            organisation,
            locale: own.unwrap_or(org_locale),
            role,
        })
        .collect())
}
