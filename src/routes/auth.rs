use actix_web::{HttpRequest, HttpResponse, http::header, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::login::check_credentials,
    client_address,
    domain::email::Email,
    error::{ApiError, ApiResult},
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "echevin@namur.be", max_length = 254)]
    pub email: String,
    #[schema(example = "correct horse battery staple", max_length = 256)]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer <access_token>`.
    #[schema(
        example = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIyIiwiaWF0IjoxNzcyNDQyOTAwLCJleHAiOjE3NzI0NDY1MDAsImlzcyI6Im11dHVhIiwiYXVkIjoibXV0dWEtYXBpIiwidmVyIjowfQ.3q2xJ0x2q7w8d9h1-example-signature"
    )]
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the token expires.
    #[schema(example = 3600)]
    pub expires_in: u64,
}

/// Exchanges an email and password for an access token.
///
/// An unknown email and a wrong password get the same answer, in about the same time. An
/// email or password longer than any account can have is 422, before anything is counted or
/// read. Repeated failures from one address, or on one account from one address, answer 429;
/// so do repeated successes on one account.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse, headers(("Cache-Control" = String, description = "no-store"))),
        (status = 401, description = "unknown email or wrong password", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "an email or password longer than any account's", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many failed logins from this address, or on this account from this address, or too many logins of this account", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::BodyProblems,
    ))]
#[post("/api/v1/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let LoginRequest { email, password } = body.into_inner();
    let user = check_credentials(&state.db, &state.login_throttle, &req, &email, password).await?;
    let token = state.jwt.issue(&user)?;
    tracing::info!(user_id = user.id, "login");
    // A token: never cached, and never kept for an idempotent replay.
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl().as_secs(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(example = "echevin@namur.be", max_length = 254)]
    pub email: String,
}

/// The one answer to a password reset request, whatever the address.
#[derive(Serialize, ToSchema)]
pub struct PasswordResetAccepted {
    #[schema(
        example = "If an active account has this address, an email with a link to choose a new password is on its way. The link works once, for 60 minutes."
    )]
    pub detail: &'static str,
}

/// "Password forgotten": emails a link to choose a new password.
///
/// Always 202 with the same body, in the same time, whether or not the address has an
/// account: the answer says nothing about who has one. An active account gets one email
/// `user.password_reset` with a link valid 60 minutes, usable once; using it ends every
/// session and token of the account. Requests beyond a few per client address, or three
/// emails an hour per account, still answer 202 and send nothing.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = PasswordResetRequest,
    responses(
        (status = 202, body = PasswordResetAccepted),
        (status = 422, description = "not an email address", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::BodyProblems,
    ))]
#[post("/api/v1/auth/password-reset")]
pub async fn password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let email = Email::parse(&body.email).map_err(|e| ApiError::invalid("email", e))?;
    state.clone().into_inner().request_password_reset(email, client_address::of(&req));
    Ok(HttpResponse::Accepted().json(PasswordResetAccepted { detail: RESET_ANSWER }))
}

/// What a reset request is told, whatever happens.
const RESET_ANSWER: &str = "If an active account has this address, an email with a link to choose a new password \
     is on its way. The link works once, for 60 minutes.";
