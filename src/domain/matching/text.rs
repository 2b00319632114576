//! Character-level normalisation and tokenisation.
//!
//! Everything downstream (stop words, stemming, lexicon patterns) works on the
//! *folded* form produced here, so that "ÉNERGIE", "énergie" and "energie" are
//! the same token. Titles in capitals usually lose their accents in French, so
//! folding before stemming is the only way to stay consistent.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A token as written, after folding.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawToken {
    /// Folded (NFKD, marks removed, lowercase) text, only `[a-z0-9]`-like chars.
    pub text: String,
    /// True when the original was written in capitals (e.g. "GAS", "SAC"): some
    /// acronyms are only recognised in that case because the lowercase word is
    /// an ordinary one ("gas" is also Dutch for gas).
    pub upper: bool,
}

/// NFKD-decompose, drop combining marks, expand ligatures, lowercase.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            // Letters that NFKD does not decompose.
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            // Typographic apostrophes and dashes become plain separators below.
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Split text into folded word tokens.
///
/// Words are runs of alphanumeric characters; apostrophes and hyphens split
/// ("l'accessibilité" → "l", "accessibilite"; "e-guichet" → "e", "guichet"),
/// the one-letter leftovers are dropped later as stop words. Tokens starting
/// with a digit (years, counts, "24h") carry no topic and are dropped here.
pub(crate) fn tokenize(s: &str) -> Vec<RawToken> {
    let mut out = Vec::new();
    for word in s.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let upper = letters >= 2 && word.chars().all(|c| !c.is_lowercase());
        // Folding can itself produce separators (e.g. "½" → "1⁄2"), split again.
        for part in fold(word).split(|c: char| !c.is_alphanumeric()) {
            let starts_with_digit = part.chars().next().is_some_and(|c| c.is_ascii_digit());
            if part.is_empty() || starts_with_digit {
                continue;
            }
            out.push(RawToken { text: part.to_string(), upper });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn folds_accents_case_and_ligatures() {
        assert_eq!(fold("ÉNERGIE Bâtiments"), "energie batiments");
        assert_eq!(fold("Straße Œuvre Öffentliches"), "strasse oeuvre offentliches");
        assert_eq!(fold("ﬁchier"), "fichier");
    }

    #[test]
    fn tokenizes_apostrophes_hyphens_and_numbers() {
        assert_eq!(words("L'accessibilité d’un e-guichet"), ["l", "accessibilite", "d", "un", "e", "guichet"]);
        assert_eq!(words("WCAG 2.1 AA, 24h/24 en 2012"), ["wcag", "aa", "en"]);
        assert_eq!(words("Population/État civil"), ["population", "etat", "civil"]);
    }

    #[test]
    fn marks_capitalised_tokens() {
        let t = tokenize("GAS boete gas");
        assert!(t[0].upper);
        assert!(!t[1].upper && !t[2].upper);
        assert!(!tokenize("A")[0].upper, "a single capital letter is not an acronym");
    }
}
