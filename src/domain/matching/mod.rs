//! Need matching: decides whether a newly posted need is the *same need* as
//! an existing pool (merge) or only close to some pools (suggestions).
//!
//! Overview:
//! - [`text`]: folding and tokenisation; [`lang`]: per-need language
//!   detection (stop-word counts, `locale_hint` as fallback), stop words,
//!   Snowball stemming for French, Dutch, German (and English);
//! - [`lexicon`]: Belgian acronyms (CPAS/OCMW/ÖSHZ, SAC/GAS, RGPD/AVG/DSGVO…)
//!   and generic admin/IT vocabulary mapped across languages, compound heads,
//!   background frequencies of generic words;
//! - [`analyze`]: the pipeline from text to terms;
//! - [`score`] and [`Index`]: cosine of IDF-weighted term vectors over an
//!   inverted index, best need per pool;
//! - [`decide`]: the two-threshold rule.
//!
//! A wrong merge sends one authority's money to another's project, so the
//! merge threshold is set well above the scores of distinct-but-close needs
//! seen in measurement, and a merge also needs a clear margin over the
//! runner-up pool.

pub mod analyze;
mod fuzzy;
mod fxhash;
mod index;
pub mod lang;
mod lexicon;
mod lexicon_abbr;
mod lexicon_vocab;
mod score;
mod search;
#[cfg(test)]
mod tests;
mod text;

pub use index::Index;

/// The text of a need as posted.
#[derive(Debug, Clone, Copy)]
pub struct NeedText<'a> {
    /// Short title.
    pub title: &'a str,
    /// Free-text description.
    pub description: &'a str,
    /// CPV code such as "48000000-8", if the author gave one.
    pub cpv_code: Option<&'a str>,
    /// Locale of the posting organisation ("fr", "nl", "de", "en"); used only
    /// when the text itself does not show its language.
    pub locale_hint: &'a str,
}

/// A pool and its similarity to a need.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolScore {
    /// Pool identifier.
    pub pool_id: i64,
    /// Similarity in [0, 1].
    pub score: f64,
}

/// Thresholds of the decision rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// Minimum best score to merge.
    pub merge: f64,
    /// Minimum lead of the best pool over the second to merge.
    pub margin: f64,
    /// Minimum score to be suggested as similar.
    pub suggest: f64,
}

impl Default for Thresholds {
    /// Chosen by replaying the dev set in 10 shuffled orders
    /// (`examples/eval.rs`, which applies the same rule with
    /// leave-clusters-out and reports it):
    /// - `merge` 0.41: no order shows a false merge at 0.40 or above, the
    ///   highest threshold with one is 0.39 (two needs about rental: "permis
    ///   de location" vs "gestion locative"); 0.41 keeps 0.02 of safety and
    ///   merges about half of the same-need pairs;
    /// - `margin` 0.025: the largest margin costing under 0.01 of recall; it
    ///   only refuses near-ties between two pools;
    /// - `suggest` 0.11: half the highest value that still shows the right
    ///   pool among the top 5 suggestions for 98 % of the needs.
    ///
    /// Scores are cosines, so these numbers depend on the analysis and the
    /// weighting: re-run the eval after changing either.
    fn default() -> Self {
        Thresholds { merge: 0.41, margin: 0.025, suggest: 0.11 }
    }
}

/// Outcome of matching one need.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// Pool to join, if the need is clearly the same as that pool's.
    pub merge_into: Option<i64>,
    /// Other pools worth showing, best first, at most 10, never `merge_into`.
    pub similar: Vec<PoolScore>,
}

/// Most suggestions returned.
pub const MAX_SIMILAR: usize = 10;

/// Two-threshold rule: merge only when best >= `merge` AND best - second >=
/// `margin`; suggest the others with score >= `suggest`.
///
/// Works on any slice: it is re-sorted, NaN scores are dropped, scores are
/// clamped to [0, 1] and a pool listed twice counts once with its best score.
pub fn decide(ranked: &[PoolScore], t: &Thresholds) -> Decision {
    let mut v: Vec<PoolScore> = Vec::with_capacity(ranked.len());
    for p in ranked.iter().filter(|p| !p.score.is_nan()) {
        let score = p.score.clamp(0.0, 1.0);
        match v.iter_mut().find(|q| q.pool_id == p.pool_id) {
            Some(q) => q.score = q.score.max(score),
            None => v.push(PoolScore { pool_id: p.pool_id, score }),
        }
    }
    v.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.pool_id.cmp(&b.pool_id)));
    let merge_into = match v.first() {
        Some(best) => {
            let second = v.get(1).map_or(0.0, |p| p.score);
            (best.score >= t.merge && best.score - second >= t.margin).then_some(best.pool_id)
        }
        None => None,
    };
    let similar =
        v.into_iter().filter(|p| Some(p.pool_id) != merge_into && p.score >= t.suggest).take(MAX_SIMILAR).collect();
    Decision { merge_into, similar }
}
