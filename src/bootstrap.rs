//! The first officer: created from configuration on a start where no officer exists, or
//! from the command line with `mutua user create`.

use crate::{
    auth::password,
    db::{
        self, DbConnection,
        models::{
            organisation::{self, NewOrganisation},
            user::{self, NewUser, User},
        },
        write_tx,
    },
    domain::{
        email::Email,
        kinds::{OrganisationKind, Role},
    },
    error::ApiError,
};

/// Creates the central purchasing organisation (unless it exists) and an officer in it.
/// With `only_if_no_officer`, does nothing when any officer exists, so that a bootstrap
/// configured permanently acts once.
pub fn create_officer(
    conn: &mut DbConnection,
    organisation_name: &str,
    email: &str,
    name: &str,
    password_plain: &str,
    only_if_no_officer: bool,
) -> anyhow::Result<Option<User>> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("officer email: {e}"))?;
    password::check_policy(password_plain).map_err(|e| anyhow::anyhow!("officer password {e}"))?;
    let hash = password::hash(password_plain)?;
    let created = write_tx(conn, |conn| {
        if only_if_no_officer && user::any_officer(conn)? {
            return Ok(None);
        }
        if user::email_taken(conn, email.as_str())? {
            return Err(ApiError::Conflict(format!("a user with email {email} exists")));
        }
        let central = match organisation::find_by_kind(conn, OrganisationKind::CentralPurchasing.as_str())? {
            Some(org) => org,
            None => organisation::insert(
                conn,
                &NewOrganisation {
                    name: organisation_name,
                    kind: OrganisationKind::CentralPurchasing.as_str(),
                    nis_code: None,
                    population: None,
                    locale: "fr",
                    contact_email: Some(email.as_str()),
                    created_at: db::now(),
                },
            )?,
        };
        Ok(Some(user::insert(
            conn,
            &NewUser {
                organisation_id: central.id,
                email: email.as_str(),
                name,
                role: Role::Officer.as_str(),
                password_hash: &hash,
                created_at: db::now(),
            },
        )?))
    })
    .map_err(|e| anyhow::anyhow!("cannot create the officer: {e}"))?;
    Ok(created)
}
