//! Redacting a pool's text (SPEC §16): an officer replaces its title or description, and
//! every stored copy of every text the pool ever had is replaced with it, in one unit of
//! work: the pool, the pools maintaining it, its needs, the events that hold the text (its
//! own, and those of pools that name it), the suggestions stored with needs, the emails
//! kept in the outbox, and the matcher's index. What [`crate::domain::redaction`] replaces
//! is said there. The event `pool.redacted` records who, when and why, never the old text;
//! the open data export builds every release from the events, so each release shows the
//! new text from then on (its id unchanged) and the redaction is published as an amendment.

use serde_json::Value;

use super::{
    duplicates,
    matcher::{IndexChange, Matcher},
};
use crate::{
    auth::Officer,
    db::{
        self, WriteTx,
        models::{
            event::{self, Event},
            need, outbox,
            pool::{self, Pool, PoolChanges},
        },
    },
    domain::{
        events::{DomainEvent, EventKind, PoolRedacted, SimilarPool},
        personal_data,
        redaction::Redaction,
        text,
    },
    error::{ApiResult, Validator},
};

/// What an officer asks: a new title, a new description (at least one), and why.
#[derive(Clone, Debug)]
pub struct RedactInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub reason: String,
}

impl RedactInput {
    /// The request checked: at least one text, each checked as a pool's text is (no
    /// personal data), and a reason that holds none either. 422 naming each field
    /// otherwise.
    pub fn parse(title: Option<&str>, description: Option<&str>, reason: &str) -> ApiResult<Self> {
        let mut v = Validator::default();
        if title.is_none() && description.is_none() {
            v.push("title", "give a new title, a new description, or both");
        }
        let title = title.and_then(|t| v.check("title", text::title(t).and_then(personal_data::absent)));
        let description =
            description.and_then(|d| v.check("description", text::description(d).and_then(personal_data::absent)));
        let reason = v.check("reason", text::reason(reason).and_then(personal_data::absent));
        v.finish()?;
        Ok(Self { title, description, reason: reason.unwrap_or_default() })
    }
}

pub fn redact(
    tx: &mut WriteTx,
    matcher: &Matcher,
    officer: &Officer,
    pool_id: i64,
    input: RedactInput,
) -> ApiResult<Pool> {
    tx.lock_matching()?;
    matcher.catch_up(tx)?;
    let current = pool::lock(tx, pool_id)?;
    let redaction = redaction_of(tx, &current, &input)?;
    let updated = pool::update(
        tx,
        pool_id,
        &PoolChanges {
            title: input.title.clone(),
            description: input.description.clone(),
            updated_at: Some(db::now()),
            ..Default::default()
        },
    )?;
    if !redaction.is_empty() {
        let own_events = events(tx, &redaction)?;
        maintenance_pools(tx, &redaction)?;
        needs(tx, &redaction)?;
        emails(tx, &redaction, &own_events)?;
    }
    let fields = [("title", &input.title), ("description", &input.description)]
        .into_iter()
        .filter_map(|(name, given)| given.as_ref().map(|_| name.to_owned()))
        .collect();
    let redacted = PoolRedacted { reason: input.reason, fields };
    event::record(tx, Some(pool_id), &DomainEvent::PoolRedacted(redacted), Some(officer.id))?;
    // The matcher forgets the old words: the pool's needs are indexed again as they are now.
    let upserts = need::active_in_pool(tx, pool_id)?.into_iter().map(IndexChange::Upsert).collect();
    duplicates::refresh(tx, matcher, upserts, &[pool_id])?;
    Ok(updated)
}

/// Every title and description the pool had (its events, its row), each replaced by the
/// new one when the officer gave it.
fn redaction_of(tx: &mut WriteTx, current: &Pool, input: &RedactInput) -> ApiResult<Redaction> {
    let texts =
        event::of_pools_through(tx, &[current.id], &[EventKind::PoolCreated, EventKind::PoolUpdated], i64::MAX)?;
    let mut titles = vec![current.title.clone()];
    let mut descriptions = vec![current.description.clone()];
    for e in texts {
        match e.event {
            DomainEvent::PoolCreated(created) => {
                titles.push(created.title);
                descriptions.extend(created.description);
            }
            DomainEvent::PoolUpdated(edit) => {
                titles.extend(edit.title);
                descriptions.extend(edit.description);
            }
            _ => {}
        }
    }
    let title = input.title.clone().unwrap_or_else(|| current.title.clone());
    let description = input.description.clone().unwrap_or_else(|| current.description.clone());
    let titles = if input.title.is_some() { titles } else { Vec::new() };
    let descriptions = if input.description.is_some() { descriptions } else { Vec::new() };
    Ok(Redaction::new(current.id, title, description, titles, descriptions))
}

/// Rewrites the events holding a copy; returns the pool's own (their emails quote the
/// text).
fn events(tx: &mut WriteTx, redaction: &Redaction) -> ApiResult<Vec<Event>> {
    let mut own = Vec::new();
    for mut e in event::naming_pool(tx, redaction.pool_id)? {
        if redaction.event(e.pool_id, &mut e.event) {
            event::rewrite(tx, &e)?;
        }
        if e.pool_id == Some(redaction.pool_id) {
            own.push(e);
        }
    }
    Ok(own)
}

/// A maintenance pool's title and description quote the delivered pool's.
fn maintenance_pools(tx: &mut WriteTx, redaction: &Redaction) -> ApiResult<()> {
    for period in pool::maintenance_of(tx, redaction.pool_id)? {
        let maintaining = pool::find(tx, period.id)?;
        let (title, description) = (redaction.text(&maintaining.title), redaction.text(&maintaining.description));
        if title.is_some() || description.is_some() {
            pool::update(tx, period.id, &PoolChanges { title, description, ..Default::default() })?;
        }
    }
    Ok(())
}

/// The pool's needs (their text), and any need whose stored suggestions name the pool.
fn needs(tx: &mut WriteTx, redaction: &Redaction) -> ApiResult<()> {
    let mut touched = need::all_in_pool(tx, redaction.pool_id)?;
    touched.extend(need::suggesting(tx, redaction.pool_id)?);
    touched.sort_by_key(|n| n.id);
    touched.dedup_by_key(|n| n.id);
    for mut n in touched {
        let mut changed = false;
        if n.pool_id == redaction.pool_id {
            if let Some(title) = redaction.text(&n.title) {
                n.title = title;
                changed = true;
            }
            if let Some(description) = redaction.text(&n.description) {
                n.description = description;
                changed = true;
            }
        }
        if let Ok(mut similar) = serde_json::from_str::<Vec<SimilarPool>>(&n.similar_pools) {
            let mut renamed = false;
            for s in similar.iter_mut().filter(|s| s.pool_id == redaction.pool_id && s.title != redaction.title) {
                s.title.clone_from(&redaction.title);
                renamed = true;
            }
            if renamed {
                n.similar_pools =
                    serde_json::to_string(&similar).map_err(|e| crate::error::ApiError::Internal(e.into()))?;
                changed = true;
            }
        }
        if changed {
            need::set_text(tx, &n)?;
        }
    }
    Ok(())
}

/// The emails about the pool's events kept in the outbox (sent or not): the text they
/// quote is replaced, so that the copy kept here no longer holds it.
fn emails(tx: &mut WriteTx, redaction: &Redaction, own_events: &[Event]) -> ApiResult<()> {
    let ids: Vec<i64> = own_events.iter().map(|e| e.id).collect();
    for (id, context) in outbox::contexts_of_events(tx, &ids)? {
        let Ok(mut value) = serde_json::from_str::<Value>(&context) else { continue };
        if redact_strings(redaction, &mut value) {
            outbox::set_context(tx, id, &value.to_string())?;
        }
    }
    Ok(())
}

fn redact_strings(redaction: &Redaction, value: &mut Value) -> bool {
    match value {
        Value::String(text) => match redaction.text(text) {
            Some(new) => {
                *text = new;
                true
            }
            None => false,
        },
        Value::Array(items) => items.iter_mut().fold(false, |changed, v| redact_strings(redaction, v) | changed),
        Value::Object(fields) => fields.values_mut().fold(false, |changed, v| redact_strings(redaction, v) | changed),
        _ => false,
    }
}
