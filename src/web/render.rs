//! Templates (`templates/web/`, embedded in the binary, rendered with MiniJinja and
//! HTML-escaped), and the headers every page carries.

use std::sync::OnceLock;

use actix_web::{
    HttpResponse,
    http::{StatusCode, header},
};
use minijinja::{AutoEscape, Environment, State, UndefinedBehavior, Value, value::Kwargs};
use serde::Serialize;

use super::{assets, i18n};
use crate::error::ApiError;

/// What pages may load and do: their own scripts, styles and images only, nothing inline
/// (htmx is configured not to inject styles), no framing, forms posted only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        [$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/web/", $name)))),+]
    };
}

/// Every page template, embedded: a missing file is a build error.
pub(super) const TEMPLATES: [(&str, &str); 12] = templates!(
    "_layout.html",
    "_macros.html",
    "error.html",
    "login.html",
    "home_member.html",
    "home_officer.html",
    "need_new.html",
    "_similar.html",
    "need.html",
    "pools.html",
    "pool.html",
    "catalogue.html",
);

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_formatter(escape);
        env.add_function("t", translate);
        for (name, source) in TEMPLATES {
            // The tests render every template; one that fails to compile shows as an error
            // page ("template not found") rather than taking the process down.
            if let Err(error) = env.add_template(name, source) {
                tracing::error!(template = name, %error, "invalid page template");
            }
        }
        env
    })
}

/// HTML-escapes what a template writes (`&<>"'`, enough in text and quoted attributes),
/// leaving `/` as it is, unlike MiniJinja's default: addresses stay readable in the source.
fn escape(out: &mut minijinja::Output, _: &State, value: &Value) -> Result<(), minijinja::Error> {
    let text = value.to_string();
    if value.is_safe() {
        return out.write_str(&text).map_err(minijinja::Error::from);
    }
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    out.write_str(&escaped).map_err(minijinja::Error::from)
}

/// `t("key", name=value, …)`: the message `key` in the page's language (the context's
/// `lang`), its `{name}` placeholders filled.
fn translate(state: &State, key: &str, args: Kwargs) -> Result<String, minijinja::Error> {
    let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(|l| i18n::Lang::parse(l).ok()));
    let mut message = i18n::text(lang.unwrap_or(i18n::Lang::En), key);
    for name in args.args() {
        let value: Value = args.get(name)?;
        message = message.replace(&format!("{{{name}}}"), &value.to_string());
    }
    Ok(message)
}

/// Renders `template` with `context` (which must carry `lang`).
pub fn render(template: &str, context: impl Serialize) -> Result<String, ApiError> {
    let rendered = env().get_template(template).and_then(|t| t.render(context));
    rendered.map_err(|e| ApiError::Internal(anyhow::anyhow!("page template {template}: {e:#}")))
}

/// An HTML answer with the headers every page carries.
pub fn html(status: StatusCode, body: String) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    with_page_headers(&mut response);
    response.content_type("text/html; charset=utf-8").body(body)
}

/// `303 See Other` to a path of this site: what a form answers once it has done its work.
pub fn see_other(location: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::SeeOther();
    with_page_headers(&mut response);
    response.insert_header((header::LOCATION, location.to_owned()));
    response
}

fn with_page_headers(response: &mut actix_web::HttpResponseBuilder) {
    response
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        // Pages show a person's own organisation's business: never kept by a shared cache.
        .insert_header((header::CACHE_CONTROL, "no-store"));
}

/// The addresses of the stylesheet and scripts, versioned by their content.
#[derive(Serialize)]
pub struct Assets {
    pub css: String,
    pub htmx: String,
    pub js: String,
}

impl Assets {
    pub fn current() -> Self {
        Self { css: assets::url("mutua.css"), htmx: assets::url("htmx.min.js"), js: assets::url("mutua.js") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_templates_write_is_escaped() {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_formatter(escape);
        let out = env.render_str("{{ a }}|{{ b|safe }}", minijinja::context! { a => "<a href='/x'>&\"", b => "<b>" });
        assert_eq!(out.unwrap(), "&lt;a href=&#39;/x&#39;&gt;&amp;&quot;|<b>");
    }

    #[test]
    fn every_template_compiles() {
        let env = env();
        for (name, source) in TEMPLATES {
            assert_eq!(env.get_template(name).unwrap_or_else(|e| panic!("{name}: {e:#}")).source(), source);
        }
    }

    #[test]
    fn every_key_a_template_names_is_in_the_catalogues() {
        let mut missing = Vec::new();
        for (name, source) in TEMPLATES {
            for (at, _) in source.match_indices("t(\"") {
                // `t(` itself, not the end of another name (`input(`).
                if source[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let key = source[at + 3..].split('"').next().unwrap_or_default();
                // `t("state." ~ pool.state)`: a prefix, checked where the states are listed.
                if !key.ends_with('.') && !i18n::has(key) {
                    missing.push(format!("{name}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from the catalogues:\n{}", missing.join("\n"));
    }
}
