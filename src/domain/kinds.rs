//! The closed vocabularies of the domain: roles, kinds of organisation and of pool, locales,
//! the status of a need, of a pledge and of an email, the bodies that decide a pledge. Each is an enum with its text form; the database stores the
//! text, and `crate::db` maps it both ways (an unknown stored value is an error, never a
//! default).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        // The derive first: the attributes may use its helper (`#[schema(example = ..)]`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        $(#[$meta])*
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, String> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "must be one of: {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum! {
    /// What a user may do (SPEC section 2).
    #[schema(example = "member")]
    Role { Member => "member", Officer => "officer" }
}

text_enum! {
    /// Whether a user can sign in (SPEC section 14): `invited` until it chooses its password
    /// (or signs in once through single sign-on), `disabled` when an officer or its manager
    /// turned it off. Only `active` users sign in, get emails and hold sessions.
    #[schema(example = "active")]
    UserStatus { Invited => "invited", Active => "active", Disabled => "disabled" }
}

text_enum! {
    /// What a single-use emailed link is for: choosing one's first password after an
    /// invitation (7 days), or a new one after "password forgotten" (60 minutes).
    TokenKind { Invitation => "invitation", Reset => "reset" }
}

text_enum! {
    /// The kind of public body an organisation is.
    #[schema(example = "commune")]
    OrganisationKind {
        Commune => "commune",
        Cpas => "cpas",
        Province => "province",
        PoliceZone => "police_zone",
        Intercommunale => "intercommunale",
        CentralPurchasing => "central_purchasing",
        Other => "other",
    }
}

text_enum! {
    /// The language of an organisation's emails.
    #[schema(example = "fr")]
    Locale { Fr => "fr", Nl => "nl", De => "de", En => "en" }
}

text_enum! {
    /// Whether a need still asks for its development.
    #[schema(example = "active")]
    NeedStatus { Active => "active", Withdrawn => "withdrawn" }
}

text_enum! {
    /// Where an email of the outbox is: waiting to be sent (or retried), sent, or refused for
    /// good and waiting for an officer.
    #[schema(example = "dead")]
    OutboxStatus { Pending => "pending", Sent => "sent", Dead => "dead" }
}

text_enum! {
    /// Whether a pledge binds its organisation's money (SPEC section 10): `provisional` as
    /// created or changed, `confirmed` once its council decided.
    #[schema(example = "confirmed")]
    PledgeStatus { Provisional => "provisional", Confirmed => "confirmed" }
}

text_enum! {
    /// The body whose decision confirms a pledge: the collège (communal, provincial) or the
    /// conseil (communal, provincial, de l'action sociale), a CPAS's bureau permanent, a
    /// police zone's council, or another.
    #[schema(example = "college")]
    DecidedBy {
        College => "college",
        Conseil => "conseil",
        BureauPermanent => "bureau_permanent",
        ZoneCouncil => "zone_council",
        Other => "other",
    }
}

text_enum! {
    /// What a pool funds: a new development, or a period of upkeep of a delivered one.
    #[schema(example = "development")]
    PoolKind { Development => "development", Maintenance => "maintenance" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_lists_choices() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.as_str()), Ok(*kind));
        }
        assert_eq!(serde_json::to_string(&OrganisationKind::PoliceZone).unwrap(), "\"police_zone\"");
        assert_eq!(Locale::parse("xx").unwrap_err(), "must be one of: fr, nl, de, en");
        for body in DecidedBy::ALL {
            assert_eq!(DecidedBy::parse(body.as_str()), Ok(*body));
        }
        assert_eq!(serde_json::to_string(&DecidedBy::BureauPermanent).unwrap(), "\"bureau_permanent\"");
        assert!(DecidedBy::parse("mayor").is_err());
    }
}
