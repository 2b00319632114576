//! A pool's history, folded from its audit events: what the events up to and including
//! each one say about the pool, for the release of that event.
//!
//! The fold reads nothing but the events (never the pool's row, which only says what the
//! pool is now), so the release of an event is the same whenever it is built. An event of a
//! kind outside [`PUBLISHED`] changes nothing and makes no release; an optional field left
//! empty (a description absent from the events of the first versions) is left as it was.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};

use super::schema::Tag;
use crate::{
    db::models::event::Event,
    domain::{
        events::{DomainEvent, EventKind, NeedMove, NeedPosted, NeedRef},
        money::Cents,
        pool_state::PoolState,
    },
};

/// The kinds of event that make a release, each changing what OCDS describes of the pool
/// (the table of the module documentation of [`crate::ocds`] says how).
pub const PUBLISHED: &[EventKind] = &[
    EventKind::PoolCreated,
    EventKind::PoolUpdated,
    EventKind::NeedPosted,
    EventKind::NeedMoved,
    EventKind::NeedMovedOut,
    EventKind::NeedWithdrawn,
    EventKind::PledgeSet,
    EventKind::PledgeWithdrawn,
    EventKind::PledgeRefused,
    EventKind::PledgeConfirmed,
    EventKind::PledgeCorrected,
    EventKind::PledgeDropped,
    EventKind::PoolFunded,
    EventKind::PoolReopened,
    EventKind::PoolApproved,
    EventKind::PoolRejected,
    EventKind::PoolCancelled,
    EventKind::PoolEmptied,
    EventKind::PoolExpired,
    EventKind::PoolMerged,
    EventKind::PoolMergeReceived,
    EventKind::PoolAwarded,
    EventKind::PoolDelivered,
    EventKind::PoolMaintenanceOpened,
    EventKind::PoolRedacted,
];

/// Where an organisation's pledge stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    Pledged,
    /// Its council decided (`pledge.confirmed`).
    Confirmed {
        decision_ref: Option<String>,
        decision_date: Option<String>,
        decided_by: Option<String>,
    },
    Withdrawn,
    /// Its council refused it (`pledge.refused`).
    Refused {
        decision_ref: Option<String>,
        decision_date: Option<String>,
    },
    /// Moved with the pool's needs into the pool it was merged into.
    MovedTo(Option<i64>),
    /// Removed by an officer, with the reason (`pledge.dropped`).
    Dropped {
        reason: String,
    },
}

/// An organisation's pledge; a withdrawn one stays, at zero, so that a release never drops
/// what an earlier one said (the merge routine cannot remove an object from a list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pledge {
    pub amount_cents: i64,
    pub standing: Standing,
}

/// A step of procurement or an end, with when it happened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    pub at: NaiveDateTime,
    /// The reason of a rejection or cancellation; the supplier of an award; the repository
    /// of a delivery.
    pub text: Option<String>,
    /// The awarded amount; none otherwise.
    pub amount_cents: Option<i64>,
    /// The licence of a delivery.
    pub licence: Option<String>,
}

/// A redaction of the pool's text: when, why, and which fields (never the text replaced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redacted {
    pub at: NaiveDateTime,
    pub reason: String,
    pub fields: String,
}

/// What the events so far say about a pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolFacts {
    pub pool_id: i64,
    pub state: PoolState,
    pub title: String,
    pub description: Option<String>,
    /// A description was given once: an empty one now removes it.
    pub described: bool,
    pub cpv_code: Option<String>,
    pub target_cents: Option<i64>,
    pub threshold_cents: Option<i64>,
    /// An estimate was given once: none now removes it.
    pub estimated: bool,
    pub ended: Option<Step>,
    pub awarded: Option<Step>,
    pub delivered: Option<Step>,
    pub merged_into: Option<i64>,
    pub merged_from: Vec<i64>,
    pub maintains: Option<i64>,
    /// The title of the delivered pool, as it was when the maintenance pool opened.
    pub maintains_title: Option<String>,
    pub period: (Option<NaiveDate>, Option<NaiveDate>),
    /// Active needs: need id → organisation.
    pub needs: BTreeMap<i64, i64>,
    /// Organisation → its pledge, including withdrawn ones.
    pub pledges: BTreeMap<i64, Pledge>,
    /// Every organisation that ever took part (a need or a pledge).
    pub organisations: BTreeSet<i64>,
    /// Each redaction of the text.
    pub redactions: Vec<Redacted>,
}

impl PoolFacts {
    fn new(pool_id: i64) -> Self {
        Self {
            pool_id,
            state: PoolState::Open,
            title: String::new(),
            description: None,
            described: false,
            cpv_code: None,
            target_cents: None,
            threshold_cents: None,
            estimated: false,
            ended: None,
            awarded: None,
            delivered: None,
            merged_into: None,
            merged_from: Vec::new(),
            maintains: None,
            maintains_title: None,
            period: (None, None),
            needs: BTreeMap::new(),
            pledges: BTreeMap::new(),
            organisations: BTreeSet::new(),
            redactions: Vec::new(),
        }
    }

    /// The estimated cost, or the threshold while there is none.
    pub fn estimate(&self) -> Option<i64> {
        self.target_cents.or(self.threshold_cents)
    }

    /// Whether an organisation takes part now: an active need, or a pledge above zero.
    pub fn takes_part(&self, organisation: i64) -> bool {
        self.needs.values().any(|o| *o == organisation) || self.pledged(organisation) > 0
    }

    pub fn pledged(&self, organisation: i64) -> i64 {
        self.pledges.get(&organisation).map_or(0, |p| p.amount_cents)
    }
}

/// The pool at one of its events: the release of that event.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub event_id: i64,
    pub at: NaiveDateTime,
    pub tags: Vec<Tag>,
    pub facts: PoolFacts,
}

/// One snapshot per event of a kind in [`PUBLISHED`]; `events` are one pool's, oldest first.
pub fn history(pool_id: i64, events: &[Event]) -> Vec<Snapshot> {
    let mut facts = PoolFacts::new(pool_id);
    let mut snapshots = Vec::new();
    for event in events {
        if apply(&mut facts, &event.event, event.at) {
            facts.estimated |= facts.estimate().is_some();
            facts.described |= facts.description.as_deref().is_some_and(|d| !d.is_empty());
            let tags = tags(event.event.kind(), facts.state);
            snapshots.push(Snapshot { event_id: event.id, at: event.at, tags, facts: facts.clone() });
        }
    }
    snapshots
}

fn cents(amount: Option<Cents>) -> Option<i64> {
    amount.map(Cents::get)
}

/// Applies one event; false for a kind that makes no release.
fn apply(facts: &mut PoolFacts, event: &DomainEvent, at: NaiveDateTime) -> bool {
    match event {
        DomainEvent::PoolCreated(created) => {
            facts.title.clone_from(&created.title);
            if let Some(description) = &created.description {
                facts.description = Some(description.clone());
            }
            if let Some(cpv) = &created.cpv_code {
                facts.cpv_code = Some(cpv.clone());
            }
            facts.target_cents = cents(created.target_cents);
            if let Some(maintenance) = &created.maintenance {
                facts.threshold_cents = cents(maintenance.threshold_cents);
                facts.maintains = Some(maintenance.maintains_pool_id);
                if let Some(title) = &maintenance.maintains_title {
                    facts.maintains_title = Some(title.clone());
                }
                facts.period = (Some(maintenance.period_start), Some(maintenance.period_end));
            }
        }
        DomainEvent::PoolUpdated(edit) => {
            if let Some(title) = &edit.title {
                facts.title.clone_from(title);
            }
            if let Some(description) = &edit.description {
                facts.description = Some(description.clone());
            }
            if let Some(target) = edit.target_cents {
                facts.target_cents = cents(target);
            }
            if let Some(threshold) = edit.threshold_cents {
                facts.threshold_cents = cents(threshold);
            }
        }
        DomainEvent::PoolMaintenanceOpened(opened) => {
            facts.maintains = Some(opened.maintains_pool_id);
            facts.period = (Some(opened.period_start), Some(opened.period_end));
        }
        DomainEvent::NeedPosted(NeedPosted { need_id, organisation_id, .. })
        | DomainEvent::NeedMoved(NeedMove { need_id, organisation_id, .. }) => {
            facts.needs.insert(*need_id, *organisation_id);
            facts.organisations.insert(*organisation_id);
        }
        DomainEvent::NeedWithdrawn(NeedRef { need_id, .. }) | DomainEvent::NeedMovedOut(NeedMove { need_id, .. }) => {
            facts.needs.remove(need_id);
        }
        DomainEvent::PledgeSet(set) => set_pledge(facts, set.organisation_id, set.amount_cents.get()),
        DomainEvent::PledgeWithdrawn(withdrawn) => end_pledge(facts, withdrawn.organisation_id, Standing::Withdrawn),
        DomainEvent::PledgeRefused(refused) => {
            let standing = Standing::Refused {
                decision_ref: Some(refused.decision_ref.clone()),
                decision_date: Some(refused.decision_date.to_string()),
            };
            end_pledge(facts, refused.organisation_id, standing);
        }
        DomainEvent::PledgeCorrected(corrected) => match corrected.amount_cents {
            Some(amount) => set_pledge(facts, corrected.organisation_id, amount.get()),
            None => end_pledge(facts, corrected.organisation_id, Standing::Withdrawn),
        },
        DomainEvent::PledgeDropped(dropped) => {
            end_pledge(facts, dropped.organisation_id, Standing::Dropped { reason: dropped.reason.clone() });
        }
        DomainEvent::PledgeConfirmed(confirmed) => {
            if let Some(pledge) = facts.pledges.get_mut(&confirmed.organisation_id) {
                pledge.standing = Standing::Confirmed {
                    decision_ref: Some(confirmed.decision_ref.clone()),
                    decision_date: Some(confirmed.decision_date.to_string()),
                    decided_by: Some(confirmed.decided_by.as_str().to_owned()),
                };
            }
        }
        DomainEvent::PoolFunded(_) => facts.state = PoolState::Funded,
        DomainEvent::PoolReopened(_) => facts.state = PoolState::Open,
        DomainEvent::PoolApproved(_) => facts.state = PoolState::Approved,
        DomainEvent::PoolExpired(_) => facts.state = PoolState::Expired,
        DomainEvent::PoolEmptied(change) => {
            facts.state = change.to;
            facts.ended = Some(Step { at, ..Step::default() });
        }
        DomainEvent::PoolRejected(change) | DomainEvent::PoolCancelled(change) => {
            facts.state = change.to;
            facts.ended = Some(Step { at, text: Some(change.details.reason.clone()), ..Step::default() });
        }
        DomainEvent::PoolAwarded(change) => {
            facts.state = PoolState::Awarded;
            let (text, amount_cents) = (Some(change.details.supplier.clone()), Some(change.details.amount_cents.get()));
            facts.awarded = Some(Step { at, text, amount_cents, licence: None });
        }
        DomainEvent::PoolDelivered(change) => {
            facts.state = PoolState::Delivered;
            let delivery = &change.details;
            let (text, licence) = (Some(delivery.repository_url.clone()), Some(delivery.licence.clone()));
            facts.delivered = Some(Step { at, text, amount_cents: None, licence });
        }
        DomainEvent::PoolMerged(change) => {
            facts.state = PoolState::Merged;
            let into = Some(change.details.into_pool_id);
            facts.merged_into = into;
            facts.needs.clear();
            for pledge in facts.pledges.values_mut().filter(|p| p.amount_cents > 0) {
                *pledge = Pledge { amount_cents: 0, standing: Standing::MovedTo(into) };
            }
        }
        DomainEvent::PoolMergeReceived(received) => {
            let merge = &received.merge;
            facts.merged_from.push(merge.from_pool_id);
            for need in &merge.needs {
                facts.needs.insert(need.need_id, need.organisation_id);
                facts.organisations.insert(need.organisation_id);
            }
            for pledge in &merge.pledges {
                set_pledge(facts, pledge.organisation_id, pledge.amount_cents.get());
            }
            if facts.target_cents.is_none() {
                facts.target_cents = cents(received.target_cents);
            }
        }
        DomainEvent::PoolRedacted(redacted) => {
            facts.redactions.push(Redacted { at, reason: redacted.reason.clone(), fields: redacted.fields.join(", ") })
        }
        DomainEvent::PoolDuplicateDismissed(_)
        | DomainEvent::UserDisabled(_)
        | DomainEvent::UserEnabled(_)
        | DomainEvent::UserPasswordChanged(_)
        | DomainEvent::UserRoleChanged(_)
        | DomainEvent::UserSignedOut(_)
        | DomainEvent::UserInvited(_)
        | DomainEvent::UserPasswordReset(_)
        | DomainEvent::UserProfileChanged(_)
        | DomainEvent::UserSignedOutEverywhere(_) => return false,
    }
    true
}

/// A pledge withdrawn or refused: kept, at zero.
fn end_pledge(facts: &mut PoolFacts, organisation: i64, standing: Standing) {
    if let Some(pledge) = facts.pledges.get_mut(&organisation) {
        *pledge = Pledge { amount_cents: 0, standing };
    }
}

/// A new amount; a council's confirmation holds only for the amount it confirmed.
fn set_pledge(facts: &mut PoolFacts, organisation: i64, amount_cents: i64) {
    let standing = match facts.pledges.get(&organisation) {
        Some(p) if p.amount_cents == amount_cents && matches!(p.standing, Standing::Confirmed { .. }) => {
            p.standing.clone()
        }
        _ => Standing::Pledged,
    };
    facts.pledges.insert(organisation, Pledge { amount_cents, standing });
    facts.organisations.insert(organisation);
}

/// The tags of the release of an event (releaseTag codelist): the stage it opens, or the
/// update of the stage the pool is in.
fn tags(kind: EventKind, state: PoolState) -> Vec<Tag> {
    match kind {
        EventKind::PoolCreated => vec![Tag::Planning],
        EventKind::PoolApproved => vec![Tag::Tender],
        EventKind::PoolRejected | EventKind::PoolCancelled | EventKind::PoolEmptied | EventKind::PoolMerged => {
            vec![Tag::TenderCancellation]
        }
        EventKind::PoolAwarded => vec![Tag::Award],
        EventKind::PoolDelivered => vec![Tag::Contract, Tag::Implementation, Tag::ContractTermination],
        _ => vec![match state {
            PoolState::Open | PoolState::Funded => Tag::PlanningUpdate,
            PoolState::Awarded => Tag::AwardUpdate,
            PoolState::Delivered => Tag::ImplementationUpdate,
            PoolState::Approved
            | PoolState::Rejected
            | PoolState::Cancelled
            | PoolState::Expired
            | PoolState::Merged => Tag::TenderUpdate,
        }],
    }
}

#[cfg(test)]
mod tests;
