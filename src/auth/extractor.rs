//! Extractors: `AuthUser` for any authenticated user, `Member` and `Officer` for routes
//! reserved to one role (403 for the other).

use std::future::{Ready, ready};

use actix_web::{
    FromRequest, HttpMessage, HttpRequest,
    body::MessageBody,
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web,
};
use diesel::OptionalExtension;

use crate::{db::models::user, domain::kinds::Role, error::ApiError, state::AppState};

/// The caller, as the database knows it now: a token of a disabled user, or one issued
/// before a password change, is refused.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: i64,
    pub organisation_id: i64,
    pub role: Role,
    pub email: String,
    pub name: String,
}

impl AuthUser {
    pub fn is_officer(&self) -> bool {
        self.role == Role::Officer
    }
}

/// The bearer token of a request, if it carries one.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// What the authentication middleware found; read by the extractors.
#[derive(Clone, Debug)]
enum Authenticated {
    User(AuthUser),
    Refused,
}

/// Resolves the bearer token of a request, once, before the handler's extractors run, so
/// that a request without the right identity is refused (401/403) before its body is read
/// or validated. A token must verify and name a user that is enabled and whose
/// `token_version` it carries.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(token) = bearer_token(req.request()) {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let outcome = match state {
            Some(state) => resolve(&state, &token).await?,
            None => Authenticated::Refused,
        };
        req.extensions_mut().insert(outcome);
    }
    next.call(req).await
}

async fn resolve(state: &AppState, token: &str) -> Result<Authenticated, ApiError> {
    let Some(claims) = state.jwt.verify(token) else { return Ok(Authenticated::Refused) };
    let Ok(user_id) = claims.sub.parse::<i64>() else { return Ok(Authenticated::Refused) };
    let found = state.db.run(move |conn| Ok(user::find(conn, user_id).optional()?)).await?;
    Ok(match found {
        Some(u) if !u.disabled && u.token_version == claims.ver => match Role::parse(&u.role) {
            Ok(role) => Authenticated::User(AuthUser {
                id: u.id,
                organisation_id: u.organisation_id,
                role,
                email: u.email,
                name: u.name,
            }),
            Err(_) => Authenticated::Refused,
        },
        _ => Authenticated::Refused,
    })
}

/// The authenticated user of a request, if the middleware found one.
pub fn authenticated(req: &HttpRequest) -> Option<AuthUser> {
    match req.extensions().get::<Authenticated>() {
        Some(Authenticated::User(user)) => Some(user.clone()),
        _ => None,
    }
}

type Extracted<T> = Ready<Result<T, ApiError>>;

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticated(req).ok_or(ApiError::Unauthenticated))
    }
}

macro_rules! role_extractor {
    ($(#[$meta:meta])* $name:ident, $role:expr, $why:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $name(pub AuthUser);

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Extracted<Self>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                ready(match authenticated(req) {
                    Some(user) if user.role == $role => Ok($name(user)),
                    Some(_) => Err(ApiError::Forbidden($why)),
                    None => Err(ApiError::Unauthenticated),
                })
            }
        }
    };
}

role_extractor!(
    /// A member of a participating organisation: posts needs and pledges for it.
    Member,
    Role::Member,
    "only members of a participating organisation may do this"
);
role_extractor!(
    /// An officer of the central purchasing office.
    Officer,
    Role::Officer,
    "only officers of the central purchasing office may do this"
);
