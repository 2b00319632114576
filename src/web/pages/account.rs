//! `/account` (SPEC §14): the signed-in person's own name, language and password, and
//! "sign out everywhere". Each form runs the service function the API runs
//! (`PATCH /api/v1/me`, `POST /api/v1/me/password`) and answers `303` back here with a
//! success message, or the page again with the errors beside their fields (typed text kept,
//! passwords never).

use actix_web::{HttpRequest, HttpResponse, ResponseError, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use super::login::set_cookie;
use crate::{
    auth::{login::new_password_hash, password},
    domain::{kinds::Locale, profile::ProfileChange},
    error::ApiError,
    service,
    web::{
        cookies,
        forms::{FormErrors, shown_with_the_form},
        i18n,
        page::{Page, PageError},
        session::{self, SessionId},
    },
};

#[derive(Serialize)]
struct Language {
    code: &'static str,
    name: &'static str,
}

#[derive(Serialize)]
struct AccountView {
    email: String,
    organisation: String,
    /// The name in the name form: as recorded, or as typed when refused.
    name: String,
    /// The person's own language, `""` for its organisation's.
    locale: &'static str,
    organisation_locale: &'static str,
    /// Each language, named in itself.
    locales: Vec<Language>,
    errors: FormErrors,
}

/// `GET /account`: anyone signed in.
pub async fn account(page: Page) -> Result<HttpResponse, PageError> {
    show(&page, None, |_| FormErrors::default(), StatusCode::OK).await
}

/// The page, with the errors (worded in the page's language) of a form refused.
async fn show(
    page: &Page,
    typed_name: Option<String>,
    errors: impl FnOnce(Locale) -> FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (user, (me, organisation)) = page
        .read(|tx, user| {
            let me = service::users::me(tx, &user.auth)?;
            Ok((me, service::organisations::visible(tx, &user.auth, user.auth.organisation_id)?))
        })
        .await?;
    let view = AccountView {
        email: me.email,
        organisation: organisation.name,
        name: typed_name.unwrap_or(me.name),
        locale: me.locale.map_or("", Locale::as_str),
        organisation_locale: organisation.locale.as_str(),
        locales: Locale::ALL.iter().map(|&l| Language { code: l.as_str(), name: i18n::endonym(l) }).collect(),
        errors: errors(page.lang(Some(&user))),
    };
    page.render(Some(&user), status, "account.html", view)
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /account/name`.
pub async fn name(page: Page, form: web::Form<NameForm>) -> Result<HttpResponse, PageError> {
    let NameForm { name, csrf_token } = form.into_inner();
    page.check_csrf(&csrf_token)?;
    let change = ProfileChange::parse(Some(&name), None).map_err(ApiError::Validation);
    let outcome = match change {
        Ok(change) => page.attempt(move |tx, user| service::users::set_profile(tx, &user.auth, &change)).await,
        Err(refused) => Err(refused),
    };
    match outcome {
        Ok(_) => Ok(page.done("/account", "name-saved")),
        Err(refused) => refused_here(&page, "name", "name", Some(name), refused).await,
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    locale: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /account/language`: `locale` empty goes back to the organisation's language. The
/// language switch's cookie is forgotten: the account's language is the person's choice now.
pub async fn language(page: Page, form: web::Form<LanguageForm>) -> Result<HttpResponse, PageError> {
    let LanguageForm { locale, csrf_token } = form.into_inner();
    page.check_csrf(&csrf_token)?;
    let chosen = locale.trim();
    let change = ProfileChange::parse(None, Some((!chosen.is_empty()).then_some(chosen))).map_err(ApiError::Validation);
    let outcome = match change {
        Ok(change) => page.attempt(move |tx, user| service::users::set_profile(tx, &user.auth, &change)).await,
        Err(refused) => Err(refused),
    };
    match outcome {
        Ok(_) => {
            let mut response = page.done("/account", "language-saved");
            set_cookie(&mut response, &cookies::set(i18n::COOKIE, "", 0, page.state.config.https()));
            Ok(response)
        }
        Err(refused) => refused_here(&page, "language", "locale", None, refused).await,
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_confirm: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /account/password`: the current password, checked and throttled as the API's
/// password change is, and the new one twice. Every other session and token of the person
/// ends; this one goes on under a new id.
pub async fn password(page: Page, req: HttpRequest, form: web::Form<PasswordForm>) -> Result<HttpResponse, PageError> {
    let PasswordForm { current_password, new_password, new_password_confirm, csrf_token } = form.into_inner();
    page.check_csrf(&csrf_token)?;
    if new_password != new_password_confirm && password::check_policy(&new_password).is_ok() {
        let errors = |lang| {
            let mut errors = FormErrors::new("password");
            errors.add("new_password_confirm", i18n::text(lang, "choose.password_confirm.different"));
            errors
        };
        return show(&page, None, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let (_, current) = page.read(|tx, user| service::users::me(tx, &user.auth)).await?;
    let hash = match new_password_hash(&page.state.login_throttle, &req, current, current_password, new_password).await
    {
        Ok(hash) => hash,
        Err(refused) => return refused_here(&page, "password", "current_password", None, refused).await,
    };
    let old = page.session_hash();
    let id = SessionId::generate();
    let fresh = id.hash();
    page.write(move |tx, user| {
        let updated = service::users::set_password(tx, &user.auth, &hash)?;
        service::web_sessions::renew(tx, &old.unwrap_or_default(), &updated, &fresh, session::LIFETIME)
    })
    .await?;
    let mut response = page.done("/account", "password-changed");
    let secure = page.state.config.https();
    let lifetime = session::LIFETIME.num_seconds();
    set_cookie(&mut response, &cookies::set(&cookies::name(session::COOKIE, secure), id.as_str(), lifetime, secure));
    Ok(response)
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /account/sign-out-everywhere`: ends every page session and API token of the
/// person, this one included; the sign-in page then says so.
pub async fn sign_out_everywhere(page: Page, form: web::Form<TokenForm>) -> Result<HttpResponse, PageError> {
    page.check_csrf(&form.csrf_token)?;
    page.write(|tx, user| service::accounts::sign_out_everywhere(tx, &user.auth)).await?;
    let mut response = page.done("/login", "signed-out-everywhere");
    let secure = page.state.config.https();
    set_cookie(&mut response, &cookies::set(&cookies::name(session::COOKIE, secure), "", 0, secure));
    Ok(response)
}

/// The page again with a refusal beside `field` of `form`, or the refusal's own page.
async fn refused_here(
    page: &Page,
    form: &str,
    field: &str,
    typed_name: Option<String>,
    refused: ApiError,
) -> Result<HttpResponse, PageError> {
    if !shown_with_the_form(&refused) || matches!(refused, ApiError::NotFound) {
        return Err(page.fail(None, refused));
    }
    let status = refused.status_code();
    let errors = |lang| FormErrors::refused(lang, form, field, &[], &refused);
    show(page, typed_name, errors, status).await
}
