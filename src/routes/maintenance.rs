//! Maintenance pools of delivered software (SPEC section 10).

use actix_web::{HttpResponse, web};

use super::{
    common::{BodyProblems, InvalidFields, NotOfficer, RateLimited, Unauthenticated, UnknownPool},
    pools::PoolResponse,
};
use crate::{
    auth::Officer,
    domain::maintenance::OpenMaintenance,
    error::{ApiError, ApiResult},
    service::{self, pool_view},
    state::AppState,
};

/// Opens a maintenance pool for a delivered pool (officers).
///
/// The new pool has `kind: "maintenance"` and `maintains_pool_id`, and lives the lifecycle
/// of any pool. Every organisation that uses the delivered software (a need or a pledge in
/// the delivered pool, also a need that joined it after delivery, or a pledge to one of its
/// earlier maintenance pools) is invited: one `pool.maintenance_opened` email to each of its
/// users, in its language. Periods of one delivered pool may follow one another but not
/// overlap (409).
#[utoipa::path(post, path = "/api/v1/pools/{id}/maintenance", tag = "decisions", request_body = OpenMaintenance,
    params(("id" = i64, Path, description = "the delivered pool"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = PoolResponse, description = "the new maintenance pool"),
        NotOfficer, UnknownPool,
        (status = 409, description = "the pool is not delivered, is itself maintenance, or the period overlaps another maintenance pool's", body = crate::error::Problem, content_type = "application/problem+json"),
        InvalidFields, Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn open(
    state: web::Data<AppState>,
    caller: Officer,
    path: web::Path<i64>,
    body: web::Json<OpenMaintenance>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let today = chrono::Utc::now().date_naive();
    let input = body.into_inner().parse(today).map_err(ApiError::Validation)?;
    let view = state
        .db
        .write(caller, move |tx, caller| {
            let pool = service::maintenance::open(tx, caller, id, input)?;
            pool_view::with_participants(tx, pool)
        })
        .await?;
    Ok(HttpResponse::Created().json(PoolResponse::from(view)))
}
