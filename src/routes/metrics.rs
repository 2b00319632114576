//! `GET /metrics`: the Prometheus text exposition of [`crate::metrics`]. Unauthenticated,
//! like `/health`: it says how the service runs, nothing about who uses it.

use actix_web::{HttpResponse, get, web};

use crate::{
    error::ApiError,
    metrics::{CONTENT_TYPE, Scrape},
    state::AppState,
};

/// Operator metrics in the Prometheus text format (0.0.4); see docs/OPERATIONS.md. Answers
/// 200 even when the database does not: its families are then left out and `db_up` is 0.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "the metrics", body = String,
        content_type = "text/plain; version=0.0.4; charset=utf-8", example = "db_up 1")))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let scrape = Scrape::take(&state.db, state.matcher.indexed_needs()).await;
    let text = state.metrics.encode(&scrape).map_err(|e| ApiError::Internal(anyhow::anyhow!("metrics: {e}")))?;
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).body(text))
}
