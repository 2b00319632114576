ALTER TABLE idempotency_keys DROP COLUMN stored_bytes;
DROP INDEX pools_opened_by_idx;
ALTER TABLE pools DROP COLUMN opened_by_organisation_id;
