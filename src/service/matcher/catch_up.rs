//! Reading into the matcher's index what the database holds: the first load, then the index
//! events recorded since (`db::models::index_feed`), with what each asks read.

use std::{
    collections::{HashMap, HashSet},
    sync::atomic::{AtomicU64, Ordering},
};

use super::{CAUGHT_UP_EVENTS, Inner, LESSON_EVENTS, Matcher, lock};
use crate::{
    db::{
        Tx, WriteTx,
        models::{
            index_feed::{self, Cursor, Positioned},
            need::{self, IndexedNeed, Need},
        },
    },
    domain::events::{DomainEvent, DuplicateDismissed, NeedMove, NeedPosted, NeedRef},
    domain::kinds::Locale,
    domain::matching::{Index, NeedText, Verdict, analyze::Analysed},
    error::ApiResult,
};

impl Matcher {
    /// Brings the index up to date with the database. A unit of work that changes what the
    /// index holds calls it right after the matching lock, before recording its own events.
    ///
    /// What is new is read without holding the index, which the other requests of the
    /// process search meanwhile (on PostgreSQL each read is a round trip); only applying it
    /// holds the index. A first load, needs to read again after a unit of work that may not
    /// have committed, or a failed write batch are done holding it.
    pub fn catch_up(&self, tx: &mut Tx) -> ApiResult<()> {
        let quiet = |inner: &Inner| inner.suspect.is_empty() && inner.failed_batches == self.db.failed_batches();
        let seen = {
            let inner = self.inner();
            inner.cursor.clone().filter(|_| quiet(&inner)).map(|cursor| (cursor, inner.epoch))
        };
        if let Some((cursor, epoch)) = seen {
            let now = || {
                let inner = self.inner();
                (inner.held.clone(), inner.cursor.clone())
            };
            let news = News::read(tx, &cursor, now, &self.needs_read)?;
            let mut inner = self.inner();
            if inner.cursor.is_some() && quiet(&inner) && inner.epoch == epoch {
                news.apply(&mut inner);
                return Ok(());
            }
        }
        let mut inner = self.inner();
        self.catch_up_locked(tx, &mut inner)
    }

    pub(super) fn catch_up_locked(&self, tx: &mut Tx, inner: &mut Inner) -> ApiResult<()> {
        let failed = self.db.failed_batches();
        if failed != inner.failed_batches {
            tracing::warn!("a write batch failed to commit: the matcher's index is loaded again");
            *inner = Inner::empty(failed, inner.epoch + 1);
        }
        catch_up(tx, inner, &self.needs_read)
    }

    /// Puts in the index the need a post has just recorded as `need.posted` (event
    /// `event_id`), as a catch-up would read it once committed, and keeps or undoes it with
    /// the unit ([`WriteTx::on_fate`], see the module doc). The caller holds its conflict
    /// keys ([`WriteTx::lock_for_post`]) and caught up before recording the event. `text`:
    /// the need's text as the post analysed it to rank the pools (not analysed again).
    pub fn posted(&self, tx: &mut WriteTx, event_id: i64, need: &Need, text: &Analysed) {
        let position = tx.index_position(event_id);
        let need_id = need.id;
        let epoch = {
            let mut inner = self.inner();
            // Not loaded yet: the load will read the need, if it committed.
            let Some(cursor) = &inner.cursor else { return };
            // Held from now on, not from the commit: a catch-up that meets the event meets it
            // committed, and may meet it before this unit hears its fate.
            if !cursor.applied(event_id, position) {
                inner.held.insert(event_id, (need_id, position));
            }
            inner.index.upsert_analysed(need_id, need.pool_id, text);
            inner.epoch
        };
        let shared = self.inner.clone();
        tx.on_fate(move |committed| {
            if committed {
                return;
            }
            let mut inner = lock(&shared);
            inner.held.remove(&event_id);
            if inner.epoch == epoch {
                inner.index.remove(need_id);
            }
            // Read back in any case: a load in between may have read it uncommitted.
            inner.suspect.insert(need_id);
        });
    }

    /// Needs the catch-ups read from the database since the start (the first load aside).
    pub fn needs_read(&self) -> u64 {
        self.needs_read.load(Ordering::Acquire)
    }
}

/// Brings the index up to date with the database: a full load the first time, then the
/// index events recorded since.
pub(super) fn catch_up(tx: &mut Tx, inner: &mut Inner, needs_read: &AtomicU64) -> ApiResult<()> {
    // A suspect stays suspect until it was read back.
    if !inner.suspect.is_empty() {
        let suspects: Vec<i64> = inner.suspect.iter().copied().collect();
        needs_read.fetch_add(suspects.len() as u64, Ordering::AcqRel);
        read_back(tx, &mut inner.index, &suspects)?;
        inner.suspect.clear();
    }
    let Some(cursor) = inner.cursor.clone() else {
        // The lessons and the horizon in one read: the lessons beyond it are remembered as
        // applied. Needs are read after it: a post beyond it is read again later, as it is.
        let lessons_feed = index_feed::read_from(tx, LESSON_EVENTS, &Cursor::default())?;
        let mut cursor = Cursor { horizon: lessons_feed.horizon, beyond: HashMap::new() };
        let mut after = 0;
        loop {
            let batch = need::active_after(tx, after, 5_000)?;
            let Some(last_need) = batch.last() else { break };
            after = last_need.0.id;
            for indexed in &batch {
                upsert(&mut inner.index, indexed);
            }
        }
        // What the desk taught, from the first verdict on.
        let mut lessons = 0;
        for Positioned { position, event } in lessons_feed.events {
            if let Some(lesson) = Lesson::read(tx, &event.event)? {
                lesson.teach(&mut inner.index);
                lessons += 1;
            }
            if position >= cursor.horizon {
                cursor.beyond.insert(event.id, position);
            }
        }
        inner.cursor = Some(cursor);
        inner.held.clear();
        tracing::info!(needs = inner.index.len(), lessons, "matcher index loaded");
        return Ok(());
    };
    News::read(tx, &cursor, || (inner.held.clone(), None), needs_read)?.apply(inner);
    Ok(())
}

/// What an index event asks to read.
pub(super) enum Read {
    /// The needs of a pool, as they are now (another was merged into it, or its text was
    /// redacted).
    Merged(Vec<IndexedNeed>),
    /// One need, as it is now.
    Need(i64),
    /// Nothing: a post of this process, which the index holds as committed.
    Held,
    /// An officer's verdict on two pools.
    Lesson(Lesson),
}

/// Two pools an officer merged or dismissed, read as the matcher reads them: each pool's
/// title in the locale of the need that bears it.
pub(super) struct Lesson {
    pools: [(String, Locale); 2],
    verdict: Verdict,
}

impl Lesson {
    /// The lesson of a merge or of a dismissal (recorded on both pools: read once, from the
    /// lower one's); `None` for any other event or an unknown pool.
    fn read(tx: &mut Tx, event: &DomainEvent) -> ApiResult<Option<Self>> {
        let (a, b, verdict) = match event {
            DomainEvent::PoolMerged(merged) => {
                (merged.details.from_pool_id, merged.details.into_pool_id, Verdict::Same)
            }
            DomainEvent::PoolDuplicateDismissed(DuplicateDismissed {
                pool_ids: [low, high], other_pool_id, ..
            }) if other_pool_id == high => (*low, *high, Verdict::Different),
            _ => return Ok(None),
        };
        let (Some(a), Some(b)) = (need::pool_title_and_locale(tx, a)?, need::pool_title_and_locale(tx, b)?) else {
            return Ok(None);
        };
        Ok(Some(Self { pools: [a, b], verdict }))
    }

    fn teach(&self, index: &mut Index) {
        fn text((title, locale): &(String, Locale)) -> NeedText<'_> {
            NeedText { title, description: "", locale_hint: locale.as_str() }
        }
        index.learn(&text(&self.pools[0]), &text(&self.pools[1]), self.verdict);
    }
}

/// The index events not applied yet (from the cursor's horizon, leaving out those applied
/// beyond it), with what they ask read from the database: one statement for the events,
/// one for the needs they name, one per merge (rare).
pub(super) struct News {
    /// (event id, position, what to apply).
    items: Vec<(i64, u64, Read)>,
    needs: HashMap<i64, IndexedNeed>,
    horizon: u64,
}

impl News {
    /// `now` gives, asked once the events were read, the events held
    /// ([`super::Matcher::posted`]) and the cursor as they are then: a post holds its event
    /// before its commit, so every post of this process the read met is held by then,
    /// unless another catch-up applied it meanwhile, which the cursor then says. Either
    /// way, nothing is read for it.
    pub(super) fn read(
        tx: &mut Tx,
        cursor: &Cursor,
        now: impl FnOnce() -> (HashMap<i64, (i64, u64)>, Option<Cursor>),
        needs_read: &AtomicU64,
    ) -> ApiResult<Self> {
        let mut feed = index_feed::read_from(tx, CAUGHT_UP_EVENTS, cursor)?;
        let (held, applied) = now();
        if let Some(applied) = applied {
            feed.events.retain(|e| !applied.applied(e.event.id, e.position));
        }
        let (mut items, mut need_ids) = (Vec::new(), Vec::new());
        for Positioned { position, event } in feed.events {
            if let Some(lesson) = Lesson::read(tx, &event.event)? {
                items.push((event.id, position, Read::Lesson(lesson)));
            }
            match event.event {
                DomainEvent::NeedPosted(NeedPosted { need_id, .. })
                    if held.get(&event.id).is_some_and(|(held, _)| *held == need_id) =>
                {
                    items.push((event.id, position, Read::Held));
                }
                DomainEvent::PoolMerged(merged) => {
                    let needs = need::active_in_pool(tx, merged.details.into_pool_id)?;
                    items.push((event.id, position, Read::Merged(needs)));
                }
                // The pool's needs have a new text: the old words leave the index.
                DomainEvent::PoolRedacted(_) => {
                    let needs = need::active_in_pool(tx, event.pool_id.unwrap_or_default())?;
                    items.push((event.id, position, Read::Merged(needs)));
                }
                DomainEvent::NeedPosted(NeedPosted { need_id, .. })
                | DomainEvent::NeedMoved(NeedMove { need_id, .. })
                | DomainEvent::NeedWithdrawn(NeedRef { need_id, .. }) => {
                    need_ids.push(need_id);
                    items.push((event.id, position, Read::Need(need_id)));
                }
                _ => {}
            }
        }
        let merged: usize = items.iter().map(|(_, _, read)| if let Read::Merged(n) = read { n.len() } else { 0 }).sum();
        needs_read.fetch_add((need_ids.len() + merged) as u64, Ordering::AcqRel);
        let needs = need::active_by_ids(tx, &need_ids)?.into_iter().map(|n| (n.0.id, n)).collect();
        Ok(Self { items, needs, horizon: feed.horizon })
    }

    /// Applies the events the index has not applied yet (another catch-up may have applied
    /// some meanwhile), and moves the cursor: to the newer horizon, remembering the events
    /// applied beyond it. Each need is put as it was read, whatever the order of its events:
    /// a later change has an event of its own, which a later catch-up applies.
    pub(super) fn apply(self, inner: &mut Inner) {
        let Some(mut cursor) = inner.cursor.take() else { return };
        let fresh: Vec<(i64, u64, Read)> =
            self.items.into_iter().filter(|(id, position, _)| !cursor.applied(*id, *position)).collect();
        for (id, position, read) in fresh {
            match read {
                Read::Merged(needs) => needs.iter().for_each(|indexed| upsert(&mut inner.index, indexed)),
                Read::Need(need_id) => match self.needs.get(&need_id) {
                    Some(indexed) => upsert(&mut inner.index, indexed),
                    None => inner.index.remove(need_id),
                },
                Read::Held => {}
                Read::Lesson(lesson) => lesson.teach(&mut inner.index),
            }
            cursor.beyond.insert(id, position);
        }
        cursor.advance(self.horizon);
        let horizon = cursor.horizon;
        inner.held.retain(|event_id, (_, position)| *position >= horizon && !cursor.beyond.contains_key(event_id));
        inner.cursor = Some(cursor);
    }
}

/// Puts the given needs in the index as the database holds them now: the active ones
/// upserted, the others removed. One statement.
pub(super) fn read_back(tx: &mut Tx, index: &mut Index, need_ids: &[i64]) -> ApiResult<()> {
    let found = need::active_by_ids(tx, need_ids)?;
    let active: HashSet<i64> = found.iter().map(|(need, _)| need.id).collect();
    for indexed in &found {
        upsert(index, indexed);
    }
    for need_id in need_ids.iter().filter(|id| !active.contains(id)) {
        index.remove(*need_id);
    }
    Ok(())
}

pub(super) fn upsert(index: &mut Index, (need, locale): &IndexedNeed) {
    index.upsert(
        need.id,
        need.pool_id,
        &NeedText { title: &need.title, description: &need.description, locale_hint: locale.as_str() },
    );
}
