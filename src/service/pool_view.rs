//! A pool as clients see it: with its participants, what each pledged, what each pays and
//! whether its council confirmed it; a delivered pool with its maintenance pools.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::{
    db::{
        Tx,
        models::{
            event::{self, Event},
            need, organisation,
            pledge::{self, Pledge},
            pool::{self, MaintenancePeriod, Pool, PoolFilter},
        },
    },
    domain::{
        kinds::{DecidedBy, PledgeStatus},
        money::Cents,
        pool_state::PoolState,
        shares,
    },
    error::ApiResult,
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub organisation_id: i64,
    pub name: String,
    pub pledged_cents: Cents,
    pub share_cents: Cents,
    /// `None` without a pledge.
    pub pledge_status: Option<PledgeStatus>,
    /// The council decision that confirmed the pledge.
    pub decision_ref: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decided_by: Option<DecidedBy>,
}

#[derive(Clone, Debug)]
pub struct PoolView {
    pub pool: Pool,
    pub participants: Vec<Participant>,
    pub needs_count: i64,
    /// The maintenance pools of a delivered pool (empty for any other), by period.
    pub maintenance: Vec<MaintenancePeriod>,
}

/// Loads a pool and its participants: organisations with an active need or a pledge in it.
pub fn load(tx: &mut Tx, pool_id: i64) -> ApiResult<PoolView> {
    let pool = pool::find(tx, pool_id)?;
    with_participants(tx, pool)
}

/// A page of pools, newest first, each with its participants.
pub fn list(tx: &mut Tx, filter: &PoolFilter, limit: i64, offset: i64) -> ApiResult<(Vec<PoolView>, i64)> {
    let (pools, total) = pool::list(tx, filter, limit, offset)?;
    let views = pools.into_iter().map(|p| with_participants(tx, p)).collect::<ApiResult<Vec<_>>>()?;
    Ok((views, total))
}

/// The participants of `pool`: each organisation with an active need in it or a pledge to
/// it. Two indexed joins with fixed SQL (kept prepared), and a third for a delivered pool's
/// maintenance pools. Shares are split from the pledges read here, so a view is consistent
/// with itself even while a pledge lands in between.
pub fn with_participants(tx: &mut Tx, pool: Pool) -> ApiResult<PoolView> {
    let with_needs = need::organisations_in_pool(tx, pool.id)?;
    let pledged = pledge::of_pool_named(tx, pool.id)?;
    let maintenance = if pool.state == PoolState::Delivered { pool::maintenance_of(tx, pool.id)? } else { Vec::new() };
    Ok(assemble(pool, with_needs, pledged, maintenance))
}

/// The view of a pool a post has just opened, in the post's transaction, without reading it
/// back: the organisation of its one need is its one participant, and no one pledged yet.
pub fn opened(pool: Pool, organisation_id: i64, name: String) -> PoolView {
    assemble(pool, vec![(organisation_id, name)], Vec::new(), Vec::new())
}

/// A pool's view from its organisations with an active need (one row a need), its pledges
/// with their organisations' names, and its maintenance pools.
fn assemble(
    pool: Pool,
    with_needs: Vec<(i64, String)>,
    pledged: Vec<(String, Pledge)>,
    maintenance: Vec<MaintenancePeriod>,
) -> PoolView {
    let needs_count = i64::try_from(with_needs.len()).unwrap_or(i64::MAX);
    // Ordered by organisation id: the order shares are split in, so rounding is stable.
    let mut participants: BTreeMap<i64, (String, Option<Pledge>)> =
        with_needs.into_iter().map(|(id, name)| (id, (name, None))).collect();
    for (name, pledge) in pledged {
        participants.insert(pledge.organisation_id, (name, Some(pledge)));
    }
    let amounts: Vec<Cents> =
        participants.values().map(|(_, pledge)| pledge.as_ref().map_or(Cents::ZERO, |p| p.amount_cents)).collect();
    let pledged_total = Cents::sum(amounts.iter().copied()).unwrap_or(pool.pledged_cents);
    let split = shares::split(shares::payable(pledged_total, pool.target_cents), &amounts);
    let participants = participants
        .into_iter()
        .zip(split)
        .map(|((organisation_id, (name, pledge)), share_cents)| Participant {
            organisation_id,
            name,
            pledged_cents: pledge.as_ref().map_or(Cents::ZERO, |p| p.amount_cents),
            share_cents,
            pledge_status: pledge.as_ref().map(|p| p.status),
            decision_ref: pledge.as_ref().and_then(|p| p.decision_ref.clone()),
            decision_date: pledge.as_ref().and_then(|p| p.decision_date),
            decided_by: pledge.as_ref().and_then(|p| p.decided_by),
        })
        .collect();
    PoolView { pool, participants, needs_count, maintenance }
}

/// How many events a pool's page shows, oldest first.
pub const HISTORY_SHOWN: i64 = 200;

/// A pool as its page shows it: the pool with its participants, its history, and the
/// names of the organisations the history mentions.
pub struct PoolPage {
    pub view: PoolView,
    pub history: Vec<Event>,
    /// Whether the pool has more events than shown.
    pub more: bool,
    pub names: HashMap<i64, String>,
}

/// Everything a pool's page shows, in the caller's one read transaction.
pub fn page(tx: &mut Tx, pool_id: i64) -> ApiResult<PoolPage> {
    let view = load(tx, pool_id)?;
    let history = event::first_of_pool(tx, pool_id, HISTORY_SHOWN + 1)?;
    // One more than shown tells whether there are more, without counting them all.
    let more = history.len() > usize::try_from(HISTORY_SHOWN).unwrap_or(usize::MAX);
    let history: Vec<Event> = history.into_iter().take(usize::try_from(HISTORY_SHOWN).unwrap_or(200)).collect();
    let mut names: HashMap<i64, String> =
        view.participants.iter().map(|p| (p.organisation_id, p.name.clone())).collect();
    let unknown: Vec<i64> =
        history.iter().filter_map(|e| e.event.organisation_id()).filter(|id| !names.contains_key(id)).collect();
    if !unknown.is_empty() {
        names.extend(organisation::by_ids(tx, &unknown)?.into_iter().map(|o| (o.id, o.name)));
    }
    Ok(PoolPage { view, history, more, names })
}
