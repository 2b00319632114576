//! A pool as clients see it: with its participants, what each pledged and what each pays.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        models::pool::{self, Pool},
        schema::{needs, organisations, pledges},
    },
    domain::shares,
    error::ApiResult,
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub organisation_id: i64,
    pub name: String,
    pub pledged_cents: i64,
    pub share_cents: i64,
}

#[derive(Clone, Debug)]
pub struct PoolView {
    pub pool: Pool,
    pub participants: Vec<Participant>,
    pub needs_count: i64,
}

/// Loads a pool and its participants: organisations with an active need or a pledge in it.
pub fn load(conn: &mut DbConnection, pool_id: i64) -> ApiResult<PoolView> {
    let pool = pool::find(conn, pool_id)?;
    with_participants(conn, pool)
}

/// The participants of `pool`: each organisation with an active need in it or a pledge to
/// it. Two indexed joins with fixed SQL (kept prepared). Shares are split from the pledges
/// read here, so a view is consistent with itself even while a pledge lands in between.
pub fn with_participants(conn: &mut DbConnection, pool: Pool) -> ApiResult<PoolView> {
    let with_needs: Vec<(i64, String)> = needs::table
        .inner_join(organisations::table)
        .filter(needs::pool_id.eq(pool.id))
        .filter(needs::status.eq("active"))
        .select((organisations::id, organisations::name))
        .load(conn)?;
    let pledged: Vec<(i64, String, i64)> = pledges::table
        .inner_join(organisations::table)
        .filter(pledges::pool_id.eq(pool.id))
        .select((organisations::id, organisations::name, pledges::amount_cents))
        .load(conn)?;
    let needs_count = i64::try_from(with_needs.len()).unwrap_or(i64::MAX);
    // Ordered by organisation id: the order shares are split in, so rounding is stable.
    let mut participants: BTreeMap<i64, (String, i64)> =
        with_needs.into_iter().map(|(id, name)| (id, (name, 0))).collect();
    for (id, name, amount) in pledged {
        participants.insert(id, (name, amount));
    }
    let amounts: Vec<i64> = participants.values().map(|(_, amount)| *amount).collect();
    let pledged_total = crate::domain::money::sum(amounts.iter().copied()).unwrap_or(pool.pledged_cents);
    let split = shares::split(shares::payable(pledged_total, pool.target_cents), &amounts);
    let participants = participants
        .into_iter()
        .zip(split)
        .map(|((organisation_id, (name, pledged_cents)), share_cents)| Participant {
            organisation_id,
            name,
            pledged_cents,
            share_cents,
        })
        .collect();
    Ok(PoolView { pool, participants, needs_count })
}
