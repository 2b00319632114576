//! Languages: stop words, detection and stemming.
//!
//! The language is detected per need from counts of very frequent,
//! language-specific function words over title + description; the posting
//! organisation's `locale_hint` is used when the text gives too little
//! evidence (short titles) or the counts tie. Detection matters because an
//! East-Belgian or bilingual Brussels authority may well write in French.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The languages the analyser knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// French (most needs).
    Fr,
    /// Dutch (Flanders, Brussels).
    Nl,
    /// German (East Belgium).
    De,
    /// English (vendors' jargon, rare).
    En,
}

impl Lang {
    /// All languages, in the order used for lexicon compilation.
    pub const ALL: [Lang; 4] = [Lang::Fr, Lang::Nl, Lang::De, Lang::En];

    /// Parse a locale such as "fr", "nl-BE", "de_BE"; unknown → French, the
    /// platform's main language.
    pub fn from_locale(s: &str) -> Lang {
        let l = s.trim().to_ascii_lowercase();
        match l.get(..2) {
            Some("nl") => Lang::Nl,
            Some("de") => Lang::De,
            Some("en") => Lang::En,
            _ => Lang::Fr,
        }
    }

    fn idx(self) -> usize {
        match self {
            Lang::Fr => 0,
            Lang::Nl => 1,
            Lang::De => 2,
            Lang::En => 3,
        }
    }
}

/// Function words plus the formulaic words of a need statement ("nous
/// souhaitons", "we zoeken", "wir suchen"), all folded. They carry no topic.
const STOP_FR: &str = "a au aux avec ce ces cet cette c ca d dans de des du elle elles en et eux il ils je j l la le les leur leurs lui m ma mais me meme mes moi mon n ne nos notre nous on ou par pas pour qu que qui s sa se ses son sur t ta te tes toi ton tu un une vos votre vous y ete etre avoir ai as avons avez ont est sont sera seront soit etait fait faire plus moins tres tout tous toute toutes autre autres aussi ainsi car donc dont comme si sans sous chez entre vers afin selon depuis lors encore deja peu bien chaque quelque quelques certains certaines cela celui celle ceux celles ici leurs voulons voudrions souhaitons souhaite souhaiterions cherchons recherchons devons doit doivent faut peut peuvent pouvoir permettre permet permettant besoin avons nouveau nouvelle nouvelles nouveaux actuel actuelle actuellement exemple notamment etc via possible possibilite mettre mise";
const STOP_NL: &str = "aan al als bij dan dat de deze die dit door een en er hem het hier hij hun ik in is je kan kunnen maar met mij mijn na naar niet nog nu of om onder ons onze ook op over te tot uit van veel voor was wat we wel wij wie wil willen worden wordt zal zich zij zijn zo zoals zoeken zoekt waar waarmee waarbij keer daar dus toch zeer wanneer welke hoe zowel steeds moet moeten kunnen nieuw nieuwe huidige bv enz via mogelijk elke alle andere hebben heeft per";
const STOP_DE: &str = "aber alle als am an auch auf aus bei bis das dass dem den der des die dies diese diesem diesen dieser du durch ein eine einem einen einer eines er es fur hat haben ich ihr ihre im in ist jede jeder jedes kann konnen mit muss mussen nach nicht noch nur oder sein seine sich sie sind so soll sollen uber um und uns unser unsere unseren unserer vom von vor war was weil wenn werden wird wir wie zu zum zur suchen mochten neue neuen neues derzeit z b usw moglich jahr";
const STOP_EN: &str = "a an and are as at be by for from has have in into is it its of on or our that the their this to was we were will with which who would should can need needs new want";

/// Words used only to *detect* the language: frequent and not shared between
/// the four languages ("de", "en", "die" are ambiguous and left out).
const DETECT: [&str; 4] = [
    "le la les des du et est une pour avec dans sur nous notre nos par qui que au aux un leur",
    "het een van voor met zijn op te aan wij we onze die dat worden door bij om naar ook",
    "der das und mit fur von den dem ein eine zu auf ist wir unsere sich werden sollen im zum",
    "the and of to with for is our we be this that are",
];

struct Tables {
    stop: [HashSet<&'static str>; 4],
    detect: [HashSet<&'static str>; 4],
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let set = |s: &'static str| s.split_whitespace().collect::<HashSet<_>>();
        Tables { stop: [set(STOP_FR), set(STOP_NL), set(STOP_DE), set(STOP_EN)], detect: DETECT.map(set) }
    })
}

/// True for a folded token that carries no topic in `lang`. One-letter
/// tokens (elided articles, "e-" prefixes) are always stop words.
pub(crate) fn is_stop(lang: Lang, word: &str) -> bool {
    word.chars().count() < 2 || tables().stop[lang.idx()].contains(word)
}

/// Detect the language of folded tokens, falling back to `hint`.
///
/// Needs at least two marker words and a strict lead over the runner-up;
/// otherwise the hint wins (a two-word title says nothing reliable).
pub(crate) fn detect<'a>(words: impl Iterator<Item = &'a str>, hint: Lang) -> Lang {
    let t = tables();
    let mut counts = [0usize; 4];
    for w in words {
        for (i, set) in t.detect.iter().enumerate() {
            if set.contains(w) {
                counts[i] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..4).collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]));
    let (best, second) = (order[0], order[1]);
    if counts[best] >= 2 && counts[best] > counts[second] && counts[best] > counts[hint.idx()] {
        Lang::ALL[best]
    } else {
        hint
    }
}

/// Snowball stemmers, created once (they are stateless function tables).
pub(crate) fn stem(lang: Lang, word: &str) -> String {
    static S: OnceLock<[Stemmer; 4]> = OnceLock::new();
    let s = S.get_or_init(|| {
        [Algorithm::French, Algorithm::Dutch, Algorithm::German, Algorithm::English].map(Stemmer::create)
    });
    if lang == Lang::Fr {
        // The French stemmer expects accents ("-ité", "-ée"); input is folded,
        // so restore the two most regular accented suffixes to keep
        // "accessibilité" and "ACCESSIBILITE" on the same stem as before.
        let restored = restore_fr_accents(word);
        let mut st = super::text::fold(&s[0].stem(&restored));
        // Snowball keeps a final "s" after a vowel ("emplois", "numeros",
        // "infos") to protect "fois", "pays"; for matching, singular and
        // plural must meet, which dropping it guarantees on longer words.
        if st.len() >= 5 && st.ends_with('s') && st[..st.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']) {
            st.pop();
        }
        return st;
    }
    if lang == Lang::Nl {
        return s[1].stem(strip_nl_diminutive(word)).into_owned();
    }
    s[lang.idx()].stem(word).into_owned()
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

    fn det(s: &str, hint: Lang) -> Lang {
        let f = super::super::text::tokenize(s);
        detect(f.iter().map(|t| t.text.as_str()), hint)
    }

    #[test]
    fn detects_language_and_falls_back_on_hint() {
        assert_eq!(det("Nous voulons un outil pour la gestion des archives", Lang::De), Lang::Fr);
        assert_eq!(det("We zoeken een tool voor het beheer van de archieven", Lang::Fr), Lang::Nl);
        assert_eq!(det("Wir suchen eine Software für die Verwaltung der Archive", Lang::Fr), Lang::De);
        assert_eq!(det("Parapheur électronique", Lang::Nl), Lang::Nl, "too short: hint");
    }

    #[test]
    fn stems_folded_and_accented_forms_alike() {
        assert_eq!(stem(Lang::Fr, "accessibilite"), stem(Lang::Fr, "accessibilité"));
        assert_eq!(stem(Lang::Fr, "donnees"), stem(Lang::Fr, "données"));
        assert_eq!(stem(Lang::Fr, "formations"), stem(Lang::Fr, "formation"));
        assert_eq!(stem(Lang::De, "burger"), stem(Lang::De, "bürger"));
        assert_eq!(stem(Lang::Nl, "woningen"), "woning");
        assert_eq!(stem(Lang::Nl, "volkstuintjes"), stem(Lang::Nl, "volkstuinen"));
        assert_eq!(stem(Lang::Nl, "huisje"), stem(Lang::Nl, "huis"));
        assert_ne!(stem(Lang::Nl, "kopje"), stem(Lang::Nl, "kop"), "a base under 4 letters keeps its suffix");
    }

    #[test]
    fn stop_words() {
        assert!(is_stop(Lang::Fr, "nous") && is_stop(Lang::Fr, "l"));
        assert!(!is_stop(Lang::Fr, "archives"));
        assert_eq!(Lang::from_locale("nl-BE"), Lang::Nl);
        assert_eq!(Lang::from_locale(""), Lang::Fr);
    }
}
