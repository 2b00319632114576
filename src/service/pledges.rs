//! An organisation's pledge to a pool: a cap on what it will pay, provisional until its
//! council decides (SPEC section 10).

use super::{lifecycle, notifications};
use crate::{
    auth::{Member, Officer},
    db::{
        self, Tx, WriteTx,
        models::{
            event,
            pledge::{self, Pledge},
            pool::{self, Pool, PoolChanges},
        },
    },
    domain::{
        cooling_off::{COOLING_OFF, cooling_off_left, retry_after_seconds},
        council::{Confirmation, Refusal},
        events::{
            DomainEvent, EventKind, PledgeAmount, PledgeConfirmed, PledgeCorrected, PledgeDropped, PledgeRefused,
            PledgeSet,
        },
        kinds::PledgeStatus,
        money::Cents,
        pledge_rules::{self, AmountRefusal},
        pool_state::PoolState,
    },
    error::{ApiError, ApiResult},
};

/// The amount's rules (SPEC §15): 409 `/problems/no-target` while the pool's cost is not
/// set, 422 naming `amount_cents` above it.
fn check_amount(pool: &Pool, amount: Cents) -> ApiResult<()> {
    pledge_rules::check_amount(pool.target_cents, amount).map_err(|refused| match refused {
        AmountRefusal::NoTarget => ApiError::NoTarget,
        AmountRefusal::AboveCost { target } => ApiError::AboveCost { target_cents: target },
    })
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
/// A pledge is at most the pool's cost, and a pool without one takes none (SPEC §15). An
/// open pool takes any amount; a funded pool, until approved, takes a new pledge or a higher
/// one (a latecomer: what each pays never rises, the cost being covered already), and a
/// lower one only within the hour of setting it (`pledge.corrected`), which may reopen it.
///
/// A new amount is provisional, even if the old one was confirmed: the council decided on
/// the old one. The same amount again changes nothing. An organisation whose pledge its
/// council refused waits a day before pledging to that pool again.
pub fn set(tx: &mut WriteTx, actor: &Member, pool_id: i64, amount: Cents) -> ApiResult<Pool> {
    let pool = pool::lock(tx, pool_id)?;
    let previous = pledge::find(tx, pool_id, actor.organisation_id)?;
    let now = db::now();
    let lowered = previous.as_ref().filter(|p| amount < p.amount_cents);
    let correction = match pool.state {
        PoolState::Open => false,
        PoolState::Funded => match lowered {
            None => false,
            Some(p) if pledge_rules::correctable(p.status, p.updated_at, now) => true,
            Some(_) => {
                return Err(ApiError::wrong_state(
                    pool.state.as_str(),
                    "a pledge to a funded pool can rise, not fall, once its correction hour is over; \
                     a council's refusal withdraws it",
                ));
            }
        },
        state => {
            return Err(ApiError::wrong_state(
                state.as_str(),
                "pledges can be changed only while the pool is open or funded",
            ));
        }
    };
    check_amount(&pool, amount)?;
    check_cooling_off(tx, pool_id, actor.organisation_id)?;
    if previous.as_ref().is_some_and(|p| p.amount_cents == amount) {
        return Ok(pool);
    }
    pledge::set(tx, pool_id, actor.organisation_id, amount, now)?;
    let recorded = match (correction, &previous) {
        (true, Some(previous)) => DomainEvent::PledgeCorrected(PledgeCorrected {
            organisation_id: actor.organisation_id,
            previous_cents: previous.amount_cents,
            amount_cents: Some(amount),
        }),
        _ => DomainEvent::PledgeSet(PledgeSet {
            organisation_id: actor.organisation_id,
            amount_cents: amount,
            previous_cents: previous.as_ref().map(|p| p.amount_cents),
            previous_status: previous.as_ref().map(|p| p.status),
        }),
    };
    event::record(tx, Some(pool_id), &recorded, Some(actor.id))?;
    let pool = resum(tx, pool_id)?;
    let pool = lifecycle::reopen_if_below(tx, pool, Some(actor.id))?;
    lifecycle::fund_if_reached(tx, pool, Some(actor.id))
}

/// Withdraws the caller's organisation's pledge: while the pool is open, or within the
/// pledge's correction hour while it is funded (`pledge.corrected`, which may reopen it). An
/// open pool left with no need and no pledge is cancelled (`pool.emptied`).
pub fn withdraw(tx: &mut WriteTx, actor: &Member, pool_id: i64) -> ApiResult<Pool> {
    let pool = pool::lock(tx, pool_id)?;
    let Some(existing) = pledge::find(tx, pool_id, actor.organisation_id)? else {
        return Err(ApiError::NotFound);
    };
    let withdrawn = match pool.state {
        PoolState::Open => DomainEvent::PledgeWithdrawn(PledgeAmount {
            organisation_id: actor.organisation_id,
            amount_cents: existing.amount_cents,
        }),
        PoolState::Funded if pledge_rules::correctable(existing.status, existing.updated_at, db::now()) => {
            DomainEvent::PledgeCorrected(PledgeCorrected {
                organisation_id: actor.organisation_id,
                previous_cents: existing.amount_cents,
                amount_cents: None,
            })
        }
        state => {
            return Err(ApiError::wrong_state(
                state.as_str(),
                "a pledge is withdrawn while the pool is open, or within the hour of setting it while \
                 funded; after that only its council's refusal withdraws it",
            ));
        }
    };
    pledge::delete(tx, existing.id)?;
    event::record(tx, Some(pool_id), &withdrawn, Some(actor.id))?;
    let pool = resum(tx, pool_id)?;
    let pool = lifecycle::reopen_if_below(tx, pool, Some(actor.id))?;
    lifecycle::close_if_emptied(tx, pool, Some(actor.id))
}

/// Removes an organisation's provisional pledge on an officer's word (SPEC §15), with the
/// reason emailed to that organisation's users (`pledge.dropped`): the way out of a pledge
/// whose council never decides, or an amount no one else can undo. A confirmed pledge is
/// its council's decision: 409. A funded pool left below its threshold returns to open.
pub fn drop(
    tx: &mut WriteTx,
    officer: &Officer,
    pool_id: i64,
    organisation_id: i64,
    reason: String,
) -> ApiResult<Pool> {
    let pool = pool::lock(tx, pool_id)?;
    let Some(existing) = pledge::find(tx, pool_id, organisation_id)? else {
        return Err(ApiError::NotFound);
    };
    if !pool.state.accepts_council_decisions() {
        return Err(ApiError::wrong_state(
            pool.state.as_str(),
            "a pledge is dropped only while the pool is open or funded",
        ));
    }
    if existing.status == PledgeStatus::Confirmed {
        return Err(ApiError::Conflict(format!(
            "the pledge is confirmed by decision {}: only a provisional pledge can be dropped",
            existing.decision_ref.as_deref().unwrap_or("?")
        )));
    }
    pledge::delete(tx, existing.id)?;
    let dropped = DomainEvent::PledgeDropped(PledgeDropped {
        organisation_id,
        amount_cents: existing.amount_cents,
        reason: reason.clone(),
    });
    let recorded = event::record(tx, Some(pool_id), &dropped, Some(officer.id))?;
    let pool = resum(tx, pool_id)?;
    let extra =
        notifications::Extra { reason: Some(reason), amount_cents: Some(existing.amount_cents), other_pool: None };
    notifications::send_to(tx, &recorded, &pool, &[organisation_id], &extra)?;
    let pool = lifecycle::reopen_if_below(tx, pool, Some(officer.id))?;
    lifecycle::close_if_emptied(tx, pool, Some(officer.id))
}

/// What the officers' confirmation page of a drop shows: the pool, the organisation's name
/// and its pledge; 404 without such a pledge.
pub fn to_drop(
    tx: &mut Tx,
    _officer: &Officer,
    pool_id: i64,
    organisation_id: i64,
) -> ApiResult<(Pool, String, Pledge)> {
    let pool = pool::find(tx, pool_id)?;
    let found = pledge::of_pool_named(tx, pool_id)?.into_iter().find(|(_, p)| p.organisation_id == organisation_id);
    let (name, pledge) = found.ok_or(ApiError::NotFound)?;
    Ok((pool, name, pledge))
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
    let pool = lifecycle::reopen_if_below(tx, pool, Some(actor.id))?;
    lifecycle::close_if_emptied(tx, pool, Some(actor.id))
}
