//! Amounts, dates and times in each of the platform's languages: the one place the pages,
//! the emails and the open data format them, so that a page and the email that links to it
//! read alike.
//!
//! - money: fr `1 234,56 €` (narrow no-break space U+202F between thousands, no-break
//!   space U+00A0 before €), nl `€ 1.234,56` (U+00A0 after €), de `1.234,56 €` (U+00A0),
//!   en `€1,234.56`; negative amounts `-1 234,56 €`, `€ -1.234,56`, `-1.234,56 €`,
//!   `-€1,234.56`;
//! - an amount as typed back into a field (no sign): fr `12 000,50`, nl and de
//!   `12.000,50`, en `12,000.50` ([`super::amount::parse_euros`] reads each back);
//! - a date in words: `31 mars 2026` (`1er` for the first), `31 maart 2026`,
//!   `31. März 2026`, `31 March 2026`; an instant as Belgian civil time with its date.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

use super::{kinds::Locale, money::Cents};

/// An amount of euros with its sign: `12 000,50 €`, `€ 12.000,50`, `12.000,50 €`, `€12,000.50`.
pub fn money(cents: Cents, locale: Locale) -> String {
    let cents = cents.get();
    let group = match locale {
        Locale::Fr => '\u{202F}',
        Locale::Nl | Locale::De => '.',
        Locale::En => ',',
    };
    let number = decimal(cents.unsigned_abs(), group, decimal_mark(locale));
    let sign = if cents < 0 { "-" } else { "" };
    match locale {
        Locale::Fr | Locale::De => format!("{sign}{number}\u{A0}€"),
        Locale::Nl => format!("€\u{A0}{sign}{number}"),
        Locale::En => format!("{sign}€{number}"),
    }
}

/// An amount as a person would type it back into a field (no currency sign, no minus):
/// fr `12 000,50`, nl and de `12.000,50`, en `12,000.50`.
pub fn amount_field(cents: Cents, locale: Locale) -> String {
    let group = match locale {
        Locale::Fr => ' ',
        Locale::Nl | Locale::De => '.',
        Locale::En => ',',
    };
    decimal(cents.get().unsigned_abs(), group, decimal_mark(locale))
}

fn decimal_mark(locale: Locale) -> char {
    match locale {
        Locale::Fr | Locale::Nl | Locale::De => ',',
        Locale::En => '.',
    }
}

/// `cents` as units grouped by three, the mark, two decimals.
fn decimal(cents: u64, group: char, mark: char) -> String {
    let digits = (cents / 100).to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    format!("{out}{mark}{:02}", cents % 100)
}

const MONTHS: [[&str; 12]; 4] = [
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
];

/// A date in words: `31 mars 2026`, `31 maart 2026`, `31. März 2026`, `31 March 2026`.
pub fn date(day: NaiveDate, locale: Locale) -> String {
    words(day.year(), day.month(), day.day(), locale)
}

/// `2026-03-31` (what the emails carry) as [`date`] writes it; an instant
/// (`2026-03-31T22:30:00Z`, UTC) is the day it is in Brussels (`1er avril 2026`); anything
/// that does not start with an ISO date is returned unchanged.
pub fn iso_date(iso: &str, locale: Locale) -> String {
    let trimmed = iso.trim().trim_end_matches('Z');
    if trimmed.len() >= 16 && trimmed.as_bytes()[10] == b'T' {
        let instant = NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M"));
        if let Ok(at) = instant {
            return local_date(at, locale);
        }
    }
    let parsed = (|| {
        let date = iso.trim().get(..10)?;
        let b = date.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = date[..4].parse().ok()?;
        let month: u32 = date[5..7].parse().ok()?;
        let day: u32 = date[8..10].parse().ok()?;
        ((0..=9999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
            .then_some((year, month, day))
    })();
    parsed.map_or_else(|| iso.to_owned(), |(year, month, day)| words(year, month, day, locale))
}

fn words(year: i32, month: u32, day: u32, locale: Locale) -> String {
    let names = match locale {
        Locale::Fr => &MONTHS[0],
        Locale::Nl => &MONTHS[1],
        Locale::De => &MONTHS[2],
        Locale::En => &MONTHS[3],
    };
    let name = names[(month as usize).clamp(1, 12) - 1];
    match locale {
        Locale::Fr if day == 1 => format!("1er {name} {year}"),
        Locale::De => format!("{day}. {name} {year}"),
        _ => format!("{day} {name} {year}"),
    }
}

/// The day a stored instant (UTC) falls on in Brussels, in words: a need posted at
/// 23:30 UTC on 31 March was posted on 1 April.
pub fn local_date(at: NaiveDateTime, locale: Locale) -> String {
    date((at + brussels_offset(at)).date(), locale)
}

/// A stored instant (UTC) as Belgian civil time, with its date in words:
/// `1er décembre 2026, 11:58`.
pub fn when(at: NaiveDateTime, locale: Locale) -> String {
    let local = at + brussels_offset(at);
    format!("{}, {}", date(local.date(), locale), local.format("%H:%M"))
}

/// Belgium's offset from UTC at `utc`: one hour, two in summer time, which (EU directive
/// 2000/84/EC) runs from the last Sunday of March to the last Sunday of October, changing
/// at 01:00 UTC. Nothing needs another time zone.
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

    const NNBSP: char = '\u{202F}';
    const NBSP: char = '\u{A0}';

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn belgian_time_winter_and_summer() {
        assert_eq!(when(utc("2026-12-01 10:58"), Locale::Fr), "1er décembre 2026, 11:58");
        assert_eq!(when(utc("2026-07-14 10:00"), Locale::Nl), "14 juli 2026, 12:00");
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(when(utc("2026-03-29 00:59"), Locale::En), "29 March 2026, 01:59");
        assert_eq!(when(utc("2026-03-29 01:00"), Locale::En), "29 March 2026, 03:00");
        assert_eq!(when(utc("2026-10-25 00:59"), Locale::De), "25. Oktober 2026, 02:59");
        assert_eq!(when(utc("2026-10-25 01:00"), Locale::De), "25. Oktober 2026, 02:00");
        assert_eq!(when(utc("2026-12-31 23:30"), Locale::En), "1 January 2027, 00:30");
    }

    #[test]
    fn the_day_of_an_instant_is_the_day_in_brussels() {
        assert_eq!(local_date(utc("2026-03-31 22:30"), Locale::Fr), "1er avril 2026");
        assert_eq!(local_date(utc("2026-12-31 22:59"), Locale::En), "31 December 2026");
        assert_eq!(local_date(utc("2026-12-31 23:00"), Locale::En), "1 January 2027");
        assert_eq!(iso_date("2026-06-30T22:15:00Z", Locale::Nl), "1 juli 2026");
        assert_eq!(iso_date("2026-06-30T21:59:59.123", Locale::Nl), "30 juni 2026");
    }

    #[test]
    fn amounts_as_people_read_them() {
        let amount = Cents::new(1_200_050);
        assert_eq!(money(amount, Locale::Fr), "12\u{202F}000,50\u{A0}€");
        assert_eq!(money(amount, Locale::Nl), "€\u{A0}12.000,50");
        assert_eq!(money(amount, Locale::De), "12.000,50\u{A0}€");
        assert_eq!(money(amount, Locale::En), "€12,000.50");
        let owed = Cents::new(-123_456);
        assert_eq!(money(owed, Locale::Fr), "-1\u{202F}234,56\u{A0}€");
        assert_eq!(money(owed, Locale::Nl), "€\u{A0}-1.234,56");
        assert_eq!(money(owed, Locale::En), "-€1,234.56");
        assert_eq!(money(Cents::new(5), Locale::Fr), "0,05\u{A0}€");
    }

    #[test]
    fn amounts_as_typed_back_into_a_field() {
        let amount = Cents::new(1_200_050);
        assert_eq!(amount_field(amount, Locale::Fr), "12 000,50");
        assert_eq!(amount_field(amount, Locale::Nl), "12.000,50");
        assert_eq!(amount_field(amount, Locale::De), "12.000,50");
        assert_eq!(amount_field(amount, Locale::En), "12,000.50");
    }

    #[test]
    fn dates_in_words_and_iso_dates_alike() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert_eq!(date(day, Locale::Fr), "31 mars 2026");
        assert_eq!(date(day, Locale::Nl), "31 maart 2026");
        assert_eq!(date(day, Locale::De), "31. März 2026");
        assert_eq!(date(day, Locale::En), "31 March 2026");
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), Locale::Fr), "1er décembre 2026");
        for locale in Locale::ALL {
            assert_eq!(iso_date("2026-03-31", *locale), date(day, *locale));
        }
        assert_eq!(iso_date("2026-03-31T10:00:00", Locale::En), "31 March 2026");
        for unchanged in ["soon", "2026/03/31", "2026-13-01", ""] {
            assert_eq!(iso_date(unchanged, Locale::Fr), unchanged);
        }
    }

    #[test]
    fn money_fr() {
        assert_eq!(money(Cents::new(0), Locale::Fr), format!("0,00{NBSP}€"));
        assert_eq!(money(Cents::new(5), Locale::Fr), format!("0,05{NBSP}€"));
        assert_eq!(money(Cents::new(99_999), Locale::Fr), format!("999,99{NBSP}€"));
        assert_eq!(money(Cents::new(123_456), Locale::Fr), format!("1{NNBSP}234,56{NBSP}€"));
        assert_eq!(money(Cents::new(-123_456), Locale::Fr), format!("-1{NNBSP}234,56{NBSP}€"));
        assert_eq!(
            money(Cents::new(1_000_000_000_000), Locale::Fr),
            format!("10{NNBSP}000{NNBSP}000{NNBSP}000,00{NBSP}€")
        );
    }

    #[test]
    fn money_nl() {
        assert_eq!(money(Cents::new(0), Locale::Nl), format!("€{NBSP}0,00"));
        assert_eq!(money(Cents::new(123_456), Locale::Nl), format!("€{NBSP}1.234,56"));
        assert_eq!(money(Cents::new(-123_456), Locale::Nl), format!("€{NBSP}-1.234,56"));
        assert_eq!(money(Cents::new(-1), Locale::Nl), format!("€{NBSP}-0,01"));
        assert_eq!(money(Cents::new(1_000_000_000_000), Locale::Nl), format!("€{NBSP}10.000.000.000,00"));
    }

    #[test]
    fn money_de() {
        assert_eq!(money(Cents::new(0), Locale::De), format!("0,00{NBSP}€"));
        assert_eq!(money(Cents::new(100_000), Locale::De), format!("1.000,00{NBSP}€"));
        assert_eq!(money(Cents::new(123_456), Locale::De), format!("1.234,56{NBSP}€"));
        assert_eq!(money(Cents::new(-123_456), Locale::De), format!("-1.234,56{NBSP}€"));
        assert_eq!(money(Cents::new(1_000_000_000_000), Locale::De), format!("10.000.000.000,00{NBSP}€"));
    }

    #[test]
    fn money_en() {
        assert_eq!(money(Cents::new(0), Locale::En), "€0.00");
        assert_eq!(money(Cents::new(10), Locale::En), "€0.10");
        assert_eq!(money(Cents::new(123_456), Locale::En), "€1,234.56");
        assert_eq!(money(Cents::new(-123_456), Locale::En), "-€1,234.56");
        assert_eq!(money(Cents::new(-50), Locale::En), "-€0.50");
        assert_eq!(money(Cents::new(99_999_999), Locale::En), "€999,999.99");
        assert_eq!(money(Cents::new(1_000_000_000_000), Locale::En), "€10,000,000,000.00");
        assert_eq!(money(Cents::new(-1_000_000_000_000), Locale::En), "-€10,000,000,000.00");
        assert_eq!(money(Cents::new(i64::MAX), Locale::En), "€92,233,720,368,547,758.07");
        assert_eq!(money(Cents::new(i64::MIN), Locale::En), "-€92,233,720,368,547,758.08");
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("2026-06-30", Locale::Fr), "30 juin 2026");
        assert_eq!(iso_date("2026-03-01", Locale::Fr), "1er mars 2026");
        assert_eq!(iso_date("2026-03-01", Locale::Nl), "1 maart 2026");
        assert_eq!(iso_date("2026-03-31", Locale::De), "31. März 2026");
        assert_eq!(iso_date("2026-12-05", Locale::En), "5 December 2026");
        assert_eq!(iso_date("2026-12-05T10:00:00Z", Locale::En), "5 December 2026");
        assert_eq!(iso_date("soon", Locale::En), "soon");
        assert_eq!(iso_date("2026-13-05", Locale::Fr), "2026-13-05");
        assert_eq!(iso_date("2026/12/05", Locale::Fr), "2026/12/05");
    }
}
