-- SPEC §14. A user's `status` (invited | active | disabled) replaces the `disabled` flag: one
-- source of truth. An invited user has no password yet (and one who signs in only through
-- single sign-on may never have one), so `password_hash` becomes optional. A user's own
-- `locale` overrides its organisation's for pages and emails. The role `manager` is allowed.
-- SQLite cannot change a column's constraints in place, and rebuilding `users` would trip the
-- foreign keys that point at it: a changed column is added anew, filled, the old one dropped
-- and the new one renamed, all inside the migration's transaction.
ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('invited', 'active', 'disabled'));
UPDATE users SET status = 'disabled' WHERE disabled;
ALTER TABLE users DROP COLUMN disabled;
ALTER TABLE users ADD COLUMN locale TEXT CHECK (locale IN ('fr', 'nl', 'de', 'en'));

ALTER TABLE users ADD COLUMN password_hash_new TEXT;
UPDATE users SET password_hash_new = password_hash;
ALTER TABLE users DROP COLUMN password_hash;
ALTER TABLE users RENAME COLUMN password_hash_new TO password_hash;

ALTER TABLE users ADD COLUMN role_new TEXT NOT NULL DEFAULT 'member'
    CHECK (role_new IN ('member', 'manager', 'officer'));
UPDATE users SET role_new = role;
ALTER TABLE users DROP COLUMN role;
ALTER TABLE users RENAME COLUMN role_new TO role;

-- Single-use links sent by email: an invitation (7 days) or a password reset (60 minutes).
-- The link carries a random 256-bit token; only its SHA-256 is stored, so a copy of this
-- table opens nothing. A token dies when used, when a newer one of the same kind is sent to
-- the same user (`replaced_at`), or when it expires.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reset')),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    replaced_at TIMESTAMP
);
CREATE UNIQUE INDEX account_tokens_hash_key ON account_tokens (token_hash);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, kind, created_at);
