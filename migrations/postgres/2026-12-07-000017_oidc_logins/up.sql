-- Single sign-on attempts between `GET /login/oidc` and the provider's return to
-- `/login/oidc/callback`. In the database, not in one process's memory, so that the return
-- may reach any instance behind the proxy; taken (deleted) by the first return, so that a
-- state serves once. The browser holds the random 256-bit `state` in a cookie of its own;
-- only its SHA-256 is kept here. The nonce and the PKCE verifier never leave the server.
-- Attempts expire after ten minutes and are purged by the worker.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX oidc_logins_expires_idx ON oidc_logins (expires_at);
