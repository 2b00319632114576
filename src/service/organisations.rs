//! Organisations and their users, as officers manage them and members see them.

use crate::{
    auth::{AuthUser, Officer, UserAdmin},
    db::{
        self, Tx, WriteTx,
        models::{
            organisation::{self, NewOrganisation, Organisation, OrganisationChanges},
            user::{self, NewUser, User},
        },
    },
    domain::{
        bce::Bce,
        email::Email,
        kinds::{Locale, OrganisationKind, Role, UserStatus},
    },
    error::{ApiError, ApiResult},
};

pub use crate::domain::organisation::OrganisationInput;

/// Creates an organisation (officers); 409 when another has the same name (ignoring case)
/// or the same enterprise number.
pub fn create(tx: &mut WriteTx, _: &Officer, input: &OrganisationInput) -> ApiResult<Organisation> {
    insert(tx, input)
}

/// Replaces an organisation's description (officers); the same conflicts as [`create`].
pub fn update(tx: &mut WriteTx, _: &Officer, id: i64, input: &OrganisationInput) -> ApiResult<Organisation> {
    organisation::find(tx, id)?;
    write(tx, id, input)
}

fn write(tx: &mut WriteTx, id: i64, input: &OrganisationInput) -> ApiResult<Organisation> {
    check_unique(tx, Some(id), input)?;
    Ok(organisation::update(
        tx,
        id,
        &OrganisationChanges {
            name: &input.name,
            kind: input.kind,
            nis_code: input.nis_code.as_deref(),
            population: input.population,
            locale: input.locale,
            contact_email: input.contact_email.as_ref().map(Email::as_str),
            bce: input.bce.as_ref().map(Bce::as_str),
        },
    )?)
}

/// A name (ignoring case) and an enterprise number each designate one organisation: taking
/// another's is a conflict with it (409, naming it), not an invalid value (the same
/// number is valid for that other organisation).
fn check_unique(tx: &mut Tx, own: Option<i64>, input: &OrganisationInput) -> ApiResult<()> {
    let other = |found: Option<Organisation>| found.filter(|o| Some(o.id) != own);
    if let Some(other) = other(organisation::find_by_name(tx, &input.name)?) {
        return Err(ApiError::Conflict(format!("an organisation named {:?} exists (id {})", other.name, other.id)));
    }
    let Some(bce) = &input.bce else { return Ok(()) };
    if let Some(other) = other(organisation::find_by_bce(tx, bce.as_str())?) {
        return Err(ApiError::Conflict(format!(
            "the enterprise number (bce) {bce} is already {:?}'s (id {})",
            other.name, other.id
        )));
    }
    Ok(())
}

/// Creates an organisation for an import (its importer checked by `service::import`).
pub(super) fn insert_imported(tx: &mut WriteTx, input: &OrganisationInput) -> ApiResult<Organisation> {
    insert(tx, input)
}

/// Updates an organisation for an import.
pub(super) fn update_imported(tx: &mut WriteTx, id: i64, input: &OrganisationInput) -> ApiResult<Organisation> {
    write(tx, id, input)
}

fn insert(tx: &mut WriteTx, input: &OrganisationInput) -> ApiResult<Organisation> {
    check_unique(tx, None, input)?;
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
            bce: input.bce.as_ref().map(Bce::as_str),
        },
    )?)
}

/// An organisation and its users, for who manages them (an officer any, a manager its own).
pub fn managed(tx: &mut Tx, actor: &UserAdmin, organisation_id: i64) -> ApiResult<(Organisation, Vec<User>)> {
    actor.may_manage(organisation_id)?;
    Ok((organisation::find(tx, organisation_id)?, user::of_organisation(tx, organisation_id)?))
}

/// A page of organisations whose name contains `search` (officers), by name.
pub fn search(tx: &mut Tx, _: &Officer, search: &str, limit: i64, offset: i64) -> ApiResult<(Vec<Organisation>, i64)> {
    Ok(organisation::search(tx, search.trim(), limit, offset)?)
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

/// Creates a user: an officer in any organisation, a manager in its own with the role
/// member or manager. Officers belong to the central purchasing organisation, members and
/// managers to any other; an email is taken once. A user created without a password is
/// `invited`: its invitation is queued in the same transaction.
pub fn create_user(tx: &mut WriteTx, admin: &UserAdmin, organisation_id: i64, input: &UserInput) -> ApiResult<User> {
    admin.may_manage(organisation_id)?;
    admin.may_give(input.role)?;
    let created = insert_user(tx, organisation_id, input)?;
    if created.status == UserStatus::Invited {
        super::accounts::send_invitation(tx, Some(admin.id), &created)?;
    }
    Ok(created)
}

/// Officers belong to the central purchasing organisation, members and managers to the
/// others (422 naming `role`).
pub fn check_role_fits(tx: &mut Tx, organisation_id: i64, role: Role) -> ApiResult<()> {
    let org = organisation::find(tx, organisation_id)?;
    let is_central = org.kind == OrganisationKind::CentralPurchasing;
    if (role == Role::Officer) != is_central {
        return Err(ApiError::invalid(
            "role",
            "officers belong to the central purchasing organisation, members and managers to the others",
        ));
    }
    Ok(())
}

/// The first officer, made by the bootstrap (no officer exists to create it) in the central
/// purchasing organisation.
pub fn first_officer(tx: &mut WriteTx, central: &Organisation, input: &UserInput) -> ApiResult<User> {
    insert_user(tx, central.id, input)
}

pub(super) fn insert_user(tx: &mut WriteTx, organisation_id: i64, input: &UserInput) -> ApiResult<User> {
    check_role_fits(tx, organisation_id, input.role)?;
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
            bce: None,
        },
    )
}
