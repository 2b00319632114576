//! The list of pools and a pool's page: its description, participants with their pledges
//! and shares, its history, and the forms its viewer may use.

use std::{collections::HashMap, sync::Arc};

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use super::id_of;
use crate::{
    auth::WebUser,
    db::{
        Tx,
        models::{
            event::Event,
            pool::{MaintenancePeriod, PoolFilter},
        },
    },
    domain::{
        cpv::CpvCode,
        delivery,
        events::{DomainEvent, EventKind, NeedMove},
        format,
        kinds::{DecidedBy, Locale, PledgeStatus, PoolKind},
        maintenance,
        money::Cents,
        pool_state::{PoolState, Transition},
        text,
    },
    error::ApiResult,
    service::{
        self,
        pool_view::{Participant, PoolPage},
    },
    web::{
        forms::FormErrors,
        i18n,
        page::{Page, PageError},
        views::PoolLine,
    },
};

/// Pools per page of the list.
const PER_PAGE: i64 = 25;

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
    /// Text, so that a page number typed wrong in the address shows the first page.
    page: Option<String>,
}

#[derive(Serialize)]
struct ListView {
    pools: Vec<PoolLine>,
    total: i64,
    state: String,
    q: String,
    states: Vec<&'static str>,
    page: i64,
    previous: Option<i64>,
    next: Option<i64>,
}

/// `GET /pools?state=&q=&page=`: pools, newest first (the API's `GET /api/v1/pools`).
pub async fn list(page: Page, query: web::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let state = query.state.as_deref().and_then(|s| PoolState::parse(s).ok());
    let q = query.q.as_deref().and_then(|q| text::clean(q, 0, 200, false).ok()).unwrap_or_default();
    let number = query.page.and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000);
    let words = text::search_words(&q).unwrap_or_default();
    let mut filter = PoolFilter { state, cpv_prefix: None, words, also: Vec::new() };
    let offset = (number - 1) * PER_PAGE;
    let (app, typed) = (page.state.clone(), q.clone());
    let (user, (views, total)) = page
        .read(move |tx, user| {
            // What the words mean, as the matcher reads them: "cimetieres" finds
            // "cimetière", "Friedhof" finds it too.
            filter.also = app.matcher.search_words(tx, &typed, user.locale.as_str())?;
            service::pool_view::list(tx, &filter, PER_PAGE, offset)
        })
        .await?;
    let lang = page.lang(Some(&user));
    let own = (!user.auth.is_officer()).then_some(user.auth.organisation_id);
    let view = ListView {
        pools: views.iter().map(|v| PoolLine::new(v, lang, own)).collect(),
        total,
        state: state.map(PoolState::as_str).unwrap_or_default().to_owned(),
        q,
        states: PoolState::ALL.iter().map(|s| s.as_str()).collect(),
        page: number,
        previous: (number > 1).then_some(number - 1),
        next: (offset + PER_PAGE < total).then_some(number + 1),
    };
    page.render(Some(&user), StatusCode::OK, "pools.html", view)
}

/// `GET /pools/{id}`: from memory when this process knows both that the session holds and
/// the pool as it is now (the page as rendered for this kind of viewer, or, for a member,
/// what it shows); else one unit of work, whose reads are kept. Costs about what the API's
/// `GET /api/v1/pools/{id}` costs (docs/PERFORMANCE.md). An officer's page, which shows the
/// duplicates still to review, is kept until any pool changes (`web::cache`).
pub async fn pool(page: Page, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let id = id_of(&page, &path)?;
    let cache = page.state.pages.clone();
    if let Some(user) = page.known_user() {
        let generation = cache.generation();
        if let Some(viewer) = page.viewer(&user) {
            if let Some(rendered) = cache.rendered(id, viewer) {
                return Ok(page.respond_kept(&user, &rendered));
            }
        }
        if let Some(found) = cache.pool_page(id).filter(|_| !user.auth.is_officer()) {
            return kept(&page, &user, &found, &[], generation);
        }
    }
    let generation = cache.generation();
    let (user, (found, duplicates)) = page.read(move |tx, user| read(tx, user, id)).await?;
    let found = Arc::new(found);
    cache.store_pool_page(id, found.clone(), generation);
    kept(&page, &user, &found, &duplicates, generation)
}

/// What a pool's page shows, and for an officer the pools still to review against it.
fn read(tx: &mut Tx, user: &WebUser, id: i64) -> ApiResult<(PoolPage, Vec<i64>)> {
    let found = service::pool_view::page(tx, id)?;
    let duplicates = if user.auth.is_officer() { service::duplicates::unreviewed_of(tx, id)? } else { Vec::new() };
    Ok((found, duplicates))
}

/// A pool's page rendered (for an officer, with the pools still to review against it), and
/// kept for its kind of viewer when the request is the plain page; `generation` is the
/// cache's before `found` was read.
fn kept(
    page: &Page,
    user: &WebUser,
    found: &PoolPage,
    duplicates: &[i64],
    generation: u64,
) -> Result<HttpResponse, PageError> {
    let view = pool_view(page, user, found, duplicates, None);
    let Some(viewer) = page.viewer(user) else {
        return page.render(Some(user), StatusCode::OK, "pool.html", view);
    };
    let rendered = Arc::new(page.render_kept(user, "pool.html", view)?);
    page.state.pages.store_rendered(found.view.pool.id, viewer, rendered.clone(), generation);
    Ok(page.respond_kept(user, &rendered))
}

/// A pool's page again after one of its forms was refused: the errors beside the fields
/// of that form (worded once the page's language is known), the values typed kept.
pub async fn again(
    page: &Page,
    id: i64,
    values: HashMap<String, String>,
    errors: impl FnOnce(Locale) -> FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (user, (found, duplicates)) = page.read(move |tx, user| read(tx, user, id)).await?;
    let failed = FailedForm { values, errors: errors(page.lang(Some(&user))) };
    let view = pool_view(page, &user, &found, &duplicates, Some(failed));
    page.render(Some(&user), status, "pool.html", view)
}

/// A refused form of a pool's page: what was typed and what is wrong.
struct FailedForm {
    values: HashMap<String, String>,
    errors: FormErrors,
}

#[derive(Serialize)]
struct ParticipantLine {
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
    fn new(p: &Participant, own: Option<i64>, lang: Locale) -> Self {
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
fn decision_words(p: &Participant, lang: Locale) -> Option<String> {
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

#[derive(Serialize)]
struct HistoryLine {
    when: String,
    text: String,
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
fn period(start: Option<NaiveDate>, end: Option<NaiveDate>, lang: Locale) -> String {
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
        Self { id: other, anchor: super::duplicates::anchor(pool, other) }
    }
}

/// Which forms the viewer may use: by role, and by the lifecycle's own transition rules.
#[derive(Serialize)]
struct Forms {
    pledge: bool,
    withdraw_pledge: bool,
    /// The council's decision that confirms the organisation's pledge (SPEC section 10).
    confirm: bool,
    /// The council's refusal of a provisional pledge of a funded pool.
    refuse: bool,
    approve: bool,
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
    fn for_viewer(state: PoolState, kind: PoolKind, officer: bool, own: Option<PledgeStatus>, has_cost: bool) -> Self {
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

    fn any_officer_form(&self) -> bool {
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
const FIELDS: [(&str, &[&str]); 11] = [
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

/// The viewer's organisation's pledge: what its council decided, or that it has not yet.
#[derive(Serialize)]
struct OwnPledge {
    status: &'static str,
    decision: Option<String>,
}

#[derive(Serialize)]
struct PoolView {
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

fn pool_view(
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

/// One event of the history in words. Another organisation's need is named by its
/// organisation only: its text is that organisation's business.
fn history_line(event: &Event, names: &HashMap<i64, String>, lang: Locale) -> HistoryLine {
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
