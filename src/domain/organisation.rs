//! An organisation as described by an officer (API body, page form, CSV import line):
//! parsed once, for the three doors alike.

use super::{
    bce::Bce,
    email::Email,
    fields::{FieldError, FieldErrors},
    kinds::{Locale, OrganisationKind},
    text,
};

/// An organisation's description, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationInput {
    pub name: String,
    pub kind: OrganisationKind,
    pub locale: Locale,
    pub nis_code: Option<String>,
    pub population: Option<i64>,
    pub contact_email: Option<Email>,
    pub bce: Option<Bce>,
}

/// The fields as they came, text where people type text; empty optional text is absent.
#[derive(Clone, Debug)]
pub struct RawOrganisation<'a> {
    pub name: &'a str,
    pub kind: Result<OrganisationKind, String>,
    pub locale: Result<Locale, String>,
    pub nis_code: Option<&'a str>,
    pub population: Option<i64>,
    pub contact_email: Option<&'a str>,
    pub bce: Option<&'a str>,
}

/// Optional text: absent when missing or blank.
fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// A Belgian INS/NIS code: five digits.
pub fn nis_code(raw: &str) -> Result<String, String> {
    let code = raw.trim();
    if code.len() == 5 && code.chars().all(|c| c.is_ascii_digit()) {
        Ok(code.to_owned())
    } else {
        Err("must be a Belgian INS/NIS code of five digits".into())
    }
}

impl OrganisationInput {
    /// The organisation, or every invalid field (`name`, `kind`, `locale`, `nis_code`,
    /// `population`, `contact_email`, `bce`) in that order.
    pub fn parse(raw: RawOrganisation<'_>) -> Result<Self, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", text::name(raw.name));
        let kind = errors.check("kind", raw.kind);
        let locale = errors.check("locale", raw.locale);
        let nis_code = present(raw.nis_code).and_then(|c| errors.check("nis_code", nis_code(c)));
        if raw.population.is_some_and(|p| !(0..=100_000_000).contains(&p)) {
            errors.push("population", "must be between 0 and 100000000");
        }
        let contact_email = present(raw.contact_email).and_then(|e| errors.check("contact_email", Email::parse(e)));
        let bce = present(raw.bce).and_then(|b| errors.check("bce", Bce::parse(b)));
        let parsed = match (name, kind, locale) {
            (Some(name), Some(kind), Some(locale)) => {
                Some(Self { name, kind, locale, nis_code, population: raw.population, contact_email, bce })
            }
            _ => None,
        };
        errors.finish(parsed)
    }
}
