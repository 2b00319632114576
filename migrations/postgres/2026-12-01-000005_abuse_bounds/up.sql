-- Which organisation opened each pool (by posting a need that joined none, or by moving a
-- need to a pool of its own): the daily cap counts the pools an organisation opens, and a
-- column with an index counts them in one exact query (events carry the acting user and a
-- JSON document, neither of which that count could use portably). No foreign key, so that
-- the down migration can drop it on SQLite; organisations are never deleted.
ALTER TABLE pools ADD COLUMN opened_by_organisation_id BIGINT;
UPDATE pools SET opened_by_organisation_id = (
    SELECT users.organisation_id FROM events JOIN users ON users.id = events.actor_user_id
    WHERE events.pool_id = pools.id AND events.type = 'pool.created'
    ORDER BY events.id LIMIT 1
);
CREATE INDEX pools_opened_by_idx ON pools (opened_by_organisation_id, created_at);

-- What each stored idempotent response takes (key, request hash and response body, in
-- bytes), so that each user's share of the store can be bounded.
ALTER TABLE idempotency_keys ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE idempotency_keys
SET stored_bytes = length(key) + length(request_hash) + coalesce(length(response_body), 0);
