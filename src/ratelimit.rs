//! Rate limits, with the `governor` crate (GCRA, MIT/Apache-2.0), in memory per process.
//!
//! - **Failed logins**, per account and per client address: about ten quick failures, then
//!   429 with `Retry-After` until the budget refills (one failure per 6 s per account, per 3 s
//!   per address). Successful logins do not count. Never a permanent lock-out, and never
//!   turned off.
//! - **State-changing requests** (POST, PUT, PATCH, DELETE) per authenticated user:
//!   `MUTUA_RATE_LIMIT_PER_MINUTE` (default 600; `0` turns it off, for load tests).
//!
//! Limits are per process: behind a load balancer with N processes, a client may get up to N
//! times the budget, which still stops brute force and runaway clients.

use std::{
    collections::HashMap,
    num::NonZeroU32,
    sync::Mutex,
    time::{Duration, Instant},
};

use actix_web::{
    Error,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
    web,
};
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

use crate::{auth::extractor::authenticated, error::ApiError, state::AppState};

fn quota(burst: u32, per: Duration) -> Quota {
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(per).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN)).allow_burst(burst)
}

/// Counts failed logins; blocks a key whose failures exceeded its budget until it refills.
pub struct LoginThrottle {
    accounts: DefaultKeyedRateLimiter<String>,
    addresses: DefaultKeyedRateLimiter<String>,
    /// Keys refused until an instant: governor can count but not peek, and a blocked key
    /// must be refused *before* its password is checked (or a correct guess would still
    /// get through).
    blocked: Mutex<HashMap<String, Instant>>,
    clock: DefaultClock,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            accounts: RateLimiter::keyed(quota(10, Duration::from_secs(6))),
            addresses: RateLimiter::keyed(quota(10, Duration::from_secs(3))),
            blocked: Mutex::default(),
            clock: DefaultClock::default(),
        }
    }
}

impl LoginThrottle {
    fn keys(email: &str, address: &str) -> [String; 2] {
        [format!("account:{email}"), format!("address:{address}")]
    }

    /// 429 when the account or the address is blocked.
    pub fn check(&self, email: &str, address: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut blocked = self.blocked.lock().unwrap_or_else(|p| p.into_inner());
        blocked.retain(|_, until| *until > now);
        let wait = Self::keys(email, address).iter().filter_map(|k| blocked.get(k)).map(|until| *until - now).max();
        match wait {
            Some(wait) => Err(ApiError::TooManyRequests { retry_after_seconds: wait.as_secs().max(1) }),
            None => Ok(()),
        }
    }

    /// Counts a failure; blocks the keys that went over their budget.
    pub fn failed(&self, email: &str, address: &str) {
        let [account, addr] = Self::keys(email, address);
        let outcomes = [(self.accounts.check_key(&account), account), (self.addresses.check_key(&addr), addr)];
        let mut blocked = self.blocked.lock().unwrap_or_else(|p| p.into_inner());
        for (outcome, key) in outcomes {
            if let Err(not_until) = outcome {
                let wait = not_until.wait_time_from(self.clock.now());
                tracing::warn!(key = %key, wait_s = wait.as_secs(), "too many failed logins");
                blocked.insert(key, Instant::now() + wait);
            }
        }
        // Bound memory: forget keys that are back to a full budget.
        if blocked.len() > 10_000 {
            self.accounts.retain_recent();
            self.addresses.retain_recent();
        }
    }
}

/// Per-user budget of state-changing requests.
pub struct WriteLimiter {
    limiter: Option<DefaultKeyedRateLimiter<i64>>,
    clock: DefaultClock,
}

impl WriteLimiter {
    /// `per_minute = 0` turns the limit off.
    pub fn new(per_minute: u32) -> Self {
        let limiter = NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)));
        Self { limiter, clock: DefaultClock::default() }
    }

    pub fn check(&self, user_id: i64) -> Result<(), ApiError> {
        let Some(limiter) = &self.limiter else { return Ok(()) };
        limiter.check_key(&user_id).map_err(|not_until| ApiError::TooManyRequests {
            retry_after_seconds: not_until.wait_time_from(self.clock.now()).as_secs().max(1),
        })
    }
}

/// Refuses a user's state-changing request beyond its budget, before any work is done.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<impl MessageBody>>, Error> {
    let changes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    if changes {
        if let Some(state) = req.app_data::<web::Data<AppState>>() {
            if let Some(user_id) = authenticated(req.request()).map(|u| u.id) {
                if let Err(refused) = state.write_limiter.check(user_id) {
                    let response = actix_web::ResponseError::error_response(&refused);
                    return Ok(req.into_response(response).map_into_right_body());
                }
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_ten_failures_then_blocked_and_successes_do_not_count() {
        let throttle = LoginThrottle::default();
        for _ in 0..10 {
            assert!(throttle.check("a@b.be", "10.0.0.1").is_ok());
            throttle.failed("a@b.be", "10.0.0.1");
        }
        throttle.failed("a@b.be", "10.0.0.1");
        match throttle.check("a@b.be", "10.0.0.1") {
            Err(ApiError::TooManyRequests { retry_after_seconds }) => assert!((1..=6).contains(&retry_after_seconds)),
            other => panic!("{other:?}"),
        }
        // Another account from another address is not affected.
        assert!(throttle.check("c@d.be", "10.0.0.2").is_ok());
    }

    #[test]
    fn write_limit_per_user_and_off_at_zero() {
        let limiter = WriteLimiter::new(3);
        assert!((0..3).all(|_| limiter.check(1).is_ok()));
        assert!(limiter.check(1).is_err());
        assert!(limiter.check(2).is_ok());
        let off = WriteLimiter::new(0);
        assert!((0..10_000).all(|_| off.check(1).is_ok()));
    }
}
