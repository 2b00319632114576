//! The open data export, public: OCDS 1.1 release and record packages of the pools (the
//! mapping is in [`crate::ocds`], the loading in [`crate::service::open_data`]).
//!
//! No login: public money, published; the data names organisations (public bodies), never
//! a person. The unit of work runs as [`System`].

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HeaderValue},
    web,
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::IntoParams;

use std::sync::Arc;

use crate::{
    auth::extractor::authenticated,
    cache::CachedPage,
    client_address,
    db::System,
    error::{ApiError, ApiResult, Validator},
    ocds::{self, Instant, Publication},
    service::{self, open_data::Harvest},
    state::AppState,
};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HarvestQuery {
    /// Only what was recorded at or after this instant (RFC 3339, such as
    /// `2026-01-31T00:00:00Z`): releases dated so, records with such a release.
    pub since: Option<String>,
    /// Items per page: releases 1 to 200 (default 100), records 1 to 100 (default 20).
    pub limit: Option<i64>,
    /// Where the page starts: the cursor of a `links.next` URL (opaque; leave it out for the
    /// first page).
    pub after: Option<String>,
}

/// How many items a page holds by default and at most.
struct Bounds {
    path: &'static str,
    default: i64,
    max: i64,
}

const RELEASES: Bounds = Bounds { path: "/api/v1/ocds/releases", default: 100, max: 200 };
const RECORDS: Bounds = Bounds { path: "/api/v1/ocds/records", default: 20, max: 100 };

/// A request's page, checked: 422 naming the parameter otherwise.
fn harvest(query: HarvestQuery, bounds: &Bounds) -> ApiResult<(Harvest, Option<DateTime<Utc>>)> {
    let mut v = Validator::default();
    let limit = query.limit.unwrap_or(bounds.default);
    if !(1..=bounds.max).contains(&limit) {
        v.push("limit", format!("must be between 1 and {}", bounds.max));
    }
    let since = query.since.as_deref().and_then(|raw| v.check("since", parse_since(raw)));
    let after = query.after.as_deref().map_or(Some(0), |raw| v.check("after", parse_cursor(raw))).unwrap_or(0);
    v.finish()?;
    Ok((Harvest { since: since.map(|s| s.naive_utc()), after, limit }, since))
}

fn parse_since(raw: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| "must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z".to_owned())
}

/// A cursor as `links.next` writes it: the id of the last release (record) a page held.
fn parse_cursor(raw: &str) -> Result<i64, String> {
    raw.parse::<i64>().ok().filter(|after| *after >= 0).ok_or_else(|| "must be the cursor of a links.next URL".into())
}

/// The URL of a page; `since` is written in UTC so that it needs no escaping.
fn page_url(public_url: &str, bounds: &Bounds, since: Option<DateTime<Utc>>, limit: i64, after: i64) -> String {
    let mut url = format!("{public_url}{}?limit={limit}", bounds.path);
    if after > 0 {
        url.push_str(&format!("&after={after}"));
    }
    if let Some(since) = since {
        url.push_str(&format!("&since={}", since.to_rfc3339_opts(SecondsFormat::AutoSi, true)));
    }
    url
}

/// Every release of every pool, one per change, oldest first (by event): an OCDS 1.1
/// release package. Public.
///
/// Releases are never rewritten (but for a redaction: see `docs/SECURITY.md`): keep them by
/// `id`. Follow `links.next` (also the `Link` header) until a page comes back empty; keep
/// that last URL to ask later for what was published since, with `If-None-Match` (304 when
/// nothing was). A page ends early when it would exceed `MUTUA_PUBLIC_PAGE_BYTES`.
#[utoipa::path(get, path = "/api/v1/ocds/releases", tag = "open data", params(HarvestQuery),
    responses(
        (status = 200, body = ocds::ReleasePackage, description = "an OCDS 1.1 release package",
            headers(
                ("ETag" = String, description = "the page's version, for If-None-Match"),
                ("Link" = String, description = "the next page, when this one is not empty"),
            )),
        (status = 304, description = "the page has not changed since the ETag given in If-None-Match"),
        (status = 422, description = "invalid since, limit or after", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many anonymous requests from this address (`MUTUA_PUBLIC_PER_MINUTE`); see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn releases(
    state: web::Data<AppState>,
    request: HttpRequest,
    query: web::Query<HarvestQuery>,
) -> ApiResult<HttpResponse> {
    limit_anonymous(&state, &request)?;
    let (harvest, since) = harvest(query.into_inner(), &RELEASES)?;
    let key = cache_key(&RELEASES, &harvest);
    if let Some(page) = state.cache.page(&key) {
        return Ok(answer(&request, &page));
    }
    let generation = state.cache.generation();
    let loaded = state.db.read(System, move |tx, _| service::open_data::releases(tx, harvest)).await?;
    let publication = Publication {
        prefix: &state.config.ocid_prefix,
        central: loaded.central.as_ref(),
        organisations: &loaded.organisations,
    };
    let releases = loaded.items.iter().map(|snapshot| ocds::release(snapshot, &publication)).collect();
    let (releases, cut) = within(releases, state.config.public_page_bytes)?;
    let last = match cut {
        Some(kept) => Some(loaded.items[kept - 1].event_id),
        None => loaded.last,
    };
    let url = |after| page_url(&state.config.public_url, &RELEASES, since, harvest.limit, after);
    let next = last.map(url);
    let package = ocds::release_package(
        url(harvest.after),
        ocds::publisher(loaded.central.as_ref(), &state.config.public_url),
        published(loaded.newest),
        next.clone(),
        releases,
    );
    let page = page(&package, next)?;
    state.cache.store_page(key, page.clone(), generation);
    Ok(answer(&request, &page))
}

/// Every pool as an OCDS 1.1 record, by pool id: its releases and what they compile to by
/// the OCDS merge routine (`compiledRelease`, `versionedRelease`). Public.
///
/// A record grows with every change of its pool: with `since`, a page holds the records
/// with a release at or after that instant. A record embeds its releases when it has at
/// most 100, and otherwise links each one (`{url, date, tag}`, the url a release page
/// holding it). A page ends early when it would exceed `MUTUA_PUBLIC_PAGE_BYTES`.
#[utoipa::path(get, path = "/api/v1/ocds/records", tag = "open data", params(HarvestQuery),
    responses(
        (status = 200, body = ocds::RecordPackage, description = "an OCDS 1.1 record package",
            headers(
                ("ETag" = String, description = "the page's version, for If-None-Match"),
                ("Link" = String, description = "the next page, when this one is not empty"),
            )),
        (status = 304, description = "the page has not changed since the ETag given in If-None-Match"),
        (status = 422, description = "invalid since, limit or after", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many anonymous requests from this address (`MUTUA_PUBLIC_PER_MINUTE`); see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
pub async fn records(
    state: web::Data<AppState>,
    request: HttpRequest,
    query: web::Query<HarvestQuery>,
) -> ApiResult<HttpResponse> {
    limit_anonymous(&state, &request)?;
    let (harvest, since) = harvest(query.into_inner(), &RECORDS)?;
    let key = cache_key(&RECORDS, &harvest);
    if let Some(page) = state.cache.page(&key) {
        return Ok(answer(&request, &page));
    }
    let generation = state.cache.generation();
    let loaded = state.db.read(System, move |tx, _| service::open_data::records(tx, harvest)).await?;
    let prefix = &state.config.ocid_prefix;
    let publication = Publication { prefix, central: loaded.central.as_ref(), organisations: &loaded.organisations };
    let public_url = &state.config.public_url;
    let records = loaded
        .items
        .iter()
        .map(|(pool_id, snapshots)| {
            let releases = snapshots.iter().map(|s| ocds::release(s, &publication)).collect();
            // The page of releases that starts with this one.
            let link = |i: usize, release: &ocds::Release| {
                let after = snapshots[i].event_id - 1;
                format!("{}#{}", page_url(public_url, &RELEASES, None, 1, after), release.id)
            };
            ocds::record(prefix.ocid(*pool_id), releases, link).map_err(|e| ApiError::Internal(e.into()))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let (records, cut) = within(records, state.config.public_page_bytes)?;
    let last = match cut {
        Some(kept) => Some(loaded.items[kept - 1].0),
        None => loaded.last,
    };
    let url = |after| page_url(public_url, &RECORDS, since, harvest.limit, after);
    let next = last.map(url);
    let package = ocds::record_package(
        url(harvest.after),
        ocds::publisher(loaded.central.as_ref(), public_url),
        published(loaded.newest),
        next.clone(),
        records,
    );
    let page = page(&package, next)?;
    state.cache.store_page(key, page.clone(), generation);
    Ok(answer(&request, &page))
}

/// An anonymous request spends one of its client address's budget
/// (`MUTUA_PUBLIC_PER_MINUTE`); a signed-in caller is counted by the per-user limits.
fn limit_anonymous(state: &AppState, request: &HttpRequest) -> ApiResult<()> {
    if authenticated(request).is_some() {
        return Ok(());
    }
    state.public_budget.check(client_address::of(request))
}

/// The cache's key for a page: its parsed parameters, so that every spelling of the same
/// page (`after=0`, `after=00`, a `since` in another time zone) is one entry.
fn cache_key(bounds: &Bounds, harvest: &Harvest) -> String {
    let since = harvest.since.map(|s| s.and_utc().timestamp_micros());
    format!("{}|{}|{}|{since:?}", bounds.path, harvest.limit, harvest.after)
}

/// Room kept for what a package holds beside its items (publisher, links, extensions).
const ENVELOPE_BYTES: usize = 4096;

/// The first items whose JSON fits in `max_bytes` (at least one, so that a harvest always
/// moves on), and how many were kept when some were left for the next page.
fn within<T: Serialize>(mut items: Vec<T>, max_bytes: usize) -> ApiResult<(Vec<T>, Option<usize>)> {
    let mut total = ENVELOPE_BYTES;
    for (i, item) in items.iter().enumerate() {
        let mut counter = ByteCounter(0);
        serde_json::to_writer(&mut counter, item).map_err(|e| ApiError::Internal(e.into()))?;
        total += counter.0 + 1;
        if total > max_bytes && i > 0 {
            items.truncate(i);
            return Ok((items, Some(i)));
        }
    }
    Ok((items, None))
}

/// Counts what is written, keeping none of it.
struct ByteCounter(usize);

impl std::io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The date of the newest release; the Unix epoch for an export with none yet (a fixed
/// date, so that an empty page does not change from one request to the next).
fn published(newest: Option<chrono::NaiveDateTime>) -> Instant {
    Instant(newest.map_or(DateTime::UNIX_EPOCH, |at| at.and_utc()))
}

/// The package as served: its bytes, its `ETag` (a digest of them) and its next page. Kept
/// in memory until any pool changes (see [`crate::cache`]), so that harvesters and crawlers
/// asking again cost no database work.
fn page(package: &impl Serialize, next: Option<String>) -> ApiResult<Arc<CachedPage>> {
    let body = serde_json::to_vec(package).map_err(|e| ApiError::Internal(e.into()))?;
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", digest[..16].iter().map(|b| format!("{b:02x}")).collect::<String>());
    Ok(Arc::new(CachedPage { body: body.into(), etag, next }))
}

/// The page with its `ETag` and `Link`, or 304 when the client holds that version already.
fn answer(request: &HttpRequest, page: &CachedPage) -> HttpResponse {
    // Public data: any cache may keep it, and asks again before using it.
    let cache = (header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
    if holds(request, &page.etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, page.etag.clone()))
            .insert_header(cache)
            .finish();
    }
    let mut response = HttpResponse::Ok();
    response.insert_header((header::ETAG, page.etag.clone())).insert_header(cache);
    if let Some(next) = &page.next {
        response.insert_header((header::LINK, format!("<{next}>; rel=\"next\"")));
    }
    response.content_type("application/json").body(page.body.clone())
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for it).
fn holds(request: &HttpRequest, etag: &str) -> bool {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .any(|value| value.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag))
}
