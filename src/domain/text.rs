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
}
