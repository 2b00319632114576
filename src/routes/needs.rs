use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    common::{InvalidFilters, KeyReused, NotYourNeed, Page, PageQuery, utc},
    pools::{PoolResponse, SimilarPoolResponse},
};
use crate::{
    auth::{AuthUser, Member},
    db::models::need::{Need, NeedFilter},
    domain::{kinds::NeedStatus, money::Cents, need::NeedInput, pool_state::PoolState},
    error::{ApiError, ApiResult, Validator},
    service::{self, needs::Posted, pool_view},
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateNeed {
    #[schema(example = "Gestion des concessions du cimetière", min_length = 3, max_length = 200)]
    pub title: String,
    #[schema(
        example = "Registre numérique des concessions, rappels d'échéance, plan du cimetière.",
        max_length = 10000
    )]
    pub description: String,
    /// A CPV 2008 code, such as `48000000-8`.
    #[schema(example = "48000000-8")]
    pub cpv_code: Option<String>,
    /// What the organisation thinks the development costs, in euro cents.
    #[schema(example = 2500000, minimum = 1, maximum = 1000000000000_i64)]
    pub estimated_cost_cents: Option<i64>,
}

/// The parsed need ([`NeedInput::parse`]), or 422 naming every invalid field.
pub fn parse_need(title: &str, description: &str, cpv: Option<&str>, cost: Option<i64>) -> ApiResult<NeedInput> {
    NeedInput::parse(title, description, cpv, cost.map(Cents::positive)).map_err(ApiError::Validation)
}

#[derive(Serialize, ToSchema)]
pub struct NeedResponse {
    #[schema(example = 12)]
    pub id: i64,
    #[schema(example = 2)]
    pub organisation_id: i64,
    #[schema(example = 7)]
    pub pool_id: i64,
    #[schema(example = "Gestion des concessions du cimetière")]
    pub title: String,
    #[schema(example = "Registre numérique des concessions, rappels d'échéance, plan du cimetière.")]
    pub description: String,
    #[schema(example = "48000000-8")]
    pub cpv_code: Option<String>,
    #[schema(example = 2500000)]
    pub estimated_cost_cents: Option<i64>,
    pub status: NeedStatus,
    #[schema(example = "2026-03-02T09:15:00Z")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When the need was withdrawn; `null` while it is active.
    #[schema(example = json!(null))]
    pub withdrawn_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<Need> for NeedResponse {
    fn from(n: Need) -> Self {
        Self {
            id: n.id,
            organisation_id: n.organisation_id,
            pool_id: n.pool_id,
            title: n.title,
            description: n.description,
            cpv_code: n.cpv_code,
            estimated_cost_cents: n.estimated_cost_cents.map(Cents::get),
            status: n.status,
            created_at: utc(n.created_at),
            withdrawn_at: n.withdrawn_at.map(utc),
        }
    }
}

/// What already exists when a need joins a delivered pool: reuse it instead of funding it.
#[derive(Serialize, ToSchema)]
pub struct ExistingDevelopment {
    #[schema(example = 3)]
    pub pool_id: i64,
    #[schema(example = "https://git.example.be/cimetiere")]
    pub repository_url: Option<String>,
    #[schema(example = "GPL-3.0-or-later")]
    pub licence: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PostNeedResponse {
    pub need: NeedResponse,
    pub pool: PoolResponse,
    /// Whether the need joined an existing pool of the same need.
    #[schema(example = true)]
    pub merged: bool,
    /// Pools that look similar but not the same, best first.
    pub similar_pools: Vec<SimilarPoolResponse>,
    /// Set when the pool joined is delivered: the development exists, no funding starts.
    pub existing: Option<ExistingDevelopment>,
}

/// Posts a need.
///
/// It joins the pool of the same need when there is one (`merged: true`), or opens its own
/// pool; similar pools are suggested.
#[utoipa::path(post, path = "/api/v1/needs", tag = "needs", request_body = CreateNeed,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = PostNeedResponse),
        (status = 403, description = "officers do not post needs", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "a request with this Idempotency-Key is in progress", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid fields, or Idempotency-Key reused with another body", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "daily cap or rate limit reached", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::Unauthenticated, super::common::BodyProblems,
    ))]
pub async fn create(
    state: web::Data<AppState>,
    caller: Member,
    body: web::Json<CreateNeed>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let input = parse_need(&body.title, &body.description, body.cpv_code.as_deref(), body.estimated_cost_cents)?;
    // Ranked in a read before the write, beside the writer, where one writer runs at a time
    // and no other post is in progress (`Posting::rank_beforehand`); else in the write.
    service::matcher::dictionary_loaded().await;
    let posting = state.matcher.posting();
    let prepared = if posting.rank_beforehand() {
        let (app, prepared_for) = (state.clone(), input.clone());
        let prepared = state
            .db
            .read(caller.clone(), move |tx, caller| service::needs::prepare(tx, &app.matcher, caller, &prepared_for))
            .await?;
        Some(prepared)
    } else {
        None
    };
    let app = state.clone();
    let (posted, view) = state
        .db
        .write(caller, move |tx, caller| {
            let posted = service::needs::post(tx, &app.matcher, caller, input, app.config.max_needs_per_day, prepared)?;
            let view = posted.view(tx)?;
            Ok((posted, view))
        })
        .await?;
    drop(posting);
    let Posted { need, pool, merged, similar, .. } = posted;
    tracing::info!(need_id = need.id, pool_id = pool.id, merged, "need posted");
    let existing = (pool.state == PoolState::Delivered).then(|| ExistingDevelopment {
        pool_id: pool.id,
        repository_url: pool.repository_url.clone(),
        licence: pool.licence.clone(),
    });
    Ok(HttpResponse::Created().json(PostNeedResponse {
        need: need.into(),
        pool: view.into(),
        merged,
        similar_pools: similar.into_iter().map(Into::into).collect(),
        existing,
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NeedListQuery {
    /// Officers only: needs of one organisation.
    pub organisation_id: Option<i64>,
    pub pool_id: Option<i64>,
    /// `active` or `withdrawn`.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Needs of the caller's organisation; officers see all, with filters.
#[utoipa::path(get, path = "/api/v1/needs", tag = "needs", params(NeedListQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = Page<NeedResponse>),
        InvalidFilters, super::common::Unauthenticated,
    ))]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<NeedListQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let mut v = Validator::default();
    let (limit, offset) = PageQuery { limit: query.limit, offset: query.offset }.parse(&mut v);
    let status = query.status.as_deref().and_then(|s| v.check("status", NeedStatus::parse(s)));
    v.finish()?;
    let filter = NeedFilter { organisation_id: query.organisation_id, pool_id: query.pool_id, status };
    let (items, total) =
        state.db.read(caller, move |tx, caller| service::needs::list(tx, caller, filter, limit, offset)).await?;
    Ok(HttpResponse::Ok().json(Page { items: items.into_iter().map(NeedResponse::from).collect(), total }))
}

/// One need; another organisation's need is 404.
#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "needs", params(("id" = i64, Path, description = "need id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = NeedResponse),
        NotYourNeed, super::common::Unauthenticated,
    ))]
pub async fn get(state: web::Data<AppState>, caller: AuthUser, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let need = state.db.read(caller, move |tx, caller| service::needs::visible(tx, caller, id)).await?;
    Ok(HttpResponse::Ok().json(NeedResponse::from(need)))
}

/// Withdraws a need of the caller's organisation.
#[utoipa::path(delete, path = "/api/v1/needs/{id}", tag = "needs", params(("id" = i64, Path, description = "need id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = NeedResponse),
        (status = 403, description = "officers do not withdraw needs", body = crate::error::Problem, content_type = "application/problem+json"),
        NotYourNeed,
        (status = 409, description = "already withdrawn", body = crate::error::Problem, content_type = "application/problem+json"),
        KeyReused, super::common::Unauthenticated, super::common::RateLimited,
    ))]
pub async fn withdraw(state: web::Data<AppState>, caller: Member, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let app = state.clone();
    let need = state.db.write(caller, move |tx, caller| service::needs::withdraw(tx, &app.matcher, caller, id)).await?;
    Ok(HttpResponse::Ok().json(NeedResponse::from(need)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveNeed {
    /// The pool to join, or `null` to open a new pool for this need alone. Required: an
    /// empty body must not move anything.
    #[serde(default, deserialize_with = "super::pools::nullable")]
    #[schema(value_type = Option<i64>, required = true, example = 7)]
    pub pool_id: Option<Option<i64>>,
}

#[derive(Serialize, ToSchema)]
pub struct MoveResponse {
    pub need: NeedResponse,
    pub pool: PoolResponse,
}

/// Moves a need of the caller's organisation into another pool, or into a new one.
///
/// Only out of an open pool. A new pool counts toward the organisation's daily cap
/// (`MUTUA_MAX_NEEDS_PER_DAY` pools opened per 24 hours); the pool joined keeps its target.
#[utoipa::path(post, path = "/api/v1/needs/{id}/move", tag = "needs", request_body = MoveNeed,
    params(("id" = i64, Path, description = "need id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = MoveResponse),
        (status = 403, description = "officers do not move needs", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown need, or another organisation's", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "withdrawn need, same pool, a need whose pool is no longer open, or a pool that takes no needs", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "no such pool", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "the organisation's daily cap of pools opened, or the rate limit, is reached", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::Unauthenticated, super::common::BodyProblems,
    ))]
pub async fn move_need(
    state: web::Data<AppState>,
    caller: Member,
    path: web::Path<i64>,
    body: web::Json<MoveNeed>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let to = body
        .into_inner()
        .pool_id
        .ok_or_else(|| ApiError::invalid("pool_id", "required: a pool id, or null for a new pool"))?;
    let app = state.clone();
    let (need, view) = state
        .db
        .write(caller, move |tx, caller| {
            let (need, pool) = service::needs::move_to(tx, &app.matcher, caller, id, to, app.config.max_needs_per_day)?;
            Ok((need, pool_view::with_participants(tx, pool)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(MoveResponse { need: need.into(), pool: view.into() }))
}
