DROP TABLE idempotency_keys;
DROP TABLE outbox;
DROP TABLE events;
DROP TABLE pledges;
DROP TABLE needs;
DROP TABLE pools;
DROP TABLE users;
DROP TABLE organisations;
