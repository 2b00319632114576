//! Email addresses as users type them: trimmed, compared case-insensitively.

use std::fmt;

/// A syntactically plausible email address, stored lower-case so that uniqueness is
/// case-insensitive. Deliverability is the mail server's business, not ours.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() || email.len() > 254 {
            return Err("must be an email address of at most 254 characters".into());
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err("must contain @".into());
        };
        let bad_char =
            |c: char| c.is_whitespace() || c.is_control() || super::text::is_format(c) || "<>()[],;:\\\"@".contains(c);
        if local.is_empty() || local.len() > 64 || local.chars().any(bad_char) {
            return Err("the part before @ is not valid".into());
        }
        let labels_ok = domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
        if !domain.contains('.') || !labels_ok {
            return Err("the domain after @ is not valid".into());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_and_lowercases() {
        assert_eq!(Email::parse("  Marie.Dupont@Namur.BE ").unwrap().as_str(), "marie.dupont@namur.be");
        assert!(Email::parse("échevin@liège.be").is_ok());
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in ["", "namur.be", "@namur.be", "a@", "a@b", "a b@c.be", "a@c..be", "a@-c.be", "a\u{0}@c.be"] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@c.be", "a".repeat(65))).is_err());
    }
}
