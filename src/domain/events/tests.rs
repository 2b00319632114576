use serde_json::json;

use super::{examples, *};
use crate::domain::money::Cents;

#[test]
fn every_event_is_stored_as_the_text_recorded_before_typed_events() {
    for (event, recorded) in examples::all() {
        assert_eq!(event.data().unwrap().to_string(), recorded.to_string(), "{}", event.kind());
    }
}

#[test]
fn the_text_is_byte_for_byte_sorted_compact_json() {
    let (event, _) = examples::all().into_iter().find(|(e, _)| e.kind() == EventKind::PledgeRefused).unwrap();
    assert_eq!(
        event.data().unwrap().to_string(),
        r#"{"amount_cents":100,"decision_date":"2026-11-21","decision_ref":"R-1","organisation_id":7}"#
    );
    let (event, _) = examples::all().into_iter().find(|(e, _)| e.kind() == EventKind::PoolApproved).unwrap();
    assert_eq!(event.data().unwrap().to_string(), r#"{"from":"funded","to":"approved"}"#);
}

#[test]
fn every_stored_event_reads_back_into_the_same_value() {
    for (event, recorded) in examples::all() {
        let read = DomainEvent::read(event.kind().as_str(), &recorded.to_string());
        assert_eq!(read.as_ref(), Ok(&event), "{}", event.kind());
    }
}

#[test]
fn every_kind_has_an_example_and_a_name_of_its_own() {
    let examples = examples::all();
    for kind in EventKind::ALL {
        assert!(examples.iter().any(|(e, _)| e.kind() == *kind), "no example of {kind}");
        assert_eq!(EventKind::parse(kind.as_str()), Some(*kind));
    }
    let mut names = EventKind::names(EventKind::ALL);
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), EventKind::ALL.len());
}

#[test]
fn an_unknown_name_or_a_payload_of_another_shape_is_an_error_naming_it() {
    assert_eq!(
        DomainEvent::read("pool.something_new", "{}"),
        Err(UnreadableEvent::UnknownKind("pool.something_new".into()))
    );
    let wrong = DomainEvent::read("pledge.set", r#"{"organisation_id": "five"}"#).unwrap_err();
    assert!(matches!(wrong, UnreadableEvent::Payload(EventKind::PledgeSet, _)), "{wrong:?}");
    assert!(wrong.to_string().contains("pledge.set"), "{wrong}");
}

#[test]
fn events_recorded_by_earlier_versions_still_read() {
    // The shapes of the first versions: fields added since are absent, a few extra keys.
    let older = [
        ("pool.created", json!({"title": "Voirie", "cpv_code": null, "target_cents": 100})),
        (
            "pool.created",
            json!({"title": "M", "cpv_code": "72267000-4", "target_cents": 5, "threshold_cents": null,
                   "deadline": null, "kind": "maintenance", "maintains_pool_id": 3,
                   "period_start": "2027-01-01", "period_end": "2027-12-31"}),
        ),
        ("pool.updated", json!({"target_cents": 100, "because": "first estimate, from need", "need_id": 4})),
        ("pledge.set", json!({"organisation_id": 5, "amount_cents": 400, "previous_cents": null})),
        (
            "pool.merged",
            json!({"from_pool_id": 4, "into_pool_id": 9, "needs_moved": 1, "from": "open", "to": "merged",
                   "pledges": [{"organisation_id": 5, "amount_cents": 700, "kept_larger_of": [300, 700]}]}),
        ),
        ("pool.merge_received", json!({"from_pool_id": 4, "into_pool_id": 9, "needs_moved": 0, "pledges": []})),
    ];
    for (name, data) in &older {
        let read = DomainEvent::read(name, &data.to_string());
        assert!(read.is_ok(), "{name} {data}: {read:?}");
    }
    let Ok(DomainEvent::PoolCreated(created)) = DomainEvent::read(older[1].0, &older[1].1.to_string()) else {
        panic!("a maintenance pool of the first version")
    };
    assert_eq!(created.maintenance.map(|m| m.maintains_pool_id), Some(3));
    let Ok(DomainEvent::PoolUpdated(edit)) = DomainEvent::read(older[2].0, &older[2].1.to_string()) else {
        panic!("an edit of the first version")
    };
    assert_eq!(edit, PoolUpdated { target_cents: Some(Some(Cents::new(100))), ..PoolUpdated::default() });
}

#[test]
fn an_edit_tells_a_field_cleared_from_a_field_left_alone() {
    let cleared = DomainEvent::read("pool.updated", r#"{"target_cents":null}"#).unwrap();
    let alone = DomainEvent::read("pool.updated", r#"{"title":"T"}"#).unwrap();
    let (DomainEvent::PoolUpdated(cleared), DomainEvent::PoolUpdated(alone)) = (cleared, alone) else {
        panic!("pool.updated reads as an edit")
    };
    assert_eq!(cleared.target_cents, Some(None));
    assert_eq!(alone.target_cents, None);
}

#[test]
fn a_step_records_the_event_of_its_transition() {
    use crate::domain::pool_state::PoolState::{Funded, Open};
    let crossing = Crossing { pledged_cents: Cents::new(1), threshold_cents: None, target_cents: None };
    let step = PoolStep::Fund(crossing);
    assert_eq!(step.transition(), crate::domain::pool_state::Transition::Fund);
    assert_eq!(step.event(Open, Funded).kind(), EventKind::PoolFunded);
}
