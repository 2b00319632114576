//! What a pledge may be (SPEC §15): at most the pool's cost, only once the cost is set, and
//! lowered or withdrawn within the hour of setting it even when the pool is funded, so that
//! a typing mistake is undone by whoever made it.

use chrono::{Duration, NaiveDateTime};

use super::{kinds::PledgeStatus, money::Cents};

/// How long after setting or changing a provisional pledge its organisation may still lower
/// or withdraw it whatever the pool's state (until the pool is approved).
pub const CORRECTION: Duration = Duration::minutes(60);

/// Why an amount cannot be pledged to a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountRefusal {
    /// The pool's cost is not set yet: nothing can be pledged.
    NoTarget,
    /// More than the pool's cost.
    AboveCost { target: Cents },
}

/// Whether `amount` may be pledged to a pool costing `target`.
pub fn check_amount(target: Option<Cents>, amount: Cents) -> Result<(), AmountRefusal> {
    match target {
        None => Err(AmountRefusal::NoTarget),
        Some(target) if amount > target => Err(AmountRefusal::AboveCost { target }),
        Some(_) => Ok(()),
    }
}

/// Whether a pledge set or changed at `set_at`, with `status`, is still in its correction
/// hour at `now`. A confirmed pledge never is: its council decided on it.
pub fn correctable(status: PledgeStatus, set_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    status == PledgeStatus::Provisional && now < set_at + CORRECTION
}

/// Whether a provisional pledge set at `set_at` has waited for its council longer than
/// `council_days` at `now` (the officers' list of overdue pledges).
pub fn overdue(set_at: NaiveDateTime, now: NaiveDateTime, council_days: u32) -> bool {
    now - set_at > Duration::days(i64::from(council_days))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap().naive_utc() + Duration::minutes(minutes)
    }

    #[test]
    fn a_pledge_is_at_most_the_cost_and_needs_one() {
        let cost = Some(Cents::new(4_500_000));
        assert_eq!(check_amount(cost, Cents::new(4_500_000)), Ok(()));
        assert_eq!(check_amount(cost, Cents::new(1)), Ok(()));
        assert_eq!(
            check_amount(cost, Cents::new(4_500_001)),
            Err(AmountRefusal::AboveCost { target: Cents::new(4_500_000) })
        );
        assert_eq!(check_amount(None, Cents::new(1)), Err(AmountRefusal::NoTarget));
    }

    #[test]
    fn the_correction_hour_ends_at_sixty_minutes_and_never_covers_a_confirmed_pledge() {
        assert!(correctable(PledgeStatus::Provisional, at(0), at(0)));
        assert!(correctable(PledgeStatus::Provisional, at(0), at(59)));
        assert!(!correctable(PledgeStatus::Provisional, at(0), at(60)));
        assert!(!correctable(PledgeStatus::Confirmed, at(0), at(1)));
    }

    #[test]
    fn a_pledge_is_overdue_after_its_council_days() {
        let day = 24 * 60;
        assert!(!overdue(at(0), at(90 * day), 90));
        assert!(overdue(at(0), at(90 * day + 1), 90));
    }
}
