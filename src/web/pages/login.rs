//! Signing in and out, and the language switch.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use serde::{Deserialize, Serialize};

use crate::{
    auth::login::check_credentials,
    db::System,
    db::models::user::User,
    domain::kinds::Locale,
    error::ApiError,
    service,
    web::{
        cookies, csrf,
        forms::FormErrors,
        i18n,
        page::{Page, PageError, safe_next},
        render,
        session::{self, SessionId},
    },
};

/// How long the sign-in form's pre-session id lasts.
const LOGIN_COOKIE_SECONDS: i64 = 3600;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Serialize)]
struct LoginView {
    csrf: String,
    next: String,
    email: String,
    errors: FormErrors,
    /// The label of the single sign-on button, when there is one.
    sign_on: Option<String>,
}

/// `GET /login`: the sign-in form. Its CSRF token comes from a pre-session id kept in a
/// cookie of its own, so that the sign-in form too is protected against forgery.
pub async fn form(page: Page, req: HttpRequest, query: web::Query<NextQuery>) -> Result<HttpResponse, PageError> {
    let (pre, fresh) = pre_session(&page, &req);
    let view = LoginView {
        csrf: csrf::token(csrf::LOGIN_COOKIE, pre.as_str()),
        next: safe_next(query.next.as_deref()),
        email: String::new(),
        errors: FormErrors::new("login"),
        sign_on: sign_on_label(&page),
    };
    let mut response = page.render(None, StatusCode::OK, "login.html", view)?;
    keep_pre_session(&page, &mut response, &pre, fresh);
    Ok(response)
}

/// The pre-session id of a form shown before sign-in (its CSRF token derives from it), and
/// whether it is new (then [`keep_pre_session`] sets its cookie).
pub(super) fn pre_session(page: &Page, req: &HttpRequest) -> (SessionId, bool) {
    let name = cookies::name(csrf::LOGIN_COOKIE, page.state.config.https());
    match cookies::get(req, &name).and_then(|v| SessionId::parse(&v)) {
        Some(existing) => (existing, false),
        None => (SessionId::generate(), true),
    }
}

pub(super) fn keep_pre_session(page: &Page, response: &mut HttpResponse, pre: &SessionId, fresh: bool) {
    if fresh {
        let secure = page.state.config.https();
        let name = cookies::name(csrf::LOGIN_COOKIE, secure);
        set_cookie(response, &cookies::set(&name, pre.as_str(), LOGIN_COOKIE_SECONDS, secure));
    }
}

/// The pre-session of a form posted before sign-in, if its CSRF token is right; 403 otherwise.
pub(super) fn checked_pre_session(page: &Page, req: &HttpRequest, token: &str) -> Result<SessionId, PageError> {
    let name = cookies::name(csrf::LOGIN_COOKIE, page.state.config.https());
    let pre = cookies::get(req, &name).and_then(|v| SessionId::parse(&v));
    pre.filter(|p| csrf::valid(csrf::LOGIN_COOKIE, p.as_str(), token))
        .ok_or_else(|| page.fail(None, ApiError::Forbidden("csrf")))
}

/// Opens a page session for `user` and answers `303` to `next`, with its cookie (and the
/// pre-session's removed).
pub(super) async fn sign_in(page: &Page, user: User, next: &str) -> Result<HttpResponse, PageError> {
    let secure = page.state.config.https();
    let id = SessionId::generate();
    let (hash, opened) = (id.hash(), user.clone());
    page.state
        .db
        .write(System, move |tx, _| service::web_sessions::open(tx, &opened, &hash, session::LIFETIME))
        .await
        .map_err(|e| page.fail(None, e))?;
    tracing::info!(user_id = user.id, "signed in to the pages");
    let mut response = render::see_other(next).finish();
    let lifetime = session::LIFETIME.num_seconds();
    set_cookie(&mut response, &cookies::set(&cookies::name(session::COOKIE, secure), id.as_str(), lifetime, secure));
    set_cookie(&mut response, &cookies::set(&cookies::name(csrf::LOGIN_COOKIE, secure), "", 0, secure));
    Ok(response)
}

/// The single sign-on button's label (`MUTUA_OIDC_NAME`), when single sign-on is on.
fn sign_on_label(page: &Page) -> Option<String> {
    page.state.sign_on.as_ref().and_then(|sso| sso.name()).map(str::to_owned)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
    next: Option<String>,
}

/// `POST /login`: through the API login's checks and throttle; a session and `303` to
/// where the person was going, or the form again with what went wrong.
pub async fn login(page: Page, req: HttpRequest, form: web::Form<LoginForm>) -> Result<HttpResponse, PageError> {
    let LoginForm { email, password, csrf_token, next } = form.into_inner();
    let pre = checked_pre_session(&page, &req, &csrf_token)?;
    let lang = page.lang(None);
    let next = safe_next(next.as_deref());
    let mut errors = FormErrors::new("login");
    if email.trim().is_empty() {
        errors.add("email", i18n::text(lang, "login.email.empty"));
    }
    if password.is_empty() {
        errors.add("password", i18n::text(lang, "login.password.empty"));
    }
    let again = |errors: FormErrors, status: StatusCode| {
        let view = LoginView {
            csrf: csrf::token(csrf::LOGIN_COOKIE, pre.as_str()),
            next: next.clone(),
            email: email.clone(),
            errors,
            sign_on: sign_on_label(&page),
        };
        page.render(None, status, "login.html", view)
    };
    if !errors.is_empty() {
        return again(errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let user = match check_credentials(&page.state.db, &page.state.login_throttle, &req, &email, password).await {
        Ok(user) => user,
        Err(ApiError::Unauthenticated) => {
            errors.add("email", i18n::text(lang, "login.wrong"));
            return again(errors, StatusCode::UNAUTHORIZED);
        }
        Err(refused @ ApiError::TooManyRequests { .. }) => {
            errors.add("email", super::super::page::error_message(&refused, lang).1);
            return again(errors, StatusCode::TOO_MANY_REQUESTS);
        }
        Err(other) => return Err(page.fail(None, other)),
    };
    sign_in(&page, user, &next).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /logout`: ends the session (on every process: it is gone from the database).
pub async fn logout(page: Page, req: HttpRequest, form: web::Form<TokenForm>) -> Result<HttpResponse, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let secure = page.state.config.https();
    let name = cookies::name(session::COOKIE, secure);
    if let Some(id) = cookies::get(&req, &name).and_then(|v| SessionId::parse(&v)) {
        let hash = id.hash();
        page.state
            .db
            .write(System, move |tx, _| service::web_sessions::close(tx, &hash))
            .await
            .map_err(|e| page.fail(None, e))?;
    }
    let mut response = render::see_other("/login").finish();
    set_cookie(&mut response, &cookies::set(&name, "", 0, secure));
    Ok(response)
}

/// `GET /lang/{code}?next=`: the language switch; kept in a cookie for a year.
pub async fn language(
    page: Page,
    path: web::Path<String>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = Locale::parse(&path).map_err(|_| page.fail(None, ApiError::NotFound))?;
    let mut response = render::see_other(&safe_next(query.next.as_deref())).finish();
    let secure = page.state.config.https();
    set_cookie(&mut response, &cookies::set(i18n::COOKIE, lang.as_str(), 365 * 24 * 3600, secure));
    Ok(response)
}

pub(super) fn set_cookie(response: &mut HttpResponse, value: &str) {
    if let Ok(value) = header::HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
