//! HTTP routes, one module per resource. Handlers stay thin: parse, authorise, call the
//! service layer in one transaction, shape the response.

pub mod auth;
pub mod common;
pub mod council;
pub mod docs;
pub mod duplicates;
pub mod health;
pub mod maintenance;
pub mod me;
pub mod metrics;
pub mod needs;
pub mod ocds;
pub mod organisations;
pub mod outbox;
pub mod pool_actions;
pub mod pools;
pub mod redaction;
pub mod users;

use actix_web::{
    HttpRequest, HttpResponse,
    error::{JsonPayloadError, PathError, QueryPayloadError},
    web,
};

use crate::{
    error::{ApiError, FieldError, cap_quoted, echo},
    resource::resource,
};

/// Registers every route; a wrong method on a known path is 405 with `Allow`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::health)
        .service(health::ready)
        .service(metrics::metrics)
        .service(auth::login)
        .service(auth::password_reset)
        .service(docs::swagger_ui())
        // Scopes: a request is matched against a fixed prefix before any pattern, so the
        // hot paths do not try every route of the API in turn.
        .service(web::scope("/api/v1").service(pool_routes()).service(need_routes()).service(other_routes()));
}

fn pool_routes() -> actix_web::Scope {
    web::scope("/pools")
        .service(resource!("", GET => pools::list))
        // Before /{id}, which would otherwise take "similar" for an id.
        .service(resource!("/similar", GET => pools::similar))
        .service(resource!("/{id}", GET => pools::get, PATCH => pools::patch))
        .service(resource!("/{id}/pledge", PUT => pool_actions::put_pledge, DELETE => pool_actions::delete_pledge))
        .service(resource!("/{id}/pledge/confirm", POST => council::confirm))
        .service(resource!("/{id}/pledges/{organisation_id}/drop", POST => council::drop_pledge))
        .service(resource!("/{id}/events", GET => pools::events))
        .service(resource!("/{id}/approve", POST => pool_actions::approve))
        .service(resource!("/{id}/reject", POST => pool_actions::reject))
        .service(resource!("/{id}/cancel", POST => pool_actions::cancel))
        .service(resource!("/{id}/award", POST => pool_actions::award))
        .service(resource!("/{id}/deliver", POST => pool_actions::deliver))
        .service(resource!("/{id}/merge", POST => pool_actions::merge))
        .service(resource!("/{id}/redact", POST => redaction::redact))
        .service(resource!("/{id}/maintenance", POST => maintenance::open))
}

fn need_routes() -> actix_web::Scope {
    web::scope("/needs")
        .service(resource!("", GET => needs::list, POST => needs::create))
        .service(resource!("/{id}", GET => needs::get, DELETE => needs::withdraw))
        .service(resource!("/{id}/move", POST => needs::move_need))
}

fn other_routes() -> actix_web::Scope {
    web::scope("")
        .service(resource!("/me", GET => me::me, PATCH => me::patch))
        .service(resource!("/me/password", POST => users::change_password))
        .service(resource!("/me/sign-out-everywhere", POST => me::sign_out_everywhere))
        .service(resource!("/users/{id}", PATCH => users::patch))
        .service(resource!("/users/{id}/invite", POST => users::invite))
        .service(
            resource!("/organisations", GET => organisations::list, POST => organisations::create),
        )
        .service(resource!("/organisations/{id}", GET => organisations::get, PUT => organisations::replace))
        .service(
            resource!("/organisations/{id}/users", GET => organisations::list_users, POST => organisations::create_user),
        )
        .service(resource!("/ocds/releases", GET => ocds::releases))
        .service(resource!("/ocds/records", GET => ocds::records))
        .service(resource!("/duplicates", GET => duplicates::list))
        .service(resource!("/duplicates/dismiss", POST => duplicates::dismiss))
        .service(resource!("/outbox", GET => outbox::list))
        .service(resource!("/outbox/{id}/requeue", POST => outbox::requeue))
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
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest(cap_quoted(&format!("malformed JSON: {e}"))),
        other => ApiError::BadRequest(cap_quoted(&format!("unreadable body: {other}"))),
    };
    api.into()
}

/// Names the field of a serde data error: serde puts it in backquotes (unknown field
/// `x`, missing field `y`). The name and any value serde quotes are client input: repeated
/// only as a short prefix ([`crate::error::cap_quoted`]).
fn field_error(e: &serde_json::Error) -> FieldError {
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    let field = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"))
        .map_or_else(|| "body".to_owned(), echo);
    FieldError::new(field, cap_quoted(message))
}

pub fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::Validation(vec![FieldError::new("query", cap_quoted(&error.to_string()))]).into()
}

/// A path parameter that is not a number cannot name anything: 404.
pub fn path_error(_error: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::NotFound.into()
}
