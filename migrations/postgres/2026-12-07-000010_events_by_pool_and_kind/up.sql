-- A pool's events of one kind since a time, read at every pledge (the cooling off after a
-- council refusal, SPEC §15): without this index the query walked every event of the pool.
CREATE INDEX events_pool_type_at_idx ON events (pool_id, type, at);
