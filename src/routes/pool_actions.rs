//! What changes a pool: pledges (members) and the officers' decisions and procurement steps.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    common::{BodyProblems, KeyReused, NotOfficer, OfficersDoNotPledge, RateLimited, Unauthenticated, UnknownPool},
    pools::PoolResponse,
};
use crate::{
    auth::{Member, Officer},
    db::{Caller, WriteTx, models::pool::Pool},
    domain::{delivery, money::Cents, text},
    error::{ApiError, ApiResult, Validator},
    service::{self, pool_view, pools::Step},
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PledgeRequest {
    /// The most the organisation will pay, in euro cents.
    #[schema(example = 3000000, minimum = 1, maximum = 1000000000000_i64)]
    pub amount_cents: i64,
}

/// Runs a pool change for `caller` in one unit of work and answers with the pool as it is
/// after.
pub(super) async fn respond<C: Caller>(
    state: &AppState,
    caller: C,
    change: impl FnOnce(&mut WriteTx, &C) -> ApiResult<Pool> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let view = state
        .db
        .write(caller, move |tx, caller| {
            let pool = change(tx, caller)?;
            pool_view::with_participants(tx, pool)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PoolResponse::from(view)))
}

/// Creates or changes the caller's organisation's pledge.
///
/// At most the pool's `target_cents` (422 naming `amount_cents`, with the cost); a pool whose
/// cost is not set takes none (409 `/problems/no-target`). While the pool is open, any
/// amount; while it is funded, until approved, a new or higher pledge (a latecomer: no
/// one's share rises), and a lower one only within 60 minutes of setting the pledge, while
/// it is provisional (a correction: event `pledge.corrected`; the pool reopens if it falls
/// below its threshold). For 24 hours after its council refused its pledge to this pool:
/// 409 `/problems/cooling-off` with `Retry-After`.
#[utoipa::path(put, path = "/api/v1/pools/{id}/pledge", tag = "pledges", request_body = PledgeRequest,
    params(("id" = i64, Path, description = "pool id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PoolResponse),
        OfficersDoNotPledge, UnknownPool,
        (status = 409, description = "the pool is neither open nor funded, a funded pool's pledge lowered after its \
            correction hour (`/problems/wrong-state`), the pool's cost is not set (`/problems/no-target`), or the \
            organisation's council refused its pledge less than a day ago (`/problems/cooling-off`)",
            body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/no-target", "title": "The pool has no cost yet", "status": 409,
                "detail": "the cost of this pool is not set yet: an officer sets it, then organisations pledge"})),
        (status = 422, description = "amount out of range, or above the pool's cost", body = crate::error::Problem,
            content_type = "application/problem+json",
            example = json!({"type": "/problems/validation", "title": "Invalid request", "status": 422,
                "detail": "some fields are invalid",
                "errors": [{"field": "amount_cents", "message": "a pledge is at most the pool's cost, 4500000 cents (€45,000.00)"}]})),
        Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn put_pledge(
    state: web::Data<AppState>,
    caller: Member,
    path: web::Path<i64>,
    body: web::Json<PledgeRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let amount = Cents::positive(body.amount_cents).map_err(|e| ApiError::invalid("amount_cents", e))?;
    respond(&state, caller, move |tx, caller| service::pledges::set(tx, caller, id, amount)).await
}

/// Withdraws the caller's organisation's pledge; with a body, records its council's refusal.
///
/// Without a body: a plain withdrawal while the pool is open, or within 60 minutes of setting
/// a provisional pledge while the pool is funded (a correction: `pledge.corrected`; the pool
/// reopens below its threshold). An open pool left with no need and no pledge is cancelled
/// (`pool.emptied`). With a council's refusal
/// (`{decision_ref, decision_date}`): withdraws a provisional pledge of an open or funded
/// pool; a funded pool left below its threshold returns to open (`pool.reopened`, emailed
/// to every participant and officer). A confirmed pledge cannot be refused.
#[utoipa::path(delete, path = "/api/v1/pools/{id}/pledge", tag = "pledges",
    request_body(content = Option<super::council::RefusePledge>, description = "a council's refusal; no body for a plain withdrawal"),
    params(("id" = i64, Path, description = "pool id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PoolResponse),
        OfficersDoNotPledge,
        (status = 404, description = "unknown pool, or no pledge of yours on it", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "without a body, the pool is not open, nor funded within the pledge's correction hour; with a refusal, the pool is neither open nor funded, or the pledge is confirmed", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "an invalid refusal, or an Idempotency-Key reused for another request", body = crate::error::Problem, content_type = "application/problem+json"),
        Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn delete_pledge(
    state: web::Data<AppState>,
    caller: Member,
    path: web::Path<i64>,
    req: HttpRequest,
    body: Result<web::Json<super::council::RefusePledge>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    let id = path.into_inner();
    let response = match super::council::refusal(&req, body)? {
        None => respond(&state, caller, move |tx, caller| service::pledges::withdraw(tx, caller, id)).await,
        Some(refusal) => {
            respond(&state, caller, move |tx, caller| service::pledges::refuse(tx, caller, id, refusal)).await
        }
    };
    Ok(response?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    #[schema(example = "Le besoin est couvert par le marché régional en cours.", min_length = 3, max_length = 2000)]
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardRequest {
    #[schema(example = "Coopérative Logiciels Libres SCRL", min_length = 1, max_length = 200)]
    pub supplier: String,
    /// The amount of the awarded contract, in euro cents.
    #[schema(example = 5800000, minimum = 1, maximum = 1000000000000_i64)]
    pub amount_cents: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverRequest {
    /// Where the published source code lives (http or https).
    #[schema(example = "https://git.example.be/mutua/cimetiere")]
    pub repository_url: String,
    /// The SPDX identifier of its free-software licence (GPL family or EUPL-1.2).
    #[schema(example = "GPL-3.0-or-later")]
    pub licence: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The pool that receives this pool's needs and pledges.
    #[schema(example = 7)]
    pub into_pool_id: i64,
}

/// Approves a funded pool. No body.
///
/// Refused (409) while anything blocks it, and the problem names everything that does, in
/// two members always present: `organisations`, the participants whose share is above 0
/// and whose pledge is still provisional (their councils have not decided), and
/// `duplicates`, the likely duplicate pools no officer has reviewed. Its type is
/// `/problems/unreviewed-duplicates` when a duplicate blocks, else
/// `/problems/unconfirmed-pledges`.
#[utoipa::path(post, path = "/api/v1/pools/{id}/approve", tag = "decisions",
    params(("id" = i64, Path, description = "pool id"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PoolResponse),
        NotOfficer, UnknownPool,
        (status = 409, description = "the pool is not funded (`/problems/wrong-state`), or its approval is blocked \
            (`/problems/unconfirmed-pledges`, `/problems/unreviewed-duplicates`)",
            body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/unconfirmed-pledges", "title": "Pledges not confirmed", "status": 409,
                "detail": "the approval waits for the council decisions of organisations 3, 5",
                "organisations": [3, 5], "duplicates": []})),
        KeyReused, Unauthenticated, RateLimited,
    ))]
pub async fn approve(state: web::Data<AppState>, caller: Officer, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    respond(&state, caller, move |tx, caller| service::pools::step(tx, caller, id, Step::Approve)).await
}

macro_rules! officer_step {
    // A step whose body is parsed into the `Step` by `|body| …`.
    ($name:ident, $path:literal, $summary:literal, $body:ty, $conflict:literal, |$b:ident| $step:expr) => {
        #[doc = $summary]
        #[utoipa::path(post, path = $path, tag = "decisions", request_body = $body,
            params(("id" = i64, Path, description = "pool id"),
                ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
            security(("bearer" = [])),
            responses(
                (status = 200, body = PoolResponse),
                NotOfficer, UnknownPool,
                (status = 409, description = $conflict, body = crate::error::Problem, content_type = "application/problem+json"),
                super::common::InvalidFields, Unauthenticated, BodyProblems, RateLimited,
            ))]
        pub async fn $name(
            state: web::Data<AppState>,
            caller: Officer,
            path: web::Path<i64>,
            body: web::Json<$body>,
        ) -> ApiResult<HttpResponse> {
            let id = path.into_inner();
            let $b = body.into_inner();
            let step: Step = $step?;
            respond(&state, caller, move |tx, caller| service::pools::step(tx, caller, id, step)).await
        }
    };
}

officer_step!(
    reject,
    "/api/v1/pools/{id}/reject",
    "Rejects a funded pool, with a reason.",
    ReasonRequest,
    "the pool is not funded",
    |b| text::reason(&b.reason).map(|reason| Step::Reject { reason }).map_err(|e| ApiError::invalid("reason", e))
);
officer_step!(
    cancel,
    "/api/v1/pools/{id}/cancel",
    "Cancels a pool before its award, with a reason.",
    ReasonRequest,
    "the pool is awarded or ended",
    |b| text::reason(&b.reason).map(|reason| Step::Cancel { reason }).map_err(|e| ApiError::invalid("reason", e))
);
officer_step!(
    award,
    "/api/v1/pools/{id}/award",
    "Records the award of an approved pool's contract.",
    AwardRequest,
    "the pool is not approved",
    |b| {
        let mut v = Validator::default();
        let supplier = v.check("supplier", text::name(&b.supplier));
        let amount = v.check("amount_cents", Cents::positive(b.amount_cents));
        v.finish()
            .map(|()| Step::Award { supplier: supplier.unwrap_or_default(), amount_cents: amount.unwrap_or_default() })
    }
);
officer_step!(
    deliver,
    "/api/v1/pools/{id}/deliver",
    "Records the delivery of an awarded pool's software.",
    DeliverRequest,
    "the pool is not awarded",
    |b| {
        let mut v = Validator::default();
        let url = v.check("repository_url", delivery::repository_url(&b.repository_url));
        let licence = v.check("licence", delivery::licence(&b.licence));
        v.finish()
            .map(|()| Step::Deliver { repository_url: url.unwrap_or_default(), licence: licence.unwrap_or_default() })
    }
);

/// Merges this pool into another (officers).
///
/// Its needs and pledges move; an organisation that pledged to both keeps the larger
/// pledge. Returns the surviving pool. The organisations whose needs moved get an email
/// `pool.merged` linking to it. Only an open pool moves: a funded or approved one is 409
/// `/problems/wrong-state` with its `state` (merge the other way).
#[utoipa::path(post, path = "/api/v1/pools/{id}/merge", tag = "decisions", request_body = MergeRequest,
    params(("id" = i64, Path, description = "the pool merged away"),
        ("Idempotency-Key" = Option<String>, Header, description = "replays the first response for the same key and body")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PoolResponse),
        NotOfficer, UnknownPool,
        (status = 409, description = "the pool that would move is funded or approved, or the other is past funding", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "unknown target or the same pool", body = crate::error::Problem, content_type = "application/problem+json"),
        Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn merge(
    state: web::Data<AppState>,
    caller: Officer,
    path: web::Path<i64>,
    body: web::Json<MergeRequest>,
) -> ApiResult<HttpResponse> {
    let (from, into) = (path.into_inner(), body.into_pool_id);
    let app = state.clone();
    respond(&state, caller, move |tx, caller| service::pools::merge(tx, &app.matcher, caller, from, into)).await
}
