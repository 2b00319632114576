//! The open data export: what one page of OCDS releases or records is made of, read from
//! the audit events in one snapshot (the mapping to OCDS is in [`crate::ocds`]).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::{
    db::{
        Tx,
        models::{
            event::{self, Event},
            organisation::{self, Organisation},
        },
    },
    domain::kinds::OrganisationKind,
    error::ApiResult,
    ocds::{PUBLISHED, Snapshot, fold},
};

/// Which part of the export a page holds.
#[derive(Clone, Copy, Debug)]
pub struct Harvest {
    /// Only what was recorded at or after this instant.
    pub since: Option<NaiveDateTime>,
    /// The cursor: releases after this event id, or records after this pool id.
    pub after: i64,
    pub limit: i64,
}

/// A page of the export and what its mapping needs.
pub struct Loaded<T> {
    pub items: Vec<T>,
    /// The organisations the items name.
    pub organisations: Vec<Organisation>,
    pub central: Option<Organisation>,
    /// When the newest release of the page was recorded; of the whole export when the
    /// page is empty.
    pub newest: Option<NaiveDateTime>,
    /// The cursor after the last item of the page, if it has any.
    pub last: Option<i64>,
}

/// The releases of a page: one snapshot per published event after the cursor, each folded
/// from its pool's events up to and including it.
pub fn releases(tx: &mut Tx, harvest: Harvest) -> ApiResult<Loaded<Snapshot>> {
    let page = event::of_types_page(tx, PUBLISHED, harvest.since, harvest.after, harvest.limit)?;
    let Some(last) = page.last().map(|e| e.id) else { return empty(tx) };
    let mut pool_ids: Vec<i64> = page.iter().filter_map(|e| e.pool_id).collect();
    pool_ids.sort_unstable();
    pool_ids.dedup();
    let wanted: Vec<i64> = page.iter().map(|e| e.id).collect();
    let mut snapshots: Vec<Snapshot> = histories(event::of_pools_through(tx, &pool_ids, PUBLISHED, last)?)
        .into_values()
        .flatten()
        .filter(|s| wanted.binary_search(&s.event_id).is_ok())
        .collect();
    snapshots.sort_by_key(|s| s.event_id);
    let newest = snapshots.iter().map(|s| s.at).max();
    let (organisations, central) = named(tx, snapshots.iter())?;
    Ok(Loaded { items: snapshots, organisations, central, newest, last: Some(last) })
}

/// The records of a page: every snapshot of each pool with a published event (at or after
/// `since`) whose id is after the cursor, by pool id.
pub fn records(tx: &mut Tx, harvest: Harvest) -> ApiResult<Loaded<(i64, Vec<Snapshot>)>> {
    let pool_ids = event::pools_with_types(tx, PUBLISHED, harvest.since, harvest.after, harvest.limit)?;
    let Some(&last) = pool_ids.last() else { return empty(tx) };
    let records: Vec<(i64, Vec<Snapshot>)> =
        histories(event::of_pools_through(tx, &pool_ids, PUBLISHED, i64::MAX)?).into_iter().collect();
    let newest = records.iter().flat_map(|(_, s)| s.iter().map(|s| s.at)).max();
    let (organisations, central) = named(tx, records.iter().flat_map(|(_, s)| s))?;
    Ok(Loaded { items: records, organisations, central, newest, last: Some(last) })
}

fn empty<T>(tx: &mut Tx) -> ApiResult<Loaded<T>> {
    let central = organisation::find_by_kind(tx, OrganisationKind::CentralPurchasing)?;
    let newest = event::newest_of_types(tx, PUBLISHED)?;
    Ok(Loaded { items: Vec::new(), organisations: Vec::new(), central, newest, last: None })
}

/// Each pool's snapshots, folded from its events (oldest first).
fn histories(events: Vec<Event>) -> BTreeMap<i64, Vec<Snapshot>> {
    let mut by_pool: BTreeMap<i64, Vec<Event>> = BTreeMap::new();
    for event in events {
        if let Some(pool_id) = event.pool_id {
            by_pool.entry(pool_id).or_default().push(event);
        }
    }
    by_pool.into_iter().map(|(pool_id, events)| (pool_id, fold::history(pool_id, &events))).collect()
}

/// The organisations the snapshots name, and the central purchasing office.
fn named<'a>(
    tx: &mut Tx,
    snapshots: impl Iterator<Item = &'a Snapshot>,
) -> ApiResult<(Vec<Organisation>, Option<Organisation>)> {
    let mut ids: Vec<i64> = snapshots.flat_map(|s| s.facts.organisations.iter().copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    let organisations = organisation::by_ids(tx, &ids)?;
    let central = organisation::find_by_kind(tx, OrganisationKind::CentralPurchasing)?;
    Ok((organisations, central))
}
