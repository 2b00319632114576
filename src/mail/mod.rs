//! Email: the worker that delivers the outbox, the transports, and the templates per
//! locale. The outbox is written by the services, in the same transaction as the change that
//! causes it (`crate::service::notifications`).

pub mod templates;
pub mod transport;
pub mod worker;

use std::{path::PathBuf, time::Duration};

/// How emails leave, from the `MUTUA_SMTP_URL`, `MUTUA_MAIL_*` and `MUTUA_OUTBOX_DIR`
/// variables (read in `crate::config`).
#[derive(Clone, Debug)]
pub struct MailConfig {
    pub smtp_url: Option<String>,
    pub from: String,
    pub outbox_dir: PathBuf,
    pub retry_max: Duration,
    pub max_attempts: i32,
    /// Tests use an in-memory transport to read what would have been sent.
    pub memory: bool,
    /// How often the worker looks for due emails when nothing wakes it.
    pub poll_interval: Duration,
}
