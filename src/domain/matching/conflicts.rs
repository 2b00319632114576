//! Which posts can affect each other's matching decision: the words two needs must share,
//! as the decision rule reads them, for one to be merged into the other's pool.
//!
//! [`decide`](super::decide) merges only a *grounded* pair ([`super::PoolScore::grounded`]):
//! a specific title term of one (`query::is_specific`) found in the other, exactly or
//! through the dictionary, or neither title naming one. [`Analysed::conflict_keys`] gives
//! a need's keys so that two needs whose titles relate that way share one:
//!
//! - each specific title term, and each of its dictionary translations (direct or through a
//!   pivot; the relation is symmetric, so both needs list both terms);
//! - each title term that is a concept of the lexicon (its forms in every language are one
//!   term already): two titles without a specific term are grounded whatever they say, and
//!   share a concept when their titles name the same thing;
//! - when the title has neither, its other terms (generic words: "gestion", "projet").
//!
//! Generic words are left out otherwise: nearly every title has one, and keys on them would
//! make most posts wait for each other, while two titles sharing only generic words score
//! below the merge threshold unless their other words meet elsewhere in the texts (the
//! description case below).
//!
//! Each is hashed to 31 bits with FNV-1a (stable across processes and builds of the same
//! analysis). A collision only makes two posts wait for each other.
//!
//! Not covered, so two posts at the same instant on PostgreSQL may each open a pool for what
//! the matcher would have merged had one come after the other: a specific title term found
//! in the other need only *nearly* (a typo, a cognate, a prefix: relations read from the
//! index's vocabulary, not from a static list), or only in the other need's description.
//! When their transactions overlap entirely, neither post sees the other, so neither stores
//! the pair for the review desk either, until a need of either pool is moved or withdrawn
//! (which ranks the pool's pairs again, `service::duplicates::refresh`) or a third post close
//! to both stores its own pairs. A post that takes its keys after the other committed sees
//! it, like any pool changed since its ranking (`Index::rescore`), and stores the pair.

use super::analyze::Analysed;
use super::lexicon::lexicon;
use super::query::is_specific;
use super::translations::translations;

impl Analysed {
    /// The conflict keys of a need (see the module doc), sorted, each once.
    pub fn conflict_keys(&self) -> Vec<u32> {
        let lex = lexicon();
        let specific: Vec<&str> = self.title.iter().map(|(t, _)| t.as_str()).filter(|t| is_specific(t)).collect();
        let mut words: Vec<&str> = Vec::new();
        for t in &specific {
            words.push(t);
            words.extend(translations().of(t).map(|(other, _)| other));
        }
        let concepts: Vec<&str> = self.title.iter().map(|(t, _)| t.as_str()).filter(|t| lex.is_concept(t)).collect();
        if specific.is_empty() && concepts.is_empty() {
            words.extend(self.title.iter().map(|(t, _)| t.as_str()));
        }
        words.extend(concepts);
        let mut keys: Vec<u32> = words.into_iter().map(key).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// FNV-1a of a term, folded to 31 bits (a non-negative `int4`).
fn key(term: &str) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in term.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    ((hash ^ (hash >> 32)) & 0x7fff_ffff) as u32
}

#[cfg(test)]
mod tests {
    use crate::domain::matching::{NeedText, analyze::analyse};

    fn keys(title: &str, hint: &str) -> Vec<u32> {
        analyse(&NeedText { title, description: "", locale_hint: hint }).conflict_keys()
    }

    fn share(a: &[u32], b: &[u32]) -> bool {
        a.iter().any(|k| b.contains(k))
    }

    #[test]
    fn the_same_title_in_another_order_or_case_shares_a_key() {
        let a = keys("Parapheur électronique", "fr");
        assert!(!a.is_empty());
        assert!(share(&a, &keys("électronique PARAPHEUR", "fr")));
    }

    #[test]
    fn a_title_and_its_translation_share_a_key() {
        assert!(share(&keys("Gestion du cimetière", "fr"), &keys("Beheer van de begraafplaats", "nl")));
        assert!(share(&keys("Location de vélos", "fr"), &keys("Verhuur van fietsen", "nl")));
    }

    #[test]
    fn a_generic_word_alone_makes_no_conflict() {
        // "projet" is a generic word: titles that share only it do not wait for each other.
        assert!(!share(&keys("Projet registre des taxes", "fr"), &keys("Projet primes vélos", "fr")));
        assert!(
            share(&keys("Gestion de projet", "fr"), &keys("Projet : gestion", "fr")),
            "titles of generic words only"
        );
    }

    #[test]
    fn unrelated_titles_share_no_key() {
        assert!(!share(&keys("Parapheur électronique", "fr"), &keys("Réservation des salles", "fr")));
        assert!(!share(&keys("Gestion du cimetière", "fr"), &keys("Prêts de la bibliothèque", "fr")));
    }

    #[test]
    fn keys_do_not_depend_on_the_process() {
        // FNV-1a of "parapheur" (no process-random seed): the same in every instance.
        assert_eq!(super::key("parapheur"), super::key("parapheur"));
        assert_ne!(super::key("parapheur"), super::key("parapheurs"));
        assert_eq!(
            super::key(""),
            ((0xcbf2_9ce4_8422_2325_u64 ^ (0xcbf2_9ce4_8422_2325_u64 >> 32)) & 0x7fff_ffff) as u32
        );
    }
}
