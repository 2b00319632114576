use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{Page, PageQuery, utc};
use crate::{
    auth::{AuthUser, Officer, password},
    db::{
        self,
        models::{
            organisation::{self, NewOrganisation, Organisation},
            user::{self, NewUser, User},
        },
    },
    domain::{
        email::Email,
        kinds::{Locale, OrganisationKind, Role},
        text,
    },
    error::{ApiError, ApiResult, Validator},
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
            kind: OrganisationKind::parse(&o.kind).unwrap_or(OrganisationKind::Other),
            locale: Locale::parse(&o.locale).unwrap_or(Locale::Fr),
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
    #[schema(example = false)]
    pub disabled: bool,
    #[schema(example = "2026-03-01T08:05:00Z")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<User> for UserResponse {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            role: Role::parse(&u.role).unwrap_or(Role::Member),
            email: u.email,
            name: u.name,
            organisation_id: u.organisation_id,
            disabled: u.disabled,
            created_at: utc(u.created_at),
        }
    }
}

/// Creates an organisation.
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = CreateOrganisation,
    security(("bearer" = [])),
    responses(
        (status = 201, body = OrganisationResponse),
        (status = 403, description = "not an officer", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "an organisation of that name exists", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid fields", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::Unauthenticated, super::common::BodyProblems, super::common::RateLimited,
    ))]
pub async fn create(
    state: web::Data<AppState>,
    Officer(caller): Officer,
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
    let created = state
        .db
        .write_as(&caller, move |conn, _| {
            if organisation::name_taken(conn, &name)? {
                return Err(ApiError::Conflict(format!("an organisation named {name:?} exists")));
            }
            Ok(organisation::insert(
                conn,
                &NewOrganisation {
                    name: &name,
                    kind: body.kind.as_str(),
                    nis_code: nis_code.as_deref(),
                    population: body.population,
                    locale: body.locale.as_str(),
                    contact_email: contact_email.as_ref().map(Email::as_str),
                    created_at: db::now(),
                },
            )?)
        })
        .await?;
    tracing::info!(organisation_id = created.id, "organisation created");
    Ok(HttpResponse::Created().json(OrganisationResponse::from(created)))
}

/// Lists organisations: all for officers, their own for members.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<OrganisationResponse>),
        (status = 422, description = "invalid paging", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::Unauthenticated,
    ))]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let (limit, offset) = query.checked()?;
    let (items, total) = state
        .db
        .run_as(&caller, move |conn, caller| {
            if caller.is_officer() {
                Ok(organisation::list(conn, limit, offset)?)
            } else {
                let own = organisation::find(conn, caller.organisation_id)?;
                Ok((if offset == 0 { vec![own] } else { vec![] }, 1))
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page { items: items.into_iter().map(OrganisationResponse::from).collect(), total }))
}

/// One organisation: any for officers, their own for members (404 otherwise).
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = i64, Path, description = "organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = OrganisationResponse),
        (status = 404, description = "unknown, or another organisation", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::Unauthenticated,
    ))]
pub async fn get(state: web::Data<AppState>, caller: AuthUser, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = visible_organisation(&caller, path.into_inner())?;
    let found = state.db.run_as(&caller, move |conn, _| Ok(organisation::find(conn, id)?)).await?;
    Ok(HttpResponse::Ok().json(OrganisationResponse::from(found)))
}

/// Members see only their own organisation; others are 404, as if they did not exist.
fn visible_organisation(caller: &AuthUser, id: i64) -> ApiResult<i64> {
    if caller.is_officer() || caller.organisation_id == id { Ok(id) } else { Err(ApiError::NotFound) }
}

/// Creates a user in an organisation.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/users", tag = "organisations", request_body = CreateUser,
    params(("id" = i64, Path, description = "organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = UserResponse),
        (status = 403, description = "not an officer", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown organisation", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the email is taken", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid fields", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::Unauthenticated, super::common::BodyProblems, super::common::RateLimited,
    ))]
pub async fn create_user(
    state: web::Data<AppState>,
    Officer(caller): Officer,
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
    let created = create_user_in(&state, &caller, organisation_id, email, name, body.password, body.role).await?;
    tracing::info!(user_id = created.id, organisation_id, "user created");
    Ok(HttpResponse::Created().json(UserResponse::from(created)))
}

/// Hashes the password off the executor, then inserts the user. Officers belong to the
/// central purchasing organisation, members to any other.
pub async fn create_user_in(
    state: &AppState,
    caller: &AuthUser,
    organisation_id: i64,
    email: Email,
    name: String,
    password: String,
    role: Role,
) -> ApiResult<User> {
    let hash = password::off_executor(move || password::hash(&password)).await??;
    state
        .db
        .write_as(caller, move |conn, _| {
            let org = organisation::find(conn, organisation_id)?;
            let is_central = org.kind == OrganisationKind::CentralPurchasing.as_str();
            if (role == Role::Officer) != is_central {
                return Err(ApiError::invalid(
                    "role",
                    "officers belong to the central purchasing organisation, members to the others",
                ));
            }
            if user::email_taken(conn, email.as_str())? {
                return Err(ApiError::Conflict("a user with this email exists".into()));
            }
            Ok(user::insert(
                conn,
                &NewUser {
                    organisation_id,
                    email: email.as_str(),
                    name: &name,
                    role: role.as_str(),
                    password_hash: &hash,
                    created_at: db::now(),
                },
            )?)
        })
        .await
}

/// The users of an organisation: officers see any, members their own organisation's.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/users", tag = "organisations",
    params(("id" = i64, Path, description = "organisation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = [UserResponse]),
        (status = 404, description = "unknown, or another organisation", body = crate::error::Problem, content_type = "application/problem+json"),
        super::common::Unauthenticated,
    ))]
pub async fn list_users(state: web::Data<AppState>, caller: AuthUser, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let id = visible_organisation(&caller, path.into_inner())?;
    let users = state
        .db
        .run_as(&caller, move |conn, _| {
            organisation::find(conn, id)?;
            Ok(user::of_organisation(conn, id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(users.into_iter().map(UserResponse::from).collect::<Vec<_>>()))
}
