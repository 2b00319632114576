//! What officers do to pools: edit, decide, follow through procurement, merge.

use chrono::NaiveDate;

use super::{
    lifecycle,
    matcher::Matcher,
    notifications::{self, Extra},
    pool_view::{self, Participant, PoolView},
};
use crate::{
    auth::Officer,
    db::{
        self, Tx, WriteTx,
        models::{
            event::{self, Event},
            need::{self, Need},
            pledge,
            pool::{self, Pool, PoolChanges},
        },
    },
    domain::{
        events::{
            Award, Delivery, DomainEvent, Expiry, Merge, MergeReceived, MovedPledge, NeedRef, PoolStep, PoolUpdated,
            Reason,
        },
        kinds::{PledgeStatus, PoolKind},
        merge_direction,
        money::Cents,
        pool_state::PoolState,
    },
    error::{ApiError, ApiResult},
};

/// An officer's edit; `Some(None)` clears a nullable field.
#[derive(Clone, Debug, Default)]
pub struct PoolEdit {
    pub title: Option<String>,
    pub description: Option<String>,
    pub target_cents: Option<Option<Cents>>,
    /// `Some(None)`: the threshold follows the target again.
    pub threshold_cents: Option<Option<Cents>>,
    pub deadline: Option<Option<NaiveDate>>,
}

/// Applies an edit. Money and the deadline change only while the pool is open (what was
/// funded is what is decided on); a lower threshold may fund it at once.
pub fn edit(tx: &mut WriteTx, officer: &Officer, pool_id: i64, edit: PoolEdit) -> ApiResult<Pool> {
    let actor = officer.id;
    let current = pool::lock(tx, pool_id)?;
    let state = current.state;
    let touches_money = edit.target_cents.is_some() || edit.threshold_cents.is_some() || edit.deadline.is_some();
    if touches_money && state != PoolState::Open {
        return Err(ApiError::wrong_state(state.as_str(), "cost, threshold and deadline change only while open"));
    }
    if state == PoolState::Merged {
        return Err(ApiError::wrong_state(state.as_str(), "a merged pool lives on in the pool it was merged into"));
    }
    let changed = PoolUpdated {
        title: edit.title.clone(),
        description: edit.description.clone(),
        target_cents: edit.target_cents,
        threshold_cents: edit.threshold_cents,
        deadline: edit.deadline,
    };
    if changed.is_empty() {
        return Ok(current);
    }
    let updated = pool::update(
        tx,
        pool_id,
        &PoolChanges {
            title: edit.title,
            description: edit.description,
            target_cents: edit.target_cents,
            threshold_cents: edit.threshold_cents,
            deadline: edit.deadline,
            updated_at: Some(db::now()),
            ..Default::default()
        },
    )?;
    event::record(tx, Some(pool_id), &DomainEvent::PoolUpdated(changed), Some(actor))?;
    lifecycle::fund_if_reached(tx, updated, Some(actor))
}

/// A decision or procurement step, with the columns it fills.
pub enum Step {
    Approve,
    Reject { reason: String },
    Cancel { reason: String },
    Award { supplier: String, amount_cents: Cents },
    Deliver { repository_url: String, licence: String },
}

/// What keeps a funded pool from being approved. Every gate adds its part; an approval
/// refused names everything that blocks it, so that one answer says all there is to do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApprovalBlockers {
    /// Participants whose share is above 0 and whose pledge is still provisional: their
    /// councils have not decided (SPEC section 10).
    pub organisations: Vec<i64>,
    /// Pools this one may duplicate that no officer reviewed yet (SPEC section 9).
    pub duplicates: Vec<i64>,
}

impl ApprovalBlockers {
    pub fn is_empty(&self) -> bool {
        self.organisations.is_empty() && self.duplicates.is_empty()
    }
}

/// What keeps `pool` from being approved now, by organisation and pool id.
pub fn approval_blockers(tx: &mut Tx, pool: &Pool) -> ApiResult<ApprovalBlockers> {
    let view = pool_view::with_participants(tx, pool.clone())?;
    let organisations = awaiting_council(&view).map(|p| p.organisation_id).collect();
    let duplicates = super::duplicates::unreviewed_of(tx, pool.id)?;
    Ok(ApprovalBlockers { organisations, duplicates })
}

/// The participants of a pool whose councils have not decided yet: a share above 0 and a
/// provisional pledge. While there is one, the pool cannot be approved (SPEC section 10).
pub fn awaiting_council(view: &PoolView) -> impl Iterator<Item = &Participant> {
    view.participants
        .iter()
        .filter(|p| p.share_cents.is_positive() && p.pledge_status == Some(PledgeStatus::Provisional))
}

/// Moves a pool one step along its lifecycle; 409 naming the state when not allowed, and
/// naming what blocks an approval of a funded pool.
pub fn step(tx: &mut WriteTx, officer: &Officer, pool_id: i64, step: Step) -> ApiResult<Pool> {
    let actor = officer.id;
    let current = pool::lock(tx, pool_id)?;
    if matches!(step, Step::Approve) && current.state == PoolState::Funded {
        let blockers = approval_blockers(tx, &current)?;
        if !blockers.is_empty() {
            return Err(ApiError::ApprovalBlocked {
                organisations: blockers.organisations,
                duplicates: blockers.duplicates,
            });
        }
    }
    let (step, changes) = match step {
        Step::Approve => (PoolStep::Approve, PoolChanges::default()),
        Step::Reject { reason } => (
            PoolStep::Reject(Reason { reason: reason.clone() }),
            PoolChanges { reason: Some(Some(reason)), ..Default::default() },
        ),
        Step::Cancel { reason } => (
            PoolStep::Cancel(Reason { reason: reason.clone() }),
            PoolChanges { reason: Some(Some(reason)), ..Default::default() },
        ),
        Step::Award { supplier, amount_cents } => (
            PoolStep::Award(Award { supplier: supplier.clone(), amount_cents }),
            PoolChanges { supplier: Some(Some(supplier)), award_cents: Some(Some(amount_cents)), ..Default::default() },
        ),
        Step::Deliver { repository_url, licence } => (
            PoolStep::Deliver(Delivery { repository_url: repository_url.clone(), licence: licence.clone() }),
            PoolChanges {
                repository_url: Some(Some(repository_url)),
                licence: Some(Some(licence)),
                ..Default::default()
            },
        ),
    };
    let (pool, _event) = lifecycle::transition(tx, &current, step, Some(actor), changes)?;
    Ok(pool)
}

/// Merges pool `from` into pool `into`: its needs and pledges move; an organisation that
/// pledged to both keeps the larger pledge; `from` ends `merged`; `into` may be funded.
pub fn merge(tx: &mut WriteTx, matcher: &Matcher, officer: &Officer, from: i64, into: i64) -> ApiResult<Pool> {
    let actor = officer.id;
    if from == into {
        return Err(ApiError::invalid("into_pool_id", "a pool cannot be merged into itself"));
    }
    tx.lock_matching()?;
    matcher.catch_up(tx)?;
    // Lock in id order, so that two merges of the same pair cannot deadlock.
    let (first, second) = (from.min(into), from.max(into));
    let locked_first = pool::lock(tx, first)?;
    let locked_second = pool::lock(tx, second).map_err(|e| match e {
        diesel::result::Error::NotFound if second == into => ApiError::invalid("into_pool_id", "no such pool"),
        other => other.into(),
    })?;
    let (source, target) = if first == from { (locked_first, locked_second) } else { (locked_second, locked_first) };
    if matches!(source.state, PoolState::Funded | PoolState::Approved) {
        // Its participants' councils decide on that pool: moving it would move what they
        // decided on (SPEC §15). The other way round keeps it.
        return Err(ApiError::wrong_state(
            source.state.as_str(),
            "a funded or approved pool never moves: merge the other pool into this one",
        ));
    }
    let target_state = target.state;
    if !target_state.receives_merges() {
        return Err(ApiError::wrong_state(target_state.as_str(), "only an open or funded pool can receive a merge"));
    }
    if source.kind == PoolKind::Maintenance || target.kind == PoolKind::Maintenance {
        // Each maintenance pool is one period of upkeep of one delivered pool; two periods,
        // or a period and a development, are never the same thing to fund.
        return Err(ApiError::Conflict("maintenance pools are not merged".into()));
    }
    // Which organisations' needs move, for the open data (built from the events alone).
    let moving: Vec<NeedRef> = need::active_in_pool(tx, source.id)?
        .iter()
        .map(|(need, _)| NeedRef { need_id: need.id, organisation_id: need.organisation_id })
        .collect();
    let needs_moved = need::move_all(tx, source.id, target.id)?;
    let mut pledges_moved = Vec::new();
    for moving in pledge::of_pool(tx, source.id)? {
        match pledge::find(tx, target.id, moving.organisation_id)? {
            Some(existing) => {
                // The larger pledge is kept as it is, with its council's decision if any.
                let both = [existing.amount_cents, moving.amount_cents];
                let (kept, dropped) =
                    if moving.amount_cents > existing.amount_cents { (moving, existing) } else { (existing, moving) };
                pledge::delete(tx, dropped.id)?;
                if kept.pool_id != target.id {
                    pledge::move_to(tx, kept.id, target.id)?;
                }
                pledges_moved.push(MovedPledge {
                    organisation_id: kept.organisation_id,
                    amount_cents: kept.amount_cents,
                    status: Some(kept.status),
                    kept_larger_of: Some(both),
                });
            }
            None => {
                pledge::move_to(tx, moving.id, target.id)?;
                pledges_moved.push(MovedPledge {
                    organisation_id: moving.organisation_id,
                    amount_cents: moving.amount_cents,
                    status: Some(moving.status),
                    kept_larger_of: None,
                });
            }
        }
    }
    let merge =
        Merge { from_pool_id: source.id, into_pool_id: target.id, needs_moved, needs: moving, pledges: pledges_moved };
    // `from` ends; the event on it (type pool.merged) also tells the matcher to re-read
    // the needs of `into`.
    let (_, merged_event) = lifecycle::transition(
        tx,
        &source,
        PoolStep::MergeAway(merge.clone()),
        Some(actor),
        PoolChanges {
            merged_into_pool_id: Some(Some(target.id)),
            pledged_cents: Some(Cents::ZERO),
            ..Default::default()
        },
    )?;
    let pledged = pledge::total(tx, target.id)?;
    let adopted = target.target_cents.is_none().then_some(source.target_cents).flatten();
    let target = pool::update(
        tx,
        target.id,
        &PoolChanges {
            pledged_cents: Some(pledged),
            target_cents: if target.target_cents.is_none() { Some(source.target_cents) } else { None },
            updated_at: Some(db::now()),
            ..Default::default()
        },
    )?;
    // The organisations whose needs moved are told where they are now (`pool.merged`).
    let mut moved_organisations: Vec<i64> = merge.needs.iter().map(|n| n.organisation_id).collect();
    moved_organisations.sort_unstable();
    moved_organisations.dedup();
    let extra = Extra { other_pool: Some((source.id, source.title.clone())), ..Default::default() };
    notifications::send_to(tx, &merged_event, &target, &moved_organisations, &extra)?;
    // When the surviving pool had no estimate, it takes the merged pool's (`target_cents`).
    let received = DomainEvent::PoolMergeReceived(MergeReceived { merge, target_cents: adopted });
    event::record(tx, Some(target.id), &received, Some(actor))?;
    // The pair is resolved; the survivor's pairs are ranked with both pools' needs.
    super::duplicates::merged(tx, matcher, actor, source.id, target.id)?;
    lifecycle::fund_if_reached(tx, target, Some(actor))
}

/// The active needs of a pool, each with its organisation's name (a participant's).
pub fn needs_named(tx: &mut Tx, view: &PoolView) -> ApiResult<Vec<(Need, String)>> {
    let needs = need::active_in_pool(tx, view.pool.id)?;
    Ok(needs
        .into_iter()
        .map(|(need, _)| {
            let name = view.participants.iter().find(|p| p.organisation_id == need.organisation_id);
            let name = name.map(|p| p.name.clone()).unwrap_or_default();
            (need, name)
        })
        .collect())
}

/// What a merge of `from` into `into` would move, for the officer's confirmation page: the
/// pool that moves with its participants and pledges, its needs, and the pool that stays.
pub struct MergePreview {
    pub from: PoolView,
    pub needs: Vec<(Need, String)>,
    pub into: Pool,
}

/// The preview of a merge; 404 for an unknown pool, 422 for a pool with itself, 409 when the
/// merge would be refused (a funded or approved pool never moves; the other must take it).
pub fn merge_preview(tx: &mut Tx, _officer: &Officer, from: i64, into: i64) -> ApiResult<MergePreview> {
    if from == into {
        return Err(ApiError::invalid("into_pool_id", "a pool cannot be merged into itself"));
    }
    let from = pool_view::load(tx, from)?;
    let into = pool::find(tx, into).map_err(|e| match e {
        diesel::result::Error::NotFound => ApiError::invalid("into_pool_id", "no such pool"),
        other => other.into(),
    })?;
    if !merge_direction::may_move(from.pool.state, into.state) {
        let (state, why) = if from.pool.state == PoolState::Open {
            (into.state, "only an open or funded pool can receive a merge")
        } else {
            (from.pool.state, "only an open pool moves into another")
        };
        return Err(ApiError::wrong_state(state.as_str(), why));
    }
    let needs = needs_named(tx, &from)?;
    Ok(MergePreview { from, needs, into })
}

/// Expires an open pool whose deadline passed before `today`; `None` if it no longer
/// qualifies (another process got there first, or an officer moved the deadline).
pub fn expire(tx: &mut WriteTx, pool_id: i64, today: NaiveDate) -> ApiResult<Option<Pool>> {
    let current = pool::lock(tx, pool_id)?;
    let due = current.state == PoolState::Open && current.deadline.is_some_and(|d| d < today);
    if !due {
        return Ok(None);
    }
    let step = PoolStep::Expire(Expiry {
        deadline: current.deadline,
        pledged_cents: current.pledged_cents,
        threshold_cents: current.effective_threshold(),
    });
    let (pool, _event) = lifecycle::transition(tx, &current, step, None, PoolChanges::default())?;
    Ok(Some(pool))
}

/// A page of a pool's audit trail, oldest first, and how many events it has; 404 for an
/// unknown pool.
pub fn events(tx: &mut Tx, pool_id: i64, limit: i64, offset: i64) -> ApiResult<(Vec<Event>, i64)> {
    pool::find(tx, pool_id)?;
    Ok(event::of_pool(tx, pool_id, limit, offset)?)
}
