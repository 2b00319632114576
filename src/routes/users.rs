//! Disabling users and giving them roles (officers, and managers in their own
//! organisation), and changing one's own password. Both end the user's
//! sessions: tokens carry the user's `token_version`, which both bump.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    auth::TokenResponse,
    common::{BodyProblems, RateLimited, Unauthenticated},
    organisations::UserResponse,
};
use crate::{
    auth::{AuthUser, UserAdmin, login},
    domain::kinds::Role,
    error::{ApiError, ApiResult},
    service,
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    /// A disabled user cannot log in, and its tokens stop working at once.
    #[schema(example = true)]
    pub disabled: Option<bool>,
    /// `member` or `manager` (given by an officer or the organisation's manager);
    /// `officer` only by an officer, in the central purchasing organisation. The user's
    /// tokens stop working at once.
    pub role: Option<Role>,
}

/// Disables or re-enables a user, or gives it another role: an officer any user, a
/// manager the users of its own organisation (another's are 404 to it). Nobody disables
/// itself or changes its own role.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "organisations", request_body = PatchUser,
    params(("id" = i64, Path, description = "user id")), security(("bearer" = [])),
    responses(
        (status = 200, body = UserResponse),
        (status = 403, description = "a plain member, or a manager giving the role officer", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown user, or one of another organisation (managers)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid fields, disabling oneself or changing one's own role, a role the organisation does not allow, or nothing to change", body = crate::error::Problem, content_type = "application/problem+json"),
        Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn patch(
    state: web::Data<AppState>,
    caller: UserAdmin,
    path: web::Path<i64>,
    body: web::Json<PatchUser>,
) -> ApiResult<HttpResponse> {
    let (id, PatchUser { disabled, role }) = (path.into_inner(), body.into_inner());
    if disabled.is_none() && role.is_none() {
        return Err(ApiError::invalid("disabled", "give disabled, role or both"));
    }
    let by = caller.id;
    let updated = state
        .db
        .write(caller, move |tx, caller| {
            let mut user = service::users::managed(tx, caller, id)?;
            if let Some(role) = role {
                user = service::users::set_role(tx, caller, id, role)?;
            }
            if let Some(disabled) = disabled {
                user = service::users::set_disabled(tx, caller, id, disabled)?;
            }
            Ok(user)
        })
        .await?;
    tracing::info!(user_id = id, ?disabled, ?role, by, "user access changed");
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
    // Two units of work around the password work, which takes tens of milliseconds of a
    // core and must hold neither a connection nor the writer. Changing the password bumps
    // the token version, so a change made by another request in between makes the second
    // unit answer 401 rather than overwrite it.
    let user_id = caller.id;
    let current = state.db.read(caller.clone(), service::users::me).await?;
    let hash = login::new_password_hash(&state.login_throttle, &req, current, current_password, new_password).await?;
    let updated = state.db.write(caller, move |tx, caller| service::users::set_password(tx, caller, &hash)).await?;
    tracing::info!(user_id, "password changed");
    // A token: never cached, and never kept for an idempotent replay.
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenResponse {
        access_token: state.jwt.issue(&updated)?,
        token_type: "Bearer",
        expires_in: state.jwt.ttl().as_secs(),
    }))
}

/// Sends an invited user a new invitation (officers; an organisation's manager for its own
/// users): one email `user.invited` with a new link, valid 7 days; every earlier link of the
/// user stops working. 409 when the user is not `invited` (it chose its password, or is
/// disabled).
#[utoipa::path(post, path = "/api/v1/users/{id}/invite", tag = "organisations",
    params(("id" = i64, Path, description = "user id")), security(("bearer" = [])),
    responses(
        (status = 202, description = "the invitation is queued", body = UserResponse),
        (status = 403, description = "a plain member", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown user, or one of another organisation (managers)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the user is not invited", body = crate::error::Problem, content_type = "application/problem+json"),
        Unauthenticated, RateLimited,
    ))]
pub async fn invite(state: web::Data<AppState>, caller: UserAdmin, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let by = caller.id;
    let invited = state.db.write(caller, move |tx, caller| service::accounts::invite(tx, caller, id)).await?;
    tracing::info!(user_id = id, by, "invitation sent again");
    Ok(HttpResponse::Accepted().json(UserResponse::from(invited)))
}
