DROP INDEX events_xid_idx;
ALTER TABLE events DROP COLUMN xid;
