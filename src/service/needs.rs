//! Posting, reading, withdrawing and moving needs.

use chrono::Duration;
use serde_json::json;

use super::{
    lifecycle,
    matcher::{Matcher, SimilarPool},
};
use crate::{
    auth::AuthUser,
    db::{
        self, Tx, WriteTx,
        models::{
            event,
            need::{self, Need, NeedFilter, NewNeed},
            organisation,
            pool::{self, NewPool, Pool, PoolChanges},
        },
    },
    domain::{kinds::NeedStatus, matching::NeedText, money::Cents, pool_state::PoolState},
    error::{ApiError, ApiResult},
};

/// A need as posted, parsed.
#[derive(Clone, Debug)]
pub struct NeedInput {
    pub title: String,
    pub description: String,
    pub cpv_code: Option<String>,
    pub estimated_cost_cents: Option<Cents>,
}

/// What posting a need did.
#[derive(Clone, Debug)]
pub struct Posted {
    pub need: Need,
    pub pool: Pool,
    pub merged: bool,
    pub similar: Vec<SimilarPool>,
}

/// Posts a need for the caller's organisation: it joins the pool of the same need, or
/// opens its own; similar pools are returned as suggestions.
pub fn post(
    tx: &mut WriteTx,
    matcher: &Matcher,
    actor: &AuthUser,
    input: NeedInput,
    max_per_day: u32,
) -> ApiResult<Posted> {
    check_daily_cap(tx, actor.organisation_id, max_per_day)?;
    let locale = organisation::locale_of(tx, actor.organisation_id)?;
    tx.lock_matching()?;
    let outcome = matcher.decide(
        tx,
        &NeedText {
            title: &input.title,
            description: &input.description,
            cpv_code: input.cpv_code.as_deref(),
            locale_hint: locale.as_str(),
        },
    )?;
    let (pool, merged, score) = match &outcome.merge_into {
        Some(best) => (pool::lock(tx, best.pool_id)?, true, Some(best.score)),
        None => (open_pool(tx, &input, actor.id)?, false, None),
    };
    let similar_json = serde_json::to_string(&outcome.similar).map_err(|e| ApiError::Internal(e.into()))?;
    let need = need::insert(
        tx,
        &NewNeed {
            organisation_id: actor.organisation_id,
            pool_id: pool.id,
            posted_by_user_id: actor.id,
            title: &input.title,
            description: &input.description,
            cpv_code: input.cpv_code.as_deref(),
            estimated_cost_cents: input.estimated_cost_cents,
            status: NeedStatus::Active,
            similar_pools: &similar_json,
            created_at: db::now(),
        },
    )?;
    event::record(
        tx,
        Some(pool.id),
        "need.posted",
        Some(actor.id),
        &json!({
            "need_id": need.id,
            "organisation_id": need.organisation_id,
            "title": need.title,
            "estimated_cost_cents": need.estimated_cost_cents,
            "merged": merged,
            "score": score,
            "similar_pools": outcome.similar,
        }),
    )?;
    let pool = if merged { adopt_first_estimate(tx, pool, &need, actor.id)? } else { pool };
    Ok(Posted { need, pool, merged, similar: outcome.similar })
}

/// Refuses a post beyond the organisation's daily allowance (a rolling 24 hours).
fn check_daily_cap(tx: &mut Tx, organisation_id: i64, max_per_day: u32) -> ApiResult<()> {
    if max_per_day == 0 {
        return Ok(());
    }
    let posted = need::count_since(tx, organisation_id, db::now() - Duration::hours(24))?;
    if posted >= i64::from(max_per_day) {
        return Err(ApiError::TooManyRequests { retry_after_seconds: 3600 });
    }
    Ok(())
}

/// Opens a pool from a need: its title, description, CPV code and estimate.
fn open_pool(tx: &mut WriteTx, input: &NeedInput, actor: i64) -> ApiResult<Pool> {
    let now = db::now();
    let pool = pool::insert(
        tx,
        &NewPool {
            title: &input.title,
            description: &input.description,
            cpv_code: input.cpv_code.as_deref(),
            state: PoolState::Open,
            currency: "EUR",
            target_cents: input.estimated_cost_cents,
            created_at: now,
            updated_at: now,
        },
    )?;
    event::record(
        tx,
        Some(pool.id),
        "pool.created",
        Some(actor),
        &json!({"title": pool.title, "cpv_code": pool.cpv_code, "target_cents": pool.target_cents}),
    )?;
    Ok(pool)
}

/// A pool opened without an estimate takes the first estimate a joining need brings; that
/// may fund it if pledges already cover it.
fn adopt_first_estimate(tx: &mut WriteTx, pool: Pool, need: &Need, actor: i64) -> ApiResult<Pool> {
    let (None, Some(estimate), PoolState::Open) = (pool.target_cents, need.estimated_cost_cents, pool.state) else {
        return Ok(pool);
    };
    let updated = pool::update(
        tx,
        pool.id,
        &PoolChanges { target_cents: Some(Some(estimate)), updated_at: Some(db::now()), ..Default::default() },
    )?;
    event::record(
        tx,
        Some(pool.id),
        "pool.updated",
        Some(actor),
        &json!({"target_cents": estimate, "because": "first estimate, from need", "need_id": need.id}),
    )?;
    lifecycle::fund_if_reached(tx, updated, Some(actor))
}

/// A need the caller may see: its organisation's (officers: any); 404 otherwise.
pub fn visible(tx: &mut Tx, actor: &AuthUser, need_id: i64) -> ApiResult<Need> {
    let need = need::find(tx, need_id)?;
    if need.organisation_id == actor.organisation_id || actor.is_officer() { Ok(need) } else { Err(ApiError::NotFound) }
}

/// Needs the caller may see: its organisation's whatever the filter asks; officers any.
pub fn list(
    tx: &mut Tx,
    actor: &AuthUser,
    mut filter: NeedFilter,
    limit: i64,
    offset: i64,
) -> ApiResult<(Vec<Need>, i64)> {
    if !actor.is_officer() {
        filter.organisation_id = Some(actor.organisation_id);
    }
    Ok(need::list(tx, &filter, limit, offset)?)
}

/// Withdraws a need of the caller's organisation. Its pledge, if any, stays until withdrawn
/// on its own: money and needs are separate decisions.
pub fn withdraw(tx: &mut WriteTx, actor: &AuthUser, need_id: i64) -> ApiResult<Need> {
    tx.lock_matching()?;
    let need = visible(tx, actor, need_id)?;
    if need.status != NeedStatus::Active {
        return Err(ApiError::Conflict("the need is already withdrawn".into()));
    }
    let need = need::withdraw(tx, need.id, db::now())?;
    event::record(
        tx,
        Some(need.pool_id),
        "need.withdrawn",
        Some(actor.id),
        &json!({"need_id": need.id, "organisation_id": need.organisation_id}),
    )?;
    Ok(need)
}

/// Moves a need into another pool, or into a new pool of its own (`to = None`). When the
/// target was among the pools suggested at posting, the event says so: a commune agreeing
/// with a suggestion is evidence a later matcher can learn from.
pub fn move_to(tx: &mut WriteTx, actor: &AuthUser, need_id: i64, to: Option<i64>) -> ApiResult<(Need, Pool)> {
    tx.lock_matching()?;
    let need = visible(tx, actor, need_id)?;
    if need.status != NeedStatus::Active {
        return Err(ApiError::Conflict("a withdrawn need cannot move".into()));
    }
    let target = match to {
        Some(pool_id) if pool_id == need.pool_id => {
            return Err(ApiError::Conflict("the need is already in that pool".into()));
        }
        Some(pool_id) => {
            let target = pool::lock(tx, pool_id).map_err(|e| match e {
                diesel::result::Error::NotFound => ApiError::invalid("pool_id", "no such pool"),
                other => other.into(),
            })?;
            if !target.state.accepts_needs() {
                return Err(ApiError::wrong_state(target.state.as_str(), "this pool no longer takes needs"));
            }
            target
        }
        None => open_pool(
            tx,
            &NeedInput {
                title: need.title.clone(),
                description: need.description.clone(),
                cpv_code: need.cpv_code.clone(),
                estimated_cost_cents: need.estimated_cost_cents,
            },
            actor.id,
        )?,
    };
    let suggested: Vec<SimilarPool> = serde_json::from_str(&need.similar_pools).unwrap_or_default();
    let suggestion = suggested.iter().find(|s| s.pool_id == target.id);
    let moved = need::set_pool(tx, need.id, target.id)?;
    let data = json!({
        "need_id": need.id,
        "organisation_id": need.organisation_id,
        "from_pool_id": need.pool_id,
        "to_pool_id": target.id,
        "was_suggested": suggestion.is_some(),
        "suggested_score": suggestion.map(|s| s.score),
    });
    event::record(tx, Some(need.pool_id), "need.moved_out", Some(actor.id), &data)?;
    event::record(tx, Some(target.id), "need.moved", Some(actor.id), &data)?;
    let target = adopt_first_estimate(tx, target, &moved, actor.id)?;
    Ok((moved, target))
}

/// Pools close to a need not yet posted, for the caller to look at before posting.
pub fn similar(tx: &mut Tx, matcher: &Matcher, actor: &AuthUser, input: &NeedInput) -> ApiResult<Vec<SimilarPool>> {
    let locale = organisation::locale_of(tx, actor.organisation_id)?;
    matcher.similar(
        tx,
        &NeedText {
            title: &input.title,
            description: &input.description,
            cpv_code: input.cpv_code.as_deref(),
            locale_hint: locale.as_str(),
        },
    )
}

/// A need as its page shows it: the need, its pool, and the pools suggested when it was
/// posted that it may still join (with their state now).
pub struct NeedPage {
    pub need: Need,
    pub pool: Pool,
    pub suggestions: Vec<(SimilarPool, PoolState)>,
}

/// The page of a need the caller may see (its organisation's; officers any).
pub fn page(tx: &mut Tx, actor: &AuthUser, need_id: i64) -> ApiResult<NeedPage> {
    let need = visible(tx, actor, need_id)?;
    let pool = pool::find(tx, need.pool_id)?;
    let suggested: Vec<SimilarPool> = serde_json::from_str(&need.similar_pools).unwrap_or_default();
    let ids: Vec<i64> = suggested.iter().map(|s| s.pool_id).collect();
    let now = pool::states(tx, &ids)?;
    let suggestions = suggested
        .into_iter()
        .filter(|s| s.pool_id != need.pool_id)
        .filter_map(|s| {
            let (_, state, title) = now.iter().find(|(id, _, _)| *id == s.pool_id)?;
            state.accepts_needs().then(|| (SimilarPool { title: title.clone(), ..s }, *state))
        })
        .collect();
    Ok(NeedPage { need, pool, suggestions })
}
