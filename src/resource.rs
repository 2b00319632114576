//! `resource!`: how the API (`routes`) and the pages (`web`) declare a path and the methods
//! it answers, so that a wrong method on a known path is 405 with `Allow` on both.

use actix_web::{HttpResponse, web};

/// `resource!("/path", GET => handler, POST => other)`: a resource answering those methods,
/// and 405 with `Allow` for any other.
macro_rules! resource {
    ($path:expr, $($method:ident => $handler:path),+ $(,)?) => {
        actix_web::web::resource($path)
            $(.route(actix_web::web::route().method(actix_web::http::Method::$method).to($handler)))+
            .default_service($crate::resource::method_not_allowed(&[$(stringify!($method)),+]))
    };
}
pub(crate) use resource;

/// 405 for a method a resource does not answer, with `Allow` naming those it does.
pub fn method_not_allowed(allow: &'static [&'static str]) -> actix_web::Route {
    web::to(move || async move {
        HttpResponse::MethodNotAllowed()
            .insert_header((actix_web::http::header::ALLOW, allow.join(", ")))
            .content_type("application/problem+json")
            .body(r#"{"type":"/problems/method-not-allowed","title":"Method not allowed","status":405,"detail":"this resource does not support the method; the Allow header lists those it does"}"#)
    })
}
