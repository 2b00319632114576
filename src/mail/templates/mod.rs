//! Email templates for pool lifecycle notifications (SPEC sections 6 and 10).
//!
//! Templates live in `templates/mail/<locale>/<kind>.{subject.txt,txt,html}` and are
//! embedded at compile time with `include_str!`, so the binary is self-contained and a
//! missing template is a build error. They are rendered with MiniJinja; only `.html`
//! templates are HTML-escaped. The bodies extend per-locale layouts holding the wording
//! common to every kind (`<locale>/_layout.{txt,html}`); the HTML layouts extend one
//! skeleton, `_base.html`, and build the rest from the styled pieces in `_macros.html`,
//! so the markup and styles are written once (see [`LAYOUTS`]).
//!
//! Template variables: every field of [`MailContext`], plus `locale` (the resolved
//! locale), `event_type` (e.g. `pool.funded`), `covered_cents` (the amount the
//! participants pay together: `min(pledged_cents, target_cents)`, or `pledged_cents`
//! when there is no target) and `page_url` (the pool's web page,
//! `{public_url}/pools/{pool_id}`). Filters: `money` (integer cents → localised amount) and
//! `date` (ISO date → localised long date; anything unparsable is shown as is), both
//! written by `crate::domain::format`, as on the pages;
//! HTML templates use `url` for links (escapes `&<>"'` but keeps `/` readable).

use std::fmt;
use std::sync::OnceLock;

use minijinja::{AutoEscape, Environment, State, UndefinedBehavior, Value};
use serde::Serialize;

use crate::domain::{events::EventKind, format, kinds::Locale, money::Cents};

/// The kinds of email the platform sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    PoolFunded,
    PoolApproved,
    PoolRejected,
    PoolExpired,
    PoolReopened,
    PoolMaintenanceOpened,
    PoolAwarded,
    PoolDelivered,
    PledgeDropped,
    PoolMerged,
}

impl MailKind {
    pub const ALL: [MailKind; 10] = [
        MailKind::PoolFunded,
        MailKind::PoolApproved,
        MailKind::PoolRejected,
        MailKind::PoolExpired,
        MailKind::PoolReopened,
        MailKind::PoolMaintenanceOpened,
        MailKind::PoolAwarded,
        MailKind::PoolDelivered,
        MailKind::PledgeDropped,
        MailKind::PoolMerged,
    ];

    /// The kind of event that causes this email.
    pub fn event_kind(self) -> EventKind {
        match self {
            MailKind::PoolFunded => EventKind::PoolFunded,
            MailKind::PoolApproved => EventKind::PoolApproved,
            MailKind::PoolRejected => EventKind::PoolRejected,
            MailKind::PoolExpired => EventKind::PoolExpired,
            MailKind::PoolReopened => EventKind::PoolReopened,
            MailKind::PoolMaintenanceOpened => EventKind::PoolMaintenanceOpened,
            MailKind::PoolAwarded => EventKind::PoolAwarded,
            MailKind::PoolDelivered => EventKind::PoolDelivered,
            MailKind::PledgeDropped => EventKind::PledgeDropped,
            MailKind::PoolMerged => EventKind::PoolMerged,
        }
    }

    /// The event type recorded in the audit log and sent as `X-Mutua-Event`.
    pub fn event_type(self) -> &'static str {
        self.event_kind().as_str()
    }

    /// Whether every officer gets one too: the changes that put a pool before the office,
    /// or take it away again.
    pub fn to_officers(self) -> bool {
        matches!(self, MailKind::PoolFunded | MailKind::PoolReopened)
    }

    /// Whether it goes to every participant of the pool its event is on; the others go to
    /// the organisations their use case names (`service::notifications::send_to`): those
    /// invited to a maintenance pool, the one whose pledge was dropped, those whose needs a
    /// merge moved.
    pub fn to_participants(self) -> bool {
        !matches!(self, MailKind::PoolMaintenanceOpened | MailKind::PledgeDropped | MailKind::PoolMerged)
    }

    /// The email an event of this kind causes, if any.
    pub fn of(kind: EventKind) -> Option<Self> {
        MailKind::ALL.into_iter().find(|k| k.event_kind() == kind)
    }

    /// The email of a stored event type (an outbox row's), if any.
    pub fn from_event_type(s: &str) -> Option<Self> {
        EventKind::parse(s).and_then(Self::of)
    }

    /// Template base name; officers get their own version of what is sent to them.
    fn template_kind(self, officer: bool) -> &'static str {
        match (self, officer) {
            (MailKind::PoolFunded, true) => "pool_funded_officer",
            (MailKind::PoolFunded, false) => "pool_funded",
            (MailKind::PoolApproved, _) => "pool_approved",
            (MailKind::PoolRejected, _) => "pool_rejected",
            (MailKind::PoolExpired, _) => "pool_expired",
            (MailKind::PoolReopened, true) => "pool_reopened_officer",
            (MailKind::PoolReopened, false) => "pool_reopened",
            (MailKind::PoolMaintenanceOpened, _) => "pool_maintenance_opened",
            (MailKind::PoolAwarded, _) => "pool_awarded",
            (MailKind::PoolDelivered, _) => "pool_delivered",
            (MailKind::PledgeDropped, _) => "pledge_dropped",
            (MailKind::PoolMerged, _) => "pool_merged",
        }
    }
}

/// Everything a template may show. Amounts are integer cents.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct MailContext {
    pub pool_id: i64,
    pub pool_title: String,
    pub pool_url: String,
    pub target_cents: Option<Cents>,
    pub threshold_cents: Option<Cents>,
    pub pledged_cents: Cents,
    pub participants_count: usize,
    pub recipient_name: String,
    pub recipient_organisation: String,
    pub recipient_is_officer: bool,
    /// The recipient organisation's active pledge (None: no pledge).
    pub pledge_cents: Option<Cents>,
    /// What the recipient organisation pays (None for officers).
    pub share_cents: Option<Cents>,
    /// The officer's reason, for `pool.rejected`.
    pub reason: Option<String>,
    /// ISO date (`YYYY-MM-DD`).
    pub deadline: Option<String>,
    /// The base URL people reach (`MUTUA_PUBLIC_URL`), set when the email is sent.
    #[serde(default)]
    pub public_url: String,
    /// The recipient organisation's pledge waits for its council's decision.
    #[serde(default)]
    pub pledge_provisional: bool,
    /// For a maintenance pool: the delivered pool it maintains, its title, repository and
    /// licence, and the period (ISO dates, both days included).
    #[serde(default)]
    pub maintained_pool_id: Option<i64>,
    #[serde(default)]
    pub maintained_pool_title: Option<String>,
    #[serde(default)]
    pub repository_url: Option<String>,
    #[serde(default)]
    pub licence: Option<String>,
    #[serde(default)]
    pub period_start: Option<String>,
    #[serde(default)]
    pub period_end: Option<String>,
    /// The amount the email is about: a dropped pledge's.
    #[serde(default)]
    pub amount_cents: Option<Cents>,
    /// The other pool of a merge: the pool the recipient's needs moved from (`pool.merged`,
    /// whose pool is the surviving one).
    #[serde(default)]
    pub other_pool_id: Option<i64>,
    #[serde(default)]
    pub other_pool_title: Option<String>,
    /// The awarded supplier (`pool.awarded`; the amount is `amount_cents`).
    #[serde(default)]
    pub supplier: Option<String>,
}

/// A rendered message: one-line subject, plain text body, HTML alternative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A template failed to render (a bug in a template, never in the data).
#[derive(Debug)]
pub struct RenderError(minijinja::Error);

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "email template error: {}", self.0)
    }
}

impl std::error::Error for RenderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<minijinja::Error> for RenderError {
    fn from(e: minijinja::Error) -> Self {
        RenderError(e)
    }
}

/// `(name, source)` of `templates/mail/<path>`, embedded: a missing file is a build error.
macro_rules! embed {
    ($($path:literal),+) => {
        (
            concat!($($path),+),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/mail/", $($path),+)),
        )
    };
}

macro_rules! kind_templates {
    ($loc:literal, $kind:literal) => {
        [embed!($loc, "/", $kind, ".subject.txt"), embed!($loc, "/", $kind, ".txt"), embed!($loc, "/", $kind, ".html")]
    };
}

macro_rules! locale_templates {
    ($loc:literal) => {
        [
            kind_templates!($loc, "pool_funded"),
            kind_templates!($loc, "pool_funded_officer"),
            kind_templates!($loc, "pool_approved"),
            kind_templates!($loc, "pool_rejected"),
            kind_templates!($loc, "pool_expired"),
            kind_templates!($loc, "pool_reopened"),
            kind_templates!($loc, "pool_reopened_officer"),
            kind_templates!($loc, "pool_maintenance_opened"),
            kind_templates!($loc, "pool_awarded"),
            kind_templates!($loc, "pool_delivered"),
            kind_templates!($loc, "pledge_dropped"),
            kind_templates!($loc, "pool_merged"),
        ]
    };
}

type Tpl = (&'static str, &'static str);

macro_rules! account_templates {
    ($loc:literal) => {
        [kind_templates!($loc, "user_invited"), kind_templates!($loc, "user_password_reset")]
    };
}

/// The account emails' templates ([`account`]), `[locale][kind][subject, text, html]`.
static ACCOUNT_TEMPLATES: [[[Tpl; 3]; 2]; 4] =
    [account_templates!("fr"), account_templates!("nl"), account_templates!("de"), account_templates!("en")];

/// Every email template, embedded: `[locale][kind][subject, text, html]`, the locales in
/// the order of `Locale::ALL`.
static TEMPLATES: [[[Tpl; 3]; 12]; 4] =
    [locale_templates!("fr"), locale_templates!("nl"), locale_templates!("de"), locale_templates!("en")];

/// The templates the bodies extend, embedded: the HTML skeleton and its styled pieces
/// (shared by all locales), then each locale's layouts with the wording common to all
/// kinds. `<locale>/<kind>.txt` extends `<locale>/_layout.txt`; `<locale>/<kind>.html`
/// extends `<locale>/_layout.html`, which extends `_base.html`.
static LAYOUTS: [Tpl; 3 + 2 * 4] = [
    embed!("_base.html"),
    embed!("_account.html"),
    embed!("_macros.html"),
    embed!("fr/_layout.txt"),
    embed!("fr/_layout.html"),
    embed!("nl/_layout.txt"),
    embed!("nl/_layout.html"),
    embed!("de/_layout.txt"),
    embed!("de/_layout.html"),
    embed!("en/_layout.txt"),
    embed!("en/_layout.html"),
];

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_auto_escape_callback(|name| if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None });
        env.add_filter("money", money_filter);
        env.add_filter("date", date_filter);
        env.add_filter("url", url_filter);
        let kinds = TEMPLATES.iter().flatten().flatten().chain(ACCOUNT_TEMPLATES.iter().flatten().flatten());
        for (name, source) in LAYOUTS.iter().chain(kinds) {
            // The templates are part of the binary and the tests render each one; should one
            // (or a layout it extends) still fail to compile, rendering it reports "template
            // not found" and the email is kept in the outbox as dead, visible to officers.
            if let Err(error) = env.add_template(name, source) {
                tracing::error!(template = name, %error, "invalid email template");
            }
        }
        env
    })
}

/// The locale of the email being rendered: [`render`] sets `locale` from a [`Locale`].
fn state_locale(state: &State) -> Locale {
    state.lookup("locale").and_then(|v| v.as_str().and_then(|l| Locale::parse(l).ok())).unwrap_or(Locale::En)
}

fn money_filter(state: &State, cents: i64) -> String {
    format::money(Cents::new(cents), state_locale(state))
}

fn date_filter(state: &State, iso: String) -> String {
    format::iso_date(&iso, state_locale(state))
}

/// HTML-escapes a URL for an attribute or text without MiniJinja's escaping of `/`,
/// so links stay readable in the HTML source that mail clients and filters see.
fn url_filter(url: String) -> Value {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Value::from_safe_string(out)
}

#[derive(Serialize)]
struct View<'a> {
    #[serde(flatten)]
    ctx: &'a MailContext,
    locale: &'static str,
    event_type: &'static str,
    covered_cents: Cents,
    page_url: String,
}

/// Renders one email for one recipient, in its organisation's locale. `pool.funded` and
/// `pool.reopened` for a recipient with `recipient_is_officer` use the officers' version (a
/// pool awaits their decision, or no longer does; no share).
pub fn render(kind: MailKind, locale: Locale, ctx: &MailContext) -> Result<RenderedMail, RenderError> {
    // A maintenance pool's title reads in the recipient's language, as on its page.
    let localised;
    let ctx = match maintenance_title(ctx, locale) {
        Some(title) => {
            localised = MailContext { pool_title: title, ..ctx.clone() };
            &localised
        }
        None => ctx,
    };
    let locale = locale.as_str();
    let base = kind.template_kind(ctx.recipient_is_officer);
    let covered_cents = match ctx.target_cents {
        Some(t) => ctx.pledged_cents.min(t),
        None => ctx.pledged_cents,
    };
    let page_url = format!("{}/pools/{}", ctx.public_url, ctx.pool_id);
    let view = View { ctx, locale, event_type: kind.event_type(), covered_cents, page_url };
    let env = env();
    let part = |ext: &str| -> Result<String, RenderError> {
        Ok(env.get_template(&format!("{locale}/{base}.{ext}"))?.render(&view)?)
    };
    let subject = one_line(&part("subject.txt")?);
    Ok(RenderedMail { subject, text: wrap_text(&part("txt")?, TEXT_WIDTH), html: part("html")? })
}

pub mod account;

/// The title of a maintenance pool the platform named, in `locale`; `None` otherwise.
fn maintenance_title(ctx: &MailContext, locale: Locale) -> Option<String> {
    ctx.maintained_pool_id?;
    let day = |iso: &Option<String>| iso.as_deref().and_then(|d| d.parse::<chrono::NaiveDate>().ok());
    let period = day(&ctx.period_start).zip(day(&ctx.period_end))?;
    let title = crate::domain::maintenance::title(&ctx.pool_title, Some(period), locale);
    (title != ctx.pool_title).then_some(title)
}

/// Plain-text bodies wrapped under 78 characters a line, as RFC 3676 suggests.
mod wrap;
use wrap::{TEXT_WIDTH, one_line, wrap_text};

#[cfg(test)]
mod tests;
