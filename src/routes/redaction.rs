//! `POST /api/v1/pools/{id}/redact` (officers): a pool's text replaced in every stored
//! copy and every publication (see [`crate::service::redaction`]).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    common::{BodyProblems, InvalidFields, NotOfficer, RateLimited, Unauthenticated, UnknownPool},
    pool_actions::respond,
    pools::PoolResponse,
};
use crate::{
    auth::Officer,
    error::ApiResult,
    service::{self, redaction::RedactInput},
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedactRequest {
    /// The title that replaces every title the pool had.
    #[schema(example = "Gestion des concessions du cimetière", min_length = 3, max_length = 200)]
    pub title: Option<String>,
    /// The description that replaces every description the pool had.
    #[schema(example = "Registre numérique des concessions.", max_length = 10000)]
    pub description: Option<String>,
    /// Why (published with the redaction; must hold no personal data itself).
    #[schema(example = "Adresse e-mail personnelle retirée à la demande de la personne concernée")]
    pub reason: String,
}

/// Replaces a pool's title or description everywhere it is stored and published
/// (officers): the pool, its needs, its events, every OCDS release and record from now on
/// (ids unchanged). The event `pool.redacted` records who, when and why, never the old
/// text; the export publishes it as a release with a `tender.amendments` entry.
#[utoipa::path(post, path = "/api/v1/pools/{id}/redact", tag = "decisions", request_body = RedactRequest,
    params(("id" = i64, Path, description = "pool id")), security(("bearer" = [])),
    responses(
        (status = 200, body = PoolResponse),
        NotOfficer, UnknownPool, InvalidFields, Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn redact(
    state: web::Data<AppState>,
    caller: Officer,
    path: web::Path<i64>,
    body: web::Json<RedactRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let body = body.into_inner();
    let input = RedactInput::parse(body.title.as_deref(), body.description.as_deref(), &body.reason)?;
    let app = state.clone();
    respond(&state, caller, move |tx, caller| service::redaction::redact(tx, &app.matcher, caller, id, input)).await
}
