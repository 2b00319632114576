//! The pages' four languages. Every sentence a page shows is a key of the message
//! catalogues `templates/web/i18n/{fr,nl,de,en}.json` (flat objects, embedded in the
//! binary); every key is in every language (a unit test), and every key a template names
//! exists (another).
//!
//! Which language a page speaks: the one the person chose with the switch (a `mutua_lang`
//! cookie), else the language of the signed-in person's organisation, else the first of
//! French, Dutch, German and English that the browser's `Accept-Language` names, else
//! French (the platform serves Wallonia).

use std::{collections::HashMap, sync::OnceLock};

use crate::domain::kinds::Locale;

/// The cookie that keeps the language chosen with the switch.
pub const COOKIE: &str = "mutua_lang";

macro_rules! catalogue {
    ($lang:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/web/i18n/", $lang, ".json"))
    };
}

const SOURCES: [(Locale, &str); 4] = [
    (Locale::Fr, catalogue!("fr")),
    (Locale::Nl, catalogue!("nl")),
    (Locale::De, catalogue!("de")),
    (Locale::En, catalogue!("en")),
];

fn catalogues() -> &'static HashMap<Locale, HashMap<String, String>> {
    static LOADED: OnceLock<HashMap<Locale, HashMap<String, String>>> = OnceLock::new();
    LOADED.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(lang, source)| {
                // The files are part of the build and the unit tests parse each one.
                let messages = serde_json::from_str(source).unwrap_or_else(|error| {
                    tracing::error!(lang = lang.as_str(), %error, "invalid message catalogue");
                    HashMap::new()
                });
                (*lang, messages)
            })
            .collect()
    })
}

/// The message `key` in `lang` (English if missing there, the key itself if missing
/// everywhere: visible, never a crash).
pub fn text(lang: Locale, key: &str) -> String {
    let all = catalogues();
    all.get(&lang)
        .and_then(|m| m.get(key))
        .or_else(|| all.get(&Locale::En).and_then(|m| m.get(key)))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// Whether `key` is a message of the catalogues.
pub fn has(key: &str) -> bool {
    catalogues().get(&Locale::En).is_some_and(|m| m.contains_key(key))
}

/// The message `key` with each `{name}` replaced by its value.
pub fn fill(lang: Locale, key: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(text(lang, key), |message, (name, value)| message.replace(&format!("{{{name}}}"), value))
}

/// The first of our languages that an `Accept-Language` header names, by preference.
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut ranked: Vec<(u16, usize, Locale)> = header
        .split(',')
        .enumerate()
        .filter_map(|(position, item)| {
            let mut parts = item.trim().split(';');
            let tag = parts.next()?.trim();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
            let lang = Locale::parse(&primary).ok()?;
            // Thousandths: a total order without floats.
            let weight = (quality.clamp(0.0, 1.0) * 1000.0) as u16;
            (weight > 0).then_some((weight, position, lang))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map(|(_, _, lang)| *lang)
}

/// The name of each language in itself, for the switch.
pub fn endonym(lang: Locale) -> &'static str {
    match lang {
        Locale::Fr => "Français",
        Locale::Nl => "Nederlands",
        Locale::De => "Deutsch",
        Locale::En => "English",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: Locale) -> BTreeSet<String> {
        let source = SOURCES.iter().find(|(l, _)| *l == lang).unwrap().1;
        let parsed: HashMap<String, String> = serde_json::from_str(source).expect("valid catalogue");
        assert!(parsed.values().all(|v| !v.trim().is_empty()), "{lang}: empty message");
        parsed.into_keys().collect()
    }

    #[test]
    fn every_key_is_in_every_language() {
        let english = keys(Locale::En);
        assert!(english.len() > 100, "{}", english.len());
        for lang in [Locale::Fr, Locale::Nl, Locale::De] {
            let other = keys(lang);
            let missing: Vec<_> = english.difference(&other).collect();
            let extra: Vec<_> = other.difference(&english).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}, extra {extra:?}");
        }
    }

    #[test]
    fn placeholders_are_the_same_in_every_language() {
        let names = |message: &str| -> BTreeSet<String> {
            message.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(n, _)| n.to_owned()).collect()
        };
        for key in keys(Locale::En) {
            let english = names(&text(Locale::En, &key));
            for lang in [Locale::Fr, Locale::Nl, Locale::De] {
                assert_eq!(names(&text(lang, &key)), english, "{lang} {key}");
            }
        }
    }

    #[test]
    fn accept_language_picks_the_preferred_language_we_speak() {
        assert_eq!(from_accept_language("nl-BE,nl;q=0.9,en;q=0.8"), Some(Locale::Nl));
        assert_eq!(from_accept_language("es, de;q=0.5, fr;q=0.7"), Some(Locale::Fr));
        assert_eq!(from_accept_language("en-GB;q=0.3, de-BE"), Some(Locale::De));
        assert_eq!(from_accept_language("es, it"), None);
        assert_eq!(from_accept_language("fr;q=0"), None);
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn fill_replaces_the_placeholders() {
        assert_eq!(fill(Locale::En, "missing.key {x}", &[("x", "1")]), "missing.key 1");
    }
}
