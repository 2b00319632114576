//! What a delivery records: where the source code lives and under which licence. Parsed
//! here once for the API's body and the pages' form alike.

use super::text;

/// Licences a delivered development may carry: the intercommunale publishes what it funds
/// as free software under the GPL, or a licence compatible with it.
pub const LICENCES: &[&str] = &[
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "LGPL-2.1-or-later",
    "LGPL-3.0-or-later",
    "EUPL-1.2",
];

/// A repository address as the delivery records it: an http(s) URL with a host.
pub fn repository_url(raw: &str) -> Result<String, String> {
    let url = text::clean(raw, 10, 500, false)?;
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).ok_or("must be an http(s) URL")?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err("must be an http(s) URL".into());
    }
    Ok(url)
}

/// The SPDX identifier of one of [`LICENCES`], as typed (spaces around it ignored).
pub fn licence(raw: &str) -> Result<String, String> {
    let licence = raw.trim();
    if LICENCES.contains(&licence) {
        Ok(licence.to_owned())
    } else {
        Err(format!("must be one of: {}", LICENCES.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_licence_is_one_of_the_list_and_a_url_has_a_host() {
        assert_eq!(licence(" EUPL-1.2 ").as_deref(), Ok("EUPL-1.2"));
        assert!(licence("MIT").unwrap_err().starts_with("must be one of: GPL-2.0-only, "));
        assert_eq!(repository_url("https://git.example.be/x").as_deref(), Ok("https://git.example.be/x"));
        assert_eq!(repository_url("ftp://git.example.be/x"), Err("must be an http(s) URL".into()));
        assert_eq!(repository_url("https:///git.example.be"), Err("must be an http(s) URL".into()));
    }
}
