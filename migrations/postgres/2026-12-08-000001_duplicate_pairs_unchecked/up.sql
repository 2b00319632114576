-- Issue 28: the pairs of likely duplicates are the matcher's derived data, written by the
-- posts (about thirty a post under the benchmark's load) and rewritten whenever the index
-- changes; pools are never deleted, and every id written comes from the index, which holds
-- only committed needs' pools (or the post's own new pool). Each pair's two foreign keys
-- ran two trigger queries on `pools` at every insert, which locked the older pool's row in
-- key-share mode: sixty statements and row locks a post, shared by every concurrent post
-- near the same pools, for a check that cannot fail. SQLite's check is a B-tree probe inside
-- the process and is kept.
ALTER TABLE duplicate_candidates DROP CONSTRAINT duplicate_candidates_pool_low_fkey;
ALTER TABLE duplicate_candidates DROP CONSTRAINT duplicate_candidates_pool_high_fkey;
