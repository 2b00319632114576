//! Word translations between French, Dutch, German and English, from a
//! general bilingual dictionary: the object of a need ("vélo", "fiets",
//! "Fahrrad") meets itself across languages without a word list written for
//! any need.
//!
//! The data (`data/matching/translations.tsv`) is every one-word translation
//! of FreeDict's French-Dutch, Dutch-German, French-English and Dutch-English
//! dictionaries (GPL-2.0-or-later), extracted by `scripts/translations.py`.
//! Each word is analysed as a need's text is (folding, stemming, the
//! lexicon), so a translation is found under the term the index holds.
//!
//! - A **direct** translation relates two terms at [`DIRECT_SIMILARITY`].
//! - Through a **pivot** in a third language (German "Kirche" → Dutch "kerk"
//!   → French "église"; there is no German-French dictionary of a compatible
//!   licence) at [`PIVOT_SIMILARITY`], only when the pivot word has at most
//!   [`PIVOT_MAX_SENSES`] translations into each of the two languages: a
//!   pivot with many is ambiguous (Dutch "kamp" is a camp and a fight).
//!
//! Both relations are symmetric and only ever join terms of different
//! languages, at reduced weight, like the cognates of [`super::fuzzy`].

use super::analyze::analyse_tokens;
#[cfg(test)]
use super::data::TRANSLATION_COLUMNS;
use super::data::{DataFile, TRANSLATIONS};
use super::fxhash::FxMap;
use super::lexicon::lexicon;
use super::text::tokenize;
use crate::domain::kinds::Locale;
use std::sync::OnceLock;

/// Similarity credited to a dictionary translation.
pub(crate) const DIRECT_SIMILARITY: f64 = 0.7;
/// Similarity credited to a translation through a third language.
pub(crate) const PIVOT_SIMILARITY: f64 = 0.5;
/// A pivot with more translations than this into either end's language is
/// ambiguous and relates nothing.
const PIVOT_MAX_SENSES: usize = 3;

/// How two terms are related (the better first).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Via {
    Direct,
    Pivot,
}

impl Via {
    fn similarity(self) -> f64 {
        match self {
            Via::Direct => DIRECT_SIMILARITY,
            Via::Pivot => PIVOT_SIMILARITY,
        }
    }
}

/// The dictionary as searches read it: per term, the terms that translate it.
pub(crate) struct Translations {
    nodes: Vec<(Locale, Box<str>)>,
    by_term: FxMap<Box<str>, Vec<u32>>,
    /// Per node, its translations (direct and through a pivot), computed once.
    related: Vec<Box<[(u32, Via)]>>,
}

static LOADED: OnceLock<Translations> = OnceLock::new();

/// The dictionary, loaded on first use.
pub(crate) fn translations() -> &'static Translations {
    LOADED.get_or_init(|| Translations::parse(&TRANSLATIONS))
}

/// Whether [`translations`] was loaded.
pub(crate) fn loaded() -> bool {
    LOADED.get().is_some()
}

/// The translation graph while it is read: nodes are (language, term), edges
/// the dictionary's translations.
#[derive(Default)]
struct Graph<'a> {
    nodes: Vec<(Locale, Box<str>)>,
    by_term: FxMap<Box<str>, Vec<u32>>,
    edges: Vec<Vec<u32>>,
    /// The node of each word read (`None`: the word gives no single term).
    words: FxMap<(Locale, &'a str), Option<u32>>,
}

impl<'a> Graph<'a> {
    /// The node of a word: its term as the analyser gives it, when the word
    /// gives exactly one term (not a stop word, not a split compound).
    fn node(&mut self, lang: Locale, word: &'a str) -> Option<u32> {
        if let Some(&id) = self.words.get(&(lang, word)) {
            return id;
        }
        // A compound keeps its whole term at full weight beside its parts:
        // the word is its whole term.
        let terms = analyse_tokens(lang, &tokenize(word), lexicon());
        let mut whole = terms.iter().filter(|t| t.1 == 1.0);
        let id = match (whole.next(), whole.next()) {
            (Some((term, _)), None) => {
                let key: Box<str> = term.as_str().into();
                let known = self.by_term.get(&key).and_then(|v| v.iter().find(|&&n| self.nodes[n as usize].0 == lang));
                Some(match known {
                    Some(&n) => n,
                    None => {
                        let n = self.nodes.len() as u32;
                        self.nodes.push((lang, key.clone()));
                        self.edges.push(Vec::new());
                        self.by_term.entry(key).or_default().push(n);
                        n
                    }
                })
            }
            _ => None,
        };
        self.words.insert((lang, word), id);
        id
    }

    /// The translations of node `m` into `lang`.
    fn senses(&self, m: u32, lang: Locale) -> impl Iterator<Item = u32> + '_ {
        self.edges[m as usize].iter().copied().filter(move |&k| self.nodes[k as usize].0 == lang)
    }

    /// The translations of node `n`, direct and through a pivot, each node
    /// once at its best similarity, never a node written as `n` is.
    fn relate(&self, n: u32) -> Vec<(u32, Via)> {
        let mut out: FxMap<u32, Via> = FxMap::default();
        let lex = lexicon();
        let concept = lex.is_concept(&self.nodes[n as usize].1);
        let mut add = |m: u32, via: Via| {
            let name = &self.nodes[m as usize].1;
            // Two concepts of the lexicon are distinct on purpose (it maps
            // each one's forms): a dictionary does not join them.
            if *name != self.nodes[n as usize].1 && !(concept && lex.is_concept(name)) {
                let e = out.entry(m).or_insert(via);
                *e = (*e).min(via);
            }
        };
        let from = self.nodes[n as usize].0;
        for &m in &self.edges[n as usize] {
            add(m, Via::Direct);
            let pivot = self.nodes[m as usize].0;
            if self.senses(m, from).count() > PIVOT_MAX_SENSES {
                continue;
            }
            for to in Locale::ALL.iter().copied().filter(|&l| l != from && l != pivot) {
                if self.senses(m, to).count() <= PIVOT_MAX_SENSES {
                    self.senses(m, to).for_each(|k| add(k, Via::Pivot));
                }
            }
        }
        let mut out: Vec<(u32, Via)> = out.into_iter().collect();
        out.sort_unstable_by_key(|x| x.0);
        out
    }
}

impl Translations {
    /// Read `language, word, language, word` rows.
    pub(crate) fn parse(file: &DataFile) -> Self {
        let mut g = Graph::default();
        for row in file.rows::<4>() {
            let [_, a, _, b] = row.fields;
            let (&[la], &[lb]) = (row.languages(0), row.languages(2)) else { continue };
            let (Some(x), Some(y)) = (g.node(la, a), g.node(lb, b)) else { continue };
            if x != y && g.nodes[x as usize].1 != g.nodes[y as usize].1 {
                g.edges[x as usize].push(y);
                g.edges[y as usize].push(x);
            }
        }
        for e in &mut g.edges {
            e.sort_unstable();
            e.dedup();
        }
        // Symmetric: a pivot must be unambiguous towards both ends.
        let related = (0..g.nodes.len() as u32).map(|n| g.relate(n).into_boxed_slice()).collect();
        Translations { nodes: g.nodes, by_term: g.by_term, related }
    }

    /// Terms that translate `term` (in any of its languages) with their
    /// similarity; never `term` itself. A term may come twice (from two of
    /// its languages).
    pub(crate) fn of<'a>(&'a self, term: &str) -> impl Iterator<Item = (&'a str, f64)> + 'a {
        let nodes = self.by_term.get(term).map_or(&[][..], |v| v.as_slice());
        nodes.iter().flat_map(|&n| {
            self.related[n as usize].iter().map(|&(m, via)| (&*self.nodes[m as usize].1, via.similarity()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary(rows: &'static str) -> Translations {
        Translations::parse(&DataFile::new(rows, TRANSLATION_COLUMNS))
    }

    fn term(lang: Locale, word: &str) -> String {
        analyse_tokens(lang, &tokenize(word), lexicon()).remove(0).0
    }

    fn similarity(a: (Locale, &str), b: (Locale, &str)) -> Option<f64> {
        let (a, b) = (term(a.0, a.1), term(b.0, b.1));
        translations().of(&a).filter(|x| x.0 == b).map(|x| x.1).reduce(f64::max)
    }

    #[test]
    fn the_dictionary_relates_objects_across_languages() {
        assert_eq!(similarity((Locale::Fr, "vélo"), (Locale::Nl, "fiets")), Some(DIRECT_SIMILARITY));
        assert_eq!(similarity((Locale::Nl, "fiets"), (Locale::Fr, "vélo")), Some(DIRECT_SIMILARITY), "symmetric");
        assert_eq!(similarity((Locale::De, "Hund"), (Locale::Nl, "hond")), Some(DIRECT_SIMILARITY));
        // German and French meet through Dutch.
        assert_eq!(similarity((Locale::De, "Kirche"), (Locale::Fr, "église")), Some(PIVOT_SIMILARITY));
        assert_eq!(similarity((Locale::Fr, "église"), (Locale::De, "Kirche")), Some(PIVOT_SIMILARITY));
        // Dutch "jacht" (a hunt, a yacht, and after stemming a rush) is ambiguous.
        assert_eq!(similarity((Locale::De, "Jagd"), (Locale::Fr, "chasse")), None);
    }

    #[test]
    fn an_ambiguous_pivot_relates_nothing() {
        let t = dictionary(
            "de\tKampf\tnl\tkamp\nfr\tcamp\tnl\tkamp\nfr\tcombat\tnl\tkamp\nfr\tbataille\tnl\tkamp\nfr\tlutte\tnl\tkamp\n",
        );
        let camp = term(Locale::Fr, "camp");
        let of: Vec<&str> = t.of(&term(Locale::De, "Kampf")).map(|x| x.0).collect();
        assert!(!of.contains(&camp.as_str()), "{of:?}");
        let t = dictionary("de\tLager\tnl\tkamp\nfr\tcamp\tnl\tkamp\n");
        assert!(t.of(&term(Locale::De, "Lager")).any(|x| x.0 == camp && x.1 == PIVOT_SIMILARITY));
    }

    #[test]
    fn two_concepts_of_the_lexicon_stay_apart() {
        // A dictionary relates "archives" and "registreren" (through "records",
        // "register"); the lexicon keeps archives and registration distinct.
        let (archives, registration) = (term(Locale::Fr, "archives"), term(Locale::Nl, "registreren"));
        assert!(lexicon().is_concept(&archives) && lexicon().is_concept(&registration));
        let t = dictionary("fr\tarchives\tnl\tregistreren\nfr\tarchives\tnl\tdossiers\n");
        assert!(t.of(&archives).all(|x| x.0 != registration));
        assert!(translations().of(&archives).all(|x| x.0 != registration));
    }

    #[test]
    fn a_term_is_never_its_own_translation() {
        // Both sides analyse to "bureau": the words are equal, nothing to relate.
        let t = dictionary("fr\tbureau\tnl\tbureau\nfr\tbureau\tnl\tkantoor\n");
        let bureau = term(Locale::Fr, "bureau");
        assert_eq!(bureau, term(Locale::Nl, "bureau"));
        assert!(t.of(&bureau).all(|x| x.0 != bureau));
        assert!(t.of(&bureau).any(|x| x.0 == term(Locale::Nl, "kantoor")));
    }
}
