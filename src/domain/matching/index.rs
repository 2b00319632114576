//! In-memory inverted index of analysed needs: the data and its upkeep
//! (upsert, move, remove). Searching is in `search.rs`.
//!
//! Each term has a posting list (needs containing it, with tf / norm) and a
//! title posting list (needs having it in their title). `search` reads them
//! rarest term first and stops after a fixed budget of postings, so its cost
//! is bounded whatever the index size: the most common terms could only
//! bring in candidates that share nothing informative with the query. Exact
//! scores are then computed for the best few hundred candidates only.
//!
//! Memory: about 0.8 KB per need (term vector, two posting entries per term,
//! pool membership) plus the vocabulary and its typo variants.

use super::NeedText;
use super::analyze::{Analysed, analyse};
use super::desk::{Lessons, Verdict};
use super::fuzzy::Fuzzy;
use super::fxhash::FxMap;
use super::journal::Journal;
use super::lexicon::lexicon;
use super::score::{idf, term_weights};
use super::translations::translations;
use crate::domain::kinds::Locale;

#[derive(Clone)]
pub(super) struct Term {
    /// (document slot, field-weighted tf / insertion-time norm) of the needs
    /// containing the term.
    pub(super) postings: Vec<(u32, f32)>,
    /// The same for the needs having the term in their title (a subset):
    /// short lists that find same-titled needs even when every word is common.
    pub(super) title_postings: Vec<(u32, f32)>,
    /// Background document-frequency fraction (lexicon prior).
    prior: f64,
    /// The term itself, to find its approximate neighbours when an indexed
    /// need is used as a query (pool-to-pool scores).
    pub(super) name: Box<str>,
    /// Vocabulary terms that translate this one, with their similarity
    /// (`super::translations`), linked both ways when the later one is added.
    pub(super) translated: Vec<(u32, f64)>,
    /// Names a specific object (`query::is_specific`).
    pub(super) specific: bool,
}

#[derive(Clone)]
pub(super) struct Doc {
    pub(super) need_id: i64,
    pub(super) pool_id: i64,
    /// (term, field-weighted tf), sorted by term id.
    pub(super) terms: Vec<(u32, f32)>,
    /// Terms of the title, sorted, deduplicated.
    pub(super) title: Vec<u32>,
    /// Language the need was analysed in: dictionary translations only
    /// relate needs written in different languages.
    pub(super) lang: Locale,
}

/// In-memory inverted index of analysed needs, grouped by pool (cloned by
/// the evaluation to review one replay at several thresholds).
#[derive(Clone, Default)]
pub struct Index {
    pub(super) term_ids: FxMap<String, u32>,
    pub(super) terms: Vec<Term>,
    pub(super) docs: Vec<Option<Doc>>,
    free: Vec<u32>,
    by_need: FxMap<i64, u32>,
    /// Pool → slots of its needs.
    pub(super) pools: FxMap<i64, Vec<u32>>,
    /// Typo/derivation neighbours of vocabulary terms.
    pub(super) fuzzy: Fuzzy,
    /// What the officers' merges and dismissals taught ([`super::desk`]).
    pub(super) lessons: Lessons,
    /// The pools each change touched, for rankings made before it ([`Index::rescore`]).
    pub(super) journal: Journal,
}

impl Index {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of needs indexed.
    pub fn len(&self) -> usize {
        self.by_need.len()
    }

    /// True when no need is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_need.is_empty()
    }

    /// Pool of an indexed need (what the tests check after a move).
    #[cfg(test)]
    pub fn pool_of(&self, need_id: i64) -> Option<i64> {
        let slot = *self.by_need.get(&need_id)?;
        self.doc(slot).map(|d| d.pool_id)
    }

    pub(super) fn doc(&self, slot: u32) -> Option<&Doc> {
        self.docs.get(slot as usize).and_then(Option::as_ref)
    }

    pub(super) fn idf_of(&self, tid: u32) -> f64 {
        let t = &self.terms[tid as usize];
        idf(self.len(), t.postings.len(), t.prior)
    }

    /// The vocabulary terms that translate `term`, each once at its best
    /// similarity (the dictionary may relate a term from two of its languages).
    pub(super) fn translations_in_vocabulary(&self, term: &str) -> Vec<(u32, f64)> {
        let mut found: Vec<(u32, f64)> = Vec::new();
        for (u, s) in translations().of(term).filter_map(|(other, s)| self.term_ids.get(other).map(|&u| (u, s))) {
            match found.iter_mut().find(|x| x.0 == u) {
                Some(x) => x.1 = x.1.max(s),
                None => found.push((u, s)),
            }
        }
        found
    }

    /// The vocabulary's translations of a new term `id`, each also given the
    /// new term as its translation.
    fn link_translations(&mut self, term: &str, id: u32) -> Vec<(u32, f64)> {
        let links = self.translations_in_vocabulary(term);
        for &(u, s) in &links {
            self.terms[u as usize].translated.push((id, s));
        }
        links
    }

    /// Analyse `text` and add it, replacing any previous version of the need.
    /// Cost: analysis (~30-50 µs) plus one posting push per distinct term.
    pub fn upsert(&mut self, need_id: i64, pool_id: i64, text: &NeedText) {
        self.upsert_analysed(need_id, pool_id, &analyse(text));
    }

    /// [`Self::upsert`] a need's text already analysed (a post's, analysed to rank the
    /// pools).
    pub fn upsert_analysed(&mut self, need_id: i64, pool_id: i64, a: &Analysed) {
        self.remove(need_id);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.docs.push(None);
                (self.docs.len() - 1) as u32
            }
        };
        let mut terms = Vec::new();
        let mut norm2 = 0.0;
        for (term, w) in term_weights(a) {
            let tid = match self.term_ids.get(&term) {
                Some(&id) => id,
                None => {
                    let id = self.terms.len() as u32;
                    let prior = lexicon().prior(&term);
                    let name = term.as_str().into();
                    let translated = self.link_translations(&term, id);
                    let specific = super::query::is_specific(&term);
                    self.terms.push(Term {
                        postings: Vec::new(),
                        title_postings: Vec::new(),
                        prior,
                        name,
                        translated,
                        specific,
                    });
                    self.fuzzy.insert(&term, id);
                    self.term_ids.insert(term, id);
                    id
                }
            };
            let iw = w * self.idf_of(tid);
            norm2 += iw * iw;
            terms.push((tid, w as f32));
        }
        terms.sort_by_key(|t| t.0);
        // Postings carry tf / norm (norm with the IDF of today): candidate
        // ranking then needs no access to the documents themselves.
        let norm = (norm2 as f32).sqrt().max(f32::EPSILON);
        let mut title: Vec<u32> = a.title.iter().filter_map(|t| self.term_ids.get(&t.0).copied()).collect();
        title.sort_unstable();
        title.dedup();
        for &(tid, w) in &terms {
            let term = &mut self.terms[tid as usize];
            term.postings.push((slot, w / norm));
            if title.binary_search(&tid).is_ok() {
                term.title_postings.push((slot, w / norm));
            }
        }
        self.docs[slot as usize] = Some(Doc { need_id, pool_id, terms, title, lang: a.lang });
        self.by_need.insert(need_id, slot);
        self.pools.entry(pool_id).or_default().push(slot);
        self.journal.record(Some(pool_id));
    }

    /// Record that a need now belongs to another pool (moved or merged).
    pub fn move_need(&mut self, need_id: i64, pool_id: i64) {
        if let Some(&slot) = self.by_need.get(&need_id)
            && let Some(Some(d)) = self.docs.get_mut(slot as usize)
        {
            let old = std::mem::replace(&mut d.pool_id, pool_id);
            self.leave_pool(old, slot);
            self.pools.entry(pool_id).or_default().push(slot);
            self.journal.record(Some(old));
            self.journal.record(Some(pool_id));
        }
    }

    /// Remove a withdrawn need. Cost: one scan of each of its terms' postings.
    pub fn remove(&mut self, need_id: i64) {
        let Some(slot) = self.by_need.remove(&need_id) else {
            return;
        };
        if let Some(doc) = self.docs.get_mut(slot as usize).and_then(Option::take) {
            self.leave_pool(doc.pool_id, slot);
            self.journal.record(Some(doc.pool_id));
            for (tid, _) in doc.terms {
                let term = &mut self.terms[tid as usize];
                term.postings.retain(|p| p.0 != slot);
                term.title_postings.retain(|p| p.0 != slot);
            }
            self.free.push(slot);
        }
    }

    fn leave_pool(&mut self, pool_id: i64, slot: u32) {
        if let Some(members) = self.pools.get_mut(&pool_id) {
            members.retain(|&s| s != slot);
            if members.is_empty() {
                self.pools.remove(&pool_id);
            }
        }
    }

    /// Learns from an officer's verdict on two pools, given their titles
    /// ([`super::desk`]): it applies to every later search and pair.
    pub fn learn(&mut self, a: &NeedText, b: &NeedText, verdict: Verdict) {
        self.lessons.learn(a, b, verdict);
        self.journal.record(None);
    }

    /// Pools holding at least one indexed need, in no particular order.
    pub fn pool_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.pools.keys().copied()
    }

    /// The needs indexed in a pool (an officer's merge moves them all).
    pub fn needs_of_pool(&self, pool_id: i64) -> Vec<i64> {
        let slots = self.pools.get(&pool_id).map_or(&[][..], Vec::as_slice);
        slots.iter().filter_map(|&slot| self.doc(slot)).map(|d| d.need_id).collect()
    }
}
