//! The audit events, as values: one variant of [`DomainEvent`] per kind of event recorded,
//! each with its typed payload (`payloads`).
//!
//! An event is stored in two columns: its kind's name (`events.event_type`, e.g.
//! `pool.funded`, [`EventKind::as_str`]) and its payload as JSON text (`events.data`). The
//! name and the payload are kept apart, as an adjacently tagged serde enum would keep `type`
//! and `data`, because they live in two columns. The text is the payload serialised through
//! [`serde_json::Value`], whose map sorts its keys: it is byte for byte what the events
//! recorded before this module were (built with `json!`, whose map is the same), and the
//! unit tests compare every variant with that text.
//!
//! Reading: a known name whose payload reads is the event; a name no variant has, or a
//! payload that does not read, is an error naming the name ([`UnreadableEvent`]), which the
//! model turns into an error naming the row. Fields added to a payload after events were
//! stored are optional with a default, so older rows still read.
//!
//! Adding an event: a variant and its name in the `events!` table below, its payload in
//! `payloads`, an example with its stored text in the tests; then the readers that match on
//! [`DomainEvent`] tell, at compile time, where it must be handled.

#[cfg(test)]
pub(crate) mod examples;
mod payloads;
#[cfg(test)]
mod tests;

use std::fmt;

pub use payloads::*;

/// Declares [`DomainEvent`], its fieldless twin [`EventKind`] and the name of each kind,
/// from one table, so that a name is written once.
macro_rules! events {
    ($($(#[$doc:meta])* $variant:ident($payload:ty) => $name:literal,)+) => {
        /// Something that happened, as recorded in the audit trail.
        #[derive(Clone, Debug, PartialEq)]
        pub enum DomainEvent {
            $($(#[$doc])* $variant($payload),)+
        }

        /// The kind of an event, without its payload: what queries filter on.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventKind {
            $($(#[$doc])* $variant,)+
        }

        impl EventKind {
            /// Every kind, in the order of the table.
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant),+];

            /// The stored name (`events.event_type`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventKind::$variant => $name,)+
                }
            }

            /// The kind a stored name names; `None` for a name no variant has.
            pub fn parse(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(EventKind::$variant),)+
                    _ => None,
                }
            }
        }

        impl DomainEvent {
            pub fn kind(&self) -> EventKind {
                match self {
                    $(DomainEvent::$variant(_) => EventKind::$variant,)+
                }
            }

            /// The payload as JSON (its text is what `events.data` holds).
            pub fn data(&self) -> serde_json::Result<serde_json::Value> {
                match self {
                    $(DomainEvent::$variant(payload) => serde_json::to_value(payload),)+
                }
            }

            /// Reads a stored event: its name and its JSON text.
            pub fn read(name: &str, data: &str) -> Result<Self, UnreadableEvent> {
                let kind = EventKind::parse(name).ok_or_else(|| UnreadableEvent::UnknownKind(name.to_owned()))?;
                let unreadable = |e: serde_json::Error| UnreadableEvent::Payload(kind, e.to_string());
                match kind {
                    $(EventKind::$variant => serde_json::from_str(data).map(DomainEvent::$variant).map_err(unreadable),)+
                }
            }
        }
    };
}

events! {
    /// A pool opened: by a need that joins none, or by an officer for a period of upkeep.
    PoolCreated(PoolCreated) => "pool.created",
    /// An officer edited a pool: only the fields changed.
    PoolUpdated(PoolUpdated) => "pool.updated",
    /// The pledges reached the threshold.
    PoolFunded(StateChange<Crossing>) => "pool.funded",
    /// A council refused a pledge of a funded pool, which fell below its threshold.
    PoolReopened(StateChange<Crossing>) => "pool.reopened",
    PoolApproved(StateChange<NoDetails>) => "pool.approved",
    PoolRejected(StateChange<Reason>) => "pool.rejected",
    PoolCancelled(StateChange<Reason>) => "pool.cancelled",
    PoolAwarded(StateChange<Award>) => "pool.awarded",
    PoolDelivered(StateChange<Delivery>) => "pool.delivered",
    /// An open pool left with no active need and no active pledge closed itself (SPEC §15).
    PoolEmptied(StateChange<NoDetails>) => "pool.emptied",
    /// The deadline passed with the pool still open.
    PoolExpired(StateChange<Expiry>) => "pool.expired",
    /// On the pool merged away: its needs and pledges went into another.
    PoolMerged(StateChange<Merge>) => "pool.merged",
    /// On the pool that received a merge.
    PoolMergeReceived(MergeReceived) => "pool.merge_received",
    /// A maintenance pool invited the organisations that use the software.
    PoolMaintenanceOpened(MaintenanceOpened) => "pool.maintenance_opened",
    /// An officer replaced the pool's text everywhere it was stored (personal data).
    PoolRedacted(PoolRedacted) => "pool.redacted",
    /// An officer judged two pools different (on each of the two pools).
    PoolDuplicateDismissed(DuplicateDismissed) => "pool.duplicate_dismissed",
    NeedPosted(NeedPosted) => "need.posted",
    /// On the pool a need moved into.
    NeedMoved(NeedMove) => "need.moved",
    /// On the pool a need moved out of (the same payload as `need.moved`).
    NeedMovedOut(NeedMove) => "need.moved_out",
    NeedWithdrawn(NeedRef) => "need.withdrawn",
    PledgeSet(PledgeSet) => "pledge.set",
    PledgeWithdrawn(PledgeAmount) => "pledge.withdrawn",
    PledgeConfirmed(PledgeConfirmed) => "pledge.confirmed",
    PledgeRefused(PledgeRefused) => "pledge.refused",
    /// Within the hour of setting it, an organisation lowered or withdrew its provisional
    /// pledge to a funded pool (SPEC §15).
    PledgeCorrected(PledgeCorrected) => "pledge.corrected",
    /// An officer removed an organisation's provisional pledge (SPEC §15).
    PledgeDropped(PledgeDropped) => "pledge.dropped",
    UserDisabled(UserRef) => "user.disabled",
    UserEnabled(UserRef) => "user.enabled",
    UserPasswordChanged(UserRef) => "user.password_changed",
    /// An officer or the organisation's manager gave a user another role: its sessions end.
    UserRoleChanged(RoleChange) => "user.role_changed",
    /// A web session ended: other processes forget it.
    UserSignedOut(UserRef) => "user.signed_out",
    /// An invitation was sent (a new one replaces the earlier ones).
    UserInvited(UserRef) => "user.invited",
    /// A password reset link was sent to an active user.
    UserPasswordReset(UserRef) => "user.password_reset",
    /// A user changed its own name or language (`/account`, `PATCH /api/v1/me`): other
    /// processes forget its sessions, which show them.
    UserProfileChanged(UserRef) => "user.profile_changed",
    /// A user ended every page session and API token of its own ("sign out everywhere").
    UserSignedOutEverywhere(UserRef) => "user.signed_out_everywhere",
}

impl EventKind {
    /// The kinds that say a user's access changed, or what its sessions show (its name,
    /// its language): the processes that keep sessions in memory forget the user's.
    pub const USER_ACCESS: &'static [EventKind] = &[
        EventKind::UserDisabled,
        EventKind::UserEnabled,
        EventKind::UserPasswordChanged,
        EventKind::UserRoleChanged,
        EventKind::UserSignedOut,
        EventKind::UserProfileChanged,
        EventKind::UserSignedOutEverywhere,
    ];

    /// The kinds recorded about a user, never on a pool: a pool's history has no words
    /// for them.
    pub const ON_USERS: &'static [EventKind] = &[
        EventKind::UserDisabled,
        EventKind::UserEnabled,
        EventKind::UserPasswordChanged,
        EventKind::UserRoleChanged,
        EventKind::UserSignedOut,
        EventKind::UserInvited,
        EventKind::UserPasswordReset,
        EventKind::UserProfileChanged,
        EventKind::UserSignedOutEverywhere,
    ];

    /// The stored names of `kinds`, for a query that filters on them.
    pub fn names(kinds: &[EventKind]) -> Vec<&'static str> {
        kinds.iter().map(|k| k.as_str()).collect()
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl DomainEvent {
    /// The organisation whose need or pledge the event is about.
    pub fn organisation_id(&self) -> Option<i64> {
        match self {
            DomainEvent::NeedPosted(NeedPosted { organisation_id, .. })
            | DomainEvent::NeedMoved(NeedMove { organisation_id, .. })
            | DomainEvent::NeedMovedOut(NeedMove { organisation_id, .. })
            | DomainEvent::NeedWithdrawn(NeedRef { organisation_id, .. })
            | DomainEvent::PledgeSet(PledgeSet { organisation_id, .. })
            | DomainEvent::PledgeWithdrawn(PledgeAmount { organisation_id, .. })
            | DomainEvent::PledgeConfirmed(PledgeConfirmed { organisation_id, .. })
            | DomainEvent::PledgeRefused(PledgeRefused { organisation_id, .. })
            | DomainEvent::PledgeCorrected(PledgeCorrected { organisation_id, .. })
            | DomainEvent::PledgeDropped(PledgeDropped { organisation_id, .. }) => Some(*organisation_id),
            _ => None,
        }
    }

    /// The user whose access the event changed, for the kinds of [`EventKind::USER_ACCESS`].
    pub fn user_access_changed(&self) -> Option<i64> {
        match self {
            DomainEvent::UserDisabled(user)
            | DomainEvent::UserEnabled(user)
            | DomainEvent::UserPasswordChanged(user)
            | DomainEvent::UserSignedOut(user)
            | DomainEvent::UserProfileChanged(user)
            | DomainEvent::UserSignedOutEverywhere(user) => Some(user.user_id),
            DomainEvent::UserRoleChanged(change) => Some(change.user_id),
            _ => None,
        }
    }
}

/// Why a stored event does not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnreadableEvent {
    /// A name no kind has (never defaulted: a newer version's kind, or a damaged row).
    UnknownKind(String),
    /// The payload does not read as its kind's.
    Payload(EventKind, String),
}

impl fmt::Display for UnreadableEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnreadableEvent::UnknownKind(name) => write!(f, "unknown event type {name:?}"),
            UnreadableEvent::Payload(kind, why) => write!(f, "unreadable data of a {kind} event: {why}"),
        }
    }
}

impl std::error::Error for UnreadableEvent {}
