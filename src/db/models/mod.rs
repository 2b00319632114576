//! Rows of each table and every query on them. Reads take a [`Tx`](super::Tx), writes a
//! [`WriteTx`](super::WriteTx). Rows never leave the service layer as they are: routes turn
//! them into response structs.

pub mod account_token;
pub mod duplicate;
pub mod event;
pub mod idempotency;
mod in_json;
pub mod index_feed;
pub mod need;
pub mod oidc_login;
pub mod organisation;
pub mod outbox;
pub mod pledge;
pub mod pool;
#[cfg(test)]
pub(crate) mod scratch;
pub mod user;
pub mod web_session;

/// Names the row whose reading failed: a stored value outside its vocabulary is logged
/// with the table and the id.
pub(crate) fn in_row(table: &'static str, id: i64) -> impl FnOnce(diesel::result::Error) -> diesel::result::Error {
    move |error| match error {
        diesel::result::Error::DeserializationError(cause) => {
            diesel::result::Error::DeserializationError(format!("{table} row {id}: {cause}").into())
        }
        other => other,
    }
}
