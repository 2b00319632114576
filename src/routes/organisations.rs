use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{
    BodyProblems, InvalidFields, InvalidPaging, NotOfficer, NotYourOrganisation, Page, PageQuery, RateLimited,
    Unauthenticated, utc,
};
use crate::{
    auth::{AuthUser, Officer, UserAdmin, password},
    db::models::{organisation::Organisation, user::User},
    domain::{
        email::Email,
        kinds::{Locale, OrganisationKind, Role, UserStatus},
        organisation::RawOrganisation,
        text,
    },
    error::{ApiError, ApiResult, Validator},
    service::{
        self,
        organisations::{OrganisationInput, UserInput},
    },
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisation {
    #[schema(example = "Commune de Namur", min_length = 1, max_length = 200)]
    pub name: String,
    pub kind: OrganisationKind,
    /// The language of the emails its users get.
    pub locale: Locale,
    /// Belgian INS/NIS code: five digits.
    #[schema(example = "92094")]
    pub nis_code: Option<String>,
    #[schema(example = 113000, minimum = 0, maximum = 100000000)]
    pub population: Option<i64>,
    #[schema(example = "informatique@namur.be")]
    pub contact_email: Option<String>,
    /// Belgian enterprise number (BCE/KBO): ten digits with their check, written as
    /// people do (`0207.446.772`, `BE 0207446772`); one organisation per number.
    #[schema(example = "BE 0207.446.772")]
    pub bce: Option<String>,
}

impl CreateOrganisation {
    /// The description, parsed (422 naming every invalid field).
    fn parse(&self) -> ApiResult<OrganisationInput> {
        OrganisationInput::parse(RawOrganisation {
            name: &self.name,
            kind: Ok(self.kind),
            locale: Ok(self.locale),
            nis_code: self.nis_code.as_deref(),
            population: self.population,
            contact_email: self.contact_email.as_deref(),
            bce: self.bce.as_deref(),
        })
        .map_err(ApiError::Validation)
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationResponse {
    #[schema(example = 2)]
    pub id: i64,
    #[schema(example = "Commune de Namur")]
    pub name: String,
    pub kind: OrganisationKind,
    #[schema(example = "92094")]
    pub nis_code: Option<String>,
    #[schema(example = 113000)]
    pub population: Option<i64>,
    pub locale: Locale,
    #[schema(example = "informatique@namur.be")]
    pub contact_email: Option<String>,
    /// Belgian enterprise number (BCE/KBO), ten digits.
    #[schema(example = "0207446772")]
    pub bce: Option<String>,
    #[schema(example = "2026-03-01T08:00:00Z")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<Organisation> for OrganisationResponse {
    fn from(o: Organisation) -> Self {
        Self {
            bce: o.bce,
            id: o.id,
            kind: o.kind,
            locale: o.locale,
            name: o.name,
            nis_code: o.nis_code,
            population: o.population,
            contact_email: o.contact_email,
            created_at: utc(o.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[schema(example = "echevin@namur.be")]
    pub email: String,
    #[schema(example = "Marie Dupont")]
    pub name: String,
    /// Leave it out to invite the person: the user is `invited` and gets an email with a
    /// link (valid 7 days) where it chooses its own password. Given (at least 12
    /// characters), the user is `active` at once: for accounts of machine clients.
    #[schema(example = json!(null), min_length = 12, max_length = 256)]
    pub password: Option<String>,
    /// `officer` only in the central purchasing organisation, `member` everywhere else.
    pub role: Role,
}

/// A user as others see it: never the password hash.
#[derive(Serialize, ToSchema)]
pub struct UserResponse {
    #[schema(example = 2)]
    pub id: i64,
    #[schema(example = "echevin@namur.be")]
    pub email: String,
    #[schema(example = "Marie Dupont")]
    pub name: String,
    pub role: Role,
    #[schema(example = 2)]
    pub organisation_id: i64,
    /// `invited` until the person chooses a password, `active`, or `disabled`.
    pub status: UserStatus,
    /// `status == "disabled"`, kept for clients written before `status`.
    #[schema(example = false)]
    pub disabled: bool,
    /// The person's own language, overriding the organisation's; null: the organisation's.
    pub locale: Option<Locale>,
    #[schema(example = "2026-03-01T08:05:00Z")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<User> for UserResponse {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            role: u.role,
            email: u.email,
            name: u.name,
            organisation_id: u.organisation_id,
            disabled: u.status == UserStatus::Disabled,
            status: u.status,
            locale: u.locale,
            created_at: utc(u.created_at),
        }
    }
}

/// Creates an organisation.
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = CreateOrganisation,
    security(("bearer" = [])),
    responses(
        (status = 201, body = OrganisationResponse),
        NotOfficer,
        (status = 409, description = "another organisation has that name or that enterprise number (bce)", body = crate::error::Problem, content_type = "application/problem+json"),
        InvalidFields, Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn create(
    state: web::Data<AppState>,
    caller: Officer,
    body: web::Json<CreateOrganisation>,
) -> ApiResult<HttpResponse> {
    let input = body.parse()?;
    let created = state.db.write(caller, move |tx, caller| service::organisations::create(tx, caller, &input)).await?;
    tracing::info!(organisation_id = created.id, "organisation created");
    Ok(HttpResponse::Created().json(OrganisationResponse::from(created)))
}

/// Replaces an organisation's description (officers): the same fields as its creation,
/// every one given (an optional one left out is cleared).
#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "organisations", request_body = CreateOrganisation,
    params(("id" = i64, Path, description = "organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = OrganisationResponse),
        NotOfficer,
        (status = 404, description = "unknown organisation", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "another organisation has that name or that enterprise number (bce)", body = crate::error::Problem, content_type = "application/problem+json"),
        InvalidFields, Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn replace(
    state: web::Data<AppState>,
    caller: Officer,
    path: web::Path<i64>,
    body: web::Json<CreateOrganisation>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let input = body.parse()?;
    let updated =
        state.db.write(caller, move |tx, caller| service::organisations::update(tx, caller, id, &input)).await?;
    tracing::info!(organisation_id = id, "organisation updated");
    Ok(HttpResponse::Ok().json(OrganisationResponse::from(updated)))
}

/// Lists organisations: all for officers, their own for members.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<OrganisationResponse>),
        InvalidPaging, Unauthenticated,
    ))]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let (limit, offset) = query.checked()?;
    let (items, total) =
        state.db.read(caller, move |tx, caller| service::organisations::list(tx, caller, limit, offset)).await?;
    Ok(HttpResponse::Ok().json(Page { items: items.into_iter().map(OrganisationResponse::from).collect(), total }))
}

/// One organisation: any for officers, their own for members (404 otherwise).
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = i64, Path, description = "organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = OrganisationResponse),
        NotYourOrganisation, Unauthenticated,
    ))]
pub async fn get(state: web::Data<AppState>, caller: AuthUser, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let found = state.db.read(caller, move |tx, caller| service::organisations::visible(tx, caller, id)).await?;
    Ok(HttpResponse::Ok().json(OrganisationResponse::from(found)))
}

/// Creates a user in an organisation: an officer in any, with any role the organisation
/// allows; a manager in its own, with the role member or manager and never a password.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/users", tag = "organisations", request_body = CreateUser,
    params(("id" = i64, Path, description = "organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = UserResponse),
        (status = 403, description = "a plain member; a manager giving the role officer or a password", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown organisation, or another one than the manager's", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the email is taken", body = crate::error::Problem, content_type = "application/problem+json"),
        InvalidFields, Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: UserAdmin,
    path: web::Path<i64>,
    body: web::Json<CreateUser>,
) -> ApiResult<HttpResponse> {
    let organisation_id = path.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let email = v.check("email", Email::parse(&body.email));
    let name = v.check("name", text::name(&body.name));
    if let Some(password) = &body.password {
        // A password is chosen for a machine client, by an officer alone.
        caller.officer()?;
        v.check("password", password::check_policy(password));
    }
    v.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(ApiError::Internal(anyhow::anyhow!("validated field missing")));
    };
    // Hashing takes tens of milliseconds of a core: off the executor, before the
    // transaction, so that it holds neither a connection nor the writer.
    let password_hash = match body.password {
        Some(password) => Some(password::off_executor(move || password::hash(&password)).await??),
        None => None,
    };
    let input = UserInput { email, name, role: body.role, password_hash };
    let created = state
        .db
        .write(caller, move |tx, caller| service::organisations::create_user(tx, caller, organisation_id, &input))
        .await?;
    tracing::info!(user_id = created.id, organisation_id, "user created");
    Ok(HttpResponse::Created().json(UserResponse::from(created)))
}

/// The users of an organisation: officers see any, members their own organisation's.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/users", tag = "organisations",
    params(("id" = i64, Path, description = "organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = [UserResponse]),
        NotYourOrganisation, Unauthenticated,
    ))]
pub async fn list_users(state: web::Data<AppState>, caller: AuthUser, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let users = state.db.read(caller, move |tx, caller| service::organisations::users(tx, caller, id)).await?;
    Ok(HttpResponse::Ok().json(users.into_iter().map(UserResponse::from).collect::<Vec<_>>()))
}
