use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{Tx, WriteTx, schema::outbox},
    domain::kinds::{Locale, OutboxStatus},
};

/// One email to one recipient about one event.
#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub event_id: i64,
    pub recipient_user_id: i64,
    pub recipient_email: String,
    pub event_type: String,
    pub locale: Locale,
    /// JSON of the template context, as of the event.
    pub context: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = outbox, treat_none_as_default_value = false)]
pub struct NewOutboxRow {
    pub event_id: i64,
    pub recipient_user_id: i64,
    pub recipient_email: String,
    pub event_type: String,
    pub locale: Locale,
    pub context: String,
    pub status: OutboxStatus,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// Queues rows; the unique key (event, recipient) makes queuing the same email twice fail.
/// One statement per row: diesel's multi-backend connection has no batch insert.
pub fn insert(tx: &mut WriteTx, rows: &[NewOutboxRow]) -> QueryResult<usize> {
    rows.iter().map(|row| diesel::insert_into(outbox::table).values(row).execute(tx.conn())).sum()
}

/// Rows due for an attempt and not held by another worker.
pub fn due(tx: &mut Tx, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<i64>> {
    outbox::table
        .filter(outbox::status.eq(OutboxStatus::Pending))
        .filter(outbox::next_attempt_at.le(now))
        .filter(outbox::claimed_until.is_null().or(outbox::claimed_until.lt(now)))
        .order(outbox::id)
        .limit(limit)
        .select(outbox::id)
        .load(tx.conn())
}

/// Claims a row until `until` if nobody else holds it: a conditional update, so that of
/// several workers (processes sharing one PostgreSQL database) exactly one wins.
pub fn claim(tx: &mut WriteTx, id: i64, now: NaiveDateTime, until: NaiveDateTime) -> QueryResult<Option<OutboxRow>> {
    diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq(OutboxStatus::Pending))
            .filter(outbox::claimed_until.is_null().or(outbox::claimed_until.lt(now))),
    )
    .set(outbox::claimed_until.eq(Some(until)))
    .returning(outbox::all_columns)
    .get_result(tx.conn())
    .optional()
    .map_err(super::in_row("outbox", id))
}

/// Marks an email sent; `forget_context` also empties what it said (an account email's
/// single-use link, which must not outlive its delivery in the database).
pub fn mark_sent(tx: &mut WriteTx, id: i64, at: NaiveDateTime, forget_context: bool) -> QueryResult<usize> {
    let sent = diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(OutboxStatus::Sent),
            outbox::sent_at.eq(Some(at)),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(tx.conn())?;
    if forget_context {
        diesel::update(outbox::table.find(id)).set(outbox::context.eq("{}")).execute(tx.conn())?;
    }
    Ok(sent)
}

/// Records a failed attempt: retried at `retry_at`, or dead when `retry_at` is `None`.
pub fn mark_failed(tx: &mut WriteTx, id: i64, error: &str, retry_at: Option<NaiveDateTime>) -> QueryResult<usize> {
    let row = outbox::table.find(id);
    let common = (
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::last_error.eq(Some(error)),
        outbox::claimed_until.eq(None::<NaiveDateTime>),
    );
    match retry_at {
        Some(at) => diesel::update(row).set((common, outbox::next_attempt_at.eq(at))).execute(tx.conn()),
        None => diesel::update(row).set((common, outbox::status.eq(OutboxStatus::Dead))).execute(tx.conn()),
    }
}

/// Makes every pending email due now: on a worker's start, what an earlier process left
/// (or backed off while the mail server was down) goes out at once.
pub fn make_pending_due(tx: &mut WriteTx, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outbox::table.filter(outbox::status.eq(OutboxStatus::Pending)).filter(outbox::next_attempt_at.gt(now)),
    )
    .set(outbox::next_attempt_at.eq(now))
    .execute(tx.conn())
}

/// Puts a dead email back in the queue, due now, with a fresh count of attempts.
pub fn requeue(tx: &mut WriteTx, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(outbox::table.find(id).filter(outbox::status.eq(OutboxStatus::Dead)))
        .set((outbox::status.eq(OutboxStatus::Pending), outbox::attempts.eq(0), outbox::next_attempt_at.eq(now)))
        .execute(tx.conn())
}

pub fn list(tx: &mut Tx, status: OutboxStatus, limit: i64, offset: i64) -> QueryResult<(Vec<OutboxRow>, i64)> {
    let items = outbox::table
        .filter(outbox::status.eq(status))
        .order(outbox::id.desc())
        .limit(limit)
        .offset(offset)
        .select(OutboxRow::as_select())
        .load(tx.conn())?;
    let total = outbox::table.filter(outbox::status.eq(status)).count().get_result(tx.conn())?;
    Ok((items, total))
}

/// How many emails are in each status.
pub fn counts(tx: &mut Tx) -> QueryResult<Vec<(OutboxStatus, i64)>> {
    outbox::table.group_by(outbox::status).select((outbox::status, diesel::dsl::count_star())).load(tx.conn())
}

/// The emails about these events: `(id, context)`, for a redaction.
pub fn contexts_of_events(tx: &mut Tx, event_ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    outbox::table
        .filter(outbox::event_id.eq_any(event_ids))
        .order(outbox::id)
        .select((outbox::id, outbox::context))
        .load(tx.conn())
}

/// Replaces an email's context (a redaction: the text it quoted is replaced).
pub fn set_context(tx: &mut WriteTx, id: i64, context: &str) -> QueryResult<usize> {
    diesel::update(outbox::table.find(id)).set(outbox::context.eq(context)).execute(tx.conn())
}
