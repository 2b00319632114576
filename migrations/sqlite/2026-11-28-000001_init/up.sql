-- The whole model of mutua. Only portable column types (BIGINT, INTEGER, TEXT, BOOLEAN,
-- TIMESTAMP, DATE) so that the PostgreSQL twin of this file differs only in identity columns.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('commune', 'cpas', 'province', 'police_zone', 'intercommunale', 'central_purchasing', 'other')),
    nis_code TEXT,
    population BIGINT,
    locale TEXT NOT NULL CHECK (locale IN ('fr', 'nl', 'de', 'en')),
    contact_email TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name));

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'officer')),
    password_hash TEXT NOT NULL,
    token_version INTEGER NOT NULL DEFAULT 0,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_organisation_idx ON users (organisation_id);

CREATE TABLE pools (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    cpv_code TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'funded', 'approved', 'rejected', 'awarded', 'delivered', 'expired', 'cancelled', 'merged')),
    currency TEXT NOT NULL DEFAULT 'EUR',
    target_cents BIGINT,
    threshold_cents BIGINT,
    pledged_cents BIGINT NOT NULL DEFAULT 0,
    deadline DATE,
    reason TEXT,
    supplier TEXT,
    award_cents BIGINT,
    repository_url TEXT,
    licence TEXT,
    merged_into_pool_id BIGINT REFERENCES pools (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    funded_at TIMESTAMP,
    approved_at TIMESTAMP,
    rejected_at TIMESTAMP,
    awarded_at TIMESTAMP,
    delivered_at TIMESTAMP,
    expired_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    merged_at TIMESTAMP,
    CHECK (pledged_cents >= 0)
);
CREATE INDEX pools_state_idx ON pools (state);
CREATE INDEX pools_deadline_idx ON pools (deadline) WHERE state = 'open';

CREATE TABLE needs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    pool_id BIGINT NOT NULL REFERENCES pools (id),
    posted_by_user_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    cpv_code TEXT,
    estimated_cost_cents BIGINT,
    status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn')),
    -- What the matcher suggested when the need was posted (JSON [{pool_id, title, score}]),
    -- kept so that a later move into one of them is recorded as evidence.
    similar_pools TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP
);
CREATE INDEX needs_pool_idx ON needs (pool_id);
CREATE INDEX needs_organisation_idx ON needs (organisation_id, created_at);

CREATE TABLE pledges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id BIGINT NOT NULL REFERENCES pools (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX pledges_pool_organisation_key ON pledges (pool_id, organisation_id);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id BIGINT REFERENCES pools (id),
    type TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    at TIMESTAMP NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX events_pool_idx ON events (pool_id, id);

-- One row per (event, recipient): the unique key is what makes an email impossible to queue twice.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL REFERENCES events (id),
    recipient_user_id BIGINT NOT NULL REFERENCES users (id),
    recipient_email TEXT NOT NULL,
    event_type TEXT NOT NULL,
    locale TEXT NOT NULL,
    -- What the email says, as of the event (JSON); rendered by the worker when it sends.
    context TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE UNIQUE INDEX outbox_event_recipient_key ON outbox (event_id, recipient_user_id);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';

-- Replays of state-changing requests that carried an Idempotency-Key.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users (id),
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status INTEGER,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
