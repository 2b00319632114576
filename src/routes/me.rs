use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::organisations::{OrganisationResponse, UserResponse};
use crate::{
    auth::AuthUser,
    domain::{kinds::Locale, profile::ProfileChange},
    error::{ApiError, ApiResult},
    service,
    state::AppState,
};

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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMe {
    /// One's name, as others see it (1 to 200 characters). Left out: unchanged.
    #[schema(example = "Marie Dupont", min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// One's own language for pages and emails, overriding the organisation's: `fr`, `nl`,
    /// `de` or `en`. `null` goes back to the organisation's language; left out: unchanged.
    #[serde(default, deserialize_with = "super::pools::nullable")]
    #[schema(value_type = Option<Locale>, example = "nl")]
    pub locale: Option<Option<String>>,
}

/// Changes the caller's own name or language (give one or both).
///
/// The caller's pages and emails use the new language from the next one on; its tokens and
/// sessions hold. The answer is the caller as `GET /api/v1/me` shows it. The password changes
/// through `POST /api/v1/me/password`.
#[utoipa::path(patch, path = "/api/v1/me", tag = "auth", request_body = PatchMe, security(("bearer" = [])),
    responses(
        (status = 200, body = MeResponse),
        (status = 422, description = "a name that is empty or too long, an unknown language, or neither field", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::Unauthenticated, super::common::BodyProblems, super::common::RateLimited,
    ))]
pub async fn patch(state: web::Data<AppState>, caller: AuthUser, body: web::Json<PatchMe>) -> ApiResult<HttpResponse> {
    let PatchMe { name, locale } = body.into_inner();
    let change =
        ProfileChange::parse(name.as_deref(), locale.as_ref().map(Option::as_deref)).map_err(ApiError::Validation)?;
    let user_id = caller.id;
    let (u, o) = state
        .db
        .write(caller, move |tx, caller| {
            let user = service::users::set_profile(tx, caller, &change)?;
            Ok((user, service::organisations::visible(tx, caller, caller.organisation_id)?))
        })
        .await?;
    tracing::info!(user_id, "own name or language changed");
    Ok(HttpResponse::Ok().json(MeResponse { user: u.into(), organisation: o.into() }))
}

/// Signs the caller out everywhere: every API token of the caller (this one included) and
/// every web session stop working, on every process. Logging in again works as before.
///
/// The same as the "sign out everywhere" button of the `/account` page. Other users'
/// tokens and sessions hold.
#[utoipa::path(post, path = "/api/v1/me/sign-out-everywhere", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 204, description = "every token and session of the caller ended"),
        super::common::Unauthenticated, super::common::RateLimited,
    ))]
pub async fn sign_out_everywhere(state: web::Data<AppState>, caller: AuthUser) -> ApiResult<HttpResponse> {
    let user_id = caller.id;
    state.db.write(caller, service::accounts::sign_out_everywhere).await?;
    tracing::info!(user_id, "signed out everywhere");
    Ok(HttpResponse::NoContent().finish())
}
