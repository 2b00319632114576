//! "Password forgotten" requests per client address: a few at once, then one a minute.
//! Beyond, the request is answered exactly as any other and sends nothing. (Per account,
//! the limit is durable and shared by every process: `service::accounts::RESETS_PER_ACCOUNT`
//! reset emails an hour, counted in the database.)

use std::{
    hash::{BuildHasher, RandomState},
    net::IpAddr,
    time::{Duration, Instant},
};

use parking_lot::Mutex;

use super::{buckets::Buckets, login::CAPACITY};

/// Quick requests allowed from one address before the limit applies.
const BURST: f64 = 5.0;
const PERIOD: Duration = Duration::from_secs(60);

pub struct ResetThrottle {
    hasher: RandomState,
    addresses: Mutex<Buckets>,
}

impl Default for ResetThrottle {
    fn default() -> Self {
        Self { hasher: RandomState::new(), addresses: Mutex::new(Buckets::new(PERIOD, Duration::ZERO, CAPACITY)) }
    }
}

impl ResetThrottle {
    /// Counts a request from `address`; whether it may send an email.
    pub fn admit(&self, address: IpAddr) -> bool {
        let (key, now) = (self.hasher.hash_one(address), Instant::now());
        let mut table = self.addresses.lock();
        // Would this request take the address beyond its burst? (The level drains while the
        // requests come, so "at least BURST" would let one more through.)
        if table.level(key, now) + 1.0 > BURST {
            return false;
        }
        table.hit(key, now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_a_few_then_is_refused_and_others_are_not() {
        let throttle = ResetThrottle::default();
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        assert_eq!((0..8).filter(|_| throttle.admit(a)).count(), 5);
        assert!(throttle.admit(b));
    }
}
