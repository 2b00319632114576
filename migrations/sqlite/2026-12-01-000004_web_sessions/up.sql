-- Sessions of people using the web pages. The cookie holds a random 256-bit id; only its
-- SHA-256 is stored, so a copy of this table opens no session. A session holds while it
-- has not expired and its user is enabled with the token version it had at sign-in (a
-- password change or a disabling bumps it): checked in every unit of work, on every process.
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);
CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);
