use chrono::{DateTime, NaiveDateTime};
use serde_json::{Value, json};

use super::*;
use crate::domain::events::examples;

/// Events of pool 1, one second apart, with ids from 1, read from their stored form.
fn events(list: &[(&str, Value)]) -> Vec<Event> {
    list.iter()
        .enumerate()
        .map(|(i, (kind, data))| Event {
            id: i as i64 + 1,
            pool_id: Some(1),
            actor_user_id: Some(99),
            at: at(i as i64),
            event: DomainEvent::read(kind, &data.to_string()).unwrap_or_else(|e| panic!("{kind} {data}: {e}")),
        })
        .collect()
}

fn posted(need: i64, organisation: i64) -> (&'static str, Value) {
    (
        "need.posted",
        json!({"need_id": need, "organisation_id": organisation, "title": "Besoin", "estimated_cost_cents": null,
            "merged": false, "score": null, "similar_pools": []}),
    )
}

fn pledged(organisation: i64, amount: i64) -> (&'static str, Value) {
    ("pledge.set", json!({"organisation_id": organisation, "amount_cents": amount, "previous_cents": null}))
}

fn at(second: i64) -> NaiveDateTime {
    DateTime::from_timestamp(1_790_000_000 + second, 0).unwrap().naive_utc()
}

fn created() -> (&'static str, Value) {
    (
        "pool.created",
        json!({"title": "Cimetière", "description": "Registre", "cpv_code": "48000000-8", "target_cents": 1000}),
    )
}

#[test]
fn every_published_kind_makes_one_release_and_others_none() {
    for (example, data) in examples::all() {
        let kind = example.kind();
        let history = history(1, &events(&[created(), (kind.as_str(), data)]));
        let releases = if PUBLISHED.contains(&kind) { 2 } else { 1 };
        assert_eq!(history.len(), releases, "{kind}");
        assert_eq!(history.last().unwrap().event_id, releases as i64);
    }
}

#[test]
fn a_lifecycle_gives_a_release_per_stage_with_its_tags() {
    let list = [
        created(),
        posted(1, 5),
        pledged(5, 1000),
        (
            "pool.funded",
            json!({"from": "open", "to": "funded", "pledged_cents": 1000, "threshold_cents": 1000, "target_cents": 1000}),
        ),
        ("pool.approved", json!({"from": "funded", "to": "approved"})),
        ("pool.awarded", json!({"supplier": "Coop", "amount_cents": 900, "from": "approved", "to": "awarded"})),
        (
            "pool.delivered",
            json!({"repository_url": "https://git.example/x", "licence": "GPL-3.0-or-later", "from": "awarded", "to": "delivered"}),
        ),
        posted(2, 6),
    ];
    let history = history(1, &events(&list));
    let stages: Vec<(PoolState, Vec<Tag>)> = history.iter().map(|s| (s.facts.state, s.tags.clone())).collect();
    use PoolState::*;
    assert_eq!(
        stages,
        [
            (Open, vec![Tag::Planning]),
            (Open, vec![Tag::PlanningUpdate]),
            (Open, vec![Tag::PlanningUpdate]),
            (Funded, vec![Tag::PlanningUpdate]),
            (Approved, vec![Tag::Tender]),
            (Awarded, vec![Tag::Award]),
            (Delivered, vec![Tag::Contract, Tag::Implementation, Tag::ContractTermination]),
            (Delivered, vec![Tag::ImplementationUpdate]),
        ]
    );
    let last = &history.last().unwrap().facts;
    assert_eq!(last.awarded.as_ref().map(|a| (a.text.as_deref(), a.amount_cents)), Some((Some("Coop"), Some(900))));
    assert_eq!(last.delivered.as_ref().and_then(|d| d.licence.as_deref()), Some("GPL-3.0-or-later"));
    assert_eq!(last.organisations, BTreeSet::from([5, 6]));
}

#[test]
fn the_release_of_an_event_depends_only_on_the_events_up_to_it() {
    let list = [
        created(),
        pledged(5, 400),
        ("pool.updated", json!({"title": "Cimetières", "target_cents": null})),
        pledged(6, 700),
        ("pool.cancelled", json!({"reason": "abandonné", "from": "open", "to": "cancelled"})),
    ];
    let all = history(1, &events(&list));
    for n in 1..=list.len() {
        let prefix = history(1, &events(&list[..n]));
        assert_eq!(prefix.last().unwrap().facts, all[n - 1].facts, "after {n} events");
    }
    let updated = &all[2].facts;
    assert_eq!((updated.title.as_str(), updated.target_cents, updated.estimated), ("Cimetières", None, true));
    assert_eq!(all[4].facts.ended.as_ref().and_then(|e| e.text.as_deref()), Some("abandonné"));
}

#[test]
fn pledges_are_kept_at_zero_once_withdrawn_refused_or_moved() {
    let list = [
        created(),
        pledged(5, 400),
        pledged(6, 700),
        pledged(7, 100),
        (
            "pledge.confirmed",
            json!({"organisation_id": 6, "amount_cents": 700, "decision_ref": "C-12", "decision_date": "2026-11-20",
                "decided_by": "college", "replaces_decision_ref": null}),
        ),
        ("pledge.withdrawn", json!({"organisation_id": 5, "amount_cents": 400})),
        (
            "pledge.refused",
            json!({"organisation_id": 7, "amount_cents": 100, "decision_ref": "R-1", "decision_date": "2026-11-21"}),
        ),
    ];
    let facts = history(1, &events(&list)).pop().unwrap().facts;
    assert_eq!(facts.pledges[&5], Pledge { amount_cents: 0, standing: Standing::Withdrawn });
    assert!(matches!(&facts.pledges[&6].standing, Standing::Confirmed { decision_ref: Some(r), .. } if r == "C-12"));
    assert!(matches!(&facts.pledges[&7].standing, Standing::Refused { decision_ref: Some(r), .. } if r == "R-1"));
    assert!(!facts.takes_part(5) && facts.takes_part(6));

    // The same amount again keeps the council's confirmation; another amount does not.
    let mut more = list.to_vec();
    more.push(pledged(6, 700));
    assert!(matches!(history(1, &events(&more)).pop().unwrap().facts.pledges[&6].standing, Standing::Confirmed { .. }));
    more.push(pledged(6, 800));
    assert_eq!(history(1, &events(&more)).pop().unwrap().facts.pledges[&6].standing, Standing::Pledged);

    more.push((
        "pool.merged",
        json!({"from_pool_id": 1, "into_pool_id": 9, "needs_moved": 0, "needs": [], "pledges": [], "from": "open", "to": "merged"}),
    ));
    let merged = history(1, &events(&more)).pop().unwrap().facts;
    assert_eq!(merged.pledges[&6], Pledge { amount_cents: 0, standing: Standing::MovedTo(Some(9)) });
    assert_eq!((merged.state, merged.merged_into), (PoolState::Merged, Some(9)));
}

#[test]
fn a_merge_brings_its_needs_pledges_and_estimate() {
    let list = [
        ("pool.created", json!({"title": "Voirie", "cpv_code": null, "target_cents": null})),
        posted(1, 5),
        pledged(5, 300),
        (
            "pool.merge_received",
            json!({"from_pool_id": 4, "into_pool_id": 1, "target_cents": 2000, "needs_moved": 1,
                "needs": [{"need_id": 8, "organisation_id": 6}],
                "pledges": [{"organisation_id": 5, "amount_cents": 500, "kept_larger_of": [300, 500]}, {"organisation_id": 6, "amount_cents": 200}]}),
        ),
    ];
    let facts = history(1, &events(&list)).pop().unwrap().facts;
    assert_eq!((facts.merged_from.as_slice(), facts.target_cents), ([4].as_slice(), Some(2000)));
    assert_eq!((facts.pledged(5), facts.pledged(6)), (500, 200));
    assert_eq!(facts.needs, BTreeMap::from([(1, 5), (8, 6)]));
}

#[test]
fn a_maintenance_pool_knows_what_it_maintains_and_when() {
    let list = [
        (
            "pool.created",
            json!({"title": "Maintenance", "kind": "maintenance", "maintains_pool_id": 3, "cpv_code": "72267000-4",
                "period_start": "2027-01-01", "period_end": "2027-12-31", "target_cents": 500,
                "threshold_cents": null, "deadline": null}),
        ),
        (
            "pool.maintenance_opened",
            json!({"maintains_pool_id": 3, "period_start": "2027-01-01", "period_end": "2027-12-31",
                "invited_organisations": [5, 6]}),
        ),
        (
            "pool.reopened",
            json!({"from": "funded", "to": "open", "pledged_cents": 100, "threshold_cents": 500, "target_cents": 500}),
        ),
    ];
    let history = history(1, &events(&list));
    let facts = &history[1].facts;
    assert_eq!(facts.maintains, Some(3));
    assert_eq!(facts.period, ("2027-01-01".parse().ok(), "2027-12-31".parse().ok()));
    assert!(facts.organisations.is_empty(), "an invitation is not taking part");
    assert_eq!(history[2].tags, [Tag::PlanningUpdate]);
}
