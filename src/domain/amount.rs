//! Amounts of euros as people type them into a form: `1234,56`, `1234.56`, `12 000,50`,
//! `12.000,50`, `€ 12.000,50`, `12 000,50 €`, `€12,000.50`. Parsed into [`Cents`] without
//! floats. In French, Dutch and German a dot before three digits groups thousands, as a
//! Belgian administration writes it (`45.000` is forty-five thousand euros, SPEC §15); in
//! English the dot is the decimal point, so there `1.234` could mean two amounts (one euro
//! and 234 thousandths, or one thousand two hundred and thirty-four?) and is refused rather
//! than guessed, as `1,234` is in every language.

use super::{
    kinds::Locale,
    money::{Cents, MAX_CENTS},
};

/// Why a typed amount was refused. The web pages word each in the page's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing typed.
    Empty,
    /// Not a number written in any of the accepted ways.
    NotANumber,
    /// `1,234` (or `1.234` in English): a decimal separator or a thousands separator;
    /// write `1234` or `1,23`.
    Ambiguous,
    /// More than two digits after the decimal separator.
    TooPrecise,
    /// Zero or less.
    NotPositive,
    /// Above [`MAX_CENTS`].
    TooLarge,
}

/// Parses a positive amount of euros typed by a person on a page in `locale`.
///
/// Rules, in order: the euro sign or `EUR` may stand before or after; spaces (ordinary,
/// no-break or narrow no-break) and apostrophes only group thousands; when both `.` and `,`
/// appear, the last one is the decimal separator and the other groups thousands; a single
/// `.` or `,` followed by one or two digits is the decimal separator; a single `.` followed
/// by exactly three digits groups thousands in French, Dutch and German and is ambiguous in
/// English, a single `,` followed by exactly three digits is ambiguous; a separator repeated
/// groups thousands. Groups of thousands must have three digits; more than two decimals
/// are too precise.
pub fn parse_euros(raw: &str, locale: Locale) -> Result<Cents, AmountError> {
    let trimmed = strip_currency(raw.trim());
    if trimmed.is_empty() {
        return Err(if raw.trim().is_empty() { AmountError::Empty } else { AmountError::NotANumber });
    }
    if trimmed.starts_with('-') {
        return Err(AmountError::NotPositive);
    }
    let text: String = trimmed.chars().map(|c| if is_space(c) { ' ' } else { c }).collect();
    if !text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | ',')) {
        return Err(AmountError::NotANumber);
    }
    let (units, decimals) = split_decimal(&text, locale)?;
    let digits = ungroup(units)?;
    let decimals = match decimals {
        None => 0,
        Some(d) if d.is_empty() || !d.chars().all(|c| c.is_ascii_digit()) => return Err(AmountError::NotANumber),
        Some(d) if d.len() > 2 => return Err(AmountError::TooPrecise),
        Some(d) => d.parse::<i64>().map_err(|_| AmountError::NotANumber)? * if d.len() == 1 { 10 } else { 1 },
    };
    let euros: i64 = if digits.len() > 13 { i64::MAX } else { digits.parse().map_err(|_| AmountError::NotANumber)? };
    let cents = euros.checked_mul(100).and_then(|c| c.checked_add(decimals)).ok_or(AmountError::TooLarge)?;
    match cents {
        0 => Err(AmountError::NotPositive),
        c if c > MAX_CENTS => Err(AmountError::TooLarge),
        c => Ok(Cents::new(c)),
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{A0}' | '\u{202F}' | '\u{2009}' | '\'' | '’')
}

/// The amount without a leading or trailing `€` / `EUR` (any case) and the spaces beside it.
fn strip_currency(text: &str) -> &str {
    let mut text = text;
    for sign in ["€", "EUR", "eur", "Eur"] {
        text = text.strip_prefix(sign).unwrap_or(text).trim_matches(is_space);
        text = text.strip_suffix(sign).unwrap_or(text).trim_matches(is_space);
    }
    text
}

/// `(units with their grouping, decimals)`, deciding which separator is the decimal one.
fn split_decimal(text: &str, locale: Locale) -> Result<(&str, Option<&str>), AmountError> {
    let last_dot = text.rfind('.');
    let last_comma = text.rfind(',');
    let decimal_at = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(at), None) | (None, Some(at)) => {
            let sep = &text[at..=at];
            let after = &text[at + 1..];
            let three_digits = after.len() == 3 && after.chars().all(|c| c.is_ascii_digit());
            if text.matches(sep).count() > 1 {
                // 1.234.567: grouping only.
                None
            } else if three_digits && sep == "." && locale != Locale::En {
                // 45.000: forty-five thousand, as written in Belgium.
                None
            } else if three_digits {
                return Err(AmountError::Ambiguous);
            } else {
                Some(at)
            }
        }
        (None, None) => None,
    };
    Ok(match decimal_at {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    })
}

/// The digits of the units, checking that every thousands group has three digits and that
/// one kind of mark groups them (spaces may stand beside it).
fn ungroup(units: &str) -> Result<String, AmountError> {
    let groups: Vec<&str> = units.split([' ', '.', ',']).collect();
    if groups.iter().any(|g| g.is_empty()) {
        return Err(AmountError::NotANumber);
    }
    let marks: Vec<char> = units.chars().filter(|c| matches!(c, '.' | ',')).collect();
    if marks.windows(2).any(|w| w[0] != w[1]) {
        return Err(AmountError::NotANumber);
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err(AmountError::NotANumber);
    }
    Ok(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::{AmountError::*, *};
    use crate::domain::format;

    /// The amount as read in every language (they all agree on it).
    fn euros(raw: &str) -> Result<i64, AmountError> {
        let read = parse_euros(raw, Locale::En).map(Cents::get);
        for &locale in Locale::ALL {
            assert_eq!(parse_euros(raw, locale).map(Cents::get), read, "{raw:?} in {locale:?}");
        }
        read
    }

    fn read_in(raw: &str, locale: Locale) -> Result<i64, AmountError> {
        parse_euros(raw, locale).map(Cents::get)
    }

    #[test]
    fn the_ways_people_write_amounts() {
        for (raw, cents) in [
            ("1234,56", 123_456),
            ("1234.56", 123_456),
            ("12 000,50", 1_200_050),
            ("12.000,50", 1_200_050),
            ("12,000.50", 1_200_050),
            ("12 000,50 €", 1_200_050),
            ("12\u{202F}000,50\u{A0}€", 1_200_050),
            ("€ 12.000,50", 1_200_050),
            ("€12,000.50", 1_200_050),
            ("12000", 1_200_000),
            ("12000 EUR", 1_200_000),
            ("1.234.567", 123_456_700),
            ("1,234,567.8", 123_456_780),
            ("0,5", 50),
            ("7", 700),
            ("12'000.50", 1_200_050),
            ("  250,00  ", 25_000),
        ] {
            assert_eq!(euros(raw), Ok(cents), "{raw:?}");
        }
    }

    #[test]
    fn a_dot_before_three_digits_groups_thousands_in_french_dutch_and_german() {
        for locale in [Locale::Fr, Locale::Nl, Locale::De] {
            for (raw, cents) in [
                ("45.000", 4_500_000),
                ("12.500", 1_250_000),
                ("7.500 €", 750_000),
                ("12.500,50", 1_250_050),
                ("1.234.567", 123_456_700),
                ("45.5", 4_550),
                ("45.50", 4_550),
            ] {
                assert_eq!(read_in(raw, locale), Ok(cents), "{raw:?} in {locale:?}");
            }
            assert_eq!(read_in("45.0000", locale), Err(TooPrecise), "{locale:?}");
            assert_eq!(read_in("12.500,505", locale), Err(TooPrecise), "{locale:?}");
            assert_eq!(read_in("12,000", locale), Err(Ambiguous), "{locale:?}");
            assert_eq!(read_in("45.00.0", locale), Err(NotANumber), "{locale:?}");
        }
        // English keeps the dot as the decimal point.
        assert_eq!(read_in("45.000", Locale::En), Err(Ambiguous));
        assert_eq!(read_in("45.50", Locale::En), Ok(4_550));
        assert_eq!(read_in("45,000.50", Locale::En), Ok(4_500_050));
    }

    #[test]
    fn ambiguous_and_wrong_inputs_are_refused_with_their_reason() {
        assert_eq!(read_in("1.234", Locale::En), Err(Ambiguous));
        assert_eq!(euros("12,000"), Err(Ambiguous));
        assert_eq!(euros(""), Err(Empty));
        assert_eq!(euros("  "), Err(Empty));
        assert_eq!(euros("€"), Err(NotANumber));
        assert_eq!(euros("douze"), Err(NotANumber));
        assert_eq!(euros("12,5,3"), Err(NotANumber));
        assert_eq!(euros("1 23,00"), Err(NotANumber));
        assert_eq!(euros("12.00.00,5"), Err(NotANumber));
        assert_eq!(euros("1.234,567"), Err(TooPrecise));
        assert_eq!(euros("1,2345"), Err(TooPrecise));
        assert_eq!(euros("12,"), Err(NotANumber));
        assert_eq!(euros("0"), Err(NotPositive));
        assert_eq!(euros("0,00"), Err(NotPositive));
        assert_eq!(euros("-5"), Err(NotPositive));
        assert_eq!(euros("1e5"), Err(NotANumber));
        assert_eq!(euros("10000000001"), Err(TooLarge));
        assert_eq!(euros("99999999999999999999999"), Err(TooLarge));
        assert_eq!(euros("10000000000"), Ok(MAX_CENTS));
    }

    #[test]
    fn what_a_field_shows_reads_back_as_the_same_amount() {
        for cents in [1, 50, 100, 123_456, 1_200_050, 123_456_789_012] {
            for &locale in Locale::ALL {
                let shown = format::amount_field(Cents::new(cents), locale);
                assert_eq!(read_in(&shown, locale), Ok(cents), "{locale:?} {shown:?}");
            }
        }
    }
}
