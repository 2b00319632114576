//! Personal data kept out of what is published (SPEC section 16): a need's title and
//! description go to its pool's events and to the public OCDS releases, which are never
//! rewritten, and a council's decision reference is published with the pledge. An email
//! address, a phone number or a Belgian national register number typed there would be
//! public for good, so it is refused where the text comes in.
//!
//! The detector is narrow on purpose, since a commune's text is full of numbers
//! (populations, amounts such as `45 000`, postcodes, dates, CPV codes `48000000-8`, BCE
//! numbers `0207.446.772`, invoice numbers): a phone needs a phone's shape (a leading `0`,
//! or a country code after `+` or `00`, and the right count of digits), a register number
//! its check digits. Hand-written rather than a phone library: the Belgian forms are few,
//! and what matters here is what must *not* match, which a general parser does not know.

/// The words of the refusal, the same for every field and both doors.
pub const MESSAGE: &str = "personal data would be published with the pool: remove it";

/// `text` itself, or [`MESSAGE`] when it holds an email address, a phone number or a
/// national register number.
pub fn absent(text: String) -> Result<String, String> {
    if holds_personal_data(&text) { Err(MESSAGE.to_owned()) } else { Ok(text) }
}

/// Whether `text` holds an email address, a phone number or a national register number.
pub fn holds_personal_data(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    has_email(&chars) || runs(&chars).iter().any(Run::holds_personal_number)
}

/// An `@` with a local part before it and a domain with a dot and a top-level name of
/// letters after it.
fn has_email(chars: &[char]) -> bool {
    let local = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
    let domain = |c: char| c.is_alphanumeric() || ".-".contains(c);
    chars.iter().enumerate().filter(|(_, c)| **c == '@').any(|(at, _)| {
        let before = chars[..at].iter().rev().take_while(|c| local(**c)).filter(|c| c.is_alphanumeric()).count();
        let after: String = chars[at + 1..].iter().take_while(|c| domain(**c)).collect();
        let host = after.trim_end_matches(['.', '-']);
        match host.rsplit_once('.') {
            Some((name, top)) => {
                before > 0 && !name.is_empty() && top.chars().count() >= 2 && top.chars().all(char::is_alphabetic)
            }
            None => false,
        }
    })
}

/// Characters that join the digit groups of one number as people write them.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{A0}' | '\u{202F}' | '.' | '/' | '-')
}

/// A group of digits, and whether a space (rather than `.`, `/` or `-`) comes before it:
/// a number may start only at the run's start or after a space, never in the middle of a
/// dotted or dashed token such as a register number or a CPV code.
struct Group {
    digits: String,
    after_space: bool,
}

/// Digit groups joined by separators, with whether a `+` leads them.
struct Run {
    plus: bool,
    groups: Vec<Group>,
}

/// The runs of digits of `chars` that stand on their own: a run glued to a word
/// (`BE0207446772`, `INV2026-0471`) is a code, not a number typed for a person.
fn runs(chars: &[char]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let plus = chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if !(plus || chars[i].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let word = |at: usize| chars[at].is_alphanumeric() || chars[at] == '_';
        let glued = i > 0 && (word(i - 1) || (i > 1 && matches!(chars[i - 1], '.' | '/' | '-') && word(i - 2)));
        i += usize::from(plus);
        let mut groups = vec![Group { digits: String::new(), after_space: true }];
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                if let Some(group) = groups.last_mut() {
                    group.digits.push(c);
                }
                i += 1;
            } else if is_separator(c) && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                groups.push(Group { digits: String::new(), after_space: !matches!(c, '.' | '/' | '-') });
                i += 1;
            } else {
                break;
            }
        }
        let glued = glued || chars.get(i).is_some_and(|c| c.is_alphanumeric());
        if !glued {
            runs.push(Run { plus, groups });
        }
    }
    runs
}

impl Run {
    /// Whether some groups of the run, from a start to an end at the run's ends or at a
    /// space, are a phone number or a national register number. A run written as an amount with
    /// thousands groups (`1 045 000 000`) holds neither, unless it is a `+32` number.
    fn holds_personal_number(&self) -> bool {
        let amount = self.is_thousands();
        (0..self.groups.len()).filter(|&i| self.groups[i].after_space).any(|start| {
            let plus = self.plus && start == 0;
            if amount && !(plus && self.groups[0].digits.starts_with("32")) {
                return false;
            }
            let mut digits = String::new();
            self.groups[start..].iter().enumerate().any(|(n, group)| {
                digits.push_str(&group.digits);
                let end = start + n + 1;
                if self.groups.get(end).is_some_and(|next| !next.after_space) {
                    return false;
                }
                let groups = &self.groups[start..end];
                is_phone(&digits, plus, groups) || (!plus && is_register_number(&digits))
            })
        })
    }

    /// `45 000`, `1.045.000`: a first group of one to three digits not starting with 0,
    /// then groups of exactly three.
    fn is_thousands(&self) -> bool {
        let Some((first, rest)) = self.groups.split_first() else { return false };
        !rest.is_empty()
            && (1..=3).contains(&first.digits.len())
            && !first.digits.starts_with('0')
            && rest.iter().all(|g| g.digits.len() == 3)
    }
}

/// A phone number: after `+` or `00` a country code and 8 to 15 digits in all (a Belgian
/// one, `32`, with a Belgian number after it); else a Belgian number with its leading 0.
/// The last group has two digits at least, as phones are written (`03000000-1` is a CPV
/// code).
fn is_phone(digits: &str, plus: bool, groups: &[Group]) -> bool {
    if groups.last().is_some_and(|g| g.digits.len() < 2) {
        return false;
    }
    let international = if plus { Some(digits) } else { digits.strip_prefix("00") };
    match international {
        Some(number) => match number.strip_prefix("32") {
            Some(belgian) => is_belgian(belgian.strip_prefix('0').unwrap_or(belgian), groups),
            None => !number.starts_with('0') && (8..=15).contains(&number.len()),
        },
        None => digits.strip_prefix('0').is_some_and(|national| is_belgian(national, groups)),
    }
}

/// A Belgian number without its leading 0: eight digits for a fixed line (`4 123 45 67`,
/// `81 62 43 21`), nine for a mobile (`471 23 45 67`, from 45 to 49). A ten-digit number
/// written `0456.789.123` whose check holds is an enterprise (BCE) number instead.
fn is_belgian(national: &str, groups: &[Group]) -> bool {
    let bytes = national.as_bytes();
    match national.len() {
        8 => bytes[0] != b'0',
        9 => bytes[0] == b'4' && (b'5'..=b'9').contains(&bytes[1]) && !is_enterprise_number(national, groups),
        _ => false,
    }
}

/// A BCE number as written (`0456.789.123`, four, three and three digits): its last two
/// digits are 97 minus the first eight modulo 97.
fn is_enterprise_number(national: &str, groups: &[Group]) -> bool {
    let shape: Vec<usize> = groups.iter().map(|g| g.digits.len()).collect();
    let digits = format!("0{national}");
    shape == [4, 3, 3] && check_digits(&digits[..8], &digits[8..], 0)
}

/// A national register number, `YY.MM.DD-XXX.CC` in any punctuation: a birth date (month
/// 0 to 12, or plus 20 or 40 for a bis number; day 0 to 31), and check digits: 97 minus the
/// first nine digits modulo 97, or, for people born from 2000 on, with 2 before them.
fn is_register_number(digits: &str) -> bool {
    if digits.len() != 11 {
        return false;
    }
    let two = |at: usize| digits[at..at + 2].parse::<u32>().unwrap_or(99);
    let month = two(2) % 20;
    let plausible = (two(2) < 60) && month <= 12 && two(4) <= 31;
    plausible
        && (check_digits(&digits[..9], &digits[9..], 0) || check_digits(&digits[..9], &digits[9..], 2_000_000_000))
}

/// Whether `check` is 97 minus (`offset` + `number`) modulo 97.
fn check_digits(number: &str, check: &str, offset: u64) -> bool {
    match (number.parse::<u64>(), check.parse::<u64>()) {
        (Ok(number), Ok(check)) => 97 - (offset + number) % 97 == check,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_refused() {
        for text in [
            "marie.dupont@gembloux.be",
            "Contact : marie.dupont@gembloux.be.",
            "écrire à j-l.o'brien+cimetiere@commune.namur.be pour le dossier",
        ] {
            assert!(holds_personal_data(text), "{text}");
        }
        for text in ["prix @ 5 €", "@gembloux", "info@commune", "le service @ Gembloux.be", "a@b.c1"] {
            assert!(!holds_personal_data(text), "{text}");
        }
    }

    #[test]
    fn belgian_and_international_phone_numbers_are_refused() {
        for text in [
            "0471 23 45 67",
            "Appeler le 0471/23.45.67 en semaine",
            "tél. 04 123 45 67",
            "081 62 43 21",
            "02/123.45.67",
            "0471234567",
            "0471 234 567",
            "+32 471 23 45 67",
            "+32 0471 23 45 67",
            "0032 471 23 45 67",
            "+32 2 123 45 67",
            "+33 1 23 45 67 89",
            "+44 20 7946 0958",
            "0044 20 7946 0958",
            "5030 Gembloux, 0471 23 45 67",
            "GSM: 0471 23 45 67 (bureau)",
        ] {
            assert!(holds_personal_data(text), "{text}");
        }
    }

    /// A valid register number, and the same with a wrong check.
    const REGISTER: &str = "85.07.30-033.28";

    #[test]
    fn national_register_numbers_with_a_valid_check_are_refused() {
        // 97 - (850730033 mod 97) = 28.
        for text in [REGISTER, "85073003328", "850730 033 28", "NN 85 07 30 033 28", "né le 850730-033-28"] {
            assert!(holds_personal_data(text), "{text}");
        }
        // Born in 2000 or later: 97 - (2 010203004 mod 97).
        let check = 97 - (2_010_203_004_u64 % 97);
        assert!(holds_personal_data(&format!("01.02.03-004.{check:02}")));
        assert!(!holds_personal_data(&format!("01.02.03-004.{:02}", check % 97 + 1)));
    }

    #[test]
    fn a_communes_ordinary_numbers_are_not_refused() {
        for text in [
            "45 000",
            "Budget de 45 000 € pour 2026",
            "1 045 000 000",
            "1.045.000,50 EUR",
            "+15 000 000 d'habitants",
            "Gembloux, 5030, 26 000 habitants",
            "Réunion du 01/02/2026 au 15.03.2026",
            "01.02.2026",
            "CPV 48000000-8 et 03000000-1",
            "BCE 0207.446.772",
            "BCE 0456.789.133",
            "BE0471234567",
            "Facture n° 2026-0471 du 12/03/2026",
            "INV-0471234567",
            "Article L1222-3 du CDLD, art. 123",
            "années 2024 2025 2026",
            "85.07.30-033.29",
            "85073003327",
            "version 0.4.12",
            "tél. 0471 23 45 6",
        ] {
            assert!(!holds_personal_data(text), "{text}");
        }
    }

    #[test]
    fn absent_passes_the_text_or_says_why_not() {
        assert_eq!(absent("Registre des concessions".into()), Ok("Registre des concessions".into()));
        assert_eq!(absent("0471 23 45 67".into()), Err(MESSAGE.into()));
    }
}
