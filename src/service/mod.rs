//! Use cases. Each public function receives the transaction of the unit of work it is part
//! of (a [`crate::db::WriteTx`] for a change, a [`crate::db::Tx`] for a read) and never
//! begins one: the route chooses the unit with `Db::read` or `Db::write`, and everything a
//! use case does — the change, its audit event, its outbox rows — commits together or not
//! at all.

pub mod accounts;
pub mod desk;
pub mod duplicates;
pub mod import;
pub mod lifecycle;
pub mod maintenance;
pub mod matcher;
pub mod needs;
pub mod notifications;
pub mod open_data;
pub mod organisations;
pub mod outbox;
pub mod pledges;
pub mod pool_view;
pub mod pools;
pub mod redaction;
pub mod sign_on;
pub mod users;
pub mod web_sessions;
