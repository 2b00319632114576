-- Issue 28: PostgreSQL drops the foreign keys of the pairs of likely duplicates (see its
-- twin). SQLite checks a foreign key with a B-tree probe inside the process, no statement
-- and no row lock: it keeps them.
SELECT 1;
