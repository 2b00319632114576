//! Anonymous requests for public data (the open data export, the catalogue) per client
//! address: `MUTUA_PUBLIC_PER_MINUTE` (default 300; `0` turns it off), in bursts of up to a
//! minute's budget. Beyond, 429 with `Retry-After`.
//!
//! The client address is [`crate::client_address::of`] (the trusted-proxy logic of the
//! login limits). Keys are a keyed hash of the address in a [`Buckets`] table of at most
//! [`CAPACITY`] entries, so a crowd of addresses costs a bounded few megabytes.

use std::{
    hash::{BuildHasher, RandomState},
    net::IpAddr,
    time::{Duration, Instant},
};

use parking_lot::Mutex;

use super::buckets::Buckets;
use crate::error::ApiError;

/// Addresses remembered at most.
pub const CAPACITY: usize = 65_536;

pub struct PublicBudget {
    per_minute: u32,
    hasher: RandomState,
    addresses: Mutex<Buckets>,
}

impl PublicBudget {
    /// `per_minute = 0` turns the limit off.
    pub fn new(per_minute: u32) -> Self {
        let period = Duration::from_secs(60) / per_minute.max(1);
        Self {
            per_minute,
            hasher: RandomState::new(),
            addresses: Mutex::new(Buckets::new(period, Duration::ZERO, CAPACITY)),
        }
    }

    /// Spends one request of `address`'s budget; 429 with `Retry-After` when none is left.
    pub fn check(&self, address: IpAddr) -> Result<(), ApiError> {
        self.check_at(address, Instant::now())
    }

    fn check_at(&self, address: IpAddr, now: Instant) -> Result<(), ApiError> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let key = self.hasher.hash_one(address);
        let burst = f64::from(self.per_minute);
        let mut addresses = self.addresses.lock();
        if addresses.level(key, now) + 1.0 > burst {
            let wait = addresses.wait_until(key, burst - 1.0, now);
            drop(addresses);
            tracing::warn!(wait_s = wait.as_secs(), "anonymous public request refused");
            return Err(ApiError::TooManyRequests { retry_after_seconds: wait.as_secs_f64().ceil().max(1.0) as u64 });
        }
        addresses.hit(key, now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minute_of_budget_per_address_then_429_until_it_drains() {
        let budget = PublicBudget::new(60);
        let (a, b) = (IpAddr::from([192, 0, 2, 1]), IpAddr::from([192, 0, 2, 2]));
        let t = Instant::now();
        assert!((0..60).all(|_| budget.check_at(a, t).is_ok()));
        match budget.check_at(a, t) {
            Err(ApiError::TooManyRequests { retry_after_seconds }) => assert_eq!(retry_after_seconds, 1),
            other => panic!("{other:?}"),
        }
        assert!(budget.check_at(b, t).is_ok(), "per address");
        assert!(budget.check_at(a, t + Duration::from_secs(2)).is_ok(), "one a second drains");
        let off = PublicBudget::new(0);
        assert!((0..10_000).all(|_| off.check_at(a, t).is_ok()));
    }
}
