use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::organisations::{OrganisationResponse, UserResponse};
use crate::{auth::AuthUser, error::ApiResult, service, state::AppState};

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserResponse,
    pub organisation: OrganisationResponse,
}

/// The caller and its organisation.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = MeResponse),
        super::common::Unauthenticated,
    ))]
pub async fn me(state: web::Data<AppState>, caller: AuthUser) -> ApiResult<HttpResponse> {
    let (u, o) = state
        .db
        .read(caller, |tx, caller| {
            Ok((service::users::me(tx, caller)?, service::organisations::visible(tx, caller, caller.organisation_id)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(MeResponse { user: u.into(), organisation: o.into() }))
}
