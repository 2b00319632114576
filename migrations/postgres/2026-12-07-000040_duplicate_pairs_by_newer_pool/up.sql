-- Issue 28: on SQLite the pairs of likely duplicates are now keyed by the newer pool first,
-- in a table without a rowid (see the SQLite twin). PostgreSQL stores no table in the order
-- of its key (its primary key index takes the random inserts either way): nothing changes.
SELECT 1;
