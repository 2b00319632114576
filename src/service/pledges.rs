//! An organisation's pledge to a pool: a cap on what it will pay.

use serde_json::json;

use super::{lifecycle, state_of};
use crate::{
    auth::AuthUser,
    db::{
        self, DbConnection,
        models::{
            event, pledge,
            pool::{self, Pool, PoolChanges},
        },
        write_tx,
    },
    error::{ApiError, ApiResult},
};

/// Locks an open pool for a pledge change; 409 naming the state otherwise.
fn lock_open(conn: &mut DbConnection, pool_id: i64) -> ApiResult<Pool> {
    let pool = pool::lock(conn, pool_id)?;
    let state = state_of(&pool)?;
    if !state.accepts_pledges() {
        return Err(ApiError::wrong_state(state.as_str(), "pledges can be changed only while the pool is open"));
    }
    Ok(pool)
}

/// Re-sums the pledges into the pool and funds it if that reached the threshold.
fn resum(conn: &mut DbConnection, pool_id: i64, actor: i64) -> ApiResult<Pool> {
    let pledged = pledge::total(conn, pool_id)?;
    let pool = pool::update(
        conn,
        pool_id,
        &PoolChanges { pledged_cents: Some(pledged), updated_at: Some(db::now()), ..Default::default() },
    )?;
    lifecycle::fund_if_reached(conn, pool, Some(actor))
}

/// Creates or changes the caller's organisation's pledge. The pool row is locked first, so
/// concurrent pledges to one pool apply one after the other: `pledged_cents` is always the
/// sum of the pledges, and exactly one of them funds the pool.
pub fn set(conn: &mut DbConnection, actor: &AuthUser, pool_id: i64, amount_cents: i64) -> ApiResult<Pool> {
    write_tx(conn, |conn| {
        lock_open(conn, pool_id)?;
        let previous = pledge::find(conn, pool_id, actor.organisation_id)?.map(|p| p.amount_cents);
        pledge::set(conn, pool_id, actor.organisation_id, amount_cents, db::now())?;
        event::record(
            conn,
            Some(pool_id),
            "pledge.set",
            Some(actor.id),
            &json!({"organisation_id": actor.organisation_id, "amount_cents": amount_cents, "previous_cents": previous}),
        )?;
        resum(conn, pool_id, actor.id)
    })
}

/// Withdraws the caller's organisation's pledge.
pub fn withdraw(conn: &mut DbConnection, actor: &AuthUser, pool_id: i64) -> ApiResult<Pool> {
    write_tx(conn, |conn| {
        lock_open(conn, pool_id)?;
        let Some(existing) = pledge::find(conn, pool_id, actor.organisation_id)? else {
            return Err(ApiError::NotFound);
        };
        pledge::delete(conn, existing.id)?;
        event::record(
            conn,
            Some(pool_id),
            "pledge.withdrawn",
            Some(actor.id),
            &json!({"organisation_id": actor.organisation_id, "amount_cents": existing.amount_cents}),
        )?;
        resum(conn, pool_id, actor.id)
    })
}
