//! Dates as people type them into a form: `9/3/2026`, `09/03/2026`, `9-3-2026`, `9.3.2026`
//! (day first, as in Belgium), `2026-03-09` (what a date picker sends), or in words as the
//! pages write them: `9 mars 2026`, `1er mars 2026`, `9 maart 2026`, `9. März 2026`,
//! `9 March 2026`. A year of two digits is refused rather than guessed.

use chrono::NaiveDate;

/// Why a typed date was refused. The web pages word each in the page's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayError {
    /// Nothing typed.
    Empty,
    /// Not a date written in any of the accepted ways.
    NotADate,
    /// The year has fewer than four digits (`9/3/26`).
    ShortYear,
    /// Day, month and year read, but no such day (`31/2/2026`).
    NoSuchDay,
}

/// Month names in the pages' four languages (and the usual abbreviations), lower case,
/// accents as written and without.
const MONTHS: [&[&str]; 12] = [
    &["janvier", "janv", "januari", "jan", "januar", "jänner", "january"],
    &["février", "fevrier", "févr", "fevr", "fév", "fev", "februari", "feb", "februar", "february"],
    &["mars", "maart", "mrt", "märz", "marz", "maerz", "march", "mar"],
    &["avril", "avr", "april", "apr"],
    &["mai", "mei", "may"],
    &["juin", "juni", "jun", "june"],
    &["juillet", "juil", "juli", "jul", "july"],
    &["août", "aout", "augustus", "aug", "august"],
    &["septembre", "sept", "september", "sep"],
    &["octobre", "oct", "oktober", "okt", "october"],
    &["novembre", "nov", "november"],
    &["décembre", "decembre", "déc", "dec", "december", "dezember", "dez"],
];

/// Parses a date typed by a person.
pub fn parse_day(raw: &str) -> Result<NaiveDate, DayError> {
    let text = raw.trim().to_lowercase();
    if text.is_empty() {
        return Err(DayError::Empty);
    }
    let parts: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '-' | '.' | ','))
        .filter(|p| !p.is_empty())
        .collect();
    let [first, second, third] = parts[..] else { return Err(DayError::NotADate) };
    let (year, month, day) = if first.len() == 4 && is_number(first) {
        // ISO 8601: year, month, day.
        (first, number(second)?, third)
    } else {
        (third, month_of(second)?, first.strip_suffix("er").unwrap_or(first))
    };
    if !is_number(year) || !is_number(day) {
        return Err(DayError::NotADate);
    }
    if year.len() != 4 {
        return Err(DayError::ShortYear);
    }
    let (year, day) = (year.parse().map_err(|_| DayError::NotADate)?, number(day)?);
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DayError::NoSuchDay)
}

fn is_number(part: &str) -> bool {
    !part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit())
}

fn number(part: &str) -> Result<u32, DayError> {
    if part.len() > 2 || !is_number(part) {
        return Err(DayError::NotADate);
    }
    part.parse().map_err(|_| DayError::NotADate)
}

/// A month written as a number or a name.
fn month_of(part: &str) -> Result<u32, DayError> {
    if is_number(part) {
        return number(part);
    }
    MONTHS
        .iter()
        .position(|names| names.contains(&part))
        .and_then(|index| u32::try_from(index + 1).ok())
        .ok_or(DayError::NotADate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_as_people_type_them() {
        for typed in [
            "9/3/2026",
            "09/03/2026",
            " 9-3-2026 ",
            "9.3.2026",
            "9. 3. 2026",
            "2026-03-09",
            "9 mars 2026",
            "9 Maart 2026",
            "9. März 2026",
            "9 March 2026",
            "9 mar 2026",
        ] {
            assert_eq!(parse_day(typed), Ok(day(2026, 3, 9)), "{typed}");
        }
        assert_eq!(parse_day("1er décembre 2026"), Ok(day(2026, 12, 1)));
        assert_eq!(parse_day("1 decembre 2026"), Ok(day(2026, 12, 1)));
        assert_eq!(parse_day("31 August 2027"), Ok(day(2027, 8, 31)));
    }

    #[test]
    fn what_is_not_a_date_is_refused_and_said_why() {
        assert_eq!(parse_day("  "), Err(DayError::Empty));
        assert_eq!(parse_day("demain"), Err(DayError::NotADate));
        assert_eq!(parse_day("9/3"), Err(DayError::NotADate));
        assert_eq!(parse_day("9 brumaire 2026"), Err(DayError::NotADate));
        assert_eq!(parse_day("9/3/26"), Err(DayError::ShortYear));
        assert_eq!(parse_day("31/2/2026"), Err(DayError::NoSuchDay));
        assert_eq!(parse_day("9/13/2026"), Err(DayError::NoSuchDay));
        assert_eq!(parse_day("123/3/2026"), Err(DayError::NotADate));
        assert_eq!(parse_day("9/3/2026/1"), Err(DayError::NotADate));
    }
}
