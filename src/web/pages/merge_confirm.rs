//! `GET /pools/{id}/merge?into_pool_id=` (officers): what a merge would move (needs,
//! participants, pledges with their amounts) before it is done, with the button that does
//! it (`POST /pools/{id}/merge`). The duplicate review and a pool's page lead here, so that
//! no merge is one click away (SPEC §15).

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use super::id_of;
use crate::{
    domain::{format, kinds::PledgeStatus},
    error::ApiError,
    service,
    web::page::{Page, PageError},
};

#[derive(Deserialize)]
pub struct MergeQuery {
    /// Text, so that a wrong number is the page's error rather than the framework's.
    #[serde(default)]
    into_pool_id: String,
}

#[derive(Serialize)]
struct NeedLine {
    title: String,
    organisation: String,
    estimate: Option<String>,
}

#[derive(Serialize)]
struct PledgeLine {
    organisation: String,
    amount: String,
    confirmed: bool,
}

#[derive(Serialize)]
struct MergeView {
    from_id: i64,
    from_title: String,
    into_id: i64,
    into_title: String,
    needs: Vec<NeedLine>,
    participants: Vec<String>,
    pledges: Vec<PledgeLine>,
}

/// The confirmation page of merging pool `{id}` into `into_pool_id`; a merge the service
/// would refuse is refused here, with its words.
pub async fn form(
    page: Page,
    path: web::Path<String>,
    query: web::Query<MergeQuery>,
) -> Result<HttpResponse, PageError> {
    let from = id_of(&page, &path)?;
    let raw = query.into_inner().into_pool_id;
    let into = raw
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .map_err(|_| page.fail(None, ApiError::invalid("into_pool_id", "a pool number")))?;
    let (user, preview) =
        page.read(move |tx, user| service::pools::merge_preview(tx, user.officer()?, from, into)).await?;
    let lang = page.lang(Some(&user));
    let view = MergeView {
        from_id: from,
        from_title: preview.from.pool.title.clone(),
        into_id: into,
        into_title: preview.into.title.clone(),
        needs: preview
            .needs
            .iter()
            .map(|(need, organisation)| NeedLine {
                title: need.title.clone(),
                organisation: organisation.clone(),
                estimate: need.estimated_cost_cents.map(|c| format::money(c, lang)),
            })
            .collect(),
        participants: preview.from.participants.iter().map(|p| p.name.clone()).collect(),
        pledges: preview
            .from
            .participants
            .iter()
            .filter(|p| p.pledge_status.is_some())
            .map(|p| PledgeLine {
                organisation: p.name.clone(),
                amount: format::money(p.pledged_cents, lang),
                confirmed: p.pledge_status == Some(PledgeStatus::Confirmed),
            })
            .collect(),
    };
    page.render(Some(&user), StatusCode::OK, "merge_confirm.html", view)
}
