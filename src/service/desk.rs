//! What the home page of each person shows: a member's needs and pools, with its pledges
//! and shares; an officer's work queue (funded pools and what blocks them, duplicates to
//! review, undelivered emails).

use std::collections::BTreeSet;

use super::{
    duplicates::{self, Pair},
    pool_view::{self, PoolView},
};
use crate::{
    auth::{Member, Officer},
    db::{
        self, Tx,
        models::{
            need::{self, Need, NeedFilter},
            outbox::{self, OutboxRow},
            pledge::{self, Pledge},
            pool::{self, Pool, PoolFilter},
        },
    },
    domain::{kinds::OutboxStatus, pool_state::PoolState},
    error::ApiResult,
};

/// How many rows a home page lists in each section; beyond, the pool list is linked.
pub const SHOWN: i64 = 50;

/// A member's home: its organisation's needs (with their pool's state and title) and the
/// pools it takes part in, newest first.
pub struct MemberDesk {
    pub needs: Vec<(Need, PoolState, String)>,
    pub needs_total: i64,
    pub pools: Vec<PoolView>,
    /// Maintenance pools of software the organisation uses, open to its pledge.
    pub invitations: Vec<PoolView>,
}

pub fn member(tx: &mut Tx, actor: &Member) -> ApiResult<MemberDesk> {
    let filter = NeedFilter { organisation_id: Some(actor.organisation_id), ..Default::default() };
    let (needs, needs_total) = need::list(tx, &filter, SHOWN, 0)?;
    let pool_ids: Vec<i64> = needs.iter().map(|n| n.pool_id).collect();
    let pools_of_needs = pool::states(tx, &pool_ids)?;
    let needs = needs
        .into_iter()
        .filter_map(|n| {
            let (_, state, title) = pools_of_needs.iter().find(|(id, _, _)| *id == n.pool_id)?.clone();
            Some((n, state, title))
        })
        .collect();
    let mut taking_part: BTreeSet<i64> = need::pools_of_organisation(tx, actor.organisation_id)?.into_iter().collect();
    taking_part.extend(pledge::pools_of_organisation(tx, actor.organisation_id)?);
    let pools = taking_part
        .iter()
        .rev()
        .take(usize::try_from(SHOWN).unwrap_or(50))
        .map(|&id| pool_view::load(tx, id))
        .collect::<ApiResult<Vec<_>>>()?;
    // The maintenance of software the organisation uses, still taking pledges, that it has
    // not pledged to yet: what the invitation emails asked of it (SPEC section 10).
    let mut invitations = Vec::new();
    for delivered in pools.iter().filter(|v| v.pool.state == PoolState::Delivered) {
        for period in pool::maintenance_of(tx, delivered.pool.id)? {
            if period.state.accepts_pledges() && !taking_part.contains(&period.id) {
                invitations.push(pool_view::load(tx, period.id)?);
            }
        }
    }
    Ok(MemberDesk { needs, needs_total, pools, invitations })
}

/// How many duplicate candidates the officer's home shows; the review page lists them all.
pub const DUPLICATES_SHOWN: i64 = 5;

/// An officer's home: funded pools awaiting the office's decision (with the duplicates still
/// to review of each), the best duplicate candidates, and emails that could not be
/// delivered.
pub struct OfficerDesk {
    pub funded: Vec<(PoolView, Vec<i64>)>,
    pub funded_total: i64,
    pub duplicates: Vec<Pair>,
    pub duplicates_total: i64,
    pub dead_emails: Vec<OutboxRow>,
    pub dead_total: i64,
    pub counts: Vec<(PoolState, i64)>,
    /// Open pools whose cost is still to set (no one can pledge before), and how many.
    pub no_cost: Vec<Pool>,
    pub no_cost_total: i64,
    /// Provisional pledges of funded pools older than the council days, with the pool's
    /// title and the organisation's name: the officer may drop them.
    pub overdue: Vec<(Pledge, String, String)>,
}

pub fn officer(tx: &mut Tx, officer: &Officer, council_days: u32) -> ApiResult<OfficerDesk> {
    let funded = PoolFilter { state: Some(PoolState::Funded), ..Default::default() };
    let (funded, funded_total) = pool_view::list(tx, &funded, SHOWN, 0)?;
    let funded = funded
        .into_iter()
        .map(|view| {
            let unreviewed = duplicates::unreviewed_of(tx, view.pool.id)?;
            Ok((view, unreviewed))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let (duplicates, duplicates_total) = duplicates::list(tx, officer, DUPLICATES_SHOWN, 0)?;
    let (dead_emails, dead_total) = outbox::list(tx, OutboxStatus::Dead, SHOWN, 0)?;
    let counts = pool::counts(tx)?;
    let (no_cost, no_cost_total) = pool::without_target(tx, SHOWN)?;
    let before = db::now() - chrono::Duration::days(i64::from(council_days));
    let overdue = pledge::overdue(tx, before, SHOWN)?;
    Ok(OfficerDesk {
        funded,
        funded_total,
        duplicates,
        duplicates_total,
        dead_emails,
        dead_total,
        counts,
        no_cost,
        no_cost_total,
        overdue,
    })
}
