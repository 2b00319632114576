//! The pool lifecycle of SPEC section 4, as a pure transition function.
//!
//! ```text
//!         ┌──(a council refuses; pledged < threshold)──┐
//!         ▼                                             │
//! open ──(pledged ≥ threshold)──▶ funded ──approve──▶ approved ──award──▶ awarded ──deliver──▶ delivered
//!   │                               │ reject          (every participant with a share
//!   │ deadline passed               ▼                  has a confirmed pledge)
//!   ▼                            rejected
//! expired          (an officer may cancel any pool before `awarded` → cancelled)
//! ```
//!
//! SPEC section 10 adds `funded → open` (`Reopen`): a council refused a provisional pledge
//! of a funded pool, and what is left is below the threshold. The pool then takes pledges
//! again, and the next crossing funds it again: every crossing up is one `pool.funded`.
//!
//! One state is added to the SPEC's: `merged`, the end of a pool whose needs and pledges an
//! officer moved into another pool (`merged_into_pool_id` says which). Calling it
//! `cancelled` would hide where the money went.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::kinds::text_enum;

text_enum! {
    /// Where a pool is in its lifecycle.
    #[schema(example = "approved")]
    PoolState {
        Open => "open",
        Funded => "funded",
        Approved => "approved",
        Rejected => "rejected",
        Awarded => "awarded",
        Delivered => "delivered",
        Expired => "expired",
        Cancelled => "cancelled",
        Merged => "merged",
    }
}

/// What can happen to a pool (its event: `crate::domain::events::PoolStep`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    Fund,
    Reopen,
    Approve,
    Reject,
    Award,
    Deliver,
    Expire,
    Cancel,
    MergeAway,
}

impl PoolState {
    /// The state after `transition`, or why it is not allowed from here.
    pub fn apply(self, transition: Transition) -> Result<PoolState, String> {
        use PoolState::*;
        use Transition::*;
        match (self, transition) {
            (Open, Fund) => Ok(Funded),
            (Funded, Reopen) => Ok(Open),
            (Funded, Approve) => Ok(Approved),
            (Funded, Reject) => Ok(Rejected),
            (Approved, Award) => Ok(Awarded),
            (Awarded, Deliver) => Ok(Delivered),
            (Open, Expire) => Ok(Expired),
            (Open | Funded | Approved, Cancel) => Ok(Cancelled),
            (Open | Funded, MergeAway) => Ok(Merged),
            (state, transition) => Err(format!("{transition:?} is not possible from {state}").to_lowercase()),
        }
    }

    /// Pledges may be created, changed or withdrawn only while the pool is open.
    pub fn accepts_pledges(self) -> bool {
        self == PoolState::Open
    }

    /// A council's decision on a pledge (a confirmation, or a refusal that withdraws a
    /// provisional pledge) is recorded while the pool is open or funded: it is what the
    /// approval of a funded pool waits for. Once approved, every paying pledge is confirmed.
    pub fn accepts_council_decisions(self) -> bool {
        matches!(self, Self::Open | Self::Funded)
    }

    /// Pools a new need may join or be compared with: the living ones, and delivered ones
    /// (so that a delivered development is reused instead of funded again).
    pub fn is_matchable(self) -> bool {
        matches!(self, Self::Open | Self::Funded | Self::Approved | Self::Awarded | Self::Delivered)
    }

    /// Whether two pools in these states make a duplicate candidate an officer reviews (SPEC
    /// section 9): both still before their award (open, funded or approved), or one
    /// delivered and the other not yet decided (open or funded: it could reuse what exists).
    /// Never two delivered pools, never a pool that ended (rejected, cancelled, expired,
    /// merged), never an awarded one (its contract is signed).
    pub fn reviewable_pair(self, other: PoolState) -> bool {
        let before_award = |s: PoolState| matches!(s, Self::Open | Self::Funded | Self::Approved);
        let undecided = |s: PoolState| matches!(s, Self::Open | Self::Funded);
        (before_award(self) && before_award(other))
            || (self == Self::Delivered && undecided(other))
            || (other == Self::Delivered && undecided(self))
    }

    /// Whether another pool may be merged into a pool in this state (its needs and pledges
    /// move here): only while this one is still open or funded.
    pub fn receives_merges(self) -> bool {
        matches!(self, Self::Open | Self::Funded)
    }

    /// A need may be moved into (or merged with) a pool in these states.
    pub fn accepts_needs(self) -> bool {
        self.is_matchable()
    }
}

#[cfg(test)]
mod tests {
    use super::{PoolState::*, Transition::*, *};

    #[test]
    fn the_lifecycle_of_the_spec_and_nothing_else() {
        let all_transitions = [Fund, Reopen, Approve, Reject, Award, Deliver, Expire, Cancel, MergeAway];
        let allowed = [
            (Open, Fund, Funded),
            (Funded, Reopen, Open),
            (Funded, Approve, Approved),
            (Funded, Reject, Rejected),
            (Approved, Award, Awarded),
            (Awarded, Deliver, Delivered),
            (Open, Expire, Expired),
            (Open, Cancel, Cancelled),
            (Funded, Cancel, Cancelled),
            (Approved, Cancel, Cancelled),
            (Open, MergeAway, Merged),
            (Funded, MergeAway, Merged),
        ];
        for state in PoolState::ALL {
            for transition in all_transitions {
                let expected = allowed.iter().find(|(s, t, _)| s == state && *t == transition).map(|(_, _, to)| *to);
                assert_eq!(state.apply(transition).ok(), expected, "{state} {transition:?}");
            }
        }
    }

    #[test]
    fn which_pairs_of_states_are_reviewed() {
        use PoolState::*;
        let reviewed = [
            (Open, Open),
            (Open, Funded),
            (Open, Approved),
            (Funded, Funded),
            (Funded, Approved),
            (Approved, Approved),
            (Delivered, Open),
            (Delivered, Funded),
        ];
        for &a in PoolState::ALL {
            for &b in PoolState::ALL {
                let expected = reviewed.contains(&(a, b)) || reviewed.contains(&(b, a));
                assert_eq!(a.reviewable_pair(b), expected, "{a} {b}");
            }
        }
    }

    #[test]
    fn only_open_pools_take_pledges() {
        assert!(Open.accepts_pledges());
        assert!(PoolState::ALL.iter().filter(|s| s.accepts_pledges()).count() == 1);
    }

    #[test]
    fn councils_decide_while_open_or_funded() {
        let deciding: Vec<_> = PoolState::ALL.iter().filter(|s| s.accepts_council_decisions()).collect();
        assert_eq!(deciding, [&Open, &Funded]);
    }
}
