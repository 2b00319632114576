//! Free text typed by users: trimmed, bounded, and free of control and invisible format
//! characters.

use super::personal_data;

/// Checks a user-supplied text and returns it trimmed. Line breaks and tabs are allowed only
/// when `multiline`; other control characters (NUL included) never are, nor invisible format
/// characters ([`is_format`]). Lengths count characters, not bytes.
///
/// Descriptions follow the same rule as titles: they are shown in pages and emails, published
/// as open data and matched, where a right-to-left override reorders what a reader sees and a
/// zero-width space inside a word hides it from the matcher (a way to dodge a merge). The
/// message names the code point, so that a client can strip what a paste brought in.
pub fn clean(raw: &str, min: usize, max: usize, multiline: bool) -> Result<String, String> {
    let text = raw.trim();
    let allowed = |c: char| !c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t'));
    if !text.chars().all(allowed) {
        return Err("must not contain control characters".into());
    }
    if let Some(c) = text.chars().find(|&c| is_format(c)) {
        return Err(format!("must not contain invisible format characters (found U+{:04X})", u32::from(c)));
    }
    let len = text.chars().count();
    if len < min || len > max {
        return Err(if min == 0 {
            format!("must be at most {max} characters")
        } else {
            format!("must be between {min} and {max} characters")
        });
    }
    Ok(text.to_owned())
}

/// A need's or pool's title: 3 to 200 characters on one line.
pub fn title(raw: &str) -> Result<String, String> {
    clean(raw, 3, 200, false)
}

/// A need's or pool's description: at most 10 000 characters.
pub fn description(raw: &str) -> Result<String, String> {
    clean(raw, 0, 10_000, true)
}

/// The words of a search of pools (`q`): one line of at most 200 characters, its first
/// eight words.
pub fn search_words(raw: &str) -> Result<Vec<String>, String> {
    Ok(clean(raw, 0, 200, false)?.split_whitespace().take(8).map(str::to_owned).collect())
}

/// A person's or organisation's name.
pub fn name(raw: &str) -> Result<String, String> {
    clean(raw, 1, 200, false)
}

/// A reason given by an officer (rejection, cancellation).
pub fn reason(raw: &str) -> Result<String, String> {
    clean(raw, 3, 2_000, true)
}

/// The reference of a council's decision (a deliberation number, such as `CC/2026/0412`):
/// 1 to 200 characters on one line, and (as all text here) no invisible formatting character,
/// which would make a reference differ from the one printed in the minutes while looking the
/// same. It is published with the pledge, so personal data in it is refused
/// ([`personal_data`]).
pub fn decision_ref(raw: &str) -> Result<String, String> {
    clean(raw, 1, 200, false).and_then(personal_data::absent)
}

/// Unicode general category Cf (format characters, Unicode 16): invisible characters that
/// change how text around them is shown or split, such as bidirectional overrides (U+202A to
/// U+202E, U+2066 to U+2069), zero-width spaces and joiners (U+200B to U+200F, U+2060 to
/// U+2064), the byte order mark (U+FEFF), the soft hyphen (U+00AD) and tag characters. The
/// standard library has no category lookup; the list is short and stable.
pub fn is_format(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_bounds_by_characters() {
        assert_eq!(title("  Cimetière  ").unwrap(), "Cimetière");
        assert!(title("ab").is_err());
        assert!(title(&"é".repeat(200)).is_ok());
        assert!(title(&"é".repeat(201)).is_err());
        assert!(description(&"x".repeat(10_001)).is_err());
        assert_eq!(description("").unwrap(), "");
    }

    #[test]
    fn refuses_control_characters() {
        assert!(title("abc\u{0}def").is_err());
        assert!(title("abc\ndef").is_err());
        assert!(description("line one\nline two\ttab").is_ok());
        assert!(description("bell\u{7}").is_err());
    }

    #[test]
    fn refuses_invisible_format_characters_and_names_them() {
        for c in ['\u{202E}', '\u{2066}', '\u{200B}', '\u{200D}', '\u{FEFF}', '\u{00AD}', '\u{2060}', '\u{E0041}'] {
            let err = title(&format!("Cimeti{c}ère")).unwrap_err();
            assert!(err.contains(&format!("U+{:04X}", u32::from(c))), "{err}");
            assert!(description(&format!("Registre{c} des concessions")).is_err());
            assert!(name(&format!("Namur{c}")).is_err());
            assert!(reason(&format!("Hors budget{c}")).is_err());
        }
        // Visible letters, accents and ordinary spaces are untouched.
        assert!(title("Cimetière de Saint-Gérard — Ölbergstraße").is_ok());
        assert!(!is_format('\u{00A0}') && !is_format('é') && !is_format(' '));
    }

    #[test]
    fn decision_references_are_visible_text_on_one_line() {
        assert_eq!(decision_ref("  CC/2026/0412 ").unwrap(), "CC/2026/0412");
        assert_eq!(decision_ref("Délibération n° 12 du collège").unwrap(), "Délibération n° 12 du collège");
        assert!(decision_ref("").is_err());
        assert!(decision_ref("   ").is_err());
        assert!(decision_ref(&"x".repeat(201)).is_err());
        assert!(decision_ref(&"é".repeat(200)).is_ok());
        for invisible in ['\u{200B}', '\u{202E}', '\u{FEFF}', '\u{AD}', '\u{2066}', '\u{E0041}'] {
            assert!(decision_ref(&format!("CC{invisible}12")).is_err(), "{invisible:?}");
        }
        assert!(decision_ref("CC\n12").is_err());
        assert_eq!(decision_ref("CC/2026/0412 marie.dupont@gembloux.be"), Err(personal_data::MESSAGE.into()));
    }
}
