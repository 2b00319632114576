//! The organisations' pages (SPEC §14): `/organisations` (officers: list, search, create)
//! and `/organisations/{id}` (officers: edit; officers and the organisation's manager: its
//! users, invited, re-invited, disabled with a confirmation, re-enabled, given a role). Each
//! form runs the API's service function and answers `303` with a success message, or the
//! page again with the errors beside the fields and the values typed kept.

use std::collections::HashMap;

use actix_web::{HttpResponse, ResponseError, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use super::id_of;
use crate::{
    db::models::{organisation::Organisation, user::User},
    domain::{
        email::Email,
        fields::FieldErrors,
        kinds::{Locale, OrganisationKind, Role, UserStatus},
        organisation::{OrganisationInput, RawOrganisation},
        text,
    },
    error::ApiError,
    service::{self, organisations::UserInput},
    web::{
        forms::{FormErrors, shown_with_the_form},
        page::{Page, PageError},
        render,
    },
};

type Fields = web::Form<HashMap<String, String>>;

const PER_PAGE: i64 = 50;

/// The fields of the organisation form, as typed.
#[derive(Clone, Debug, Default, Serialize)]
struct OrganisationForm {
    name: String,
    kind: String,
    locale: String,
    nis_code: String,
    contact_email: String,
    bce: String,
}

impl OrganisationForm {
    fn typed(values: &HashMap<String, String>) -> Self {
        let get = |name: &str| values.get(name).cloned().unwrap_or_default();
        Self {
            name: get("name"),
            kind: get("kind"),
            locale: get("locale"),
            nis_code: get("nis_code"),
            contact_email: get("contact_email"),
            bce: get("bce"),
        }
    }

    fn of(o: &Organisation) -> Self {
        Self {
            name: o.name.clone(),
            kind: o.kind.as_str().to_owned(),
            locale: o.locale.as_str().to_owned(),
            nis_code: o.nis_code.clone().unwrap_or_default(),
            contact_email: o.contact_email.clone().unwrap_or_default(),
            bce: o.bce.clone().unwrap_or_default(),
        }
    }

    /// The description, parsed as the API's body is (`population` is the API's alone and
    /// kept as recorded).
    fn parse(&self, population: Option<i64>) -> Result<OrganisationInput, Vec<crate::error::FieldError>> {
        OrganisationInput::parse(RawOrganisation {
            name: &self.name,
            kind: OrganisationKind::parse(&self.kind),
            locale: Locale::parse(&self.locale),
            nis_code: Some(&self.nis_code),
            population,
            contact_email: Some(&self.contact_email),
            bce: Some(&self.bce),
        })
    }
}

/// The choices of the form's lists.
#[derive(Serialize)]
struct Choices {
    kinds: Vec<&'static str>,
    locales: Vec<&'static str>,
}

fn choices() -> Choices {
    Choices {
        kinds: OrganisationKind::ALL.iter().map(|k| k.as_str()).collect(),
        locales: Locale::ALL.iter().map(|l| l.as_str()).collect(),
    }
}

#[derive(Serialize)]
struct OrganisationLine {
    id: i64,
    name: String,
    kind: &'static str,
    nis_code: Option<String>,
    bce: Option<String>,
}

#[derive(Serialize)]
struct ListView {
    q: String,
    /// The search, percent-encoded for the pager's links.
    q_url: String,
    organisations: Vec<OrganisationLine>,
    total: i64,
    page: i64,
    previous: Option<i64>,
    next: Option<i64>,
    form: OrganisationForm,
    errors: FormErrors,
    choices: Choices,
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<String>,
}

/// `GET /organisations?q=&page=` (officers).
pub async fn list(page: Page, query: web::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let q = query.q.clone().unwrap_or_default();
    let number = query.page.as_deref().and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000);
    let form = OrganisationForm { kind: "commune".into(), locale: "fr".into(), ..Default::default() };
    show_list(&page, q, number, form, |_| FormErrors::default(), StatusCode::OK).await
}

async fn show_list(
    page: &Page,
    q: String,
    number: i64,
    form: OrganisationForm,
    errors: impl FnOnce(Locale) -> FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let offset = (number - 1) * PER_PAGE;
    let search = q.clone();
    let (user, (found, total)) = page
        .read(move |tx, user| service::organisations::search(tx, user.officer()?, &search, PER_PAGE, offset))
        .await?;
    let lang = page.lang(Some(&user));
    let view = ListView {
        q_url: crate::web::page::percent_encode(&q),
        q,
        organisations: found
            .into_iter()
            .map(|o| OrganisationLine {
                id: o.id,
                name: o.name,
                kind: o.kind.as_str(),
                nis_code: o.nis_code,
                bce: o.bce,
            })
            .collect(),
        total,
        page: number,
        previous: (number > 1).then_some(number - 1),
        next: (offset + PER_PAGE < total).then_some(number + 1),
        form,
        errors: errors(lang),
        choices: choices(),
    };
    page.render(Some(&user), status, "organisations.html", view)
}

/// `POST /organisations` (officers): creates an organisation.
pub async fn create(page: Page, fields: Fields) -> Result<HttpResponse, PageError> {
    let mut values = fields.into_inner();
    page.check_csrf(&values.remove("csrf_token").unwrap_or_default())?;
    let form = OrganisationForm::typed(&values);
    let outcome = match form.parse(None) {
        Ok(input) => page.attempt(move |tx, user| service::organisations::create(tx, user.officer()?, &input)).await,
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match outcome {
        Ok((_, created)) => Ok(render::see_other(&format!("/organisations/{}?done=created", created.id)).finish()),
        Err(refused) if shown_with_the_form(&refused) => {
            let status = refused.status_code();
            let errors = move |lang| FormErrors::refused(lang, "organisation", "name", &[], &refused);
            show_list(&page, String::new(), 1, form, errors, status).await
        }
        Err(other) => Err(page.fail(None, other)),
    }
}

#[derive(Serialize)]
struct UserLine {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    status: &'static str,
    /// Whether this line is the viewer's own (no controls on oneself).
    own: bool,
}

#[derive(Serialize)]
struct OrganisationView {
    id: i64,
    name: String,
    /// Whether the viewer is an officer (it edits the organisation).
    officer: bool,
    form: OrganisationForm,
    users: Vec<UserLine>,
    /// The roles the viewer may give.
    roles: Vec<&'static str>,
    done: Option<String>,
    errors: FormErrors,
    choices: Choices,
    /// The invitation form, as typed.
    invite: InviteForm,
}

/// The fields of the invitation form, as typed.
#[derive(Clone, Debug, Default, Serialize)]
struct InviteForm {
    email: String,
    name: String,
    role: String,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// The success messages a redirection may announce.
const DONE: &[&str] = &["created", "saved", "disabled", "enabled", "role", "invited"];

/// `GET /organisations/{id}`: officers, and the organisation's manager.
pub async fn organisation(
    page: Page,
    path: web::Path<String>,
    query: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    let id = id_of(&page, &path)?;
    let done = query.done.clone().filter(|d| DONE.contains(&d.as_str()));
    show(&page, id, None, done, |_| FormErrors::default(), StatusCode::OK).await
}

async fn show(
    page: &Page,
    id: i64,
    typed: Option<OrganisationForm>,
    done: Option<String>,
    errors: impl FnOnce(Locale) -> FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    show_with(page, id, typed, InviteForm::default(), done, errors, status).await
}

async fn show_with(
    page: &Page,
    id: i64,
    typed: Option<OrganisationForm>,
    invite: InviteForm,
    done: Option<String>,
    errors: impl FnOnce(Locale) -> FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (user, (organisation, users)) =
        page.read(move |tx, user| service::organisations::managed(tx, &user.user_admin()?, id)).await?;
    let lang = page.lang(Some(&user));
    let officer = user.officer().is_ok();
    let roles = if organisation.kind == OrganisationKind::CentralPurchasing {
        vec![Role::Officer.as_str()]
    } else {
        vec![Role::Member.as_str(), Role::Manager.as_str()]
    };
    let view = OrganisationView {
        id,
        name: organisation.name.clone(),
        officer,
        form: typed.unwrap_or_else(|| OrganisationForm::of(&organisation)),
        users: users.iter().map(|u| line(u, user.auth.id)).collect(),
        roles,
        done,
        errors: errors(lang),
        choices: choices(),
        invite,
    };
    page.render(Some(&user), status, "organisation.html", view)
}

fn line(u: &User, viewer: i64) -> UserLine {
    UserLine {
        id: u.id,
        name: u.name.clone(),
        email: u.email.clone(),
        role: u.role.as_str(),
        status: match u.status {
            UserStatus::Invited => "invited",
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        },
        own: u.id == viewer,
    }
}

/// `POST /organisations/{id}` (officers): saves the organisation's description.
pub async fn save(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    let mut values = fields.into_inner();
    page.check_csrf(&values.remove("csrf_token").unwrap_or_default())?;
    let id = id_of(&page, &path)?;
    let form = OrganisationForm::typed(&values);
    let typed = form.clone();
    let outcome = page
        .attempt(move |tx, user| {
            let officer = user.officer()?;
            let recorded = service::organisations::visible(tx, officer, id)?;
            let input = form.parse(recorded.population).map_err(ApiError::Validation)?;
            service::organisations::update(tx, officer, id, &input)
        })
        .await;
    match outcome {
        Ok(_) => Ok(render::see_other(&format!("/organisations/{id}?done=saved")).finish()),
        Err(refused) if shown_with_the_form(&refused) && !matches!(refused, ApiError::NotFound) => {
            let status = refused.status_code();
            let errors = move |lang| FormErrors::refused(lang, "organisation", "name", &[], &refused);
            show(&page, id, Some(typed), None, errors, status).await
        }
        Err(other) => Err(page.fail(None, other)),
    }
}

#[derive(Serialize)]
struct ConfirmView {
    organisation: i64,
    user: UserLine,
}

/// `GET /organisations/{id}/users/{user}/disable`: asks to confirm (no JavaScript needed).
pub async fn confirm_disable(page: Page, path: web::Path<(String, String, String)>) -> Result<HttpResponse, PageError> {
    let (organisation, user_id) = (id_of(&page, &path.0)?, id_of(&page, &path.1)?);
    if path.2 != "disable" {
        return Err(page.fail(None, ApiError::NotFound));
    }
    let (viewer, found) = page.read(move |tx, user| service::users::managed(tx, &user.user_admin()?, user_id)).await?;
    if found.organisation_id != organisation {
        return Err(page.fail(Some(&viewer), ApiError::NotFound));
    }
    let view = ConfirmView { organisation, user: line(&found, viewer.auth.id) };
    page.render(Some(&viewer), StatusCode::OK, "user_disable.html", view)
}

/// `POST /organisations/{id}/users/{user}/disable`, `…/enable`, `…/role` (field `role`):
/// the API's `PATCH /api/v1/users/{id}`; `…/invite`: a new invitation to an invited user,
/// the API's `POST /api/v1/users/{id}/invite`.
pub async fn change(
    page: Page,
    path: web::Path<(String, String, String)>,
    fields: Fields,
) -> Result<HttpResponse, PageError> {
    let mut values = fields.into_inner();
    page.check_csrf(&values.remove("csrf_token").unwrap_or_default())?;
    let (organisation, user_id) = (id_of(&page, &path.0)?, id_of(&page, &path.1)?);
    let what = path.2.clone();
    let role = values.get("role").map(|r| Role::parse(r.trim()));
    let done = match what.as_str() {
        "disable" => "disabled",
        "enable" => "enabled",
        "role" => "role",
        "invite" => "invited",
        _ => return Err(page.fail(None, ApiError::NotFound)),
    };
    let outcome = page
        .attempt(move |tx, user| {
            let admin = user.user_admin()?;
            if service::users::managed(tx, &admin, user_id)?.organisation_id != organisation {
                return Err(ApiError::NotFound);
            }
            match what.as_str() {
                "disable" => service::users::set_disabled(tx, &admin, user_id, true),
                "enable" => service::users::set_disabled(tx, &admin, user_id, false),
                "invite" => service::accounts::invite(tx, &admin, user_id),
                _ => {
                    let role = role.unwrap_or(Err(String::new())).map_err(|e| ApiError::invalid("role", e))?;
                    service::users::set_role(tx, &admin, user_id, role)
                }
            }
        })
        .await;
    match outcome {
        Ok(_) => Ok(render::see_other(&format!("/organisations/{organisation}?done={done}#users")).finish()),
        Err(refused) if shown_with_the_form(&refused) && !matches!(refused, ApiError::NotFound) => {
            let status = refused.status_code();
            let form = format!("user-{user_id}");
            let errors = move |lang| FormErrors::refused(lang, &form, "role", &[], &refused);
            show(&page, organisation, None, None, errors, status).await
        }
        Err(other) => Err(page.fail(None, other)),
    }
}

/// `POST /organisations/{id}/users` (officers, and the organisation's manager): invites a
/// person (fields `email`, `name`, `role`), as the API's `POST
/// /api/v1/organisations/{id}/users` without a password: the user is `invited` and gets an
/// email with its link.
pub async fn invite(page: Page, path: web::Path<String>, fields: Fields) -> Result<HttpResponse, PageError> {
    let mut values = fields.into_inner();
    page.check_csrf(&values.remove("csrf_token").unwrap_or_default())?;
    let id = id_of(&page, &path)?;
    let get = |name: &str| values.get(name).cloned().unwrap_or_default();
    let typed = InviteForm { email: get("email"), name: get("name"), role: get("role") };
    let mut checked = FieldErrors::default();
    let email = checked.check("email", Email::parse(&typed.email));
    let name = checked.check("name", text::name(&typed.name));
    let role = checked.check("role", Role::parse(typed.role.trim()));
    let parsed = checked.finish(email.zip(name).zip(role));
    let outcome = match parsed {
        Ok(((email, name), role)) => {
            let input = UserInput { email, name, role, password_hash: None };
            page.attempt(move |tx, user| service::organisations::create_user(tx, &user.user_admin()?, id, &input)).await
        }
        Err(problems) => Err(ApiError::Validation(problems)),
    };
    match outcome {
        Ok(_) => Ok(render::see_other(&format!("/organisations/{id}?done=invited#users")).finish()),
        Err(refused) if shown_with_the_form(&refused) && !matches!(refused, ApiError::NotFound) => {
            let status = refused.status_code();
            let errors = move |lang| match &refused {
                // The one conflict: the address is another user's already.
                ApiError::Conflict(_) => {
                    let mut errors = FormErrors::new("invite");
                    errors.add("email", crate::web::i18n::text(lang, "field.email.taken"));
                    errors
                }
                other => FormErrors::refused(lang, "invite", "email", &[], other),
            };
            show_with(&page, id, None, typed, None, errors, status).await
        }
        Err(other) => Err(page.fail(None, other)),
    }
}
