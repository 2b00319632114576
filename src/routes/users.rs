//! Disabling users (officers) and changing one's own password. Both end the user's
//! sessions: tokens carry the user's `token_version`, which both bump.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    auth::TokenResponse,
    common::{BodyProblems, NotOfficer, RateLimited, Unauthenticated},
    organisations::UserResponse,
};
use crate::{
    auth::{AuthUser, Officer, password},
    client_address,
    error::{ApiError, ApiResult},
    service,
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    /// A disabled user cannot log in, and its tokens stop working at once.
    #[schema(example = true)]
    pub disabled: bool,
}

/// Disables or re-enables a user (officers). An officer cannot disable itself.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "organisations", request_body = PatchUser,
    params(("id" = i64, Path, description = "user id")), security(("bearer" = [])),
    responses(
        (status = 200, body = UserResponse),
        NotOfficer,
        (status = 404, description = "unknown user", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid fields, or disabling oneself", body = crate::error::Problem, content_type = "application/problem+json"),
        Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Officer,
    path: web::Path<i64>,
    body: web::Json<PatchUser>,
) -> ApiResult<HttpResponse> {
    let (id, disabled) = (path.into_inner(), body.disabled);
    let by = caller.id;
    let updated =
        state.db.write(caller, move |tx, caller| service::users::set_disabled(tx, caller, id, disabled)).await?;
    tracing::info!(user_id = id, disabled, by, "user access changed");
    Ok(HttpResponse::Ok().json(UserResponse::from(updated)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[schema(example = "correct horse battery staple")]
    pub current_password: String,
    /// At least 12 characters.
    #[schema(example = "une phrase de passe plus longue", min_length = 12, max_length = 256)]
    pub new_password: String,
}

/// Changes the caller's password.
///
/// Every token issued before stops working; the answer carries a new one. A wrong
/// `current_password` counts as a failed login of the account from the caller's address:
/// repeated, it answers 429, so a stolen token is no way to guess the password.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = ChangePassword, security(("bearer" = [])),
    responses(
        (status = 200, body = TokenResponse, headers(("Cache-Control" = String, description = "no-store"))),
        (status = 422, description = "wrong current password, or a new one that breaks the rules", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many wrong current passwords, failed logins, or requests", body = crate::error::Problem, content_type = "application/problem+json"),
        Unauthenticated, BodyProblems,
    ))]
pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: AuthUser,
    body: web::Json<ChangePassword>,
) -> ApiResult<HttpResponse> {
    let ChangePassword { current_password, new_password } = body.into_inner();
    password::check_policy(&new_password).map_err(|e| ApiError::invalid("new_password", e))?;
    // Two units of work around the password work, which takes tens of milliseconds of a
    // core and must hold neither a connection nor the writer. Changing the password bumps
    // the token version, so a change made by another request in between makes the second
    // unit answer 401 rather than overwrite it.
    let user_id = caller.id;
    let current = state.db.read(caller.clone(), service::users::me).await?;
    let (account, address) = (current.email.clone(), client_address::of(&req));
    state.login_throttle.check(&account, address)?;
    let (throttle, checked) = (state.clone(), account.clone());
    let hash = password::off_executor(move || {
        throttle.login_throttle.check(&checked, address)?;
        if current.password_hash.as_deref().is_some_and(|h| password::verify(&current_password, h)) {
            password::hash(&new_password).map(Some).map_err(ApiError::from)
        } else {
            Ok(None)
        }
    })
    .await??;
    let Some(hash) = hash else {
        state.login_throttle.failed(&account, address);
        return Err(ApiError::invalid("current_password", "is not your current password"));
    };
    state.login_throttle.succeeded(&account);
    let updated = state.db.write(caller, move |tx, caller| service::users::set_password(tx, caller, &hash)).await?;
    tracing::info!(user_id, "password changed");
    // A token: never cached, and never kept for an idempotent replay.
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenResponse {
        access_token: state.jwt.issue(&updated)?,
        token_type: "Bearer",
        expires_in: state.jwt.ttl().as_secs(),
    }))
}
