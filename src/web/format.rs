//! Amounts, dates and times as the pages show them.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

use super::i18n::Lang;
use crate::{domain::money::Cents, mail::templates};

/// `12 000,50 €` (fr), `€ 12.000,50` (nl), `12.000,50 €` (de), `€12,000.50` (en): the
/// emails' formatting, so that a page and the email that links to it read alike.
pub fn money(cents: Cents, lang: Lang) -> String {
    templates::format_money(cents.get(), lang.as_str())
}

/// A stored instant (UTC) as Belgian civil time, with its date in words:
/// `1 décembre 2026, 11:58`.
pub fn when(at: NaiveDateTime, lang: Lang) -> String {
    let local = at + brussels_offset(at);
    format!("{}, {}", date(local.date(), lang), local.format("%H:%M"))
}

/// A date in words: `31 mars 2026`, `31 maart 2026`, `31. März 2026`, `31 March 2026`.
pub fn date(day: NaiveDate, lang: Lang) -> String {
    templates::format_date(&day.to_string(), lang.as_str())
}

/// Belgium's offset from UTC at `utc`: one hour, two in summer time, which (EU directive
/// 2000/84/EC) runs from the last Sunday of March to the last Sunday of October, changing
/// at 01:00 UTC. The pages need no other time zone.
fn brussels_offset(utc: NaiveDateTime) -> TimeDelta {
    let year = utc.year();
    let change = |month| last_sunday(year, month).and_then(|d| d.and_hms_opt(1, 0, 0)).unwrap_or(NaiveDateTime::MIN);
    let summer = utc >= change(3) && utc < change(10);
    TimeDelta::hours(if summer { 2 } else { 1 })
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let last = NaiveDate::from_ymd_opt(year, month + 1, 1)?.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_signed(TimeDelta::days(i64::from(back)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn belgian_time_winter_and_summer() {
        assert_eq!(when(utc("2026-12-01 10:58"), Lang::Fr), "1er décembre 2026, 11:58");
        assert_eq!(when(utc("2026-07-14 10:00"), Lang::Nl), "14 juli 2026, 12:00");
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(when(utc("2026-03-29 00:59"), Lang::En), "29 March 2026, 01:59");
        assert_eq!(when(utc("2026-03-29 01:00"), Lang::En), "29 March 2026, 03:00");
        assert_eq!(when(utc("2026-10-25 00:59"), Lang::De), "25. Oktober 2026, 02:59");
        assert_eq!(when(utc("2026-10-25 01:00"), Lang::De), "25. Oktober 2026, 02:00");
        assert_eq!(when(utc("2026-12-31 23:30"), Lang::En), "1 January 2027, 00:30");
    }

    #[test]
    fn amounts_as_people_read_them() {
        assert_eq!(money(Cents::new(1_200_050), Lang::Fr), "12\u{202F}000,50\u{A0}€");
        assert_eq!(money(Cents::new(1_200_050), Lang::Nl), "€\u{A0}12.000,50");
        assert_eq!(money(Cents::new(1_200_050), Lang::En), "€12,000.50");
    }
}
