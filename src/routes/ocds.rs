//! The open data export: pools as an OCDS 1.1 release package (the mapping is in
//! [`crate::ocds`]).

use actix_web::{HttpResponse, http::header, web};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::common::PageQuery;
use crate::{
    auth::AuthUser,
    error::{ApiResult, Validator},
    ocds::{self, Publication},
    service,
    state::AppState,
};

/// Releases per page when the client does not say.
const DEFAULT_LIMIT: i64 = 100;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReleasesQuery {
    /// Only pools changed at or after this instant (RFC 3339, such as `2026-01-31T00:00:00Z`).
    pub since: Option<String>,
    /// Releases per page, 1 to 200 (default 100).
    pub limit: Option<i64>,
    /// Releases to skip (default 0).
    pub offset: Option<i64>,
}

/// Every pool as an OCDS 1.1 release package: one release per pool, by pool id.
///
/// The release describes the pool as it is now; its id changes with every change, so a
/// harvester keeps the newest release of each `ocid`. The 1.1 package has no paging field:
/// when more releases follow, a `Link: <…>; rel="next"` header gives the next page. A page
/// with no pool has an empty `releases` list, which the package schema (at least one
/// release) does not foresee.
#[utoipa::path(get, path = "/api/v1/ocds/releases", tag = "open data", params(ReleasesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ocds::ReleasePackage, description = "an OCDS 1.1 release package",
            headers(("Link" = String, description = "the next page, when there is one"))),
        (status = 422, description = "invalid since or paging", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::Unauthenticated,
    ))]
pub async fn releases(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<ReleasesQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let mut v = Validator::default();
    let page = PageQuery { limit: Some(query.limit.unwrap_or(DEFAULT_LIMIT)), offset: query.offset };
    let (limit, offset) = page.parse(&mut v);
    let since = query.since.as_deref().and_then(|raw| v.check("since", parse_since(raw)));
    v.finish()?;
    let loaded = state
        .db
        .read(caller, move |tx, _| service::open_data::page(tx, since.map(|s| s.naive_utc()), limit, offset))
        .await?;

    let publication = Publication {
        prefix: &state.config.ocds_prefix,
        central: loaded.central.as_ref(),
        organisations: &loaded.organisations,
        maintained: &loaded.maintained,
    };
    let releases = loaded.pools.iter().map(|snapshot| ocds::release(snapshot, &publication)).collect();
    let public_url = &state.config.public_url;
    let package =
        ocds::package(page_url(public_url, since, limit, offset), public_url, loaded.central.as_ref(), releases);
    let mut response = HttpResponse::Ok();
    if offset + limit < loaded.total {
        response.insert_header((
            header::LINK,
            format!("<{}>; rel=\"next\"", page_url(public_url, since, limit, offset + limit)),
        ));
    }
    Ok(response.json(package))
}

fn parse_since(raw: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| "must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z".to_owned())
}

/// The URL of one page; `since` is written in UTC so that it needs no escaping.
fn page_url(public_url: &str, since: Option<DateTime<Utc>>, limit: i64, offset: i64) -> String {
    let since = since.map(|s| format!("&since={}", s.to_rfc3339_opts(SecondsFormat::AutoSi, true))).unwrap_or_default();
    format!("{public_url}/api/v1/ocds/releases?limit={limit}&offset={offset}{since}")
}
