//! The page handlers, one module per page or group of forms.

pub mod account;
pub mod catalogue;
pub mod confirm;
pub mod duplicates;
pub mod home;
mod import_reasons;
pub mod login;
pub mod merge_confirm;
pub mod needs;
pub mod oidc;
pub mod organisation_import;
pub mod organisations;
pub mod password;
pub mod pledge_drop;
pub mod pool_actions;
pub mod pool_settings;
pub mod pools;

use super::page::{Page, PageError};
use crate::error::ApiError;

/// The id in a page's path; anything else names no page (404, as a page).
pub fn id_of(page: &Page, raw: &str) -> Result<i64, PageError> {
    raw.parse().map_err(|_| page.fail(None, ApiError::NotFound))
}
