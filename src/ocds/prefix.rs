//! The publisher's ocid prefix (`MUTUA_OCID_PREFIX`), parsed once at start.

use std::fmt;

/// A prefix of the registered form: `ocds-` and six lowercase letters or digits, as the Open
/// Contracting Partnership assigns them (`ocds-213czf`). The data review tools flag any
/// other form as a conformance error, so the service refuses to start with one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcidPrefix(String);

impl OcidPrefix {
    /// The default: of the registered form, but registered to nobody; a real publisher sets
    /// its own (docs/OPERATIONS.md).
    pub const DEFAULT: &'static str = "ocds-mutua0";

    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.strip_prefix("ocds-").unwrap_or("");
        if code.len() == 6 && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(format!(
                "MUTUA_OCID_PREFIX is {raw:?}; it must be `ocds-` followed by six lowercase letters or digits \
                 (such as `ocds-213czf`): the prefix the Open Contracting Partnership registered for you \
                 (see docs/OPERATIONS.md)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The open contracting id of a pool.
    pub fn ocid(&self, pool_id: i64) -> String {
        format!("{}-{pool_id}", self.0)
    }
}

impl fmt::Display for OcidPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::OcidPrefix;

    #[test]
    fn only_the_registered_form_is_accepted() {
        for good in ["ocds-mutua0", "ocds-213czf", "ocds-000000"] {
            assert_eq!(OcidPrefix::parse(good).map(|p| p.ocid(7)), Ok(format!("{good}-7")));
        }
        for bad in ["ocds-mutua", "ocds-mutua00", "ocds-MUTUA0", "ocds-mut-a0", "OCDS-mutua0", "mutua0", "", "ocds-"] {
            let err = OcidPrefix::parse(bad).unwrap_err();
            assert!(err.starts_with("MUTUA_OCID_PREFIX") && err.contains("six lowercase letters or digits"), "{err}");
        }
        assert!(OcidPrefix::parse(OcidPrefix::DEFAULT).is_ok());
    }
}
