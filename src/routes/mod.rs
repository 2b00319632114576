//! HTTP routes, one module per resource. Handlers stay thin: parse, authorise, call the
//! service layer in one transaction, shape the response.

pub mod auth;
pub mod common;
pub mod docs;
pub mod health;
pub mod me;
pub mod metrics;
pub mod needs;
pub mod ocds;
pub mod organisations;
pub mod outbox;
pub mod pool_actions;
pub mod pools;
pub mod users;

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
        .service(metrics::metrics)
        .service(auth::login)
        .service(docs::swagger_ui())
        // Scopes: a request is matched against a fixed prefix before any pattern, so the
        // hot paths do not try every route of the API in turn.
        .service(web::scope("/api/v1").service(pool_routes()).service(need_routes()).service(other_routes()));
}

fn pool_routes() -> actix_web::Scope {
    web::scope("/pools")
        .service(resource("", web::get().to(pools::list)))
        // Before /{id}, which would otherwise take "similar" for an id.
        .service(resource("/similar", web::get().to(pools::similar)))
        .service(
            web::resource("/{id}")
                .route(web::get().to(pools::get))
                .route(web::patch().to(pools::patch))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/{id}/pledge")
                .route(web::put().to(pool_actions::put_pledge))
                .route(web::delete().to(pool_actions::delete_pledge))
                .default_service(web::to(method_not_allowed)),
        )
        .service(resource("/{id}/events", web::get().to(pools::events)))
        .service(resource("/{id}/approve", web::post().to(pool_actions::approve)))
        .service(resource("/{id}/reject", web::post().to(pool_actions::reject)))
        .service(resource("/{id}/cancel", web::post().to(pool_actions::cancel)))
        .service(resource("/{id}/award", web::post().to(pool_actions::award)))
        .service(resource("/{id}/deliver", web::post().to(pool_actions::deliver)))
        .service(resource("/{id}/merge", web::post().to(pool_actions::merge)))
}

fn need_routes() -> actix_web::Scope {
    web::scope("/needs")
        .service(
            web::resource("")
                .route(web::get().to(needs::list))
                .route(web::post().to(needs::create))
                .default_service(web::to(method_not_allowed)),
        )
        .service(
            web::resource("/{id}")
                .route(web::get().to(needs::get))
                .route(web::delete().to(needs::withdraw))
                .default_service(web::to(method_not_allowed)),
        )
        .service(resource("/{id}/move", web::post().to(needs::move_need)))
}

fn other_routes() -> actix_web::Scope {
    web::scope("")
        .service(resource("/me", web::get().to(me::me)))
        .service(resource("/me/password", web::post().to(users::change_password)))
        .service(resource("/users/{id}", web::patch().to(users::patch)))
        .service(
            web::resource("/organisations")
                .route(web::get().to(organisations::list))
                .route(web::post().to(organisations::create))
                .default_service(web::to(method_not_allowed)),
        )
        .service(resource("/organisations/{id}", web::get().to(organisations::get)))
        .service(
            web::resource("/organisations/{id}/users")
                .route(web::get().to(organisations::list_users))
                .route(web::post().to(organisations::create_user))
                .default_service(web::to(method_not_allowed)),
        )
        .service(resource("/ocds/releases", web::get().to(ocds::releases)))
        .service(resource("/outbox", web::get().to(outbox::list)))
        .service(resource("/outbox/{id}/requeue", web::post().to(outbox::requeue)))
}

/// A resource with one method; any other method is 405.
fn resource(path: &str, route: actix_web::Route) -> actix_web::Resource {
    web::resource(path).route(route).default_service(web::to(method_not_allowed))
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
