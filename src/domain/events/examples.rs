//! One event of every kind, each beside the JSON the code before typed events recorded for
//! it (the same `json!` calls, with the same values): what the tests compare.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;
use crate::domain::{
    kinds::{DecidedBy, PledgeStatus, PoolKind},
    money::Cents,
    pool_state::PoolState,
};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn cents(c: i64) -> Cents {
    Cents::new(c)
}

/// What `service::lifecycle::transition` did to the data of a change of state.
fn with_states(mut data: Value, from: PoolState, to: PoolState) -> Value {
    let fields = data.as_object_mut().unwrap();
    fields.insert("from".into(), json!(from));
    fields.insert("to".into(), json!(to));
    data
}

fn merge() -> (Merge, Value) {
    let merge = Merge {
        from_pool_id: 4,
        into_pool_id: 9,
        needs_moved: 2,
        needs: vec![NeedRef { need_id: 11, organisation_id: 5 }, NeedRef { need_id: 12, organisation_id: 6 }],
        pledges: vec![
            MovedPledge {
                organisation_id: 5,
                amount_cents: cents(700),
                status: Some(PledgeStatus::Confirmed),
                kept_larger_of: Some([cents(300), cents(700)]),
            },
            MovedPledge {
                organisation_id: 6,
                amount_cents: cents(200),
                status: Some(PledgeStatus::Provisional),
                kept_larger_of: None,
            },
        ],
    };
    let moving = vec![json!({"need_id": 11, "organisation_id": 5}), json!({"need_id": 12, "organisation_id": 6})];
    let both = [cents(300), cents(700)];
    let pledges = vec![
        json!({"organisation_id": 5, "amount_cents": cents(700), "status": PledgeStatus::Confirmed, "kept_larger_of": both}),
        json!({"organisation_id": 6, "amount_cents": cents(200), "status": PledgeStatus::Provisional}),
    ];
    let data =
        json!({"from_pool_id": 4, "into_pool_id": 9, "needs_moved": 2usize, "needs": moving, "pledges": pledges});
    (merge, data)
}

/// Every kind at least once (a kind written by two code paths, or with values that change
/// what is written, more than once), with the JSON it was recorded as.
pub(crate) fn all() -> Vec<(DomainEvent, Value)> {
    use PoolState::*;
    let crossing = Crossing { pledged_cents: cents(5000), threshold_cents: Some(cents(4000)), target_cents: None };
    let crossing_json =
        json!({"pledged_cents": cents(5000), "threshold_cents": Some(cents(4000)), "target_cents": None::<Cents>});
    let (merge, merge_json) = merge();
    let mut received_json = merge_json.clone();
    received_json["target_cents"] = json!(cents(9000));
    let unsuggested = NeedMove {
        need_id: 3,
        organisation_id: 5,
        from_pool_id: 1,
        to_pool_id: 2,
        was_suggested: false,
        suggested_score: None,
    };
    let unsuggested_json = json!({
        "need_id": 3, "organisation_id": 5, "from_pool_id": 1, "to_pool_id": 2,
        "was_suggested": false, "suggested_score": None::<f64>,
    });
    let similar = vec![SimilarPool { pool_id: 8, title: "Registre des cimetières".into(), score: 0.8125 }];
    let mut edit = serde_json::Map::new();
    edit.insert("title".into(), json!("Voirie"));
    edit.insert("target_cents".into(), json!(None::<Cents>));
    edit.insert("deadline".into(), json!(Some(day("2027-03-31"))));
    vec![
        (
            DomainEvent::PoolCreated(PoolCreated {
                title: "Cimetières".into(),
                description: Some("Un registre \"partagé\"\n".into()),
                cpv_code: None,
                target_cents: Some(cents(1_000_000)),
                maintenance: None,
            }),
            json!({"title": "Cimetières", "description": "Un registre \"partagé\"\n", "cpv_code": None::<String>, "target_cents": Some(cents(1_000_000))}),
        ),
        (
            DomainEvent::PoolCreated(PoolCreated {
                title: "Maintenance (2027-01-01 – 2027-12-31) : Cimetières".into(),
                description: Some("Maintenance du logiciel".into()),
                cpv_code: Some("72267000-4".into()),
                target_cents: Some(cents(200_000)),
                maintenance: Some(MaintenanceCreated {
                    threshold_cents: None,
                    deadline: Some(day("2026-12-31")),
                    kind: PoolKind::Maintenance,
                    maintains_pool_id: 3,
                    maintains_title: Some("Cimetières".into()),
                    period_start: day("2027-01-01"),
                    period_end: day("2027-12-31"),
                }),
            }),
            json!({
                "title": "Maintenance (2027-01-01 – 2027-12-31) : Cimetières",
                "description": "Maintenance du logiciel",
                "cpv_code": Some("72267000-4"),
                "target_cents": Some(cents(200_000)),
                "threshold_cents": None::<Cents>,
                "deadline": Some(day("2026-12-31")),
                "kind": PoolKind::Maintenance,
                "maintains_pool_id": 3,
                "maintains_title": "Cimetières",
                "period_start": day("2027-01-01"),
                "period_end": day("2027-12-31"),
            }),
        ),
        (
            DomainEvent::PoolUpdated(PoolUpdated {
                title: Some("Voirie".into()),
                target_cents: Some(None),
                deadline: Some(Some(day("2027-03-31"))),
                ..PoolUpdated::default()
            }),
            Value::Object(edit),
        ),
        (
            DomainEvent::PoolUpdated(PoolUpdated {
                description: Some(String::new()),
                threshold_cents: Some(Some(cents(100))),
                ..PoolUpdated::default()
            }),
            json!({"description": "", "threshold_cents": Some(cents(100))}),
        ),
        (
            DomainEvent::PoolFunded(StateChange { from: Open, to: Funded, details: crossing.clone() }),
            with_states(crossing_json.clone(), Open, Funded),
        ),
        (
            DomainEvent::PoolReopened(StateChange { from: Funded, to: Open, details: crossing }),
            with_states(crossing_json, Funded, Open),
        ),
        (
            DomainEvent::PoolRedacted(PoolRedacted {
                reason: "adresse personnelle retirée".into(),
                fields: vec!["description".into()],
            }),
            json!({"reason": "adresse personnelle retirée", "fields": ["description"]}),
        ),
        (
            DomainEvent::PoolApproved(StateChange { from: Funded, to: Approved, details: NoDetails {} }),
            with_states(json!({}), Funded, Approved),
        ),
        (
            DomainEvent::PoolRejected(StateChange {
                from: Funded,
                to: Rejected,
                details: Reason { reason: "trop cher".into() },
            }),
            with_states(json!({"reason": "trop cher"}), Funded, Rejected),
        ),
        (
            DomainEvent::PoolCancelled(StateChange {
                from: Open,
                to: Cancelled,
                details: Reason { reason: "abandonné".into() },
            }),
            with_states(json!({"reason": "abandonné"}), Open, Cancelled),
        ),
        (
            DomainEvent::PoolEmptied(StateChange { from: Open, to: Cancelled, details: NoDetails {} }),
            with_states(json!({}), Open, Cancelled),
        ),
        (
            DomainEvent::PoolAwarded(StateChange {
                from: Approved,
                to: Awarded,
                details: Award { supplier: "Coop".into(), amount_cents: cents(900) },
            }),
            with_states(json!({"supplier": "Coop", "amount_cents": cents(900)}), Approved, Awarded),
        ),
        (
            DomainEvent::PoolDelivered(StateChange {
                from: Awarded,
                to: Delivered,
                details: Delivery { repository_url: "https://git.example/x".into(), licence: "EUPL-1.2".into() },
            }),
            with_states(json!({"repository_url": "https://git.example/x", "licence": "EUPL-1.2"}), Awarded, Delivered),
        ),
        (
            DomainEvent::PoolExpired(StateChange {
                from: Open,
                to: Expired,
                details: Expiry { deadline: Some(day("2026-11-30")), pledged_cents: cents(10), threshold_cents: None },
            }),
            with_states(
                json!({"deadline": Some(day("2026-11-30")), "pledged_cents": cents(10), "threshold_cents": None::<Cents>}),
                Open,
                Expired,
            ),
        ),
        (
            DomainEvent::PoolMerged(StateChange { from: Funded, to: Merged, details: merge.clone() }),
            with_states(merge_json.clone(), Funded, Merged),
        ),
        (
            DomainEvent::PoolMergeReceived(MergeReceived { merge: merge.clone(), target_cents: Some(cents(9000)) }),
            received_json,
        ),
        (DomainEvent::PoolMergeReceived(MergeReceived { merge, target_cents: None }), merge_json),
        (
            DomainEvent::PoolMaintenanceOpened(MaintenanceOpened {
                maintains_pool_id: 3,
                period_start: day("2027-01-01"),
                period_end: day("2027-12-31"),
                invited_organisations: vec![5, 6],
            }),
            {
                let mut opened =
                    json!({"maintains_pool_id": 3, "period_start": day("2027-01-01"), "period_end": day("2027-12-31")});
                opened["invited_organisations"] = json!(vec![5i64, 6]);
                opened
            },
        ),
        (
            DomainEvent::PoolDuplicateDismissed(DuplicateDismissed {
                pool_ids: [2, 7],
                other_pool_id: 7,
                reason: None,
            }),
            json!({"pool_ids": [2, 7], "other_pool_id": 7, "reason": None::<String>}),
        ),
        (
            DomainEvent::PoolDuplicateDismissed(DuplicateDismissed {
                pool_ids: [2, 7],
                other_pool_id: 2,
                reason: Some("pas la même commune".into()),
            }),
            json!({"pool_ids": [2, 7], "other_pool_id": 2, "reason": Some("pas la même commune")}),
        ),
        (
            DomainEvent::NeedPosted(NeedPosted {
                need_id: 3,
                organisation_id: 5,
                title: "Cimetières".into(),
                estimated_cost_cents: Some(cents(1000)),
                merged: true,
                score: Some(0.8125),
                similar_pools: similar.clone(),
            }),
            json!({
                "need_id": 3, "organisation_id": 5, "title": "Cimetières", "estimated_cost_cents": Some(cents(1000)),
                "merged": true, "score": Some(0.8125), "similar_pools": similar,
            }),
        ),
        (
            DomainEvent::NeedPosted(NeedPosted {
                need_id: 4,
                organisation_id: 6,
                title: "Voirie".into(),
                estimated_cost_cents: None,
                merged: false,
                score: None,
                similar_pools: Vec::new(),
            }),
            json!({
                "need_id": 4, "organisation_id": 6, "title": "Voirie", "estimated_cost_cents": None::<Cents>,
                "merged": false, "score": None::<f64>, "similar_pools": Vec::<SimilarPool>::new(),
            }),
        ),
        (DomainEvent::NeedMoved(unsuggested.clone()), unsuggested_json.clone()),
        (DomainEvent::NeedMovedOut(unsuggested), unsuggested_json),
        (
            DomainEvent::NeedMoved(NeedMove {
                need_id: 3,
                organisation_id: 5,
                from_pool_id: 1,
                to_pool_id: 8,
                was_suggested: true,
                suggested_score: Some(0.5),
            }),
            json!({
                "need_id": 3, "organisation_id": 5, "from_pool_id": 1, "to_pool_id": 8,
                "was_suggested": true, "suggested_score": Some(0.5),
            }),
        ),
        (
            DomainEvent::NeedWithdrawn(NeedRef { need_id: 3, organisation_id: 5 }),
            json!({"need_id": 3, "organisation_id": 5}),
        ),
        (
            DomainEvent::PledgeSet(PledgeSet {
                organisation_id: 5,
                amount_cents: cents(400),
                previous_cents: None,
                previous_status: None,
            }),
            json!({"organisation_id": 5, "amount_cents": cents(400), "previous_cents": None::<Cents>, "previous_status": None::<PledgeStatus>}),
        ),
        (
            DomainEvent::PledgeSet(PledgeSet {
                organisation_id: 5,
                amount_cents: cents(500),
                previous_cents: Some(cents(400)),
                previous_status: Some(PledgeStatus::Confirmed),
            }),
            json!({"organisation_id": 5, "amount_cents": cents(500), "previous_cents": Some(cents(400)), "previous_status": Some(PledgeStatus::Confirmed)}),
        ),
        (
            DomainEvent::PledgeWithdrawn(PledgeAmount { organisation_id: 5, amount_cents: cents(400) }),
            json!({"organisation_id": 5, "amount_cents": cents(400)}),
        ),
        (
            DomainEvent::PledgeConfirmed(PledgeConfirmed {
                organisation_id: 5,
                amount_cents: cents(400),
                decision_ref: "CC-2026-11-21/4".into(),
                decision_date: day("2026-11-21"),
                decided_by: DecidedBy::Conseil,
                replaces_decision_ref: None,
            }),
            json!({
                "organisation_id": 5, "amount_cents": cents(400), "decision_ref": "CC-2026-11-21/4",
                "decision_date": day("2026-11-21"), "decided_by": DecidedBy::Conseil,
                "replaces_decision_ref": None::<String>,
            }),
        ),
        (
            DomainEvent::PledgeRefused(PledgeRefused {
                organisation_id: 7,
                amount_cents: cents(100),
                decision_ref: "R-1".into(),
                decision_date: day("2026-11-21"),
            }),
            json!({"organisation_id": 7, "amount_cents": cents(100), "decision_ref": "R-1", "decision_date": day("2026-11-21")}),
        ),
        (
            DomainEvent::PledgeCorrected(PledgeCorrected {
                organisation_id: 7,
                previous_cents: cents(500_000_000),
                amount_cents: Some(cents(50_000)),
            }),
            json!({"organisation_id": 7, "previous_cents": cents(500_000_000), "amount_cents": cents(50_000)}),
        ),
        (
            DomainEvent::PledgeCorrected(PledgeCorrected {
                organisation_id: 7,
                previous_cents: cents(100),
                amount_cents: None,
            }),
            json!({"organisation_id": 7, "previous_cents": cents(100), "amount_cents": None::<i64>}),
        ),
        (
            DomainEvent::PledgeDropped(PledgeDropped {
                organisation_id: 7,
                amount_cents: cents(100),
                reason: "aucune décision du conseil depuis 90 jours".into(),
            }),
            json!({"organisation_id": 7, "amount_cents": cents(100), "reason": "aucune décision du conseil depuis 90 jours"}),
        ),
        (DomainEvent::UserDisabled(UserRef { user_id: 4 }), json!({"user_id": 4})),
        (DomainEvent::UserEnabled(UserRef { user_id: 4 }), json!({"user_id": 4})),
        (DomainEvent::UserPasswordChanged(UserRef { user_id: 4 }), json!({"user_id": 4})),
        (DomainEvent::UserSignedOut(UserRef { user_id: 4 }), json!({"user_id": 4})),
        (DomainEvent::UserProfileChanged(UserRef { user_id: 4 }), json!({"user_id": 4})),
        (DomainEvent::UserSignedOutEverywhere(UserRef { user_id: 4 }), json!({"user_id": 4})),
        (
            DomainEvent::UserRoleChanged(RoleChange { user_id: 4, role: crate::domain::kinds::Role::Manager }),
            json!({"user_id": 4, "role": "manager"}),
        ),
        (DomainEvent::UserInvited(UserRef { user_id: 4 }), json!({"user_id": 4})),
        (DomainEvent::UserPasswordReset(UserRef { user_id: 4 }), json!({"user_id": 4})),
    ]
}
