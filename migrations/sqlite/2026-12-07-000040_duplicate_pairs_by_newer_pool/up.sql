-- Issue 28: the pairs of likely duplicates stored in the order posts write them. A post
-- writes the pairs of its pool, the newest, with the older pools it looks like (about thirty
-- of them in the benchmark): keyed by the newer pool first, in a table without a rowid,
-- they land side by side at the end of the table instead of in as many random pages of the
-- primary key's index (and a third B-tree, the rowid table, is gone). The index from the
-- older pool (the approval gate, an ended pool's pairs) holds only the two ids: its random
-- pages are the narrow ones.
CREATE TABLE duplicate_candidates_by_newer (
    pool_high BIGINT NOT NULL REFERENCES pools (id),
    pool_low BIGINT NOT NULL REFERENCES pools (id),
    score DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (pool_high, pool_low),
    CHECK (pool_low < pool_high)
) WITHOUT ROWID;
INSERT INTO duplicate_candidates_by_newer (pool_high, pool_low, score, updated_at)
    SELECT pool_high, pool_low, score, updated_at FROM duplicate_candidates;
DROP TABLE duplicate_candidates;
ALTER TABLE duplicate_candidates_by_newer RENAME TO duplicate_candidates;
CREATE INDEX duplicate_candidates_low_idx ON duplicate_candidates (pool_low);
