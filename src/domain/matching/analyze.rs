//! From a need's text to index terms.
//!
//! Pipeline per field: tokenize + fold → split Dutch/German compounds →
//! drop stop words → Snowball stem → lexicon (acronyms, cross-language
//! vocabulary, spelling variants) by greedy longest match on stem sequences.
//! Title and description are analysed separately so they can be weighted
//! separately. The language is detected per need (see [`super::lang`]).

use super::NeedText;
use super::lang;
use super::lexicon::{Lexicon, lexicon};
use super::text::{self, RawToken};
use crate::domain::kinds::Locale;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Weight of each part of a split compound, beside the whole word (1): two
/// needs sharing a compound share its meaning, two sharing one part of
/// different compounds ("woonzorgcentrum", "zorgwonen") much less.
pub(crate) const PART_WEIGHT: f32 = 0.5;

/// A stem of a field: text, written in capitals, weight.
pub(crate) type Stem = (String, bool, f32);

/// An analysed need: stemmed, mapped terms per field.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysed {
    /// Language used for stop words and stemming.
    pub lang: Locale,
    /// Terms of the title with their weight (1, or [`PART_WEIGHT`] for a
    /// part of a compound), in order, repeated terms kept.
    pub title: Vec<(String, f32)>,
    /// Terms of the description, likewise.
    pub desc: Vec<(String, f32)>,
}

/// Analyse a need.
pub fn analyse(need: &NeedText) -> Analysed {
    let lex = lexicon();
    let title_tokens = text::tokenize(need.title);
    let desc_tokens = text::tokenize(need.description);
    let words = title_tokens.iter().chain(desc_tokens.iter()).map(|t| t.text.as_str());
    let lang = lang::detect(words, lang::from_hint(need.locale_hint));
    Analysed { lang, title: analyse_tokens(lang, &title_tokens, lex), desc: analyse_tokens(lang, &desc_tokens, lex) }
}

/// Analyse free text in a given language: a compound the lexicon does not
/// know as a whole gives its own stem and, at [`PART_WEIGHT`], its parts.
pub(crate) fn analyse_tokens(lang: Locale, tokens: &[RawToken], lex: &Lexicon) -> Vec<(String, f32)> {
    let mut stems: Vec<Stem> = Vec::with_capacity(tokens.len());
    for t in tokens {
        let parts = if lex.splits_compounds(lang) {
            let on_heads = split_compound(&t.text, lex, 0);
            if on_heads.len() < 2 { split_on_dictionary(lang, &t.text, 0) } else { on_heads }
        } else {
            Vec::new()
        };
        if parts.len() < 2 {
            if !lang::is_stop(lang, &t.text) {
                stems.push((lang::stem(lang, &t.text), t.upper, 1.0));
            }
            continue;
        }
        let part_stems: Vec<String> =
            parts.iter().filter(|p| !lang::is_stop(lang, p)).map(|p| lang::stem(lang, p)).collect();
        if lex.is_pattern(lang, &part_stems) {
            // A compound the lexicon knows as a whole ("kinderopvang").
            stems.extend(part_stems.into_iter().map(|s| (s, t.upper, 1.0)));
        } else {
            stems.push((lang::stem(lang, &t.text), t.upper, 1.0));
            stems.extend(part_stems.into_iter().map(|s| (s, t.upper, PART_WEIGHT)));
        }
    }
    lex.apply(lang, &stems)
}

/// Compound split, stop words and stemming; keeps the capitals flag. This
/// is how lexicon entries are read, so that a compound's parts find them.
pub(crate) fn stem_tokens(lang: Locale, tokens: &[RawToken], lex: &Lexicon) -> Vec<(String, bool)> {
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        let parts = if lex.splits_compounds(lang) { split_compound(&t.text, lex, 0) } else { vec![t.text.clone()] };
        for p in parts {
            if !lang::is_stop(lang, &p) {
                out.push((lang::stem(lang, &p), t.upper));
            }
        }
    }
    out
}

/// Inflectional endings a compound's head may carry.
const HEAD_ENDINGS: [&str; 7] = ["", "s", "e", "n", "en", "er", "es"];

/// Split a Dutch/German compound on known heads ("leegstandsregister" →
/// "leegstand" + "register", "brennholzverkauf" → "brennholz" + "verkauf").
/// Heads are generic admin nouns, so the split generalises; unknown words stay
/// whole. The modifier is split again (bounded depth) and loses a linking "s".
pub(crate) fn split_compound(word: &str, lex: &Lexicon, depth: usize) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 8 || depth > 3 {
        return vec![word.to_string()];
    }
    // Longest known head first (smallest split point). The modifier needs 4+
    // chars: shorter ones are mostly verbal particles ("aan-melding").
    for i in 4..=n.saturating_sub(4) {
        let head: String = chars[i..].iter().collect();
        let known =
            HEAD_ENDINGS.iter().any(|e| head.strip_suffix(e).is_some_and(|h| h.chars().count() >= 4 && lex.is_head(h)));
        if known {
            let mut modifier: String = chars[..i].iter().collect();
            if modifier.chars().count() > 4 && modifier.ends_with('s') && !modifier.ends_with("ss") {
                modifier.pop();
            }
            let mut parts = split_compound(&modifier, lex, depth + 1);
            parts.push(head);
            return parts;
        }
    }
    // Known modifier with a long enough remainder ("opvangvragen").
    for i in (4..=n.saturating_sub(5)).rev() {
        let modifier: String = chars[..i].iter().collect();
        if lex.is_head(&modifier) {
            let rest: String = chars[i..].iter().collect();
            let mut parts = vec![modifier];
            parts.extend(split_compound(&rest, lex, depth + 1));
            return parts;
        }
    }
    vec![word.to_string()]
}

/// The words of the translation dictionary (`translations.tsv`), folded,
/// with their language: the vocabulary a compound no head splits is split
/// against.
fn dictionary_words() -> &'static HashSet<(Locale, String)> {
    static W: OnceLock<HashSet<(Locale, String)>> = OnceLock::new();
    W.get_or_init(|| {
        let mut words = HashSet::new();
        for row in super::data::TRANSLATIONS.rows::<4>() {
            for (field, lang) in [(1, 0), (3, 2)] {
                if let (&[l], [token]) = (row.languages(lang), &text::tokenize(row.fields[field])[..]) {
                    words.insert((l, token.text.clone()));
                }
            }
        }
        words
    })
}

/// Shortest part of a compound split on the dictionary's words.
const MIN_PART: usize = 4;
/// Endings linking the first word of a compound to the next.
const LINKS: [&str; 5] = ["", "s", "e", "en", "n"];

/// Split a Dutch or German compound no generic head splits into two words
/// the dictionary knows ("voetgangerszone" → "voetganger" + "zone",
/// "Kirchengarten" → "kirche" + "garten"), the longest second word first:
/// the first a word of the compound's language, which may carry a linking
/// "s", "e" or "en" and is split again (bounded depth); the second a word of
/// any of the dictionary's languages (compounds end on loanwords: "zone",
/// "project"). Unknown words, and words one part of which the
/// dictionary does not know, stay whole. Every part is a general word, so
/// the split does not depend on any need; its parts then meet their
/// translations.
pub(crate) fn split_on_dictionary(lang: Locale, word: &str, depth: usize) -> Vec<String> {
    let words = dictionary_words();
    let long = |w: &str| w.chars().count() >= MIN_PART;
    let known = |w: &str| long(w) && words.contains(&(lang, w.to_string()));
    let loan = |w: &str| long(w) && Locale::ALL.iter().any(|&l| words.contains(&(l, w.to_string())));
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 2 * MIN_PART || depth > 2 {
        return vec![word.to_string()];
    }
    for i in MIN_PART..=n - MIN_PART {
        let head: String = chars[i..].iter().collect();
        let head_known = HEAD_ENDINGS.iter().any(|e| head.strip_suffix(e).is_some_and(|h| loan(h)));
        if !head_known {
            continue;
        }
        let modifier: String = chars[..i].iter().collect();
        let mut parts = match LINKS.iter().filter_map(|l| modifier.strip_suffix(l)).find(|m| known(m)) {
            Some(base) => vec![base.to_string()],
            None => match split_on_dictionary(lang, &modifier, depth + 1) {
                split if split.len() >= 2 => split,
                _ => continue,
            },
        };
        parts.push(head);
        return parts;
    }
    vec![word.to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need<'a>(title: &'a str, description: &'a str, hint: &'a str) -> NeedText<'a> {
        NeedText { title, description, locale_hint: hint }
    }

    fn terms(title: &str, hint: &str) -> Vec<String> {
        analyse(&need(title, "", hint)).title.into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn acronyms_and_expansions_meet() {
        assert_eq!(terms("CPAS", "fr"), terms("OCMW", "nl"));
        assert_eq!(terms("ÖSHZ", "de"), terms("CPAS", "fr"));
        assert_eq!(terms("RGPD", "fr"), terms("DSGVO", "de"));
        assert!(terms("Centre public d'action sociale", "fr").contains(&terms("CPAS", "fr")[0]));
        assert!(terms("zone de police", "fr").iter().all(|t| terms("ZP", "fr").contains(t)));
        assert_eq!(terms("rdv", "fr"), terms("rendez-vous", "fr"));
    }

    #[test]
    fn capital_only_acronyms() {
        assert!(terms("GAS boetes", "nl").contains(&terms("SAC", "fr")[0]));
        assert!(!terms("verbruik van gas", "nl").contains(&terms("SAC", "fr")[0]));
    }

    #[test]
    fn cross_language_vocabulary() {
        assert_eq!(terms("facturation", "fr"), terms("facturatie", "nl"));
        assert_eq!(terms("Rechnungen", "de"), terms("factures", "fr"));
        assert_eq!(terms("planifier", "fr"), terms("planning", "fr"));
        assert_eq!(terms("archief", "nl"), terms("archives", "fr"));
    }

    #[test]
    fn services_of_local_authorities_meet_across_languages() {
        let concept = |t: &str, hint: &str| terms(t, hint)[0].clone();
        let care_home = concept("maison de repos", "fr");
        assert_eq!(concept("woonzorgcentrum", "nl"), care_home);
        assert_eq!(concept("Seniorenheim", "de"), care_home);
        assert_eq!(concept("nursing home", "en"), care_home);
        let password = concept("mots de passe", "fr");
        assert_eq!(concept("wachtwoorden", "nl"), password);
        assert_eq!(concept("Passwörter", "de"), password);
        assert_eq!(concept("Lohnabrechnung", "de"), concept("rémunération", "fr"));
        assert_eq!(concept("schuldbemiddeling", "nl"), concept("médiation de dettes", "fr"));
        assert_eq!(concept("Abwasser", "de"), concept("égouttage", "fr"));
    }

    #[test]
    fn words_with_a_second_meaning_stay_apart() {
        // German "Lager" is a store and a camp: it maps to neither.
        let stock = terms("stock", "fr")[0].clone();
        assert!(!terms("Jugendlager", "de").contains(&stock));
        // "traitement" is a civil servant's pay but also any processing.
        assert!(!terms("traitement des demandes", "fr").contains(&terms("salaire", "fr")[0]));
        // An IT "intégration" is not the integration of newcomers.
        assert_ne!(terms("intégration", "fr"), terms("inburgering", "nl"));
    }

    #[test]
    fn compounds_are_split_on_known_heads() {
        let lex = lexicon();
        assert_eq!(split_compound("leegstandsregister", lex, 0), ["leegstand", "register"]);
        assert_eq!(split_compound("wohnungsregister", lex, 0), ["wohnung", "register"]);
        assert_eq!(split_compound("parkeervergunning", lex, 0), ["parkeer", "vergunning"]);
        assert_eq!(split_compound("onbekendwoord", lex, 0), ["onbekendwoord"]);
        let reg = terms("register", "nl");
        assert!(terms("leegstandsregister", "nl").contains(&reg[0]));
    }

    #[test]
    fn a_compound_keeps_its_whole_stem_and_its_parts_weigh_less() {
        let a = analyse(&need("leegstandsregister", "", "nl"));
        let weight = |t: &str| a.title.iter().find(|x| x.0 == t).map(|x| x.1);
        assert_eq!(weight(&lang::stem(Locale::Nl, "leegstandsregister")), Some(1.0));
        assert_eq!(weight(&terms("register", "nl")[0]), Some(PART_WEIGHT));
        // Two compounds sharing one part share only that part, at part weight.
        let care = analyse(&need("woonzorgcentrum", "", "nl"));
        let living = analyse(&need("zorgwonen", "", "nl"));
        let shared: Vec<&(String, f32)> =
            care.title.iter().filter(|t| living.title.iter().any(|u| u.0 == t.0)).collect();
        assert!(!shared.is_empty() && shared.iter().all(|t| t.1 == PART_WEIGHT), "{care:?} {living:?}");
        // A compound the lexicon knows as a whole maps at full weight.
        let creche = terms("crèche", "fr");
        let a = analyse(&need("kinderopvang", "", "nl"));
        assert!(a.title.contains(&(creche[0].clone(), 1.0)), "{a:?}");
    }

    #[test]
    fn compounds_no_head_splits_are_split_on_the_dictionary() {
        assert_eq!(split_on_dictionary(Locale::Nl, "voetgangerszone", 0), ["voetganger", "zone"]);
        assert_eq!(split_on_dictionary(Locale::De, "kirchengarten", 0), ["kirche", "garten"]);
        assert_eq!(split_on_dictionary(Locale::Nl, "onbekendwoord", 0), ["onbekend", "woord"]);
        assert_eq!(split_on_dictionary(Locale::Nl, "blorfwuggen", 0), ["blorfwuggen"]);
        // The whole compound still counts in full, its parts at part weight.
        let a = analyse(&need("voetgangerszone", "", "nl"));
        assert_eq!(a.title[0], (lang::stem(Locale::Nl, "voetgangerszone"), 1.0));
        assert!(a.title[1..].iter().all(|t| t.1 == PART_WEIGHT), "{a:?}");
    }

    #[test]
    fn a_multi_word_concept_counts_once() {
        let a = analyse(&need("liste d'attente", "", "fr"));
        let mut words: Vec<&str> = a.title.iter().map(|t| t.0.as_str()).collect();
        words.dedup();
        assert_eq!(words.len(), a.title.len(), "no word repeated by the concept: {a:?}");
    }

    #[test]
    fn detects_language_despite_hint() {
        let a =
            analyse(&need("Gestion des archives", "Nous voulons un outil pour inventorier les boîtes du dépôt.", "de"));
        assert_eq!(a.lang, Locale::Fr);
    }
}
