//! Languages: stop words, detection and stemming.
//!
//! The language is detected per need from counts of very frequent,
//! language-specific function words over title + description; the posting
//! organisation's `locale_hint` is used when the text gives too little
//! evidence (short titles) or the counts tie. Detection matters because an
//! East-Belgian or bilingual Brussels authority may well write in French.

use super::data::{DataFile, LANGUAGE_MARKERS, STOP_WORDS};
use crate::domain::kinds::Locale;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The language a need is analysed in when its posting organisation's locale
/// ("fr", "nl-BE", "de_BE") says nothing the analyser knows: French, the
/// platform's main language.
pub(crate) fn from_hint(hint: &str) -> Locale {
    let code = hint.trim().to_ascii_lowercase();
    code.get(..2).and_then(|c| Locale::parse(c).ok()).unwrap_or(Locale::Fr)
}

/// Per language, a set of words, indexed by the language's place in
/// [`Locale::ALL`].
type PerLanguage = Vec<HashSet<&'static str>>;

struct Tables {
    /// `data/matching/stop-words.tsv`.
    stop: PerLanguage,
    /// `data/matching/language-markers.tsv`.
    markers: PerLanguage,
}

/// The place of a language in [`Locale::ALL`], which lists the variants in
/// their declaration order.
fn slot(lang: Locale) -> usize {
    lang as usize
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let read = |file: &DataFile| {
            let mut sets: PerLanguage = vec![HashSet::new(); Locale::ALL.len()];
            for row in file.rows::<2>() {
                for &lang in row.languages(0) {
                    sets[slot(lang)].insert(row.fields[1]);
                }
            }
            sets
        };
        Tables { stop: read(&STOP_WORDS), markers: read(&LANGUAGE_MARKERS) }
    })
}

/// True for a folded token that carries no topic in `lang`. One-letter
/// tokens (elided articles, "e-" prefixes) are always stop words.
pub(crate) fn is_stop(lang: Locale, word: &str) -> bool {
    word.chars().count() < 2 || tables().stop[slot(lang)].contains(word)
}

/// Detect the language of folded tokens, falling back to `hint`.
///
/// Needs at least two marker words and a strict lead over the runner-up;
/// otherwise the hint wins (a two-word title says nothing reliable).
pub(crate) fn detect<'a>(words: impl Iterator<Item = &'a str>, hint: Locale) -> Locale {
    let t = tables();
    let mut counts = vec![0usize; Locale::ALL.len()];
    for w in words {
        for (i, set) in t.markers.iter().enumerate() {
            if set.contains(w) {
                counts[i] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]));
    let (best, second) = (order[0], order[1]);
    if counts[best] >= 2 && counts[best] > counts[second] && counts[best] > counts[slot(hint)] {
        Locale::ALL[best]
    } else {
        hint
    }
}

/// Snowball stemmers, created once (they are stateless function tables).
pub(crate) fn stem(lang: Locale, word: &str) -> String {
    static S: OnceLock<Vec<Stemmer>> = OnceLock::new();
    let s = S.get_or_init(|| Locale::ALL.iter().map(|&l| Stemmer::create(algorithm(l))).collect());
    if lang == Locale::Fr {
        // The French stemmer expects accents ("-ité", "-ée"); input is folded,
        // so restore the two most regular accented suffixes to keep
        // "accessibilité" and "ACCESSIBILITE" on the same stem as before.
        let restored = restore_fr_accents(word);
        let mut st = super::text::fold(&s[slot(Locale::Fr)].stem(&restored));
        // Snowball keeps a final "s" after a vowel ("emplois", "numeros",
        // "infos") to protect "fois", "pays"; for matching, singular and
        // plural must meet, which dropping it guarantees on longer words.
        if st.len() >= 5 && st.ends_with('s') && st[..st.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']) {
            st.pop();
        }
        return st;
    }
    if lang == Locale::Nl {
        return s[slot(Locale::Nl)].stem(strip_nl_diminutive(word)).into_owned();
    }
    s[slot(lang)].stem(word).into_owned()
}

/// The Snowball stemmer of each language.
fn algorithm(lang: Locale) -> Algorithm {
    match lang {
        Locale::Fr => Algorithm::French,
        Locale::Nl => Algorithm::Dutch,
        Locale::De => Algorithm::German,
        Locale::En => Algorithm::English,
    }
}

/// Dutch diminutives ("volkstuintjes", "huisje", "bloempje") are ordinary
/// nouns to a need; Snowball keeps their suffix, so "volkstuintjes" and
/// "volkstuinen" would not meet. The base must keep 4+ letters.
fn strip_nl_diminutive(w: &str) -> &str {
    for suf in ["etjes", "etje", "tjes", "tje", "pjes", "pje", "kjes", "kje", "jes", "je"] {
        if let Some(base) = w.strip_suffix(suf)
            && base.chars().count() >= 4
        {
            return base;
        }
    }
    w
}

fn restore_fr_accents(w: &str) -> String {
    for (suf, rep) in [("ites", "ités"), ("ite", "ité"), ("ees", "ées"), ("ee", "ée")] {
        if w.len() >= 7 && w.ends_with(suf) {
            return format!("{}{}", &w[..w.len() - suf.len()], rep);
        }
    }
    w.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(s: &str, hint: Locale) -> Locale {
        let f = super::super::text::tokenize(s);
        detect(f.iter().map(|t| t.text.as_str()), hint)
    }

    #[test]
    fn detects_language_and_falls_back_on_hint() {
        assert_eq!(det("Nous voulons un outil pour la gestion des archives", Locale::De), Locale::Fr);
        assert_eq!(det("We zoeken een tool voor het beheer van de archieven", Locale::Fr), Locale::Nl);
        assert_eq!(det("Wir suchen eine Software für die Verwaltung der Archive", Locale::Fr), Locale::De);
        assert_eq!(det("Parapheur électronique", Locale::Nl), Locale::Nl, "too short: hint");
    }

    #[test]
    fn stems_folded_and_accented_forms_alike() {
        assert_eq!(stem(Locale::Fr, "accessibilite"), stem(Locale::Fr, "accessibilité"));
        assert_eq!(stem(Locale::Fr, "donnees"), stem(Locale::Fr, "données"));
        assert_eq!(stem(Locale::Fr, "formations"), stem(Locale::Fr, "formation"));
        assert_eq!(stem(Locale::De, "burger"), stem(Locale::De, "bürger"));
        assert_eq!(stem(Locale::Nl, "woningen"), "woning");
        assert_eq!(stem(Locale::Nl, "volkstuintjes"), stem(Locale::Nl, "volkstuinen"));
        assert_eq!(stem(Locale::Nl, "huisje"), stem(Locale::Nl, "huis"));
        assert_ne!(stem(Locale::Nl, "kopje"), stem(Locale::Nl, "kop"), "a base under 4 letters keeps its suffix");
    }

    #[test]
    fn every_language_has_its_stop_words_markers_and_place() {
        for (i, &lang) in Locale::ALL.iter().enumerate() {
            assert_eq!(slot(lang), i);
            assert!(!tables().stop[i].is_empty() && !tables().markers[i].is_empty(), "{lang}");
        }
    }

    #[test]
    fn stop_words() {
        assert!(is_stop(Locale::Fr, "nous") && is_stop(Locale::Fr, "l"));
        assert!(!is_stop(Locale::Fr, "archives"));
        assert_eq!(from_hint("nl-BE"), Locale::Nl);
        assert_eq!(from_hint("de_BE"), Locale::De);
        assert_eq!(from_hint(""), Locale::Fr);
    }
}
