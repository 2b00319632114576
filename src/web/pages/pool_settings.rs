//! A pool's settings (SPEC §14), for officers: `/pools/{id}/settings` edits its title,
//! description, cost, threshold and deadline as `PATCH /api/v1/pools/{id}` does, with the
//! same service function (`service::pools::edit`) and the same checks (personal data
//! refused, amounts above zero, a deadline not in the past, money only while open). Amounts
//! and dates are typed as people write them; the form sends what it shows, and only what
//! differs from the pool is edited, so that a closed pool's title can still be corrected.

use std::collections::HashMap;

use actix_web::{HttpResponse, ResponseError, http::StatusCode, web};
use chrono::{Datelike, NaiveDate, Utc};
use serde::Serialize;

use super::id_of;
use crate::{
    db::models::pool::Pool,
    domain::{format, kinds::Locale, money::Cents, personal_data, pool_state::PoolState, text},
    error::{ApiError, ApiResult},
    service::{self, pools::PoolEdit},
    web::{
        forms::{FormErrors, shown_with_the_form},
        page::{Page, PageError},
    },
};

type Fields = web::Form<HashMap<String, String>>;

/// The form's name: the prefix of its fields' ids.
const FORM: &str = "settings";

/// The fields as typed (or as the pool has them).
#[derive(Clone, Debug, Default, Serialize)]
struct SettingsForm {
    title: String,
    description: String,
    target: String,
    threshold: String,
    deadline: String,
}

impl SettingsForm {
    fn typed(values: &HashMap<String, String>) -> Self {
        let get = |name: &str| values.get(name).cloned().unwrap_or_default();
        Self {
            title: get("title"),
            description: get("description"),
            target: get("target"),
            threshold: get("threshold"),
            deadline: get("deadline"),
        }
    }

    /// The pool's values, written as a person would type them in `lang`.
    fn of(pool: &Pool, lang: Locale) -> Self {
        let amount = |cents: Option<Cents>| cents.map(|c| format::amount_field(c, lang)).unwrap_or_default();
        Self {
            title: pool.title.clone(),
            description: pool.description.clone(),
            target: amount(pool.target_cents),
            threshold: amount(pool.threshold_cents),
            deadline: pool.deadline.map(|d| day_field(d, lang)).unwrap_or_default(),
        }
    }
}

/// A date as a person types it: `30/6/2026`, in German `30.6.2026`.
fn day_field(day: NaiveDate, lang: Locale) -> String {
    let mark = if lang == Locale::De { '.' } else { '/' };
    format!("{}{mark}{}{mark}{}", day.day(), day.month(), day.year())
}

/// What the form asks for, parsed: every field, an empty optional one being "none".
struct Asked {
    title: String,
    description: String,
    target: Option<Cents>,
    threshold: Option<Cents>,
    deadline: Option<NaiveDate>,
}

impl Asked {
    /// Parses the form with the API's rules; each error in `lang`, beside its field.
    fn parse(form: &SettingsForm, lang: Locale) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::new(FORM);
        let title =
            errors.text(lang, "title", "field.title.invalid", text::title(&form.title).and_then(personal_data::absent));
        let description = errors.text(
            lang,
            "description",
            "field.description.invalid",
            text::description(&form.description).and_then(personal_data::absent),
        );
        let target = errors.optional_amount(lang, "target", &form.target);
        let threshold = errors.optional_amount(lang, "threshold", &form.threshold);
        let deadline = errors.optional_day(lang, "deadline", &form.deadline);
        match (title, description, target, threshold, deadline) {
            (Some(title), Some(description), Ok(target), Ok(threshold), Ok(deadline)) if errors.is_empty() => {
                Ok(Self { title, description, target, threshold, deadline })
            }
            _ => Err(errors),
        }
    }

    /// The `PATCH` these values make of `pool`: only what differs, so that an unchanged
    /// cost does not touch the money of a pool that is no longer open. A new deadline in
    /// the past is refused, as the API refuses it.
    fn edit(self, pool: &Pool, today: NaiveDate) -> ApiResult<PoolEdit> {
        if self.deadline != pool.deadline && self.deadline.is_some_and(|day| day < today) {
            return Err(ApiError::invalid("deadline", "must be today or later"));
        }
        let changed = |now: Option<Cents>, asked: Option<Cents>| (now != asked).then_some(asked);
        Ok(PoolEdit {
            title: (pool.title != self.title).then_some(self.title),
            description: (pool.description != self.description).then_some(self.description),
            target_cents: changed(pool.target_cents, self.target),
            threshold_cents: changed(pool.threshold_cents, self.threshold),
            deadline: (pool.deadline != self.deadline).then_some(self.deadline),
        })
    }
}

#[derive(Serialize)]
struct SettingsView {
    id: i64,
    title: String,
    state: &'static str,
    /// Whether cost, threshold and deadline may change (the pool is open).
    open: bool,
    form: SettingsForm,
    errors: FormErrors,
}

/// Renders the page: the pool's values, or those typed with their errors.
async fn show(
    page: &Page,
    id: i64,
    typed: Option<SettingsForm>,
    errors: impl FnOnce(Locale) -> FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (user, view) = page
        .read(move |tx, user| {
            user.officer()?;
            service::pool_view::load(tx, id)
        })
        .await?;
    let lang = page.lang(Some(&user));
    let pool = view.pool;
    let view = SettingsView {
        id,
        title: pool.title.clone(),
        state: pool.state.as_str(),
        open: pool.state == PoolState::Open,
        form: typed.unwrap_or_else(|| SettingsForm::of(&pool, lang)),
        errors: errors(lang),
    };
    page.render(Some(&user), status, "pool_settings.html", view)
}

/// `GET /pools/{id}/settings` (officers).
pub async fn form(page: Page, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let id = id_of(&page, &path)?;
    show(&page, id, None, |_| FormErrors::default(), StatusCode::OK).await
}

/// `POST /pools/{id}/settings` (officers): saves what changed, then back to the settings
/// with a message; or the form again with each error beside its field and what was typed.
pub async fn save(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    let mut values = fields.into_inner();
    page.check_csrf(&values.remove("csrf_token").unwrap_or_default())?;
    let id = id_of(&page, &path)?;
    let typed = SettingsForm::typed(&values);
    // Amounts are read in the language the form was shown in (`45.000,00` in Dutch is not
    // an English amount), which is the signed-in person's: known once the session is read.
    let (user, ()) = page.read(|_, user| user.officer().map(|_| ())).await?;
    let asked = match Asked::parse(&typed, page.lang(Some(&user))) {
        Ok(asked) => asked,
        Err(_) => {
            let form = typed.clone();
            let errors = move |lang| Asked::parse(&form, lang).err().unwrap_or_default();
            return show(&page, id, Some(typed), errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let today = Utc::now().date_naive();
    let outcome = page
        .attempt(move |tx, user| {
            let officer = user.officer()?;
            let pool = service::pool_view::load(tx, id)?.pool;
            service::pools::edit(tx, officer, id, asked.edit(&pool, today)?)
        })
        .await;
    match outcome {
        Ok(_) => Ok(page.done(&format!("/pools/{id}/settings"), "pool-saved")),
        Err(refused) if shown_with_the_form(&refused) && !matches!(refused, ApiError::NotFound) => {
            let status = refused.status_code();
            let errors = move |lang| FormErrors::refused(lang, FORM, "title", SETTINGS_FIELDS, &refused);
            show(&page, id, Some(typed), errors, status).await
        }
        Err(other) => Err(page.fail(None, other)),
    }
}

/// The API's names of the form's fields that differ.
const SETTINGS_FIELDS: &[(&str, &str)] = &[("target_cents", "target"), ("threshold_cents", "threshold")];
