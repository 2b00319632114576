DROP INDEX pools_maintains_idx;
ALTER TABLE pools DROP COLUMN period_end;
ALTER TABLE pools DROP COLUMN period_start;
ALTER TABLE pools DROP COLUMN maintains_pool_id;
ALTER TABLE pools DROP COLUMN kind;
ALTER TABLE pledges DROP COLUMN decided_by;
ALTER TABLE pledges DROP COLUMN decision_date;
ALTER TABLE pledges DROP COLUMN decision_ref;
ALTER TABLE pledges DROP COLUMN status;
