//! The first officer: created from configuration on a start where no officer exists, or
//! from the command line with `mutua user create`.

use crate::{
    auth::password,
    db::{Db, System, models::user},
    domain::{email::Email, kinds::Role},
    error::ApiError,
    service::organisations::{self, UserInput},
};

/// Creates the central purchasing organisation (unless it exists) and an officer in it.
/// With `only_if_no_officer`, does nothing when any officer exists, so that a bootstrap
/// configured permanently acts once.
pub async fn create_officer(
    db: &Db,
    organisation_name: &str,
    email: &str,
    name: &str,
    password_plain: &str,
    only_if_no_officer: bool,
) -> anyhow::Result<Option<user::User>> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("officer email: {e}"))?;
    password::check_policy(password_plain).map_err(|e| anyhow::anyhow!("officer password {e}"))?;
    let plain = password_plain.to_owned();
    let password_hash = password::off_executor(move || password::hash(&plain)).await??;
    let organisation_name = organisation_name.to_owned();
    let input = UserInput {
        email: email.clone(),
        name: name.to_owned(),
        role: Role::Officer,
        password_hash: Some(password_hash),
    };
    db.write(System, move |tx, _| {
        if only_if_no_officer && user::any_officer(tx)? {
            return Ok(None);
        }
        if user::email_taken(tx, email.as_str())? {
            return Err(ApiError::Conflict(format!("a user with email {email} exists")));
        }
        let central = organisations::central(tx, &organisation_name, &email)?;
        Ok(Some(organisations::first_officer(tx, &central, &input)?))
    })
    .await
    .map_err(|e| anyhow::anyhow!("cannot create the officer: {e}"))
}
