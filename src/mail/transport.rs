//! Where emails go: an SMTP server, `.eml` files (when no server is configured), or memory
//! (tests).

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::header::{Header, HeaderName, HeaderValue},
};

use super::MailConfig;

/// `X-Mutua-Event: pool.funded`: what the email is about, for filters and tests.
#[derive(Clone, Debug)]
pub struct MutuaEvent(pub String);

impl Header for MutuaEvent {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Mutua-Event")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// Why a send failed, and whether trying again can help.
#[derive(Debug)]
pub struct SendError {
    /// The server refused for good (an SMTP 5xx); retrying the same message will not help.
    pub permanent: bool,
    pub detail: String,
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
    Memory(Arc<Mutex<Vec<Vec<u8>>>>),
}

impl Transport {
    /// SMTP when `MUTUA_SMTP_URL` is set (lettre's URL forms: `smtp://host:25`,
    /// `smtp://user:pass@host:587?tls=required` for STARTTLS, `smtps://user:pass@host` for
    /// TLS), else files in the outbox directory.
    pub fn from_config(config: &MailConfig) -> anyhow::Result<Self> {
        if config.memory {
            return Ok(Self::Memory(Arc::default()));
        }
        match &config.smtp_url {
            Some(url) => Ok(Self::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("MUTUA_SMTP_URL: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            )),
            None => {
                std::fs::create_dir_all(&config.outbox_dir)
                    .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", config.outbox_dir.display()))?;
                Ok(Self::Files(AsyncFileTransport::new(&config.outbox_dir)))
            }
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Self::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError { permanent: e.is_permanent(), detail: e.to_string() }),
            Self::Files(files) => {
                files.send(message).await.map(drop).map_err(|e| SendError { permanent: false, detail: e.to_string() })
            }
            Self::Memory(sent) => {
                sent.lock().unwrap_or_else(|p| p.into_inner()).push(message.formatted());
                Ok(())
            }
        }
    }

    /// What the memory transport holds (empty for the others).
    pub fn sent(&self) -> Vec<Vec<u8>> {
        match self {
            Self::Memory(sent) => sent.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            _ => Vec::new(),
        }
    }
}
