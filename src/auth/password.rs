//! Passwords, hashed with Argon2id at the crate's defaults (m = 19 MiB, t = 2, p = 1), which
//! meet OWASP's recommendation. Hashing takes tens of milliseconds: callers run it on the
//! blocking thread pool, never on the async executor.

use std::sync::OnceLock;

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier},
};

/// How many hashes or verifications run at once in this process. Each takes 19 MiB and tens of
/// milliseconds of a core: unbounded, a burst of logins would take gigabytes (the blocking
/// pool has up to 512 threads). Beyond this, they wait their turn.
const SLOTS: usize = 4;
static SLOTS_FREE: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(SLOTS);

/// Runs password work (hashing, verifying) on the blocking pool, [`SLOTS`] at a time.
pub async fn off_executor<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _slot = SLOTS_FREE.acquire().await?;
    Ok(tokio::task::spawn_blocking(work).await?)
}

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

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn password_work_runs_a_bounded_number_at_a_time() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                tokio::spawn(off_executor(|| {
                    let now = RUNNING.fetch_add(1, SeqCst) + 1;
                    MOST.fetch_max(now, SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    RUNNING.fetch_sub(1, SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert!(MOST.load(SeqCst) <= SLOTS, "{}", MOST.load(SeqCst));
        assert!(MOST.load(SeqCst) > 1, "they do run concurrently");
    }

    #[test]
    fn policy() {
        assert!(check_policy("short").is_err());
        assert!(check_policy("long enough passphrase").is_ok());
        assert!(check_policy(&"x".repeat(257)).is_err());
    }
}
