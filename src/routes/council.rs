//! A council's decision on a pledge (SPEC section 10): recorded by the pledging
//! organisation, to confirm its pledge or to refuse it.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    common::{BodyProblems, InvalidFields, NotOfficer, OfficersDoNotPledge, RateLimited, Unauthenticated},
    pool_actions::respond,
    pools::PoolResponse,
};
use crate::{
    auth::{Member, Officer},
    domain::{
        council::{self, Confirmation, Refusal},
        kinds::DecidedBy,
        text,
    },
    error::{ApiError, ApiResult, Validator},
    service,
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmPledge {
    /// The reference of the decision, as in the minutes (1 to 200 characters, one line).
    #[schema(example = "CC/2026/0412", min_length = 1, max_length = 200)]
    pub decision_ref: String,
    /// The day the decision was taken; not in the future.
    #[schema(example = "2026-03-09")]
    pub decision_date: NaiveDate,
    /// The body that decided.
    #[schema(value_type = DecidedBy)]
    pub decided_by: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefusePledge {
    /// The reference of the decision that refused the pledge, as in the minutes.
    #[schema(example = "CC/2026/0418", min_length = 1, max_length = 200)]
    pub decision_ref: String,
    /// The day the decision was taken; not in the future.
    #[schema(example = "2026-03-16")]
    pub decision_date: NaiveDate,
}

/// Records the council decision that confirms the caller's organisation's pledge.
///
/// Allowed while the pool is open or funded. A funded pool is approved only once every
/// participant whose share is above 0 has confirmed its pledge. Changing the amount later
/// makes the pledge provisional again.
#[utoipa::path(post, path = "/api/v1/pools/{id}/pledge/confirm", tag = "pledges", request_body = ConfirmPledge,
    params(("id" = i64, Path, description = "pool id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PoolResponse),
        OfficersDoNotPledge,
        (status = 404, description = "unknown pool, or no pledge of yours on it", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the pool is neither open nor funded", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "empty or too long reference, a date in the future, an unknown body", body = crate::error::Problem, content_type = "application/problem+json"),
        Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn confirm(
    state: web::Data<AppState>,
    caller: Member,
    path: web::Path<i64>,
    body: web::Json<ConfirmPledge>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let now = chrono::Utc::now();
    let mut v = Validator::default();
    let reference = v.check("decision_ref", text::decision_ref(&body.decision_ref));
    let date = v.check("decision_date", council::decision_date(body.decision_date, now));
    let decided_by = v.check("decided_by", DecidedBy::parse(&body.decided_by));
    v.finish()?;
    let (Some(reference), Some(date), Some(decided_by)) = (reference, date, decided_by) else {
        return Err(ApiError::Internal(anyhow::anyhow!("validated field missing")));
    };
    let decision = Confirmation { reference, date, decided_by };
    respond(&state, caller, move |tx, caller| service::pledges::confirm(tx, caller, id, decision)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DropPledge {
    /// Why the pledge is removed; emailed to the organisation's users.
    #[schema(
        example = "Aucune décision du conseil depuis 90 jours ; le projet attend pour être approuvé.",
        min_length = 3,
        max_length = 2000
    )]
    pub reason: String,
}

/// Removes an organisation's provisional pledge (officers), with a reason.
///
/// For a pledge whose council does not decide (the officer's home lists those of funded
/// pools older than `MUTUA_COUNCIL_DAYS`), or an amount its organisation cannot undo any
/// more. Event `pledge.dropped`; email `pledge.dropped` to that organisation's users, in
/// their language, with the reason. A funded pool left below its threshold returns to
/// open (`pool.reopened`); an open pool left with no need and no pledge is cancelled
/// (`pool.emptied`). A confirmed pledge is its council's decision: 409.
#[utoipa::path(post, path = "/api/v1/pools/{id}/pledges/{organisation_id}/drop", tag = "decisions", request_body = DropPledge,
    params(("id" = i64, Path, description = "pool id"), ("organisation_id" = i64, Path, description = "the pledging organisation"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PoolResponse),
        NotOfficer,
        (status = 404, description = "unknown pool, or no pledge of that organisation on it", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the pledge is confirmed, or the pool is neither open nor funded", body = crate::error::Problem, content_type = "application/problem+json"),
        InvalidFields, Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn drop_pledge(
    state: web::Data<AppState>,
    caller: Officer,
    path: web::Path<(i64, i64)>,
    body: web::Json<DropPledge>,
) -> ApiResult<HttpResponse> {
    let (id, organisation_id) = path.into_inner();
    let reason = text::reason(&body.reason).map_err(|e| ApiError::invalid("reason", e))?;
    respond(&state, caller, move |tx, caller| service::pledges::drop(tx, caller, id, organisation_id, reason)).await
}

/// The refusal in the body of `DELETE …/pledge`, if the request has a body: `None` for a
/// plain withdrawal. A body that is there must be a valid refusal (else the JSON
/// extractor's 400, 413 or 422): it is never read as a plain withdrawal.
pub fn refusal(
    req: &HttpRequest,
    body: Result<web::Json<RefusePledge>, actix_web::Error>,
) -> Result<Option<Refusal>, actix_web::Error> {
    let headers = req.headers();
    let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    if length.unwrap_or(0) == 0 && !headers.contains_key(header::TRANSFER_ENCODING) {
        return Ok(None);
    }
    let body = body?.into_inner();
    let mut v = Validator::default();
    let reference = v.check("decision_ref", text::decision_ref(&body.decision_ref));
    let date = v.check("decision_date", council::decision_date(body.decision_date, chrono::Utc::now()));
    v.finish()?;
    let (Some(reference), Some(date)) = (reference, date) else {
        return Err(ApiError::Internal(anyhow::anyhow!("validated field missing")).into());
    };
    Ok(Some(Refusal { reference, date }))
}
