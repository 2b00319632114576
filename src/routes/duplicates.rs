//! The duplicate review (SPEC section 9): the officers' list of pools that are likely the
//! same need, and dismissing a pair judged different.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{
    BodyProblems, InvalidFields, InvalidPaging, NotOfficer, Page, PageQuery, RateLimited, Unauthenticated,
};
use crate::{
    auth::Officer,
    domain::{pool_state::PoolState, text},
    error::{ApiError, ApiResult, Validator},
    service::{self, duplicates::PoolSummary},
    state::AppState,
};

/// A pool of a candidate pair, as the review shows it.
#[derive(Serialize, ToSchema)]
#[schema(as = PoolSummary)]
pub struct PoolSummaryResponse {
    #[schema(example = 7)]
    pub id: i64,
    #[schema(example = "Gestion des concessions du cimetière")]
    pub title: String,
    pub state: PoolState,
    /// Active needs in the pool.
    #[schema(example = 2)]
    pub needs_count: i64,
    #[schema(example = 3000000)]
    pub pledged_cents: i64,
    /// The organisations taking part (a need or a pledge).
    #[schema(example = json!(["Commune de Namur", "Commune de Ciney"]))]
    pub organisations: Vec<String>,
}

impl From<PoolSummary> for PoolSummaryResponse {
    fn from(p: PoolSummary) -> Self {
        Self {
            id: p.id,
            title: p.title,
            state: p.state,
            needs_count: p.needs_count,
            pledged_cents: p.pledged_cents.get(),
            organisations: p.organisations,
        }
    }
}

/// Two pools the matcher scores as likely the same need.
#[derive(Serialize, ToSchema)]
pub struct DuplicateCandidate {
    /// The two pools, the smaller id first.
    pub pools: [PoolSummaryResponse; 2],
    /// How alike they are, in [0, 1]; at least `MUTUA_MATCH_REVIEW`.
    #[schema(example = 0.27)]
    pub score: f64,
}

/// The pairs of pools to review, best score first (officers).
///
/// Each pair is two pools the matcher scores at or above `MUTUA_MATCH_REVIEW` that are both
/// open, funded or approved, or one delivered and the other open or funded; never a pair an
/// officer dismissed. A pool in such a pair cannot be approved until the pair is merged or
/// dismissed.
#[utoipa::path(get, path = "/api/v1/duplicates", tag = "decisions", params(PageQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = Page<DuplicateCandidate>),
        NotOfficer, InvalidPaging, Unauthenticated,
    ))]
pub async fn list(
    state: web::Data<AppState>,
    caller: Officer,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let (limit, offset) = query.checked()?;
    let (pairs, total) =
        state.db.read(caller, move |tx, caller| service::duplicates::list(tx, caller, limit, offset)).await?;
    let items = pairs
        .into_iter()
        .map(|pair| {
            let [a, b] = pair.pools;
            DuplicateCandidate { pools: [a.into(), b.into()], score: pair.score }
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page { items, total }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DismissRequest {
    /// The two pools judged different.
    #[schema(example = json!([7, 12]))]
    pub pool_ids: Vec<i64>,
    /// Why they are different, for the record.
    #[schema(
        example = "Le registre des concessions et la réservation des salles sont deux outils distincts.",
        max_length = 2000
    )]
    pub reason: Option<String>,
}

/// Dismisses a pair of pools judged different (officers).
///
/// The pair is never listed again; an event `pool.duplicate_dismissed` goes on both pools.
/// Dismissing it again changes nothing (204).
#[utoipa::path(post, path = "/api/v1/duplicates/dismiss", tag = "decisions", request_body = DismissRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "dismissed (or already dismissed)"),
        NotOfficer,
        (status = 404, description = "unknown pool", body = crate::error::Problem, content_type = "application/problem+json"),
        InvalidFields, Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn dismiss(
    state: web::Data<AppState>,
    caller: Officer,
    body: web::Json<DismissRequest>,
) -> ApiResult<HttpResponse> {
    let DismissRequest { pool_ids, reason } = body.into_inner();
    let mut v = Validator::default();
    let pair = match pool_ids.as_slice() {
        [a, b] if a == b => {
            v.push("pool_ids", "two different pools");
            None
        }
        [a, b] => Some((*a, *b)),
        _ => {
            v.push("pool_ids", "exactly two pool ids");
            None
        }
    };
    let reason = reason.and_then(|r| v.check("reason", text::reason(&r)));
    v.finish()?;
    let (a, b) = pair.ok_or_else(|| ApiError::invalid("pool_ids", "exactly two pool ids"))?;
    state.db.write(caller, move |tx, caller| service::duplicates::dismiss(tx, caller, a, b, reason)).await?;
    Ok(HttpResponse::NoContent().finish())
}
