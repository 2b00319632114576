-- The transaction that recorded each event: the matcher's index follows its events by
-- transaction, not by id, since posts record theirs side by side and a higher id may commit
-- first (src/db/models/index_feed.rs). Rows already there get the id of this migration's
-- transaction, which has ended before any reader sees them.
ALTER TABLE events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_xid_idx ON events (xid, id);
