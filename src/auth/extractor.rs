//! Extractors: `AuthUser` for any authenticated user, `Member` and `Officer` for routes
//! reserved to one role (403 for the other).

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
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

async fn authenticate(state: Option<web::Data<AppState>>, token: Option<String>) -> Result<AuthUser, ApiError> {
    let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
    let claims = token.and_then(|t| state.jwt.verify(&t)).ok_or(ApiError::Unauthenticated)?;
    let user_id: i64 = claims.sub.parse().map_err(|_| ApiError::Unauthenticated)?;
    let found = state.db.run(move |conn| Ok(user::find(conn, user_id).optional()?)).await?;
    match found {
        Some(u) if !u.disabled && u.token_version == claims.ver => Ok(AuthUser {
            id: u.id,
            organisation_id: u.organisation_id,
            role: Role::parse(&u.role).map_err(|e| ApiError::Internal(anyhow::anyhow!(e)))?,
            email: u.email,
            name: u.name,
        }),
        _ => Err(ApiError::Unauthenticated),
    }
}

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(authenticate(state, token))
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

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let user = AuthUser::from_request(req, payload);
                Box::pin(async move {
                    let user = user.await?;
                    if user.role == $role { Ok($name(user)) } else { Err(ApiError::Forbidden($why)) }
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
