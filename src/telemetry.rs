//! Structured logs. Every line written while a request is handled carries the request's
//! span ([`RequestSpan`]), and with it its `request_id` (set by `tracing-actix-web`) and the
//! client address.

use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
};
use tracing::{Span, field::Empty};
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::client_address;

/// The span of a request. The default one of `tracing-actix-web` logs as client address
/// whatever `X-Forwarded-For` says, from anyone, and the host and scheme that
/// `X-Forwarded-Host` and `X-Forwarded-Proto` claim; this one logs the address the login
/// limits count ([`client_address::of`]), and no forwarded header.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let user_agent = request.headers().get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("");
        let request_id = request.extensions().get::<RequestId>().copied();
        let span = tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = Empty,
            http.client_ip = %client_address::of(request.request()),
            http.user_agent = %user_agent,
            http.target = %request.uri().path_and_query().map_or("", |p| p.as_str()),
            http.status_code = Empty,
            otel.name = Empty,
            otel.kind = "server",
            otel.status_code = Empty,
            request_id = %request_id.map(|id| id.to_string()).unwrap_or_default(),
            exception.message = Empty,
            exception.details = Empty,
        );
        // Before the routing, the route's pattern is a search of every route's: made only for
        // a span that is recorded (not when the level leaves requests out of the logs).
        if !span.is_disabled() {
            let route = request.match_pattern().unwrap_or_else(|| "default".into());
            span.record("http.route", route.as_str());
            span.record("otel.name", format!("{} {route}", request.method()));
        }
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// Installs the global subscriber; `format` is `json` (default) or `pretty`.
pub fn init(filter: &str, format: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if format == "pretty" {
        registry.with(fmt::layer().with_target(false)).try_init()
    } else {
        registry.with(fmt::layer().json().with_current_span(true).with_span_list(false).with_target(false)).try_init()
    };
    // A second call (tests) keeps the first subscriber.
    let _ = result;
}
