//! The worker inside `mutua serve` (or alone, `mutua worker`): delivers the outbox, expires
//! pools past their deadline, forgets old idempotency keys and expired web sessions.
//!
//! Several workers may share one PostgreSQL database: each email is claimed by a
//! conditional update before it is sent, so only one of them sends it. A claim is a lease:
//! if its holder dies mid-send, the email is claimed again when the lease ends. The
//! `Message-ID` is derived from (event, recipient), so the rare resend after such a crash
//! is recognisable as the same message.

use std::{sync::Arc, time::Duration};

use lettre::{
    Message,
    message::{Mailbox, MultiPart},
};
use tokio::sync::Notify;

use super::{
    MailConfig,
    templates::{
        self, MailContext, MailKind,
        account::{self, AccountMail, AccountMailContext},
    },
    transport::{MutuaEvent, SendError, Transport},
};
use crate::{
    db::{
        self, Db, System, WriteTx,
        models::{
            idempotency,
            outbox::{self, OutboxRow},
            pool,
        },
    },
    error::ApiResult,
    metrics::EmailMetrics,
    service,
};

/// How long a claimed email is held before another worker may take it.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
/// The first retry delay; doubled at every failure up to `MUTUA_MAIL_RETRY_MAX_SECONDS`.
const FIRST_RETRY: Duration = Duration::from_secs(5);
/// Emails claimed per round.
const BATCH: i64 = 50;
/// How often the periodic jobs (expiry, key purge) run.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(60);

/// What a delivery round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retried: usize,
    pub dead: usize,
}

pub struct Mailer {
    db: Db,
    transport: Transport,
    config: MailConfig,
    public_url: String,
    wake: Arc<Notify>,
    metrics: Arc<EmailMetrics>,
}

impl Mailer {
    pub fn new(
        db: Db,
        config: MailConfig,
        public_url: String,
        wake: Arc<Notify>,
        metrics: Arc<EmailMetrics>,
    ) -> anyhow::Result<Self> {
        Ok(Self { transport: Transport::from_config(&config)?, db, config, public_url, wake, metrics })
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Runs until the process ends: what is due at once, then whenever woken or polled.
    pub async fn run(self: Arc<Self>) {
        match self.db.write(System, |tx, _| Ok(outbox::make_pending_due(tx, db::now())?)).await {
            Ok(n) if n > 0 => tracing::info!(emails = n, "pending emails left by an earlier process are due now"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "cannot reschedule pending emails"),
        }
        let mut last_housekeeping: Option<tokio::time::Instant> = None;
        loop {
            if last_housekeeping.is_none_or(|at| at.elapsed() >= HOUSEKEEPING_EVERY) {
                self.housekeeping().await;
                last_housekeeping = Some(tokio::time::Instant::now());
            }
            let round = self.deliver_due().await;
            if round.sent + round.retried + round.dead < usize::try_from(BATCH).unwrap_or(50) {
                tokio::select! {
                    () = self.wake.notified() => {}
                    () = tokio::time::sleep(self.config.poll_interval) => {}
                }
            }
        }
    }

    /// Sends every email due now; returns what happened.
    pub async fn deliver_due(&self) -> Round {
        let mut round = Round::default();
        let claimed = match self.db.write(System, |tx, _| claim_batch(tx)).await {
            Ok(rows) => rows,
            Err(error) => {
                tracing::warn!(%error, "cannot read the outbox");
                return round;
            }
        };
        for row in claimed {
            let outcome = match self.message(&row) {
                Ok(message) => self.transport.send(message).await,
                Err(detail) => Err(SendError { permanent: true, detail }),
            };
            let id = row.id;
            let update = match outcome {
                Ok(()) => {
                    round.sent += 1;
                    self.metrics.sent();
                    tracing::info!(outbox_id = id, event = %row.event_type, to = %row.recipient_email, "email sent");
                    // An account email's link opens an account: once sent, the outbox forgets it.
                    let forget = AccountMail::from_event_type(&row.event_type).is_some();
                    self.db.write(System, move |tx, _| Ok(outbox::mark_sent(tx, id, db::now(), forget)?)).await
                }
                Err(error) => {
                    let retry_at = self.retry_at(&row, &error);
                    self.metrics.failed(error.permanent);
                    if retry_at.is_some() {
                        round.retried += 1;
                        tracing::warn!(outbox_id = id, error = %error.detail, attempts = row.attempts + 1, "email not sent; will retry");
                    } else {
                        round.dead += 1;
                        self.metrics.dead();
                        tracing::error!(outbox_id = id, error = %error.detail, to = %row.recipient_email, "email dead: permanently refused");
                    }
                    self.db.write(System, move |tx, _| Ok(outbox::mark_failed(tx, id, &error.detail, retry_at)?)).await
                }
            };
            if let Err(error) = update {
                // The lease runs out and the email is tried again: at worst sent twice,
                // with the same Message-ID.
                tracing::error!(%error, outbox_id = id, "cannot record the delivery outcome");
            }
        }
        round
    }

    /// When to try again: exponential backoff capped by the configuration; `None` (dead)
    /// once a permanent refusal has been seen `max_attempts` times. Transient failures (the
    /// server unreachable, a 4xx) are retried for as long as it takes: nothing is lost.
    fn retry_at(&self, row: &OutboxRow, error: &SendError) -> Option<chrono::NaiveDateTime> {
        let attempts = row.attempts + 1;
        if error.permanent && attempts >= self.config.max_attempts {
            return None;
        }
        let delay = backoff(attempts, self.config.retry_max);
        Some(db::now() + chrono::Duration::from_std(delay).unwrap_or(LEASE))
    }

    fn render(&self, row: &OutboxRow) -> Result<templates::RenderedMail, String> {
        if let Some(kind) = AccountMail::from_event_type(&row.event_type) {
            let mut context: AccountMailContext =
                serde_json::from_str(&row.context).map_err(|e| format!("bad context: {e}"))?;
            context.link = format!("{}{}", self.public_url, context.link_path);
            return account::render(kind, row.locale, &context).map_err(|e| e.to_string());
        }
        let kind = MailKind::from_event_type(&row.event_type).ok_or("unknown email kind")?;
        let mut context: MailContext = serde_json::from_str(&row.context).map_err(|e| format!("bad context: {e}"))?;
        // The pool's web page: a person who follows the link signs in and sees it.
        context.pool_url = format!("{}/pools/{}", self.public_url, context.pool_id);
        context.public_url.clone_from(&self.public_url);
        templates::render(kind, row.locale, &context).map_err(|e| e.to_string())
    }

    fn message(&self, row: &OutboxRow) -> Result<Message, String> {
        let rendered = self.render(row)?;
        let from: Mailbox = self.config.from.parse().map_err(|e| format!("MUTUA_MAIL_FROM: {e}"))?;
        let domain = from.email.domain().to_owned();
        Message::builder()
            .message_id(Some(message_id(row.event_id, row.recipient_user_id, &domain)))
            .from(from)
            .to(row.recipient_email.parse().map_err(|e| format!("recipient: {e}"))?)
            .subject(rendered.subject)
            .header(MutuaEvent(row.event_type.clone()))
            .multipart(MultiPart::alternative_plain_html(rendered.text, rendered.html))
            .map_err(|e| e.to_string())
    }

    /// Expires open pools past their deadline (with their emails), forgets old idempotency
    /// keys. Each expiry is its own transaction; several workers may race, one wins.
    pub async fn housekeeping(&self) {
        let today = chrono::Utc::now().date_naive();
        let mut expired = 0;
        let due = self.db.read(System, move |tx, _| Ok(pool::past_deadline(tx, today, 500)?)).await;
        match due {
            Ok(ids) => {
                for id in ids {
                    match self.db.write(System, move |tx, _| service::pools::expire(tx, id, today)).await {
                        Ok(Some(_)) => expired += 1,
                        Ok(None) => {}
                        Err(error) => tracing::warn!(%error, pool_id = id, "cannot expire the pool"),
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "housekeeping cannot list pools past their deadline"),
        }
        let before = db::now() - crate::idempotency::RETENTION;
        if let Err(error) = self.db.write(System, move |tx, _| Ok(idempotency::purge(tx, before)?)).await {
            tracing::warn!(%error, "cannot purge old idempotency keys");
        }
        if let Err(error) = self.db.write(System, |tx, _| service::web_sessions::purge_expired(tx)).await {
            tracing::warn!(%error, "cannot purge expired web sessions");
        }
        if let Err(error) = self.db.write(System, |tx, _| service::sign_on::purge_expired(tx)).await {
            tracing::warn!(%error, "cannot purge lapsed single sign-on attempts");
        }
        if expired > 0 {
            tracing::info!(pools = expired, "pools expired");
            self.wake.notify_one();
        }
    }
}

fn claim_batch(tx: &mut WriteTx) -> ApiResult<Vec<OutboxRow>> {
    let now = db::now();
    let mut claimed = Vec::new();
    for id in outbox::due(tx, now, BATCH)? {
        if let Some(row) = outbox::claim(tx, id, now, now + LEASE)? {
            claimed.push(row);
        }
    }
    Ok(claimed)
}

/// `<e{event}.u{user}@domain>`: the same for every attempt of one email, different for any
/// two emails.
pub fn message_id(event_id: i64, user_id: i64, domain: &str) -> String {
    format!("<mutua.e{event_id}.u{user_id}@{domain}>")
}

/// 5 s, 10 s, 20 s, … doubling per attempt, capped at `max`.
pub fn backoff(attempts: i32, max: Duration) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(20);
    FIRST_RETRY.saturating_mul(1 << exponent).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let cap = Duration::from_secs(600);
        let schedule: Vec<u64> = (1..=10).map(|a| backoff(a, cap).as_secs()).collect();
        assert_eq!(schedule, [5, 10, 20, 40, 80, 160, 320, 600, 600, 600]);
        assert_eq!(backoff(1_000, cap), cap);
    }

    #[test]
    fn message_ids_are_deterministic_and_distinct() {
        assert_eq!(message_id(7, 3, "x.be"), message_id(7, 3, "x.be"));
        assert_ne!(message_id(7, 3, "x.be"), message_id(3, 7, "x.be"));
        assert_ne!(message_id(7, 31, "x.be"), message_id(73, 1, "x.be"));
    }
}
