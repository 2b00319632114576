//! Email: the outbox written in the same transaction as the change that causes it, the
//! worker that delivers it, the transports, and the templates per locale.

pub mod outbox;
pub mod templates;
pub mod transport;
pub mod worker;
