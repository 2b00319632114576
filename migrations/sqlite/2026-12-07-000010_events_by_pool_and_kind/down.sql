DROP INDEX events_pool_type_at_idx;
