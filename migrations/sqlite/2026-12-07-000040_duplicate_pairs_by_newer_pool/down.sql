CREATE TABLE duplicate_candidates_by_rowid (
    pool_low BIGINT NOT NULL REFERENCES pools (id),
    pool_high BIGINT NOT NULL REFERENCES pools (id),
    score DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (pool_low, pool_high),
    CHECK (pool_low < pool_high)
);
INSERT INTO duplicate_candidates_by_rowid (pool_low, pool_high, score, updated_at)
    SELECT pool_low, pool_high, score, updated_at FROM duplicate_candidates;
DROP TABLE duplicate_candidates;
ALTER TABLE duplicate_candidates_by_rowid RENAME TO duplicate_candidates;
CREATE INDEX duplicate_candidates_high_idx ON duplicate_candidates (pool_high);
