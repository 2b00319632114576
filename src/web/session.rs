//! The session cookie of people signed in to the pages, and the caller of their units of
//! work.
//!
//! The cookie holds a random 256-bit id, hexadecimal; the database keeps only its SHA-256
//! (`web_sessions`). [`WebCaller`] is the [`Caller`] of a page's unit of work: its
//! `admit` reads the session, then its user with the organisation (two lookups by key), in
//! the same transaction as the page's work, as a bearer token's session is checked.

use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

use super::cache::PageCache;
use crate::{
    auth::{WebUser, session::admit_web},
    db::{Caller, Tx},
    error::{ApiError, ApiResult},
};

/// How long a session lasts from sign-in: a working day.
pub const LIFETIME: chrono::Duration = chrono::Duration::hours(10);

/// The base name of the session cookie (see [`super::cookies::name`]).
pub const COOKIE: &str = "mutua_session";

/// A session id as the cookie carries it.
#[derive(Clone, Debug)]
pub struct SessionId(String);

impl SessionId {
    /// A new random id.
    pub fn generate() -> Self {
        Self(hex(&rand::random::<[u8; 32]>()))
    }

    /// The id of a cookie value, if it has the shape of one.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Self(raw.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database stores: the SHA-256 of the id.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The caller of a page's unit of work. `admit` resolves the session (and keeps it in the
/// pages' cache); the work then reads the person with [`WebCaller::user`].
pub struct WebCaller {
    id_hash: String,
    /// Whether the page needs someone signed in (a public page runs for anyone).
    required: bool,
    user: OnceLock<WebUser>,
    /// Where a session found to hold is kept, and the cache's generation before the
    /// transaction began.
    cache: Option<(Arc<PageCache>, u64)>,
}

impl WebCaller {
    pub fn signed_in(session: &SessionId, cache: &Arc<PageCache>) -> Self {
        Self {
            id_hash: session.hash(),
            required: true,
            user: OnceLock::new(),
            cache: Some((cache.clone(), cache.generation())),
        }
    }

    /// For a public page: a session that does not hold is no error.
    pub fn anyone(session: Option<&SessionId>) -> Self {
        Self {
            id_hash: session.map(SessionId::hash).unwrap_or_default(),
            required: false,
            user: OnceLock::new(),
            cache: None,
        }
    }

    /// The person, once admitted; 401 when nobody is signed in.
    pub fn user(&self) -> ApiResult<&WebUser> {
        self.user.get().ok_or(ApiError::Unauthenticated)
    }

    pub fn person(&self) -> Option<&WebUser> {
        self.user.get()
    }
}

impl Caller for WebCaller {
    fn admit(&self, tx: &mut Tx<'_>) -> ApiResult<()> {
        if self.id_hash.is_empty() && !self.required {
            return Ok(());
        }
        match admit_web(tx, &self.id_hash) {
            Ok((user, expires_at)) => {
                if let Some((cache, generation)) = &self.cache {
                    cache.store_session(&self.id_hash, user.clone(), expires_at, *generation);
                }
                // Set once: a caller is admitted once, at the start of its unit of work.
                let _ = self.user.set(user);
                Ok(())
            }
            Err(ApiError::Unauthenticated) if !self.required => Ok(()),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_256_bit_and_only_well_formed_ones_parse() {
        let (a, b) = (SessionId::generate(), SessionId::generate());
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(a.as_str().len(), 64);
        assert_eq!(SessionId::parse(a.as_str()).map(|s| s.hash()), Some(a.hash()));
        assert_ne!(a.hash(), a.as_str());
        assert!(SessionId::parse("abc").is_none());
        assert!(SessionId::parse(&"g".repeat(64)).is_none());
    }
}
