//! The officers' removal of a provisional pledge (SPEC §15), behind a confirmation page
//! that asks for the reason (`GET` then `POST /pools/{id}/pledges/{organisation_id}/drop`),
//! and the form that sets an open pool's cost (`POST /pools/{id}/cost`), without which no
//! one can pledge.

use std::collections::HashMap;

use actix_web::{HttpResponse, ResponseError, http::StatusCode, web};
use serde::Serialize;

use super::id_of;
use crate::{
    domain::{format, kinds::Locale, text},
    error::ApiError,
    service,
    web::{
        forms::FormErrors,
        page::{Page, PageError},
    },
};

#[derive(Serialize)]
struct DropView {
    pool_id: i64,
    pool_title: String,
    organisation_id: i64,
    organisation: String,
    amount: String,
    reason: String,
    errors: FormErrors,
}

fn ids(page: &Page, path: &(String, String)) -> Result<(i64, i64), PageError> {
    Ok((id_of(page, &path.0)?, id_of(page, &path.1)?))
}

/// Renders the confirmation page, with what was typed and its errors.
async fn confirmation(
    page: &Page,
    (pool_id, organisation_id): (i64, i64),
    reason: String,
    errors: impl FnOnce(Locale) -> FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (user, (pool, organisation, pledge)) =
        page.read(move |tx, user| service::pledges::to_drop(tx, user.officer()?, pool_id, organisation_id)).await?;
    let lang = page.lang(Some(&user));
    let view = DropView {
        pool_id,
        pool_title: pool.title,
        organisation_id,
        organisation,
        amount: format::money(pledge.amount_cents, lang),
        reason,
        errors: errors(lang),
    };
    page.render(Some(&user), status, "pledge_drop.html", view)
}

/// `GET /pools/{id}/pledges/{organisation_id}/drop` (officers): the confirmation page.
pub async fn form(page: Page, path: web::Path<(String, String)>) -> Result<HttpResponse, PageError> {
    let ids = ids(&page, &path)?;
    confirmation(&page, ids, String::new(), |_| FormErrors::default(), StatusCode::OK).await
}

/// `POST /pools/{id}/pledges/{organisation_id}/drop` (officers): field `reason`, required;
/// `303` to the pool.
pub async fn drop(
    page: Page,
    path: web::Path<(String, String)>,
    fields: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let mut values = fields.into_inner();
    page.check_csrf(&values.remove("csrf_token").unwrap_or_default())?;
    let (pool_id, organisation_id) = ids(&page, &path)?;
    let typed = values.remove("reason").unwrap_or_default();
    let reason = match text::reason(&typed) {
        Ok(reason) => reason,
        Err(_) => {
            let errors = |lang| {
                let mut errors = FormErrors::new("drop");
                errors.add("reason", crate::web::i18n::text(lang, "field.reason.invalid"));
                errors
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return confirmation(&page, (pool_id, organisation_id), typed, errors, status).await;
        }
    };
    let outcome = page
        .attempt(move |tx, user| service::pledges::drop(tx, user.officer()?, pool_id, organisation_id, reason))
        .await;
    match outcome {
        Ok(_) => Ok(page.done(&format!("/pools/{pool_id}"), "pledge-dropped")),
        Err(refused @ (ApiError::Conflict(_) | ApiError::WrongState { .. })) => {
            let status = refused.status_code();
            let errors = move |lang| {
                let mut errors = FormErrors::new("drop");
                errors.add("reason", crate::web::page::error_message(&refused, lang).1);
                errors
            };
            confirmation(&page, (pool_id, organisation_id), typed, errors, status).await
        }
        Err(other) => Err(page.fail(None, other)),
    }
}
