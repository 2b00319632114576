//! What a pool's page shows its viewer: the pool in the reader's words, its participants,
//! history and maintenance, and the forms the viewer may use with their values.

use std::collections::HashMap;

use serde::Serialize;

use super::{
    forms::{FIELDS, Forms},
    history::{HistoryLine, history_line},
    lines::{DuplicateLine, MaintenanceLine, ParticipantLine, decision_words, period},
};
use crate::{
    auth::WebUser,
    domain::{
        cpv::CpvCode,
        delivery, format,
        kinds::{DecidedBy, PoolKind},
        maintenance,
        pool_state::PoolState,
    },
    service::{self, pool_view::PoolPage},
    web::{forms::FormErrors, page::Page, views::PoolLine},
};

/// A refused form of a pool's page: what was typed and what is wrong.
pub(super) struct FailedForm {
    pub(super) values: HashMap<String, String>,
    pub(super) errors: FormErrors,
}

/// The viewer's organisation's pledge: what its council decided, or that it has not yet.
#[derive(Serialize)]
struct OwnPledge {
    status: &'static str,
    decision: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PoolView {
    summary: PoolLine,
    description: String,
    cpv_code: Option<String>,
    cpv_label: Option<&'static str>,
    deadline: Option<String>,
    reason: Option<String>,
    supplier: Option<String>,
    award: Option<String>,
    merged_into: Option<i64>,
    needs_count: i64,
    participants: Vec<ParticipantLine>,
    /// Whether any participant has a pledge (the council column is shown then).
    pledges: bool,
    own_pledge: Option<OwnPledge>,
    /// What keeps an officer from approving the funded pool: the organisations whose
    /// councils have not decided.
    awaiting_council: Vec<String>,
    /// For an officer: the pools still to review against this one (SPEC section 9).
    duplicates: Vec<DuplicateLine>,
    /// For a maintenance pool: the delivered pool it maintains and its period.
    maintains: Option<i64>,
    period: Option<String>,
    /// For a delivered pool: its maintenance pools.
    maintenance: Vec<MaintenanceLine>,
    history: Vec<HistoryLine>,
    more_history: bool,
    /// For a member whose organisation has not pledged: how to take part, in this state
    /// (the key of its words).
    latecomer: Option<&'static str>,
    forms: Forms,
    /// Whether any officer's form is shown (the decisions' panel).
    officer_forms: bool,
    /// The value of each field of each form (`values.reject.reason`): what was typed into
    /// the refused form, the current pledge in the pledge form, empty elsewhere.
    values: HashMap<&'static str, HashMap<&'static str, String>>,
    errors: FormErrors,
    licences: &'static [&'static str],
    bodies: &'static [DecidedBy],
}

pub(super) fn pool_view(
    page: &Page,
    user: &WebUser,
    found: &PoolPage,
    duplicates: &[i64],
    failed: Option<FailedForm>,
) -> PoolView {
    let lang = page.lang(Some(user));
    let officer = user.auth.is_officer();
    let own = (!officer).then_some(user.auth.organisation_id);
    let PoolPage { view, history, more, names } = found;
    let own_participant = view.participants.iter().find(|p| Some(p.organisation_id) == own);
    let own_pledge = own_participant.map(|p| p.pledged_cents).filter(|c| c.is_positive());
    let own_status = own_participant.and_then(|p| p.pledge_status);
    let pool = &view.pool;
    let (typed, errors) = failed.map_or_else(|| (HashMap::new(), FormErrors::default()), |f| (f.values, f.errors));
    let mut values: HashMap<&'static str, HashMap<&'static str, String>> = FIELDS
        .iter()
        .map(|(form, fields)| (*form, fields.iter().map(|field| (*field, String::new())).collect()))
        .collect();
    if let Some(pledge) = own_pledge {
        values.entry("pledge").or_default().insert("amount", format::amount_field(pledge, lang));
    }
    if officer {
        // The redaction starts from the text as it is.
        let redact = values.entry("redact").or_default();
        redact.insert("title", pool.title.clone());
        redact.insert("description", pool.description.clone());
    }
    if let Some(form) = values.get_mut(errors.form.as_str()) {
        for (field, value) in form.iter_mut() {
            *value = typed.get(*field).cloned().unwrap_or_default();
        }
    }
    if let Some(target) = pool.target_cents {
        values.entry("cost").or_default().insert("target", format::amount_field(target, lang));
    }
    let forms = Forms::for_viewer(pool.state, pool.kind, officer, own_status, pool.target_cents.is_some());
    let awaiting_council = if forms.approve {
        service::pools::awaiting_council(view).map(|p| p.name.clone()).collect()
    } else {
        Vec::new()
    };
    PoolView {
        summary: PoolLine::new(view, lang, own),
        // The description the platform wrote for a maintenance pool says what its lead
        // already says (in the reader's language): only an officer's own is shown.
        description: match pool.maintains_pool_id {
            Some(delivered) => {
                let read = maintenance::description(
                    &pool.description,
                    delivered,
                    pool.period_start.zip(pool.period_end),
                    lang,
                );
                if read == pool.description { read } else { String::new() }
            }
            None => pool.description.clone(),
        },
        cpv_code: pool.cpv_code.clone(),
        cpv_label: pool.cpv_code.as_deref().and_then(|code| CpvCode::label(code, lang)),
        deadline: pool.deadline.map(|d| format::date(d, lang)),
        reason: pool.reason.clone(),
        supplier: pool.supplier.clone(),
        award: pool.award_cents.map(|c| format::money(c, lang)),
        merged_into: pool.merged_into_pool_id,
        needs_count: view.needs_count,
        participants: view.participants.iter().map(|p| ParticipantLine::new(p, own, lang)).collect(),
        pledges: view.participants.iter().any(|p| p.pledge_status.is_some()),
        own_pledge: own_participant
            .and_then(|p| Some(OwnPledge { status: p.pledge_status?.as_str(), decision: decision_words(p, lang) })),
        awaiting_council,
        duplicates: duplicates.iter().map(|&other| DuplicateLine::new(pool.id, other)).collect(),
        maintains: pool.maintains_pool_id,
        period: (pool.kind == PoolKind::Maintenance).then(|| period(pool.period_start, pool.period_end, lang)),
        maintenance: view.maintenance.iter().map(|m| MaintenanceLine::new(m, lang)).collect(),
        history: history.iter().map(|e| history_line(e, names, lang)).collect(),
        more_history: *more,
        latecomer: (!officer && own_pledge.is_none()).then(|| latecomer(pool.state)),
        officer_forms: forms.any_officer_form(),
        forms,
        values,
        errors,
        licences: delivery::LICENCES,
        bodies: DecidedBy::ALL,
    }
}

/// How an organisation not yet pledged takes part in a pool in `state`.
fn latecomer(state: PoolState) -> &'static str {
    match state {
        PoolState::Open => "latecomer.open",
        PoolState::Funded => "latecomer.funded",
        PoolState::Approved | PoolState::Awarded => "latecomer.procurement",
        PoolState::Delivered => "latecomer.delivered",
        PoolState::Rejected | PoolState::Expired | PoolState::Cancelled => "latecomer.closed",
        PoolState::Merged => "latecomer.merged",
    }
}
