//! A need as posted: parsed once, for the API's body, the need form and the search for
//! similar pools alike.

use super::{cpv::CpvCode, fields::FieldError, fields::FieldErrors, money::Cents, personal_data, text};

/// A need as posted, parsed.
#[derive(Clone, Debug)]
pub struct NeedInput {
    pub title: String,
    pub description: String,
    pub cpv_code: Option<String>,
    pub estimated_cost_cents: Option<Cents>,
}

impl NeedInput {
    /// The need, or every invalid field (`title`, `description`, `cpv_code`,
    /// `estimated_cost_cents`). The title and description are published with the pool, so
    /// personal data in them is refused ([`personal_data`]). The estimate comes parsed by the door, whose input differs
    /// (cents in the API's JSON, euros as people write them in the form); its error is
    /// kept in its place among the others.
    pub fn parse(
        title: &str,
        description: &str,
        cpv_code: Option<&str>,
        estimate: Option<Result<Cents, String>>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", text::title(title).and_then(personal_data::absent));
        let description = errors.check("description", text::description(description).and_then(personal_data::absent));
        let cpv_code = cpv_code.and_then(|c| errors.check("cpv_code", CpvCode::parse(c)));
        let estimated_cost_cents = estimate.and_then(|cost| errors.check("estimated_cost_cents", cost));
        let need = title.zip(description).map(|(title, description)| Self {
            title,
            description,
            cpv_code: cpv_code.map(|c| c.as_str().to_owned()),
            estimated_cost_cents,
        });
        errors.finish(need)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_invalid_field_is_named_in_order() {
        let fields = |e: Vec<FieldError>| e.into_iter().map(|e| e.field).collect::<Vec<_>>();
        let refused = NeedInput::parse("x", "", Some("123"), Some(Cents::positive(0))).unwrap_err();
        assert_eq!(fields(refused), ["title", "cpv_code", "estimated_cost_cents"]);
        let need = NeedInput::parse(" Registre des concessions ", "", Some("48000000-8"), None).unwrap();
        assert_eq!(need.title, "Registre des concessions");
        assert_eq!(need.cpv_code.as_deref(), Some("48000000-8"));
        assert_eq!(need.estimated_cost_cents, None);
    }

    #[test]
    fn personal_data_is_refused_in_the_title_and_description() {
        let refused = NeedInput::parse("Appeler le 0471 23 45 67", "marie.dupont@gembloux.be", None, None).unwrap_err();
        assert_eq!(
            refused,
            [FieldError::new("title", personal_data::MESSAGE), FieldError::new("description", personal_data::MESSAGE)]
        );
        assert!(
            NeedInput::parse("Registre", "45 000 € pour 26 000 habitants (5030), CPV 48000000-8", None, None).is_ok()
        );
    }
}
