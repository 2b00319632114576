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
//! An [`AuthUser`] names a caller; it grants nothing by itself. An organisation's manager
//! ([`Manager`]) is a member who also manages its own organisation's users: its
//! [`Capability`] hands out a [`Member`] too. Managing users is the one action two roles
//! share, with different reach: a [`UserAdmin`] is an officer (any organisation, any role)
//! or a manager (its own organisation, the roles `member` and `manager`), and the
//! services ask it, and only it, whether an organisation and a role are within reach.

use std::ops::Deref;

use super::AuthUser;
use crate::{
    db::{Caller, Tx},
    domain::kinds::{Locale, Role},
    error::{ApiError, ApiResult},
};

/// The refusal of an officer-only action to anyone else.
pub const NOT_OFFICER: ApiError = ApiError::Forbidden("only officers of the central purchasing office may do this");
/// The refusal of managing users to a plain member.
pub const NOT_USER_ADMIN: ApiError =
    ApiError::Forbidden("only officers and the managers of an organisation may manage its users");
/// The refusal of the role `officer` to anyone but an officer.
pub const NOT_OFFICER_ROLE: ApiError =
    ApiError::Forbidden("a manager gives the roles member and manager only; officers name officers");
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
capability!(
    /// A member who also invites, re-invites, disables and re-enables the users of its own
    /// organisation, and gives them the role member or manager.
    Manager
);

/// What a caller's role lets it do: exactly one capability per role (a manager's carries
/// the member's it also is).
#[derive(Clone, Debug)]
pub enum Capability {
    Officer(Officer),
    Member(Member),
    Manager(Manager, Member),
}

/// Who manages users, and within which reach (see the module documentation).
#[derive(Clone, Debug)]
pub enum UserAdmin {
    Officer(Officer),
    Manager(Manager),
}

impl Deref for UserAdmin {
    type Target = AuthUser;

    fn deref(&self) -> &AuthUser {
        match self {
            Self::Officer(officer) => officer,
            Self::Manager(manager) => manager,
        }
    }
}

impl Caller for UserAdmin {
    fn admit(&self, tx: &mut Tx<'_>) -> ApiResult<()> {
        (**self).admit(tx)
    }
}

impl UserAdmin {
    /// The users of `organisation_id` are within reach: any for an officer, its own for a
    /// manager; another organisation is 404 to a manager, as to any member.
    pub fn may_manage(&self, organisation_id: i64) -> ApiResult<()> {
        match self {
            Self::Officer(_) => Ok(()),
            Self::Manager(manager) if manager.organisation_id == organisation_id => Ok(()),
            Self::Manager(_) => Err(ApiError::NotFound),
        }
    }

    /// `role` may be given: any by an officer, `member` or `manager` by a manager.
    pub fn may_give(&self, role: Role) -> ApiResult<()> {
        match (self, role) {
            (Self::Manager(_), Role::Officer) => Err(NOT_OFFICER_ROLE),
            _ => Ok(()),
        }
    }

    /// The officer among them, for what only officers do with users (a password chosen
    /// for a machine client).
    pub fn officer(&self) -> ApiResult<&Officer> {
        match self {
            Self::Officer(officer) => Ok(officer),
            Self::Manager(_) => Err(NOT_OFFICER),
        }
    }
}

impl Capability {
    /// The capability of an authenticated user's role (`auth` only: the user must come
    /// from a verified token or a session found to hold).
    pub(super) fn of(user: AuthUser) -> Self {
        match user.role {
            Role::Officer => Self::Officer(Officer(user)),
            Role::Member => Self::Member(Member(user)),
            Role::Manager => Self::Manager(Manager(user.clone()), Member(user)),
        }
    }

    /// Who manages users (an officer or a manager), or the one refusal every door gives.
    pub fn user_admin(&self) -> ApiResult<UserAdmin> {
        match self {
            Self::Officer(officer) => Ok(UserAdmin::Officer(officer.clone())),
            Self::Manager(manager, _) => Ok(UserAdmin::Manager(manager.clone())),
            Self::Member(_) => Err(NOT_USER_ADMIN),
        }
    }

    /// The officer's capability, or the one refusal every door gives.
    pub fn officer(&self) -> ApiResult<&Officer> {
        match self {
            Self::Officer(officer) => Ok(officer),
            Self::Member(_) | Self::Manager(..) => Err(NOT_OFFICER),
        }
    }

    /// The member's capability, or the one refusal every door gives.
    pub fn member(&self) -> ApiResult<&Member> {
        match self {
            Self::Member(member) | Self::Manager(_, member) => Ok(member),
            Self::Officer(_) => Err(NOT_MEMBER),
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

    /// Who manages users, or the refusal (the API's 403).
    pub fn user_admin(&self) -> ApiResult<UserAdmin> {
        self.capability.user_admin()
    }
}
