//! The list of pools and a pool's page: its description, participants with their pledges
//! and shares, its history, and the forms its viewer may use. The handlers are here; what
//! the page shows is built in `view` (from the lines of `lines`, the history's words of
//! `history`, and the forms of `forms`).

mod forms;
mod history;
mod lines;
mod view;

use std::{collections::HashMap, sync::Arc};

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

pub use self::lines::{DuplicateLine, MaintenanceLine};
use self::view::{FailedForm, pool_view};
use super::id_of;
use crate::{
    auth::WebUser,
    db::{Tx, models::pool::PoolFilter},
    domain::{kinds::Locale, pool_state::PoolState, text},
    error::ApiResult,
    service::{self, pool_view::PoolPage},
    web::{
        forms::FormErrors,
        page::{Page, PageError},
        views::PoolLine,
    },
};

/// Pools per page of the list.
const PER_PAGE: i64 = 25;

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
    /// Text, so that a page number typed wrong in the address shows the first page.
    page: Option<String>,
}

#[derive(Serialize)]
struct ListView {
    pools: Vec<PoolLine>,
    total: i64,
    state: String,
    q: String,
    states: Vec<&'static str>,
    page: i64,
    previous: Option<i64>,
    next: Option<i64>,
}

/// `GET /pools?state=&q=&page=`: pools, newest first (the API's `GET /api/v1/pools`).
pub async fn list(page: Page, query: web::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let state = query.state.as_deref().and_then(|s| PoolState::parse(s).ok());
    let q = query.q.as_deref().and_then(|q| text::clean(q, 0, 200, false).ok()).unwrap_or_default();
    let number = query.page.and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000);
    let words = text::search_words(&q).unwrap_or_default();
    let mut filter = PoolFilter { state, cpv_prefix: None, words, also: Vec::new() };
    let offset = (number - 1) * PER_PAGE;
    let (app, typed) = (page.state.clone(), q.clone());
    let (user, (views, total)) = page
        .read(move |tx, user| {
            // What the words mean, as the matcher reads them: "cimetieres" finds
            // "cimetière", "Friedhof" finds it too.
            filter.also = app.matcher.search_words(tx, &typed, user.locale.as_str())?;
            service::pool_view::list(tx, &filter, PER_PAGE, offset)
        })
        .await?;
    let lang = page.lang(Some(&user));
    let own = (!user.auth.is_officer()).then_some(user.auth.organisation_id);
    let view = ListView {
        pools: views.iter().map(|v| PoolLine::new(v, lang, own)).collect(),
        total,
        state: state.map(PoolState::as_str).unwrap_or_default().to_owned(),
        q,
        states: PoolState::ALL.iter().map(|s| s.as_str()).collect(),
        page: number,
        previous: (number > 1).then_some(number - 1),
        next: (offset + PER_PAGE < total).then_some(number + 1),
    };
    page.render(Some(&user), StatusCode::OK, "pools.html", view)
}

/// `GET /pools/{id}`: from memory when this process knows both that the session holds and
/// the pool as it is now (the page as rendered for this kind of viewer, or, for a member,
/// what it shows); else one unit of work, whose reads are kept. Costs about what the API's
/// `GET /api/v1/pools/{id}` costs (docs/PERFORMANCE.md). An officer's page, which shows the
/// duplicates still to review, is kept until any pool changes (`web::cache`).
pub async fn pool(page: Page, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let id = id_of(&page, &path)?;
    let cache = page.state.pages.clone();
    if let Some(user) = page.known_user() {
        let generation = cache.generation();
        if let Some(viewer) = page.viewer(&user) {
            if let Some(rendered) = cache.rendered(id, viewer) {
                return Ok(page.respond_kept(&user, &rendered));
            }
        }
        if let Some(found) = cache.pool_page(id).filter(|_| !user.auth.is_officer()) {
            return kept(&page, &user, &found, &[], generation);
        }
    }
    let generation = cache.generation();
    let (user, (found, duplicates)) = page.read(move |tx, user| read(tx, user, id)).await?;
    let found = Arc::new(found);
    cache.store_pool_page(id, found.clone(), generation);
    kept(&page, &user, &found, &duplicates, generation)
}

/// What a pool's page shows, and for an officer the pools still to review against it.
fn read(tx: &mut Tx, user: &WebUser, id: i64) -> ApiResult<(PoolPage, Vec<i64>)> {
    let found = service::pool_view::page(tx, id)?;
    let duplicates = if user.auth.is_officer() { service::duplicates::unreviewed_of(tx, id)? } else { Vec::new() };
    Ok((found, duplicates))
}

/// A pool's page rendered (for an officer, with the pools still to review against it), and
/// kept for its kind of viewer when the request is the plain page; `generation` is the
/// cache's before `found` was read.
fn kept(
    page: &Page,
    user: &WebUser,
    found: &PoolPage,
    duplicates: &[i64],
    generation: u64,
) -> Result<HttpResponse, PageError> {
    let view = pool_view(page, user, found, duplicates, None);
    let Some(viewer) = page.viewer(user) else {
        return page.render(Some(user), StatusCode::OK, "pool.html", view);
    };
    let rendered = Arc::new(page.render_kept(user, "pool.html", view)?);
    page.state.pages.store_rendered(found.view.pool.id, viewer, rendered.clone(), generation);
    Ok(page.respond_kept(user, &rendered))
}

/// A pool's page again after one of its forms was refused: the errors beside the fields
/// of that form (worded once the page's language is known), the values typed kept.
pub async fn again(
    page: &Page,
    id: i64,
    values: HashMap<String, String>,
    errors: impl FnOnce(Locale) -> FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (user, (found, duplicates)) = page.read(move |tx, user| read(tx, user, id)).await?;
    let failed = FailedForm { values, errors: errors(page.lang(Some(&user))) };
    let view = pool_view(page, &user, &found, &duplicates, Some(failed));
    page.render(Some(&user), status, "pool.html", view)
}
