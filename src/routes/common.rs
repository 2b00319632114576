//! Shapes shared by several routes: pagination, timestamps, and the problem responses that
//! several operations declare in the OpenAPI document (declared once here, named by what
//! they say).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    domain::events::EventKind,
    error::{ApiResult, Validator},
};

/// The largest page a client may ask for.
pub const MAX_PAGE: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    pub offset: Option<i64>,
}

impl PageQuery {
    /// `(limit, offset)`, or 422 when out of range.
    pub fn parse(&self, v: &mut Validator) -> (i64, i64) {
        let limit = self.limit.unwrap_or(50);
        let offset = self.offset.unwrap_or(0);
        if !(1..=MAX_PAGE).contains(&limit) {
            v.push("limit", format!("must be between 1 and {MAX_PAGE}"));
        }
        if !(0..=1_000_000_000).contains(&offset) {
            v.push("offset", "must be between 0 and 1000000000");
        }
        (limit, offset)
    }

    pub fn checked(&self) -> ApiResult<(i64, i64)> {
        let mut v = Validator::default();
        let page = self.parse(&mut v);
        v.finish()?;
        Ok(page)
    }
}

/// A page of results and how many there are in all.
#[derive(Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// How many items match, across all pages.
    #[schema(example = 1)]
    pub total: i64,
}

/// A stored timestamp (UTC without zone) as an RFC 3339 instant.
pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// The example event type of the OpenAPI document (a funding), named by the enum.
pub fn event_type_example() -> &'static str {
    EventKind::PoolFunded.as_str()
}

/// 401, shared by every route that needs a token (for `#[utoipa::path(responses(...))]`).
#[derive(utoipa::IntoResponses)]
#[response(status = 401, description = "no valid token", content_type = "application/problem+json")]
pub struct Unauthenticated(#[allow(dead_code)] crate::error::Problem);

/// What can go wrong with any JSON request body: 400 and 413.
#[derive(utoipa::IntoResponses)]
pub enum BodyProblems {
    #[response(status = 400, description = "malformed JSON", content_type = "application/problem+json")]
    Malformed(#[allow(dead_code)] crate::error::Problem),
    #[response(status = 413, description = "body too large", content_type = "application/problem+json")]
    TooLarge(#[allow(dead_code)] crate::error::Problem),
}

/// 429, shared by every state-changing route (the per-user write limit).
#[derive(utoipa::IntoResponses)]
#[response(status = 429, description = "rate limited", content_type = "application/problem+json")]
pub struct RateLimited(#[allow(dead_code)] crate::error::Problem);

/// 403 for a route reserved to officers.
#[derive(utoipa::IntoResponses)]
#[response(status = 403, description = "not an officer", content_type = "application/problem+json")]
pub struct NotOfficer(#[allow(dead_code)] crate::error::Problem);

/// 403 for a pledge by an officer.
#[derive(utoipa::IntoResponses)]
#[response(status = 403, description = "officers do not pledge", content_type = "application/problem+json")]
pub struct OfficersDoNotPledge(#[allow(dead_code)] crate::error::Problem);

/// 404 for a pool id that names none.
#[derive(utoipa::IntoResponses)]
#[response(status = 404, description = "unknown pool", content_type = "application/problem+json")]
pub struct UnknownPool(#[allow(dead_code)] crate::error::Problem);

/// 404 for a need that does not exist or belongs to another organisation.
#[derive(utoipa::IntoResponses)]
#[response(status = 404, description = "unknown, or another organisation's", content_type = "application/problem+json")]
pub struct NotYourNeed(#[allow(dead_code)] crate::error::Problem);

/// 404 for an organisation a member may not see.
#[derive(utoipa::IntoResponses)]
#[response(status = 404, description = "unknown, or another organisation", content_type = "application/problem+json")]
pub struct NotYourOrganisation(#[allow(dead_code)] crate::error::Problem);

/// 422 naming each invalid field of a body.
#[derive(utoipa::IntoResponses)]
#[response(status = 422, description = "invalid fields", content_type = "application/problem+json")]
pub struct InvalidFields(#[allow(dead_code)] crate::error::Problem);

/// 422 naming each invalid query parameter.
#[derive(utoipa::IntoResponses)]
#[response(status = 422, description = "invalid filters", content_type = "application/problem+json")]
pub struct InvalidFilters(#[allow(dead_code)] crate::error::Problem);

/// 422 for `limit` or `offset` out of range.
#[derive(utoipa::IntoResponses)]
#[response(status = 422, description = "invalid paging", content_type = "application/problem+json")]
pub struct InvalidPaging(#[allow(dead_code)] crate::error::Problem);

/// 422 for an `Idempotency-Key` sent again with another request (routes without a body).
#[derive(utoipa::IntoResponses)]
#[response(
    status = 422,
    description = "Idempotency-Key reused for another request",
    content_type = "application/problem+json"
)]
pub struct KeyReused(#[allow(dead_code)] crate::error::Problem);
