//! A pool's history in words: one line per event, in the reader's language.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::lines::period;
use crate::{
    db::models::event::Event,
    domain::{
        events::{DomainEvent, EventKind, NeedMove},
        format,
        kinds::Locale,
        money::Cents,
    },
    web::i18n,
};

#[derive(Serialize)]
pub(super) struct HistoryLine {
    when: String,
    text: String,
}

/// One event of the history in words. Another organisation's need is named by its
/// organisation only: its text is that organisation's business.
pub(super) fn history_line(event: &Event, names: &HashMap<i64, String>, lang: Locale) -> HistoryLine {
    let said = Said::of(&event.event);
    let kind = event.event.kind();
    let organisation = event.event.organisation_id().and_then(|id| names.get(&id)).cloned().unwrap_or_default();
    let money = |amount: Option<Cents>| amount.map(|c| format::money(c, lang)).unwrap_or_default();
    let reason = said.reason.unwrap_or_default();
    let key = if kind == EventKind::PoolDuplicateDismissed && !reason.is_empty() {
        format!("event.{kind}_because")
    } else if kind == EventKind::PledgeCorrected && said.amount.is_none() {
        format!("event.{kind}_withdrawn")
    } else {
        format!("event.{kind}")
    };
    let text = if i18n::has(&key) {
        i18n::fill(
            lang,
            &key,
            &[
                ("organisation", &organisation),
                ("amount", &money(said.amount)),
                ("pledged", &money(said.pledged)),
                ("previous", &money(said.previous)),
                ("reason", &reason),
                ("supplier", &said.supplier.unwrap_or_default()),
                ("licence", &said.licence.unwrap_or_default()),
                ("decision", &said.decision.unwrap_or_default()),
                ("period", &period(said.period.0, said.period.1, lang)),
                ("pool", &said.pool.unwrap_or_default().to_string()),
            ],
        )
    } else {
        kind.as_str().to_owned()
    };
    HistoryLine { when: format::when(event.at, lang), text }
}

/// What the words of an event's line may name; each event fills its own.
#[derive(Default)]
struct Said {
    amount: Option<Cents>,
    pledged: Option<Cents>,
    /// A corrected pledge's amount before.
    previous: Option<Cents>,
    reason: Option<String>,
    supplier: Option<String>,
    licence: Option<String>,
    decision: Option<String>,
    period: (Option<NaiveDate>, Option<NaiveDate>),
    /// The other pool: merged into, moved to, maintained, or judged different.
    pool: Option<i64>,
}

impl Said {
    fn of(event: &DomainEvent) -> Self {
        let none = Said::default();
        match event {
            DomainEvent::PledgeSet(p) => Said { amount: Some(p.amount_cents), ..none },
            DomainEvent::PledgeWithdrawn(p) => Said { amount: Some(p.amount_cents), ..none },
            DomainEvent::PledgeConfirmed(p) => {
                Said { amount: Some(p.amount_cents), decision: Some(p.decision_ref.clone()), ..none }
            }
            DomainEvent::PledgeRefused(p) => {
                Said { amount: Some(p.amount_cents), decision: Some(p.decision_ref.clone()), ..none }
            }
            DomainEvent::PoolFunded(c) | DomainEvent::PoolReopened(c) => {
                Said { pledged: Some(c.details.pledged_cents), ..none }
            }
            DomainEvent::PoolExpired(c) => Said { pledged: Some(c.details.pledged_cents), ..none },
            DomainEvent::PoolRejected(c) | DomainEvent::PoolCancelled(c) => {
                Said { reason: Some(c.details.reason.clone()), ..none }
            }
            DomainEvent::PoolRedacted(r) => Said { reason: Some(r.reason.clone()), ..none },
            DomainEvent::PoolAwarded(c) => {
                Said { amount: Some(c.details.amount_cents), supplier: Some(c.details.supplier.clone()), ..none }
            }
            DomainEvent::PoolDelivered(c) => Said { licence: Some(c.details.licence.clone()), ..none },
            DomainEvent::PoolMerged(c) => Said { pool: Some(c.details.into_pool_id), ..none },
            DomainEvent::PoolMergeReceived(r) => Said { pool: Some(r.merge.from_pool_id), ..none },
            DomainEvent::PledgeCorrected(p) => {
                Said { amount: p.amount_cents, previous: Some(p.previous_cents), ..none }
            }
            DomainEvent::PledgeDropped(p) => {
                Said { amount: Some(p.amount_cents), reason: Some(p.reason.clone()), ..none }
            }
            DomainEvent::NeedMoved(NeedMove { to_pool_id, .. })
            | DomainEvent::NeedMovedOut(NeedMove { to_pool_id, .. }) => Said { pool: Some(*to_pool_id), ..none },
            DomainEvent::PoolCreated(created) => match &created.maintenance {
                Some(m) => {
                    Said { period: (Some(m.period_start), Some(m.period_end)), pool: Some(m.maintains_pool_id), ..none }
                }
                None => none,
            },
            DomainEvent::PoolMaintenanceOpened(m) => {
                Said { period: (Some(m.period_start), Some(m.period_end)), pool: Some(m.maintains_pool_id), ..none }
            }
            DomainEvent::PoolDuplicateDismissed(d) => {
                Said { reason: d.reason.clone(), pool: Some(d.other_pool_id), ..none }
            }
            DomainEvent::PoolUpdated(_)
            | DomainEvent::PoolEmptied(_)
            | DomainEvent::PoolApproved(_)
            | DomainEvent::NeedPosted(_)
            | DomainEvent::NeedWithdrawn(_)
            | DomainEvent::UserDisabled(_)
            | DomainEvent::UserEnabled(_)
            | DomainEvent::UserPasswordChanged(_)
            | DomainEvent::UserRoleChanged(_)
            | DomainEvent::UserSignedOut(_)
            | DomainEvent::UserInvited(_)
            | DomainEvent::UserPasswordReset(_)
            | DomainEvent::UserProfileChanged(_)
            | DomainEvent::UserSignedOutEverywhere(_) => none,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{kinds::DecidedBy, pool_state::PoolState};

    #[test]
    fn every_state_and_every_event_of_the_lifecycle_has_words() {
        for state in PoolState::ALL {
            assert!(i18n::has(&format!("state.{state}")), "state.{state}");
        }
        // Every event of a pool has words; only the events about users, never on a pool,
        // have none.
        for kind in EventKind::ALL.iter().filter(|k| !EventKind::ON_USERS.contains(k)) {
            assert!(i18n::has(&format!("event.{kind}")), "{kind}");
        }
        assert!(i18n::has(&format!("event.{}_because", EventKind::PoolDuplicateDismissed)));
        for body in DecidedBy::ALL {
            assert!(i18n::has(&format!("council.body.{body}")), "{body}");
        }
    }
}
