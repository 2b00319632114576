//! The lines of a pool's page: a participant, a maintenance pool (the catalogue shows them
//! too), a pool to review against this one (the officer's desk too); and a period of upkeep
//! in words.

use chrono::NaiveDate;
use serde::Serialize;

use crate::{
    db::models::pool::MaintenancePeriod,
    domain::{
        format,
        kinds::{Locale, PledgeStatus},
    },
    service::pool_view::Participant,
    web::i18n,
};

#[derive(Serialize)]
pub(super) struct ParticipantLine {
    name: String,
    pledged: String,
    share: String,
    own: bool,
    /// `provisional` or `confirmed`; `None` without a pledge.
    status: Option<&'static str>,
    /// The council decision that confirmed the pledge, in words.
    decision: Option<String>,
}

impl ParticipantLine {
    pub(super) fn new(p: &Participant, own: Option<i64>, lang: Locale) -> Self {
        Self {
            name: p.name.clone(),
            pledged: format::money(p.pledged_cents, lang),
            share: format::money(p.share_cents, lang),
            own: Some(p.organisation_id) == own,
            status: p.pledge_status.map(PledgeStatus::as_str),
            decision: decision_words(p, lang),
        }
    }
}

/// `CC/2026/0412, 9 mars 2026 (collège)`: a confirmed pledge's decision.
pub(super) fn decision_words(p: &Participant, lang: Locale) -> Option<String> {
    let reference = p.decision_ref.as_deref()?;
    let mut words = reference.to_owned();
    if let Some(date) = p.decision_date {
        words =
            i18n::fill(lang, "council.decision_of", &[("reference", reference), ("date", &format::date(date, lang))]);
    }
    if let Some(body) = p.decided_by {
        words = format!("{words} ({})", i18n::text(lang, &format!("council.body.{body}")));
    }
    Some(words)
}

/// A maintenance pool of a delivered pool: its period and state.
#[derive(Serialize)]
pub struct MaintenanceLine {
    pub id: i64,
    pub state: &'static str,
    pub period: String,
}

impl MaintenanceLine {
    pub fn new(m: &MaintenancePeriod, lang: Locale) -> Self {
        Self { id: m.id, state: m.state.as_str(), period: period(m.period_start, m.period_end, lang) }
    }
}

/// `du 1er janvier 2027 au 31 décembre 2027`: a period of upkeep in words.
pub(super) fn period(start: Option<NaiveDate>, end: Option<NaiveDate>, lang: Locale) -> String {
    let day = |d: Option<NaiveDate>| d.map(|d| format::date(d, lang)).unwrap_or_else(|| "…".to_owned());
    i18n::fill(lang, "maintenance.period", &[("start", &day(start)), ("end", &day(end))])
}

/// A pool to review against another, and where the pair stands on the review page.
#[derive(Serialize)]
pub struct DuplicateLine {
    pub id: i64,
    pub anchor: String,
}

impl DuplicateLine {
    pub fn new(pool: i64, other: i64) -> Self {
        Self { id: other, anchor: crate::web::pages::duplicates::anchor(pool, other) }
    }
}
