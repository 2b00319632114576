//! The emails about a person's own account (SPEC §14): an invitation and a password reset.
//! Unlike the pools' emails they carry a single-use link, built from the path queued in the
//! outbox and `MUTUA_PUBLIC_URL` when sent. Templates: `templates/mail/<locale>/user_*.*`,
//! HTML through `_account.html`.

use serde::{Deserialize, Serialize};

use super::{RenderError, RenderedMail, TEXT_WIDTH, env, one_line, wrap_text};
use crate::domain::{events::EventKind, kinds::Locale};

/// The kinds of account email.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountMail {
    Invitation,
    PasswordReset,
}

impl AccountMail {
    pub const ALL: [AccountMail; 2] = [AccountMail::Invitation, AccountMail::PasswordReset];

    /// The event that causes it; its type is also the email's `X-Mutua-Event`.
    pub fn event_kind(self) -> EventKind {
        match self {
            AccountMail::Invitation => EventKind::UserInvited,
            AccountMail::PasswordReset => EventKind::UserPasswordReset,
        }
    }

    /// The email of a stored event type (an outbox row's), if it is an account email.
    pub fn from_event_type(s: &str) -> Option<Self> {
        let kind = EventKind::parse(s)?;
        Self::ALL.into_iter().find(|k| k.event_kind() == kind)
    }

    pub(super) fn template(self) -> &'static str {
        match self {
            AccountMail::Invitation => "user_invited",
            AccountMail::PasswordReset => "user_password_reset",
        }
    }
}

/// What an account email shows. `link_path` (`/invitations/{token}`) is queued; `link`, the
/// whole address, is made when the email is sent.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccountMailContext {
    pub recipient_name: String,
    pub recipient_organisation: String,
    pub link_path: String,
    #[serde(default)]
    pub link: String,
}

#[derive(Serialize)]
struct View<'a> {
    #[serde(flatten)]
    ctx: &'a AccountMailContext,
    locale: &'static str,
}

/// Renders one account email in `locale`.
pub fn render(kind: AccountMail, locale: Locale, ctx: &AccountMailContext) -> Result<RenderedMail, RenderError> {
    let locale = locale.as_str();
    let view = View { ctx, locale };
    let env = env();
    let part = |ext: &str| -> Result<String, RenderError> {
        Ok(env.get_template(&format!("{locale}/{}.{ext}", kind.template()))?.render(&view)?)
    };
    let subject = one_line(&part("subject.txt")?);
    Ok(RenderedMail { subject, text: wrap_text(&part("txt")?, TEXT_WIDTH), html: part("html")? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_email_renders_in_every_locale_with_its_link() {
        let ctx = AccountMailContext {
            recipient_name: "Marie <Dupont>".into(),
            recipient_organisation: "Commune de Namur".into(),
            link_path: "/invitations/ab".into(),
            link: "https://mutua.example/invitations/ab?x=1&y=2".into(),
        };
        for kind in AccountMail::ALL {
            assert_eq!(AccountMail::from_event_type(kind.event_kind().as_str()), Some(kind));
            for locale in Locale::ALL.iter().copied() {
                let mail = render(kind, locale, &ctx).unwrap();
                assert!(!mail.subject.is_empty() && !mail.subject.contains('\n'));
                assert!(mail.text.contains("https://mutua.example/invitations/ab?x=1&y=2"), "{kind:?} {locale}");
                assert!(mail.html.contains("https://mutua.example/invitations/ab?x=1&amp;y=2"), "{kind:?} {locale}");
                assert!(mail.html.contains("Marie &lt;Dupont&gt;"));
                assert!(mail.text.contains("Commune de Namur"));
            }
        }
    }
}
