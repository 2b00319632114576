//! Matching needs into pools: the first matcher.
//!
//! A need is the same as another when their words are the same after normalisation: case,
//! accents, punctuation, word order and French stop words do not count. Anything sharing
//! words is suggested, ranked by the Jaccard similarity of the word sets. The interface
//! ([`Index`], [`decide`]) is the one the service depends on.

use std::collections::{BTreeSet, HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

/// The text of a need, as posted.
pub struct NeedText<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub cpv_code: Option<&'a str>,
    /// The posting organisation's locale (`fr`, `nl`, `de`, `en`).
    pub locale_hint: &'a str,
}

/// How close a pool is to a need, in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolScore {
    pub pool_id: i64,
    pub score: f64,
}

/// The two thresholds of the decision rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// A need joins the best pool only at or above this score…
    pub merge: f64,
    /// …and only when the best is at least this far ahead of the second best.
    pub margin: f64,
    /// Pools at or above this score are suggested.
    pub suggest: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self { merge: 0.999, margin: 0.0, suggest: 0.2 }
    }
}

/// What to do with a new need.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub merge_into: Option<i64>,
    /// Best first, at most 10, never the pool merged into.
    pub similar: Vec<PoolScore>,
}

const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "et", "l", "la", "le", "les", "leur",
    "leurs", "notre", "nos", "par", "pour", "sur", "un", "une", "d", "qui", "que", "est", "sont", "se", "sa", "son",
    "ses", "ou", "nous",
];

/// The set of meaningful words of a text.
fn words(text: &str) -> BTreeSet<String> {
    let folded: String = text.nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect();
    folded
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(str::to_owned)
        .collect()
}

struct Entry {
    pool_id: i64,
    words: BTreeSet<String>,
}

/// An in-memory inverted index of the needs of matchable pools.
#[derive(Default)]
pub struct Index {
    needs: HashMap<i64, Entry>,
    postings: HashMap<String, HashSet<i64>>,
}

impl Index {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn upsert(&mut self, need_id: i64, pool_id: i64, text: &NeedText) {
        self.remove(need_id);
        let mut all = words(text.title);
        all.extend(words(text.description));
        for word in &all {
            self.postings.entry(word.clone()).or_default().insert(need_id);
        }
        self.needs.insert(need_id, Entry { pool_id, words: all });
    }

    pub fn move_need(&mut self, need_id: i64, pool_id: i64) {
        if let Some(entry) = self.needs.get_mut(&need_id) {
            entry.pool_id = pool_id;
        }
    }

    pub fn remove(&mut self, need_id: i64) {
        if let Some(entry) = self.needs.remove(&need_id) {
            for word in entry.words {
                if let Some(ids) = self.postings.get_mut(&word) {
                    ids.remove(&need_id);
                    if ids.is_empty() {
                        self.postings.remove(&word);
                    }
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.needs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.needs.is_empty()
    }

    /// Pools ranked by the best Jaccard similarity of one of their needs.
    pub fn search(&self, text: &NeedText, limit: usize) -> Vec<PoolScore> {
        let mut query = words(text.title);
        query.extend(words(text.description));
        let candidates: HashSet<i64> = query.iter().filter_map(|w| self.postings.get(w)).flatten().copied().collect();
        let mut best: HashMap<i64, f64> = HashMap::new();
        for need_id in candidates {
            let Some(entry) = self.needs.get(&need_id) else { continue };
            let shared = entry.words.intersection(&query).count() as f64;
            let union = entry.words.union(&query).count() as f64;
            let score = if union == 0.0 { 0.0 } else { shared / union };
            let slot = best.entry(entry.pool_id).or_insert(0.0);
            *slot = slot.max(score);
        }
        let mut ranked: Vec<PoolScore> =
            best.into_iter().map(|(pool_id, score)| PoolScore { pool_id, score }).collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.pool_id.cmp(&b.pool_id)));
        ranked.truncate(limit);
        ranked
    }
}

/// Merge into the best pool when it is strong enough and clearly ahead; suggest the rest.
pub fn decide(ranked: &[PoolScore], t: &Thresholds) -> Decision {
    let best = ranked.first().copied();
    let second = ranked.get(1).map_or(0.0, |s| s.score);
    let merge_into = best.filter(|b| b.score >= t.merge && b.score - second >= t.margin).map(|b| b.pool_id);
    let similar =
        ranked.iter().filter(|s| Some(s.pool_id) != merge_into && s.score >= t.suggest).take(10).copied().collect();
    Decision { merge_into, similar }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<'a>(title: &'a str, description: &'a str) -> NeedText<'a> {
        NeedText { title, description, cpv_code: None, locale_hint: "fr" }
    }

    #[test]
    fn same_words_in_another_order_case_and_accents_merge() {
        let mut index = Index::new();
        index.upsert(1, 10, &text("Gestion du cimetière communal", "Registre des concessions."));
        let ranked = index.search(&text("CIMETIERE COMMUNAL : GESTION", "registre des concessions"), 10);
        assert_eq!(decide(&ranked, &Thresholds::default()).merge_into, Some(10));
        let other = index.search(&text("Gestion du parc automobile", "Registre des véhicules"), 10);
        let decision = decide(&other, &Thresholds::default());
        assert_eq!(decision.merge_into, None);
        assert_eq!(decision.similar.first().map(|s| s.pool_id), Some(10));
    }
}
