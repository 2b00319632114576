//! Forms as GOV.UK's pattern has them: each error beside its field, in the page's
//! language, every error also in a summary at the top that links to its field, and the
//! values typed kept.
//!
//! The fields are parsed with the same domain functions as the API's bodies
//! (`domain::text`, `CpvCode`, `Cents`), so a rule is written once; only the words differ.
//! Form structs accept fields they do not know (a browser sends what the form holds, the
//! submit button included) and default missing ones to empty, which is then an error
//! shown beside the field rather than a bare 400.

use chrono::NaiveDate;
use serde::Serialize;

use super::i18n;
use crate::{
    domain::{
        amount::{self, AmountError},
        day::{self, DayError},
        kinds::Locale,
        money::Cents,
        personal_data,
    },
    error::{ApiError, FieldError},
};

/// One error of a form: the field's name, the id of its input (`{form}-{field}`, unique on
/// the page), and the words.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    pub field: String,
    pub anchor: String,
    pub message: String,
}

/// The errors of one form.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FormErrors {
    /// Which form on the page they belong to.
    pub form: String,
    pub problems: Vec<Problem>,
}

impl FormErrors {
    pub fn new(form: &str) -> Self {
        Self { form: form.to_owned(), problems: Vec::new() }
    }

    pub fn add(&mut self, field: &str, message: String) {
        let anchor = format!("{}-{field}", self.form);
        self.problems.push(Problem { field: field.to_owned(), anchor, message });
    }

    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// Keeps a parse that succeeded; records the message `key` for one that failed.
    pub fn check<T, E>(&mut self, lang: Locale, field: &str, key: &str, parsed: Result<T, E>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(_) => {
                self.add(field, i18n::text(lang, key));
                None
            }
        }
    }

    /// A text typed into `field` ([`crate::domain::text`]): personal data refused by its own
    /// words, any other error by the message `key`.
    pub fn text<T>(&mut self, lang: Locale, field: &str, key: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, words(lang, key, &message));
                None
            }
        }
    }

    /// An amount of euros typed into `field`, worded by what is wrong with it.
    pub fn amount(&mut self, lang: Locale, field: &str, raw: &str) -> Option<Cents> {
        match amount::parse_euros(raw, lang) {
            Ok(cents) => Some(cents),
            Err(error) => {
                self.add(field, amount_message(lang, error));
                None
            }
        }
    }

    /// A date typed into `field`, worded by what is wrong with it.
    pub fn day(&mut self, lang: Locale, field: &str, raw: &str) -> Option<NaiveDate> {
        match day::parse_day(raw) {
            Ok(date) => Some(date),
            Err(error) => {
                self.add(field, day_message(lang, error));
                None
            }
        }
    }

    /// An optional amount: `Ok(None)` when nothing is typed, `Err(())` once the error is
    /// recorded.
    pub fn optional_amount(&mut self, lang: Locale, field: &str, raw: &str) -> Result<Option<Cents>, ()> {
        if raw.trim().is_empty() { Ok(None) } else { self.amount(lang, field, raw).map(Some).ok_or(()) }
    }

    /// An optional date: `Ok(None)` when nothing is typed, `Err(())` once the error is
    /// recorded.
    pub fn optional_day(&mut self, lang: Locale, field: &str, raw: &str) -> Result<Option<NaiveDate>, ()> {
        if raw.trim().is_empty() { Ok(None) } else { self.day(lang, field, raw).map(Some).ok_or(()) }
    }

    /// The errors of a refusal by the service, worded for the page: a field's error beside
    /// the field (`fields` maps the API's names to the form's), anything else at the top,
    /// tied to `first_field`.
    pub fn refused(lang: Locale, form: &str, first_field: &str, fields: &[(&str, &str)], error: &ApiError) -> Self {
        match error {
            ApiError::Validation(problems) => Self::fields(lang, form, fields, problems),
            other => {
                let mut errors = Self::new(form);
                errors.add(first_field, super::page::error_message(other, lang).1);
                errors
            }
        }
    }

    /// The field errors of a domain parser (the API's `errors`), worded for the page: each
    /// by its field's message key `field.{name}.invalid` (`renamed` maps the API's names to
    /// the form's), personal data by its own words, or the API's words where the pages have
    /// none.
    pub fn fields(lang: Locale, form: &str, renamed: &[(&str, &str)], problems: &[FieldError]) -> Self {
        let mut errors = Self::new(form);
        for FieldError { field, message } in problems {
            let name = renamed.iter().find(|(api, _)| api == field).map_or(field.as_str(), |(_, f)| f);
            let key = format!("field.{name}.invalid");
            let words = if i18n::has(&key) { words(lang, &key, message) } else { message.clone() };
            errors.add(name, words);
        }
        errors
    }
}

/// A text field's error in the page's words: the refusal of personal data
/// ([`personal_data::MESSAGE`]) says so, any other by `key`.
fn words(lang: Locale, key: &str, message: &str) -> String {
    i18n::text(lang, if message == personal_data::MESSAGE { "field.personal_data" } else { key })
}

fn day_message(lang: Locale, error: DayError) -> String {
    i18n::text(
        lang,
        match error {
            DayError::Empty => "date.empty",
            DayError::NotADate => "date.not_a_date",
            DayError::ShortYear => "date.short_year",
            DayError::NoSuchDay => "date.no_such_day",
        },
    )
}

/// What is wrong with an amount typed in euros, in words.
pub fn amount_message(lang: Locale, error: AmountError) -> String {
    i18n::text(
        lang,
        match error {
            AmountError::Empty => "amount.empty",
            AmountError::NotANumber => "amount.not_a_number",
            AmountError::Ambiguous => "amount.ambiguous",
            AmountError::TooPrecise => "amount.too_precise",
            AmountError::NotPositive => "amount.not_positive",
            AmountError::TooLarge => "amount.too_large",
        },
    )
}

/// Whether a refusal belongs beside a form (the person can fix it there) rather than on
/// an error page of its own.
pub fn shown_with_the_form(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Validation(_)
            | ApiError::WrongState { .. }
            | ApiError::ApprovalBlocked { .. }
            | ApiError::Conflict(_)
            | ApiError::CoolingOff { .. }
            | ApiError::AboveCost { .. }
            | ApiError::NoTarget
            | ApiError::TooManyRequests { .. }
            | ApiError::NotFound
    )
}
