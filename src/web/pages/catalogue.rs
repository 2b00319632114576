//! `GET /catalogue`, public: the software delivered so far, where its code is, under which
//! licence, and the authorities that use it — the page a council is shown.

use actix_web::{HttpResponse, http::StatusCode};
use serde::Serialize;

use crate::{
    db::models::pool::PoolFilter,
    domain::{kinds::PoolKind, pool_state::PoolState},
    service,
    web::{
        page::{Page, PageError},
        pages::pools::MaintenanceLine,
        views::PoolLine,
    },
};

/// The most deliveries the page lists.
const SHOWN: i64 = 200;

/// A delivered piece of software, with its periods of upkeep.
#[derive(Serialize)]
struct Software {
    #[serde(flatten)]
    pool: PoolLine,
    maintenance: Vec<MaintenanceLine>,
}

#[derive(Serialize)]
struct CatalogueView {
    delivered: Vec<Software>,
    /// Whether the viewer may open the pools' pages (signed in).
    links: bool,
}

pub async fn catalogue(page: Page) -> Result<HttpResponse, PageError> {
    let filter = PoolFilter { state: Some(PoolState::Delivered), ..Default::default() };
    let (user, (views, _)) = page.read_public(move |tx| service::pool_view::list(tx, &filter, SHOWN, 0)).await?;
    let lang = page.lang(user.as_ref());
    let delivered = views
        .iter()
        // A delivered period of upkeep is not software of its own: it is listed under the
        // software it maintains.
        .filter(|v| v.pool.kind == PoolKind::Development)
        .map(|v| Software {
            pool: PoolLine::new(v, lang, None),
            maintenance: v.maintenance.iter().map(|m| MaintenanceLine::new(m, lang)).collect(),
        })
        .collect();
    let view = CatalogueView { delivered, links: user.is_some() };
    page.render(user.as_ref(), StatusCode::OK, "catalogue.html", view)
}
