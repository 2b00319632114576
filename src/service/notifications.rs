//! Queuing emails, a step of the use cases that cause them: in the same transaction as the
//! change, one row of the outbox per (event, recipient), with what the email must say as of
//! that moment. `crate::mail` delivers them later (the worker) and knows nothing of the
//! services.

use std::collections::BTreeMap;

use super::pool_view::{self, PoolView};
use crate::{
    db::{
        self, WriteTx,
        models::{
            event::Event,
            outbox::{self, NewOutboxRow},
            pool::{self, Pool},
            user,
        },
    },
    domain::{
        kinds::{OutboxStatus, PledgeStatus, Role},
        money::Cents,
    },
    error::{ApiError, ApiResult},
    mail::templates::{MailContext, MailKind},
};

/// Queues the emails a pool transition causes (`pool.funded` and `pool.reopened` to every
/// user of every participating organisation and to every officer; `pool.approved`,
/// `pool.rejected`, `pool.expired`, `pool.awarded`, `pool.delivered` to every user of every
/// participating organisation). Other events cause none here (those addressed to chosen
/// organisations are queued by [`send_to`]). Returns how many were queued.
pub fn queue(tx: &mut WriteTx, event: &Event, pool: &Pool) -> ApiResult<usize> {
    let Some(kind) = MailKind::of(event.event.kind()).filter(|k| k.to_participants()) else { return Ok(0) };
    let view = pool_view::with_participants(tx, pool.clone())?;
    let organisations: Vec<i64> = view.participants.iter().map(|p| p.organisation_id).collect();
    queue_to(tx, kind, event, &view, &organisations, &Extra::default())
}

/// What an email addressed to chosen organisations says beyond the pool: the officer's
/// reason (`pledge.dropped`), the amount it is about, the other pool of a merge.
#[derive(Clone, Debug, Default)]
pub struct Extra {
    pub reason: Option<String>,
    pub amount_cents: Option<Cents>,
    pub other_pool: Option<(i64, String)>,
}

/// Queues the emails of `event` about `pool` to every user of `organisations`, whoever
/// takes part in it: the invitations of a new maintenance pool (`pool.maintenance_opened`),
/// a dropped pledge (`pledge.dropped`), needs moved by a merge (`pool.merged`, `pool` being
/// the surviving pool).
pub fn send_to(tx: &mut WriteTx, event: &Event, pool: &Pool, organisations: &[i64], extra: &Extra) -> ApiResult<usize> {
    let kind = MailKind::of(event.event.kind())
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no email for {}", event.event.kind())))?;
    let view = pool_view::with_participants(tx, pool.clone())?;
    queue_to(tx, kind, event, &view, organisations, extra)
}

fn queue_to(
    tx: &mut WriteTx,
    kind: MailKind,
    event: &Event,
    view: &PoolView,
    organisations: &[i64],
    extra: &Extra,
) -> ApiResult<usize> {
    let pool = &view.pool;
    let by_organisation: BTreeMap<i64, &pool_view::Participant> =
        view.participants.iter().map(|p| (p.organisation_id, p)).collect();
    let maintained = match pool.maintains_pool_id {
        Some(id) => Some(pool::find(tx, id)?),
        None => None,
    };
    let now = db::now();
    let rows = user::recipients(tx, organisations, kind.to_officers())?
        .into_iter()
        .map(|r| {
            let participant = by_organisation.get(&r.organisation_id);
            let is_officer = r.role == Role::Officer && participant.is_none();
            let context = MailContext {
                pool_id: pool.id,
                pool_title: pool.title.clone(),
                pool_url: String::new(),
                target_cents: pool.target_cents,
                threshold_cents: pool.effective_threshold(),
                pledged_cents: pool.pledged_cents,
                participants_count: view.participants.len(),
                recipient_name: r.name,
                recipient_organisation: r.organisation,
                recipient_is_officer: is_officer,
                pledge_cents: participant.map(|p| p.pledged_cents).filter(|c| c.is_positive()),
                share_cents: participant.map(|p| p.share_cents),
                reason: extra.reason.clone().or_else(|| pool.reason.clone()),
                deadline: pool.deadline.map(|d| d.to_string()),
                public_url: String::new(),
                pledge_provisional: participant.is_some_and(|p| p.pledge_status == Some(PledgeStatus::Provisional)),
                maintained_pool_id: maintained.as_ref().map(|m| m.id),
                maintained_pool_title: maintained.as_ref().map(|m| m.title.clone()),
                repository_url: maintained
                    .as_ref()
                    .map_or_else(|| pool.repository_url.clone(), |m| m.repository_url.clone()),
                licence: maintained.as_ref().map_or_else(|| pool.licence.clone(), |m| m.licence.clone()),
                period_start: pool.period_start.map(|d| d.to_string()),
                period_end: pool.period_end.map(|d| d.to_string()),
                amount_cents: extra.amount_cents.or(pool.award_cents),
                supplier: pool.supplier.clone(),
                other_pool_id: extra.other_pool.as_ref().map(|(id, _)| *id),
                other_pool_title: extra.other_pool.as_ref().map(|(_, title)| title.clone()),
            };
            Ok(NewOutboxRow {
                event_id: event.id,
                recipient_user_id: r.user_id,
                recipient_email: r.email,
                event_type: kind.event_type().to_owned(),
                locale: r.locale,
                context: serde_json::to_string(&context).map_err(|e| ApiError::Internal(e.into()))?,
                status: OutboxStatus::Pending,
                next_attempt_at: now,
                created_at: now,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let queued = outbox::insert(tx, &rows)?;
    tracing::info!(event_id = event.id, pool_id = pool.id, queued, "emails queued");
    Ok(queued)
}
