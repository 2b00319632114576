//! Organisations and their users, as officers manage them and members see them.

use crate::{
    auth::{AuthUser, Officer},
    db::{
        self, Tx, WriteTx,
        models::{
            organisation::{self, NewOrganisation, Organisation},
            user::{self, NewUser, User},
        },
    },
    domain::{
        email::Email,
        kinds::{Locale, OrganisationKind, Role, UserStatus},
    },
    error::{ApiError, ApiResult},
};

/// A new organisation, parsed.
#[derive(Clone, Debug)]
pub struct OrganisationInput {
    pub name: String,
    pub kind: OrganisationKind,
    pub locale: Locale,
    pub nis_code: Option<String>,
    pub population: Option<i64>,
    pub contact_email: Option<Email>,
}

/// Creates an organisation (officers); 409 when one of the same name (ignoring case) exists.
pub fn create(tx: &mut WriteTx, _: &Officer, input: &OrganisationInput) -> ApiResult<Organisation> {
    insert(tx, input)
}

fn insert(tx: &mut WriteTx, input: &OrganisationInput) -> ApiResult<Organisation> {
    if organisation::name_taken(tx, &input.name)? {
        return Err(ApiError::Conflict(format!("an organisation named {:?} exists", input.name)));
    }
    Ok(organisation::insert(
        tx,
        &NewOrganisation {
            name: &input.name,
            kind: input.kind,
            nis_code: input.nis_code.as_deref(),
            population: input.population,
            locale: input.locale,
            contact_email: input.contact_email.as_ref().map(Email::as_str),
            created_at: db::now(),
        },
    )?)
}

/// Members see only their own organisation; others are 404, as if they did not exist.
pub fn check_visible(actor: &AuthUser, organisation_id: i64) -> ApiResult<()> {
    if actor.is_officer() || actor.organisation_id == organisation_id { Ok(()) } else { Err(ApiError::NotFound) }
}

/// One organisation the caller may see.
pub fn visible(tx: &mut Tx, actor: &AuthUser, organisation_id: i64) -> ApiResult<Organisation> {
    check_visible(actor, organisation_id)?;
    Ok(organisation::find(tx, organisation_id)?)
}

/// The organisations the caller may see: all for officers, its own for members.
pub fn list(tx: &mut Tx, actor: &AuthUser, limit: i64, offset: i64) -> ApiResult<(Vec<Organisation>, i64)> {
    if actor.is_officer() {
        return Ok(organisation::list(tx, limit, offset)?);
    }
    let own = organisation::find(tx, actor.organisation_id)?;
    Ok((if offset == 0 { vec![own] } else { vec![] }, 1))
}

/// The users of an organisation the caller may see.
pub fn users(tx: &mut Tx, actor: &AuthUser, organisation_id: i64) -> ApiResult<Vec<User>> {
    visible(tx, actor, organisation_id)?;
    Ok(user::of_organisation(tx, organisation_id)?)
}

/// A new user, parsed, with its password already hashed (hashing is slow: it is done
/// before the transaction, off the executor). Without a password the user is `invited`.
#[derive(Clone, Debug)]
pub struct UserInput {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub password_hash: Option<String>,
}

/// Creates a user (officers). Officers belong to the central purchasing organisation,
/// members to any other; an email is taken once.
pub fn create_user(tx: &mut WriteTx, _: &Officer, organisation_id: i64, input: &UserInput) -> ApiResult<User> {
    insert_user(tx, organisation_id, input)
}

/// The first officer, made by the bootstrap (no officer exists to create it) in the central
/// purchasing organisation.
pub fn first_officer(tx: &mut WriteTx, central: &Organisation, input: &UserInput) -> ApiResult<User> {
    insert_user(tx, central.id, input)
}

fn insert_user(tx: &mut WriteTx, organisation_id: i64, input: &UserInput) -> ApiResult<User> {
    let org = organisation::find(tx, organisation_id)?;
    let is_central = org.kind == OrganisationKind::CentralPurchasing;
    if (input.role == Role::Officer) != is_central {
        return Err(ApiError::invalid(
            "role",
            "officers belong to the central purchasing organisation, members to the others",
        ));
    }
    if user::email_taken(tx, input.email.as_str())? {
        return Err(ApiError::Conflict("a user with this email exists".into()));
    }
    Ok(user::insert(
        tx,
        &NewUser {
            organisation_id,
            email: input.email.as_str(),
            name: &input.name,
            role: input.role,
            password_hash: input.password_hash.as_deref(),
            status: if input.password_hash.is_some() { UserStatus::Active } else { UserStatus::Invited },
            created_at: db::now(),
        },
    )?)
}

/// The central purchasing organisation, created with `name` if there is none yet.
pub fn central(tx: &mut WriteTx, name: &str, contact_email: &Email) -> ApiResult<Organisation> {
    if let Some(org) = organisation::find_by_kind(tx, OrganisationKind::CentralPurchasing)? {
        return Ok(org);
    }
    insert(
        tx,
        &OrganisationInput {
            name: name.to_owned(),
            kind: OrganisationKind::CentralPurchasing,
            locale: Locale::Fr,
            nis_code: None,
            population: None,
            contact_email: Some(contact_email.clone()),
        },
    )
}
