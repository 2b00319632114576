//! The single-use tokens of emailed links (an invitation, a password reset): 256 random
//! bits, written in the link as 64 hexadecimal digits; the database keeps only their SHA-256
//! (`account_tokens`), so a copy of the table opens nothing. The link carries no other data.

use sha2::{Digest, Sha256};

/// A token as a link carries it.
#[derive(Clone)]
pub struct LinkToken(String);

impl LinkToken {
    /// A new random token.
    pub fn generate() -> Self {
        let bytes = rand::random::<[u8; 32]>();
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The token of a link's path segment, if it has the shape of one; anything else names
    /// no token (and is answered as an unknown one, without a database read).
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Self(raw.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database stores: the SHA-256 of the token, hexadecimal.
    pub fn hash(&self) -> String {
        Sha256::digest(self.0.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Never written to a log by accident.
impl std::fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkToken(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hashed() {
        let (a, b) = (LinkToken::generate(), LinkToken::generate());
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(a.as_str().len(), 64);
        let parsed = LinkToken::parse(&a.as_str().to_uppercase()).unwrap();
        assert_eq!(parsed.hash(), a.hash());
        assert_ne!(a.hash(), a.as_str());
        assert!(LinkToken::parse("abc").is_none());
        assert!(LinkToken::parse(&"g".repeat(64)).is_none());
        assert_eq!(format!("{a:?}"), "LinkToken(..)");
    }
}
