//! Cooling off after a council refusal (SPEC §15): an organisation whose council refused
//! its pledge to a pool cannot pledge to that pool again for a day. Without it, a pledge
//! that funds a pool and its refusal could be cycled at will, and every cycle emails every
//! participant and officer (issue 24: 20 cycles sent 120 emails).

use chrono::{Duration, NaiveDateTime};

/// How long an organisation waits after its council refused its pledge to a pool.
pub const COOLING_OFF: Duration = Duration::hours(24);

/// What is left of the cooling off at `now` after a refusal recorded at `refused_at`; `None`
/// once it is over (exactly 24 hours later, or a refusal dated in the future by a clock
/// that went back, which never waits longer than the full period).
pub fn cooling_off_left(refused_at: NaiveDateTime, now: NaiveDateTime) -> Option<Duration> {
    let left = (refused_at + COOLING_OFF - now).min(COOLING_OFF);
    (left > Duration::zero()).then_some(left)
}

/// Whole seconds to announce in `Retry-After`: rounded up, so that a client that waits
/// exactly that long is allowed.
pub fn retry_after_seconds(left: Duration) -> u64 {
    let micros = u64::try_from(left.num_microseconds().unwrap_or(i64::MAX)).unwrap_or(0);
    micros.div_ceil(1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: i64, seconds: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap().naive_utc()
            + Duration::hours(hours)
            + Duration::seconds(seconds)
    }

    #[test]
    fn a_refusal_holds_for_a_day_and_then_lets_go() {
        let refused = at(0, 0);
        assert_eq!(cooling_off_left(refused, refused), Some(COOLING_OFF));
        assert_eq!(cooling_off_left(refused, at(1, 0)), Some(Duration::hours(23)));
        assert_eq!(cooling_off_left(refused, at(23, 3599)), Some(Duration::seconds(1)));
        assert_eq!(cooling_off_left(refused, at(24, 0)), None);
        assert_eq!(cooling_off_left(refused, at(240, 0)), None);
    }

    #[test]
    fn a_refusal_dated_ahead_of_the_clock_never_waits_more_than_a_day() {
        assert_eq!(cooling_off_left(at(2, 0), at(0, 0)), Some(COOLING_OFF));
    }

    #[test]
    fn retry_after_rounds_up_to_the_second() {
        assert_eq!(retry_after_seconds(Duration::hours(24)), 86_400);
        assert_eq!(retry_after_seconds(Duration::milliseconds(1)), 1);
        assert_eq!(retry_after_seconds(Duration::milliseconds(1_001)), 2);
    }
}
