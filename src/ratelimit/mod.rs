//! Rate limits, in memory per process.
//!
//! - **Password attempts** ([`LoginThrottle`]): failures per client address and per
//!   (account, client address), an account under attack, successes per account. Never
//!   turned off. The client address is [`crate::client_address::of`].
//! - **State-changing requests** (POST, PUT, PATCH, DELETE) per authenticated user:
//!   `MUTUA_RATE_LIMIT_PER_MINUTE` (default 600; `0` turns it off, for load tests).
//! - **Searches for similar pools** (`GET /api/v1/pools/similar`) per authenticated user:
//!   `MUTUA_SIMILAR_PER_MINUTE` (default 60; `0` turns it off). Each analyses up to 10 000
//!   characters and reads the matcher's index.
//!
//! - **Anonymous requests for public data** ([`PublicBudget`]) per client address:
//!   `MUTUA_PUBLIC_PER_MINUTE` (default 300; `0` turns it off).
//!
//! Per-user budgets use the `governor` crate (GCRA, MIT/Apache-2.0), keyed by user id: their
//! size is bounded by the number of users. Limits are per process: behind a load balancer
//! with N processes, a client may get up to N times the budget, which still stops brute
//! force and runaway clients.

mod buckets;
pub mod login;
pub mod public;

use std::num::NonZeroU32;

use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
};
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

pub use login::LoginThrottle;
pub use public::PublicBudget;

use crate::{app_data, auth::extractor::authenticated, error::ApiError};

/// A per-user budget of requests per minute (bursts up to the minute's budget).
pub struct UserBudget {
    limiter: Option<DefaultKeyedRateLimiter<i64>>,
    clock: DefaultClock,
}

impl UserBudget {
    /// `per_minute = 0` turns the limit off.
    pub fn new(per_minute: u32) -> Self {
        let limiter = NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)));
        Self { limiter, clock: DefaultClock::default() }
    }

    /// Spends one request of the user's budget; 429 with `Retry-After` when none is left.
    pub fn check(&self, user_id: i64) -> Result<(), ApiError> {
        let Some(limiter) = &self.limiter else { return Ok(()) };
        limiter.check_key(&user_id).map_err(|not_until| ApiError::TooManyRequests {
            retry_after_seconds: not_until.wait_time_from(self.clock.now()).as_secs().max(1),
        })
    }
}

/// State-changing requests per user (`MUTUA_RATE_LIMIT_PER_MINUTE`): what the middleware
/// charges, and the pages' forms alike.
pub struct WriteBudget(pub UserBudget);

/// Searches for similar pools per user (`MUTUA_SIMILAR_PER_MINUTE`).
pub struct SearchBudget(pub UserBudget);

impl std::ops::Deref for WriteBudget {
    type Target = UserBudget;

    fn deref(&self) -> &UserBudget {
        &self.0
    }
}

impl std::ops::Deref for SearchBudget {
    type Target = UserBudget;

    fn deref(&self) -> &UserBudget {
        &self.0
    }
}

/// Refuses a user's state-changing request beyond its [`WriteBudget`] (the application's
/// `web::Data`), before any work is done. Without that budget every request is refused
/// (500, logged): a limit never fails open.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<impl MessageBody>>, Error> {
    let budget = app_data::required::<WriteBudget>(req.request())?;
    let changes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    if changes {
        if let Some(user_id) = authenticated(req.request()).map(|u| u.id) {
            if let Err(refused) = budget.check(user_id) {
                let response = actix_web::ResponseError::error_response(&refused);
                return Ok(req.into_response(response).map_into_right_body());
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_per_user_and_off_at_zero() {
        let limiter = UserBudget::new(3);
        assert!((0..3).all(|_| limiter.check(1).is_ok()));
        assert!(limiter.check(1).is_err());
        assert!(limiter.check(2).is_ok());
        let off = UserBudget::new(0);
        assert!((0..10_000).all(|_| off.check(1).is_ok()));
    }

    #[actix_web::test]
    async fn without_its_budget_the_middleware_fails_closed() {
        use actix_web::{App, HttpResponse, middleware::from_fn, test, web};
        let post = || test::TestRequest::post().uri("/").to_request();
        let bare =
            test::init_service(App::new().wrap(from_fn(middleware)).route("/", web::post().to(HttpResponse::Ok)));
        let refused = test::try_call_service(&bare.await, post()).await.map(|r| r.status());
        let status = refused.unwrap_or_else(|error| error.as_response_error().status_code());
        assert_eq!(status, 500, "no budget registered: refused, never let through");
        let wired = test::init_service(
            App::new()
                .app_data(web::Data::new(WriteBudget(UserBudget::new(1))))
                .wrap(from_fn(middleware))
                .route("/", web::post().to(HttpResponse::Ok)),
        );
        assert_eq!(test::call_service(&wired.await, post()).await.status(), 200);
    }
}
