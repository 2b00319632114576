use actix_web::{HttpRequest, HttpResponse, http::header, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::password,
    client_address,
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

/// The longest email address the standard allows (RFC 5321, as corrected by RFC 3696
/// erratum 1690): no account has a longer one.
const MAX_EMAIL_BYTES: usize = 254;
/// Passwords are at most 256 characters (`password::check_policy`): no account has a longer
/// one.
const MAX_PASSWORD_BYTES: usize = 1024;

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
    // Before any state: no limiter key, no database read, for input no account can match.
    let email = email.trim();
    if email.len() > MAX_EMAIL_BYTES {
        return Err(ApiError::invalid("email", format!("must be at most {MAX_EMAIL_BYTES} bytes")));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::invalid("password", format!("must be at most {MAX_PASSWORD_BYTES} bytes")));
    }
    let email = email.to_lowercase();
    let address = client_address::of(&req);
    state.login_throttle.check(&email, address)?;
    let lookup = email.clone();
    let found = state.db.read(System, move |tx, _| service::users::by_email(tx, &lookup)).await?;
    let (throttle, account) = (state.clone(), email.clone());
    // Hash verification is CPU work of tens of milliseconds: off the executor.
    let verified = password::off_executor(move || {
        // Again once a hashing slot is ours: failures recorded while this request waited
        // count, so a burst of concurrent guesses is not all let through.
        throttle.login_throttle.check(&account, address)?;
        Ok::<_, ApiError>(match found {
            Some(u) if password::verify(&password, &u.password_hash) && !u.disabled => Some(u),
            Some(_) => None,
            None => {
                password::verify_against_dummy(&password);
                None
            }
        })
    })
    .await??;
    let Some(user) = verified else {
        state.login_throttle.failed(&email, address);
        return Err(ApiError::Unauthenticated);
    };
    state.login_throttle.succeeded(&email);
    let token = state.jwt.issue(&user)?;
    tracing::info!(user_id = user.id, "login");
    // A token: never cached, and never kept for an idempotent replay.
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl().as_secs(),
    }))
}
