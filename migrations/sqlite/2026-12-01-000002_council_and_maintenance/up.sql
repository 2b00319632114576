-- SPEC §10. A pledge binds public money once a council decided (`status`, and the decision
-- that confirmed it); a delivered development gets maintenance pools, one per period.
-- Only portable types: this file and its PostgreSQL twin are identical.

ALTER TABLE pledges ADD COLUMN status TEXT NOT NULL DEFAULT 'provisional'
    CHECK (status IN ('provisional', 'confirmed'));
-- The council decision that confirmed the pledge; all NULL while it is provisional.
ALTER TABLE pledges ADD COLUMN decision_ref TEXT;
ALTER TABLE pledges ADD COLUMN decision_date DATE;
ALTER TABLE pledges ADD COLUMN decided_by TEXT
    CHECK (decided_by IN ('college', 'conseil', 'bureau_permanent', 'zone_council', 'other'));

ALTER TABLE pools ADD COLUMN kind TEXT NOT NULL DEFAULT 'development'
    CHECK (kind IN ('development', 'maintenance'));
-- For a maintenance pool: the delivered pool it maintains and its period (both days included).
ALTER TABLE pools ADD COLUMN maintains_pool_id BIGINT REFERENCES pools (id);
ALTER TABLE pools ADD COLUMN period_start DATE;
ALTER TABLE pools ADD COLUMN period_end DATE;
CREATE INDEX pools_maintains_idx ON pools (maintains_pool_id) WHERE maintains_pool_id IS NOT NULL;
