use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConnection, schema::users};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub organisation_id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub token_version: i32,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub organisation_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table).values(new).returning(users::all_columns).get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(conn)
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table.filter(users::email.eq(email)).select(User::as_select()).first(conn).optional()
}

pub fn email_taken(conn: &mut DbConnection, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.filter(users::email.eq(email)))).get_result(conn)
}

pub fn of_organisation(conn: &mut DbConnection, organisation_id: i64) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::organisation_id.eq(organisation_id))
        .order(users::id)
        .select(User::as_select())
        .load(conn)
}

pub fn any_officer(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.filter(users::role.eq("officer")))).get_result(conn)
}

/// Active officers, who receive the emails of the central purchasing office.
pub fn officers(conn: &mut DbConnection) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::role.eq("officer"))
        .filter(users::disabled.eq(false))
        .order(users::id)
        .select(User::as_select())
        .load(conn)
}

/// Disables or re-enables a user; either way its tokens stop working.
pub fn set_disabled(conn: &mut DbConnection, id: i64, disabled: bool) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set((users::disabled.eq(disabled), users::token_version.eq(users::token_version + 1)))
        .returning(users::all_columns)
        .get_result(conn)
}

/// Replaces the password hash; tokens issued before stop working.
pub fn set_password(conn: &mut DbConnection, id: i64, password_hash: &str) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(password_hash), users::token_version.eq(users::token_version + 1)))
        .returning(users::all_columns)
        .get_result(conn)
}
