//! `GET /`: a member's needs, pools, pledges and shares; an officer's work queue.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use super::{duplicates::PairView, id_of, pools::DuplicateLine};
use crate::{
    auth::Capability,
    domain::{
        format,
        kinds::{Locale, PledgeStatus},
    },
    service::{
        self,
        desk::{MemberDesk, OfficerDesk},
    },
    web::{
        page::{Page, PageError},
        views::PoolLine,
    },
};

enum Desk {
    Member(MemberDesk),
    Officer(OfficerDesk),
}

#[derive(Serialize)]
struct NeedLine {
    id: i64,
    title: String,
    active: bool,
    posted: String,
    estimate: Option<String>,
    pool_id: i64,
    pool_title: String,
    pool_state: &'static str,
}

#[derive(Serialize)]
struct MemberView {
    /// Pools in which the organisation's pledge awaits its council's decision.
    decisions: Vec<PoolLine>,
    needs: Vec<NeedLine>,
    needs_total: i64,
    pools: Vec<PoolLine>,
    /// Pools open for pledges in which the organisation has a need but no pledge yet.
    awaiting_pledge: Vec<PoolLine>,
    /// Maintenance pools of software the organisation uses that await its pledge.
    invitations: Vec<PoolLine>,
    /// Whether anything awaits the organisation (decisions, pledges, invitations): the page
    /// says "nothing awaits" only when all three are empty.
    anything_awaits: bool,
}

#[derive(Serialize)]
struct EmailLine {
    id: i64,
    recipient: String,
    event_type: String,
    attempts: i32,
    last_error: Option<String>,
    created: String,
}

/// A funded pool on the officer's desk, and what keeps it from being approved.
#[derive(Serialize)]
struct FundedLine {
    #[serde(flatten)]
    pool: PoolLine,
    /// The organisations whose councils have not decided.
    awaiting_council: Vec<String>,
    /// The pools still to review against it.
    duplicates: Vec<DuplicateLine>,
}

#[derive(Serialize)]
struct OfficerView {
    funded: Vec<FundedLine>,
    duplicates: Vec<PairView>,
    duplicates_total: i64,
    funded_total: i64,
    dead_emails: Vec<EmailLine>,
    dead_total: i64,
    counts: Vec<(&'static str, i64)>,
    /// Open pools whose cost is still to set, linked to the form that sets it.
    no_cost: Vec<CostLine>,
    no_cost_total: i64,
    /// Provisional pledges of funded pools whose council is overdue, each with its drop link.
    overdue: Vec<OverdueLine>,
    council_days: u32,
}

#[derive(Serialize)]
struct CostLine {
    id: i64,
    title: String,
    opened: String,
}

#[derive(Serialize)]
struct OverdueLine {
    pool_id: i64,
    pool_title: String,
    organisation_id: i64,
    organisation: String,
    amount: String,
    since: String,
}

pub async fn home(page: Page) -> Result<HttpResponse, PageError> {
    let council_days = page.state.config.council_days;
    let (user, desk) = page
        .read(move |tx, user| {
            Ok(match user.capability() {
                Capability::Officer(officer) => Desk::Officer(service::desk::officer(tx, officer, council_days)?),
                Capability::Member(member) | Capability::Manager(_, member) => {
                    Desk::Member(service::desk::member(tx, member)?)
                }
            })
        })
        .await?;
    let lang = page.lang(Some(&user));
    match desk {
        Desk::Member(desk) => {
            let view = member_view(desk, lang, user.auth.organisation_id);
            page.render(Some(&user), StatusCode::OK, "home_member.html", view)
        }
        Desk::Officer(desk) => {
            page.render(Some(&user), StatusCode::OK, "home_officer.html", officer_view(desk, lang, council_days))
        }
    }
}

fn member_view(desk: MemberDesk, lang: Locale, organisation: i64) -> MemberView {
    let needs = desk
        .needs
        .into_iter()
        .map(|(need, state, pool_title)| NeedLine {
            id: need.id,
            title: need.title,
            active: need.status == crate::domain::kinds::NeedStatus::Active,
            posted: format::local_date(need.created_at, lang),
            estimate: need.estimated_cost_cents.map(|c| format::money(c, lang)),
            pool_id: need.pool_id,
            pool_title,
            pool_state: state.as_str(),
        })
        .collect();
    let awaiting_pledge = desk
        .pools
        .iter()
        .filter(|v| v.pool.state.accepts_pledges())
        .filter(|v| v.participants.iter().any(|p| p.organisation_id == organisation && !p.pledged_cents.is_positive()))
        .map(|v| PoolLine::new(v, lang, Some(organisation)))
        .collect();
    let decisions = desk
        .pools
        .iter()
        .filter(|v| v.pool.state.accepts_council_decisions())
        .filter(|v| {
            v.participants
                .iter()
                .any(|p| p.organisation_id == organisation && p.pledge_status == Some(PledgeStatus::Provisional))
        })
        .map(|v| PoolLine::new(v, lang, Some(organisation)))
        .collect();
    let awaiting_pledge: Vec<PoolLine> = awaiting_pledge;
    let decisions: Vec<PoolLine> = decisions;
    let invitations: Vec<PoolLine> =
        desk.invitations.iter().map(|v| PoolLine::new(v, lang, Some(organisation))).collect();
    MemberView {
        anything_awaits: !(decisions.is_empty() && awaiting_pledge.is_empty() && invitations.is_empty()),
        decisions,
        needs,
        needs_total: desk.needs_total,
        pools: desk.pools.iter().map(|v| PoolLine::new(v, lang, Some(organisation))).collect(),
        awaiting_pledge,
        invitations,
    }
}

fn officer_view(desk: OfficerDesk, lang: Locale, council_days: u32) -> OfficerView {
    OfficerView {
        no_cost: desk
            .no_cost
            .iter()
            .map(|p| CostLine { id: p.id, title: p.title.clone(), opened: format::when(p.created_at, lang) })
            .collect(),
        no_cost_total: desk.no_cost_total,
        overdue: desk
            .overdue
            .into_iter()
            .map(|(pledge, pool_title, organisation)| OverdueLine {
                pool_id: pledge.pool_id,
                pool_title,
                organisation_id: pledge.organisation_id,
                organisation,
                amount: format::money(pledge.amount_cents, lang),
                since: format::when(pledge.updated_at, lang),
            })
            .collect(),
        council_days,
        funded: desk
            .funded
            .iter()
            .map(|(v, unreviewed)| FundedLine {
                pool: PoolLine::new(v, lang, None),
                awaiting_council: service::pools::awaiting_council(v).map(|p| p.name.clone()).collect(),
                duplicates: unreviewed.iter().map(|&other| DuplicateLine::new(v.pool.id, other)).collect(),
            })
            .collect(),
        duplicates: desk.duplicates.iter().map(|pair| PairView::new(pair, lang)).collect(),
        duplicates_total: desk.duplicates_total,
        funded_total: desk.funded_total,
        dead_emails: desk
            .dead_emails
            .into_iter()
            .map(|row| EmailLine {
                id: row.id,
                recipient: row.recipient_email,
                event_type: row.event_type,
                attempts: row.attempts,
                last_error: row.last_error,
                created: format::when(row.created_at, lang),
            })
            .collect(),
        dead_total: desk.dead_total,
        counts: desk.counts.into_iter().map(|(state, n)| (state.as_str(), n)).collect(),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /outbox/{id}/requeue` (officers): a dead email goes back in the queue.
pub async fn requeue(
    page: Page,
    path: web::Path<String>,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let id = id_of(&page, &path)?;
    page.write(move |tx, user| service::outbox::requeue(tx, user.officer()?.into(), id)).await?;
    Ok(page.done("/", "requeued"))
}
