//! Password attempts (logins, and the current password of `POST /api/v1/me/password`),
//! limited so that an attacker cannot turn the limit against the account holder.
//!
//! - **Failures per client address**: about ten quick failures, then 429 until the budget
//!   refills (one failure per 3 s). Whatever accounts they name.
//! - **Failures per (account, client address)**: the same, one failure per 6 s. A guesser is
//!   stopped for that account without anyone else being refused.
//! - **An account under attack**: when more than ten recent failures name one account, from
//!   any addresses, an address that failed on that account in the last 15 minutes is refused
//!   for it; an address without a recent failure for it is still let in, so the holder's
//!   correct password works while others hammer the account, and a botnet gets one guess per
//!   address per quarter of an hour.
//! - **Successes per account**: about ten quick ones, then one per 6 s: a script that logs in
//!   in a loop cannot take every password-hashing slot of the process.
//!
//! Keys are a keyed hash (SipHash with a random key per process) of the account and the
//! address, so an entry takes a few bytes whatever the client sent, and each table holds at
//! most [`CAPACITY`] entries (see [`Buckets`]).

use std::{
    hash::{BuildHasher, RandomState},
    net::IpAddr,
    time::{Duration, Instant},
};

use parking_lot::Mutex;

use super::buckets::Buckets;
use crate::error::ApiError;

/// Entries per table at most: four tables of about 100 bytes an entry, a few megabytes.
pub const CAPACITY: usize = 32_768;
/// Quick hits allowed before each limit refuses.
const BURST: f64 = 10.0;
const ADDRESS_PERIOD: Duration = Duration::from_secs(3);
const PAIR_PERIOD: Duration = Duration::from_secs(6);
const ACCOUNT_PERIOD: Duration = Duration::from_secs(6);
const SUCCESS_PERIOD: Duration = Duration::from_secs(6);
/// How long a failure from an address counts against that address while its account is
/// under attack.
pub const RECENT: Duration = Duration::from_secs(15 * 60);

struct Tables {
    /// Failures per client address.
    addresses: Buckets,
    /// Failures per (account, client address), remembered [`RECENT`] after the last one.
    pairs: Buckets,
    /// Failures per account, from every address.
    accounts: Buckets,
    /// Successes per account.
    successes: Buckets,
}

/// What one attempt is counted under.
struct Keys {
    address: u64,
    pair: u64,
    account: u64,
}

pub struct LoginThrottle {
    hasher: RandomState,
    tables: Mutex<Tables>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            hasher: RandomState::new(),
            tables: Mutex::new(Tables {
                addresses: Buckets::new(ADDRESS_PERIOD, Duration::ZERO, CAPACITY),
                pairs: Buckets::new(PAIR_PERIOD, RECENT, CAPACITY),
                accounts: Buckets::new(ACCOUNT_PERIOD, Duration::ZERO, CAPACITY),
                successes: Buckets::new(SUCCESS_PERIOD, Duration::ZERO, CAPACITY),
            }),
        }
    }
}

impl LoginThrottle {
    fn keys(&self, account: &str, address: IpAddr) -> Keys {
        Keys {
            address: self.hasher.hash_one(("address", address)),
            pair: self.hasher.hash_one(("pair", account, address)),
            account: self.account_key(account),
        }
    }

    fn account_key(&self, account: &str) -> u64 {
        self.hasher.hash_one(("account", account))
    }

    /// 429 when this attempt must not reach the password check. Called before the work, and
    /// again once a hashing slot is taken (failures recorded meanwhile then count).
    pub fn check(&self, account: &str, address: IpAddr) -> Result<(), ApiError> {
        self.check_at(account, address, Instant::now())
    }

    /// Counts a wrong password (or an unknown account).
    pub fn failed(&self, account: &str, address: IpAddr) {
        self.failed_at(account, address, Instant::now());
    }

    /// Counts a correct password.
    pub fn succeeded(&self, account: &str) {
        let key = self.account_key(account);
        self.tables.lock().successes.hit(key, Instant::now());
    }

    fn check_at(&self, account: &str, address: IpAddr, now: Instant) -> Result<(), ApiError> {
        let k = self.keys(account, address);
        let t = self.tables.lock();
        let over =
            |table: &Buckets, key: u64| (table.level(key, now) > BURST).then(|| table.wait_until(key, BURST, now));
        let under_attack = || {
            let since = t.pairs.since_last_hit(k.pair, now).filter(|since| *since < RECENT)?;
            let attack_ends = over(&t.accounts, k.account)?;
            Some(attack_ends.min(RECENT - since))
        };
        let refusals = [
            ("address", over(&t.addresses, k.address)),
            ("account and address", over(&t.pairs, k.pair)),
            ("account under attack", under_attack()),
            ("successful logins of the account", over(&t.successes, k.account)),
        ];
        drop(t);
        let Some((limit, wait)) = refusals.into_iter().filter_map(|(l, w)| Some((l, w?))).max_by_key(|(_, w)| *w)
        else {
            return Ok(());
        };
        tracing::warn!(limit, wait_s = wait.as_secs(), "password attempt refused");
        Err(ApiError::TooManyRequests { retry_after_seconds: wait.as_secs_f64().ceil().max(1.0) as u64 })
    }

    fn failed_at(&self, account: &str, address: IpAddr, now: Instant) {
        let k = self.keys(account, address);
        let mut t = self.tables.lock();
        t.addresses.hit(k.address, now);
        t.pairs.hit(k.pair, now);
        t.accounts.hit(k.account, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    fn retry(result: Result<(), ApiError>) -> u64 {
        match result {
            Err(ApiError::TooManyRequests { retry_after_seconds }) => retry_after_seconds,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn about_ten_failures_then_blocked_for_that_account_from_that_address() {
        let throttle = LoginThrottle::default();
        let t = Instant::now();
        for _ in 0..11 {
            assert!(throttle.check_at("a@b.be", ip(1), t).is_ok());
            throttle.failed_at("a@b.be", ip(1), t);
        }
        assert!((1..=6).contains(&retry(throttle.check_at("a@b.be", ip(1), t))));
        // Another account from another address is not affected, nor this account from an
        // address that never failed on it.
        assert!(throttle.check_at("c@d.be", ip(2), t).is_ok());
        assert!(throttle.check_at("a@b.be", ip(3), t).is_ok());
    }

    #[test]
    fn under_attack_an_address_that_failed_recently_is_refused_others_are_not() {
        let throttle = LoginThrottle::default();
        let t = Instant::now();
        // A botnet: one failure from each of 30 addresses.
        for i in 0..30 {
            throttle.failed_at("victim@b.be", ip(i), t);
        }
        assert!(retry(throttle.check_at("victim@b.be", ip(5), t)) > 1, "a second guess from a bot");
        assert!(throttle.check_at("victim@b.be", ip(200), t).is_ok(), "the holder, from elsewhere");
        assert!(throttle.check_at("other@b.be", ip(5), t).is_ok(), "the bot, on another account");
        // Once the attack has drained, the bot's address may try again.
        assert!(throttle.check_at("victim@b.be", ip(5), t + RECENT).is_ok());
    }

    #[test]
    fn successes_are_limited_per_account() {
        let throttle = LoginThrottle::default();
        for _ in 0..11 {
            assert!(throttle.check("a@b.be", ip(1)).is_ok());
            throttle.succeeded("a@b.be");
        }
        assert!(throttle.check("a@b.be", ip(2)).is_err());
        assert!(throttle.check("c@b.be", ip(1)).is_ok());
    }

    #[test]
    fn memory_is_bounded_whatever_the_accounts_and_addresses() {
        let throttle = LoginThrottle::default();
        let t = Instant::now();
        for i in 0..(CAPACITY as u32 * 2) {
            let address = IpAddr::from(i.to_be_bytes());
            throttle.failed_at(&format!("{i}-{}", "x".repeat(254)), address, t);
        }
        let tables = throttle.tables.lock();
        for table in [&tables.addresses, &tables.pairs, &tables.accounts, &tables.successes] {
            assert!(table.len() <= CAPACITY);
        }
    }
}
