-- Managers become members, users without a password get an unusable one, and invited users
-- are disabled (the old schema cannot say "invited"); their sessions end.
DROP TABLE account_tokens;

ALTER TABLE users ADD COLUMN role_old TEXT NOT NULL DEFAULT 'member' CHECK (role_old IN ('member', 'officer'));
UPDATE users SET role_old = CASE WHEN role = 'manager' THEN 'member' ELSE role END;
ALTER TABLE users DROP COLUMN role;
ALTER TABLE users RENAME COLUMN role_old TO role;

ALTER TABLE users ADD COLUMN password_hash_old TEXT NOT NULL DEFAULT '!';
UPDATE users SET password_hash_old = coalesce(password_hash, '!');
ALTER TABLE users DROP COLUMN password_hash;
ALTER TABLE users RENAME COLUMN password_hash_old TO password_hash;

ALTER TABLE users DROP COLUMN locale;
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET disabled = TRUE, token_version = token_version + 1 WHERE status <> 'active';
ALTER TABLE users DROP COLUMN status;
