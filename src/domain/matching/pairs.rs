//! Pool-to-pool scores: the duplicate candidates an officer reviews (SPEC §9).
//!
//! The score of two pools A and B is the best score either gets when the
//! other's needs are posted again as queries:
//!
//! `pair(A, B) = max( max_{a ∈ A} S_B(a), max_{b ∈ B} S_A(b) )`
//!
//! where `S_P(q)` is the score [`Index::search`] gives pool P for need q (its
//! best need or its centroid). It is symmetric by construction, and on the
//! scale of the merge, review and suggest thresholds: two pools whose needs
//! would have merged on posting score at least the merge threshold. Merging
//! two pools gives the survivor both vocabularies, so its pairs and the
//! searches of later needs see both.
//!
//! Cost per call is bounded whatever the index size: at most
//! [`PAIR_QUERY_NEEDS`] bounded searches, then the reverse direction for at
//! most [`PAIR_REVERSE_POOLS`] pools of at most [`PAIR_QUERY_NEEDS`] needs.

use super::PoolScore;
use super::fxhash::FxMap;
use super::index::Index;
use std::collections::HashSet;

/// Needs of a pool used as queries (the first ones posted): bounds the cost
/// for pools that merged many needs, whose needs are alike anyway.
pub const PAIR_QUERY_NEEDS: usize = 16;
/// Pools ranked per query need.
const PAIR_SEARCH_DEPTH: usize = 20;
/// Pools whose reverse direction is computed (the best found forward): the
/// most candidates one call returns.
pub const PAIR_REVERSE_POOLS: usize = 30;
/// The likely duplicates kept of one ranking (of a pool's candidates, or of a need's
/// post), the best ones: as many as the similar pools a post suggests
/// ([`super::MAX_SIMILAR`]). The officer reviews every pair of a pool before approving
/// it, and a same need is among the first few when it is there at all; needs written
/// from a small common vocabulary would otherwise bring dozens of weak pairs each.
pub const PAIRS_KEPT: usize = super::MAX_SIMILAR;

/// The likely duplicates among `scored`: those at or above their review threshold
/// (`threshold(across)`, [`PoolScore::across`]), best first, at most [`PAIRS_KEPT`].
/// The one rule for the pairs a pool's candidates and a post record.
pub fn likely_duplicates(
    scored: impl IntoIterator<Item = PoolScore>,
    threshold: impl Fn(bool) -> f64,
) -> Vec<PoolScore> {
    let mut kept: Vec<PoolScore> = scored.into_iter().filter(|p| p.score >= threshold(p.across)).collect();
    sort(&mut kept);
    kept.truncate(PAIRS_KEPT);
    kept
}

impl Index {
    /// Pools other than `pool_id` scoring at least `threshold` against it
    /// (see the module doc for the score), best first, at most
    /// [`PAIRS_KEPT`] ([`likely_duplicates`]). Empty for an unknown pool.
    pub fn pool_candidates(&self, pool_id: i64, threshold: f64) -> Vec<PoolScore> {
        self.pool_candidates_where(pool_id, |_| threshold, |_| true)
    }

    /// [`Index::pool_candidates`] among the pools `keep` accepts, e.g. those
    /// not dismissed with `pool_id` (`|other| !dismissed.contains(pool_id,
    /// other)`), each kept when its score reaches `threshold(across)`: the
    /// threshold for a pair scored within one language or across
    /// ([`PoolScore::across`], e.g. [`super::Thresholds::review_for`]).
    /// Pools refused never take the place of accepted ones.
    pub fn pool_candidates_where(
        &self,
        pool_id: i64,
        threshold: impl Fn(bool) -> f64,
        keep: impl Fn(i64) -> bool,
    ) -> Vec<PoolScore> {
        let Some(members) = self.pools.get(&pool_id) else { return Vec::new() };
        let accept = |p: i64| p != pool_id && keep(p);
        let mut best: FxMap<i64, PoolScore> = FxMap::default();
        for &slot in members.iter().take(PAIR_QUERY_NEEDS) {
            let Some(query) = self.query_of_doc(slot) else { continue };
            for p in self.search_query(&query, PAIR_SEARCH_DEPTH, &accept) {
                keep_better(best.entry(p.pool_id).or_insert(p), p);
            }
        }
        let mut ranked: Vec<PoolScore> = best.into_values().collect();
        sort(&mut ranked);
        ranked.truncate(PAIR_REVERSE_POOLS);
        for other in &mut ranked {
            let reverse = self
                .pools
                .get(&other.pool_id)
                .into_iter()
                .flatten()
                .take(PAIR_QUERY_NEEDS)
                .filter_map(|&slot| self.query_of_doc(slot))
                .filter_map(|q| self.score_in_pool(&q, pool_id));
            for r in reverse {
                keep_better(other, PoolScore { pool_id: other.pool_id, ..r });
            }
        }
        likely_duplicates(ranked, threshold)
    }
}

/// The better of two scores of one pair: its score and language flag, and
/// grounded when either is.
fn keep_better(e: &mut PoolScore, p: PoolScore) {
    if p.score > e.score {
        (e.score, e.across) = (p.score, p.across);
    }
    e.unaided = e.unaided.max(p.unaided);
    e.grounded |= p.grounded;
}

fn sort(v: &mut [PoolScore]) {
    v.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.pool_id.cmp(&b.pool_id)));
}

/// A set of unordered pairs of pools, such as the pairs an officer dismissed:
/// `(a, b)` and `(b, a)` are the same pair.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolPairs(HashSet<(i64, i64)>);

impl PoolPairs {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The pair in canonical order (smaller id first).
    pub fn key(a: i64, b: i64) -> (i64, i64) {
        (a.min(b), a.max(b))
    }

    /// Add the pair; false if it was there already.
    pub fn insert(&mut self, a: i64, b: i64) -> bool {
        self.0.insert(Self::key(a, b))
    }

    /// True when the pair is in the set, in either order.
    pub fn contains(&self, a: i64, b: i64) -> bool {
        self.0.contains(&Self::key(a, b))
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there is no pair.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
