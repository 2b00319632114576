-- Pairs of pools the matcher scores at or above MUTUA_MATCH_REVIEW: likely duplicates an
-- officer reviews (SPEC section 9). Kept current by the writes that change what the matcher
-- indexes; whether a pair is listed also depends on the two pools' states, read at listing.
-- An unordered pair is stored once, the smaller id first.
CREATE TABLE duplicate_candidates (
    pool_low BIGINT NOT NULL REFERENCES pools (id),
    pool_high BIGINT NOT NULL REFERENCES pools (id),
    score DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (pool_low, pool_high),
    CHECK (pool_low < pool_high)
);
CREATE INDEX duplicate_candidates_high_idx ON duplicate_candidates (pool_high);

-- Pairs an officer judged different: never proposed again.
CREATE TABLE duplicate_dismissals (
    pool_low BIGINT NOT NULL REFERENCES pools (id),
    pool_high BIGINT NOT NULL REFERENCES pools (id),
    reason TEXT,
    dismissed_by BIGINT NOT NULL REFERENCES users (id),
    dismissed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (pool_low, pool_high),
    CHECK (pool_low < pool_high)
);
CREATE INDEX duplicate_dismissals_high_idx ON duplicate_dismissals (pool_high);
