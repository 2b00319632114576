use actix_web::{HttpResponse, get, web};

use crate::{
    db::{self, System},
    error::ApiError,
    state::AppState,
};

/// The process is up.
#[utoipa::path(get, path = "/health", tag = "operations",
    responses((status = 200, description = "the process runs", body = String, content_type = "text/plain", example = "ok")))]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database answers.
#[utoipa::path(get, path = "/ready", tag = "operations",
    responses(
        (status = 200, description = "the database answers", body = String, content_type = "text/plain", example = "ready"),
        (status = 503, description = "the database does not answer", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.db.read(System, |tx, _| db::ping(tx).map_err(|_| ApiError::Unavailable)).await?;
    Ok(HttpResponse::Ok().content_type("text/plain").body("ready"))
}
