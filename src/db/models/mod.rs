//! Rows of each table and the queries on them. Rows never leave the service layer as they
//! are: routes turn them into response structs.

pub mod event;
pub mod idempotency;
pub mod need;
pub mod organisation;
pub mod outbox;
pub mod pledge;
pub mod pool;
pub mod user;
