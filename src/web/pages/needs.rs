//! Posting a need (`/needs/new`), the pools similar to it while it is typed, and a need's
//! own page, from which it may join a suggested pool or be withdrawn.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use super::{confirm, id_of};
use crate::{
    auth::WebUser,
    domain::{
        amount,
        cpv::CpvCode,
        events::SimilarPool,
        format,
        kinds::{Locale, NeedStatus},
        maintenance,
        matching::{Closeness, Thresholds},
        need::NeedInput,
    },
    error::ApiError,
    service,
    web::{
        forms::{FormErrors, amount_message},
        page::{Page, PageError},
        render,
    },
};

/// What the need form holds, as typed.
#[derive(Clone, Default, Deserialize, Serialize)]
pub struct NeedForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    cpv_code: String,
    #[serde(default)]
    estimated_cost: String,
    #[serde(default, skip_serializing)]
    csrf_token: String,
}

#[derive(Serialize)]
struct FormView {
    values: NeedForm,
    errors: FormErrors,
}

/// `GET /needs/new` (members).
pub async fn form(page: Page) -> Result<HttpResponse, PageError> {
    let (user, ()) = page.read(|_, _| Ok(())).await?;
    members_only(&page, &user)?;
    let view = FormView { values: NeedForm::default(), errors: FormErrors::new("need") };
    page.render(Some(&user), StatusCode::OK, "need_new.html", view)
}

/// The need form is for members: an officer is refused as the API refuses a post.
fn members_only(page: &Page, user: &WebUser) -> Result<(), PageError> {
    user.member().map(|_| ()).map_err(|refused| page.fail(Some(user), refused))
}

/// The form's fields named as the API's.
const RENAMED: &[(&str, &str)] = &[("estimated_cost_cents", "estimated_cost")];

/// The need typed into the form ([`NeedInput::parse`], as the API's body), or the errors of
/// each field. The estimate is typed in euros: its words say what is wrong with the amount
/// (the pages have no `field.estimated_cost.invalid`, so they are shown as they are).
fn parse(form: &NeedForm, lang: Locale) -> Result<NeedInput, FormErrors> {
    let cpv_code = Some(form.cpv_code.trim()).filter(|code| !code.is_empty());
    let estimate = Some(form.estimated_cost.trim())
        .filter(|cost| !cost.is_empty())
        .map(|cost| amount::parse_euros(cost, lang).map_err(|wrong| amount_message(lang, wrong)));
    NeedInput::parse(&form.title, &form.description, cpv_code, estimate)
        .map_err(|refused| FormErrors::fields(lang, "need", RENAMED, &refused))
}

/// `POST /needs/new`: posts the need as the API does (ranked before the write, then
/// matching, pool, events in it), then `303` to the need's page, which says whether it
/// joined an existing pool.
pub async fn post(page: Page, form: web::Form<NeedForm>) -> Result<HttpResponse, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let form = form.into_inner();
    let lang_hint = page.form_lang().await?;
    let input = match parse(&form, lang_hint) {
        Ok(input) => input,
        Err(_) => return again(&page, form, None).await,
    };
    // As the API posts (`routes::needs::create`): ranked in a read before the write when
    // that helps (`Posting::rank_beforehand`), then posted.
    service::matcher::dictionary_loaded().await;
    let posting = page.state.matcher.posting();
    let prepared = if posting.rank_beforehand() {
        let (app, prepared_for) = (page.state.clone(), input.clone());
        let (_, prepared) =
            page.read(move |tx, user| service::needs::prepare(tx, &app.matcher, user.member()?, &prepared_for)).await?;
        Some(prepared)
    } else {
        None
    };
    let app = page.state.clone();
    let posted = page
        .attempt(move |tx, user| {
            let cap = app.config.max_needs_per_day;
            service::needs::post(tx, &app.matcher, user.member()?, input, cap, prepared)
        })
        .await;
    drop(posting);
    match posted {
        Ok((_, posted)) => {
            tracing::info!(
                need_id = posted.need.id,
                pool_id = posted.pool.id,
                merged = posted.merged,
                "need posted from the pages"
            );
            let outcome = if posted.merged { "joined" } else { "opened" };
            Ok(render::see_other(&format!("/needs/{}?posted={outcome}", posted.need.id)).finish())
        }
        Err(refused @ ApiError::TooManyRequests { .. }) => again(&page, form, Some(refused)).await,
        Err(other) => Err(page.fail(None, other)),
    }
}

/// The form again, with the errors of its fields (or `refused`, the service's refusal).
async fn again(page: &Page, form: NeedForm, refused: Option<ApiError>) -> Result<HttpResponse, PageError> {
    let (user, ()) = page.read(|_, _| Ok(())).await?;
    members_only(page, &user)?;
    let lang = page.lang(Some(&user));
    let (errors, status) = match &refused {
        Some(refused) => (
            FormErrors::refused(lang, "need", "title", RENAMED, refused),
            actix_web::ResponseError::status_code(refused),
        ),
        None => (parse(&form, lang).err().unwrap_or_default(), StatusCode::UNPROCESSABLE_ENTITY),
    };
    page.render(Some(&user), status, "need_new.html", FormView { values: form, errors })
}

#[derive(Deserialize)]
pub struct SimilarQuery {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    cpv_code: String,
}

#[derive(Serialize)]
struct SimilarLine {
    pool_id: i64,
    title: String,
    /// `same`, `close` or `distant` ([`Closeness`]): words, not a percentage.
    level: &'static str,
    /// Whether a need may be moved into it from its page (close enough to be suggested).
    joinable: bool,
}

impl SimilarLine {
    fn new(found: SimilarPool, thresholds: &Thresholds) -> Self {
        let level = thresholds.closeness(found.score);
        Self {
            pool_id: found.pool_id,
            title: found.title,
            level: level.as_str(),
            joinable: level != Closeness::Distant,
        }
    }
}

/// `GET /needs/similar`: the pools similar to what is being typed, as a fragment that the
/// need form's script puts beside the form (the API's `GET /api/v1/pools/similar`).
pub async fn similar(page: Page, query: web::Query<SimilarQuery>) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    // What is typed so far: no search until the title reads as one; a code not yet whole
    // is left out.
    let cpv = Some(query.cpv_code.trim()).filter(|c| CpvCode::parse(c).is_ok());
    let input = NeedInput::parse(&query.title, &query.description, cpv, None).ok();
    let app = page.state.clone();
    let (user, found) = page
        .read(move |tx, user| match input {
            Some(input) => service::needs::preview(tx, &app.matcher, &app.similar_budget, &user.auth, &input).map(Some),
            None => Ok(None),
        })
        .await?;
    let thresholds = page.state.matcher.thresholds();
    let (joins, similar) = match found {
        Some(outcome) => (
            outcome.merge_into.map(|s| SimilarLine::new(s, thresholds)),
            outcome.similar.into_iter().take(9).map(|s| SimilarLine::new(s, thresholds)).collect(),
        ),
        None => (None, Vec::new()),
    };
    page.render(Some(&user), StatusCode::OK, "_similar.html", minijinja::context! { joins, similar })
}

#[derive(Deserialize)]
pub struct NeedQuery {
    posted: Option<String>,
}

#[derive(Serialize)]
struct NeedView {
    id: i64,
    title: String,
    description: String,
    cpv_code: Option<String>,
    estimate: Option<String>,
    active: bool,
    own: bool,
    posted_on: String,
    /// `joined` or `opened` right after posting.
    posted: Option<&'static str>,
    pool_id: i64,
    pool_title: String,
    pool_state: &'static str,
    pool_delivered: bool,
    repository_url: Option<String>,
    licence: Option<String>,
    suggestions: Vec<SimilarLine>,
    /// The need shares an open pool with others: it may leave for a project of its own.
    separable: bool,
}

/// `GET /needs/{id}`: a need of the person's organisation (officers: any).
pub async fn need(
    page: Page,
    path: web::Path<String>,
    query: web::Query<NeedQuery>,
) -> Result<HttpResponse, PageError> {
    let id = id_of(&page, &path)?;
    let (user, found) = page.read(move |tx, user| service::needs::page(tx, &user.auth, id)).await?;
    let lang = page.lang(Some(&user));
    let thresholds = page.state.matcher.thresholds();
    let need = found.need;
    let view = NeedView {
        id: need.id,
        own: need.organisation_id == user.auth.organisation_id,
        title: need.title,
        description: need.description,
        cpv_code: need.cpv_code,
        estimate: need.estimated_cost_cents.map(|c| format::money(c, lang)),
        active: need.status == NeedStatus::Active,
        posted_on: format::local_date(need.created_at, lang),
        posted: match query.posted.as_deref() {
            Some("joined") => Some("joined"),
            Some("opened") => Some("opened"),
            _ => None,
        },
        pool_id: found.pool.id,
        pool_title: maintenance::title(&found.pool.title, found.pool.period_start.zip(found.pool.period_end), lang),
        pool_state: found.pool.state.as_str(),
        pool_delivered: found.pool.state == crate::domain::pool_state::PoolState::Delivered,
        separable: found.shared && found.pool.state == crate::domain::pool_state::PoolState::Open,
        repository_url: found.pool.repository_url,
        licence: found.pool.licence,
        suggestions: found.suggestions.into_iter().map(|(s, _)| SimilarLine::new(s, thresholds)).collect(),
    };
    page.render(Some(&user), StatusCode::OK, "need.html", view)
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pool_id: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /needs/{id}/move`: field `pool_id`, a suggested pool to join, or `new` for a
/// project of its own (the API's move); `303` to the pool it is in after.
pub async fn move_need(
    page: Page,
    path: web::Path<String>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let id = id_of(&page, &path)?;
    // `new`: a project of its own (the API's `pool_id: null`).
    let target: Option<i64> = match form.pool_id.trim() {
        "new" => None,
        raw => Some(raw.parse().map_err(|_| page.fail(None, ApiError::invalid("pool_id", "no such pool")))?),
    };
    let (cap, state) = (page.state.config.max_needs_per_day, page.state.clone());
    let (_, (_, pool)) = page
        .write(move |tx, user| service::needs::move_to(tx, &state.matcher, user.member()?, id, target, cap))
        .await?;
    Ok(page.done(&format!("/pools/{}", pool.id), "need-moved"))
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    csrf_token: String,
    /// `yes` once the person confirmed ([`confirm`]).
    #[serde(default)]
    confirmed: String,
}

/// `POST /needs/{id}/withdraw`: the organisation no longer asks for it (the API's
/// `DELETE /api/v1/needs/{id}`), once confirmed; `303` to the need's page.
pub async fn withdraw(
    page: Page,
    path: web::Path<String>,
    form: web::Form<WithdrawForm>,
) -> Result<HttpResponse, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let id = id_of(&page, &path)?;
    if form.confirmed != confirm::YES {
        let (user, found) = page.read(move |tx, user| service::needs::page(tx, &user.auth, id)).await?;
        members_only(&page, &user)?;
        let lang = page.lang(Some(&user));
        let question = confirm::Question::warning(lang, "confirm.withdraw_need", &[("need", &found.need.title)]);
        return confirm::page(&page, &user, question, page.here_action(), HashMap::new(), &format!("/needs/{id}"));
    }
    let state = page.state.clone();
    page.write(move |tx, user| service::needs::withdraw(tx, &state.matcher, user.member()?, id)).await?;
    Ok(page.done(&format!("/needs/{id}"), "need-withdrawn"))
}
