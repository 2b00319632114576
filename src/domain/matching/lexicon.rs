//! Compiled lexicon: acronyms, cross-language vocabulary, compound heads and
//! background frequencies of generic words.
//!
//! Entries are written as plain text (`lexicon_abbr`, `lexicon_vocab`,
//! `lexicon_domain`) and analysed once with the very pipeline used for needs,
//! so inflected forms and spelling variants match without listing them. The
//! priors and compound heads below follow the same rule as the entries:
//!
//! # The rule (every lexicon file follows it)
//!
//! An entry belongs here only if *any* local-authority IT need may use it,
//! whatever its topic, and someone who had never read the dev sets would have
//! written it:
//! 1. Belgian local bodies, councils, officials, institutions, registers and
//!    their acronyms (CPAS/OCMW/ÖSHZ, collège communal, RGPD, BCE, RIS…);
//! 2. generic acts and objects of administration (request, permit, register,
//!    invoice, payment, appointment, booking, registration, signature,
//!    archive, contract, decision, deadline, report…);
//! 3. generic IT vocabulary (software, platform, database, online, form, map,
//!    dashboard, export, interface, notification…);
//! 4. the departments and competences of a commune or CPAS as named on an
//!    organisation chart (population, état civil, urbanisme, travaux,
//!    enseignement, petite enfance, jeunesse, logement, mobilité, finances,
//!    personnel…) and the people they serve (citizen, agent, parent, pupil,
//!    owner, trader…).
//!
//! Never the object of one particular need (firewood, debts, trees, hornets,
//! parking meters, bicycles, energy meters…), even when it looks generic: a
//! word added because a dev need uses it makes the matcher worse on the needs
//! it has not seen. Generality comes from the analysis instead: stemming,
//! compound splitting, Dutch diminutives, typo, derivation and cognate
//! matching (`fuzzy.rs`).

use super::analyze::{PART_WEIGHT, Stem, stem_tokens};
use super::lang::Lang;
use super::lexicon_abbr::ABBREVIATIONS;
use super::lexicon_domain::DOMAIN;
use super::lexicon_vocab::VOCABULARY;
use super::text::tokenize;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Generic words found in almost any IT need of a public body: their
/// background document frequency is high, so they weigh little even when the
/// index is still nearly empty (cold start).
const WEAK: &str = "gestion logiciel outil application plateforme solution systeme commune citoyen service ligne suivi donnees numerique electronique demande agent personnel administration document information public developpement creation remplacement module fonctionnalite utilisateur acces projet mise jour encodage encoder interface programme automatiser centraliser besoin outil simple moderne actuel efficace processus";

/// Fairly common function words of IT needs: medium background frequency.
const MEDIUM: &str = "cpas dossier export statistique rapport historique liste formulaire notification recherche consultation tableau bord papier excel fichier base commande envoi courrier tablette mobile smartphone paiement";

/// Who posts or decides rather than what is needed: local bodies, their
/// councils and officials. A police zone's need names the police whatever
/// its topic, so these words weigh like the fairly common ones.
const ORGANISATIONS: &str = "cpas zone de police zone de secours police pompiers province intercommunale college communal conseil communal conseil de l'action sociale bourgmestre echevin mandataire directeur general directeur financier";

/// Generic Dutch and German nouns that end or start compounds; besides these,
/// every single-word Dutch/German lexicon variant is a head too.
const HEADS: &str = "beheer register systeem lijst plan kaart aanvraag dienst loket vergunning opvang platform databank toepassing pakket module beleid rekening betaling belasting premie woning school zaal park plaats zone brief vraag kantoor huis centrum raad dossier formulier procedure termijn regeling bureau tool project verlof kosten wagen weg straat werk zorg hulp steun gegevens verwaltung anmeldung liste system antrag karte plattform datenbank programm buchung zahlung rechnung steuer gebuhr haus wohnung schule saal platz amt buro stelle zentrum akte formular verfahren frist regelung projekt planung urlaub stunden strasse arbeit hilfe daten verzeichnis";

/// Prior document-frequency fractions by class of term.
pub(crate) const PRIOR_WEAK: f64 = 0.25;
pub(crate) const PRIOR_MEDIUM: f64 = 0.08;
pub(crate) const PRIOR_DEFAULT: f64 = 0.01;

struct Rule {
    canon: Vec<String>,
    upper_only: bool,
}

/// The compiled lexicon. Built once, read-only, shared by all indexes.
pub(crate) struct Lexicon {
    rules: HashMap<(Lang, String), Rule>,
    max_len: usize,
    heads: HashSet<String>,
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

    /// True when `term` is a concept of the lexicon, which maps its own
    /// forms across languages.
    pub(crate) fn is_concept(&self, term: &str) -> bool {
        self.concepts.contains(term)
    }

    /// Background document-frequency fraction of a term.
    pub(crate) fn prior(&self, term: &str) -> f64 {
        self.priors.get(term).copied().unwrap_or(PRIOR_DEFAULT)
    }

    fn single(&self, lang: Lang, stem: &str, upper: bool) -> Option<&Rule> {
        self.rules.get(&(lang, stem.to_string())).filter(|r| upper || !r.upper_only)
    }

    /// True when the stems, in this order, are a multi-word entry.
    pub(crate) fn is_pattern(&self, lang: Lang, stems: &[String]) -> bool {
        stems.len() >= 2 && self.rules.get(&(lang, stems.join(" "))).is_some_and(|r| !r.upper_only)
    }

    /// Replace known patterns, longest first. A multi-word match keeps its
    /// own words as well (mapped one by one, at [`PART_WEIGHT`], unless the
    /// canonical form has them): "kinderopvang" gives the cross-language
    /// concept *and* its Dutch parts, so two Dutch needs still share the
    /// finer words while a French one shares the concept. Terms keep the
    /// weight of their stems (the smallest, for a pattern).
    pub(crate) fn apply(&self, lang: Lang, stems: &[Stem]) -> Vec<(String, f32)> {
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

    fn push_single(&self, lang: Lang, (stem, upper, w): &Stem, out: &mut Vec<(String, f32)>) {
        match self.single(lang, stem, *upper) {
            Some(rule) => out.extend(rule.canon.iter().map(|c| (c.clone(), *w))),
            None => out.push((stem.to_string(), *w)),
        }
    }
}

/// One lexicon line: canonical form and its (languages, variant) pairs.
type Entry = (&'static str, Vec<(Vec<Lang>, &'static str)>);

/// Parse `canonical = lang: a, b | lang: c` lines.
fn parse(table: &'static str) -> Vec<Entry> {
    let mut out = Vec::new();
    for line in table.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let Some((canon, rest)) = line.split_once('=') else {
            continue;
        };
        let mut variants = Vec::new();
        for group in rest.split('|') {
            let Some((lang, words)) = group.split_once(':') else {
                continue;
            };
            let langs = match lang.trim() {
                "*" => Lang::ALL.to_vec(),
                l => vec![Lang::from_locale(l)],
            };
            for w in words.split(',').map(str::trim).filter(|w| !w.is_empty()) {
                variants.push((langs.clone(), w));
            }
        }
        out.push((canon.trim(), variants));
    }
    out
}

fn compile() -> Lexicon {
    let entries: Vec<_> = parse(ABBREVIATIONS).into_iter().chain(parse(VOCABULARY)).chain(parse(DOMAIN)).collect();
    let mut heads: HashSet<String> = HEADS.split_whitespace().map(String::from).collect();
    for (_, variants) in &entries {
        for (langs, v) in variants {
            let toks = tokenize(v);
            if toks.len() == 1
                && toks[0].text.chars().count() >= 4
                && langs.iter().any(|l| matches!(l, Lang::Nl | Lang::De))
            {
                heads.insert(toks[0].text.clone());
            }
        }
    }
    let mut lex = Lexicon {
        rules: HashMap::new(),
        max_len: 1,
        heads,
        priors: HashMap::new(),
        concepts: HashSet::new(),
        conflicts: Vec::new(),
    };
    for (canon, variants) in &entries {
        let canon_stems: Vec<String> = stem_tokens(Lang::Fr, &tokenize(canon), &lex).into_iter().map(|s| s.0).collect();
        if canon_stems.is_empty() {
            continue;
        }
        for (langs, v) in variants {
            let (upper_only, v) = match v.strip_prefix('^') {
                Some(rest) => (true, rest),
                None => (false, *v),
            };
            for &lang in langs {
                let key: Vec<String> = stem_tokens(lang, &tokenize(v), &lex).into_iter().map(|s| s.0).collect();
                if key.is_empty() || key == canon_stems {
                    continue;
                }
                lex.max_len = lex.max_len.max(key.len());
                let k = (lang, key.join(" "));
                match lex.rules.get(&k) {
                    Some(r) if r.canon != canon_stems => {
                        lex.conflicts.push(format!("{:?} {} -> {:?} / {:?}", lang, k.1, r.canon, canon_stems))
                    }
                    Some(_) => {}
                    None => {
                        lex.rules.insert(k, Rule { canon: canon_stems.clone(), upper_only });
                    }
                }
            }
        }
    }
    // A variant equal to another concept's canonical form would silently
    // redirect that concept ("paie" → salaire would take "paiement" along).
    let canon_keys: HashMap<(Lang, String), Vec<String>> = lex
        .rules
        .values()
        .filter(|r| r.canon.len() == 1)
        .flat_map(|r| Lang::ALL.map(|l| ((l, r.canon[0].clone()), r.canon.clone())))
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
        .filter(|((l, k), r)| *l == Lang::Fr && !k.contains(' ') && !r.upper_only)
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
    for (words, p) in [(WEAK, PRIOR_WEAK), (MEDIUM, PRIOR_MEDIUM), (ORGANISATIONS, PRIOR_MEDIUM)] {
        let stems: Vec<Stem> =
            stem_tokens(Lang::Fr, &tokenize(words), &lex).into_iter().map(|(s, up)| (s, up, 1.0)).collect();
        for (t, _) in lex.apply(Lang::Fr, &stems) {
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
        for (_, variants) in parse(ABBREVIATIONS).into_iter().chain(parse(VOCABULARY)).chain(parse(DOMAIN)) {
            for (langs, v) in variants {
                let v = v.trim_start_matches('^');
                let written = v.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 1).count();
                let shrinks = langs.iter().any(|&l| stem_tokens(l, &tokenize(v), lex).len() < 2);
                if written >= 2 && shrinks && !ALLOWED.contains(&v) {
                    shrunk.push(v);
                }
            }
        }
        assert!(shrunk.is_empty(), "{shrunk:?}");
    }

    #[test]
    fn generic_words_have_a_high_prior() {
        let lex = lexicon();
        let t = |w: &str, lang: Lang| {
            let s: Vec<Stem> = stem_tokens(lang, &tokenize(w), lex).into_iter().map(|(s, up)| (s, up, 1.0)).collect();
            lex.apply(lang, &s)[0].0.clone()
        };
        assert_eq!(lex.prior(&t("logiciel", Lang::Fr)), PRIOR_WEAK);
        assert_eq!(lex.prior(&t("Software", Lang::De)), PRIOR_WEAK, "mapped words share the prior");
        assert_eq!(lex.prior(&t("horodateur", Lang::Fr)), PRIOR_DEFAULT);
    }
}
