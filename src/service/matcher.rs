//! The matcher's in-memory index, kept consistent with the database across processes.
//!
//! Every write that changes what the index holds (a need posted, moved or withdrawn, a pool
//! merged) records an event. Before searching, a process replays the events it has not
//! applied yet ([`Matcher::catch_up`]), read by *position* (`db::models::index_feed`): the
//! event's id on SQLite, whose one writer makes events visible in id order; on PostgreSQL
//! the id of the transaction that recorded it, because there events do **not** commit in
//! id order. The cursor ([`Cursor`]) is a *horizon*, below which every transaction has
//! ended (`pg_snapshot_xmin` of the read's own snapshot), and the events at or above it
//! that a catch-up already applied: a later catch-up reads from the horizon again and skips
//! those, so an event that commits after one with a higher id is still applied, once.
//!
//! Who waits for whom, on PostgreSQL (on SQLite the write transaction already serialises
//! writers):
//!
//! - A post ([`WriteTx::lock_for_post`]) takes the matching lock *shared* and an exclusive
//!   lock on each conflict key of its need (`domain::matching::conflicts`: the words two
//!   needs must share for one to be merged into the other's pool), in one statement. Two
//!   posts that could merge wait for each other; the one that gets the keys second reads
//!   (READ COMMITTED: each statement sees what committed before it) the first one's post,
//!   and joins its pool. Posts of unrelated needs run side by side.
//! - Every other change of the index (a withdrawal, a move, a merge, a dismissal, a
//!   redaction) takes the matching lock exclusive ([`WriteTx::lock_matching`]): it waits
//!   for the posts in progress, and they wait for it.
//!
//! What a unit writes before its locks records no index event: on PostgreSQL a post that
//! its ranking says opens a pool opens it, and writes its need, before taking its keys, and
//! deletes both if a post committed meanwhile makes it join a pool instead
//! (`service::needs::post`); only `need.posted`, written holding the keys, makes the need
//! part of the index.
//!
//! A post ranks the pools before it holds anything others wait for: on PostgreSQL in its
//! write transaction before its locks, on SQLite in a read of its own when no other post of
//! the process is in progress ([`Posting::rank_beforehand`]). Holding its keys, it brings
//! that ranking up to date ([`Matcher::current`]): the index remembers which pools each of
//! its changes touched (`domain::matching::journal`), and only those are scored again.
//!
//! A unit of work that changes what the index holds also applies its change to the index at
//! once ([`Matcher::apply_and_rank`]), so that the duplicate candidates it computes see it.
//! Until the change is read back from the database, the needs it touched are *suspect*:
//! every catch-up first reads them again, so a change whose transaction rolled back does
//! not stay in the index. A write batch that failed to commit on SQLite (group commit) may
//! have left replayed events of its own in the index: the index is then loaded again.
//!
//! A post puts its need in the index when it records `need.posted` ([`Matcher::posted`]),
//! and its event is *held* from then on: the index already has the need as the database
//! will have it once committed, so the catch-up that meets the event (only ever committed)
//! reads nothing for it: posts are most of what a busy process catches up with, and most
//! of them its own. It learns its unit's fate ([`WriteTx::on_fate`]): rolled back, the event
//! is no longer held, and the need leaves the index at once and is read back at the next
//! catch-up, like a suspect. Whatever wiped the index meanwhile (a new load) holds nothing.
//!
//! [`WriteTx::lock_for_post`]: crate::db::WriteTx::lock_for_post
//! [`WriteTx::lock_matching`]: crate::db::WriteTx::lock_matching
//! [`WriteTx::on_fate`]: crate::db::WriteTx::on_fate

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicU64, AtomicUsize},
    },
};

use crate::domain::events::EventKind;
use crate::{
    db::{
        Db, Tx, WriteTx,
        models::{index_feed::Cursor, need::IndexedNeed, pool::Pool},
    },
    domain::matching::{
        Decision, Explanation, Index, NeedText, PoolScore, Thresholds,
        analyze::{Analysed, analyse},
        decide,
    },
    error::ApiResult,
};

mod catch_up;
mod posting;
mod states;

use catch_up::upsert;
pub use posting::Posting;
use states::PoolStates;

/// The kinds of event that change what the index holds.
pub const INDEX_EVENTS: &[EventKind] = &[
    EventKind::NeedPosted,
    EventKind::NeedMoved,
    EventKind::NeedWithdrawn,
    EventKind::PoolMerged,
    EventKind::PoolRedacted,
];

/// The events an officer's verdict on two pools records: the index learns from them
/// (`domain::matching::desk`), at once and when it loads again.
const LESSON_EVENTS: &[EventKind] = &[EventKind::PoolMerged, EventKind::PoolDuplicateDismissed];

/// The events a catch-up reads: what changes the index's needs, and what teaches it.
const CAUGHT_UP_EVENTS: &[EventKind] = &[
    EventKind::NeedPosted,
    EventKind::NeedMoved,
    EventKind::NeedWithdrawn,
    EventKind::PoolMerged,
    EventKind::PoolRedacted,
    EventKind::PoolDuplicateDismissed,
];

struct Inner {
    index: Index,
    /// How far the index follows the events; `None` until loaded.
    cursor: Option<Cursor>,
    /// Needs changed in the index by a unit of work that may not commit: read again from
    /// the database at the next catch-up.
    suspect: HashSet<i64>,
    /// The database's count of failed write batches when the index was last caught up.
    failed_batches: u64,
    /// `need.posted` events of this process's posts not applied yet (committed, or not known
    /// yet to have failed), with their need and position, which the index already holds as
    /// committed ([`Matcher::posted`]).
    held: HashMap<i64, (i64, u64)>,
    /// Counts the times the index was emptied to be loaded again: what a unit put in it
    /// before is gone.
    epoch: u64,
}

impl Inner {
    fn empty(failed_batches: u64, epoch: u64) -> Self {
        Self { index: Index::new(), cursor: None, suspect: HashSet::new(), failed_batches, held: HashMap::new(), epoch }
    }

    /// Where the index stands: a ranking made here needs no update while it stays here.
    fn at(&self) -> IndexAt {
        IndexAt { epoch: self.epoch, generation: self.index.generation() }
    }
}

/// A point in the index's history: the index loaded (`epoch`) and its changes since
/// ([`Index::generation`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct IndexAt {
    epoch: u64,
    generation: u64,
}

fn lock(inner: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    // A panic while holding the lock leaves the index possibly half-updated; the
    // cursor was not advanced, so replaying the events repairs it.
    inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The pools ranked for a need's text (those that can take needs, best first, with their
/// titles), as the index stood at one point. Made before a post's write, it spares the
/// writer the search: the writer scores again only the pools changed in between
/// ([`Matcher::current`]). [`Matcher::analysed`] makes one that carries only the analysis
/// (`at` `None`).
#[derive(Clone, Debug)]
pub struct Ranking {
    pub ranked: Vec<(PoolScore, String)>,
    at: Option<IndexAt>,
    /// The text as analysed for this ranking, and the locale it was analysed for: ranking
    /// the same text again needs no second analysis.
    query: Arc<Analysed>,
    locale_hint: String,
}

impl Ranking {
    /// Whether the pools were ranked (not only the text analysed, [`Matcher::analysed`]).
    pub fn is_ranked(&self) -> bool {
        self.at.is_some()
    }

    /// The conflict keys of the text (`domain::matching::conflicts`), which a post locks.
    pub fn conflict_keys(&self) -> Vec<u32> {
        self.query.conflict_keys()
    }

    /// The text as analysed for this ranking.
    pub fn analysis(&self) -> &Analysed {
        &self.query
    }
}

/// A change a unit of work makes to what the index holds, applied at once.
pub enum IndexChange {
    /// A need posted or moved (the need as it is now, with its organisation's locale).
    Upsert(IndexedNeed),
    Remove(i64),
    /// Every need of a pool moves into another (an officer's merge).
    MovePool {
        from: i64,
        into: i64,
    },
}

/// A pool the matcher found, with its title for the response (as `need.posted` records it).
pub use crate::domain::events::SimilarPool;

/// What the matcher decided for a need.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub merge_into: Option<SimilarPool>,
    pub similar: Vec<SimilarPool>,
}

pub struct Matcher {
    inner: Arc<Mutex<Inner>>,
    /// Needs read from the database by catch-ups (after the first load): what
    /// [`Matcher::posted`] spares.
    needs_read: AtomicU64,
    thresholds: Thresholds,
    /// The states and titles of the pools ranked, kept in memory.
    states: Arc<PoolStates>,
    db: Db,
    /// Posts of this process between their ranking and the end of their write.
    posting: AtomicUsize,
}

/// Waits, without holding a database connection, until the translation dictionary the
/// matcher searches with is loaded (at start, on a thread of its own: a fraction of a second
/// in a release build, seconds in a debug build on a busy machine). A post or a search
/// that loaded it, or waited for it, inside a unit of work would hold its connection (and,
/// writing, the matching lock) meanwhile, and the other requests could find the pool empty.
pub async fn dictionary_loaded() {
    if !crate::domain::matching::dictionary_loaded() {
        let _ = tokio::task::spawn_blocking(crate::domain::matching::load_dictionary).await;
    }
}

/// How many pools a search of the list may find through the matcher.
const SEARCH_HITS: usize = 200;

/// How many ranked pools to look at before dropping those that cannot take needs.
const SEARCH_DEPTH: usize = 30;

impl Matcher {
    pub fn new(thresholds: Thresholds, db: Db) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner::empty(0, 0))),
            needs_read: AtomicU64::new(0),
            thresholds,
            states: PoolStates::new(db.change_feed()),
            db,
            posting: AtomicUsize::new(0),
        }
    }

    /// A pool read under its lock, by a write about to act on a ranking: the rankings
    /// after it take its state and title from there.
    pub fn saw(&self, pool: &Pool) {
        self.states.saw(pool.id, pool.state, &pool.title);
    }

    /// A pool the write `tx` opens (and keeps): the rankings after its commit know it open,
    /// with its title, unless it changes meanwhile (`states` explains how that is told).
    pub fn opening(&self, tx: &mut WriteTx, pool: &Pool) {
        let Some(since) = self.states.generation() else { return };
        let (states, pool_id, title) = (self.states.clone(), pool.id, pool.title.clone());
        tx.on_fate(move |committed| {
            if committed {
                states.opened(pool_id, since, title);
            }
        });
    }

    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// Applies a unit of work's changes to the index (suspect until read back from the
    /// database, see the module doc) and ranks, for each of `pools`, the other pools
    /// scoring at least the review threshold against it, leaving out those an officer
    /// dismissed with it (`(pool, dismissed)`).
    pub fn apply_and_rank(
        &self,
        changes: Vec<IndexChange>,
        pools: &[(i64, HashSet<i64>)],
    ) -> Vec<(i64, Vec<PoolScore>)> {
        let mut inner = self.inner();
        for change in changes {
            match change {
                IndexChange::Upsert(indexed) => {
                    inner.suspect.insert(indexed.0.id);
                    upsert(&mut inner.index, &indexed);
                }
                IndexChange::Remove(need_id) => {
                    inner.suspect.insert(need_id);
                    inner.index.remove(need_id);
                }
                IndexChange::MovePool { from, into } => {
                    for need_id in inner.index.needs_of_pool(from) {
                        inner.suspect.insert(need_id);
                        inner.index.move_need(need_id, into);
                    }
                }
            }
        }
        let t = self.thresholds;
        pools
            .iter()
            .map(|(pool, dismissed)| {
                let keep = |other| !dismissed.contains(&other);
                (*pool, inner.index.pool_candidates_where(*pool, |across| t.review_for(across), keep))
            })
            .collect()
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    /// Ranks the pools that may take `text` and applies the decision rule. A caller that
    /// acts on the outcome holds the matching lock ([`WriteTx::lock_matching`]).
    ///
    /// [`WriteTx::lock_matching`]: crate::db::WriteTx::lock_matching
    pub fn decide(&self, tx: &mut Tx, text: &NeedText) -> ApiResult<Outcome> {
        let ranking = self.rank(tx, text)?;
        Ok(self.decide_ranked(&ranking))
    }

    /// The ranking to act on in a write transaction that holds the matching lock (or a
    /// post's conflict keys): the one `prepared` before, brought up to date with what
    /// changed since ([`Index::rescore`]: the pools changed are scored again, the others
    /// keep their score and title), or a new one if the changes are not known pool by pool.
    /// Without `prepared`, a new ranking ([`Self::rank`]).
    pub fn current(&self, tx: &mut Tx, text: &NeedText, prepared: Option<Ranking>) -> ApiResult<Ranking> {
        // A ranking for another locale analysed the text otherwise: it cannot be reused.
        let prepared = prepared.filter(|ranking| ranking.locale_hint == text.locale_hint);
        let query = prepared.as_ref().map_or_else(|| Arc::new(analyse(text)), |ranking| ranking.query.clone());
        self.catch_up(tx)?;
        let (ranked, at, known) = {
            let inner = self.inner();
            let at = inner.at();
            let rescored = prepared.as_ref().and_then(|ranking| {
                let then = ranking.at.filter(|then| then.epoch == at.epoch)?;
                let scores: Vec<PoolScore> = ranking.ranked.iter().map(|(score, _)| *score).collect();
                inner.index.rescore(&query, &scores, then.generation, SEARCH_DEPTH)
            });
            match rescored {
                Some(ranked) => {
                    let known: HashMap<i64, String> = prepared
                        .map(|r| r.ranked.into_iter().map(|(s, title)| (s.pool_id, title)).collect())
                        .unwrap_or_default();
                    (ranked, at, known)
                }
                None => (inner.index.search_analysed(&query, SEARCH_DEPTH), at, HashMap::new()),
            }
        };
        self.of_living_pools(tx, ranked, at, query, text, known)
    }

    /// The decision rule applied to a ranking.
    pub fn decide_ranked(&self, ranking: &Ranking) -> Outcome {
        let ranked = &ranking.ranked;
        let Decision { merge_into, similar } =
            decide(&ranked.iter().map(|(s, _)| *s).collect::<Vec<_>>(), &self.thresholds);
        let titled = |score: &PoolScore| SimilarPool {
            pool_id: score.pool_id,
            title: ranked.iter().find(|(s, _)| s.pool_id == score.pool_id).map(|(_, t)| t.clone()).unwrap_or_default(),
            score: (score.score * 1000.0).round() / 1000.0,
        };
        Outcome {
            merge_into: merge_into.and_then(|id| ranked.iter().find(|(s, _)| s.pool_id == id)).map(|(s, _)| titled(s)),
            similar: similar.iter().map(titled).collect(),
        }
    }

    /// Why each pair of pools was proposed: the words that matched, as the scoring counted
    /// them (`Index::explain_pair`); `None` when either pool has no indexed need. One
    /// catch-up for a whole page of pairs.
    pub fn explain(&self, tx: &mut Tx, pairs: &[(i64, i64)]) -> ApiResult<Vec<Option<Explanation>>> {
        self.catch_up(tx)?;
        let inner = self.inner();
        Ok(pairs.iter().map(|&(a, b)| inner.index.explain_pair(a, b)).collect())
    }

    /// Pools similar to `text` that can still take needs, best first, with their titles.
    /// The text is analysed before the index's lock is taken: analysing 10 000 characters
    /// must not hold up the other requests that need the index.
    pub fn rank(&self, tx: &mut Tx, text: &NeedText) -> ApiResult<Ranking> {
        self.current(tx, text, None)
    }

    /// [`Self::rank`] on the index as it is, without catching up first: a ranking that
    /// [`Self::current`] brings up to date before anything acts on it (a post ranking in its
    /// write transaction, before its locks) needs no read of its own. An index not loaded
    /// yet is loaded first: loaded later, in a post's transaction, it would read the post's
    /// own need, written ahead of its locks (`service::needs::post`), as a pool to join.
    pub fn rank_as_is(&self, tx: &mut Tx, text: &NeedText) -> ApiResult<Ranking> {
        if self.inner().cursor.is_none() {
            self.catch_up(tx)?;
        }
        let query = Arc::new(analyse(text));
        let (ranked, at) = {
            let inner = self.inner();
            (inner.index.search_analysed(&query, SEARCH_DEPTH), inner.at())
        };
        self.of_living_pools(tx, ranked, at, query, text, HashMap::new())
    }

    /// A post's text analysed, not ranked: what a post prepares while others are posting,
    /// whose writes will have moved the index by the time it writes.
    pub fn analysed(&self, text: &NeedText) -> Ranking {
        Ranking {
            ranked: Vec::new(),
            at: None,
            query: Arc::new(analyse(text)),
            locale_hint: text.locale_hint.to_owned(),
        }
    }

    /// Counts a post from before its ranking until its write is over
    /// ([`Posting::rank_beforehand`]); the count ends when the guard is dropped.
    pub fn posting(&self) -> Posting<'_> {
        Posting::begin(&self.posting, self.db.writes_in_parallel())
    }

    /// The ranking of the pools found that can take needs, with their titles.
    /// `known`: pools a ranking made earlier found living, with their titles (read again
    /// only if they end: the write that acts on the ranking locks the pool it joins).
    fn of_living_pools(
        &self,
        tx: &mut Tx,
        ranked: Vec<PoolScore>,
        at: IndexAt,
        query: Arc<Analysed>,
        text: &NeedText,
        mut known: HashMap<i64, String>,
    ) -> ApiResult<Ranking> {
        let unknown: Vec<i64> = ranked.iter().map(|s| s.pool_id).filter(|id| !known.contains_key(id)).collect();
        if !unknown.is_empty() {
            let living = self.states.of(tx, &unknown)?.into_iter().filter(|(_, state, _)| state.is_matchable());
            known.extend(living.map(|(id, _, title)| (id, title)));
        }
        let ranked = ranked.into_iter().filter_map(|score| Some((score, known.get(&score.pool_id)?.clone()))).collect();
        Ok(Ranking { ranked, at: Some(at), query, locale_hint: text.locale_hint.to_owned() })
    }

    /// Pools close to a need not yet posted, best first, at most 10: the pool it would
    /// join comes first, then the suggestions.
    pub fn similar(&self, tx: &mut Tx, text: &NeedText) -> ApiResult<Vec<SimilarPool>> {
        let outcome = self.decide(tx, text)?;
        Ok(outcome.merge_into.into_iter().chain(outcome.similar).take(10).collect())
    }

    /// The pools whose needs share the words of a search as the matcher reads them (accents
    /// and case aside, stemmed, and across the four languages through its dictionary),
    /// best first: those scoring at least half the best. Pools of every state are kept.
    pub fn search_words(&self, tx: &mut Tx, words: &str, locale_hint: &str) -> ApiResult<Vec<i64>> {
        if words.trim().is_empty() {
            return Ok(Vec::new());
        }
        // A word or two rarely shows its language: they are read in the person's language
        // first, then in the platform's others, and each pool keeps its best score.
        let hints = std::iter::once(locale_hint)
            .chain(crate::domain::kinds::Locale::ALL.iter().map(|l| l.as_str()).filter(|l| *l != locale_hint));
        let analysed: Vec<Analysed> =
            hints.map(|hint| analyse(&NeedText { title: words, description: "", locale_hint: hint })).collect();
        let mut best_of: HashMap<i64, f64> = HashMap::new();
        {
            let mut inner = self.inner();
            self.catch_up_locked(tx, &mut inner)?;
            for query in &analysed {
                for found in inner.index.search_analysed(query, SEARCH_HITS) {
                    let score = best_of.entry(found.pool_id).or_insert(0.0);
                    *score = score.max(found.score);
                }
            }
        }
        let best = best_of.values().copied().fold(0.0, f64::max);
        let mut found: Vec<(i64, f64)> =
            best_of.into_iter().filter(|(_, score)| *score > 0.0 && *score >= best * 0.5).collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(found.into_iter().map(|(id, _)| id).collect())
    }

    /// Pools whose state and title rankings read from the database since the start (the
    /// others were known in memory).
    pub fn pool_states_read(&self) -> u64 {
        self.states.read()
    }

    /// Needs indexed, for metrics and tests.
    pub fn indexed_needs(&self) -> usize {
        self.inner().index.len()
    }
}
