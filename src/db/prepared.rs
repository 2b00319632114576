//! A statement written in SQL that the connection prepares once and keeps, like the
//! statements diesel builds. `diesel::sql_query` never keeps one: each run is parsed and
//! planned again. Only for statements whose plan cannot depend on their parameters (no
//! table whose size or contents make one plan better than another), since PostgreSQL may
//! settle on one generic plan for every later run.

use diesel::{
    QueryResult, RunQueryDsl,
    backend::Backend,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
};

/// `query` (a `sql_query` and its binds), prepared once per connection.
#[derive(Debug, Clone, Copy)]
pub struct Prepared<Q>(pub Q);

impl<Q, DB> QueryFragment<DB> for Prepared<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    /// The text is fixed, and so are the types of its binds: one statement fits every run.
    fn is_safe_to_cache_prepared(&self, _: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

/// Kept by its text and the types of its binds.
impl<Q> QueryId for Prepared<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> RunQueryDsl<Conn> for Prepared<Q> {}
