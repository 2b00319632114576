//! Statements written in SQL that the connection prepares once and keeps, like those diesel
//! builds. `diesel::sql_query` never keeps one: each run is parsed (and, on PostgreSQL,
//! planned) again.
//!
//! The text marks each parameter with `?`, which becomes `$1`, `$2`… on PostgreSQL: the text
//! may hold no other `?` (PostgreSQL's `jsonb` operators). Only for statements whose plan
//! cannot depend on their parameters (no table whose size or contents make one plan better
//! than another), since PostgreSQL may settle on one generic plan for every later run.
//! Rows are read by name (`QueryableByName`), as from `sql_query`.

use std::marker::PhantomData;

use diesel::{
    QueryResult, RunQueryDsl,
    backend::Backend,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    serialize::ToSql,
    sql_types::{HasSqlType, Untyped},
};

/// A statement of `sql`, whose parameters are given by [`Prepared::bind`], in order.
pub fn prepared(sql: &'static str) -> Prepared<()> {
    Prepared { sql, binds: () }
}

#[derive(Debug, Clone)]
pub struct Prepared<B> {
    sql: &'static str,
    binds: B,
}

impl<B> Prepared<B> {
    /// Binds the next `?` to `value`, as SQL type `ST`.
    pub fn bind<ST, V>(self, value: V) -> Prepared<Bound<B, ST, V>> {
        Prepared { sql: self.sql, binds: Bound { before: self.binds, value, sql_type: PhantomData } }
    }
}

/// The values bound so far: those `before`, then `value`.
#[derive(Debug, Clone)]
pub struct Bound<B, ST, V> {
    before: B,
    value: V,
    sql_type: PhantomData<ST>,
}

/// Writes each value after the piece of text before its `?`.
pub trait Binds<DB: Backend> {
    /// How many values.
    const COUNT: usize;

    fn walk<'b>(
        &'b self,
        out: &mut AstPass<'_, 'b, DB>,
        pieces: &mut std::str::Split<'static, char>,
    ) -> QueryResult<()>;
}

impl<DB: Backend> Binds<DB> for () {
    const COUNT: usize = 0;

    fn walk<'b>(&'b self, _: &mut AstPass<'_, 'b, DB>, _: &mut std::str::Split<'static, char>) -> QueryResult<()> {
        Ok(())
    }
}

impl<DB, B, ST, V> Binds<DB> for Bound<B, ST, V>
where
    DB: Backend + HasSqlType<ST>,
    B: Binds<DB>,
    V: ToSql<ST, DB>,
{
    const COUNT: usize = B::COUNT + 1;

    fn walk<'b>(
        &'b self,
        out: &mut AstPass<'_, 'b, DB>,
        pieces: &mut std::str::Split<'static, char>,
    ) -> QueryResult<()> {
        self.before.walk(out, pieces)?;
        out.push_sql(pieces.next().unwrap_or_default());
        out.push_bind_param::<ST, V>(&self.value)
    }
}

impl<DB: Backend, B: Binds<DB>> QueryFragment<DB> for Prepared<B> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let markers = self.sql.matches('?').count();
        if markers != B::COUNT {
            let error = format!("{markers} parameters marked and {} bound in: {}", B::COUNT, self.sql);
            return Err(diesel::result::Error::QueryBuilderError(error.into()));
        }
        let mut pieces = self.sql.split('?');
        self.binds.walk(&mut out, &mut pieces)?;
        out.push_sql(pieces.next().unwrap_or_default());
        Ok(())
    }
}

/// Kept by its text and the types of its parameters.
impl<B> QueryId for Prepared<B> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<B> Query for Prepared<B> {
    type SqlType = Untyped;
}

impl<B, Conn> RunQueryDsl<Conn> for Prepared<B> {}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use diesel::{
        Connection, QueryableByName, SqliteConnection, connection::InstrumentationEvent, debug_query, pg::Pg,
        sql_types::Integer, sqlite::Sqlite,
    };

    use super::*;

    #[derive(QueryableByName)]
    struct Sum {
        #[diesel(sql_type = Integer)]
        n: i32,
    }

    #[test]
    fn a_statement_is_prepared_once_and_kept() {
        let cached = Arc::new(Mutex::new(Vec::new()));
        let seen = cached.clone();
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::CacheQuery { sql, .. } = event {
                seen.lock().unwrap().push(sql.to_owned());
            }
        });
        for i in 0..3 {
            let sum: Sum = prepared("SELECT ? + ? AS n")
                .bind::<Integer, _>(i)
                .bind::<Integer, _>(1)
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(sum.n, i + 1);
        }
        assert_eq!(*cached.lock().unwrap(), ["SELECT ? + ? AS n"], "prepared once, then taken from the cache");
    }

    /// SQLite plans `LIMIT ?` with the value bound, and then prepares the statement again
    /// whenever that parameter is bound again, unless built with `SQLITE_ENABLE_QPSG`
    /// (`.cargo/config.toml`): diesel binds every limit (`.first()` too), so the statement
    /// cache would be of no use to those statements.
    #[test]
    fn a_kept_statement_with_a_bound_limit_is_not_prepared_again() {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        for limit in [1, 2, 1] {
            let sum: Sum = prepared("SELECT ? AS n LIMIT ?")
                .bind::<Integer, _>(7)
                .bind::<diesel::sql_types::BigInt, _>(limit)
                .get_result(&mut conn)
                .unwrap();
            assert_eq!(sum.n, 7);
        }
        let prepared_again: Count = diesel::sql_query(
            "SELECT coalesce(sum(reprep), -1) AS n FROM sqlite_stmt WHERE sql = 'SELECT ? AS n LIMIT ?'",
        )
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(prepared_again.n, 0, "run three times, prepared once");
    }

    #[test]
    fn each_marker_becomes_the_backends_own_and_a_miscount_is_refused() {
        let query = prepared("SELECT ? + ?::int4, 'a'").bind::<Integer, _>(1).bind::<Integer, _>(2);
        assert_eq!(debug_query::<Pg, _>(&query).to_string(), "SELECT $1 + $2::int4, 'a' -- binds: [1, 2]");
        assert_eq!(debug_query::<Sqlite, _>(&query).to_string(), "SELECT ? + ?::int4, 'a' -- binds: [1, 2]");
        let short = prepared("SELECT ? + ?").bind::<Integer, _>(1);
        assert!(QueryFragment::<Pg>::to_sql(&short, &mut diesel::pg::PgQueryBuilder::default(), &Pg).is_err());
    }
}
