//! `column IN (SELECT value FROM json_each(?))`: an `IN` list that SQLite prepares once.
//!
//! diesel's `eq_any` writes one placeholder per value, so a statement with one differs from a
//! statement with thirty, and diesel prepares it anew every time (parsing and planning it:
//! about a tenth of the SQLite writer's time per post, for the pools' states and the
//! catch-up's events). Bound as one JSON array, the list leaves the statement's text the
//! same whatever its length, and it stays in the connection's statement cache.
//! PostgreSQL binds the list as one array already (`= ANY($1)`): `eq_any` stays there.

use diesel::{
    QueryResult,
    expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping},
    query_builder::{AstPass, QueryFragment, QueryId},
    sql_types::{Bool, Text},
    sqlite::Sqlite,
};

/// `column IN (the values of the JSON array)`, for SQLite.
#[derive(Debug, Clone)]
pub struct InJson<C> {
    column: C,
    values: String,
}

/// The rows whose `column` is one of `values`.
pub fn in_json<C, T: serde::Serialize>(column: C, values: &[T]) -> InJson<C> {
    // A slice of numbers or strings always serialises.
    let values = serde_json::to_string(values).unwrap_or_else(|_| "[]".into());
    InJson { column, values }
}

impl<C: Expression> Expression for InJson<C> {
    type SqlType = Bool;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for InJson<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.values)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C: QueryId> QueryId for InJson<C> {
    type QueryId = InJson<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C: AppearsOnTable<QS>, QS: ?Sized> AppearsOnTable<QS> for InJson<C> {}

impl<C: SelectableExpression<QS>, QS: ?Sized> SelectableExpression<QS> for InJson<C> {}

impl<C: ValidGrouping<()>> ValidGrouping<()> for InJson<C> {
    type IsAggregate = C::IsAggregate;
}
