//! The one field-error type: which field of an input is wrong, and what is wrong with it.
//! Parsers of `domain` return it; the API renders it in its problem's
//! `errors: [{field, message}]` (the message as written here), the pages beside the field
//! and in the error summary, in the person's language (`web::forms::FormErrors::fields`,
//! by the field's message key `field.{field}.invalid`).

use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field of an input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The request field, as named in the JSON body or query string.
    #[schema(example = "title")]
    pub field: String,
    #[schema(example = "must be between 3 and 200 characters")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Collects the errors of an input's fields, parsed one after the other.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Keeps the value of a parse that succeeded; records the message of one that failed.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.push(field, message);
                None
            }
        }
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `value` when no field failed, else every error in the order met.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(self.0),
        }
    }
}
