-- Belgian enterprise number (BCE/KBO): ten digits, checked and normalised by the
-- application; at most one organisation per number (NULLs do not collide).
ALTER TABLE organisations ADD COLUMN bce TEXT;
CREATE UNIQUE INDEX organisations_bce_key ON organisations (bce);
