DROP TABLE duplicate_dismissals;
DROP TABLE duplicate_candidates;
