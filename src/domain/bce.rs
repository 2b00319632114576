//! Belgian enterprise numbers (BCE/KBO, "numéro d'entreprise" / "ondernemingsnummer"):
//! ten digits whose last two are 97 − (the first eight mod 97). People write them
//! `0207.446.772`, `BE 0207446772`, `BE0207.446.772`: parsed once here, kept as the ten
//! digits alone.

use std::fmt;

/// What every refusal says, in the API's problem and beside the field on pages.
pub const INVALID: &str = "must be a Belgian enterprise number (BCE/KBO) of ten digits, such as 0207.446.772";

/// A checked enterprise number: exactly ten ASCII digits with a valid check.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bce(String);

impl Bce {
    /// Accepts an optional `BE` prefix (any case), then digits with dots, spaces or dashes
    /// between them; refuses anything else, a length other than ten or a wrong check.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        let rest = match trimmed.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("BE") => &trimmed[2..],
            _ => trimmed,
        };
        let mut digits = String::with_capacity(10);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '.' | ' ' | '-' => {}
                _ => return Err(INVALID.into()),
            }
        }
        if digits.len() != 10 {
            return Err(INVALID.into());
        }
        let (body, check) = digits.split_at(8);
        let (Ok(body), Ok(check)) = (body.parse::<u32>(), check.parse::<u32>()) else {
            return Err(INVALID.into());
        };
        if 97 - body % 97 != check {
            return Err(INVALID.into());
        }
        Ok(Self(digits))
    }

    /// The ten digits, as stored and returned.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Bce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_ways_people_write_it() {
        for raw in
            ["0207446772", "0207.446.772", "BE 0207446772", "BE0207.446.772", "be 0207 446 772", " 0207-446-772 "]
        {
            assert_eq!(Bce::parse(raw).map(|b| b.to_string()), Ok("0207446772".to_owned()), "{raw}");
        }
    }

    #[test]
    fn refuses_wrong_checks_lengths_and_letters() {
        for raw in ["0207446773", "207446772", "02074467720", "", "BE", "0207.446.77x", "FR0207446772", "٠٢٠٧٤٤٦٧٧٢"]
        {
            assert_eq!(Bce::parse(raw), Err(INVALID.to_owned()), "{raw}");
        }
    }

    #[test]
    fn a_body_divisible_by_97_checks_with_97() {
        let body = 97 * 1_000_000;
        assert!(Bce::parse(&format!("{body:08}97")).is_ok());
        assert!(Bce::parse(&format!("{body:08}00")).is_err());
    }
}
