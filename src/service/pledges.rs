//! An organisation's pledge to a pool: a cap on what it will pay.

use serde_json::json;

use super::lifecycle;
use crate::{
    auth::AuthUser,
    db::{
        self, WriteTx,
        models::{
            event, pledge,
            pool::{self, Pool, PoolChanges},
        },
    },
    domain::money::Cents,
    error::{ApiError, ApiResult},
};

/// Locks an open pool for a pledge change; 409 naming the state otherwise.
fn lock_open(tx: &mut WriteTx, pool_id: i64) -> ApiResult<Pool> {
    let pool = pool::lock(tx, pool_id)?;
    if !pool.state.accepts_pledges() {
        return Err(ApiError::wrong_state(pool.state.as_str(), "pledges can be changed only while the pool is open"));
    }
    Ok(pool)
}

/// Re-sums the pledges into the pool and funds it if that reached the threshold.
fn resum(tx: &mut WriteTx, pool_id: i64, actor: i64) -> ApiResult<Pool> {
    let pledged = pledge::total(tx, pool_id)?;
    let pool = pool::update(
        tx,
        pool_id,
        &PoolChanges { pledged_cents: Some(pledged), updated_at: Some(db::now()), ..Default::default() },
    )?;
    lifecycle::fund_if_reached(tx, pool, Some(actor))
}

/// Creates or changes the caller's organisation's pledge. The pool row is locked first, so
/// concurrent pledges to one pool apply one after the other: `pledged_cents` is always the
/// sum of the pledges, and exactly one of them funds the pool.
pub fn set(tx: &mut WriteTx, actor: &AuthUser, pool_id: i64, amount: Cents) -> ApiResult<Pool> {
    lock_open(tx, pool_id)?;
    let previous = pledge::find(tx, pool_id, actor.organisation_id)?.map(|p| p.amount_cents);
    pledge::set(tx, pool_id, actor.organisation_id, amount, db::now())?;
    event::record(
        tx,
        Some(pool_id),
        "pledge.set",
        Some(actor.id),
        &json!({"organisation_id": actor.organisation_id, "amount_cents": amount, "previous_cents": previous}),
    )?;
    resum(tx, pool_id, actor.id)
}

/// Withdraws the caller's organisation's pledge.
pub fn withdraw(tx: &mut WriteTx, actor: &AuthUser, pool_id: i64) -> ApiResult<Pool> {
    lock_open(tx, pool_id)?;
    let Some(existing) = pledge::find(tx, pool_id, actor.organisation_id)? else {
        return Err(ApiError::NotFound);
    };
    pledge::delete(tx, existing.id)?;
    event::record(
        tx,
        Some(pool_id),
        "pledge.withdrawn",
        Some(actor.id),
        &json!({"organisation_id": actor.organisation_id, "amount_cents": existing.amount_cents}),
    )?;
    resum(tx, pool_id, actor.id)
}
