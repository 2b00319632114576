//! Capabilities: what a caller may do because of its role, as values.
//!
//! A service function reserved to a role takes the role's type ([`Officer`], [`Member`]) as
//! its proof; only authentication builds one, from a caller whose identity it established:
//! the API's extractors ([`super::extractor`], from the verified bearer token) and the
//! pages' session check ([`super::session::admit_web`], whose [`WebUser`] carries the
//! capability). Their constructors are private to `auth`, so a route, a page or a service
//! cannot make one up, and the role rule (who is refused, with which error) lives here
//! alone: the API answers the refusal as a 403 problem, a page as its translated refusal.
//!
//! An [`AuthUser`] names a caller; it grants nothing by itself. The next stage's
//! organisation manager (a member who manages its own organisation's users) fits as one
//! more variant of [`Capability`] and one more type, built in [`Capability::of`] from its
//! role and handing out a [`Member`] too.

use std::ops::Deref;

use super::AuthUser;
use crate::{
    db::{Caller, Tx},
    domain::kinds::{Locale, Role},
    error::{ApiError, ApiResult},
};

/// The refusal of an officer-only action to anyone else.
pub const NOT_OFFICER: ApiError = ApiError::Forbidden("only officers of the central purchasing office may do this");
/// The refusal of a member-only action (needs, pledges) to anyone else.
pub const NOT_MEMBER: ApiError = ApiError::Forbidden("only members of a participating organisation may do this");

macro_rules! capability {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $name(AuthUser);

        /// Who holds the capability (its id, organisation), read-only.
        impl Deref for $name {
            type Target = AuthUser;

            fn deref(&self) -> &AuthUser {
                &self.0
            }
        }

        /// A unit of work run for the holder checks its session like any caller's.
        impl Caller for $name {
            fn admit(&self, tx: &mut Tx<'_>) -> ApiResult<()> {
                self.0.admit(tx)
            }
        }
    };
}

capability!(
    /// An officer of the central purchasing office: decides on pools, reviews duplicates,
    /// manages organisations, users and the outbox.
    Officer
);
capability!(
    /// A member of a participating organisation: posts its needs and pledges for it.
    Member
);

/// Who may manage the users of an organisation (invite, re-invite, disable, re-enable):
/// an officer, of every organisation. The organisation manager (SPEC §14) is one more
/// variant, for its own organisation only: [`UserAdmin::may_manage`] is where that is said.
#[derive(Clone, Debug)]
pub enum UserAdmin {
    Officer(Officer),
}

impl UserAdmin {
    /// Whether the holder may manage the users of `organisation_id`; the refusal otherwise.
    pub fn may_manage(&self, _organisation_id: i64) -> ApiResult<()> {
        match self {
            Self::Officer(_) => Ok(()),
        }
    }
}

impl Deref for UserAdmin {
    type Target = AuthUser;

    fn deref(&self) -> &AuthUser {
        match self {
            Self::Officer(officer) => officer,
        }
    }
}

impl Caller for UserAdmin {
    fn admit(&self, tx: &mut Tx<'_>) -> ApiResult<()> {
        (**self).admit(tx)
    }
}

/// What a caller's role lets it do: exactly one capability per role.
#[derive(Clone, Debug)]
pub enum Capability {
    Officer(Officer),
    Member(Member),
}

impl Capability {
    /// The capability of an authenticated user's role (`auth` only: the user must come
    /// from a verified token or a session found to hold).
    pub(super) fn of(user: AuthUser) -> Self {
        match user.role {
            Role::Officer => Self::Officer(Officer(user)),
            Role::Member => Self::Member(Member(user)),
        }
    }

    /// The officer's capability, or the one refusal every door gives.
    pub fn officer(&self) -> ApiResult<&Officer> {
        match self {
            Self::Officer(officer) => Ok(officer),
            Self::Member(_) => Err(NOT_OFFICER),
        }
    }

    /// The member's capability, or the one refusal every door gives.
    pub fn member(&self) -> ApiResult<&Member> {
        match self {
            Self::Member(member) => Ok(member),
            Self::Officer(_) => Err(NOT_MEMBER),
        }
    }

    /// The capability of managing users, or the one refusal every door gives.
    pub fn user_admin(&self) -> ApiResult<UserAdmin> {
        match self {
            Self::Officer(officer) => Ok(UserAdmin::Officer(officer.clone())),
            Self::Member(_) => Err(NOT_OFFICER),
        }
    }
}

/// A person signed in to the pages: who, for which organisation, in which language, and
/// what the role lets them do. Built only by [`super::session::admit_web`].
#[derive(Clone, Debug)]
pub struct WebUser {
    pub auth: AuthUser,
    pub name: String,
    pub organisation: String,
    pub locale: Locale,
    capability: Capability,
}

impl WebUser {
    pub(super) fn new(auth: AuthUser, name: String, organisation: String, locale: Locale) -> Self {
        let capability = Capability::of(auth.clone());
        Self { auth, name, organisation, locale, capability }
    }

    /// What the person may do.
    pub fn capability(&self) -> &Capability {
        &self.capability
    }

    /// The officer's capability, or the refusal (the API's 403).
    pub fn officer(&self) -> ApiResult<&Officer> {
        self.capability.officer()
    }

    /// The member's capability, or the refusal (the API's 403).
    pub fn member(&self) -> ApiResult<&Member> {
        self.capability.member()
    }

    /// The capability of managing users, or the refusal (the API's 403).
    pub fn user_admin(&self) -> ApiResult<UserAdmin> {
        self.capability.user_admin()
    }
}
