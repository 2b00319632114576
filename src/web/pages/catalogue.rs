//! `GET /catalogue`, public: the software delivered so far, where its code is, under which
//! licence, and the authorities that use it — the page a council is shown.

use actix_web::{HttpResponse, http::StatusCode};
use serde::Serialize;

use crate::{
    db::models::pool::PoolFilter,
    domain::pool_state::PoolState,
    service,
    web::{
        page::{Page, PageError},
        views::PoolLine,
    },
};

/// The most deliveries the page lists.
const SHOWN: i64 = 200;

#[derive(Serialize)]
struct CatalogueView {
    delivered: Vec<PoolLine>,
    total: i64,
}

pub async fn catalogue(page: Page) -> Result<HttpResponse, PageError> {
    let filter = PoolFilter { state: Some(PoolState::Delivered), ..Default::default() };
    let (user, (views, total)) = page.read_public(move |tx| service::pool_view::list(tx, &filter, SHOWN, 0)).await?;
    let lang = page.lang(user.as_ref());
    let view = CatalogueView { delivered: views.iter().map(|v| PoolLine::new(v, lang, None)).collect(), total };
    page.render(user.as_ref(), StatusCode::OK, "catalogue.html", view)
}
