//! An organisation's pledge to a pool: a cap on what it will pay, provisional until its
//! council decides (SPEC section 10).

use super::lifecycle;
use crate::{
    auth::Member,
    db::{
        self, WriteTx,
        models::{
            event,
            pledge::{self, Pledge},
            pool::{self, Pool, PoolChanges},
        },
    },
    domain::{
        cooling_off::{COOLING_OFF, cooling_off_left, retry_after_seconds},
        council::{Confirmation, Refusal},
        events::{DomainEvent, EventKind, PledgeAmount, PledgeConfirmed, PledgeRefused, PledgeSet},
        kinds::PledgeStatus,
        money::Cents,
    },
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

/// 409 `/problems/cooling-off` while the council refusal of the organisation's last pledge
/// to this pool is less than a day old (SPEC §15), read from the pool's `pledge.refused`
/// events of that day.
fn check_cooling_off(tx: &mut WriteTx, pool_id: i64, organisation_id: i64) -> ApiResult<()> {
    let now = db::now();
    let refusals = event::of_pool_kind_since(tx, pool_id, EventKind::PledgeRefused, now - COOLING_OFF)?;
    let last = refusals
        .iter()
        .filter(|e| matches!(&e.event, DomainEvent::PledgeRefused(r) if r.organisation_id == organisation_id))
        .map(|e| e.at)
        .max();
    match last.and_then(|refused_at| cooling_off_left(refused_at, now)) {
        Some(left) => Err(ApiError::CoolingOff { retry_after_seconds: retry_after_seconds(left) }),
        None => Ok(()),
    }
}

/// Re-sums the pledges into the locked pool.
fn resum(tx: &mut WriteTx, pool_id: i64) -> ApiResult<Pool> {
    let pledged = pledge::total(tx, pool_id)?;
    Ok(pool::update(
        tx,
        pool_id,
        &PoolChanges { pledged_cents: Some(pledged), updated_at: Some(db::now()), ..Default::default() },
    )?)
}

/// Creates or changes the caller's organisation's pledge. The pool row is locked first, so
/// concurrent pledges to one pool apply one after the other: `pledged_cents` is always the
/// sum of the pledges, and exactly one of them funds the pool.
///
/// A new amount is provisional, even if the old one was confirmed: the council decided on
/// the old one. The same amount again changes nothing. An organisation whose pledge its
/// council refused waits a day before pledging to that pool again.
pub fn set(tx: &mut WriteTx, actor: &Member, pool_id: i64, amount: Cents) -> ApiResult<Pool> {
    let pool = lock_open(tx, pool_id)?;
    check_cooling_off(tx, pool_id, actor.organisation_id)?;
    let previous = pledge::find(tx, pool_id, actor.organisation_id)?;
    if previous.as_ref().is_some_and(|p| p.amount_cents == amount) {
        return Ok(pool);
    }
    pledge::set(tx, pool_id, actor.organisation_id, amount, db::now())?;
    let set = DomainEvent::PledgeSet(PledgeSet {
        organisation_id: actor.organisation_id,
        amount_cents: amount,
        previous_cents: previous.as_ref().map(|p| p.amount_cents),
        previous_status: previous.as_ref().map(|p| p.status),
    });
    event::record(tx, Some(pool_id), &set, Some(actor.id))?;
    let pool = resum(tx, pool_id)?;
    lifecycle::fund_if_reached(tx, pool, Some(actor.id))
}

/// Withdraws the caller's organisation's pledge (only while the pool is open).
pub fn withdraw(tx: &mut WriteTx, actor: &Member, pool_id: i64) -> ApiResult<Pool> {
    lock_open(tx, pool_id)?;
    let Some(existing) = pledge::find(tx, pool_id, actor.organisation_id)? else {
        return Err(ApiError::NotFound);
    };
    pledge::delete(tx, existing.id)?;
    let withdrawn = DomainEvent::PledgeWithdrawn(PledgeAmount {
        organisation_id: actor.organisation_id,
        amount_cents: existing.amount_cents,
    });
    event::record(tx, Some(pool_id), &withdrawn, Some(actor.id))?;
    let pool = resum(tx, pool_id)?;
    lifecycle::fund_if_reached(tx, pool, Some(actor.id))
}

/// Locks a pool for a council decision on the caller's organisation's pledge: 404 without
/// such a pledge, 409 naming the state unless the pool is open or funded.
fn lock_for_decision(tx: &mut WriteTx, actor: &Member, pool_id: i64) -> ApiResult<(Pool, Pledge)> {
    let pool = pool::lock(tx, pool_id)?;
    let Some(pledge) = pledge::find(tx, pool_id, actor.organisation_id)? else {
        return Err(ApiError::NotFound);
    };
    if !pool.state.accepts_council_decisions() {
        return Err(ApiError::wrong_state(
            pool.state.as_str(),
            "a council's decision is recorded only while the pool is open or funded",
        ));
    }
    Ok((pool, pledge))
}

/// Records the council decision that confirms the caller's organisation's pledge. Recording
/// another decision for a confirmed pledge replaces it (a corrected reference): the event
/// keeps both.
pub fn confirm(tx: &mut WriteTx, actor: &Member, pool_id: i64, decision: Confirmation) -> ApiResult<Pool> {
    let (pool, existing) = lock_for_decision(tx, actor, pool_id)?;
    pledge::confirm(tx, existing.id, &decision, db::now())?;
    let confirmed = DomainEvent::PledgeConfirmed(PledgeConfirmed {
        organisation_id: actor.organisation_id,
        amount_cents: existing.amount_cents,
        decision_ref: decision.reference,
        decision_date: decision.date,
        decided_by: decision.decided_by,
        replaces_decision_ref: existing.decision_ref,
    });
    event::record(tx, Some(pool_id), &confirmed, Some(actor.id))?;
    Ok(pool)
}

/// Records that the council refused the caller's organisation's provisional pledge, which
/// is withdrawn, even from a funded pool. A funded pool left below its threshold returns to
/// open (`pool.reopened`). A confirmed pledge cannot be refused: 409.
pub fn refuse(tx: &mut WriteTx, actor: &Member, pool_id: i64, refusal: Refusal) -> ApiResult<Pool> {
    let (_, existing) = lock_for_decision(tx, actor, pool_id)?;
    if existing.status == PledgeStatus::Confirmed {
        return Err(ApiError::Conflict(format!(
            "the pledge is confirmed by decision {}: only a provisional pledge can be refused",
            existing.decision_ref.as_deref().unwrap_or("?")
        )));
    }
    pledge::delete(tx, existing.id)?;
    let cause = DomainEvent::PledgeRefused(PledgeRefused {
        organisation_id: actor.organisation_id,
        amount_cents: existing.amount_cents,
        decision_ref: refusal.reference,
        decision_date: refusal.date,
    });
    event::record(tx, Some(pool_id), &cause, Some(actor.id))?;
    let pool = resum(tx, pool_id)?;
    lifecycle::reopen_if_below(tx, pool, Some(actor.id))
}
