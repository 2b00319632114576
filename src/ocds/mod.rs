//! Pools as Open Contracting Data Standard (OCDS 1.1) data: a pure mapping, no I/O.
//!
//! One contracting process per pool (`ocid` = `{MUTUA_OCID_PREFIX}-{pool id}`), and **one
//! release per audit event** that changes what OCDS describes: the release of an event is
//! built by folding the pool's events up to and including it ([`fold`]), never from the
//! pool's row, so it is the same whenever it is fetched. Its `id` is `{ocid}-{event id}`,
//! its `date` the event's. Releases are full snapshots that never drop what an earlier one
//! said (a withdrawn pledge stays at zero, a former participant stays a party), so that the
//! compiled release ([`merge`]) is the pool as it is now. Organisation names and NIS codes
//! are read as they are now: they are public bodies, and nothing else is read outside the
//! events. No person is named (no user, no email, no actor of an event).
//!
//! | event | what its release changes | `tag` |
//! |---|---|---|
//! | `pool.created` | title, description, CPV item, `tender.value` (the estimate); for a maintenance pool the `prior` related process and `tender.contractPeriod` | `planning` |
//! | `pool.updated` | title, description, estimate (`null` once cleared) | update of the stage¹ |
//! | `need.posted`, `need.moved` | the authority becomes a party (`buyer`) | update of the stage |
//! | `need.withdrawn`, `need.moved_out` | its roles (`interestedParty` when it no longer takes part) | update of the stage |
//! | `pledge.set` | its `budgetBreakdown` entry (amount, share), `planning.budget.amount`, role `funder` | update of the stage |
//! | `pledge.withdrawn`, `pledge.refused` | its entry at zero, saying why | update of the stage |
//! | `pledge.confirmed` | its entry names the council's decision | update of the stage |
//! | `pool.funded` | `tender.status` `planned` | `planningUpdate` |
//! | `pool.reopened` | `tender.status` `planning` | `planningUpdate` |
//! | `pool.maintenance_opened` | the `prior` related process and contract period, if not given yet | `planningUpdate` |
//! | `pool.merge_received` | the needs and pledges that came in, a `merged-from-{pool}` related process | update of the stage |
//! | `pool.approved` | `tender.status` `active` | `tender` |
//! | `pool.rejected`, `pool.cancelled` | `tender.status` `cancelled`, the reason as a `cancellationDetails` document | `tenderCancellation` |
//! | `pool.merged` | `tender.status` `cancelled`, pledges at zero (moved), the `merged-into` related process | `tenderCancellation` |
//! | `pool.expired` | `tender.status` `unsuccessful` (funding did not reach the threshold in time) | `tenderUpdate` |
//! | `pool.awarded` | `tender.status` `complete`, `awards` (supplier, amount), the supplier as a party | `award` |
//! | `pool.delivered` | `contracts` (`terminated`, the repository as a `completionCertificate` document) | `contract`, `implementation`, `contractTermination` |
//! | any other type | no release | |
//!
//! ¹ `planningUpdate` while open or funded, `tenderUpdate` once approved or ended,
//! `awardUpdate` once awarded, `implementationUpdate` once delivered (an authority that
//! joins delivered software to reuse it).
//!
//! Money. `planning.budget.amount` is what the authorities pledge in all and
//! `budgetBreakdown` (the budget breakdown extension, declared in the package) has one entry
//! per authority that pledged, its pledge as `amount`, its share in the description and the
//! authority as `sourceParty`. The budget is the money put up, so it is the pledges that add
//! up to it; the estimated cost is `tender.value`.
//!
//! Parties. The central purchasing office buys on behalf of all the authorities: it is the
//! release's `buyer` and the tender's `procuringEntity`. Each participating authority is a
//! party with role `buyer` (its budget pays), and `funder` while it pledges. Belgian NIS
//! codes are not a scheme of the org-id.guide list that `identifier` expects, so they go in
//! `additionalIdentifiers` with the scheme `BE-NIS`.
//!
//! Merged pools are published, not left out: a harvester that saw the pool while it was
//! open must learn that it ended and where its needs and pledges went.

pub mod fold;
pub mod merge;
mod prefix;
mod release;
mod schema;

pub use fold::{PUBLISHED, Snapshot};
pub use merge::{Json, MergeError};
pub use prefix::OcidPrefix;
pub use release::{Publication, release};
pub use schema::*;

use crate::db::models::organisation::Organisation;

/// The extensions every package declares.
fn extensions() -> Vec<String> {
    vec![BUDGET_BREAKDOWN_EXTENSION.to_owned(), PAGINATION_EXTENSION.to_owned()]
}

/// Who publishes: the central purchasing office, at the service's public URL.
pub fn publisher(central: Option<&Organisation>, public_url: &str) -> Publisher {
    Publisher { name: central.map_or_else(|| "mutua".to_owned(), |c| c.name.clone()), uri: Some(public_url.to_owned()) }
}

/// A page of releases. `published_date` is the date of the last change to what the package
/// holds (OCDS: a package made on demand carries that date), so the same page is the same
/// bytes until something changes.
pub fn release_package(
    uri: String,
    publisher: Publisher,
    published_date: Instant,
    next: Option<String>,
    releases: Vec<Release>,
) -> ReleasePackage {
    ReleasePackage {
        uri,
        version: VERSION.to_owned(),
        extensions: extensions(),
        published_date,
        publisher,
        links: next.map(|next| Links { next }),
        releases,
    }
}

/// A page of records; see [`release_package`].
pub fn record_package(
    uri: String,
    publisher: Publisher,
    published_date: Instant,
    next: Option<String>,
    records: Vec<Record>,
) -> RecordPackage {
    RecordPackage {
        uri,
        version: VERSION.to_owned(),
        extensions: extensions(),
        published_date,
        publisher,
        links: next.map(|next| Links { next }),
        records,
    }
}

/// The most releases a record embeds; a record with more links them all.
pub const EMBEDDED: usize = 100;

/// The record of one pool: its releases, oldest first, and what they compile to. Beyond
/// [`EMBEDDED`] releases, each is linked by `url(its index, the release)` instead of
/// embedded.
pub fn record(
    ocid: String,
    releases: Vec<Release>,
    url: impl Fn(usize, &Release) -> String,
) -> Result<Record, MergeError> {
    let json = releases.iter().map(Json::of).collect::<Result<Vec<_>, _>>()?;
    let compiled_release = merge::compiled_release(&json)?;
    let versioned_release = merge::versioned_release(&json)?;
    let releases = if releases.len() <= EMBEDDED {
        RecordReleases::Embedded(releases)
    } else {
        RecordReleases::Linked(
            releases
                .into_iter()
                .enumerate()
                .map(|(i, r)| LinkedRelease { url: url(i, &r), date: r.date, tag: r.tag })
                .collect(),
        )
    };
    Ok(Record { ocid, compiled_release, versioned_release, releases })
}
