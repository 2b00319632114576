//! Use cases. Each public function runs in one database transaction that holds the change,
//! its audit event and (from the mail layer) its outbox rows, so that either all of it is
//! committed or none.

pub mod lifecycle;
pub mod matcher;
pub mod needs;
pub mod pledges;
pub mod pool_view;
pub mod pools;

use crate::{domain::pool_state::PoolState, error::ApiError};

/// The state of a stored pool; a value outside the vocabulary is a bug, not a client error.
pub fn state_of(pool: &crate::db::models::pool::Pool) -> Result<PoolState, ApiError> {
    PoolState::parse(&pool.state).map_err(|e| ApiError::Internal(anyhow::anyhow!("pool {}: {e}", pool.id)))
}
