//! Pages reached without a session (SPEC §14): "password forgotten", and the single-use
//! links of emails, where a person chooses a password: an invitation (`/invitations/{t}`)
//! or a reset (`/password/reset/{t}`). A used, replaced or expired link shows a page that
//! says so (410), never the form. The forms' CSRF tokens derive from the pre-session cookie
//! of the sign-in form.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use super::login::{checked_pre_session, keep_pre_session, pre_session, sign_in};
use crate::{
    auth::{link_token::LinkToken, password},
    client_address,
    db::System,
    domain::{email::Email, kinds::TokenKind},
    error::ApiError,
    service,
    web::{
        csrf,
        forms::FormErrors,
        i18n,
        page::{Page, PageError},
    },
};

#[derive(Serialize)]
struct ForgotView {
    csrf: String,
    email: String,
    sent: bool,
    errors: FormErrors,
}

/// `GET /password/forgot`: one field, the email address.
pub async fn forgot_form(page: Page, req: HttpRequest) -> Result<HttpResponse, PageError> {
    let (pre, fresh) = pre_session(&page, &req);
    let view = ForgotView {
        csrf: csrf::token(csrf::LOGIN_COOKIE, pre.as_str()),
        email: String::new(),
        sent: false,
        errors: FormErrors::new("forgot"),
    };
    let mut response = page.render(None, StatusCode::OK, "password_forgot.html", view)?;
    keep_pre_session(&page, &mut response, &pre, fresh);
    Ok(response)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /password/forgot`: the same page, saying the same thing, whether or not the address
/// has an account (the API's `POST /api/v1/auth/password-reset`, through the same door).
pub async fn forgot(page: Page, req: HttpRequest, form: web::Form<ForgotForm>) -> Result<HttpResponse, PageError> {
    let ForgotForm { email, csrf_token } = form.into_inner();
    let pre = checked_pre_session(&page, &req, &csrf_token)?;
    let lang = page.lang(None);
    let mut errors = FormErrors::new("forgot");
    let parsed = errors.check(lang, "email", "forgot.email.invalid", Email::parse(&email));
    let csrf = csrf::token(csrf::LOGIN_COOKIE, pre.as_str());
    let Some(parsed) = parsed else {
        let view = ForgotView { csrf, email, sent: false, errors };
        return page.render(None, StatusCode::UNPROCESSABLE_ENTITY, "password_forgot.html", view);
    };
    page.state.clone().into_inner().request_password_reset(parsed, client_address::of(&req));
    let view = ForgotView { csrf, email: String::new(), sent: true, errors };
    page.render(None, StatusCode::OK, "password_forgot.html", view)
}

#[derive(Serialize)]
struct ChooseView {
    csrf: String,
    /// `invitation` or `reset`: the page's words and the form's address.
    kind: &'static str,
    action: String,
    name: String,
    email: String,
    errors: FormErrors,
}

#[derive(Serialize)]
struct GoneView {
    kind: &'static str,
}

#[derive(Deserialize)]
pub struct ChooseForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
    #[serde(default)]
    csrf_token: String,
}

/// `GET /invitations/{token}`.
pub async fn invitation_form(page: Page, req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    choose_form(page, req, &path, TokenKind::Invitation).await
}

/// `POST /invitations/{token}`: sets the password, activates the user, signs it in.
pub async fn accept_invitation(
    page: Page,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ChooseForm>,
) -> Result<HttpResponse, PageError> {
    choose(page, req, &path, TokenKind::Invitation, form.into_inner()).await
}

/// `GET /password/reset/{token}`.
pub async fn reset_form(page: Page, req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    choose_form(page, req, &path, TokenKind::Reset).await
}

/// `POST /password/reset/{token}`: sets the new password, ends every other session and
/// token of the user, signs it in.
pub async fn reset(
    page: Page,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ChooseForm>,
) -> Result<HttpResponse, PageError> {
    choose(page, req, &path, TokenKind::Reset, form.into_inner()).await
}

fn kind_name(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Invitation => "invitation",
        TokenKind::Reset => "reset",
    }
}

fn action(kind: TokenKind, token: &LinkToken) -> String {
    match kind {
        TokenKind::Invitation => format!("/invitations/{}", token.as_str()),
        TokenKind::Reset => format!("/password/reset/{}", token.as_str()),
    }
}

fn gone(page: &Page, kind: TokenKind) -> Result<HttpResponse, PageError> {
    page.render(None, StatusCode::GONE, "link_gone.html", GoneView { kind: kind_name(kind) })
}

async fn choose_form(page: Page, req: HttpRequest, raw: &str, kind: TokenKind) -> Result<HttpResponse, PageError> {
    let Some(token) = LinkToken::parse(raw) else { return gone(&page, kind) };
    let lookup = token.clone();
    let live = page
        .state
        .db
        .read(System, move |tx, _| service::accounts::live_token(tx, &lookup, kind))
        .await
        .map_err(|e| page.fail(None, e))?;
    let Some((_, user)) = live else { return gone(&page, kind) };
    let (pre, fresh) = pre_session(&page, &req);
    let view = ChooseView {
        csrf: csrf::token(csrf::LOGIN_COOKIE, pre.as_str()),
        kind: kind_name(kind),
        action: action(kind, &token),
        name: user.name,
        email: user.email,
        errors: FormErrors::new("choose"),
    };
    let mut response = page.render(None, StatusCode::OK, "password_choose.html", view)?;
    keep_pre_session(&page, &mut response, &pre, fresh);
    Ok(response)
}

async fn choose(
    page: Page,
    req: HttpRequest,
    raw: &str,
    kind: TokenKind,
    form: ChooseForm,
) -> Result<HttpResponse, PageError> {
    let pre = checked_pre_session(&page, &req, &form.csrf_token)?;
    let Some(token) = LinkToken::parse(raw) else { return gone(&page, kind) };
    let lookup = token.clone();
    let live = page
        .state
        .db
        .read(System, move |tx, _| service::accounts::live_token(tx, &lookup, kind))
        .await
        .map_err(|e| page.fail(None, e))?;
    let Some((_, user)) = live else { return gone(&page, kind) };
    let lang = page.lang(None);
    let mut errors = FormErrors::new("choose");
    errors.check(lang, "password", "choose.password.invalid", password::check_policy(&form.password));
    if errors.is_empty() && form.password != form.password_confirm {
        errors.add("password_confirm", i18n::text(lang, "choose.password_confirm.different"));
    }
    if !errors.is_empty() {
        let view = ChooseView {
            csrf: csrf::token(csrf::LOGIN_COOKIE, pre.as_str()),
            kind: kind_name(kind),
            action: action(kind, &token),
            name: user.name,
            email: user.email,
            errors,
        };
        return page.render(None, StatusCode::UNPROCESSABLE_ENTITY, "password_choose.html", view);
    }
    let chosen = form.password;
    let hash = password::off_executor(move || password::hash(&chosen))
        .await
        .and_then(|hashed| hashed)
        .map_err(|e| page.fail(None, ApiError::Internal(e)))?;
    let used = page
        .state
        .db
        .write(System, move |tx, _| service::accounts::use_token(tx, &token, kind, &hash))
        .await
        .map_err(|e| page.fail(None, e))?;
    let Some(user) = used else { return gone(&page, kind) };
    tracing::info!(user_id = user.id, kind = kind_name(kind), "password chosen through an emailed link");
    sign_in(&page, user, "/").await
}
