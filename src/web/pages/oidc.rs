//! Signing in through the authority's identity provider (SPEC §14, single sign-on).
//!
//! `GET /login/oidc` keeps a new attempt in the database (under the SHA-256 of a random
//! 256-bit `state`, with its nonce and PKCE verifier), puts the `state` in a cookie of its
//! own, and sends the person to the provider. `GET /login/oidc/callback` admits the return
//! only with the `state` of that browser's cookie, takes the attempt (once), has the code
//! exchanged and the ID token checked (`auth::oidc`), and opens the same page session as a
//! password sign-in for the active user with that verified email. Every refusal is a page
//! that says why, in the person's language, and opens no session.
//!
//! Why the database rather than memory or a cookie alone: the return may reach another
//! instance behind the proxy than the one that began the attempt, and deleting the row
//! when it is taken makes a `state` serve once, on every instance. The nonce and the PKCE
//! verifier never reach the browser.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use super::login::set_cookie;
use crate::{
    auth::oidc::SignOnError,
    db::System,
    error::ApiError,
    service::sign_on::{self, SignOn},
    web::{
        cookies, i18n,
        page::{Page, PageError, safe_next},
        render,
        session::{self, SessionId},
    },
};

/// The base name of the cookie holding an attempt's `state`.
pub const COOKIE: &str = "mutua_oidc";

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// `GET /login/oidc`: to the provider (404 when single sign-on is not configured).
pub async fn start(page: Page, query: web::Query<StartQuery>) -> Result<HttpResponse, PageError> {
    let Some(sso) = page.state.sign_on.clone() else { return Err(page.fail(None, ApiError::NotFound)) };
    let (state, nonce) = (SessionId::generate(), SessionId::generate());
    let started = match sso.start(state.as_str(), nonce.as_str()).await {
        Ok(started) => started,
        Err(error) => return refused(&page, Refusal::from(error)),
    };
    let (state_hash, next) = (state.hash(), safe_next(query.next.as_deref()));
    let (nonce, verifier) = (nonce.as_str().to_owned(), started.pkce_verifier);
    page.state
        .db
        .write(System, move |tx, _| sign_on::begin(tx, &state_hash, nonce, verifier, next))
        .await
        .map_err(|e| page.fail(None, e))?;
    let secure = page.state.config.https();
    let mut response = render::see_other(&started.url).finish();
    let lifetime = sign_on::ATTEMPT_LIFETIME.num_seconds();
    set_cookie(&mut response, &cookies::set(&cookies::name(COOKIE, secure), state.as_str(), lifetime, secure));
    Ok(response)
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// `GET /login/oidc/callback`: the provider's return.
pub async fn callback(
    page: Page,
    req: HttpRequest,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, PageError> {
    let Some(sso) = page.state.sign_on.clone() else { return Err(page.fail(None, ApiError::NotFound)) };
    let CallbackQuery { state, code, error } = query.into_inner();
    let secure = page.state.config.https();
    let cookie_name = cookies::name(COOKIE, secure);
    // The state must be the one this browser was given: a return carried to another
    // browser (to sign its user in as someone else) or altered on the way is refused.
    let held = cookies::get(&req, &cookie_name).and_then(|v| SessionId::parse(&v)).map(|s| s.hash());
    let returned = state.as_deref().and_then(SessionId::parse).map(|s| s.hash());
    let state_hash = match (held, returned) {
        (Some(held), Some(returned)) if held == returned => returned,
        _ => return refused(&page, Refusal::State),
    };
    let attempt = page
        .state
        .db
        .write(System, move |tx, _| sign_on::take(tx, &state_hash))
        .await
        .map_err(|e| page.fail(None, e))?;
    let Some(attempt) = attempt else { return refused(&page, Refusal::State) };
    if let Some(error) = error {
        tracing::info!(%error, "the OpenID provider returned an error");
        return refused(&page, Refusal::Cancelled);
    }
    let Some(code) = code else { return refused(&page, Refusal::State) };
    let email = match sso.finish(code, attempt.pkce_verifier, &attempt.nonce).await {
        Ok(email) => email,
        Err(error) => return refused(&page, Refusal::from(error)),
    };
    let id = SessionId::generate();
    let hash = id.hash();
    let outcome = page
        .state
        .db
        .write(System, move |tx, _| sign_on::sign_in(tx, &email, &hash, session::LIFETIME))
        .await
        .map_err(|e| page.fail(None, e))?;
    let user = match outcome {
        SignOn::SignedIn(user) => user,
        SignOn::UnknownEmail => return refused(&page, Refusal::UnknownEmail),
        SignOn::Disabled { user_id } => {
            tracing::info!(user_id, "single sign-on of a disabled user refused");
            return refused(&page, Refusal::Disabled);
        }
    };
    tracing::info!(user_id = user.id, "signed in to the pages by single sign-on");
    let mut response = render::see_other(&attempt.next_path).finish();
    let lifetime = session::LIFETIME.num_seconds();
    set_cookie(&mut response, &cookies::set(&cookies::name(session::COOKIE, secure), id.as_str(), lifetime, secure));
    set_cookie(&mut response, &cookies::set(&cookie_name, "", 0, secure));
    Ok(response)
}

/// Why a sign-on was refused, as people are told.
#[derive(Clone, Copy, Debug)]
enum Refusal {
    /// No attempt of this browser matches the return: altered, already used, lapsed.
    State,
    /// The person cancelled, or the provider refused them.
    Cancelled,
    /// The provider could not be reached.
    Unavailable,
    /// The provider refused the code, or its ID token failed a check.
    Failed,
    UnverifiedEmail,
    UnknownEmail,
    Disabled,
}

impl From<SignOnError> for Refusal {
    fn from(error: SignOnError) -> Self {
        tracing::warn!(%error, "single sign-on refused");
        match error {
            SignOnError::Unavailable(_) => Refusal::Unavailable,
            SignOnError::CodeRefused(_) | SignOnError::BadIdToken(_) => Refusal::Failed,
            SignOnError::UnverifiedEmail => Refusal::UnverifiedEmail,
        }
    }
}

impl Refusal {
    fn key(self) -> &'static str {
        match self {
            Refusal::State => "sso.refused.state",
            Refusal::Cancelled => "sso.refused.cancelled",
            Refusal::Unavailable => "sso.refused.unavailable",
            Refusal::Failed => "sso.refused.failed",
            Refusal::UnverifiedEmail => "sso.refused.unverified_email",
            Refusal::UnknownEmail => "sso.refused.unknown_email",
            Refusal::Disabled => "sso.refused.disabled",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Refusal::State | Refusal::Cancelled | Refusal::Failed => StatusCode::BAD_REQUEST,
            Refusal::Unavailable => StatusCode::BAD_GATEWAY,
            Refusal::UnverifiedEmail | Refusal::UnknownEmail | Refusal::Disabled => StatusCode::FORBIDDEN,
        }
    }
}

#[derive(Serialize)]
struct RefusedView {
    reason: &'static str,
    message: String,
}

/// The page of a refusal; it also removes the attempt's cookie.
fn refused(page: &Page, refusal: Refusal) -> Result<HttpResponse, PageError> {
    let lang = page.lang(None);
    let view = RefusedView { reason: refusal.key(), message: i18n::text(lang, refusal.key()) };
    let secure = page.state.config.https();
    let mut response = page.render(None, refusal.status(), "sso_refused.html", view)?;
    set_cookie(&mut response, &cookies::set(&cookies::name(COOKIE, secure), "", 0, secure));
    Ok(response)
}
