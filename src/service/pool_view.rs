//! A pool as clients see it: with its participants, what each pledged and what each pays.

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

/// The participants of `pool`, in one statement (so they are consistent with each other on
/// every backend): each organisation with an active need in the pool or a pledge to it,
/// its pledge and its number of active needs.
pub fn with_participants(conn: &mut DbConnection, pool: Pool) -> ApiResult<PoolView> {
    let pool_id = pool.id;
    let with_need = needs::table
        .filter(needs::pool_id.eq(pool_id))
        .filter(needs::status.eq("active"))
        .select(needs::organisation_id);
    let needs_of_organisation = needs::table
        .filter(needs::pool_id.eq(pool_id))
        .filter(needs::status.eq("active"))
        .filter(needs::organisation_id.eq(organisations::id))
        .count()
        .single_value();
    // Ordered by organisation id: the order shares are split in, so rounding is stable.
    let rows: Vec<(i64, String, Option<i64>, Option<i64>)> = organisations::table
        .left_join(pledges::table.on(pledges::organisation_id.eq(organisations::id).and(pledges::pool_id.eq(pool_id))))
        .filter(organisations::id.eq_any(with_need).or(pledges::id.is_not_null()))
        .order(organisations::id)
        .select((organisations::id, organisations::name, pledges::amount_cents.nullable(), needs_of_organisation))
        .load(conn)?;
    let needs_count = rows.iter().map(|r| r.3.unwrap_or(0)).sum();
    let amounts: Vec<i64> = rows.iter().map(|r| r.2.unwrap_or(0)).collect();
    let split = shares::split(shares::payable(pool.pledged_cents, pool.target_cents), &amounts);
    let participants = rows
        .into_iter()
        .zip(split)
        .map(|((organisation_id, name, pledged, _), share_cents)| Participant {
            organisation_id,
            name,
            pledged_cents: pledged.unwrap_or(0),
            share_cents,
        })
        .collect();
    Ok(PoolView { pool, participants, needs_count })
}
