//! Plain-text paragraphs of emails: wrapped for mail clients, subjects on one line.
//! (Amounts and dates are written by `crate::domain::format`.)

pub(super) const TEXT_WIDTH: usize = 76;

/// Wraps each line longer than `width` at ordinary spaces (never at no-break spaces,
/// so amounts and French punctuation stay whole; words longer than the line, such
/// as URLs, are never cut). Continuation lines of a `- ` list item are indented.
/// Templates keep each paragraph on one line and let this do the wrapping, so the
/// result does not depend on how long the interpolated values are.
pub(super) fn wrap_text(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_end_matches(['\r']);
        if line.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let indent = if line.starts_with("- ") { "  " } else { "" };
        let mut len = 0;
        for (j, word) in line.split(' ').enumerate() {
            let wlen = word.chars().count();
            if j > 0 && len > indent.len() && len + 1 + wlen > width {
                out.push('\n');
                out.push_str(indent);
                len = indent.len();
            } else if j > 0 {
                out.push(' ');
                len += 1;
            }
            out.push_str(word);
            len += wlen;
        }
    }
    out
}

/// Collapses runs of ASCII whitespace (newlines included) to single spaces; no-break
/// spaces are kept.
pub(super) fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_ascii_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}
