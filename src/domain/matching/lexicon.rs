//! Compiled lexicon: acronyms, cross-language vocabulary, compound heads and
//! background frequencies of generic words.
//!
//! Read from `data/matching/` (the concept files `acronyms.tsv`,
//! `vocabulary.tsv`, `local-authorities.tsv`, and `compound-heads.tsv`,
//! `priors.tsv`; their format and the rule every entry follows are in
//! docs/MATCHING.md) and analysed once with the very pipeline used for needs,
//! so inflected forms and spelling variants match without listing them.

use super::analyze::{PART_WEIGHT, Stem, stem_tokens};
use super::data::{COMPOUND_HEADS, CONCEPTS, PRIORS};
use super::text::tokenize;
use crate::domain::kinds::Locale;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Prior document-frequency fractions by class of term (`priors.tsv`: `weak`,
/// `medium`; any other term has the default).
pub(crate) const PRIOR_WEAK: f64 = 0.25;
pub(crate) const PRIOR_MEDIUM: f64 = 0.08;
pub(crate) const PRIOR_DEFAULT: f64 = 0.01;

struct Rule {
    canon: Vec<String>,
    upper_only: bool,
}

/// The compiled lexicon. Built once, read-only, shared by all indexes.
pub(crate) struct Lexicon {
    rules: HashMap<(Locale, String), Rule>,
    max_len: usize,
    heads: HashSet<String>,
    /// The languages whose compounds are split: those of `compound-heads.tsv`.
    compounding: Vec<Locale>,
    priors: HashMap<String, f64>,
    /// Every term a lexicon entry maps to (its concepts).
    concepts: HashSet<String>,
    /// Pattern keys defined twice with different meanings (checked by a test).
    pub(crate) conflicts: Vec<String>,
}

/// The process-wide lexicon.
pub(crate) fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(compile)
}

impl Lexicon {
    /// True when `word` (folded surface form) is a known compound part.
    pub(crate) fn is_head(&self, word: &str) -> bool {
        self.heads.contains(word)
    }

    /// True when words of `lang` are split on compound heads.
    pub(crate) fn splits_compounds(&self, lang: Locale) -> bool {
        self.compounding.contains(&lang)
    }

    /// True when `term` is a concept of the lexicon, which maps its own
    /// forms across languages.
    pub(crate) fn is_concept(&self, term: &str) -> bool {
        self.concepts.contains(term)
    }

    /// Background document-frequency fraction of a term.
    pub(crate) fn prior(&self, term: &str) -> f64 {
        self.priors.get(term).copied().unwrap_or(PRIOR_DEFAULT)
    }

    fn single(&self, lang: Locale, stem: &str, upper: bool) -> Option<&Rule> {
        self.rules.get(&(lang, stem.to_string())).filter(|r| upper || !r.upper_only)
    }

    /// True when the stems, in this order, are a multi-word entry.
    pub(crate) fn is_pattern(&self, lang: Locale, stems: &[String]) -> bool {
        stems.len() >= 2 && self.rules.get(&(lang, stems.join(" "))).is_some_and(|r| !r.upper_only)
    }

    /// Replace known patterns, longest first. A multi-word match keeps its
    /// own words as well (mapped one by one, at [`PART_WEIGHT`], unless the
    /// canonical form has them): "kinderopvang" gives the cross-language
    /// concept *and* its Dutch parts, so two Dutch needs still share the
    /// finer words while a French one shares the concept. Terms keep the
    /// weight of their stems (the smallest, for a pattern).
    pub(crate) fn apply(&self, lang: Locale, stems: &[Stem]) -> Vec<(String, f32)> {
        let mut out = Vec::with_capacity(stems.len() + 4);
        let mut i = 0;
        while i < stems.len() {
            let mut step = 1;
            let longest = self.max_len.min(stems.len() - i);
            for len in (2..=longest).rev() {
                let key = stems[i..i + len].iter().map(|s| s.0.as_str()).collect::<Vec<_>>().join(" ");
                if let Some(rule) = self.rules.get(&(lang, key)).filter(|r| !r.upper_only) {
                    let w = stems[i..i + len].iter().map(|s| s.2).fold(1.0, f32::min);
                    out.extend(rule.canon.iter().map(|c| (c.clone(), w)));
                    let mut own = Vec::new();
                    for s in &stems[i..i + len] {
                        self.push_single(lang, s, &mut own);
                    }
                    // The concept counts once: its own words only add what
                    // the canonical form does not say, as parts.
                    own.retain(|(t, _)| !rule.canon.contains(t));
                    out.extend(own.into_iter().map(|(t, v)| (t, v * PART_WEIGHT)));
                    step = len;
                    break;
                }
            }
            if step == 1 {
                self.push_single(lang, &stems[i], &mut out);
            }
            i += step;
        }
        out
    }

    fn push_single(&self, lang: Locale, (stem, upper, w): &Stem, out: &mut Vec<(String, f32)>) {
        match self.single(lang, stem, *upper) {
            Some(rule) => out.extend(rule.canon.iter().map(|c| (c.clone(), *w))),
            None => out.push((stem.to_string(), *w)),
        }
    }
}

/// A written form of a concept: a row `concept, languages, form` of a
/// concept file, `*` standing for every language.
struct Form {
    concept: &'static str,
    langs: &'static [Locale],
    written: &'static str,
}

/// Every form of the concept files, in order.
fn forms() -> impl Iterator<Item = Form> {
    CONCEPTS.iter().flat_map(|file| file.rows::<3>()).map(|row| Form {
        concept: row.fields[0],
        langs: row.languages(1),
        written: row.fields[2],
    })
}

fn compile() -> Lexicon {
    let forms: Vec<Form> = forms().collect();
    let mut heads = HashSet::new();
    let mut compounding = Vec::new();
    for row in COMPOUND_HEADS.rows::<2>() {
        for &lang in row.languages(0) {
            if !compounding.contains(&lang) {
                compounding.push(lang);
            }
        }
        heads.insert(row.fields[1].to_string());
    }
    // Every one-word form of a compounding language is a head too.
    for form in &forms {
        let toks = tokenize(form.written);
        if toks.len() == 1 && toks[0].text.chars().count() >= 4 && form.langs.iter().any(|l| compounding.contains(l)) {
            heads.insert(toks[0].text.clone());
        }
    }
    let mut lex = Lexicon {
        rules: HashMap::new(),
        max_len: 1,
        heads,
        compounding,
        priors: HashMap::new(),
        concepts: HashSet::new(),
        conflicts: Vec::new(),
    };
    // Canonical forms are French text.
    let canons: HashMap<&str, Vec<String>> = forms
        .iter()
        .map(|f| (f.concept, stem_tokens(Locale::Fr, &tokenize(f.concept), &lex).into_iter().map(|s| s.0).collect()))
        .collect();
    for form in &forms {
        let canon_stems = &canons[form.concept];
        if canon_stems.is_empty() {
            continue;
        }
        let (upper_only, v) = match form.written.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, form.written),
        };
        for &lang in form.langs {
            let key: Vec<String> = stem_tokens(lang, &tokenize(v), &lex).into_iter().map(|s| s.0).collect();
            if key.is_empty() || key == *canon_stems {
                continue;
            }
            lex.max_len = lex.max_len.max(key.len());
            let k = (lang, key.join(" "));
            match lex.rules.get(&k) {
                Some(r) if r.canon != *canon_stems => {
                    lex.conflicts.push(format!("{:?} {} -> {:?} / {:?}", lang, k.1, r.canon, canon_stems))
                }
                Some(_) => {}
                None => {
                    lex.rules.insert(k, Rule { canon: canon_stems.clone(), upper_only });
                }
            }
        }
    }
    // A variant equal to another concept's canonical form would silently
    // redirect that concept ("paie" → salaire would take "paiement" along).
    let canon_keys: HashMap<(Locale, String), Vec<String>> = lex
        .rules
        .values()
        .filter(|r| r.canon.len() == 1)
        .flat_map(|r| Locale::ALL.iter().map(|&l| ((l, r.canon[0].clone()), r.canon.clone())))
        .collect();
    for (k, r) in &lex.rules {
        if let Some(c) = canon_keys.get(k).filter(|c| **c != r.canon) {
            lex.conflicts.push(format!("{:?} {} -> {:?} but is canonical of {:?}", k.0, k.1, r.canon, c));
        }
    }
    // Canonical forms are French text: map their words once more so that
    // "college communal" and "communal" → "commune" agree.
    let fr_single: HashMap<String, Vec<String>> = lex
        .rules
        .iter()
        .filter(|((l, k), r)| *l == Locale::Fr && !k.contains(' ') && !r.upper_only)
        .map(|((_, k), r)| (k.clone(), r.canon.clone()))
        .collect();
    for rule in lex.rules.values_mut() {
        let mut canon: Vec<String> = Vec::new();
        for s in &rule.canon {
            // A canonical word mapping to a form containing itself
            // ("smartphone" → "smartphone mobile") is already expanded.
            match fr_single.get(s).filter(|m| !m.contains(s)) {
                Some(m) => canon.extend(m.iter().cloned()),
                None => canon.push(s.clone()),
            }
        }
        canon.dedup();
        rule.canon = canon;
    }
    lex.concepts = lex.rules.values().flat_map(|r| r.canon.iter().cloned()).collect();
    // Priors are French text too; a term listed twice keeps its first class.
    for row in PRIORS.rows::<2>() {
        let p = match row.fields[0] {
            "weak" => PRIOR_WEAK,
            "medium" => PRIOR_MEDIUM,
            _ => continue, // not a row of the file (`data::PRIORS`)
        };
        let stems: Vec<Stem> =
            stem_tokens(Locale::Fr, &tokenize(row.fields[1]), &lex).into_iter().map(|(s, up)| (s, up, 1.0)).collect();
        for (t, _) in lex.apply(Locale::Fr, &stems) {
            lex.priors.entry(t).or_insert(p);
        }
    }
    lex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_has_no_conflicting_entries() {
        let lex = lexicon();
        assert!(lex.conflicts.is_empty(), "{:#?}", lex.conflicts);
        assert!(lex.rules.len() > 300);
    }

    #[test]
    fn no_written_form_shrinks_to_one_common_word() {
        // A variant whose other words are stop words (or digits, which the
        // tokenizer drops) would map that one word everywhere: "bien-être au
        // travail" would turn every "travail" into occupational safety.
        // Allowed: forms whose remaining word means the concept by itself.
        const ALLOWED: [&str; 3] = ["mise en location", "sans abri", "sans abrisme"];
        let lex = lexicon();
        let mut shrunk = Vec::new();
        for form in forms() {
            let v = form.written.trim_start_matches('^');
            let written = v.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 1).count();
            let shrinks = form.langs.iter().any(|&l| stem_tokens(l, &tokenize(v), lex).len() < 2);
            if written >= 2 && shrinks && !ALLOWED.contains(&v) {
                shrunk.push(v);
            }
        }
        assert!(shrunk.is_empty(), "{shrunk:?}");
    }

    #[test]
    fn generic_words_have_a_high_prior() {
        let lex = lexicon();
        let t = |w: &str, lang: Locale| {
            let s: Vec<Stem> = stem_tokens(lang, &tokenize(w), lex).into_iter().map(|(s, up)| (s, up, 1.0)).collect();
            lex.apply(lang, &s)[0].0.clone()
        };
        assert_eq!(lex.prior(&t("logiciel", Locale::Fr)), PRIOR_WEAK);
        assert_eq!(lex.prior(&t("Software", Locale::De)), PRIOR_WEAK, "mapped words share the prior");
        assert_eq!(lex.prior(&t("horodateur", Locale::Fr)), PRIOR_DEFAULT);
    }
}
