//! Access tokens: JWT signed with HS256, short-lived, bound to this service by `iss` and
//! `aud`, and to the user's current `token_version` so that disabling a user or changing
//! its password ends its sessions.

use std::{collections::HashMap, sync::Arc, time::Duration};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "mutua";
pub const AUDIENCE: &str = "mutua-api";

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    /// The user's `token_version` when the token was issued.
    pub ver: i32,
    /// The user's organisation and role, which never change for a user: handlers need them
    /// to authorise before touching the database.
    pub org: i64,
    pub role: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
    /// The tokens this process verified, by their text, and their claims. A client sends
    /// the same token with every request of its session: its signature and claims are
    /// checked once, its expiry at every use. Emptied when full ([`VERIFIED_TOKENS`]).
    verified: Mutex<HashMap<Box<str>, Arc<Claims>>>,
}

/// The most verified tokens kept (a few hundred bytes each).
const VERIFIED_TOKENS: usize = 4_096;

impl JwtKeys {
    pub fn new(secret: &[u8], ttl: Duration) -> anyhow::Result<Self> {
        // The algorithm is pinned: a token announcing any other (`none`, RS256 with our
        // secret as a "public key"…) is refused before its signature is looked at.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 30;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret)?,
            decoding: DecodingKey::from_secret(secret)?,
            validation,
            ttl,
            verified: Mutex::new(HashMap::new()),
        })
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// A token for `user`, valid for the configured lifetime.
    pub fn issue(&self, user: &crate::db::models::user::User) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user.id.to_string(),
            iat: now,
            exp: now + i64::try_from(self.ttl.as_secs()).unwrap_or(3600),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            ver: user.token_version,
            org: user.organisation_id,
            role: user.role.as_str().to_owned(),
        };
        Ok(encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// The claims of a valid token; `None` for anything else, whatever the reason. A token
    /// verified before is not verified again (the same text was signed by the same key and
    /// its claims checked), but it expires as it would have.
    pub fn verify(&self, token: &str) -> Option<Arc<Claims>> {
        self.verify_at(token, chrono::Utc::now().timestamp())
    }

    /// [`Self::verify`] at `now` for a token verified before (a new one is verified by
    /// `jsonwebtoken`, at its own clock).
    fn verify_at(&self, token: &str, now: i64) -> Option<Arc<Claims>> {
        if let Some(claims) = self.verified.lock().get(token) {
            return (!self.expired(claims, now)).then(|| claims.clone());
        }
        let claims = match decode::<Claims>(token, &self.decoding, &self.validation) {
            Ok(data) => Arc::new(data.claims),
            Err(error) => {
                tracing::debug!(%error, "token refused");
                return None;
            }
        };
        let mut verified = self.verified.lock();
        if verified.len() >= VERIFIED_TOKENS {
            verified.clear();
        }
        verified.insert(token.into(), claims.clone());
        Some(claims)
    }

    /// Whether `claims` expired at `now`, as `jsonwebtoken` tells (its leeway included).
    fn expired(&self, claims: &Claims, now: i64) -> bool {
        claims.exp < now - i64::try_from(self.validation.leeway).unwrap_or(i64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn keys() -> JwtKeys {
        JwtKeys::new(SECRET, Duration::from_secs(3600)).unwrap()
    }

    fn sign(claims: serde_json::Value, alg: Algorithm) -> String {
        encode(&Header::new(alg), &claims, &EncodingKey::from_secret(SECRET).unwrap()).unwrap()
    }

    fn claims() -> serde_json::Value {
        let now = chrono::Utc::now().timestamp();
        serde_json::json!({"sub": "7", "iat": now, "exp": now + 60, "iss": ISSUER, "aud": AUDIENCE, "ver": 0, "org": 1, "role": "member"})
    }

    #[test]
    fn round_trip() {
        let keys = keys();
        let user = crate::db::models::user::User {
            id: 7,
            organisation_id: 2,
            email: "a@b.be".into(),
            name: "A".into(),
            role: crate::domain::kinds::Role::Member,
            password_hash: None,
            token_version: 3,
            status: crate::domain::kinds::UserStatus::Active,
            locale: None,
            created_at: chrono::Utc::now().naive_utc(),
        };
        let claims = keys.verify(&keys.issue(&user).unwrap()).unwrap();
        assert_eq!((claims.sub.as_str(), claims.ver, claims.org, claims.role.as_str()), ("7", 3, 2, "member"));
    }

    #[test]
    fn every_registered_claim_is_required() {
        for missing in ["exp", "iat", "iss", "aud", "sub"] {
            let mut c = claims();
            c.as_object_mut().unwrap().remove(missing);
            assert!(keys().verify(&sign(c, Algorithm::HS256)).is_none(), "{missing}");
        }
    }

    #[test]
    fn wrong_issuer_audience_algorithm_or_expiry_is_refused() {
        let mut c = claims();
        c["aud"] = "other".into();
        assert!(keys().verify(&sign(c, Algorithm::HS256)).is_none());
        let mut c = claims();
        c["iss"] = "other".into();
        assert!(keys().verify(&sign(c, Algorithm::HS256)).is_none());
        assert!(keys().verify(&sign(claims(), Algorithm::HS512)).is_none());
        let mut c = claims();
        c["exp"] = (chrono::Utc::now().timestamp() - 120).into();
        assert!(keys().verify(&sign(c, Algorithm::HS256)).is_none());
    }

    #[test]
    fn a_token_verified_before_still_expires_and_another_key_still_refuses_it() {
        let keys = keys();
        let now = chrono::Utc::now().timestamp();
        let mut c = claims();
        c["exp"] = (now + 2).into();
        let token = sign(c, Algorithm::HS256);
        assert_eq!(keys.verify(&token).map(|c| c.exp), Some(now + 2));
        assert_eq!(keys.verify(&token).map(|c| c.exp), Some(now + 2), "again, from memory");
        // Past its expiry and the leeway, the token remembered is refused as it would be anew.
        assert!(keys.verify_at(&token, now + 2 + 30).is_some());
        assert!(keys.verify_at(&token, now + 2 + 31).is_none());
        let other = JwtKeys::new(b"another secret of thirty-two bytes!", Duration::from_secs(3600)).unwrap();
        assert!(other.verify(&token).is_none(), "verified by one key, not by another");
        // Altered by one character, it is another text, verified anew and refused.
        let mut altered = token.clone();
        let last = altered.pop().unwrap();
        altered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(keys.verify(&altered).is_none());
    }

    #[test]
    fn exp_given_as_a_string_is_refused() {
        let mut c = claims();
        c["exp"] = serde_json::Value::String((chrono::Utc::now().timestamp() + 60).to_string());
        assert!(keys().verify(&sign(c, Algorithm::HS256)).is_none());
    }
}
