//! What the officers' desk teaches the matcher (issue 26): merging two pools says that
//! the specific words of their titles name one object, dismissing a pair says that they do
//! not. The lessons are term relations, kept by term name so that they hold for words the
//! index does not know yet, and rebuilt from the merge and dismissal events when a process
//! loads its index (`service::matcher`).
//!
//! A lesson weighs little on purpose: a related word counts at [`DESK_SIMILARITY`], like a
//! translation through a third language, and a score that leans on one never merges by
//! itself (`PoolScore::unaided`, [`decide`](super::decide)); a pair whose titles differ
//! by words an officer set apart scores [`APART_FACTOR`] of what it would. So a lesson can
//! bring a later pair to the review queue, or keep it out, but never merge on its own.

use super::NeedText;
use super::analyze::analyse;
use super::fxhash::FxMap;
use super::query::is_specific;
use std::collections::BTreeSet;

/// The similarity of two words an officer's merge related.
pub(crate) const DESK_SIMILARITY: f64 = 0.5;
/// What remains of a score between needs whose titles differ by words an officer's
/// dismissal set apart.
pub(crate) const APART_FACTOR: f64 = 0.5;
/// Specific title words taken from each side of a lesson: two pools' titles teach at most
/// this many squared relations.
const WORDS_PER_SIDE: usize = 4;

/// The relations the desk taught, by term name.
#[derive(Clone, Default, Debug)]
pub(crate) struct Lessons {
    related: FxMap<Box<str>, BTreeSet<Box<str>>>,
    apart: FxMap<Box<str>, BTreeSet<Box<str>>>,
}

/// What an officer decided about two pools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Merged: the same need.
    Same,
    /// Dismissed: different needs.
    Different,
}

impl Lessons {
    /// Terms related to `term` by a merge.
    pub(crate) fn related(&self, term: &str) -> impl Iterator<Item = &str> {
        self.related.get(term).into_iter().flatten().map(|t| &**t)
    }

    /// Terms set apart from `term` by a dismissal.
    pub(crate) fn apart(&self, term: &str) -> impl Iterator<Item = &str> {
        self.apart.get(term).into_iter().flatten().map(|t| &**t)
    }

    /// Learns from two pools' titles: the specific words of each title that the other
    /// title lacks (at most [`WORDS_PER_SIDE`] each) relate, or are set apart. A later
    /// verdict on the same words replaces an earlier one.
    pub(crate) fn learn(&mut self, a: &NeedText, b: &NeedText, verdict: Verdict) {
        let (a, b) = (specific_title_terms(a), specific_title_terms(b));
        let only_a: Vec<&String> = a.iter().filter(|t| !b.contains(*t)).take(WORDS_PER_SIDE).collect();
        let only_b: Vec<&String> = b.iter().filter(|t| !a.contains(*t)).take(WORDS_PER_SIDE).collect();
        for x in &only_a {
            for y in &only_b {
                for (p, q) in [(x, y), (y, x)] {
                    let (add, drop) = match verdict {
                        Verdict::Same => (&mut self.related, &mut self.apart),
                        Verdict::Different => (&mut self.apart, &mut self.related),
                    };
                    add.entry(p.as_str().into()).or_default().insert(q.as_str().into());
                    if let Some(set) = drop.get_mut(p.as_str()) {
                        set.remove(q.as_str());
                    }
                }
            }
        }
    }
}

/// The specific terms of a title ([`is_specific`]), in order, once each.
fn specific_title_terms(text: &NeedText) -> Vec<String> {
    let analysed = analyse(&NeedText { description: "", ..*text });
    let mut seen = BTreeSet::new();
    analysed.title.into_iter().map(|(t, _)| t).filter(|t| is_specific(t) && seen.insert(t.clone())).collect()
}

/// How two words of a pair met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// The same word (after analysis).
    Same,
    /// A typo, a derivation or a cognate.
    Near,
    /// A dictionary translation, direct or `through` a third language.
    Dictionary { through: bool },
    /// An officer's earlier merge related them.
    Desk,
}

/// Two words that matched between a pair's needs, with their share of the score's dot
/// product (the largest first in [`Explanation::words`]).
#[derive(Clone, Debug, PartialEq)]
pub struct WordMatch {
    /// The term in the first pool's need, as analysed.
    pub left: String,
    /// The term in the second pool's need.
    pub right: String,
    pub via: Via,
    pub weight: f64,
}

/// Why two pools were proposed as a pair: the two needs whose score made the pair's, their
/// languages, and the words that matched, as the scoring counted them.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The need of the first pool and of the second.
    pub needs: [i64; 2],
    /// Their languages as analysed.
    pub langs: [crate::domain::kinds::Locale; 2],
    pub score: f64,
    pub words: Vec<WordMatch>,
    /// Their titles differ by words an officer's dismissal set apart.
    pub set_apart: bool,
}

/// Words of a need's text (title first) that analyse to `term` in language `lang`: what a
/// reader recognises of a term (`recharg` is "recharge", a lexicon concept is the words
/// that named it). Up to three consecutive words, for multi-word concepts; `None` when the
/// term came from no word alone (a compound part, a concept of scattered words).
pub fn surface(title: &str, description: &str, lang: crate::domain::kinds::Locale, term: &str) -> Option<String> {
    /// Words of a description read: the rest would cost more than it shows.
    const READ_WORDS: usize = 80;
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .map(|w| w.trim_matches(|c| c == '\'' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let analyses = |phrase: &str| {
        let a = analyse(&NeedText { title: phrase, description: "", locale_hint: lang.as_str() });
        a.lang == lang && a.title.iter().any(|(t, _)| t == term)
    };
    for text in [title, description] {
        let words: Vec<String> = words(text).into_iter().take(READ_WORDS).collect();
        for length in 1..=3 {
            for window in words.windows(length) {
                let phrase = window.join(" ");
                if analyses(&phrase) {
                    return Some(phrase);
                }
            }
        }
    }
    None
}
