use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{
    BodyProblems, InvalidFields, InvalidPaging, NotOfficer, NotYourOrganisation, Page, PageQuery, RateLimited,
    Unauthenticated, utc,
};
use crate::{
    auth::{AuthUser, Officer, password},
    db::models::{organisation::Organisation, user::User},
    domain::{
        email::Email,
        kinds::{Locale, OrganisationKind, Role, UserStatus},
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
    #[schema(example = "2026-03-01T08:00:00Z")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<Organisation> for OrganisationResponse {
    fn from(o: Organisation) -> Self {
        Self {
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
    /// At least 12 characters.
    #[schema(example = "correct horse battery staple", min_length = 12, max_length = 256)]
    pub password: String,
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
        (status = 409, description = "an organisation of that name exists", body = crate::error::Problem, content_type = "application/problem+json"),
        InvalidFields, Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn create(
    state: web::Data<AppState>,
    caller: Officer,
    body: web::Json<CreateOrganisation>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut v = Validator::default();
    let name = v.check("name", text::name(&body.name));
    let nis_code = match body.nis_code.as_deref().map(str::trim) {
        Some(code) if code.len() != 5 || !code.chars().all(|c| c.is_ascii_digit()) => {
            v.push("nis_code", "must be a Belgian INS/NIS code of five digits");
            None
        }
        other => other.map(str::to_owned),
    };
    if body.population.is_some_and(|p| !(0..=100_000_000).contains(&p)) {
        v.push("population", "must be between 0 and 100000000");
    }
    let contact_email = body.contact_email.as_deref().and_then(|e| v.check("contact_email", Email::parse(e)));
    v.finish()?;
    let Some(name) = name else {
        return Err(ApiError::Internal(anyhow::anyhow!("validated field missing")));
    };
    let input = OrganisationInput {
        name,
        kind: body.kind,
        locale: body.locale,
        nis_code,
        population: body.population,
        contact_email,
    };
    let created = state.db.write(caller, move |tx, caller| service::organisations::create(tx, caller, &input)).await?;
    tracing::info!(organisation_id = created.id, "organisation created");
    Ok(HttpResponse::Created().json(OrganisationResponse::from(created)))
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

/// Creates a user in an organisation.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/users", tag = "organisations", request_body = CreateUser,
    params(("id" = i64, Path, description = "organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = UserResponse),
        NotOfficer,
        (status = 404, description = "unknown organisation", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the email is taken", body = crate::error::Problem, content_type = "application/problem+json"),
        InvalidFields, Unauthenticated, BodyProblems, RateLimited,
    ))]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Officer,
    path: web::Path<i64>,
    body: web::Json<CreateUser>,
) -> ApiResult<HttpResponse> {
    let organisation_id = path.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let email = v.check("email", Email::parse(&body.email));
    let name = v.check("name", text::name(&body.name));
    v.check("password", password::check_policy(&body.password));
    v.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(ApiError::Internal(anyhow::anyhow!("validated field missing")));
    };
    // Hashing takes tens of milliseconds of a core: off the executor, before the
    // transaction, so that it holds neither a connection nor the writer.
    let password = body.password;
    let password_hash = password::off_executor(move || password::hash(&password)).await??;
    let input = UserInput { email, name, role: body.role, password_hash: Some(password_hash) };
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
