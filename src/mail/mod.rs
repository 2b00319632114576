//! Email: the worker that delivers the outbox, the transports, and the templates per
//! locale. The outbox is written by the services, in the same transaction as the change that
//! causes it (`crate::service::notifications`).

pub mod templates;
pub mod transport;
pub mod worker;
