//! A pool's history, folded from its audit events: what the events up to and including
//! each one say about the pool, for the release of that event.
//!
//! The fold reads nothing but the events (never the pool's row, which only says what the
//! pool is now), so the release of an event is the same whenever it is built. An event of a
//! type it does not know ([`PUBLISHED`] lists those it knows) changes nothing and makes no
//! release; a field missing from a known event's data is left as it was.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::schema::Tag;
use crate::{db::models::event::Event, domain::pool_state::PoolState};

/// The event types that make a release, each changing what OCDS describes of the pool (the
/// table of the module documentation of [`crate::ocds`] says how).
pub const PUBLISHED: &[&str] = &[
    "pool.created",
    "pool.updated",
    "need.posted",
    "need.moved",
    "need.moved_out",
    "need.withdrawn",
    "pledge.set",
    "pledge.withdrawn",
    "pledge.refused",
    "pledge.confirmed",
    "pool.funded",
    "pool.reopened",
    "pool.approved",
    "pool.rejected",
    "pool.cancelled",
    "pool.expired",
    "pool.merged",
    "pool.merge_received",
    "pool.awarded",
    "pool.delivered",
    "pool.maintenance_opened",
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

/// One snapshot per event of a type in [`PUBLISHED`]; `events` are one pool's, oldest first.
pub fn history(pool_id: i64, events: &[Event]) -> Vec<Snapshot> {
    let mut facts = PoolFacts::new(pool_id);
    let mut snapshots = Vec::new();
    for event in events {
        let data: Value = serde_json::from_str(&event.data).unwrap_or(Value::Null);
        if apply(&mut facts, &event.event_type, event.at, &data) {
            facts.estimated |= facts.estimate().is_some();
            facts.described |= facts.description.as_deref().is_some_and(|d| !d.is_empty());
            let tags = tags(&event.event_type, facts.state);
            snapshots.push(Snapshot { event_id: event.id, at: event.at, tags, facts: facts.clone() });
        }
    }
    snapshots
}

fn int(data: &Value, key: &str) -> Option<i64> {
    data.get(key).and_then(Value::as_i64)
}

fn text(data: &Value, key: &str) -> Option<String> {
    data.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn date(data: &Value, key: &str) -> Option<NaiveDate> {
    data.get(key).and_then(Value::as_str).and_then(|d| d.parse().ok())
}

/// `Some(value)` when the data has the key (`Some(None)` for an explicit `null`).
fn given(data: &Value, key: &str) -> Option<Option<i64>> {
    data.get(key).map(Value::as_i64)
}

/// Applies one event; false for a type that makes no release.
fn apply(facts: &mut PoolFacts, kind: &str, at: NaiveDateTime, data: &Value) -> bool {
    match kind {
        "pool.created" | "pool.updated" => {
            if let Some(title) = text(data, "title") {
                facts.title = title;
            }
            if let Some(description) = text(data, "description") {
                facts.description = Some(description);
            }
            if let Some(cpv) = text(data, "cpv_code") {
                facts.cpv_code = Some(cpv);
            }
            if let Some(target) = given(data, "target_cents") {
                facts.target_cents = target;
            }
            if let Some(threshold) = given(data, "threshold_cents") {
                facts.threshold_cents = threshold;
            }
            maintenance(facts, data);
        }
        "pool.maintenance_opened" => maintenance(facts, data),
        "need.posted" | "need.moved" => {
            if let (Some(need), Some(organisation)) = (int(data, "need_id"), int(data, "organisation_id")) {
                facts.needs.insert(need, organisation);
                facts.organisations.insert(organisation);
            }
        }
        "need.withdrawn" | "need.moved_out" => {
            if let Some(need) = int(data, "need_id") {
                facts.needs.remove(&need);
            }
        }
        "pledge.set" => {
            if let (Some(organisation), Some(amount)) = (int(data, "organisation_id"), int(data, "amount_cents")) {
                set_pledge(facts, organisation, amount);
            }
        }
        "pledge.withdrawn" | "pledge.refused" => {
            if let Some(organisation) = int(data, "organisation_id") {
                let standing = if kind == "pledge.refused" {
                    Standing::Refused {
                        decision_ref: text(data, "decision_ref"),
                        decision_date: text(data, "decision_date"),
                    }
                } else {
                    Standing::Withdrawn
                };
                if let Some(pledge) = facts.pledges.get_mut(&organisation) {
                    *pledge = Pledge { amount_cents: 0, standing };
                }
            }
        }
        "pledge.confirmed" => {
            if let Some(pledge) = int(data, "organisation_id").and_then(|o| facts.pledges.get_mut(&o)) {
                pledge.standing = Standing::Confirmed {
                    decision_ref: text(data, "decision_ref"),
                    decision_date: text(data, "decision_date"),
                    decided_by: text(data, "decided_by"),
                };
            }
        }
        "pool.funded" => facts.state = PoolState::Funded,
        "pool.reopened" => facts.state = PoolState::Open,
        "pool.approved" => facts.state = PoolState::Approved,
        "pool.expired" => facts.state = PoolState::Expired,
        "pool.rejected" | "pool.cancelled" => {
            facts.state = if kind == "pool.rejected" { PoolState::Rejected } else { PoolState::Cancelled };
            facts.ended = Some(Step { at, text: text(data, "reason"), ..Step::default() });
        }
        "pool.awarded" => {
            facts.state = PoolState::Awarded;
            let (text, amount_cents) = (text(data, "supplier"), int(data, "amount_cents"));
            facts.awarded = Some(Step { at, text, amount_cents, licence: None });
        }
        "pool.delivered" => {
            facts.state = PoolState::Delivered;
            let (text, licence) = (text(data, "repository_url"), text(data, "licence"));
            facts.delivered = Some(Step { at, text, amount_cents: None, licence });
        }
        "pool.merged" => {
            facts.state = PoolState::Merged;
            let into = int(data, "into_pool_id");
            facts.merged_into = into;
            facts.needs.clear();
            for pledge in facts.pledges.values_mut().filter(|p| p.amount_cents > 0) {
                *pledge = Pledge { amount_cents: 0, standing: Standing::MovedTo(into) };
            }
        }
        "pool.merge_received" => {
            if let Some(from) = int(data, "from_pool_id") {
                facts.merged_from.push(from);
            }
            let list = |key: &str| data.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
            for need in list("needs") {
                if let (Some(id), Some(organisation)) = (int(&need, "need_id"), int(&need, "organisation_id")) {
                    facts.needs.insert(id, organisation);
                    facts.organisations.insert(organisation);
                }
            }
            for pledge in list("pledges") {
                if let (Some(organisation), Some(amount)) =
                    (int(&pledge, "organisation_id"), int(&pledge, "amount_cents"))
                {
                    set_pledge(facts, organisation, amount);
                }
            }
            if let Some(target) = int(data, "target_cents").filter(|_| facts.target_cents.is_none()) {
                facts.target_cents = Some(target);
            }
        }
        _ => return false,
    }
    true
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

/// What a maintenance pool maintains and for which period.
fn maintenance(facts: &mut PoolFacts, data: &Value) {
    if let Some(delivered) = int(data, "maintains_pool_id") {
        facts.maintains = Some(delivered);
    }
    if let Some(title) = text(data, "maintains_title") {
        facts.maintains_title = Some(title);
    }
    if let (Some(start), Some(end)) = (date(data, "period_start"), date(data, "period_end")) {
        facts.period = (Some(start), Some(end));
    }
}

/// The tags of the release of an event (releaseTag codelist): the stage it opens, or the
/// update of the stage the pool is in.
fn tags(kind: &str, state: PoolState) -> Vec<Tag> {
    match kind {
        "pool.created" => vec![Tag::Planning],
        "pool.approved" => vec![Tag::Tender],
        "pool.rejected" | "pool.cancelled" | "pool.merged" => vec![Tag::TenderCancellation],
        "pool.awarded" => vec![Tag::Award],
        "pool.delivered" => vec![Tag::Contract, Tag::Implementation, Tag::ContractTermination],
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
