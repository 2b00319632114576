//! Which forms of a pool's page its viewer may use, and the fields of each.

use serde::Serialize;

use crate::domain::{
    kinds::{PledgeStatus, PoolKind},
    pool_state::{PoolState, Transition},
};

/// Which forms the viewer may use: by role, and by the lifecycle's own transition rules.
#[derive(Serialize)]
pub(super) struct Forms {
    pledge: bool,
    withdraw_pledge: bool,
    /// The council's decision that confirms the organisation's pledge (SPEC section 10).
    confirm: bool,
    /// The council's refusal of a provisional pledge of a funded pool.
    refuse: bool,
    pub(super) approve: bool,
    reject: bool,
    cancel: bool,
    award: bool,
    deliver: bool,
    merge: bool,
    /// A period of upkeep of delivered software.
    maintenance: bool,
    /// Replacing the pool's text everywhere (personal data), in any state.
    redact: bool,
    /// The officers' form that sets the cost of an open pool (SPEC §15: no pledge without it).
    cost: bool,
}

impl Forms {
    /// The forms a viewer sees. A member pledges to a pool whose cost is set, while it is
    /// open or funded (a latecomer to a funded pool: SPEC §15); withdraws while it is open, or
    /// a provisional pledge of a funded pool (the service allows it within the correction
    /// hour and says so after it).
    pub(super) fn for_viewer(
        state: PoolState,
        kind: PoolKind,
        officer: bool,
        own: Option<PledgeStatus>,
        has_cost: bool,
    ) -> Self {
        let can = |t: Transition| officer && state.apply(t).is_ok();
        let member = !officer;
        let takes_pledges = matches!(state, PoolState::Open | PoolState::Funded);
        Self {
            pledge: member && takes_pledges && has_cost,
            withdraw_pledge: member
                && (state == PoolState::Open && own.is_some()
                    || state == PoolState::Funded && own == Some(PledgeStatus::Provisional)),
            confirm: member && state.accepts_council_decisions() && own.is_some(),
            refuse: member && state == PoolState::Funded && own == Some(PledgeStatus::Provisional),
            approve: can(Transition::Approve),
            reject: can(Transition::Reject),
            cancel: can(Transition::Cancel),
            award: can(Transition::Award),
            deliver: can(Transition::Deliver),
            // Only an open pool moves (SPEC §15: a funded or approved one never does).
            merge: officer && state == PoolState::Open && kind == PoolKind::Development,
            maintenance: officer && state == PoolState::Delivered && kind == PoolKind::Development,
            redact: officer,
            cost: officer && state == PoolState::Open,
        }
    }

    pub(super) fn any_officer_form(&self) -> bool {
        self.approve
            || self.reject
            || self.cancel
            || self.award
            || self.deliver
            || self.merge
            || self.maintenance
            || self.redact
            || self.cost
    }
}

/// The fields of each form of a pool's page.
pub(super) const FIELDS: [(&str, &[&str]); 11] = [
    ("pledge", &["amount"]),
    ("cost", &["target"]),
    ("confirm", &["decision_ref", "decision_date", "decided_by"]),
    ("refuse", &["decision_ref", "decision_date"]),
    ("reject", &["reason"]),
    ("cancel", &["reason"]),
    ("award", &["supplier", "amount"]),
    ("deliver", &["repository_url", "licence"]),
    ("merge", &["into_pool_id"]),
    ("maintenance", &["period_start", "period_end", "target", "threshold", "deadline", "title"]),
    ("redact", &["title", "description", "reason", "confirm"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn officers_see_the_forms_of_the_transitions_the_state_allows() {
        use PoolKind::{Development, Maintenance};
        let funded = Forms::for_viewer(PoolState::Funded, Development, true, None, true);
        assert!(funded.approve && funded.reject && funded.cancel && !funded.merge, "a funded pool never moves");
        assert!(Forms::for_viewer(PoolState::Open, Development, true, None, true).merge);
        assert!(!funded.award && !funded.deliver && !funded.pledge && !funded.confirm && !funded.maintenance);
        let delivered = Forms::for_viewer(PoolState::Delivered, Development, true, None, true);
        assert!(!(delivered.approve || delivered.cancel || delivered.merge || delivered.deliver));
        assert!(delivered.maintenance, "delivered software is maintained");
        assert!(!Forms::for_viewer(PoolState::Delivered, Maintenance, true, None, true).maintenance);
        assert!(
            !Forms::for_viewer(PoolState::Funded, Maintenance, true, None, true).merge,
            "maintenance is not merged"
        );
        assert!(!Forms::for_viewer(PoolState::Delivered, Development, false, None, true).maintenance);
    }

    #[test]
    fn members_see_the_pledge_and_council_forms_their_pledge_allows() {
        use PledgeStatus::{Confirmed, Provisional};
        let dev = PoolKind::Development;
        let open = Forms::for_viewer(PoolState::Open, dev, false, Some(Provisional), true);
        assert!(open.pledge && open.withdraw_pledge && open.confirm && !open.refuse);
        assert!(!open.approve && !open.cancel);
        let none = Forms::for_viewer(PoolState::Open, dev, false, None, true);
        assert!(none.pledge && !none.withdraw_pledge && !none.confirm, "no pledge, no council decision");
        let funded = Forms::for_viewer(PoolState::Funded, dev, false, Some(Provisional), true);
        assert!(funded.pledge && funded.withdraw_pledge && funded.confirm && funded.refuse, "latecomers, corrections");
        assert!(!Forms::for_viewer(PoolState::Open, dev, false, None, false).pledge, "no pledge without a cost");
        assert!(!Forms::for_viewer(PoolState::Approved, dev, false, None, true).pledge);
        let confirmed = Forms::for_viewer(PoolState::Funded, dev, false, Some(Confirmed), true);
        assert!(confirmed.confirm && !confirmed.refuse, "a confirmed pledge is not refused");
        let approved = Forms::for_viewer(PoolState::Approved, dev, false, Some(Confirmed), true);
        assert!(!approved.confirm && !approved.refuse);
    }
}
