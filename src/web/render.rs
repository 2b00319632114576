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
use crate::{domain::kinds::Locale, error::ApiError};

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
pub(super) const TEMPLATES: [(&str, &str); 27] = templates!(
    "_layout.html",
    "_macros.html",
    "error.html",
    "login.html",
    "sso_refused.html",
    "home_member.html",
    "home_officer.html",
    "need_new.html",
    "_similar.html",
    "need.html",
    "pools.html",
    "pool.html",
    "catalogue.html",
    "duplicates.html",
    "pledge_drop.html",
    "merge_confirm.html",
    "_organisation_fields.html",
    "organisations.html",
    "organisation.html",
    "user_disable.html",
    "password_forgot.html",
    "password_choose.html",
    "link_gone.html",
    "confirm.html",
    "account.html",
    "pool_settings.html",
    "organisations_import.html",
);

/// One environment per language: a template's `t("key")` without placeholders is replaced
/// by its words when the template is loaded, so that rendering a page looks up nothing it
/// can know beforehand (a pool's page has some seventy such calls). `t` with placeholders,
/// or with a key built at render time (`t("state." ~ state)`), stays a call.
fn env(lang: Locale) -> &'static Environment<'static> {
    static ENVS: OnceLock<Vec<(Locale, Environment<'static>)>> = OnceLock::new();
    let envs = ENVS.get_or_init(|| {
        [Locale::Fr, Locale::Nl, Locale::De, Locale::En].into_iter().map(|lang| (lang, environment(lang))).collect()
    });
    envs.iter().find(|(l, _)| *l == lang).map_or(&envs[0].1, |(_, env)| env)
}

fn environment(lang: Locale) -> Environment<'static> {
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
        if let Err(error) = env.add_template_owned(name, translated(source, lang)) {
            tracing::error!(template = name, %error, "invalid page template");
        }
    }
    env
}

/// `source` with each `t("key")` replaced by the words of `key` in `lang`, as a string
/// literal.
fn translated(source: &str, lang: Locale) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 2);
    let mut rest = source;
    while let Some(at) = rest.find("t(\"") {
        let call = &rest[at + 3..];
        let standalone = !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
        match call.find('"').filter(|end| standalone && call[end + 1..].starts_with(')')) {
            Some(end) => {
                let words = i18n::text(lang, &call[..end]).replace('\\', "\\\\").replace('"', "\\\"");
                out.push_str(&rest[..at]);
                out.push('"');
                out.push_str(&words);
                out.push('"');
                rest = &call[end + 2..];
            }
            None => {
                out.push_str(&rest[..at + 3]);
                rest = call;
            }
        }
    }
    out.push_str(rest);
    out
}

/// HTML-escapes what a template writes (`&<>"'`, enough in text and quoted attributes),
/// leaving `/` as it is, unlike MiniJinja's default: addresses stay readable in the source.
fn escape(out: &mut minijinja::Output, _: &State, value: &Value) -> Result<(), minijinja::Error> {
    let owned;
    let text = match value.as_str() {
        Some(text) => text,
        None => {
            owned = value.to_string();
            &owned
        }
    };
    if value.is_safe() {
        return out.write_str(text).map_err(minijinja::Error::from);
    }
    write_escaped(out, text).map_err(minijinja::Error::from)
}

fn write_escaped(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

/// `text` HTML-escaped as the templates escape what they write.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = write_escaped(&mut out, text);
    out
}

/// What stands, in a page rendered to be kept, where each request puts its own words.
pub struct Marks {
    /// In place of the token of the person's forms.
    pub csrf: String,
    /// In place of the person's name.
    pub name: String,
}

/// The marks of this process: random, so that no text anybody typed can hold one.
pub fn marks() -> &'static Marks {
    static MARKS: OnceLock<Marks> = OnceLock::new();
    MARKS.get_or_init(|| {
        let tag = super::session::hex(&rand::random::<[u8; 16]>());
        Marks { csrf: format!("\u{1}csrf-{tag}\u{1}"), name: format!("\u{1}name-{tag}\u{1}") }
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hole {
    Csrf,
    Name,
}

/// A page rendered once with [`marks`] in place of the person's own words, cut at them: a
/// request fills the holes with its form token and the person's name (HTML-escaped), which
/// costs a copy of the page rather than a rendering.
#[derive(Debug)]
pub struct Rendered {
    /// One more piece than holes: piece, hole, piece, …, piece.
    pieces: Vec<String>,
    holes: Vec<Hole>,
    len: usize,
}

impl Rendered {
    /// Cuts `body`, rendered with [`marks`], at each mark.
    pub fn cut(body: &str) -> Self {
        let marks = marks();
        let (mut pieces, mut holes) = (Vec::new(), Vec::new());
        let mut rest = body;
        loop {
            let csrf = rest.find(&marks.csrf).map(|at| (at, Hole::Csrf, marks.csrf.len()));
            let name = rest.find(&marks.name).map(|at| (at, Hole::Name, marks.name.len()));
            let next = match (csrf, name) {
                (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
                (a, b) => a.or(b),
            };
            let Some((at, hole, len)) = next else { break };
            pieces.push(rest[..at].to_owned());
            holes.push(hole);
            rest = &rest[at + len..];
        }
        pieces.push(rest.to_owned());
        Self { len: pieces.iter().map(String::len).sum(), pieces, holes }
    }

    /// Bytes kept.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The page with the holes filled: `csrf` as it is (hexadecimal), `name` escaped.
    pub fn fill(&self, csrf: &str, name: &str) -> String {
        let name = escape_html(name);
        let mut out = String::with_capacity(self.len + self.holes.len() * csrf.len().max(name.len()));
        for (piece, hole) in self.pieces.iter().zip(self.holes.iter().map(Some).chain([None])) {
            out.push_str(piece);
            match hole {
                Some(Hole::Csrf) => out.push_str(csrf),
                Some(Hole::Name) => out.push_str(&name),
                None => {}
            }
        }
        out
    }
}

/// `t("key", name=value, …)`: the message `key` in the page's language (the context's
/// `lang`), its `{name}` placeholders filled.
fn translate(state: &State, key: &str, args: Kwargs) -> Result<String, minijinja::Error> {
    let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(|l| Locale::parse(l).ok()));
    let mut message = i18n::text(lang.unwrap_or(Locale::En), key);
    for name in args.args() {
        let value: Value = args.get(name)?;
        message = message.replace(&format!("{{{name}}}"), &value.to_string());
    }
    Ok(message)
}

/// Renders `template` in `lang` with `context` (which must carry `lang` too, for the `t`
/// calls left).
pub fn render(template: &str, lang: Locale, context: impl Serialize) -> Result<String, ApiError> {
    let rendered = env(lang).get_template(template).and_then(|t| t.render(context));
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
    fn a_kept_page_is_filled_with_each_requests_own_words() {
        let m = marks();
        let body = format!("<p>{}</p><input value=\"{}\"><b>{}</b>", m.name, m.csrf, m.csrf);
        let rendered = Rendered::cut(&body);
        assert_eq!(
            rendered.fill("abc", "Anne <&> O'Neil"),
            "<p>Anne &lt;&amp;&gt; O&#39;Neil</p><input value=\"abc\"><b>abc</b>"
        );
        assert_eq!(Rendered::cut("no hole").fill("x", "y"), "no hole");
        assert!(!m.csrf.chars().any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'')), "a mark passes escaping unchanged");
    }

    #[test]
    fn every_template_compiles_in_every_language() {
        for lang in [Locale::Fr, Locale::Nl, Locale::De, Locale::En] {
            for (name, _) in TEMPLATES {
                env(lang).get_template(name).unwrap_or_else(|e| panic!("{lang} {name}: {e:#}"));
            }
        }
    }

    #[test]
    fn words_known_beforehand_are_put_in_the_templates() {
        let source = r#"{{ t("nav.home") }} {{ f.input("x") }} {{ t("home.more", shown=1) }} {{ t("state." ~ s) }}"#;
        assert_eq!(
            translated(source, Locale::Nl),
            r#"{{ "Startpagina" }} {{ f.input("x") }} {{ t("home.more", shown=1) }} {{ t("state." ~ s) }}"#
        );
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
