//! The error policy of mutua.
//!
//! - Handlers return `Result<_, ApiError>`; every error reaches the client as
//!   `application/problem+json` (RFC 9457) with `type`, `title`, `status`, `detail`, and
//!   `errors: [{field, message}]` for validation failures.
//! - Model and service code returns `ApiError` too, converting `diesel` errors with `?`:
//!   a missing row becomes 404, a lost connection 503, anything else 500.
//! - Unexpected failures are `ApiError::Internal(anyhow::Error)`: the detail goes to the log
//!   (with the request id of the span), never to the client.
//! - Outside requests (CLI, worker, start-up) code uses `anyhow::Result`.
//! - A problem repeats at most [`ECHO_CHARS`] characters of any one piece of client input
//!   ([`echo`], [`cap_quoted`]), and every text of a problem is bounded ([`Problem`] is built
//!   only by [`ApiError::problem`], which cuts them): responses are stored for idempotent
//!   replays and written to logs, and must not grow with what a client sends.

use actix_web::{
    HttpResponse, ResponseError,
    http::{StatusCode, header},
};
use serde::Serialize;

use crate::domain::money::Cents;
use utoipa::ToSchema;

pub use crate::domain::fields::FieldError;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem, documented in docs/API.md.
    #[schema(example = "/problems/validation")]
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(example = "Invalid request")]
    pub title: String,
    #[schema(example = 422)]
    pub status: u16,
    #[schema(example = "some fields are invalid")]
    pub detail: String,
    /// Per-field messages of a validation problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The current state of the pool, when the problem is a wrong state.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "open")]
    pub state: Option<String>,
    /// An approval refused: the organisations whose pledge waits for its council's
    /// decision (present, maybe empty, whenever `duplicates` is).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!([3, 5]))]
    pub organisations: Option<Vec<i64>>,
    /// An approval refused: the pools this one may duplicate that no officer reviewed yet
    /// (present, maybe empty, whenever `organisations` is).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!([]))]
    pub duplicates: Option<Vec<i64>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("authentication required")]
    Unauthenticated,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    /// An operation that the pool's current state does not allow.
    #[error("pool is {state}: {detail}")]
    WrongState { state: String, detail: String },
    /// A funded pool that cannot be approved yet, with everything that blocks it.
    #[error("approval blocked")]
    ApprovalBlocked { organisations: Vec<i64>, duplicates: Vec<i64> },
    /// A pledge to a pool whose council refusal of the organisation's pledge is less than a
    /// day old (SPEC §15).
    #[error("cooling off after a council refusal")]
    CoolingOff { retry_after_seconds: u64 },
    /// A pledge above the pool's cost (SPEC §15): a 422 naming `amount_cents`.
    #[error("pledge above the pool's cost")]
    AboveCost { target_cents: Cents },
    /// A pledge to a pool whose cost is not set yet (SPEC §15).
    #[error("the pool has no cost yet")]
    NoTarget,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("invalid fields")]
    Validation(Vec<FieldError>),
    #[error("too many requests")]
    TooManyRequests { retry_after_seconds: u64 },
    /// The user's share of the idempotency store is full (keys or bytes kept 48 hours).
    #[error("too many stored idempotent requests")]
    IdempotencyQuota { retry_after_seconds: u64 },
    /// The database cannot be reached: the connection that saw it is dropped.
    #[error("service unavailable")]
    Unavailable,
    /// The database is reachable but busy (SQLite's lock held by another process past the
    /// busy timeout): retry; the connection is healthy and kept.
    #[error("database busy")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The most characters of one piece of client input (a field name, a value) a problem repeats.
pub const ECHO_CHARS: usize = 32;
/// The longest field name, message or detail a problem carries, whatever built it.
const TEXT_CHARS: usize = 300;

/// Client input as a problem may repeat it: at most [`ECHO_CHARS`] characters, with `…` when
/// it was cut.
pub fn echo(input: &str) -> String {
    cut(input, ECHO_CHARS)
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Shortens every quoted run of a library's message (`` `name` `` or `"value"`, where serde
/// and the query parser put client input) with [`echo`].
pub fn cap_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(TEXT_CHARS));
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '`' && c != '"' {
            continue;
        }
        let mut quoted = String::new();
        let mut closed = false;
        while let Some(q) = chars.next() {
            if q == c {
                closed = true;
                break;
            }
            quoted.push(q);
            // An escaped quote inside a Rust-style "…" does not end it.
            if q == '\\' && c == '"' {
                quoted.extend(chars.next());
            }
        }
        out.push_str(&echo(&quoted));
        if closed {
            out.push(c);
        }
    }
    out
}

impl ApiError {
    /// A single invalid field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn wrong_state(state: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::WrongState { state: state.into(), detail: detail.into() }
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            Self::BadRequest(_) => ("malformed-request", "Malformed request"),
            Self::Unauthenticated => ("unauthenticated", "Authentication required"),
            Self::Forbidden(_) => ("forbidden", "Forbidden"),
            Self::NotFound => ("not-found", "Not found"),
            Self::Conflict(_) => ("conflict", "Conflict"),
            Self::WrongState { .. } => ("wrong-state", "Operation not allowed in this state"),
            // The duplicate review names its gate first: pledges confirmed for the wrong
            // pool would be wasted.
            Self::ApprovalBlocked { duplicates, .. } if !duplicates.is_empty() => {
                ("unreviewed-duplicates", "Likely duplicates not reviewed")
            }
            Self::ApprovalBlocked { .. } => ("unconfirmed-pledges", "Pledges not confirmed"),
            Self::CoolingOff { .. } => ("cooling-off", "Cooling off after a council refusal"),
            Self::AboveCost { .. } => ("validation", "Invalid request"),
            Self::NoTarget => ("no-target", "The pool has no cost yet"),
            Self::PayloadTooLarge => ("payload-too-large", "Request body too large"),
            Self::Validation(_) => ("validation", "Invalid request"),
            Self::TooManyRequests { .. } => ("rate-limited", "Too many requests"),
            Self::IdempotencyQuota { .. } => ("idempotency-quota", "Too many stored idempotent requests"),
            Self::Unavailable | Self::Busy => ("unavailable", "Service unavailable"),
            Self::Internal(_) => ("internal", "Internal error"),
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::BadRequest(detail) | Self::Conflict(detail) => detail.clone(),
            Self::Unauthenticated => "a valid bearer token is required".into(),
            Self::Forbidden(why) => (*why).into(),
            Self::NotFound => "no such resource, or it is not yours".into(),
            Self::WrongState { state, detail } => format!("the pool is {state}: {detail}"),
            Self::ApprovalBlocked { organisations, duplicates } => {
                let ids = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                let mut waits = Vec::new();
                if !organisations.is_empty() {
                    waits.push(format!("the council decisions of organisations {}", ids(organisations)));
                }
                if !duplicates.is_empty() {
                    waits.push(format!("an officer's review of the likely duplicate pools {}", ids(duplicates)));
                }
                format!("the approval waits for {}", waits.join(" and "))
            }
            Self::CoolingOff { retry_after_seconds } => format!(
                "the council refused this organisation's pledge to this pool less than a day ago; it may \
                 pledge to it again in {retry_after_seconds} s"
            ),
            Self::AboveCost { .. } => "some fields are invalid".into(),
            Self::NoTarget => {
                "the cost of this pool is not set yet: an officer sets it, then organisations pledge".into()
            }
            Self::PayloadTooLarge => "the request body exceeds the size limit".into(),
            Self::Validation(_) => "some fields are invalid".into(),
            Self::TooManyRequests { retry_after_seconds } => {
                format!("too many requests; retry in {retry_after_seconds} s")
            }
            Self::IdempotencyQuota { retry_after_seconds } => format!(
                "this user already has as many Idempotency-Key responses kept as allowed; retry in \
                 {retry_after_seconds} s, or send the request without the header"
            ),
            Self::Unavailable => "the service cannot reach its database; retry shortly".into(),
            Self::Busy => "the database is busy; retry shortly".into(),
            Self::Internal(_) => "an unexpected error happened; it has been logged".into(),
        }
    }

    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        Problem {
            kind: format!("/problems/{slug}"),
            title: title.into(),
            status: self.status_code().as_u16(),
            detail: cut(&self.detail(), TEXT_CHARS),
            errors: match self {
                Self::Validation(errors) => errors
                    .iter()
                    .map(|e| FieldError { field: echo(&e.field), message: cut(&e.message, TEXT_CHARS) })
                    .collect(),
                Self::AboveCost { target_cents } => vec![FieldError::new(
                    "amount_cents",
                    format!(
                        "a pledge is at most the pool's cost, {} cents ({})",
                        target_cents.get(),
                        crate::domain::format::money(*target_cents, crate::domain::kinds::Locale::En)
                    ),
                )],
                _ => Vec::new(),
            },
            state: match self {
                Self::WrongState { state, .. } => Some(state.clone()),
                _ => None,
            },
            organisations: match self {
                Self::ApprovalBlocked { organisations, .. } => Some(organisations.clone()),
                _ => None,
            },
            duplicates: match self {
                Self::ApprovalBlocked { duplicates, .. } => Some(duplicates.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict(_)
            | Self::WrongState { .. }
            | Self::ApprovalBlocked { .. }
            | Self::CoolingOff { .. }
            | Self::NoTarget => StatusCode::CONFLICT,
            Self::AboveCost { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } | Self::IdempotencyQuota { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(error) => tracing::error!(error = ?error, "internal error"),
            Self::Unavailable => tracing::warn!("database unavailable"),
            Self::Busy => tracing::warn!("database busy"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            Self::Unauthenticated => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::TooManyRequests { retry_after_seconds }
            | Self::IdempotencyQuota { retry_after_seconds }
            | Self::CoolingOff { retry_after_seconds } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            Self::Unavailable => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            Self::Busy => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _) => {
                Self::Unavailable
            }
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::Conflict("it already exists".into()),
            Error::DatabaseError(_, ref info) if is_connection_failure(info.message()) => Self::Unavailable,
            Error::DatabaseError(_, ref info) if is_busy(info.message()) => Self::Busy,
            other => Self::Internal(other.into()),
        }
    }
}

/// PostgreSQL reports a server going away as an ordinary error on the next statement.
fn is_connection_failure(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "server closed the connection",
        "terminating connection",
        "connection refused",
        "could not connect",
        "no connection to the server",
        "the database system is shutting down",
        "the database system is starting up",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}

/// SQLite reports `SQLITE_BUSY` when another process held its lock past the busy timeout.
fn is_busy(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("database is locked") || message.contains("database is busy")
}

/// Builds a 422 from the fields that failed, or passes when none did.
#[derive(Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// Keeps the value of a parse that succeeded; records the message of one that failed.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.errors.push(FieldError::new(field, message));
                None
            }
        }
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(self.errors)) }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_detail_never_reaches_the_client() {
        let error = ApiError::Internal(anyhow::anyhow!("password=hunter2 at db.rs:12"));
        let body = serde_json::to_string(&error.problem()).unwrap();
        assert!(!body.contains("hunter2"), "{body}");
        assert_eq!(error.problem().status, 500);
    }

    #[test]
    fn a_busy_sqlite_is_retryable_and_not_a_lost_connection() {
        let busy = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::Unknown,
            Box::new(String::from("database is locked")),
        );
        let error = ApiError::from(busy);
        assert!(matches!(error, ApiError::Busy), "{error:?}");
        assert_eq!(error.problem().status, 503);
        let gone = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::Unknown,
            Box::new(String::from("server closed the connection unexpectedly")),
        );
        assert!(matches!(ApiError::from(gone), ApiError::Unavailable));
    }

    #[test]
    fn client_input_is_repeated_only_as_a_short_prefix() {
        let long = "x".repeat(60_000);
        let quoted = cap_quoted(&format!("unknown field `{long}`, expected `title` or \"{long}\" \\\" `{long}"));
        assert!(quoted.len() < 200, "{quoted}");
        assert!(quoted.contains("expected `title`"), "{quoted}");
        let problem = ApiError::Validation(vec![FieldError::new(long.clone(), long.clone())]).problem();
        assert_eq!(problem.errors[0].field.chars().count(), ECHO_CHARS + 1);
        assert!(problem.errors[0].message.chars().count() <= TEXT_CHARS + 1);
        assert!(ApiError::BadRequest(long).problem().detail.chars().count() <= TEXT_CHARS + 1);
        assert_eq!(echo("court"), "court");
    }

    #[test]
    fn wrong_state_names_the_state() {
        let problem = ApiError::wrong_state("funded", "pledges can change only while open").problem();
        assert_eq!(problem.status, 409);
        assert_eq!(problem.state.as_deref(), Some("funded"));
        assert!(problem.detail.contains("funded"));
    }

    #[test]
    fn a_blocked_approval_names_every_blocker_and_the_weightier_gate() {
        let pledges = ApiError::ApprovalBlocked { organisations: vec![3, 5], duplicates: vec![] }.problem();
        assert_eq!((pledges.status, pledges.kind.as_str()), (409, "/problems/unconfirmed-pledges"));
        assert_eq!((pledges.organisations, pledges.duplicates), (Some(vec![3, 5]), Some(vec![])));
        let both = ApiError::ApprovalBlocked { organisations: vec![3], duplicates: vec![9] }.problem();
        assert_eq!(both.kind, "/problems/unreviewed-duplicates");
        assert_eq!((both.organisations, both.duplicates), (Some(vec![3]), Some(vec![9])));
        assert!(both.detail.contains("organisations 3") && both.detail.contains("pools 9"), "{}", both.detail);
        let json = serde_json::to_value(ApiError::NotFound.problem()).unwrap();
        assert!(json.get("organisations").is_none() && json.get("duplicates").is_none());
    }

    #[test]
    fn validator_collects_every_field() {
        let mut v = Validator::default();
        assert_eq!(v.check::<u8>("a", Err("bad".into())), None);
        assert_eq!(v.check("b", Ok(3)), Some(3));
        v.push("c", "also bad");
        match v.finish() {
            Err(ApiError::Validation(errors)) => assert_eq!(errors.len(), 2),
            other => panic!("{other:?}"),
        }
    }
}
