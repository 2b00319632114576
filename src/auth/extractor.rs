//! Extractors: `AuthUser` for any authenticated user, and the capabilities `Member` and
//! `Officer` (see [`super::capability`]) for routes reserved to one role (403 for the other).

use std::future::{Ready, ready};

use actix_web::{
    FromRequest, HttpMessage, HttpRequest,
    body::MessageBody,
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web,
};

use super::{
    capability::{Capability, Member, Officer, UserAdmin},
    jwt::JwtKeys,
    session::SessionMemory,
};
use crate::{app_data, domain::kinds::Role, error::ApiError};

/// The caller, as its access token (or page session) names it; built only by `auth`, and
/// granting nothing by itself (its role's capability is a [`Capability`]). Whether the
/// session still holds (the user enabled, the token not older than its last password
/// change) is checked at the start of the handler's unit of work ([`crate::db::Db::read`],
/// [`crate::db::Db::write`]), in the same transaction: one trip per request instead of two.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: i64,
    pub organisation_id: i64,
    pub(in crate::auth) role: Role,
    pub(in crate::auth) token_version: i32,
    /// Where the session check stores what it reads, for reads answered from memory.
    pub(in crate::auth) cache: Option<std::sync::Arc<dyn SessionMemory>>,
}

impl AuthUser {
    /// Whether the caller is an officer: for what a page shows and which rows a caller
    /// sees, never to grant an action (an officer-only action takes an [`Officer`]).
    pub fn is_officer(&self) -> bool {
        self.role == Role::Officer
    }

    /// Whether this process knows, without asking the database, that the session holds.
    pub fn known_valid(&self) -> bool {
        self.cache.as_ref().and_then(|c| c.session(self.id)) == Some((self.token_version, false))
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

/// Reads the bearer token of a request, once, before the handler's extractors run, so that
/// a request without the right identity is refused (401/403) before its body is read or
/// validated. Only the signature and claims are checked here, in memory; the database
/// check of the session happens in the handler's unit of work ([`crate::db::Caller`]).
/// The keys are the application's `web::Data<JwtKeys>`: without them, 500 (logged).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(token) = bearer_token(req.request()) {
        let keys = app_data::required::<JwtKeys>(req.request())?;
        let cache = req.app_data::<web::Data<dyn SessionMemory>>().map(|c| c.clone().into_inner());
        let outcome = keys
            .verify(&token)
            .and_then(|claims| {
                Some(AuthUser {
                    id: claims.sub.parse().ok()?,
                    organisation_id: claims.org,
                    role: Role::parse(&claims.role).ok()?,
                    token_version: claims.ver,
                    cache,
                })
            })
            .map_or(Authenticated::Refused, Authenticated::User);
        req.extensions_mut().insert(outcome);
    }
    next.call(req).await
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

/// The API's doors of the capabilities: the role is checked from the token, before the
/// body is read or validated (403 for the other role, 401 without a token).
macro_rules! capability_extractor {
    ($name:ident, $pick:ident) => {
        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Extracted<Self>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let user = authenticated(req).ok_or(ApiError::Unauthenticated);
                ready(user.and_then(|user| Capability::of(user).$pick().cloned()))
            }
        }
    };
}

capability_extractor!(Officer, officer);
capability_extractor!(Member, member);

impl FromRequest for UserAdmin {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = authenticated(req).ok_or(ApiError::Unauthenticated);
        ready(user.and_then(|user| Capability::of(user).user_admin()))
    }
}
