//! HTTP routes, one module per resource. Handlers stay thin: parse, authorise, call the
//! service layer in one transaction, shape the response.

pub mod auth;
pub mod common;
pub mod docs;
pub mod health;
pub mod me;
pub mod organisations;

use actix_web::{
    HttpRequest, HttpResponse,
    error::{JsonPayloadError, PathError, QueryPayloadError},
    web,
};

use crate::error::{ApiError, FieldError};

/// Registers every route. `web::resource` answers 405 with `Allow` for a wrong method.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::health)
        .service(health::ready)
        .service(auth::login)
        .service(docs::swagger_ui())
        .service(web::resource("/api/v1/me").route(web::get().to(me::me)).default_service(web::to(method_not_allowed)))
        .service(
            web::resource("/api/v1/organisations")
                .route(web::get().to(organisations::list))
                .route(web::post().to(organisations::create))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/api/v1/organisations/{id}")
                .route(web::get().to(organisations::get))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/api/v1/organisations/{id}/users")
                .route(web::get().to(organisations::list_users))
                .route(web::post().to(organisations::create_user))
                .default_service(web::to(method_not_allowed)),
        );
}

async fn method_not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .content_type("application/problem+json")
        .body(r#"{"type":"/problems/method-not-allowed","title":"Method not allowed","status":405,"detail":"this resource does not support the method"}"#)
}

/// Unknown paths: 404 as problem+json.
pub async fn not_found() -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::NotFound)
}

/// Turns a JSON body the extractor refused into the error policy's answer: 413 when too
/// large, 400 when not JSON, 422 naming the field when well-formed but wrong.
pub fn json_error(error: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match &error {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
        JsonPayloadError::ContentType => {
            ApiError::BadRequest("the body must be JSON (Content-Type: application/json)".into())
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => ApiError::Validation(vec![field_error(e)]),
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest(format!("malformed JSON: {e}")),
        other => ApiError::BadRequest(format!("unreadable body: {other}")),
    };
    api.into()
}

/// Names the field of a serde data error: serde puts it in backquotes (unknown field
/// `x`, missing field `y`).
fn field_error(e: &serde_json::Error) -> FieldError {
    let message = e.to_string();
    let field = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"))
        .unwrap_or("body")
        .to_owned();
    let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
    FieldError::new(field, message)
}

pub fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::Validation(vec![FieldError::new("query", error.to_string())]).into()
}

/// A path parameter that is not a number cannot name anything: 404.
pub fn path_error(_error: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::NotFound.into()
}
