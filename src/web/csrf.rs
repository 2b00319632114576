//! Tokens against cross-site request forgery, one per session, in every form that changes
//! something: a hidden field `csrf_token`, checked before the form is read further (403
//! without it).
//!
//! The token is derived from the secret the cookie holds (the session id, or before
//! sign-in a random pre-session id): another site can make a browser send the cookie, but
//! cannot read it, so it cannot know the token. The session cookie is also `SameSite=Lax`,
//! which keeps it off cross-site POSTs in today's browsers; the token does not rely on it.

use sha2::{Digest, Sha256};

use super::session::hex;

/// The base name of the cookie that carries the pre-session id of the sign-in form.
pub const LOGIN_COOKIE: &str = "mutua_login";

/// The token for a form of the session (or pre-session) whose cookie holds `secret`.
/// `purpose` separates the two kinds, so that one is never accepted for the other.
pub fn token(purpose: &str, secret: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"mutua csrf v1\0");
    hasher.update(purpose.as_bytes());
    hasher.update(b"\0");
    hasher.update(secret.as_bytes());
    hex(&hasher.finalize())
}

/// Whether `given` is the token of `secret`, compared in constant time.
pub fn valid(purpose: &str, secret: &str, given: &str) -> bool {
    let expected = token(purpose, secret);
    expected.len() == given.len() && expected.bytes().zip(given.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_valid_for_its_secret_and_purpose_only() {
        let t = token("session", "abc");
        assert!(valid("session", "abc", &t));
        assert!(!valid("session", "abd", &t));
        assert!(!valid("login", "abc", &t));
        assert!(!valid("session", "abc", ""));
        assert!(!valid("session", "abc", &t[1..]));
    }
}
