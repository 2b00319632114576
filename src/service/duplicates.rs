//! The duplicate review (SPEC section 9): pairs of pools the matcher scores at or above
//! `MUTUA_MATCH_REVIEW` that an officer looks at before money is committed, merges or
//! dismisses.
//!
//! The pairs are stored, and kept current by the units of work that change what the matcher
//! indexes (a need posted, moved or withdrawn, pools merged): each one re-ranks the pools it
//! changed against the others ([`refresh`]), a bounded cost whatever the number of pools.
//! Stored in the database, the list is the same for every process sharing it. Whether a
//! pair is listed also depends on the two pools' states, read when listing
//! ([`PoolState::reviewable_pair`]). A dismissed pair is never stored again; when a pool is
//! merged into another, what was dismissed for it holds for the survivor.

use std::collections::{BTreeSet, HashMap};

use super::{
    matcher::{IndexChange, Matcher, Ranking},
    pool_view,
};
use crate::{
    auth::Officer,
    db::{
        self, Tx, WriteTx,
        models::{
            duplicate::{self, Candidate},
            event,
            need::Need,
            pool,
        },
    },
    domain::{
        events::{DomainEvent, DuplicateDismissed},
        matching::{PoolScore, likely_duplicates},
        money::Cents,
        pool_state::PoolState,
    },
    error::{ApiError, ApiResult},
};

/// Applies a unit of work's changes to the matcher's index and stores the candidate pairs of
/// `pools` (those whose needs changed) as they are now.
pub fn refresh(tx: &mut WriteTx, matcher: &Matcher, changes: Vec<IndexChange>, pools: &[i64]) -> ApiResult<()> {
    let mut with_dismissed = Vec::with_capacity(pools.len());
    for &pool_id in pools {
        with_dismissed.push((pool_id, duplicate::dismissed_with(tx, pool_id)?));
    }
    let ranked = matcher.apply_and_rank(changes, &with_dismissed);
    let now = db::now();
    for (pool_id, found) in ranked {
        duplicate::replace_for_pool(tx, pool_id, &stored_scores(&found), now)?;
    }
    Ok(())
}

/// After a need was posted into `pool_id`: the pools its text ranked as likely duplicates
/// (`ranking`, the ranking the post was decided on; [`likely_duplicates`]: at or above the
/// review threshold of their languages, the best few) become candidates of that pool,
/// unless dismissed with it; the post records them with its events
/// ([`event::record_all_raising`]). Adding a need only adds to what a pool says, so its
/// other pairs stand; the pair score is the best either way, so a pair already scored
/// higher keeps its score, and so does one another post recorded at the same moment. No
/// search beyond the post's own. A pool the post `opened` has no dismissals yet: none is
/// read.
pub fn posted(
    tx: &mut WriteTx,
    matcher: &Matcher,
    pool_id: i64,
    opened: bool,
    ranking: &Ranking,
) -> ApiResult<duplicate::Pairs> {
    let t = *matcher.thresholds();
    let others = || ranking.ranked.iter().map(|(s, _)| *s).filter(|s| s.pool_id != pool_id);
    let mut close = likely_duplicates(others(), |across| t.review_for(across));
    if !close.is_empty() && !opened {
        let dismissed = duplicate::dismissed_with(tx, pool_id)?;
        close = likely_duplicates(others().filter(|s| !dismissed.contains(&s.pool_id)), |across| t.review_for(across));
    }
    Ok(duplicate::Pairs::of(pool_id, &stored_scores(&close)))
}

/// The other pool and the pair's score as stored: three decimals, as scores are shown
/// everywhere else.
fn stored_scores(found: &[PoolScore]) -> Vec<(i64, f64)> {
    found.iter().map(|s| (s.pool_id, (s.score * 1000.0).round() / 1000.0)).collect()
}

/// A pool as the review shows it.
#[derive(Clone, Debug)]
pub struct PoolSummary {
    pub id: i64,
    pub title: String,
    pub state: PoolState,
    pub needs_count: i64,
    pub pledged_cents: Cents,
    /// The organisations taking part (a need or a pledge), by name.
    pub organisations: Vec<String>,
    /// Its active needs, each with its organisation's name, for the officer to compare.
    pub needs: Vec<(Need, String)>,
}

/// A candidate pair, its two pools side by side.
#[derive(Clone, Debug)]
pub struct Pair {
    pub pools: [PoolSummary; 2],
    pub score: f64,
}

/// The candidate pairs an officer has to review, best score first: a page, and how many
/// there are.
pub fn list(tx: &mut Tx, _: &Officer, limit: i64, offset: i64) -> ApiResult<(Vec<Pair>, i64)> {
    let candidates = reviewable(tx, None)?;
    let total = i64::try_from(candidates.len()).unwrap_or(i64::MAX);
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(0);
    let page: Vec<Candidate> = candidates.into_iter().skip(skip).take(take).collect();
    let mut summaries: HashMap<i64, PoolSummary> = HashMap::new();
    for id in page.iter().flat_map(|c| [c.pool_low, c.pool_high]).collect::<BTreeSet<_>>() {
        summaries.insert(id, summary(tx, id)?);
    }
    let pair = |c: &Candidate| -> Option<Pair> {
        Some(Pair {
            pools: [summaries.get(&c.pool_low)?.clone(), summaries.get(&c.pool_high)?.clone()],
            score: c.score,
        })
    };
    Ok((page.iter().filter_map(pair).collect(), total))
}

/// The pools still to be reviewed against `pool_id` (what blocks its approval), best first.
pub fn unreviewed_of(tx: &mut Tx, pool_id: i64) -> ApiResult<Vec<i64>> {
    Ok(reviewable(tx, Some(pool_id))?.iter().map(|c| c.other(pool_id)).collect())
}

/// Stored pairs (of one pool, or all) whose pools are both in states the review covers.
fn reviewable(tx: &mut Tx, pool_id: Option<i64>) -> ApiResult<Vec<Candidate>> {
    let candidates = duplicate::list(tx, pool_id)?;
    let ids: Vec<i64> =
        candidates.iter().flat_map(|c| [c.pool_low, c.pool_high]).collect::<BTreeSet<_>>().into_iter().collect();
    let states: HashMap<i64, PoolState> = pool::states(tx, &ids)?.into_iter().map(|(id, s, _)| (id, s)).collect();
    Ok(candidates
        .into_iter()
        .filter(|c| match (states.get(&c.pool_low), states.get(&c.pool_high)) {
            (Some(a), Some(b)) => a.reviewable_pair(*b),
            _ => false,
        })
        .collect())
}

fn summary(tx: &mut Tx, pool_id: i64) -> ApiResult<PoolSummary> {
    let view = pool_view::load(tx, pool_id)?;
    let needs = super::pools::needs_named(tx, &view)?;
    Ok(PoolSummary {
        needs,
        id: view.pool.id,
        title: view.pool.title.clone(),
        state: view.pool.state,
        needs_count: view.needs_count,
        pledged_cents: view.pool.pledged_cents,
        organisations: view.participants.into_iter().map(|p| p.name).collect(),
    })
}

/// Records that an officer judged two pools different: the pair is never proposed again,
/// and an event `pool.duplicate_dismissed` goes on both pools. Dismissing a pair again
/// changes nothing. 404 for an unknown pool; 422 for a pool with itself.
pub fn dismiss(tx: &mut WriteTx, actor: &Officer, a: i64, b: i64, reason: Option<String>) -> ApiResult<()> {
    if a == b {
        return Err(ApiError::invalid("pool_ids", "two different pools"));
    }
    // Its event teaches the matcher (`service::matcher`): recorded under the matching lock,
    // like every event the index replays, so that none is skipped.
    tx.lock_matching()?;
    // In id order, like a merge, so that a dismissal and a merge of the same pair queue.
    let (low, high) = duplicate::key(a, b);
    pool::lock(tx, low)?;
    pool::lock(tx, high)?;
    if !duplicate::dismiss(tx, low, high, reason.as_deref(), actor.id, db::now())? {
        return Ok(());
    }
    duplicate::delete_pair(tx, low, high)?;
    for (pool_id, other) in [(low, high), (high, low)] {
        let dismissed = DuplicateDismissed { pool_ids: [low, high], other_pool_id: other, reason: reason.clone() };
        event::record(tx, Some(pool_id), &DomainEvent::PoolDuplicateDismissed(dismissed), Some(actor.id))?;
    }
    tracing::info!(pool_low = low, pool_high = high, by = actor.id, "duplicate candidate dismissed");
    Ok(())
}

/// After `from` was merged into `into` (its needs moved): `from` has no pairs any more, what
/// was dismissed for it holds for `into`, and `into`'s pairs are ranked again with both
/// pools' needs.
pub fn merged(tx: &mut WriteTx, matcher: &Matcher, actor: i64, from: i64, into: i64) -> ApiResult<()> {
    duplicate::delete_for_pool(tx, from)?;
    duplicate::carry_dismissals(tx, from, into, actor, db::now())?;
    refresh(tx, matcher, vec![IndexChange::MovePool { from, into }], &[into])
}

/// A pool that ended (rejected, cancelled, expired, merged) is never reviewed again.
pub fn ended(tx: &mut WriteTx, pool_id: i64) -> ApiResult<()> {
    duplicate::delete_for_pool(tx, pool_id)?;
    Ok(())
}
