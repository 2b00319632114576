//! What every page handler starts from: [`Page`], read from the request (the session
//! cookie, the language, where the person is), which runs the page's unit of work for the
//! signed-in person and renders its template; and [`PageError`], the page a failure shows.

use std::{
    future::{Ready, ready},
    sync::Arc,
};

use actix_web::{
    FromRequest, HttpRequest, HttpResponse, ResponseError,
    dev::Payload,
    http::{Method, StatusCode, header},
    web,
};
use serde::Serialize;

use super::{
    cache::Viewer,
    cookies, csrf, i18n,
    render::{self, Assets, Rendered},
    session::{self, SessionId, WebCaller},
};
use crate::{
    auth::WebUser,
    db::{Tx, WriteTx},
    domain::kinds::Locale,
    error::{ApiError, ApiResult},
    state::AppState,
};

/// The CSRF purpose of a signed-in person's forms.
pub const SESSION_FORMS: &str = "session";

/// A request for a page, as far as can be told without the database.
pub struct Page {
    pub state: web::Data<AppState>,
    session: Option<SessionId>,
    /// The language chosen with the switch, if any.
    chosen: Option<Locale>,
    /// The browser's preference among ours, or French.
    accepted: Locale,
    /// Where to come back after signing in.
    here: String,
    /// Whether the request is for a fragment htmx puts into a page (the similar pools),
    /// not a whole page.
    fragment: bool,
    /// A `GET` without a query: the page is the same for every viewer of a kind, and may
    /// be answered from memory.
    plain: bool,
    /// The client's address ([`crate::client_address::of`]), for the public pages' limit.
    client: std::net::IpAddr,
    /// What the last action did (the flash cookie set with its `303`), shown once.
    flash: Option<&'static str>,
    /// The request's path: where a form posted, for its confirmation to post again.
    path: String,
}

/// The cookie that carries what an action did to the page it leads to: the name of a
/// message (`pledge-set` for `flash.pledge_set`), never words typed by anyone.
const FLASH: &str = "mutua_flash";

impl FromRequest for Page {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
            return ready(Err(actix_web::error::ErrorInternalServerError("no state")));
        };
        let secure = state.config.https();
        let session = cookies::get(req, &cookies::name(session::COOKIE, secure)).and_then(|v| SessionId::parse(&v));
        let chosen = cookies::get(req, i18n::COOKIE).and_then(|v| Locale::parse(&v).ok());
        let accepted = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(i18n::from_accept_language)
            .unwrap_or(Locale::Fr);
        let here = if req.method() == Method::GET {
            req.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned()
        } else {
            page_of_form(req.path())
        };
        let fragment = req.headers().contains_key("hx-request") && !req.headers().contains_key("hx-boosted");
        let flash = cookies::get(req, FLASH).and_then(|name| flash_key(&name));
        // A page with a message of its own is not the kept page of its kind of viewer.
        let plain = req.method() == Method::GET && req.query_string().is_empty() && flash.is_none();
        let path = req.path().to_owned();
        let client = crate::client_address::of(req);
        ready(Ok(Page { state, session, chosen, accepted, here, fragment, plain, client, flash, path }))
    }
}

/// The message key a flash cookie names, if the catalogues have it.
fn flash_key(name: &str) -> Option<&'static str> {
    FLASHES.iter().find(|(cookie, _)| *cookie == name).map(|(_, key)| *key)
}

/// What an action may say on the page it leads to: the cookie's value and the message.
pub const FLASHES: &[(&str, &str)] = &[
    ("pledge-set", "flash.pledge_set"),
    ("pledge-withdrawn", "flash.pledge_withdrawn"),
    ("pledge-refused", "flash.pledge_refused"),
    ("pledge-confirmed", "flash.pledge_confirmed"),
    ("approved", "flash.approved"),
    ("rejected", "flash.rejected"),
    ("cancelled", "flash.cancelled"),
    ("awarded", "flash.awarded"),
    ("delivered", "flash.delivered"),
    ("merged", "flash.merged"),
    ("maintenance-opened", "flash.maintenance_opened"),
    ("need-withdrawn", "flash.need_withdrawn"),
    ("need-moved", "flash.need_moved"),
    ("dismissed", "flash.dismissed"),
    ("requeued", "flash.requeued"),
    ("cost-set", "flash.cost_set"),
    ("redacted", "flash.redacted"),
    ("pledge-dropped", "flash.pledge_dropped"),
    ("name-saved", "flash.name_saved"),
    ("language-saved", "flash.language_saved"),
    ("password-changed", "flash.password_changed"),
    ("signed-out-everywhere", "flash.signed_out_everywhere"),
    ("pool-saved", "flash.pool_saved"),
    ("imported", "flash.imported"),
];

/// The page a form was posted from, to come back to after signing in (and for the
/// language switch of a page shown in answer to a form): never a post-only address, which
/// would answer 405. A form acts on the thing its page shows, named by the first two
/// segments of where it posts (`/pools/7` for `/pools/7/pledge/withdraw`, `/organisations/3`
/// for `/organisations/3/users`; `/needs/new` and `/organisations/import` post to their own
/// page), except the forms of a page that post below it (`/account` for `/account/password`,
/// `/duplicates` for `/duplicates/dismiss`) and those of the officer's desk
/// (`/outbox/3/requeue`). The address comes from the posted path rather than the browser's
/// `Referer`: a page shown in answer to a refused form has the post-only address itself.
fn page_of_form(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [section @ ("account" | "duplicates"), ..] => format!("/{section}"),
        ["outbox", ..] | ["logout"] | [] => "/".to_owned(),
        [first, second, ..] => format!("/{first}/{second}"),
        [page] => format!("/{page}"),
    }
}

/// A path of this site to go to after signing in or switching language: a local path
/// only, never `//host` or a scheme, so that a link cannot send a person elsewhere.
pub fn safe_next(raw: Option<&str>) -> String {
    match raw {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && path.len() <= 1000
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The parts of the layout every page shares.
#[derive(Serialize)]
struct Chrome {
    user: Option<ChromeUser>,
    /// The token of the sign-out form.
    csrf: Option<String>,
    here: String,
    assets: Assets,
    languages: Vec<LanguageLink>,
    /// What the last action did, in the page's language.
    flash: Option<String>,
}

#[derive(Serialize)]
struct ChromeUser {
    name: String,
    organisation: String,
    officer: bool,
}

#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    name: &'static str,
    current: bool,
}

impl Page {
    /// The page's language for `user` (see [`super::i18n`]).
    pub fn lang(&self, user: Option<&WebUser>) -> Locale {
        self.chosen.or(user.map(|u| u.locale)).unwrap_or(self.accepted)
    }

    /// The language a posted form was shown in, to read its amounts and dates (`45.000` is a
    /// Dutch amount, not an English one): the signed-in person's, read from the database
    /// when this process does not know the session yet.
    pub async fn form_lang(&self) -> Result<Locale, PageError> {
        if let Some(user) = self.known_user() {
            return Ok(self.lang(Some(&user)));
        }
        let (user, ()) = self.read(|_, _| Ok(())).await?;
        Ok(self.lang(Some(&user)))
    }

    /// The signed-in person, when this process knows, without asking the database, that the
    /// session holds (see [`super::cache`]).
    pub fn known_user(&self) -> Option<Arc<WebUser>> {
        let session = self.session.as_ref()?;
        self.state.pages.session(&session.hash(), crate::db::now())
    }

    /// Who sees the page the same way as `user`, for a page that may be kept: `None` when
    /// the request asks for more than the plain page.
    pub fn viewer(&self, user: &WebUser) -> Option<Viewer> {
        let lang = self.lang(Some(user));
        self.plain.then(|| match user.auth.is_officer() {
            true => Viewer::Officer { lang },
            false => Viewer::Member { lang, organisation_id: user.auth.organisation_id },
        })
    }

    /// Renders a page to be kept: with [`render::marks`] in place of the person's own words.
    pub fn render_kept(&self, user: &WebUser, template: &str, page: impl Serialize) -> Result<Rendered, PageError> {
        let marks = render::marks();
        let mut stand_in = user.clone();
        stand_in.name = marks.name.clone();
        let body = self
            .render_chrome(Some(&stand_in), Some(marks.csrf.clone()), template, page)
            .map_err(|e| self.fail(Some(user), e))?;
        Ok(Rendered::cut(&body))
    }

    /// A kept page, filled with this request's form token and the person's name.
    pub fn respond_kept(&self, user: &WebUser, rendered: &Rendered) -> HttpResponse {
        let body = rendered.fill(&self.csrf_token().unwrap_or_default(), &user.name);
        render::html(StatusCode::OK, body)
    }

    /// The path the request was sent to (the form's `action`, for a post).
    pub fn here_action(&self) -> &str {
        &self.path
    }

    /// What the database keeps of this request's session id, if it has one.
    pub fn session_hash(&self) -> Option<String> {
        self.session.as_ref().map(SessionId::hash)
    }

    /// The token the signed-in person's forms carry.
    pub fn csrf_token(&self) -> Option<String> {
        self.session.as_ref().map(|s| csrf::token(SESSION_FORMS, s.as_str()))
    }

    /// 403 unless `token` is the CSRF token of this request's session.
    pub fn check_csrf(&self, token: &str) -> Result<(), PageError> {
        match &self.session {
            Some(session) if csrf::valid(SESSION_FORMS, session.as_str(), token) => Ok(()),
            _ => Err(self.fail(None, ApiError::Forbidden("csrf"))),
        }
    }

    /// Runs `work` for the signed-in person in one read transaction, the session checked
    /// first in it; without a session, the person is sent to sign in.
    pub async fn read<T, F>(&self, work: F) -> Result<(WebUser, T), PageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx<'_>, &WebUser) -> ApiResult<T> + Send + 'static,
    {
        let caller = self.caller()?;
        self.state
            .db
            .read(caller, move |tx, caller| {
                let user = caller.user()?.clone();
                let value = work(tx, &user)?;
                Ok((user, value))
            })
            .await
            .map_err(|e| self.fail(None, e))
    }

    /// Runs `work` for the signed-in person in one write transaction, after the session
    /// check and the person's budget of changes (the API's write limit).
    pub async fn write<T, F>(&self, work: F) -> Result<(WebUser, T), PageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut WriteTx<'_>, &WebUser) -> ApiResult<T> + Send + 'static,
    {
        self.attempt(work).await.map_err(|e| self.fail(None, e))
    }

    /// Like [`Page::write`], but hands the refusal back as it is, for a form to show it
    /// beside its field.
    pub async fn attempt<T, F>(&self, work: F) -> ApiResult<(WebUser, T)>
    where
        T: Send + 'static,
        F: FnOnce(&mut WriteTx<'_>, &WebUser) -> ApiResult<T> + Send + 'static,
    {
        let Some(session) = &self.session else { return Err(ApiError::Unauthenticated) };
        let state = self.state.clone();
        self.state
            .db
            .write(WebCaller::signed_in(session, &self.state.pages), move |tx, caller| {
                let user = caller.user()?.clone();
                state.write_limiter.check(user.auth.id)?;
                let value = work(tx, &user)?;
                Ok((user, value))
            })
            .await
    }

    /// Runs `work` for anyone (a public page): the person, if signed in, is passed along.
    pub async fn read_public<T, F>(&self, work: F) -> Result<(Option<WebUser>, T), PageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx<'_>) -> ApiResult<T> + Send + 'static,
    {
        if self.session.is_none() {
            // Anonymous: the client address's budget of public requests.
            self.state.public_budget.check(self.client).map_err(|e| self.fail(None, e))?;
        }
        let caller = WebCaller::anyone(self.session.as_ref());
        self.state
            .db
            .read(caller, move |tx, caller| Ok((caller.person().cloned(), work(tx)?)))
            .await
            .map_err(|e| self.fail(None, e))
    }

    fn caller(&self) -> Result<WebCaller, PageError> {
        match &self.session {
            Some(session) => Ok(WebCaller::signed_in(session, &self.state.pages)),
            None => Err(self.fail(None, ApiError::Unauthenticated)),
        }
    }

    /// Renders a page: `template` with the layout's parts and `page` as `page`.
    pub fn render(
        &self,
        user: Option<&WebUser>,
        status: StatusCode,
        template: &str,
        page: impl Serialize,
    ) -> Result<HttpResponse, PageError> {
        let body = self.render_body(user, template, page).map_err(|e| self.fail(user, e))?;
        let mut response = render::html(status, body);
        if self.flash.is_some() {
            // Said once: the browser forgets the message with this page.
            let gone = cookies::set(FLASH, "", 0, self.state.config.https());
            if let Ok(value) = header::HeaderValue::from_str(&gone) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        Ok(response)
    }

    /// `303 See Other` to `location` once an action is done, with what it did (a name of
    /// [`FLASHES`]) to show there.
    pub fn done(&self, location: &str, flash: &'static str) -> HttpResponse {
        debug_assert!(flash_key(flash).is_some(), "{flash} is a known message");
        render::see_other(location)
            .insert_header((header::SET_COOKIE, cookies::set(FLASH, flash, 120, self.state.config.https())))
            .finish()
    }

    fn render_body(&self, user: Option<&WebUser>, template: &str, page: impl Serialize) -> ApiResult<String> {
        self.render_chrome(user, user.and(self.csrf_token()), template, page)
    }

    fn render_chrome(
        &self,
        user: Option<&WebUser>,
        csrf: Option<String>,
        template: &str,
        page: impl Serialize,
    ) -> ApiResult<String> {
        let lang = self.lang(user);
        let chrome = Chrome {
            user: user.map(|u| ChromeUser {
                name: u.name.clone(),
                organisation: u.organisation.clone(),
                officer: u.auth.is_officer(),
            }),
            csrf,
            here: self.here.clone(),
            assets: Assets::current(),
            languages: [Locale::Fr, Locale::Nl, Locale::De, Locale::En]
                .into_iter()
                .map(|l| LanguageLink { code: l.as_str(), name: i18n::endonym(l), current: l == lang })
                .collect(),
            flash: self.flash.map(|key| i18n::text(lang, key)),
        };
        render::render(template, lang, minijinja::context! { lang => lang.as_str(), chrome, page })
    }

    /// The page that shows `error` (or, for a person not signed in, the way to sign in).
    pub fn fail(&self, user: Option<&WebUser>, error: ApiError) -> PageError {
        let secure = self.state.config.https();
        if matches!(error, ApiError::Unauthenticated) {
            let next = percent_encode(&self.here);
            return PageError {
                status: StatusCode::SEE_OTHER,
                body: String::new(),
                location: Some(format!("/login?next={next}")),
                // A fragment's script is told to load the sign-in page as a whole page,
                // rather than put it inside the page it was updating.
                whole_page: self.fragment,
                // A session that no longer holds is forgotten by the browser too.
                clear_session: self.session.is_some().then(|| cookies::name(session::COOKIE, secure)),
                retry_after: None,
            };
        }
        let lang = self.lang(user);
        let (status, message) = error_message(&error, lang);
        let body = self
            .render_body(user, "error.html", minijinja::context! { status => status.as_u16(), message })
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "cannot render the error page");
                message_only(status)
            });
        let retry_after = match error {
            ApiError::TooManyRequests { retry_after_seconds } | ApiError::CoolingOff { retry_after_seconds } => {
                Some(retry_after_seconds)
            }
            _ => None,
        };
        // The detail stays in the log, with the request id, as the API's error policy has it.
        match &error {
            ApiError::Internal(detail) => tracing::error!(error = ?detail, "internal error"),
            ApiError::Unavailable => tracing::warn!("database unavailable"),
            ApiError::Busy => tracing::warn!("database busy"),
            _ => {}
        }
        PageError { status, body, location: None, whole_page: false, clear_session: None, retry_after }
    }
}

/// The status and the words of an error page.
pub fn error_message(error: &ApiError, lang: Locale) -> (StatusCode, String) {
    let status = error.status_code();
    let message = match error {
        ApiError::Forbidden("csrf") => i18n::text(lang, "error.csrf"),
        ApiError::Forbidden(_) => i18n::text(lang, "error.forbidden"),
        ApiError::NotFound => i18n::text(lang, "error.not_found"),
        ApiError::WrongState { state, .. } => {
            i18n::fill(lang, "error.wrong_state", &[("state", &i18n::text(lang, &format!("state.{state}")))])
        }
        ApiError::Conflict(_) => i18n::text(lang, "error.conflict"),
        ApiError::CoolingOff { retry_after_seconds } => {
            i18n::fill(lang, "error.cooling_off", &[("hours", &retry_after_seconds.div_ceil(3600).to_string())])
        }
        ApiError::AboveCost { target_cents } => {
            i18n::fill(lang, "error.above_cost", &[("cost", &crate::domain::format::money(*target_cents, lang))])
        }
        ApiError::NoTarget => i18n::text(lang, "error.no_target"),
        ApiError::Validation(_) | ApiError::BadRequest(_) | ApiError::PayloadTooLarge => {
            i18n::text(lang, "error.invalid")
        }
        ApiError::TooManyRequests { retry_after_seconds } | ApiError::IdempotencyQuota { retry_after_seconds } => {
            i18n::fill(lang, "error.rate_limited", &[("seconds", &retry_after_seconds.to_string())])
        }
        ApiError::ApprovalBlocked { duplicates, .. } if !duplicates.is_empty() => {
            i18n::text(lang, "error.unreviewed_duplicates")
        }
        ApiError::ApprovalBlocked { .. } => i18n::text(lang, "error.unconfirmed_pledges"),
        ApiError::Unavailable | ApiError::Busy => i18n::text(lang, "error.unavailable"),
        ApiError::Unauthenticated | ApiError::Internal(_) => i18n::text(lang, "error.internal"),
    };
    (status, message)
}

fn message_only(status: StatusCode) -> String {
    format!("<!doctype html><title>{status}</title><h1>{status}</h1>")
}

/// Percent-encodes a path for a query parameter.
pub fn percent_encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A page that shows a failure, already rendered in the page's language; or the way to
/// sign in.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    body: String,
    location: Option<String>,
    /// Sends htmx to `location` as a whole page (`HX-Redirect`).
    whole_page: bool,
    clear_session: Option<String>,
    retry_after: Option<u64>,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "page error {}", self.status)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = match &self.location {
            Some(location) if self.whole_page => {
                let mut response = render::html(StatusCode::UNAUTHORIZED, String::new());
                if let Ok(value) = header::HeaderValue::from_str(location) {
                    response.headers_mut().insert(header::HeaderName::from_static("hx-redirect"), value);
                }
                response
            }
            Some(location) => render::see_other(location).finish(),
            None => render::html(self.status, self.body.clone()),
        };
        let headers = response.headers_mut();
        if let Some(name) = &self.clear_session {
            if let Ok(value) = header::HeaderValue::from_str(&cookies::set(name, "", 0, name.starts_with("__Host-"))) {
                headers.append(header::SET_COOKIE, value);
            }
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/pools/3?x=1")), "/pools/3?x=1");
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "evil", "/a\nb", ""] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn a_form_comes_back_to_its_page_never_to_a_post_only_address() {
        for (form, page) in [
            ("/pools/7/pledge/withdraw", "/pools/7"),
            ("/pools/7/pledges/3/drop", "/pools/7"),
            ("/needs/new", "/needs/new"),
            ("/needs/4/move", "/needs/4"),
            ("/logout", "/"),
            ("/organisations", "/organisations"),
            ("/organisations/import", "/organisations/import"),
            ("/organisations/3/users/9/disable", "/organisations/3"),
            ("/account/name", "/account"),
            ("/account/language", "/account"),
            ("/account/password", "/account"),
            ("/account/sign-out-everywhere", "/account"),
            ("/duplicates/dismiss", "/duplicates"),
            ("/outbox/3/requeue", "/"),
        ] {
            assert_eq!(page_of_form(form), page, "{form}");
        }
    }

    #[test]
    fn next_is_encoded() {
        assert_eq!(percent_encode("/pools?state=open&q=a b"), "/pools%3Fstate%3Dopen%26q%3Da%20b");
    }
}
