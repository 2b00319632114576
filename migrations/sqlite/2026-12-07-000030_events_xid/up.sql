-- Nothing on SQLite: its one writer makes events visible in id order, and the matcher's
-- index follows them by id (src/db/models/index_feed.rs). The twin of PostgreSQL's
-- migration of the same name, which adds the recording transaction's id.
SELECT 1;
