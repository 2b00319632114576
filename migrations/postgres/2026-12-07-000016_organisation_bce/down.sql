DROP INDEX organisations_bce_key;
ALTER TABLE organisations DROP COLUMN bce;
