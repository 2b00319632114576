//! A pool as clients see it: with its participants, what each pledged and what each pays.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        models::{
            pledge,
            pool::{self, Pool},
        },
        schema::{needs, organisations},
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

pub fn with_participants(conn: &mut DbConnection, pool: Pool) -> ApiResult<PoolView> {
    let pledges = pledge::of_pool(conn, pool.id)?;
    let with_needs: Vec<(i64, String)> = needs::table
        .inner_join(organisations::table)
        .filter(needs::pool_id.eq(pool.id))
        .filter(needs::status.eq("active"))
        .select((organisations::id, organisations::name))
        .load(conn)?;
    let needs_count = i64::try_from(with_needs.len()).unwrap_or(i64::MAX);
    let pledger_ids: Vec<i64> = pledges.iter().map(|p| p.organisation_id).collect();
    let pledger_names: Vec<(i64, String)> = organisations::table
        .filter(organisations::id.eq_any(&pledger_ids))
        .select((organisations::id, organisations::name))
        .load(conn)?;
    // Ordered by organisation id: the order shares are split in, so rounding is stable.
    let mut names: BTreeMap<i64, String> = with_needs.into_iter().collect();
    names.extend(pledger_names);
    let amounts: Vec<i64> = names
        .keys()
        .map(|id| pledges.iter().find(|p| p.organisation_id == *id).map_or(0, |p| p.amount_cents))
        .collect();
    let split = shares::split(shares::payable(pool.pledged_cents, pool.target_cents), &amounts);
    let participants = names
        .into_iter()
        .zip(amounts.into_iter().zip(split))
        .map(|((organisation_id, name), (pledged_cents, share_cents))| Participant {
            organisation_id,
            name,
            pledged_cents,
            share_cents,
        })
        .collect();
    Ok(PoolView { pool, participants, needs_count })
}
