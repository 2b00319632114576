//! What a middleware or an extractor reads from the application: each dependency is
//! registered by `startup` as its own `web::Data` (the trusted proxies, the token keys, a
//! budget, the metrics…), so a piece of infrastructure takes the one value it uses, never
//! the whole state of the request handlers.
//!
//! A value that was not registered is a bug of the wiring, not a reason to let a request
//! through unchecked: [`required`] answers 500 (and the error policy logs it), so a limit
//! fails closed, never open.

use actix_web::{HttpRequest, web};

use crate::error::ApiError;

/// The `web::Data<T>` `startup` registered; 500 (logged) when it did not.
pub fn required<T: ?Sized + 'static>(req: &HttpRequest) -> Result<web::Data<T>, ApiError> {
    req.app_data::<web::Data<T>>().cloned().ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("{} is not registered with the application", std::any::type_name::<T>()))
    })
}
