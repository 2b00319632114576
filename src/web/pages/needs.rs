//! Posting a need (`/needs/new`), the pools similar to it while it is typed, and a need's
//! own page, from which it may join a suggested pool or be withdrawn.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use super::id_of;
use crate::{
    domain::{cpv::CpvCode, kinds::NeedStatus, text},
    error::ApiError,
    service::{self, needs::NeedInput, web_sessions::WebUser},
    web::{
        format,
        forms::FormErrors,
        i18n::Lang,
        page::{Page, PageError},
        render,
    },
};

const MEMBERS_ONLY: ApiError = ApiError::Forbidden("only members of a participating organisation may do this");

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

fn members_only(page: &Page, user: &WebUser) -> Result<(), PageError> {
    if user.auth.is_officer() { Err(page.fail(Some(user), MEMBERS_ONLY)) } else { Ok(()) }
}

/// The need typed into the form, or the errors of each field.
fn parse(form: &NeedForm, lang: Lang) -> Result<NeedInput, FormErrors> {
    let mut errors = FormErrors::new("need");
    let title = errors.check(lang, "title", "field.title.invalid", text::title(&form.title));
    let description =
        errors.check(lang, "description", "field.description.invalid", text::description(&form.description));
    let cpv_code = match form.cpv_code.trim() {
        "" => None,
        code => errors.check(lang, "cpv_code", "field.cpv_code.invalid", CpvCode::parse(code)),
    };
    let estimated_cost_cents = match form.estimated_cost.trim() {
        "" => None,
        cost => errors.amount(lang, "estimated_cost", cost),
    };
    match (title, description) {
        (Some(title), Some(description)) if errors.is_empty() => Ok(NeedInput {
            title,
            description,
            cpv_code: cpv_code.map(|c| c.as_str().to_owned()),
            estimated_cost_cents,
        }),
        _ => Err(errors),
    }
}

/// `POST /needs/new`: posts the need as the API does (matching, pool, events), then
/// `303` to the need's page, which says whether it joined an existing pool.
pub async fn post(page: Page, form: web::Form<NeedForm>) -> Result<HttpResponse, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let form = form.into_inner();
    let lang_hint = page.lang(None);
    let input = match parse(&form, lang_hint) {
        Ok(input) => input,
        Err(_) => return again(&page, form, None).await,
    };
    let app = page.state.clone();
    let posted = page
        .attempt(move |tx, user| {
            if user.auth.is_officer() {
                return Err(MEMBERS_ONLY);
            }
            service::needs::post(tx, &app.matcher, &user.auth, input, app.config.max_needs_per_day, None)
        })
        .await;
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
            FormErrors::refused(lang, "need", "title", &[("estimated_cost_cents", "estimated_cost")], refused),
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
    percent: u8,
}

/// `GET /needs/similar`: the pools similar to what is being typed, as a fragment that the
/// need form's script puts beside the form (the API's `GET /api/v1/pools/similar`).
pub async fn similar(page: Page, query: web::Query<SimilarQuery>) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let cpv = Some(query.cpv_code.trim()).filter(|c| CpvCode::parse(c).is_ok()).map(str::to_owned);
    let input = match (text::title(&query.title), text::description(&query.description)) {
        (Ok(title), Ok(description)) => {
            Some(NeedInput { title, description, cpv_code: cpv, estimated_cost_cents: None })
        }
        _ => None,
    };
    let app = page.state.clone();
    let (user, found) = page
        .read(move |tx, user| match input {
            Some(input) => service::needs::similar(tx, &app.matcher, &user.auth, &input),
            None => Ok(Vec::new()),
        })
        .await?;
    let lines: Vec<SimilarLine> = found
        .into_iter()
        .map(|s| SimilarLine {
            pool_id: s.pool_id,
            title: s.title,
            percent: (s.score * 100.0).round().clamp(0.0, 100.0) as u8,
        })
        .collect();
    page.render(Some(&user), StatusCode::OK, "_similar.html", minijinja::context! { similar => lines })
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
    let need = found.need;
    let view = NeedView {
        id: need.id,
        own: need.organisation_id == user.auth.organisation_id,
        title: need.title,
        description: need.description,
        cpv_code: need.cpv_code,
        estimate: need.estimated_cost_cents.map(|c| format::money(c, lang)),
        active: need.status == NeedStatus::Active,
        posted_on: format::when(need.created_at, lang),
        posted: match query.posted.as_deref() {
            Some("joined") => Some("joined"),
            Some("opened") => Some("opened"),
            _ => None,
        },
        pool_id: found.pool.id,
        pool_title: found.pool.title,
        pool_state: found.pool.state.as_str(),
        pool_delivered: found.pool.state == crate::domain::pool_state::PoolState::Delivered,
        repository_url: found.pool.repository_url,
        licence: found.pool.licence,
        suggestions: found
            .suggestions
            .into_iter()
            .map(|(s, _)| SimilarLine {
                pool_id: s.pool_id,
                title: s.title,
                percent: (s.score * 100.0).round().clamp(0.0, 100.0) as u8,
            })
            .collect(),
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

/// `POST /needs/{id}/move`: the need joins a suggested pool (the API's move); `303` to it.
pub async fn move_need(
    page: Page,
    path: web::Path<String>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let id = id_of(&page, &path)?;
    let target: i64 =
        form.pool_id.trim().parse().map_err(|_| page.fail(None, ApiError::invalid("pool_id", "no such pool")))?;
    let (cap, state) = (page.state.config.max_needs_per_day, page.state.clone());
    let (_, (_, pool)) = page
        .write(move |tx, user| {
            if user.auth.is_officer() {
                return Err(MEMBERS_ONLY);
            }
            service::needs::move_to(tx, &state.matcher, &user.auth, id, Some(target), cap)
        })
        .await?;
    Ok(render::see_other(&format!("/pools/{}", pool.id)).finish())
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /needs/{id}/withdraw`: the organisation no longer asks for it (the API's
/// `DELETE /api/v1/needs/{id}`); `303` to the need's page.
pub async fn withdraw(
    page: Page,
    path: web::Path<String>,
    form: web::Form<TokenForm>,
) -> Result<HttpResponse, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let id = id_of(&page, &path)?;
    let state = page.state.clone();
    page.write(move |tx, user| {
        if user.auth.is_officer() {
            return Err(MEMBERS_ONLY);
        }
        service::needs::withdraw(tx, &state.matcher, &user.auth, id)
    })
    .await?;
    Ok(render::see_other(&format!("/needs/{id}")).finish())
}
