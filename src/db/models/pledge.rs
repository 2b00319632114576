use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::{
    db::{
        Tx, WriteTx,
        schema::{organisations, pledges},
    },
    domain::{
        council::Confirmation,
        kinds::{DecidedBy, PledgeStatus},
        money::Cents,
    },
};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = pledges)]
pub struct Pledge {
    pub id: i64,
    pub pool_id: i64,
    pub organisation_id: i64,
    pub amount_cents: Cents,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub status: PledgeStatus,
    /// The council decision that confirmed it; `None` while provisional.
    pub decision_ref: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decided_by: Option<DecidedBy>,
}

pub fn find(tx: &mut Tx, pool_id: i64, organisation_id: i64) -> QueryResult<Option<Pledge>> {
    pledges::table
        .filter(pledges::pool_id.eq(pool_id))
        .filter(pledges::organisation_id.eq(organisation_id))
        .select(Pledge::as_select())
        .first(tx.conn())
        .optional()
}

/// Creates an organisation's pledge to a pool, or gives it a new amount. Callers hold the
/// pool's lock.
///
/// Either way the pledge is provisional: a council decided on the old amount, not this one.
pub fn set(tx: &mut WriteTx, pool_id: i64, organisation_id: i64, amount: Cents, at: NaiveDateTime) -> QueryResult<()> {
    tx.touch_pool(pool_id);
    let changed = diesel::update(
        pledges::table.filter(pledges::pool_id.eq(pool_id)).filter(pledges::organisation_id.eq(organisation_id)),
    )
    .set((
        pledges::amount_cents.eq(amount),
        pledges::updated_at.eq(at),
        pledges::status.eq(PledgeStatus::Provisional),
        pledges::decision_ref.eq(None::<String>),
        pledges::decision_date.eq(None::<NaiveDate>),
        pledges::decided_by.eq(None::<DecidedBy>),
    ))
    .execute(tx.conn())?;
    if changed == 0 {
        diesel::insert_into(pledges::table)
            .values((
                pledges::pool_id.eq(pool_id),
                pledges::organisation_id.eq(organisation_id),
                pledges::amount_cents.eq(amount),
                pledges::status.eq(PledgeStatus::Provisional),
                pledges::created_at.eq(at),
                pledges::updated_at.eq(at),
            ))
            .execute(tx.conn())?;
    }
    Ok(())
}

/// Records the council decision that confirms a pledge.
pub fn confirm(tx: &mut WriteTx, id: i64, decision: &Confirmation, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(pledges::table.find(id))
        .set((
            pledges::status.eq(PledgeStatus::Confirmed),
            pledges::decision_ref.eq(Some(decision.reference.as_str())),
            pledges::decision_date.eq(Some(decision.date)),
            pledges::decided_by.eq(Some(decision.decided_by)),
            pledges::updated_at.eq(at),
        ))
        .execute(tx.conn())
}

pub fn delete(tx: &mut WriteTx, id: i64) -> QueryResult<usize> {
    diesel::delete(pledges::table.find(id)).execute(tx.conn())
}

pub fn move_to(tx: &mut WriteTx, id: i64, pool_id: i64) -> QueryResult<usize> {
    tx.touch_pool(pool_id);
    diesel::update(pledges::table.find(id)).set(pledges::pool_id.eq(pool_id)).execute(tx.conn())
}

/// The pledges of a pool, by organisation id (the order shares are computed in).
pub fn of_pool(tx: &mut Tx, pool_id: i64) -> QueryResult<Vec<Pledge>> {
    pledges::table
        .filter(pledges::pool_id.eq(pool_id))
        .order(pledges::organisation_id)
        .select(Pledge::as_select())
        .load(tx.conn())
}

/// The pledges of a pool with the name of each pledging organisation.
pub fn of_pool_named(tx: &mut Tx, pool_id: i64) -> QueryResult<Vec<(String, Pledge)>> {
    pledges::table
        .inner_join(organisations::table)
        .filter(pledges::pool_id.eq(pool_id))
        .select((organisations::name, Pledge::as_select()))
        .load(tx.conn())
}

/// The organisations that pledged to any of these pools.
pub fn organisations_of(tx: &mut Tx, pool_ids: &[i64]) -> QueryResult<Vec<i64>> {
    pledges::table.filter(pledges::pool_id.eq_any(pool_ids)).select(pledges::organisation_id).distinct().load(tx.conn())
}

/// What is pledged to a pool. Summed here rather than by SQL `SUM`, whose type differs
/// between the backends (NUMERIC on PostgreSQL); a pool has at most one pledge per
/// organisation, so the rows are few.
pub fn total(tx: &mut Tx, pool_id: i64) -> QueryResult<Cents> {
    let amounts: Vec<Cents> =
        pledges::table.filter(pledges::pool_id.eq(pool_id)).select(pledges::amount_cents).load(tx.conn())?;
    Cents::sum(amounts).ok_or_else(|| diesel::result::Error::DeserializationError("pledged total overflows".into()))
}

/// The pools an organisation pledged to.
pub fn pools_of_organisation(tx: &mut Tx, organisation_id: i64) -> QueryResult<Vec<i64>> {
    pledges::table.filter(pledges::organisation_id.eq(organisation_id)).select(pledges::pool_id).load(tx.conn())
}

/// Provisional pledges of funded pools set before `before`, oldest first, with the pool's
/// title and the organisation's name: councils that have not decided (SPEC §15).
pub fn overdue(tx: &mut Tx, before: NaiveDateTime, limit: i64) -> QueryResult<Vec<(Pledge, String, String)>> {
    use crate::{db::schema::pools, domain::pool_state::PoolState};
    pledges::table
        .inner_join(pools::table)
        .inner_join(organisations::table)
        .filter(pools::state.eq(PoolState::Funded))
        .filter(pledges::status.eq(PledgeStatus::Provisional))
        .filter(pledges::updated_at.lt(before))
        .order(pledges::updated_at)
        .limit(limit)
        .select((Pledge::as_select(), pools::title, organisations::name))
        .load(tx.conn())
}
