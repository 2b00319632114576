//! Structured logs. Every line written while a request is handled carries the request's
//! span, and with it its `request_id` (set by `tracing-actix-web`).

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

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
