//! A council's decision on a pledge (SPEC section 10): a commune's pledge commits public
//! money only once its collège or conseil (a province's bureau permanent, a police zone's
//! council…) has decided. The decision confirms the pledge, or refuses it.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::kinds::DecidedBy;

/// A decision that confirms a pledge, as recorded by the pledging organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    /// The reference of the deliberation, as in the minutes.
    pub reference: String,
    pub date: NaiveDate,
    pub decided_by: DecidedBy,
}

/// A decision that refuses a pledge, as recorded by the pledging organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub reference: String,
    pub date: NaiveDate,
}

/// The last date a decision may carry at `now`: today in Belgium. Belgian time is UTC+1,
/// or UTC+2 in summer; taking UTC+2 all year accepts, in winter between 23:00 and midnight,
/// the date of the next day, rather than refusing for one or two hours every night a
/// decision taken and recorded the same evening.
pub fn latest_decision_date(now: DateTime<Utc>) -> NaiveDate {
    (now + Duration::hours(2)).date_naive()
}

/// A decision's date as recorded at `now`: not in the future.
pub fn decision_date(date: NaiveDate, now: DateTime<Utc>) -> Result<NaiveDate, String> {
    let latest = latest_decision_date(now);
    if date > latest { Err(format!("must not be in the future (at most {latest})")) } else { Ok(date) }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn today_in_belgium_is_the_latest_date() {
        // 21:00 UTC in summer is 23:00 in Brussels: still the same day.
        assert_eq!(latest_decision_date(at(2026, 6, 30, 21)), date(2026, 6, 30));
        // 22:00 UTC is midnight in Brussels: the decisions of the new day are accepted.
        assert_eq!(latest_decision_date(at(2026, 6, 30, 22)), date(2026, 7, 1));
    }

    #[test]
    fn a_decision_is_not_dated_in_the_future() {
        let now = at(2026, 3, 10, 12);
        assert_eq!(decision_date(date(2026, 3, 10), now), Ok(date(2026, 3, 10)));
        assert_eq!(decision_date(date(2019, 1, 1), now), Ok(date(2019, 1, 1)));
        assert!(decision_date(date(2026, 3, 11), now).is_err());
    }
}
