//! Leaky buckets under 64-bit keys, in a table whose size is bounded whatever the input.
//!
//! A bucket's level is the number of recent hits: each hit adds one, and the level drains by
//! one every `period`. Callers key the table with a keyed hash of what they count (an
//! account, an address), so an entry takes the same few bytes however long the input was.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// Hits not yet drained, as of `at`.
    level: f64,
    at: Instant,
    last_hit: Instant,
}

/// At most `capacity` buckets. When full, drained entries are forgotten first; if that is
/// not enough, the entries with the fewest recent hits go, down to three quarters of the
/// capacity: someone who wants a busy key forgotten must make many keys busier than it.
pub struct Buckets {
    map: HashMap<u64, Bucket>,
    period: Duration,
    /// How long a drained entry is kept after its last hit, for [`Buckets::since_last_hit`].
    remember: Duration,
    capacity: usize,
}

impl Buckets {
    pub fn new(period: Duration, remember: Duration, capacity: usize) -> Self {
        Self { map: HashMap::new(), period, remember, capacity: capacity.max(4) }
    }

    fn drained(period: Duration, bucket: &Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.level - elapsed / period.as_secs_f64()).max(0.0)
    }

    /// Hits of `key` not yet drained at `now`.
    pub fn level(&self, key: u64, now: Instant) -> f64 {
        self.map.get(&key).map_or(0.0, |b| Self::drained(self.period, b, now))
    }

    /// How long until the level of `key` is down to `to`.
    pub fn wait_until(&self, key: u64, to: f64, now: Instant) -> Duration {
        let excess = (self.level(key, now) - to).max(0.0);
        self.period.mul_f64(excess)
    }

    /// Time since the last hit of `key`, while the table remembers it.
    pub fn since_last_hit(&self, key: u64, now: Instant) -> Option<Duration> {
        self.map.get(&key).map(|b| now.saturating_duration_since(b.last_hit))
    }

    /// Counts a hit of `key` at `now`.
    pub fn hit(&mut self, key: u64, now: Instant) {
        let level = self.level(key, now) + 1.0;
        if !self.map.contains_key(&key) && self.map.len() >= self.capacity {
            self.make_room(now);
        }
        self.map.insert(key, Bucket { level, at: now, last_hit: now });
    }

    /// Entries held.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.map.len()
    }

    fn make_room(&mut self, now: Instant) {
        let (period, remember) = (self.period, self.remember);
        self.map
            .retain(|_, b| Self::drained(period, b, now) > 0.0 || now.saturating_duration_since(b.last_hit) < remember);
        let keep = self.capacity * 3 / 4;
        if self.map.len() <= keep {
            return;
        }
        let mut ranked: Vec<(f64, Instant, u64)> =
            self.map.iter().map(|(k, b)| (Self::drained(period, b, now), b.last_hit, *k)).collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let excess = self.map.len() - keep;
        for (_, _, key) in ranked.into_iter().take(excess) {
            self.map.remove(&key);
        }
        tracing::warn!(capacity = self.capacity, dropped = excess, "rate limit table full: least busy keys forgotten");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn levels_drain_one_per_period() {
        let mut b = Buckets::new(SECOND * 6, Duration::ZERO, 100);
        let t = Instant::now();
        for _ in 0..3 {
            b.hit(7, t);
        }
        assert!((b.level(7, t) - 3.0).abs() < 1e-9);
        assert!((b.level(7, t + SECOND * 6) - 2.0).abs() < 1e-9);
        assert_eq!(b.level(7, t + SECOND * 60), 0.0);
        assert_eq!(b.wait_until(7, 1.0, t), SECOND * 12);
        assert_eq!(b.level(8, t), 0.0);
    }

    #[test]
    fn the_table_never_exceeds_its_capacity_and_keeps_the_busiest() {
        let mut b = Buckets::new(SECOND * 6, Duration::from_secs(900), 1_000);
        let t = Instant::now();
        for _ in 0..20 {
            b.hit(u64::MAX, t);
        }
        for key in 0..100_000 {
            b.hit(key, t + Duration::from_millis(key));
            assert!(b.len() <= 1_000);
        }
        assert!(b.level(u64::MAX, t + SECOND * 100) > 1.0, "the busy key survived the flood");
    }

    #[test]
    fn drained_entries_go_first() {
        let mut b = Buckets::new(SECOND, Duration::ZERO, 4);
        let t = Instant::now();
        for key in 0..4 {
            b.hit(key, t);
        }
        b.hit(9, t + SECOND * 10);
        assert_eq!(b.len(), 1, "the four drained entries were forgotten");
    }
}
