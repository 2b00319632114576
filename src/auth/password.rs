//! Passwords, hashed with Argon2id at the crate's defaults (m = 19 MiB, t = 2, p = 1), which
//! meet OWASP's recommendation. Hashing takes tens of milliseconds: callers run it on the
//! blocking thread pool, never on the async executor.

use std::sync::OnceLock;

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier},
};

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
}

/// Whether `password` matches `hash`. A malformed hash never matches.
pub fn verify(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// Spends the same time as [`verify`] for a login whose email is unknown, so that timing
/// does not tell which emails have accounts.
pub fn verify_against_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("dummy password that matches nothing").unwrap_or_default());
    let _ = verify(password, dummy);
}

/// The rules a new password must follow (OWASP ASVS 2.1: at least 12 characters, long
/// passphrases allowed).
pub fn check_policy(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < 12 {
        Err("must be at least 12 characters".into())
    } else if chars > 256 {
        Err("must be at most 256 characters".into())
    } else if password.chars().any(char::is_control) {
        Err("must not contain control characters".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_with_owasp_parameters() {
        let h = hash("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery staple", &h));
        assert!(!verify("correct horse battery stapler", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn policy() {
        assert!(check_policy("short").is_err());
        assert!(check_policy("long enough passphrase").is_ok());
        assert!(check_policy(&"x".repeat(257)).is_err());
    }
}
