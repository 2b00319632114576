//! A need as a query of the index: its weighted terms, each with its approximate
//! neighbours in the vocabulary (typos, derivations, cognates, dictionary translations,
//! what the desk taught), as `search.rs` scores them.

use super::analyze::Analysed;
use super::desk::{DESK_SIMILARITY, Via};
use super::fxhash::FxMap;
use super::index::Index;
use super::lexicon::{PRIOR_DEFAULT, lexicon};
use super::score::{idf, term_weights};
use super::translations::DIRECT_SIMILARITY;
use crate::domain::kinds::Locale;

/// Approximate neighbours kept per query term (the most similar, then the
/// most used): a short term can have many in a large vocabulary of names,
/// and each is looked up in every candidate.
const MAX_NEIGHBOURS: usize = 8;

/// A query term: its IDF-weighted weight, its id if the index knows it, and
/// its approximate neighbours in the vocabulary.
pub(super) struct QueryTerm {
    pub(super) tid: Option<u32>,
    pub(super) in_title: bool,
    /// Names a specific object ([`is_specific`]).
    pub(super) specific: bool,
    pub(super) weight: f64,
    pub(super) near: Vec<Near>,
    /// Terms an officer's dismissal set apart from this one, if it is in
    /// the title ([`super::desk::Lessons::apart`]).
    pub(super) apart: Vec<u32>,
}

/// An approximate neighbour of a query term in the vocabulary.
#[derive(Clone, Copy)]
pub(super) struct Near {
    pub(super) tid: u32,
    pub(super) similarity: f64,
    /// How it relates: a dictionary translation counts only in a need of
    /// another language (within one language, a dictionary's synonyms are
    /// not the same need's words); an officer's merge relates words in any.
    pub(super) via: Via,
}

impl Near {
    /// Whether this neighbour counts between needs of languages `a` and `b`.
    pub(super) fn applies(&self, a: Locale, b: Locale) -> bool {
        !matches!(self.via, Via::Dictionary { .. }) || a != b
    }

    /// Whether it shows a shared specific object ([`PoolScore::grounded`]):
    /// what the desk taught does not.
    pub(super) fn grounds(&self) -> bool {
        self.via != Via::Desk
    }
}

/// A need as a query: weighted terms, their norm and its language.
pub(super) struct Query {
    pub(super) terms: Vec<QueryTerm>,
    pub(super) norm: f64,
    pub(super) lang: Locale,
    /// Title terms of the query (their ids if the index knows them) and
    /// terms an officer's dismissal set apart from them.
    pub(super) apart: Vec<(Option<u32>, u32)>,
}

/// Whether a term names a specific object: neither a generic word
/// (`priors.tsv`) nor a concept of the lexicon, i.e. a word of the need's
/// own (an unknown compound, a term no word list holds).
pub(super) fn is_specific(term: &str) -> bool {
    let lex = lexicon();
    !lex.is_concept(term) && lex.prior(term) <= PRIOR_DEFAULT
}

impl Query {
    /// False when no term is known to the index, even approximately.
    pub(super) fn can_match(&self) -> bool {
        self.norm > 0.0 && self.terms.iter().any(|q| q.tid.is_some() || !q.near.is_empty())
    }

    /// Exactly known terms with their weights.
    pub(super) fn exact(&self) -> FxMap<u32, f64> {
        self.terms.iter().filter_map(|q| q.tid.map(|t| (t, q.weight))).collect()
    }
}

impl Index {
    /// The query of an analysed text. Terms unknown to the index still count
    /// in the norm (with their prior IDF) and may match approximately.
    pub(super) fn query_of_text(&self, a: &Analysed) -> Query {
        let lex = lexicon();
        let n = self.len();
        let terms = term_weights(a)
            .into_iter()
            .map(|(term, w)| {
                let tid = self.term_ids.get(&term).copied().filter(|&t| self.alive(t));
                let weight = w * tid.map_or_else(|| idf(n, 0, lex.prior(&term)), |t| self.idf_of(t));
                let near = self.neighbours(&term);
                let specific = is_specific(&term);
                let in_title = a.title.iter().any(|t| t.0 == term);
                let apart = if in_title { self.set_apart_from(&term) } else { Vec::new() };
                QueryTerm { tid, in_title, specific, weight, near, apart }
            })
            .collect();
        self.query(terms, a.lang)
    }

    /// An indexed need as a query, as if it were posted again now.
    pub(super) fn query_of_doc(&self, slot: u32) -> Option<Query> {
        let doc = self.doc(slot)?;
        let terms = doc
            .terms
            .iter()
            .map(|&(t, w)| {
                let in_title = doc.title.binary_search(&t).is_ok();
                let name = &self.terms[t as usize].name;
                QueryTerm {
                    tid: Some(t),
                    in_title,
                    specific: self.terms[t as usize].specific,
                    weight: f64::from(w) * self.idf_of(t),
                    near: self.neighbours(name),
                    apart: if in_title { self.set_apart_from(name) } else { Vec::new() },
                }
            })
            .collect();
        Some(self.query(terms, doc.lang))
    }

    /// At most [`MAX_NEIGHBOURS`] approximate neighbours of a term: its
    /// typos, derivations and cognates, and its dictionary translations.
    pub(super) fn neighbours(&self, term: &str) -> Vec<Near> {
        let mut near: Vec<Near> = self
            .fuzzy
            .neighbours(term, |t| self.alive(t))
            .into_iter()
            .map(|(tid, similarity)| Near { tid, similarity, via: Via::Near })
            .collect();
        let mut add = |u: u32, s: f64, via: Via| {
            if self.alive(u) && !near.iter().any(|x| x.tid == u) {
                near.push(Near { tid: u, similarity: s, via });
            }
        };
        let dictionary = |s: f64| Via::Dictionary { through: s < DIRECT_SIMILARITY };
        match self.term_ids.get(term) {
            Some(&t) => self.terms[t as usize].translated.iter().for_each(|&(u, s)| add(u, s, dictionary(s))),
            None => self.translations_in_vocabulary(term).into_iter().for_each(|(u, s)| add(u, s, dictionary(s))),
        }
        // What the desk taught comes last: a word's own relations are kept first.
        for other in self.lessons.related(term) {
            if let Some(&u) = self.term_ids.get(other) {
                add(u, DESK_SIMILARITY, Via::Desk);
            }
        }
        if near.len() > MAX_NEIGHBOURS {
            let used = |t: u32| self.terms[t as usize].postings.len();
            near.sort_by(|a, b| {
                b.similarity.total_cmp(&a.similarity).then(used(b.tid).cmp(&used(a.tid))).then(a.tid.cmp(&b.tid))
            });
            near.truncate(MAX_NEIGHBOURS);
        }
        near
    }

    /// The terms of the vocabulary an officer's dismissal set apart from `term`.
    pub(super) fn set_apart_from(&self, term: &str) -> Vec<u32> {
        self.lessons.apart(term).filter_map(|other| self.term_ids.get(other).copied()).collect()
    }

    pub(super) fn alive(&self, t: u32) -> bool {
        !self.terms[t as usize].postings.is_empty()
    }

    pub(super) fn query(&self, mut terms: Vec<QueryTerm>, lang: Locale) -> Query {
        let norm = terms.iter().map(|q| q.weight * q.weight).sum::<f64>().sqrt();
        // A neighbour that is itself a query term is matched exactly already.
        let exact: Vec<u32> = terms.iter().filter_map(|q| q.tid).collect();
        for q in &mut terms {
            q.near.retain(|n| !exact.contains(&n.tid));
        }
        let apart = terms.iter().flat_map(|q| q.apart.iter().map(|&other| (q.tid, other))).collect();
        Query { terms, norm, lang, apart }
    }
}
