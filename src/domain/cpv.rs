//! CPV 2008 codes (Common Procurement Vocabulary, EU Regulation 213/2008), checked against
//! the real code list shipped in `data/cpv-2008-en.json`.

use std::{collections::HashMap, sync::OnceLock};

use super::kinds::Locale;

static CODES: OnceLock<HashMap<String, String>> = OnceLock::new();

fn codes() -> &'static HashMap<String, String> {
    CODES.get_or_init(|| {
        // The file is part of the build; a parse failure is caught by the unit tests below.
        serde_json::from_str(include_str!("../../data/cpv-2008-en.json")).unwrap_or_default()
    })
}

/// A code of the CPV 2008 main vocabulary, such as `48000000-8`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CpvCode(String);

impl CpvCode {
    /// Accepts a code written `48000000-8` (or without the dash) that is in the list.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let digits: String = raw.chars().filter(|c| *c != '-').collect();
        if digits.len() != 9 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("must be a CPV code such as 48000000-8".into());
        }
        let code = format!("{}-{}", &digits[..8], &digits[8..]);
        if codes().contains_key(&code) {
            Ok(Self(code))
        } else {
            Err(format!("{code} is not a code of the CPV 2008 vocabulary"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The label of a known code in `locale`, where the platform has it. Only the English
    /// labels are shipped (no official French, Dutch or German list was at hand): a page in
    /// another language shows the code alone, never an English label among its words.
    pub fn label(code: &str, locale: Locale) -> Option<&'static str> {
        match locale {
            Locale::En => codes().get(code).map(String::as_str),
            Locale::Fr | Locale::Nl | Locale::De => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{CpvCode, Locale};

    #[test]
    fn the_whole_list_is_loaded() {
        assert_eq!(super::codes().len(), 9454);
        assert_eq!(CpvCode::label("48000000-8", Locale::En), Some("Software package and information systems"));
        assert_eq!(CpvCode::label("48000000-8", Locale::Fr), None, "never an English label on a French page");
    }

    #[test]
    fn accepts_listed_codes_only() {
        assert_eq!(CpvCode::parse(" 48000000-8 ").unwrap().as_str(), "48000000-8");
        assert_eq!(CpvCode::parse("480000008").unwrap().as_str(), "48000000-8");
        // A well-formed code with a wrong check digit is not in the list.
        assert!(CpvCode::parse("48000000-9").is_err());
        assert!(CpvCode::parse("4800000").is_err());
        assert!(CpvCode::parse("abcdefgh-i").is_err());
    }
}
