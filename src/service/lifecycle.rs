//! Pool transitions: the one place where a pool changes state, records the event of the
//! change, and queues the emails it causes.

use crate::{
    db::{
        self, WriteTx,
        models::{
            event::{self, Event},
            pool::{self, Pool, PoolChanges},
        },
    },
    domain::{
        events::{Crossing, PoolStep},
        pool_state::PoolState,
    },
    error::{ApiError, ApiResult},
};

/// Applies `step` to a pool the caller has locked, with `changes` to its other columns, and
/// records the event of the step with both states. A transition the lifecycle does not
/// allow is a 409 that names the current state.
pub fn transition(
    tx: &mut WriteTx,
    current: &Pool,
    step: PoolStep,
    actor: Option<i64>,
    mut changes: PoolChanges,
) -> ApiResult<(Pool, Event)> {
    let from = current.state;
    let to = from.apply(step.transition()).map_err(|why| ApiError::wrong_state(from.as_str(), why))?;
    let now = db::now();
    changes.state = Some(to);
    changes.updated_at = Some(now);
    let stamp = Some(Some(now));
    match to {
        PoolState::Funded => changes.funded_at = stamp,
        PoolState::Approved => changes.approved_at = stamp,
        PoolState::Rejected => changes.rejected_at = stamp,
        PoolState::Awarded => changes.awarded_at = stamp,
        PoolState::Delivered => changes.delivered_at = stamp,
        PoolState::Expired => changes.expired_at = stamp,
        PoolState::Cancelled => changes.cancelled_at = stamp,
        PoolState::Merged => changes.merged_at = stamp,
        // Reopened: `funded_at` says when the pool last reached its threshold, so it is
        // cleared while the pool is open again; the next crossing sets it anew, and every
        // crossing stays in the events.
        PoolState::Open => changes.funded_at = Some(None),
    }
    let updated = pool::update(tx, current.id, &changes)?;
    let event = event::record(tx, Some(current.id), &step.event(from, to), actor)?;
    if matches!(to, PoolState::Rejected | PoolState::Cancelled | PoolState::Expired | PoolState::Merged) {
        // An ended pool is never reviewed as a duplicate again.
        super::duplicates::ended(tx, current.id)?;
    }
    // Same transaction: the emails exist if and only if the change does.
    super::notifications::queue(tx, &event, &updated)?;
    tracing::info!(pool_id = current.id, event = %event.event.kind(), "pool transition");
    Ok((updated, event))
}

/// Funds a locked pool whose pledges reached its threshold; returns it as it is after.
/// Called after every change that can cross the threshold: a pledge, a threshold or target
/// edit, a merge. The pool row is locked by the caller, so two transactions can never both
/// see it open and both fund it. A pool without a target is never funded, whatever its
/// threshold: what participants pay is `min(pledged, target)` (SPEC §4).
pub fn fund_if_reached(tx: &mut WriteTx, current: Pool, actor: Option<i64>) -> ApiResult<Pool> {
    let reached = current.state == PoolState::Open
        && current.target_cents.is_some()
        && current.effective_threshold().is_some_and(|threshold| current.pledged_cents >= threshold);
    if !reached {
        return Ok(current);
    }
    let step = PoolStep::Fund(crossing(&current));
    let (funded, _event) = transition(tx, &current, step, actor, PoolChanges::default())?;
    Ok(funded)
}

/// Returns a locked funded pool to open when its pledges fell below its threshold (a
/// council refused a pledge); returns it as it is after. Like funding, it happens once per
/// crossing: the pool row is locked by the caller, and only a funded pool is reopened.
pub fn reopen_if_below(tx: &mut WriteTx, current: Pool, actor: Option<i64>) -> ApiResult<Pool> {
    let below = current.state == PoolState::Funded
        && current.effective_threshold().is_some_and(|threshold| current.pledged_cents < threshold);
    if !below {
        return Ok(current);
    }
    let step = PoolStep::Reopen(crossing(&current));
    let (reopened, _event) = transition(tx, &current, step, actor, PoolChanges::default())?;
    Ok(reopened)
}

/// Cancels a locked open pool left with no active need and no pledge (SPEC §15: after a
/// move, a join or a withdrawal), recording `pool.emptied`; returns it as it is after. Such
/// a pool could never be funded, and would stay in listings and search as a project no one
/// takes part in. A maintenance pool is left open: it waits for the organisations it
/// invited, which have no need in it.
pub fn close_if_emptied(tx: &mut WriteTx, current: Pool, actor: Option<i64>) -> ApiResult<Pool> {
    use crate::{
        db::models::{need, pledge},
        domain::kinds::PoolKind,
    };
    if current.state != PoolState::Open || current.kind == PoolKind::Maintenance {
        return Ok(current);
    }
    if !need::active_in_pool(tx, current.id)?.is_empty() || !pledge::of_pool(tx, current.id)?.is_empty() {
        return Ok(current);
    }
    let (emptied, _event) = transition(tx, &current, PoolStep::Empty, actor, PoolChanges::default())?;
    Ok(emptied)
}

/// Where the money of a pool stands as it crosses its threshold.
fn crossing(pool: &Pool) -> Crossing {
    Crossing {
        pledged_cents: pool.pledged_cents,
        threshold_cents: pool.effective_threshold(),
        target_cents: pool.target_cents,
    }
}
