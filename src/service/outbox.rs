//! The outbox as officers (and the command line) see it: emails by status, and dead emails
//! put back in the queue.

use crate::{
    auth::Officer,
    db::{
        self, Tx, WriteTx,
        models::outbox::{self, OutboxRow},
    },
    domain::kinds::OutboxStatus,
    error::{ApiError, ApiResult},
};

/// Who looks after the outbox: an officer (the API, the pages), or the operator at the
/// server's command line (`mutua outbox`), who holds the database anyway and has no role.
#[derive(Clone, Copy, Debug)]
pub enum Keeper<'a> {
    Officer(&'a Officer),
    CommandLine,
}

impl<'a> From<&'a Officer> for Keeper<'a> {
    fn from(officer: &'a Officer) -> Self {
        Self::Officer(officer)
    }
}

/// A page of emails in `status`, newest first, and how many there are.
pub fn list(
    tx: &mut Tx,
    _: Keeper<'_>,
    status: OutboxStatus,
    limit: i64,
    offset: i64,
) -> ApiResult<(Vec<OutboxRow>, i64)> {
    Ok(outbox::list(tx, status, limit, offset)?)
}

/// Puts a dead email back in the queue, due now; 404 when no dead email has this id.
pub fn requeue(tx: &mut WriteTx, _: Keeper<'_>, id: i64) -> ApiResult<()> {
    match outbox::requeue(tx, id, db::now())? {
        0 => Err(ApiError::NotFound),
        _ => Ok(()),
    }
}
