//! The outbox as officers see it: what is pending, sent, or dead, and requeuing the dead.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{NotOfficer, Page, PageQuery, Unauthenticated, utc};
use crate::{
    auth::Officer,
    db::models::outbox::OutboxRow,
    domain::kinds::OutboxStatus,
    error::{ApiResult, Validator},
    service,
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct OutboxEmail {
    #[schema(example = 15)]
    pub id: i64,
    #[schema(example = 41)]
    pub event_id: i64,
    #[schema(example = super::common::event_type_example)]
    pub event_type: String,
    #[schema(example = 2)]
    pub recipient_user_id: i64,
    #[schema(example = "echevin@namur.be")]
    pub recipient_email: String,
    pub status: OutboxStatus,
    #[schema(example = 8)]
    pub attempts: i32,
    #[schema(example = "2026-03-03T11:40:00Z")]
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    #[schema(example = "permanent error (550): 5.1.1 mailbox unavailable")]
    pub last_error: Option<String>,
    #[schema(example = "2026-03-03T11:02:00Z")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[schema(example = json!(null))]
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<OutboxRow> for OutboxEmail {
    fn from(r: OutboxRow) -> Self {
        Self {
            id: r.id,
            event_id: r.event_id,
            event_type: r.event_type,
            recipient_user_id: r.recipient_user_id,
            recipient_email: r.recipient_email,
            status: r.status,
            attempts: r.attempts,
            next_attempt_at: utc(r.next_attempt_at),
            last_error: r.last_error,
            created_at: utc(r.created_at),
            sent_at: r.sent_at.map(utc),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// `pending`, `sent` or `dead` (default `dead`).
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Emails by status (officers).
///
/// By default the dead ones, which a mail server refused for good and which wait for an
/// officer.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "operations", params(OutboxQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = Page<OutboxEmail>),
        NotOfficer, super::common::InvalidFilters, Unauthenticated,
    ))]
pub async fn list(
    state: web::Data<AppState>,
    caller: Officer,
    query: web::Query<OutboxQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let mut v = Validator::default();
    let (limit, offset) = PageQuery { limit: query.limit, offset: query.offset }.parse(&mut v);
    let status = match query.status.as_deref() {
        None => Some(OutboxStatus::Dead),
        Some(raw) => v.check("status", OutboxStatus::parse(raw)),
    };
    v.finish()?;
    let status = status.unwrap_or(OutboxStatus::Dead);
    let (items, total) = state
        .db
        .read(caller, move |tx, caller| service::outbox::list(tx, caller.into(), status, limit, offset))
        .await?;
    Ok(HttpResponse::Ok().json(Page { items: items.into_iter().map(OutboxEmail::from).collect(), total }))
}

/// Puts a dead email back in the queue (officers), due now.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/requeue", tag = "operations",
    params(("id" = i64, Path, description = "outbox email id")), security(("bearer" = [])),
    responses(
        (status = 200, description = "queued again"),
        NotOfficer,
        (status = 404, description = "no dead email with this id", body = crate::error::Problem, content_type = "application/problem+json"),
        Unauthenticated, super::common::RateLimited,
    ))]
pub async fn requeue(state: web::Data<AppState>, caller: Officer, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    state.db.write(caller, move |tx, caller| service::outbox::requeue(tx, caller.into(), id)).await?;
    tracing::info!(outbox_id = id, "dead email requeued");
    Ok(HttpResponse::Ok().json(serde_json::json!({"id": id, "status": "pending"})))
}
