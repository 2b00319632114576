//! Term weighting and score shaping.
//!
//! A need is a vector of terms weighted by field (title counts more: it is
//! the author's own summary) with log-saturated term frequency, times a
//! smoothed IDF. Similarity is the cosine, so it lies in [0, 1], is symmetric
//! and comparable across pools whatever the lengths of the texts.

use super::analyze::Analysed;
use std::collections::BTreeMap;

/// Weight of a title occurrence relative to a description occurrence.
pub(crate) const TITLE_WEIGHT: f64 = 1.5;
/// Weight of a description occurrence.
pub(crate) const DESC_WEIGHT: f64 = 1.0;
/// Pseudo-documents of background knowledge mixed into document frequencies:
/// with an empty or tiny index the IDF comes from the lexicon priors (generic
/// words weigh little), and the real counts take over as the index grows.
pub(crate) const PSEUDO_DOCS: f64 = 40.0;

/// Smoothed IDF: `ln(1 + (N + N0) / (df + N0·prior + 0.5))`, always > 0.
pub(crate) fn idf(n_docs: usize, df: usize, prior: f64) -> f64 {
    ((n_docs as f64 + PSEUDO_DOCS) / (df as f64 + PSEUDO_DOCS * prior + 0.5)).ln_1p()
}

/// Log-saturated term frequency; below one occurrence (compound parts) it
/// stays proportional.
fn saturate(tf: f64) -> f64 {
    if tf <= 1.0 { tf.max(0.0) } else { 1.0 + tf.ln() }
}

/// Term → field-weighted, saturated term frequency (before IDF), sorted.
pub(crate) fn term_weights(a: &Analysed) -> Vec<(String, f64)> {
    let mut tf: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (t, w) in &a.title {
        tf.entry(t).or_default().0 += f64::from(*w);
    }
    for (t, w) in &a.desc {
        tf.entry(t).or_default().1 += f64::from(*w);
    }
    tf.into_iter()
        .map(|(t, (ti, de))| (t.to_string(), TITLE_WEIGHT * saturate(ti) + DESC_WEIGHT * saturate(de)))
        .collect()
}

/// What remains of a cosine when neither need's title is found in the other.
pub(crate) const UNRELATED_TITLES: f64 = 0.4;

/// Factor applied to a need-to-need cosine given the title coverage in
/// [0, 1] (see `Index::title_coverage`): a title is its author's summary of
/// the need, and two needs whose summaries are absent from each other share
/// only context (a police zone, a waiting list, a museum), not their object.
pub(crate) fn title_factor(coverage: f64) -> f64 {
    UNRELATED_TITLES + (1.0 - UNRELATED_TITLES) * coverage.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_is_positive_and_decreasing() {
        assert!(idf(0, 0, 0.01) > idf(0, 0, 0.25));
        assert!(idf(100, 1, 0.01) > idf(100, 50, 0.01));
        assert!(idf(100, 100, 0.25) > 0.0);
    }
}
