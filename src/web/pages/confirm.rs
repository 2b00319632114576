//! The confirmation step of a destructive or binding action (withdrawing a need or a
//! pledge, recording a refusal, approving, rejecting, cancelling, a pledge that funds a
//! pool): the server answers the first post with a page that says what will happen and
//! posts the same fields again with `confirmed=yes`. It works the same with and without
//! JavaScript, and nothing is done until the second post.

use std::collections::HashMap;

use actix_web::{HttpResponse, http::StatusCode};
use serde::Serialize;

use crate::{
    auth::WebUser,
    domain::kinds::Locale,
    web::{
        i18n,
        page::{Page, PageError},
    },
};

/// The field the confirmation page adds to the form it posts again.
pub const FIELD: &str = "confirmed";
/// Its value.
pub const YES: &str = "yes";

/// What an action asks before it is done.
pub struct Question {
    /// What will happen, in words.
    pub text: String,
    /// The words of the button that does it.
    pub submit: String,
    /// Whether the action takes something away (a red button).
    pub warning: bool,
}

impl Question {
    /// `key` filled with `words`, its button `key.submit`.
    pub fn plain(lang: Locale, key: &str, words: &[(&str, &str)]) -> Self {
        Self { text: i18n::fill(lang, key, words), submit: i18n::text(lang, &format!("{key}.submit")), warning: false }
    }

    /// Like [`Question::plain`], for an action that takes something away.
    pub fn warning(lang: Locale, key: &str, words: &[(&str, &str)]) -> Self {
        Self { warning: true, ..Self::plain(lang, key, words) }
    }
}

#[derive(Serialize)]
struct ConfirmView {
    text: String,
    submit: String,
    warning: bool,
    action: String,
    /// The fields as posted, sent again (sorted, so that the page is the same each time).
    fields: Vec<(String, String)>,
    field: &'static str,
    yes: &'static str,
    back: String,
}

/// The confirmation page of `question`: a form that posts `fields` to `action` again,
/// confirmed, and a way back to `back`.
pub fn page(
    page: &Page,
    user: &WebUser,
    question: Question,
    action: &str,
    fields: HashMap<String, String>,
    back: &str,
) -> Result<HttpResponse, PageError> {
    let mut fields: Vec<(String, String)> = fields.into_iter().filter(|(name, _)| name != FIELD).collect();
    fields.sort();
    let view = ConfirmView {
        text: question.text,
        submit: question.submit,
        warning: question.warning,
        action: action.to_owned(),
        fields,
        field: FIELD,
        yes: YES,
        back: back.to_owned(),
    };
    page.render(Some(user), StatusCode::OK, "confirm.html", view)
}
