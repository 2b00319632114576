use std::sync::Arc;

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    common::{InvalidFields, InvalidFilters, NotOfficer, Page, PageQuery, UnknownPool, utc},
    needs::parse_need,
};
use crate::{
    auth::{AuthUser, Officer},
    cache::CachedPool,
    db::models::pool::{MaintenancePeriod, PoolFilter},
    domain::{
        kinds::{DecidedBy, PledgeStatus, PoolKind},
        money::Cents,
        personal_data,
        pool_state::PoolState,
        text,
    },
    error::{ApiError, ApiResult, Validator},
    service::{
        self,
        matcher::SimilarPool,
        pool_view::{self, Participant, PoolView},
        pools::PoolEdit,
    },
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct ParticipantResponse {
    #[schema(example = 3)]
    pub organisation_id: i64,
    #[schema(example = "Commune de Ciney")]
    pub name: String,
    /// This organisation's pledge (0 when it has a need but no pledge).
    #[schema(example = 2000000)]
    pub pledged_cents: i64,
    /// What it pays: `min(pledged, target)` split pro rata to pledges.
    #[schema(example = 1600000)]
    pub share_cents: i64,
    /// `provisional` until its council decided, then `confirmed`; `null` without a pledge.
    pub pledge_status: Option<PledgeStatus>,
    /// The reference of the council decision that confirmed the pledge; `null` otherwise.
    #[schema(example = "CC/2026/0412")]
    pub decision_ref: Option<String>,
    /// The day of that decision.
    #[schema(example = "2026-03-09")]
    pub decision_date: Option<NaiveDate>,
    /// The body that took it.
    pub decided_by: Option<DecidedBy>,
}

impl From<Participant> for ParticipantResponse {
    fn from(p: Participant) -> Self {
        Self {
            organisation_id: p.organisation_id,
            name: p.name,
            pledged_cents: p.pledged_cents.get(),
            share_cents: p.share_cents.get(),
            pledge_status: p.pledge_status,
            decision_ref: p.decision_ref,
            decision_date: p.decision_date,
            decided_by: p.decided_by,
        }
    }
}

/// A maintenance pool as the delivered pool it maintains lists it.
#[derive(Serialize, ToSchema)]
pub struct MaintenancePoolResponse {
    #[schema(example = 12)]
    pub id: i64,
    #[schema(example = "funded")]
    pub state: PoolState,
    /// First day of the period of upkeep.
    #[schema(example = "2027-01-01")]
    pub period_start: Option<NaiveDate>,
    /// Last day of the period (included).
    #[schema(example = "2027-12-31")]
    pub period_end: Option<NaiveDate>,
}

impl From<MaintenancePeriod> for MaintenancePoolResponse {
    fn from(m: MaintenancePeriod) -> Self {
        Self { id: m.id, state: m.state, period_start: m.period_start, period_end: m.period_end }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PoolResponse {
    #[schema(example = 7)]
    pub id: i64,
    #[schema(example = "Gestion des concessions du cimetière")]
    pub title: String,
    #[schema(example = "Registre numérique des concessions, rappels d'échéance, plan du cimetière.")]
    pub description: String,
    #[schema(example = "48000000-8")]
    pub cpv_code: Option<String>,
    pub state: PoolState,
    #[schema(example = "EUR")]
    pub currency: String,
    /// Estimated cost.
    #[schema(example = 4000000)]
    pub target_cents: Option<i64>,
    /// What must be pledged before the pool is funded (the target unless an officer set it).
    #[schema(example = 4000000)]
    pub threshold_cents: Option<i64>,
    /// Sum of the active pledges, provisional and confirmed.
    #[schema(example = 5000000)]
    pub pledged_cents: i64,
    /// After this date an open pool expires; `null`: no deadline.
    #[schema(example = "2026-06-30")]
    pub deadline: Option<NaiveDate>,
    pub participants: Vec<ParticipantResponse>,
    /// Active needs in the pool.
    #[schema(example = 2)]
    pub needs_count: i64,
    /// Why it was rejected or cancelled.
    #[schema(example = json!(null))]
    pub reason: Option<String>,
    /// Set by the award.
    #[schema(example = json!(null))]
    pub supplier: Option<String>,
    /// The awarded contract's amount, set by the award.
    #[schema(example = json!(null))]
    pub award_cents: Option<i64>,
    /// Set by the delivery.
    #[schema(example = json!(null))]
    pub repository_url: Option<String>,
    /// Set by the delivery.
    #[schema(example = json!(null))]
    pub licence: Option<String>,
    /// The pool this one was merged into (state `merged`).
    #[schema(example = json!(null))]
    pub merged_into_pool_id: Option<i64>,
    #[schema(example = "2026-03-02T09:15:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-03-04T16:20:00Z")]
    pub updated_at: DateTime<Utc>,
    /// When the pledges last reached the threshold; `null` while the pool is open, also
    /// after a council's refusal reopened it (every crossing is in the events).
    #[schema(example = "2026-03-03T11:02:00Z")]
    pub funded_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-03-04T16:20:00Z")]
    pub approved_at: Option<DateTime<Utc>>,
    #[schema(example = json!(null))]
    pub rejected_at: Option<DateTime<Utc>>,
    #[schema(example = json!(null))]
    pub awarded_at: Option<DateTime<Utc>>,
    #[schema(example = json!(null))]
    pub delivered_at: Option<DateTime<Utc>>,
    #[schema(example = json!(null))]
    pub expired_at: Option<DateTime<Utc>>,
    #[schema(example = json!(null))]
    pub cancelled_at: Option<DateTime<Utc>>,
    #[schema(example = json!(null))]
    pub merged_at: Option<DateTime<Utc>>,
    /// `development`, or `maintenance`: a period of upkeep of a delivered pool.
    pub kind: PoolKind,
    /// For a maintenance pool: the delivered pool it maintains.
    #[schema(example = json!(null))]
    pub maintains_pool_id: Option<i64>,
    /// For a maintenance pool: the first day of its period.
    #[schema(example = json!(null))]
    pub period_start: Option<NaiveDate>,
    /// For a maintenance pool: the last day of its period (included).
    #[schema(example = json!(null))]
    pub period_end: Option<NaiveDate>,
    /// For a delivered pool: its maintenance pools, by period (empty for any other pool).
    pub maintenance_pools: Vec<MaintenancePoolResponse>,
}

impl From<PoolView> for PoolResponse {
    fn from(view: PoolView) -> Self {
        let p = view.pool;
        Self {
            id: p.id,
            state: p.state,
            threshold_cents: p.effective_threshold().map(Cents::get),
            title: p.title,
            description: p.description,
            cpv_code: p.cpv_code,
            currency: p.currency,
            target_cents: p.target_cents.map(Cents::get),
            pledged_cents: p.pledged_cents.get(),
            deadline: p.deadline,
            participants: view.participants.into_iter().map(Into::into).collect(),
            needs_count: view.needs_count,
            reason: p.reason,
            supplier: p.supplier,
            award_cents: p.award_cents.map(Cents::get),
            repository_url: p.repository_url,
            licence: p.licence,
            merged_into_pool_id: p.merged_into_pool_id,
            created_at: utc(p.created_at),
            updated_at: utc(p.updated_at),
            funded_at: p.funded_at.map(utc),
            approved_at: p.approved_at.map(utc),
            rejected_at: p.rejected_at.map(utc),
            awarded_at: p.awarded_at.map(utc),
            delivered_at: p.delivered_at.map(utc),
            expired_at: p.expired_at.map(utc),
            cancelled_at: p.cancelled_at.map(utc),
            merged_at: p.merged_at.map(utc),
            kind: p.kind,
            maintains_pool_id: p.maintains_pool_id,
            period_start: p.period_start,
            period_end: p.period_end,
            maintenance_pools: view.maintenance.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SimilarPoolResponse {
    #[schema(example = 4)]
    pub pool_id: i64,
    #[schema(example = "Cimetière : registre des concessions et des défunts")]
    pub title: String,
    /// Similarity in [0, 1].
    #[schema(example = 0.62)]
    pub score: f64,
}

impl From<SimilarPool> for SimilarPoolResponse {
    fn from(s: SimilarPool) -> Self {
        Self { pool_id: s.pool_id, title: s.title, score: s.score }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PoolListQuery {
    pub state: Option<String>,
    /// A CPV code, or its first digits (`48` for the whole division).
    pub cpv: Option<String>,
    /// Words that must all appear in the title or description.
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Pools, newest first, with filters.
#[utoipa::path(get, path = "/api/v1/pools", tag = "pools", params(PoolListQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = Page<PoolResponse>),
        InvalidFilters, super::common::Unauthenticated,
    ))]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PoolListQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let mut v = Validator::default();
    let (limit, offset) = PageQuery { limit: query.limit, offset: query.offset }.parse(&mut v);
    let pool_state = query.state.as_deref().and_then(|s| v.check("state", PoolState::parse(s)));
    let cpv_prefix = query.cpv.as_deref().map(|c| c.replace('-', "")).and_then(|c| {
        let ok = !c.is_empty() && c.len() <= 9 && c.chars().all(|ch| ch.is_ascii_digit());
        v.check("cpv", if ok { Ok(c) } else { Err("must be a CPV code or its first digits".to_owned()) })
    });
    let words = query.q.as_deref().and_then(|q| v.check("q", text::search_words(q))).unwrap_or_default();
    v.finish()?;
    let filter = PoolFilter {
        state: pool_state,
        // Stored codes are `48000000-8`: match on the digits before the dash.
        cpv_prefix: cpv_prefix.map(|c| if c.len() == 9 { format!("{}-{}", &c[..8], &c[8..]) } else { c }),
        words,
        also: Vec::new(),
    };
    let (views, total) = state.db.read(caller, move |tx, _| pool_view::list(tx, &filter, limit, offset)).await?;
    Ok(HttpResponse::Ok().json(Page { items: views.into_iter().map(PoolResponse::from).collect(), total }))
}

/// One pool with its participants, pledges and shares.
#[utoipa::path(get, path = "/api/v1/pools/{id}", tag = "pools", params(("id" = i64, Path, description = "pool id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PoolResponse),
        UnknownPool, super::common::Unauthenticated,
    ))]
pub async fn get(state: web::Data<AppState>, caller: AuthUser, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let pool = cached_pool(&state, caller, id).await?;
    Ok(HttpResponse::Ok().content_type("application/json").body(pool.json.clone()))
}

/// A pool's view, from memory when this process knows both that the caller's session holds
/// and the pool as it is now; else read in a unit of work (which checks the session) and
/// kept.
pub async fn cached_pool(state: &AppState, caller: AuthUser, id: i64) -> ApiResult<Arc<CachedPool>> {
    if caller.known_valid() {
        if let Some(pool) = state.cache.pool(id) {
            return Ok(pool);
        }
    }
    let generation = state.cache.generation();
    let view = state.db.read(caller, move |tx, _| pool_view::load(tx, id)).await?;
    let json = serde_json::to_vec(&PoolResponse::from(view.clone())).map_err(|e| ApiError::Internal(e.into()))?;
    let pool = Arc::new(CachedPool { view, json: json.into() });
    state.cache.store_pool(pool.clone(), generation);
    Ok(pool)
}

/// Distinguishes a field left out (`None`) from a field set to `null` (`Some(None)`).
pub(super) fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchPool {
    #[schema(example = "Gestion des concessions du cimetière", min_length = 3, max_length = 200)]
    pub title: Option<String>,
    #[schema(
        example = "Registre numérique des concessions, rappels d'échéance, plan du cimetière.",
        max_length = 10000
    )]
    pub description: Option<String>,
    /// `null` clears the estimate.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>, example = 4500000)]
    pub target_cents: Option<Option<i64>>,
    /// `null`: the threshold follows the target again.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>, example = 4000000)]
    pub threshold_cents: Option<Option<i64>>,
    /// `null` removes the deadline.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>, example = "2026-06-30")]
    pub deadline: Option<Option<NaiveDate>>,
}

/// Edits a pool (officers).
/// Cost, threshold and deadline change only while it is open; a threshold at or below what
/// is pledged funds it at once.
#[utoipa::path(patch, path = "/api/v1/pools/{id}", tag = "pools", request_body = PatchPool,
    params(("id" = i64, Path, description = "pool id")), security(("bearer" = [])),
    responses(
        (status = 200, body = PoolResponse),
        NotOfficer, UnknownPool,
        (status = 409, description = "the pool's state does not allow this edit", body = crate::error::Problem, content_type = "application/problem+json"),
        InvalidFields, super::common::Unauthenticated, super::common::BodyProblems, super::common::RateLimited,
    ))]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Officer,
    path: web::Path<i64>,
    body: web::Json<PatchPool>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let edit = PoolEdit {
        title: body.title.as_deref().and_then(|t| v.check("title", text::title(t).and_then(personal_data::absent))),
        description: body
            .description
            .as_deref()
            .and_then(|d| v.check("description", text::description(d).and_then(personal_data::absent))),
        target_cents: body.target_cents.map(|t| t.and_then(|c| v.check("target_cents", Cents::positive(c)))),
        threshold_cents: body.threshold_cents.map(|t| t.and_then(|c| v.check("threshold_cents", Cents::positive(c)))),
        deadline: body.deadline.map(|d| {
            d.filter(|date| {
                let future = *date >= chrono::Utc::now().date_naive();
                if !future {
                    v.push("deadline", "must be today or later");
                }
                future
            })
        }),
    };
    v.finish()?;
    let view = state
        .db
        .write(caller, move |tx, caller| {
            let pool = service::pools::edit(tx, caller, id, edit)?;
            pool_view::with_participants(tx, pool)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PoolResponse::from(view)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SimilarQuery {
    #[param(example = "Gestion du cimetière")]
    pub title: String,
    pub description: Option<String>,
    /// Checked like a need's code (422 when it is not a CPV 2008 code); the score reads the
    /// title and description only.
    pub cpv_code: Option<String>,
}

/// Pools similar to a need not yet posted, best first (at most 10).
///
/// Each user may search `MUTUA_SIMILAR_PER_MINUTE` times a minute (default 60); beyond, 429
/// with `Retry-After`.
#[utoipa::path(get, path = "/api/v1/pools/similar", tag = "pools", params(SimilarQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = [SimilarPoolResponse]),
        InvalidFields, super::common::Unauthenticated,
        (status = 429, description = "the user's budget of searches is spent", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn similar(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<SimilarQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let input = parse_need(&query.title, query.description.as_deref().unwrap_or(""), query.cpv_code.as_deref(), None)?;
    let app = state.clone();
    let found = state
        .db
        .read(caller, move |tx, caller| service::needs::similar(tx, &app.matcher, &app.similar_budget, caller, &input))
        .await?;
    Ok(HttpResponse::Ok().json(found.into_iter().map(SimilarPoolResponse::from).collect::<Vec<_>>()))
}

#[derive(Serialize, ToSchema)]
pub struct EventResponse {
    #[schema(example = 41)]
    pub id: i64,
    #[schema(example = 7)]
    pub pool_id: Option<i64>,
    #[serde(rename = "type")]
    #[schema(example = super::common::event_type_example)]
    pub event_type: String,
    /// The user whose request caused it; `null` for the worker (expiry).
    #[schema(example = 3)]
    pub actor_user_id: Option<i64>,
    #[schema(example = "2026-03-03T11:02:00Z")]
    pub at: DateTime<Utc>,
    /// What changed, by event type (see docs/API.md).
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>, example = json!({
        "pledged_cents": 5000000, "threshold_cents": 4000000, "target_cents": 4000000, "from": "open", "to": "funded"
    }))]
    pub data: serde_json::Value,
}

/// The audit trail of a pool, oldest first.
#[utoipa::path(get, path = "/api/v1/pools/{id}/events", tag = "pools",
    params(("id" = i64, Path, description = "pool id"), PageQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = Page<EventResponse>),
        UnknownPool, super::common::InvalidPaging, super::common::Unauthenticated,
    ))]
pub async fn events(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let (limit, offset) = query.checked()?;
    let (items, total) = state.db.read(caller, move |tx, _| service::pools::events(tx, id, limit, offset)).await?;
    let items = items
        .into_iter()
        .map(|e| {
            Ok(EventResponse {
                id: e.id,
                pool_id: e.pool_id,
                event_type: e.event.kind().as_str().to_owned(),
                actor_user_id: e.actor_user_id,
                at: utc(e.at),
                data: e.event.data().map_err(|e| ApiError::Internal(e.into()))?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Page { items, total }))
}
