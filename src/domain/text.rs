//! Free text typed by users: trimmed, bounded, and free of control characters.

/// Checks a user-supplied text and returns it trimmed. Line breaks and tabs are allowed only
/// when `multiline`; other control characters (NUL included) never are. Lengths count
/// characters, not bytes.
pub fn clean(raw: &str, min: usize, max: usize, multiline: bool) -> Result<String, String> {
    let text = raw.trim();
    let allowed = |c: char| !c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t'));
    if !text.chars().all(allowed) {
        return Err("must not contain control characters".into());
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

/// A person's or organisation's name.
pub fn name(raw: &str) -> Result<String, String> {
    clean(raw, 1, 200, false)
}

/// A reason given by an officer (rejection, cancellation).
pub fn reason(raw: &str) -> Result<String, String> {
    clean(raw, 3, 2_000, true)
}

/// The reference of a council's decision (a deliberation number, such as `CC/2026/0412`):
/// 1 to 200 characters on one line, and no invisible formatting character, which would make
/// a reference differ from the one printed in the minutes while looking the same.
pub fn decision_ref(raw: &str) -> Result<String, String> {
    let text = clean(raw, 1, 200, false)?;
    if text.chars().any(is_format) {
        return Err("must not contain invisible formatting characters".into());
    }
    Ok(text)
}

/// Unicode's format characters (general category Cf, Unicode 15.1): zero-width spaces and
/// joiners, bidirectional overrides (which show text in another order than it is stored),
/// the soft hyphen, the byte order mark, tags.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{600}'..='\u{605}' | '\u{61C}' | '\u{6DD}' | '\u{70F}' | '\u{890}'..='\u{891}' | '\u{8E2}'
        | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}')
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
    }
}
