//! Single sign-on with OpenID Connect (SPEC §14), through the `openidconnect` crate: no
//! JWT check is written here.
//!
//! - Discovery: the provider's `/.well-known/openid-configuration` and its JWKS, read on
//!   first use and again after [`REDISCOVER_AFTER`], or at once when an ID token names a
//!   key the cached set lacks (the provider rotated its keys).
//! - The flow: authorization code with PKCE (S256), a `state` and a `nonce`, scopes
//!   `openid email profile`. The `state` and the nonce are chosen by the caller
//!   (`web::pages::oidc`), which keeps them between the two legs.
//! - The ID token: signature against the provider's JWKS with the algorithms it
//!   announces, `iss` equal to the configured issuer, `aud` holding our client id (and
//!   `azp` when there are several audiences), `exp` in the future, `nonce` equal to ours;
//!   all checked by [`openidconnect::IdTokenVerifier`].
//! - The email is taken only when the provider vouches for it: `email_verified: true`; or,
//!   from Microsoft Entra ID, which never sends `email_verified`, its optional claim
//!   `xms_edov: true` (the email's domain is verified by the tenant), when
//!   `email_verified` is absent. See docs/SECURITY.md.
//!
//! The HTTP client follows no redirects (a provider's answer comes from the URL its
//! metadata names, never from where a redirect would lead) and gives up after ten seconds.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use openidconnect::{
    AdditionalClaims, AuthType, AuthenticationFlow, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse,
    TokenResponse as _,
    core::{
        CoreAuthDisplay, CoreAuthPrompt, CoreClientAuthMethod, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
        CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreResponseType,
        CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
    },
};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::config::OidcConfig;

/// The path the provider sends people back to (registered at the provider as
/// `MUTUA_PUBLIC_URL/login/oidc/callback`).
pub const CALLBACK_PATH: &str = "/login/oidc/callback";

/// How long the provider's metadata and keys are used before they are read again.
pub const REDISCOVER_AFTER: Duration = Duration::from_secs(3600);

/// How long one request to the provider may take.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Claims beyond the standard ones that decide whether an email is verified.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ExtraClaims {
    /// Microsoft Entra ID's "email domain owner verified" (optional claim `xms_edov`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    xms_edov: Option<serde_json::Value>,
}

impl AdditionalClaims for ExtraClaims {}

type TokenResponse = StandardTokenResponse<
    IdTokenFields<
        ExtraClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

/// The client built from the provider's metadata: authorization endpoint set, token and
/// userinfo endpoints as the metadata has them.
type ProviderClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a sign-on did not give a verified email. The detail is for the log; people are
/// told in words of their own (`web::pages::oidc`).
#[derive(Debug, thiserror::Error)]
pub enum SignOnError {
    /// The provider could not be reached or its metadata was not usable.
    #[error("the OpenID provider is unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the code (used already, expired, or not issued to us with
    /// this PKCE verifier).
    #[error("the provider refused the authorization code: {0}")]
    CodeRefused(String),
    /// The token response had no ID token, or it failed a check.
    #[error("the ID token was refused: {0}")]
    BadIdToken(String),
    /// The ID token holds no email the provider vouches for.
    #[error("the ID token holds no verified email")]
    UnverifiedEmail,
}

/// Where a sign-on starts: the provider's URL to send the person to, and the PKCE
/// verifier to keep for the return.
pub struct Started {
    pub url: String,
    pub pkce_verifier: String,
}

/// The single sign-on client of this process: its settings, its HTTP client, and the
/// provider's metadata once read.
pub struct SingleSignOn {
    config: OidcConfig,
    redirect: RedirectUrl,
    http: reqwest::Client,
    discovered: Mutex<Option<(Instant, Arc<ProviderClient>)>>,
}

impl std::fmt::Debug for SingleSignOn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingleSignOn").field("config", &self.config).finish_non_exhaustive()
    }
}

impl SingleSignOn {
    /// The client for `config`, returning people to `public_url` + [`CALLBACK_PATH`]. The
    /// provider is not contacted yet: a provider down at start does not stop the service.
    pub fn new(config: OidcConfig, public_url: &str) -> anyhow::Result<Self> {
        IssuerUrl::new(config.issuer.clone()).map_err(|e| anyhow::anyhow!("MUTUA_OIDC_ISSUER: {e}"))?;
        let redirect = RedirectUrl::new(format!("{public_url}{CALLBACK_PATH}"))?;
        let http =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(HTTP_TIMEOUT).build()?;
        Ok(Self { config, redirect, http, discovered: Mutex::new(None) })
    }

    /// The button's label on `/login`, if one is shown.
    pub fn name(&self) -> Option<&str> {
        self.config.name.as_deref()
    }

    /// The provider's URL for a new sign-on with this `state` and `nonce`.
    pub async fn start(&self, state: &str, nonce: &str) -> Result<Started, SignOnError> {
        let client = self.client(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (state, nonce) = (CsrfToken::new(state.to_owned()), Nonce::new(nonce.to_owned()));
        let (url, _, _) = client
            .authorize_url(AuthenticationFlow::<CoreResponseType>::AuthorizationCode, move || state, move || nonce)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Started { url: url.to_string(), pkce_verifier: verifier.secret().clone() })
    }

    /// Exchanges `code` (with the PKCE verifier of its start) for an ID token, checks the
    /// token, and gives the email it vouches for, in lower case.
    pub async fn finish(&self, code: String, pkce_verifier: String, nonce: &str) -> Result<String, SignOnError> {
        let client = self.client(false).await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| SignOnError::Unavailable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| SignOnError::CodeRefused(describe(&e)))?;
        let id_token =
            response.id_token().ok_or_else(|| SignOnError::BadIdToken("no id_token in the token response".into()))?;
        let nonce = Nonce::new(nonce.to_owned());
        let claims = match id_token.claims(&client.id_token_verifier(), &nonce) {
            Ok(claims) => claims.clone(),
            Err(openidconnect::ClaimsVerificationError::SignatureVerification(
                openidconnect::SignatureVerificationError::NoMatchingKey,
            )) => {
                // A key we do not know yet: the provider may have rotated its keys.
                let fresh = self.client(true).await?;
                id_token
                    .claims(&fresh.id_token_verifier(), &nonce)
                    .map_err(|e| SignOnError::BadIdToken(describe(&e)))?
                    .clone()
            }
            Err(e) => return Err(SignOnError::BadIdToken(describe(&e))),
        };
        let verified = match claims.email_verified() {
            Some(verified) => verified,
            None => vouched_by_entra(claims.additional_claims().xms_edov.as_ref()),
        };
        match claims.email() {
            Some(email) if verified => Ok(email.as_str().trim().to_lowercase()),
            _ => Err(SignOnError::UnverifiedEmail),
        }
    }

    /// The client built from the provider's metadata: the one read within
    /// [`REDISCOVER_AFTER`], or a new one (always when `fresh`).
    async fn client(&self, fresh: bool) -> Result<Arc<ProviderClient>, SignOnError> {
        if !fresh {
            if let Some((at, client)) = self.discovered.lock().as_ref() {
                if at.elapsed() < REDISCOVER_AFTER {
                    return Ok(client.clone());
                }
            }
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| SignOnError::Unavailable(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| SignOnError::Unavailable(describe(&e)))?;
        // client_secret_basic unless the provider only takes the secret in the body.
        let basic = metadata.token_endpoint_auth_methods_supported().is_none_or(|methods| {
            methods.contains(&CoreClientAuthMethod::ClientSecretBasic)
                || !methods.contains(&CoreClientAuthMethod::ClientSecretPost)
        });
        let client = ProviderClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect.clone())
        .set_auth_type(if basic { AuthType::BasicAuth } else { AuthType::RequestBody });
        let client = Arc::new(client);
        *self.discovered.lock() = Some((Instant::now(), client.clone()));
        tracing::info!(issuer = %self.config.issuer, "read the OpenID provider's metadata and keys");
        Ok(client)
    }
}

/// Entra ID's `xms_edov`: a boolean `true` (or its string forms, as some tenants emit it).
fn vouched_by_entra(xms_edov: Option<&serde_json::Value>) -> bool {
    matches!(xms_edov, Some(serde_json::Value::Bool(true)))
        || matches!(xms_edov.and_then(serde_json::Value::as_str), Some("true" | "1"))
}

/// An error with its causes, for the log.
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_a_true_xms_edov_vouches() {
        assert!(vouched_by_entra(Some(&json!(true))));
        assert!(vouched_by_entra(Some(&json!("1"))));
        for no in [json!(false), json!("false"), json!(0), json!(null)] {
            assert!(!vouched_by_entra(Some(&no)), "{no}");
        }
        assert!(!vouched_by_entra(None));
    }
}
