//! Every setting of mutua, read in one place.
//!
//! Environment variables (a file given with `--config FILE`, in `KEY=VALUE` lines, may
//! add to them; the environment wins):
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `MUTUA_DATABASE_URL` | `mutua.db` | a file path or `sqlite://path` selects SQLite, `postgres://…` PostgreSQL |
//! | `MUTUA_DATABASE_POOL_SIZE` | twice the machine's cores, 4 to 10 | connections kept in the pool |
//! | `MUTUA_BIND` | `127.0.0.1:8080` | address the HTTP server listens on |
//! | `MUTUA_PUBLIC_URL` | `http://127.0.0.1:8080` | the base URL people reach (links in emails, open data); `https://…` makes the pages' cookies `Secure` |
//! | `MUTUA_JWT_SECRET` | none | HS256 key, at least 32 bytes; required unless `--dev` |
//! | `MUTUA_JWT_TTL_SECONDS` | `3600` | lifetime of an access token |
//! | `MUTUA_SMTP_URL` | none | `smtp://host:port` (STARTTLS when offered), `smtps://user:pass@host` (TLS); unset: `.eml` files |
//! | `MUTUA_MAIL_FROM` | `mutua <noreply@localhost>` | sender of every email |
//! | `MUTUA_OUTBOX_DIR` | `outbox` | where `.eml` files go when no SMTP server is set |
//! | `MUTUA_MAIL_RETRY_MAX_SECONDS` | `600` | cap of the exponential retry backoff |
//! | `MUTUA_MAIL_MAX_ATTEMPTS` | `8` | attempts after which a permanently rejected email is dead |
//! | `MUTUA_WORKER` | `true` | run the email worker inside `mutua serve` |
//! | `MUTUA_BOOTSTRAP_OFFICER_EMAIL`, `MUTUA_BOOTSTRAP_OFFICER_PASSWORD` | none | first officer, created on a start with no officer |
//! | `MUTUA_BOOTSTRAP_ORGANISATION_NAME` | `Centrale d'achat` | name of the central purchasing organisation created with it |
//! | `MUTUA_RATE_LIMIT_PER_MINUTE` | `600` | state-changing requests per user per minute; `0` turns it off |
//! | `MUTUA_MAX_NEEDS_PER_DAY` | `200` | needs one organisation may post, and pools it may open (by posting or by moving a need to a new pool), per 24 hours, each counted on its own; `0` turns it off |
//! | `MUTUA_COUNCIL_DAYS` | `90` | days a provisional pledge of a funded pool waits for its council's decision before the officers' home lists it as overdue (SPEC §15) |
//! | `MUTUA_SIMILAR_PER_MINUTE` | `60` | searches for similar pools per user per minute; `0` turns it off |
//! | `MUTUA_PUBLIC_CACHE_BYTES` | `33554432` (32 MiB) | bytes of public open-data pages kept in memory; beyond, the oldest go |
//! | `MUTUA_PUBLIC_PAGE_BYTES` | `8388608` (8 MiB) | largest open-data response: a page ends early and `links.next` goes on |
//! | `MUTUA_PUBLIC_PER_MINUTE` | `300` | anonymous requests for public data (open data, the catalogue) per client address per minute; `0` turns it off |
//! | `MUTUA_IDEMPOTENCY_MAX_KEYS` | `1000` | `Idempotency-Key` responses kept per user (48 hours); beyond, a new key is 429 |
//! | `MUTUA_IDEMPOTENCY_MAX_BYTES` | `2097152` | bytes of kept responses per user (48 hours); beyond, a new key is 429 |
//! | `MUTUA_TRUSTED_PROXIES` | none | comma-separated addresses or CIDR blocks whose `X-Forwarded-For` is believed (rightmost untrusted hop); none: the TCP peer is the client |
//! | `MUTUA_MAX_BODY_BYTES` | `65536` | largest request body accepted |
//! | `MUTUA_MATCH_MERGE`, `MUTUA_MATCH_MARGIN`, `MUTUA_MATCH_SUGGEST` | measured defaults | matcher thresholds, see docs/MATCHING.md |
//! | `MUTUA_MATCH_REVIEW` | measured default (`0.12`) | two pools scoring at least this are a duplicate candidate for the officers' review (SPEC §9), see docs/MATCHING.md |
//! | `MUTUA_MATCH_REVIEW_ACROSS` | measured default | the same for two pools whose best-matching needs are written in different languages (their scores run lower), see docs/MATCHING.md |
//! | `MUTUA_OCID_PREFIX` | `ocds-mutua0` | the publisher's registered ocid prefix (`ocds-` and six lowercase letters or digits); `ocid` = prefix-pool id. The old name `MUTUA_OCDS_PREFIX` is refused |
//! | `MUTUA_OIDC_ISSUER` | none | single sign-on: the OpenID provider's issuer URL (its `/.well-known/openid-configuration` is read); unset: no single sign-on |
//! | `MUTUA_OIDC_CLIENT_ID`, `MUTUA_OIDC_CLIENT_SECRET` | none | mutua's client at that provider; required with `MUTUA_OIDC_ISSUER` |
//! | `MUTUA_OIDC_NAME` | none | the label of the sign-on button on `/login` (for example `Keycloak de l'intercommunale`); unset: no button, `/login/oidc` still works |
//! | `MUTUA_LOG` | `info` | log filter (`tracing` directives) |
//! | `MUTUA_LOG_FORMAT` | `json` | `json` or `pretty` |

use std::{net::SocketAddr, time::Duration};

use crate::{
    client_address::TrustedProxies, db::DatabaseUrl, domain::matching::Thresholds, mail::MailConfig, ocds::OcidPrefix,
};

#[derive(Clone, Debug)]
pub struct Bootstrap {
    pub email: String,
    pub password: String,
    pub organisation_name: String,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub database_pool_size: u32,
    pub bind: SocketAddr,
    pub public_url: String,
    pub jwt_secret: Vec<u8>,
    pub jwt_ttl: Duration,
    pub mail: MailConfig,
    pub run_worker: bool,
    pub bootstrap: Option<Bootstrap>,
    pub rate_limit_per_minute: u32,
    pub max_needs_per_day: u32,
    /// Days after which a provisional pledge of a funded pool is overdue.
    pub council_days: u32,
    pub similar_per_minute: u32,
    pub idempotency_max_keys: u32,
    pub idempotency_max_bytes: u64,
    pub trusted_proxies: TrustedProxies,
    pub max_body_bytes: usize,
    pub public_cache_bytes: usize,
    pub public_page_bytes: usize,
    pub public_per_minute: u32,
    pub match_thresholds: Thresholds,
    pub ocid_prefix: OcidPrefix,
    /// Single sign-on (SPEC §14), when configured.
    pub oidc: Option<OidcConfig>,
}

/// Where people sign on: an OpenID provider and mutua's client there.
#[derive(Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The button's label on `/login`; no button without it.
    pub name: Option<String>,
}

impl std::fmt::Debug for OidcConfig {
    /// Without the secret: the configuration may be logged.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// Whether people reach the service over https: its cookies are then `Secure`.
    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// The smallest HS256 key accepted: 256 bits, as RFC 7518 §3.2 requires.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

impl Config {
    /// Reads the configuration through `get` (the process environment in production, a map
    /// in tests). `jwt_secret` is `None` when `MUTUA_JWT_SECRET` is unset: the caller decides
    /// whether development mode may supply one.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
        dev_secret: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Self, String> {
        let database_url = DatabaseUrl::parse(&get("MUTUA_DATABASE_URL").unwrap_or_else(|| "mutua.db".into()))?;
        let bind: SocketAddr = parse_var(&get, "MUTUA_BIND", "127.0.0.1:8080".parse().map_err(|_| "bind")?)?;
        let jwt_secret = match get("MUTUA_JWT_SECRET") {
            Some(secret) => secret.into_bytes(),
            None => dev_secret()?,
        };
        if jwt_secret.len() < MIN_JWT_SECRET_BYTES {
            return Err(format!(
                "MUTUA_JWT_SECRET is {} bytes long; it must be at least {MIN_JWT_SECRET_BYTES} bytes (for example `openssl rand -base64 48`)",
                jwt_secret.len()
            ));
        }
        let bootstrap = match (get("MUTUA_BOOTSTRAP_OFFICER_EMAIL"), get("MUTUA_BOOTSTRAP_OFFICER_PASSWORD")) {
            (Some(email), Some(password)) => Some(Bootstrap {
                email,
                password,
                organisation_name: get("MUTUA_BOOTSTRAP_ORGANISATION_NAME")
                    .unwrap_or_else(|| "Centrale d'achat".into()),
            }),
            (None, None) => None,
            _ => {
                return Err(
                    "set both MUTUA_BOOTSTRAP_OFFICER_EMAIL and MUTUA_BOOTSTRAP_OFFICER_PASSWORD, or neither".into()
                );
            }
        };
        let public_url = get("MUTUA_PUBLIC_URL").unwrap_or_else(|| "http://127.0.0.1:8080".into());
        let public_url = public_url.trim().trim_end_matches('/').to_owned();
        if !public_url.starts_with("http://") && !public_url.starts_with("https://") {
            return Err(format!("MUTUA_PUBLIC_URL: {public_url:?} must start with http:// or https://"));
        }
        let defaults = Thresholds::default();
        Ok(Self {
            public_url,
            database_url,
            database_pool_size: parse_var(&get, "MUTUA_DATABASE_POOL_SIZE", default_pool_size())?,
            bind,
            jwt_secret,
            jwt_ttl: Duration::from_secs(parse_var(&get, "MUTUA_JWT_TTL_SECONDS", 3600)?),
            mail: MailConfig {
                smtp_url: get("MUTUA_SMTP_URL").filter(|s| !s.is_empty()),
                from: get("MUTUA_MAIL_FROM").unwrap_or_else(|| "mutua <noreply@localhost>".into()),
                outbox_dir: get("MUTUA_OUTBOX_DIR").unwrap_or_else(|| "outbox".into()).into(),
                retry_max: Duration::from_secs(parse_var(&get, "MUTUA_MAIL_RETRY_MAX_SECONDS", 600)?),
                max_attempts: parse_var(&get, "MUTUA_MAIL_MAX_ATTEMPTS", 8)?,
                memory: false,
                poll_interval: Duration::from_secs(5),
            },
            run_worker: parse_var(&get, "MUTUA_WORKER", true)?,
            bootstrap,
            rate_limit_per_minute: parse_var(&get, "MUTUA_RATE_LIMIT_PER_MINUTE", 600)?,
            max_needs_per_day: parse_var(&get, "MUTUA_MAX_NEEDS_PER_DAY", 200)?,
            council_days: parse_var(&get, "MUTUA_COUNCIL_DAYS", 90)?,
            similar_per_minute: parse_var(&get, "MUTUA_SIMILAR_PER_MINUTE", 60)?,
            idempotency_max_keys: parse_var(&get, "MUTUA_IDEMPOTENCY_MAX_KEYS", 1_000)?,
            idempotency_max_bytes: parse_var(&get, "MUTUA_IDEMPOTENCY_MAX_BYTES", 2 * 1024 * 1024)?,
            trusted_proxies: TrustedProxies::parse(&get("MUTUA_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|e| format!("MUTUA_TRUSTED_PROXIES: {e}"))?,
            max_body_bytes: parse_var(&get, "MUTUA_MAX_BODY_BYTES", 64 * 1024)?,
            public_cache_bytes: parse_var(&get, "MUTUA_PUBLIC_CACHE_BYTES", 32 << 20)?,
            public_page_bytes: parse_var(&get, "MUTUA_PUBLIC_PAGE_BYTES", 8 << 20)?,
            public_per_minute: parse_var(&get, "MUTUA_PUBLIC_PER_MINUTE", 300)?,
            match_thresholds: Thresholds {
                merge: parse_var(&get, "MUTUA_MATCH_MERGE", defaults.merge)?,
                margin: parse_var(&get, "MUTUA_MATCH_MARGIN", defaults.margin)?,
                suggest: parse_var(&get, "MUTUA_MATCH_SUGGEST", defaults.suggest)?,
                review: parse_var(&get, "MUTUA_MATCH_REVIEW", defaults.review)?,
                review_across: parse_var(&get, "MUTUA_MATCH_REVIEW_ACROSS", defaults.review_across)?,
            },
            ocid_prefix: ocid_prefix(&get)?,
            oidc: oidc(&get)?,
        })
    }
}

/// `MUTUA_OCID_PREFIX`, of the registered form. The old `MUTUA_OCDS_PREFIX` is refused
/// rather than ignored: its default (`ocds-mutua`) was not of that form, and silently
/// publishing under another prefix would change every ocid a harvester already holds.
fn ocid_prefix(get: &impl Fn(&str) -> Option<String>) -> Result<OcidPrefix, String> {
    if let Some(old) = get("MUTUA_OCDS_PREFIX") {
        return Err(format!(
            "MUTUA_OCDS_PREFIX ({old:?}) was renamed MUTUA_OCID_PREFIX, which must be `ocds-` followed by six \
             lowercase letters or digits (see docs/OPERATIONS.md); set MUTUA_OCID_PREFIX and remove MUTUA_OCDS_PREFIX"
        ));
    }
    OcidPrefix::parse(get("MUTUA_OCID_PREFIX").as_deref().map_or(OcidPrefix::DEFAULT, str::trim))
}

/// The single sign-on settings: the issuer, client id and secret all set, or none of them.
fn oidc(get: &impl Fn(&str) -> Option<String>) -> Result<Option<OidcConfig>, String> {
    let value = |name: &str| get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let name = value("MUTUA_OIDC_NAME");
    match (value("MUTUA_OIDC_ISSUER"), value("MUTUA_OIDC_CLIENT_ID"), value("MUTUA_OIDC_CLIENT_SECRET")) {
        (Some(issuer), Some(client_id), Some(client_secret)) => {
            if !issuer.starts_with("https://") && !issuer.starts_with("http://") {
                return Err(format!("MUTUA_OIDC_ISSUER: {issuer:?} must be an https:// URL"));
            }
            Ok(Some(OidcConfig { issuer, client_id, client_secret, name }))
        }
        (None, None, None) if name.is_none() => Ok(None),
        _ => Err("single sign-on needs MUTUA_OIDC_ISSUER, MUTUA_OIDC_CLIENT_ID and MUTUA_OIDC_CLIENT_SECRET \
             together (and MUTUA_OIDC_NAME for its button); set all of them, or none"
            .into()),
    }
}

/// Connections kept by default: twice the machine's cores, at least 4 and at most 10. A unit
/// of work holds its connection through every round trip of its transaction, so a few more
/// connections than cores keep the database busy; more make the posts that share a lock
/// wait longer and run side by side on cores already taken (on two cores, 32 posts at once
/// on PostgreSQL: p99 48–50 ms with 10 connections, 41–42 ms with 4, at the same rate).
fn default_pool_size() -> u32 {
    pool_size_for(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get))
}

fn pool_size_for(cores: usize) -> u32 {
    u32::try_from(cores.saturating_mul(2)).unwrap_or(u32::MAX).clamp(4, 10)
}

fn parse_var<T: std::str::FromStr>(get: &impl Fn(&str) -> Option<String>, name: &str, default: T) -> Result<T, String> {
    match get(name) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|_| format!("{name}: cannot understand {raw:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, String> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned(), || Err("no secret".into()))
    }

    const SECRET: (&str, &str) = ("MUTUA_JWT_SECRET", "0123456789abcdef0123456789abcdef");

    #[test]
    fn short_secret_is_refused_with_a_clear_message() {
        let err = config(&[("MUTUA_JWT_SECRET", "short")]).unwrap_err();
        assert!(err.contains("at least 32 bytes"), "{err}");
    }

    #[test]
    fn missing_secret_outside_development_is_refused() {
        assert_eq!(config(&[]).unwrap_err(), "no secret");
    }

    #[test]
    fn defaults_follow_the_spec() {
        let c = config(&[SECRET]).unwrap();
        assert_eq!(c.database_url, DatabaseUrl::Sqlite("mutua.db".into()));
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.rate_limit_per_minute, 600);
        assert_eq!(c.max_needs_per_day, 200);
        assert_eq!(c.council_days, 90);
        assert_eq!(c.similar_per_minute, 60);
        assert_eq!((c.public_cache_bytes, c.public_page_bytes, c.public_per_minute), (32 << 20, 8 << 20, 300));
        assert_eq!((c.idempotency_max_keys, c.idempotency_max_bytes), (1_000, 2 * 1024 * 1024));
        assert_eq!(c.trusted_proxies, TrustedProxies::default(), "no proxy is trusted unless named");
        assert_eq!(c.mail.retry_max, Duration::from_secs(600));
        assert!(c.mail.smtp_url.is_none());
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert!(!c.https());
    }

    #[test]
    fn public_url_is_an_http_url_and_https_makes_cookies_secure() {
        let c = config(&[SECRET, ("MUTUA_PUBLIC_URL", "https://mutua.example.be/")]).unwrap();
        assert_eq!(c.public_url, "https://mutua.example.be");
        assert!(c.https());
        assert!(config(&[SECRET, ("MUTUA_PUBLIC_URL", "mutua.example.be")]).is_err());
    }

    #[test]
    fn a_wrong_trusted_proxy_is_refused_with_the_variable_named() {
        let err = config(&[SECRET, ("MUTUA_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local")]).unwrap_err();
        assert!(err.starts_with("MUTUA_TRUSTED_PROXIES"), "{err}");
    }

    #[test]
    fn half_a_bootstrap_is_refused() {
        assert!(config(&[SECRET, ("MUTUA_BOOTSTRAP_OFFICER_EMAIL", "a@b.be")]).is_err());
    }

    #[test]
    fn the_ocid_prefix_has_the_registered_form_or_the_service_does_not_start() {
        assert_eq!(config(&[SECRET]).unwrap().ocid_prefix.as_str(), "ocds-mutua0");
        assert_eq!(
            config(&[SECRET, ("MUTUA_OCID_PREFIX", "ocds-213czf")]).unwrap().ocid_prefix.ocid(4),
            "ocds-213czf-4"
        );
        let err = config(&[SECRET, ("MUTUA_OCID_PREFIX", "ocds-mutua")]).unwrap_err();
        assert!(err.starts_with("MUTUA_OCID_PREFIX is \"ocds-mutua\""), "{err}");
        let err = config(&[SECRET, ("MUTUA_OCDS_PREFIX", "ocds-213czf")]).unwrap_err();
        assert!(err.contains("renamed MUTUA_OCID_PREFIX"), "{err}");
    }

    #[test]
    fn single_sign_on_is_all_or_nothing_and_keeps_its_secret_out_of_logs() {
        assert!(config(&[SECRET]).unwrap().oidc.is_none());
        let oidc = config(&[
            SECRET,
            ("MUTUA_OIDC_ISSUER", "https://sso.example.be/realms/mutua"),
            ("MUTUA_OIDC_CLIENT_ID", "mutua"),
            ("MUTUA_OIDC_CLIENT_SECRET", "s3cret-value"),
            ("MUTUA_OIDC_NAME", "Keycloak"),
        ])
        .unwrap()
        .oidc
        .unwrap();
        assert_eq!((oidc.client_id.as_str(), oidc.name.as_deref()), ("mutua", Some("Keycloak")));
        assert!(!format!("{oidc:?}").contains("s3cret"));
        let err = config(&[SECRET, ("MUTUA_OIDC_ISSUER", "https://sso.example.be")]).unwrap_err();
        assert!(err.contains("MUTUA_OIDC_CLIENT_ID"), "{err}");
        assert!(config(&[SECRET, ("MUTUA_OIDC_NAME", "Keycloak")]).is_err(), "a button leading nowhere");
        let err = config(&[
            SECRET,
            ("MUTUA_OIDC_ISSUER", "sso.example.be"),
            ("MUTUA_OIDC_CLIENT_ID", "mutua"),
            ("MUTUA_OIDC_CLIENT_SECRET", "x"),
        ])
        .unwrap_err();
        assert!(err.starts_with("MUTUA_OIDC_ISSUER"), "{err}");
    }

    #[test]
    fn unparsable_numbers_name_the_variable() {
        let err = config(&[SECRET, ("MUTUA_MAX_NEEDS_PER_DAY", "many")]).unwrap_err();
        assert!(err.starts_with("MUTUA_MAX_NEEDS_PER_DAY"), "{err}");
    }

    #[test]
    fn the_review_threshold_is_read_with_the_others() {
        let c = config(&[SECRET]).unwrap();
        assert_eq!(c.match_thresholds, Thresholds::default());
        let c = config(&[SECRET, ("MUTUA_MATCH_REVIEW", "0.2")]).unwrap();
        assert_eq!(c.match_thresholds.review, 0.2);
        assert_eq!(c.match_thresholds.merge, Thresholds::default().merge);
    }

    #[test]
    fn the_default_pool_is_twice_the_cores_from_4_to_10() {
        assert_eq!([1, 2, 3, 4, 5, 64].map(pool_size_for), [4, 4, 6, 8, 10, 10]);
    }
}
