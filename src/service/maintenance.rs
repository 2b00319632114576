//! Maintenance pools (SPEC section 10): delivered software must be kept up, or it dies when
//! its developers leave. An officer opens a maintenance pool for a period of upkeep of a
//! delivered pool; every organisation that uses the software is invited to fund it, and the
//! pool then lives the lifecycle of any pool.
//!
//! A maintenance pool takes no needs: upkeep is not a need for new software. A need for the
//! same software goes to the delivered pool (matching points it there), which makes its
//! organisation a user invited to the next period. So matching never offers a maintenance
//! pool (it only ranks pools that have needs), a need cannot be moved into one, and
//! maintenance pools are not merged.

use std::collections::BTreeSet;

use crate::{
    auth::Officer,
    db::{
        self, WriteTx,
        models::{
            event, need, pledge,
            pool::{self, MaintenancePeriod, NewMaintenancePool, Pool},
        },
    },
    domain::{
        events::{DomainEvent, MaintenanceCreated, MaintenanceOpened, PoolCreated},
        kinds::PoolKind,
        maintenance::{self, MaintenanceInput},
        pool_state::PoolState,
    },
    error::{ApiError, ApiResult},
};

/// The CPV code of every maintenance pool: "Software maintenance and repair services".
pub const MAINTENANCE_CPV: &str = "72267000-4";

/// Opens a maintenance pool for the delivered pool `delivered_id` and invites every
/// organisation that uses it, in the same transaction. The delivered pool's row is locked,
/// so two periods asked at once are checked one after the other: overlapping periods of
/// living maintenance pools are a 409, periods that follow one another are fine.
pub fn open(tx: &mut WriteTx, officer: &Officer, delivered_id: i64, input: MaintenanceInput) -> ApiResult<Pool> {
    let actor = officer.id;
    let delivered = pool::lock(tx, delivered_id)?;
    if delivered.state != PoolState::Delivered {
        return Err(ApiError::wrong_state(delivered.state.as_str(), "only delivered software is maintained"));
    }
    if let Some(development) = delivered.maintains_pool_id {
        return Err(ApiError::Conflict(format!(
            "this pool is itself maintenance; open the next period on the development, pool {development}"
        )));
    }
    let periods = pool::maintenance_of(tx, delivered.id)?;
    if let Some(taken) = periods.iter().find(|m| living(m) && overlaps(m, &input)) {
        return Err(ApiError::Conflict(format!(
            "the period overlaps that of maintenance pool {} ({} to {})",
            taken.id,
            taken.period_start.map(|d| d.to_string()).unwrap_or_default(),
            taken.period_end.map(|d| d.to_string()).unwrap_or_default(),
        )));
    }
    let mut pool_ids: Vec<i64> = periods.iter().map(|m| m.id).collect();
    pool_ids.push(delivered.id);
    let invited = users(tx, &delivered, &pool_ids)?;
    // Stored as the API and the open data show them; pages and emails build them in the
    // reader's language from the period and the software (domain::maintenance::title).
    let title = input
        .title
        .unwrap_or_else(|| maintenance::default_title(&delivered.title, input.period_start, input.period_end));
    let description = maintenance::default_description(
        delivered.id,
        delivered.repository_url.as_deref(),
        delivered.licence.as_deref(),
        (input.period_start, input.period_end),
    );
    let now = db::now();
    let maintenance = pool::insert_maintenance(
        tx,
        &NewMaintenancePool {
            title: &title,
            description: &description,
            cpv_code: MAINTENANCE_CPV,
            state: PoolState::Open,
            currency: &delivered.currency,
            target_cents: input.target_cents,
            threshold_cents: input.threshold_cents,
            deadline: input.deadline,
            created_at: now,
            updated_at: now,
            kind: PoolKind::Maintenance,
            maintains_pool_id: delivered.id,
            period_start: input.period_start,
            period_end: input.period_end,
        },
    )?;
    let created = DomainEvent::PoolCreated(PoolCreated {
        title: maintenance.title.clone(),
        description: Some(maintenance.description.clone()),
        cpv_code: maintenance.cpv_code.clone(),
        target_cents: maintenance.target_cents,
        maintenance: Some(MaintenanceCreated {
            threshold_cents: maintenance.threshold_cents,
            deadline: maintenance.deadline,
            kind: maintenance.kind,
            maintains_pool_id: delivered.id,
            maintains_title: Some(delivered.title.clone()),
            period_start: input.period_start,
            period_end: input.period_end,
        }),
    });
    event::record(tx, Some(maintenance.id), &created, Some(actor))?;
    let opened = DomainEvent::PoolMaintenanceOpened(MaintenanceOpened {
        maintains_pool_id: delivered.id,
        period_start: input.period_start,
        period_end: input.period_end,
        invited_organisations: invited.clone(),
    });
    let event = event::record(tx, Some(maintenance.id), &opened, Some(actor))?;
    // Same transaction: the invitations exist if and only if the pool does.
    super::notifications::send_to(tx, &event, &maintenance, &invited, &Default::default())?;
    Ok(maintenance)
}

/// The organisations that use a delivered pool's software: those with an active need in it
/// (including needs that matching pointed there after delivery) or a pledge to it, and
/// those that pledged to one of its earlier maintenance pools (`pool_ids` holds them all).
fn users(tx: &mut WriteTx, delivered: &Pool, pool_ids: &[i64]) -> ApiResult<Vec<i64>> {
    let mut users: BTreeSet<i64> =
        need::organisations_in_pool(tx, delivered.id)?.into_iter().map(|(id, _)| id).collect();
    users.extend(pledge::organisations_of(tx, pool_ids)?);
    Ok(users.into_iter().collect())
}

/// A maintenance pool that ended without funding its period (expired, rejected, cancelled)
/// leaves the period free for another try.
fn living(period: &MaintenancePeriod) -> bool {
    matches!(
        period.state,
        PoolState::Open | PoolState::Funded | PoolState::Approved | PoolState::Awarded | PoolState::Delivered
    )
}

/// Whether two periods share a day (both ends are included).
fn overlaps(taken: &MaintenancePeriod, asked: &MaintenanceInput) -> bool {
    match (taken.period_start, taken.period_end) {
        (Some(start), Some(end)) => start <= asked.period_end && asked.period_start <= end,
        _ => false,
    }
}
