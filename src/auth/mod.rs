//! Who is calling: password hashing, access tokens, and the extractors that give handlers
//! the authenticated user, its organisation and its role.

pub mod capability;
pub mod extractor;
pub mod jwt;
pub mod link_token;
pub mod login;
pub mod oidc;
pub mod password;
pub mod session;

pub use capability::{Capability, Manager, Member, Officer, UserAdmin, WebUser};
pub use extractor::AuthUser;
