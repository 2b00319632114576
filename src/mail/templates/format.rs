//! Formatting of amounts, dates and plain-text paragraphs for emails.

use super::{LOCALES, resolve_locale};

pub(super) const TEXT_WIDTH: usize = 76;

/// Wraps each line longer than `width` at ordinary spaces (never at no-break spaces,
/// so amounts and French punctuation stay whole; words longer than the line, such
/// as URLs, are never cut). Continuation lines of a `- ` list item are indented.
/// Templates keep each paragraph on one line and let this do the wrapping, so the
/// result does not depend on how long the interpolated values are.
pub(super) fn wrap_text(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_end_matches(['\r']);
        if line.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let indent = if line.starts_with("- ") { "  " } else { "" };
        let mut len = 0;
        for (j, word) in line.split(' ').enumerate() {
            let wlen = word.chars().count();
            if j > 0 && len > indent.len() && len + 1 + wlen > width {
                out.push('\n');
                out.push_str(indent);
                len = indent.len();
            } else if j > 0 {
                out.push(' ');
                len += 1;
            }
            out.push_str(word);
            len += wlen;
        }
    }
    out
}

/// Collapses runs of ASCII whitespace (newlines included) to single spaces; no-break
/// spaces are kept.
pub(super) fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_ascii_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Formats integer cents of EUR per locale:
/// fr `1 234,56 €` (narrow no-break space U+202F between thousands, no-break space
/// U+00A0 before €), nl `€ 1.234,56` (U+00A0 after €), de `1.234,56 €` (U+00A0),
/// en `€1,234.56`. Negative amounts: `-1 234,56 €`, `€ -1.234,56`, `-1.234,56 €`,
/// `-€1,234.56`. Unknown locales format as en.
pub fn format_money(cents: i64, locale: &str) -> String {
    let locale = resolve_locale(locale);
    let abs = cents.unsigned_abs();
    let (units, frac) = (abs / 100, abs % 100);
    let (group, decimal) = match locale {
        "fr" => ('\u{202F}', ','),
        "nl" | "de" => ('.', ','),
        _ => (',', '.'),
    };
    let digits = units.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    match locale {
        "fr" | "de" => format!("{sign}{grouped}{decimal}{frac:02}\u{A0}€"),
        "nl" => format!("€\u{A0}{sign}{grouped}{decimal}{frac:02}"),
        _ => format!("{sign}€{grouped}{decimal}{frac:02}"),
    }
}

/// `2026-03-31` → fr `31 mars 2026`, nl `31 maart 2026`, de `31. März 2026`,
/// en `31 March 2026`. Anything that is not an ISO date is returned unchanged.
pub fn format_date(iso: &str, locale: &str) -> String {
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
    let parsed = (|| {
        let date = iso.trim().get(..10)?;
        let b = date.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: u32 = date[..4].parse().ok()?;
        let month: usize = date[5..7].parse().ok()?;
        let day: u32 = date[8..10].parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
    })();
    let Some((year, month, day)) = parsed else {
        return iso.to_owned();
    };
    let locale = resolve_locale(locale);
    let idx = LOCALES.iter().position(|l| *l == locale).unwrap_or(3);
    let name = MONTHS[idx][month - 1];
    match locale {
        "fr" if day == 1 => format!("1er {name} {year}"),
        "de" => format!("{day}. {name} {year}"),
        _ => format!("{day} {name} {year}"),
    }
}
