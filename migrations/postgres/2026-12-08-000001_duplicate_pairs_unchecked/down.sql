ALTER TABLE duplicate_candidates ADD CONSTRAINT duplicate_candidates_pool_low_fkey
    FOREIGN KEY (pool_low) REFERENCES pools (id);
ALTER TABLE duplicate_candidates ADD CONSTRAINT duplicate_candidates_pool_high_fkey
    FOREIGN KEY (pool_high) REFERENCES pools (id);
