//! What each event says. Field names are the stored JSON keys: renaming one changes what is
//! stored, and the tests of this module fail.
//!
//! Three habits keep the stored text what it always was:
//! - an `Option` field is written as `null` when empty, as `json!` wrote `None`;
//! - a field older events lack reads as empty (`#[serde(default)]`), and when the current
//!   code always fills it, an empty one is not written (`skip_serializing_if`);
//! - [`PoolUpdated`] tells a field left alone (absent) from a field cleared (`null`).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use super::DomainEvent;
use crate::domain::{
    kinds::{DecidedBy, PledgeStatus, PoolKind},
    money::Cents,
    pool_state::{PoolState, Transition},
};

/// `pool.created`: the pool as it opened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolCreated {
    pub title: String,
    /// Absent from the events of the first versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub cpv_code: Option<String>,
    pub target_cents: Option<Cents>,
    /// A maintenance pool's period and what it maintains; absent for a pool opened by a need.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<MaintenanceCreated>,
}

/// The part of `pool.created` that only a maintenance pool has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaintenanceCreated {
    pub threshold_cents: Option<Cents>,
    pub deadline: Option<NaiveDate>,
    pub kind: PoolKind,
    pub maintains_pool_id: i64,
    /// The delivered pool's title then; absent from the events of the first versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintains_title: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
}

/// `pool.updated`: each field is absent when unchanged, `null` when cleared.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolUpdated {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub target_cents: Option<Option<Cents>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub threshold_cents: Option<Option<Cents>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub deadline: Option<Option<NaiveDate>>,
}

impl PoolUpdated {
    /// Whether the edit changed nothing (no event is recorded then).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A key that is present: `null` reads as `Some(None)` (a field cleared), where serde alone
/// would read it as `None` (a field left alone).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// The payload of a change of state: the two states, and what the change says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateChange<T> {
    pub from: PoolState,
    pub to: PoolState,
    #[serde(flatten)]
    pub details: T,
}

/// An approval says nothing more than its states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoDetails {}

/// Where the money stood when a pool crossed its threshold (up: funded; down: reopened).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crossing {
    pub pledged_cents: Cents,
    pub threshold_cents: Option<Cents>,
    pub target_cents: Option<Cents>,
}

/// An officer replaced the pool's text in every stored copy (SPEC §16): why, and which
/// fields; never the text replaced. Who and when are the event's actor and date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolRedacted {
    pub reason: String,
    /// `title`, `description`: the fields given a new text.
    pub fields: Vec<String>,
}

/// An officer's reason, for a rejection or a cancellation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub supplier: String,
    pub amount_cents: Cents,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub repository_url: String,
    pub licence: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expiry {
    pub deadline: Option<NaiveDate>,
    pub pledged_cents: Cents,
    pub threshold_cents: Option<Cents>,
}

/// What a merge moved from one pool into another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    pub from_pool_id: i64,
    pub into_pool_id: i64,
    pub needs_moved: usize,
    /// The active needs moved; absent from the events of the first versions.
    #[serde(default)]
    pub needs: Vec<NeedRef>,
    pub pledges: Vec<MovedPledge>,
}

/// A pledge a merge moved: the one kept when the organisation had pledged to both pools.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedPledge {
    pub organisation_id: i64,
    pub amount_cents: Cents,
    /// Absent from the events of the first versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PledgeStatus>,
    /// The two amounts, when the organisation had pledged to both pools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_larger_of: Option<[Cents; 2]>,
}

/// `pool.merge_received`: the merge, and the estimate the receiving pool adopted when it had
/// none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeReceived {
    #[serde(flatten)]
    pub merge: Merge,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_cents: Option<Cents>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceOpened {
    pub maintains_pool_id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub invited_organisations: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateDismissed {
    /// The pair, lower id first.
    pub pool_ids: [i64; 2],
    /// The pair's other pool, seen from the pool the event is on.
    pub other_pool_id: i64,
    pub reason: Option<String>,
}

/// A pool the matcher found for a need, with how close it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarPool {
    pub pool_id: i64,
    pub title: String,
    pub score: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedPosted {
    pub need_id: i64,
    pub organisation_id: i64,
    pub title: String,
    pub estimated_cost_cents: Option<Cents>,
    /// Whether the need joined an existing pool (with `score`) rather than opening one.
    pub merged: bool,
    pub score: Option<f64>,
    pub similar_pools: Vec<SimilarPool>,
}

/// A need moved from one pool to another (both events of a move carry it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedMove {
    pub need_id: i64,
    pub organisation_id: i64,
    pub from_pool_id: i64,
    pub to_pool_id: i64,
    /// Whether the pool moved to was suggested when the need was posted, and how close.
    pub was_suggested: bool,
    pub suggested_score: Option<f64>,
}

/// A need and its organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedRef {
    pub need_id: i64,
    pub organisation_id: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeSet {
    pub organisation_id: i64,
    pub amount_cents: Cents,
    pub previous_cents: Option<Cents>,
    /// Absent from the events of the first versions.
    #[serde(default)]
    pub previous_status: Option<PledgeStatus>,
}

/// An organisation's pledge and its amount (a withdrawal).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeAmount {
    pub organisation_id: i64,
    pub amount_cents: Cents,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeConfirmed {
    pub organisation_id: i64,
    pub amount_cents: Cents,
    pub decision_ref: String,
    pub decision_date: NaiveDate,
    pub decided_by: DecidedBy,
    /// The decision this one corrects, when the pledge was confirmed already.
    pub replaces_decision_ref: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeRefused {
    pub organisation_id: i64,
    pub amount_cents: Cents,
    pub decision_ref: String,
    pub decision_date: NaiveDate,
}

/// The user an event of access is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub user_id: i64,
}

/// A change of a pool's state with what its event says: what `service::lifecycle` applies.
#[derive(Clone, Debug, PartialEq)]
pub enum PoolStep {
    Fund(Crossing),
    Reopen(Crossing),
    Approve,
    Reject(Reason),
    Award(Award),
    Deliver(Delivery),
    Expire(Expiry),
    Cancel(Reason),
    MergeAway(Merge),
}

impl PoolStep {
    pub fn transition(&self) -> Transition {
        match self {
            PoolStep::Fund(_) => Transition::Fund,
            PoolStep::Reopen(_) => Transition::Reopen,
            PoolStep::Approve => Transition::Approve,
            PoolStep::Reject(_) => Transition::Reject,
            PoolStep::Award(_) => Transition::Award,
            PoolStep::Deliver(_) => Transition::Deliver,
            PoolStep::Expire(_) => Transition::Expire,
            PoolStep::Cancel(_) => Transition::Cancel,
            PoolStep::MergeAway(_) => Transition::MergeAway,
        }
    }

    /// The event of the step, once applied from `from` to `to`.
    pub fn event(self, from: PoolState, to: PoolState) -> DomainEvent {
        fn change<T>(from: PoolState, to: PoolState, details: T) -> StateChange<T> {
            StateChange { from, to, details }
        }
        match self {
            PoolStep::Fund(c) => DomainEvent::PoolFunded(change(from, to, c)),
            PoolStep::Reopen(c) => DomainEvent::PoolReopened(change(from, to, c)),
            PoolStep::Approve => DomainEvent::PoolApproved(change(from, to, NoDetails {})),
            PoolStep::Reject(r) => DomainEvent::PoolRejected(change(from, to, r)),
            PoolStep::Award(a) => DomainEvent::PoolAwarded(change(from, to, a)),
            PoolStep::Deliver(d) => DomainEvent::PoolDelivered(change(from, to, d)),
            PoolStep::Expire(e) => DomainEvent::PoolExpired(change(from, to, e)),
            PoolStep::Cancel(r) => DomainEvent::PoolCancelled(change(from, to, r)),
            PoolStep::MergeAway(m) => DomainEvent::PoolMerged(change(from, to, m)),
        }
    }
}
