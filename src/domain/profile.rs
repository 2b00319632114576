//! What a person changes on its own account (SPEC §14, `/account` and
//! `PATCH /api/v1/me`): its name and its language. Parsed once here for both doors.

use super::{
    fields::{FieldError, FieldErrors},
    kinds::Locale,
    text,
};

/// A change of one's own name, language or both. `locale: Some(None)` goes back to the
/// organisation's language; `None` leaves a field as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileChange {
    pub name: Option<String>,
    pub locale: Option<Option<Locale>>,
}

impl ProfileChange {
    /// Parses the fields as given: `name` absent or a name ([`text::name`]); `locale` absent,
    /// null (`Some(None)`), or one of the languages. At least one of the two.
    pub fn parse(name: Option<&str>, locale: Option<Option<&str>>) -> Result<Self, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        if name.is_none() && locale.is_none() {
            errors.push("name", "give name, locale or both");
            return errors.finish(None);
        }
        let name = match name {
            Some(raw) => errors.check("name", text::name(raw)).map(Some),
            None => Some(None),
        };
        let locale = match locale {
            Some(Some(raw)) => errors.check("locale", Locale::parse(raw)).map(|l| Some(Some(l))),
            Some(None) => Some(Some(None)),
            None => Some(None),
        };
        errors.finish(name.zip(locale).map(|(name, locale)| Self { name, locale }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_is_kept_cleared_or_set() {
        let both = ProfileChange::parse(Some("  Marie Dupont "), Some(Some("nl"))).unwrap();
        assert_eq!(both, ProfileChange { name: Some("Marie Dupont".into()), locale: Some(Some(Locale::Nl)) });
        let back = ProfileChange::parse(None, Some(None)).unwrap();
        assert_eq!(back, ProfileChange { name: None, locale: Some(None) });
    }

    #[test]
    fn wrong_fields_are_named() {
        let fields = |errors: Vec<FieldError>| errors.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(ProfileChange::parse(Some(""), Some(Some("es"))).unwrap_err()), ["name", "locale"]);
        assert_eq!(fields(ProfileChange::parse(None, Some(Some("FR"))).unwrap_err()), ["locale"]);
        assert_eq!(fields(ProfileChange::parse(None, None).unwrap_err()), ["name"]);
    }
}
