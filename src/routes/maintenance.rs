//! Maintenance pools of delivered software (SPEC section 10).

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    common::{BodyProblems, InvalidFields, NotOfficer, RateLimited, Unauthenticated, UnknownPool},
    pools::PoolResponse,
};
use crate::{
    auth::Officer,
    domain::{money::Cents, text},
    error::{ApiError, ApiResult, Validator},
    service::{self, maintenance::MaintenanceInput, pool_view},
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenMaintenance {
    /// First day of the period of upkeep.
    #[schema(example = "2027-01-01")]
    pub period_start: NaiveDate,
    /// Last day of the period (included); after `period_start`.
    #[schema(example = "2027-12-31")]
    pub period_end: NaiveDate,
    /// What the upkeep of the period costs, in euro cents.
    #[schema(example = 800000, minimum = 1, maximum = 1000000000000_i64)]
    pub target_cents: i64,
    /// What must be pledged before it is funded; the target when left out.
    #[schema(example = 600000, minimum = 1, maximum = 1000000000000_i64)]
    pub threshold_cents: Option<i64>,
    /// After this date the pool expires if it is still open.
    #[schema(example = "2026-11-30")]
    pub deadline: Option<NaiveDate>,
    /// The pool's title; by default `Maintenance (start – end) : ` and the delivered pool's.
    #[schema(example = "Maintenance 2027 du registre des concessions", min_length = 3, max_length = 200)]
    pub title: Option<String>,
}

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
    let input = parse(body.into_inner())?;
    let view = state
        .db
        .write(caller, move |tx, caller| {
            let pool = service::maintenance::open(tx, caller, id, input)?;
            pool_view::with_participants(tx, pool)
        })
        .await?;
    Ok(HttpResponse::Created().json(PoolResponse::from(view)))
}

/// The parsed request, or 422 naming every invalid field (the pages' form applies the
/// same rules).
pub fn parse(body: OpenMaintenance) -> ApiResult<MaintenanceInput> {
    let mut v = Validator::default();
    if body.period_end <= body.period_start {
        v.push("period_end", "must be after period_start");
    }
    let target_cents = v.check("target_cents", Cents::positive(body.target_cents));
    let threshold_cents = body.threshold_cents.and_then(|c| v.check("threshold_cents", Cents::positive(c)));
    if body.deadline.is_some_and(|d| d < chrono::Utc::now().date_naive()) {
        v.push("deadline", "must be today or later");
    }
    let title = body.title.as_deref().and_then(|t| v.check("title", text::title(t)));
    v.finish()?;
    let Some(target_cents) = target_cents else {
        return Err(ApiError::Internal(anyhow::anyhow!("validated field missing")));
    };
    Ok(MaintenanceInput {
        period_start: body.period_start,
        period_end: body.period_end,
        target_cents,
        threshold_cents,
        deadline: body.deadline,
        title,
    })
}
