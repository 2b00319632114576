//! Approximate term matching: typos ("judiciare" / "judiciaire") and
//! derivations the stemmer leaves apart ("encod" / "encodag").
//!
//! Two relations, both symmetric, only between terms long enough for the
//! relation to be meaningful:
//! - edit distance 1 (insertion, deletion, substitution, and most
//!   transpositions) between terms of 6+ characters, found SymSpell-style by
//!   indexing each term's one-character deletions;
//! - one term is a prefix of the other, the shorter having 5+ characters.
//!
//! - across languages, cognates: terms whose *spelling skeletons* are equal,
//!   or one a prefix of the other (5+ characters), e.g. "aziatisch" (nl) and
//!   "asiat" (fr, de), "zertifikat" and "certificat", "klient" and "client".
//!   The skeleton rewrites the spellings that differ between French, Dutch,
//!   German and English for one sound (c/k/z/s, ph/f, th/t, y/i, doubled
//!   letters); the relation uses no word list.
//!
//! Only hashes of the variants are stored (a collision costs one spurious
//! weak match, never a crash), and variants are hashed without being built.

use super::fxhash::{FxHasher, FxMap};
use std::hash::Hasher;

/// Similarity credited to an edit-distance-1 pair of terms.
pub(crate) const EDIT_SIMILARITY: f64 = 0.8;
/// Similarity credited to a prefix pair of terms.
pub(crate) const PREFIX_SIMILARITY: f64 = 0.7;
/// Similarity credited to cognates with equal skeletons.
pub(crate) const COGNATE_SIMILARITY: f64 = 0.8;
/// Similarity credited to cognates whose skeletons are prefixes.
pub(crate) const COGNATE_PREFIX_SIMILARITY: f64 = 0.6;
const MIN_EDIT_LEN: usize = 6;
const MIN_PREFIX_LEN: usize = 5;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// The term itself.
    Whole,
    /// The term with one character deleted.
    Deletion,
    /// A proper prefix of the term.
    Prefix,
    /// The term's skeleton, when it differs from the term.
    Skeleton,
    /// A proper prefix of the term's skeleton (5+ characters).
    SkeletonPrefix,
}

/// Spelling skeleton of a folded term (see the module doc).
pub(crate) fn skeleton(term: &str) -> Vec<char> {
    let chars: Vec<char> = term.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let next = chars.get(i + 1).copied();
        let (c, step) = match (chars[i], next) {
            ('p', Some('h')) => ('f', 2),
            ('t', Some('h')) => ('t', 2),
            ('c', Some('k')) | ('q', Some('u')) => ('k', 2),
            ('c', Some('e' | 'i' | 'y')) => ('s', 1),
            ('c' | 'q', _) => ('k', 1),
            ('z', _) => ('s', 1),
            ('y', _) => ('i', 1),
            ('w', _) => ('v', 1),
            (c, _) => (c, 1),
        };
        if out.last() != Some(&c) {
            out.push(c);
        }
        i += step;
    }
    out
}

/// Hash of a skeleton prefix, apart from the hashes of terms.
fn hs(sk: &[char], end: usize) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u32(u32::MAX);
    for c in &sk[..end] {
        hasher.write_u32(*c as u32);
    }
    hasher.write_usize(end);
    hasher.finish()
}

/// Variant index over the vocabulary of an [`super::Index`].
#[derive(Clone, Default)]
pub(crate) struct Fuzzy {
    variants: FxMap<u64, Vec<(u32, Kind)>>,
}

/// Hash of `chars[..end]` without `chars[skip]`.
fn h(chars: &[char], end: usize, skip: Option<usize>) -> u64 {
    let mut hasher = FxHasher::default();
    let mut n = 0;
    for (i, c) in chars[..end].iter().enumerate() {
        if Some(i) != skip {
            hasher.write_u32(*c as u32);
            n += 1;
        }
    }
    hasher.write_usize(n);
    hasher.finish()
}

impl Fuzzy {
    /// Register a new vocabulary term.
    pub(crate) fn insert(&mut self, term: &str, tid: u32) {
        let chars: Vec<char> = term.chars().collect();
        let n = chars.len();
        let mut add = |key: u64, kind: Kind| self.variants.entry(key).or_default().push((tid, kind));
        add(h(&chars, n, None), Kind::Whole);
        if n >= MIN_EDIT_LEN {
            for i in 0..n {
                add(h(&chars, n, Some(i)), Kind::Deletion);
            }
        }
        for len in MIN_PREFIX_LEN..n {
            add(h(&chars, len, None), Kind::Prefix);
        }
        let sk = skeleton(term);
        if sk.len() >= MIN_PREFIX_LEN {
            add(hs(&sk, sk.len()), Kind::Skeleton);
            for len in MIN_PREFIX_LEN..sk.len() {
                add(hs(&sk, len), Kind::SkeletonPrefix);
            }
        }
    }

    /// Vocabulary terms related to `term` (never `term` itself) with their
    /// similarity. `alive` filters out terms no indexed need uses any more.
    pub(crate) fn neighbours(&self, term: &str, alive: impl Fn(u32) -> bool) -> Vec<(u32, f64)> {
        let chars: Vec<char> = term.chars().collect();
        let n = chars.len();
        let hits = |key: u64| self.variants.get(&key).into_iter().flatten().copied();
        let own: Vec<u32> = hits(h(&chars, n, None)).filter(|x| x.1 == Kind::Whole).map(|x| x.0).collect();
        let mut out: Vec<(u32, f64)> = Vec::new();
        let mut add = |tid: u32, s: f64| {
            if own.contains(&tid) || !alive(tid) {
                return;
            }
            match out.iter_mut().find(|x| x.0 == tid) {
                Some(x) => x.1 = x.1.max(s),
                None => out.push((tid, s)),
            }
        };
        // `term` is a deletion of u (u has one more char) or a prefix of u.
        for (tid, kind) in hits(h(&chars, n, None)) {
            match kind {
                Kind::Deletion if n + 1 >= MIN_EDIT_LEN => add(tid, EDIT_SIMILARITY),
                Kind::Prefix if n >= MIN_PREFIX_LEN => add(tid, PREFIX_SIMILARITY),
                _ => {}
            }
        }
        if n >= MIN_EDIT_LEN {
            for i in 0..n {
                // u is a deletion of term (Whole), or both share a deletion.
                for (tid, kind) in hits(h(&chars, n, Some(i))) {
                    let long_enough = kind == Kind::Deletion || n > MIN_EDIT_LEN;
                    if kind != Kind::Prefix && long_enough {
                        add(tid, EDIT_SIMILARITY);
                    }
                }
            }
        }
        // u is a proper prefix of term.
        for len in MIN_PREFIX_LEN..n {
            for (tid, kind) in hits(h(&chars, len, None)) {
                if kind == Kind::Whole {
                    add(tid, PREFIX_SIMILARITY);
                }
            }
        }
        // Cognates: equal skeletons, or one skeleton a prefix of the other.
        let sk = skeleton(term);
        if sk.len() >= MIN_PREFIX_LEN {
            for (tid, kind) in hits(hs(&sk, sk.len())) {
                match kind {
                    Kind::Skeleton => add(tid, COGNATE_SIMILARITY),
                    Kind::SkeletonPrefix => add(tid, COGNATE_PREFIX_SIMILARITY),
                    _ => {}
                }
            }
            for len in MIN_PREFIX_LEN..sk.len() {
                for (tid, kind) in hits(hs(&sk, len)) {
                    if kind == Kind::Skeleton {
                        add(tid, COGNATE_PREFIX_SIMILARITY);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(words: &[&str]) -> (Fuzzy, ()) {
        let mut f = Fuzzy::default();
        for (i, w) in words.iter().enumerate() {
            f.insert(w, i as u32);
        }
        (f, ())
    }

    fn near(f: &Fuzzy, _: &(), w: &str) -> Vec<u32> {
        let mut v: Vec<u32> = f.neighbours(w, |_| true).into_iter().map(|x| x.0).collect();
        v.sort();
        v
    }

    #[test]
    fn finds_typos_and_prefixes() {
        let (f, ids) = setup(&["judiciair", "encodag", "encod", "parapheur", "horod", "archiv"]);
        assert_eq!(near(&f, &ids, "judiciar"), [0], "deletion");
        assert_eq!(near(&f, &ids, "judicaair"), [0], "substitution");
        assert_eq!(near(&f, &ids, "judiciairx"), [0], "insertion");
        assert_eq!(near(&f, &ids, "encod"), [1], "prefix, never itself");
        assert_eq!(near(&f, &ids, "encodage"), [1, 2], "edit and prefix");
        assert_eq!(near(&f, &ids, "paraphuer"), [3], "adjacent transposition");
        assert!(near(&f, &ids, "horde").is_empty(), "short words need exact matches");
        assert_eq!(near(&f, &ids, "archive"), [5]);
        assert!(near(&f, &ids, "archivistique").contains(&5));
    }

    #[test]
    fn finds_cognates_across_languages() {
        let (f, ids) = setup(&["asiat", "sertifikat", "client", "registr", "frelon"]);
        assert_eq!(near(&f, &ids, "aziatisch"), [0], "z/s, and a skeleton prefix");
        assert_eq!(near(&f, &ids, "zertifikat"), [1], "z/s and c/k spell the same word");
        assert_eq!(near(&f, &ids, "certificat"), [1]);
        assert_eq!(near(&f, &ids, "klient"), [2]);
        assert!(near(&f, &ids, "hoornar").is_empty(), "no spelling rule makes a hornet a frelon");
        assert_eq!(skeleton("photographie").iter().collect::<String>(), "fotografie");
        assert_eq!(skeleton("kontrolle"), skeleton("controle"));
    }
}
