use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::password,
    db::System,
    error::{ApiError, ApiResult},
    service,
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
/// An unknown email and a wrong password get the same answer, in about the same time.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "unknown email or wrong password", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid fields", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many failed logins for this account or address", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::BodyProblems,
    ))]
#[post("/api/v1/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let LoginRequest { email, password } = body.into_inner();
    let email = email.trim().to_lowercase();
    let address = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    state.login_throttle.check(&email, &address)?;
    if email.len() > 254 || password.len() > 1024 {
        state.login_throttle.failed(&email, &address);
        return Err(ApiError::Unauthenticated);
    }
    let lookup = email.clone();
    let found = state.db.read(System, move |tx, _| service::users::by_email(tx, &lookup)).await?;
    // Hash verification is CPU work of tens of milliseconds: off the executor.
    let verified = password::off_executor(move || match found {
        Some(u) if password::verify(&password, &u.password_hash) && !u.disabled => Some(u),
        Some(_) => None,
        None => {
            password::verify_against_dummy(&password);
            None
        }
    })
    .await?;
    let Some(user) = verified else {
        state.login_throttle.failed(&email, &address);
        return Err(ApiError::Unauthenticated);
    };
    let token = state.jwt.issue(&user)?;
    tracing::info!(user_id = user.id, "login");
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl().as_secs(),
    }))
}
