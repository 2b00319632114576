//! The outbox as officers (and the command line) see it: emails by status, and dead emails
//! put back in the queue.

use crate::{
    db::{
        self, Tx, WriteTx,
        models::outbox::{self, OutboxRow},
    },
    domain::kinds::OutboxStatus,
    error::{ApiError, ApiResult},
};

/// A page of emails in `status`, newest first, and how many there are.
pub fn list(tx: &mut Tx, status: OutboxStatus, limit: i64, offset: i64) -> ApiResult<(Vec<OutboxRow>, i64)> {
    Ok(outbox::list(tx, status, limit, offset)?)
}

/// Puts a dead email back in the queue, due now; 404 when no dead email has this id.
pub fn requeue(tx: &mut WriteTx, id: i64) -> ApiResult<()> {
    match outbox::requeue(tx, id, db::now())? {
        0 => Err(ApiError::NotFound),
        _ => Ok(()),
    }
}
