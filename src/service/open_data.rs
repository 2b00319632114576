//! The open data export: what one page of the OCDS releases is made of (the mapping to
//! OCDS is in [`crate::ocds`]).

use chrono::NaiveDateTime;

use super::pool_view;
use crate::{
    db::{
        Tx,
        models::{
            event,
            organisation::{self, Organisation},
            pool,
        },
    },
    domain::kinds::OrganisationKind,
    error::ApiResult,
    ocds::PoolSnapshot,
};

/// A page of the export.
pub struct Loaded {
    pub pools: Vec<PoolSnapshot>,
    pub organisations: Vec<Organisation>,
    pub central: Option<Organisation>,
    /// `(id, title)` of the delivered pools maintained by maintenance pools of the page.
    pub maintained: Vec<(i64, String)>,
    pub total: i64,
}

/// One page of pools with their participants, the organisations they name and when each
/// pool last changed.
pub fn page(tx: &mut Tx, since: Option<NaiveDateTime>, limit: i64, offset: i64) -> ApiResult<Loaded> {
    let (rows, total) = pool::changed_since(tx, since, limit, offset)?;
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let last_events = event::last_of_pools(tx, &ids)?;
    let mut pools = Vec::with_capacity(rows.len());
    for row in rows {
        let last_event = last_events.iter().find(|(id, _)| *id == Some(row.id)).and_then(|(_, at)| *at);
        let last_change = last_event.map_or(row.updated_at, |at| at.max(row.updated_at));
        pools.push(PoolSnapshot { view: pool_view::with_participants(tx, row)?, last_change });
    }
    let mut participant_ids: Vec<i64> =
        pools.iter().flat_map(|p| p.view.participants.iter().map(|x| x.organisation_id)).collect();
    participant_ids.sort_unstable();
    participant_ids.dedup();
    let organisations = organisation::by_ids(tx, &participant_ids)?;
    let central = organisation::find_by_kind(tx, OrganisationKind::CentralPurchasing)?;
    let maintained_ids: Vec<i64> = pools.iter().filter_map(|p| p.view.pool.maintains_pool_id).collect();
    let maintained = pool::states(tx, &maintained_ids)?.into_iter().map(|(id, _, title)| (id, title)).collect();
    Ok(Loaded { pools, organisations, central, maintained, total })
}
