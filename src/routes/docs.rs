//! The OpenAPI 3.1 document, generated from the handlers' annotations, and the Swagger UI
//! page (vendored into the binary, so it works offline).

use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_swagger_ui::SwaggerUi;

use super::{
    auth, council, duplicates, health, maintenance, me, metrics, needs, ocds, organisations, outbox, pool_actions,
    pools, redaction, users,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "mutua",
        description = "Local authorities pool their IT needs and fund each development once. \
            Every error is application/problem+json (RFC 9457).",
        license(name = "GPL-2.0-or-later", identifier = "GPL-2.0-or-later"),
    ),
    paths(
        health::health, health::ready, metrics::metrics,
        auth::login, auth::password_reset, me::me, me::patch, users::change_password, me::sign_out_everywhere, users::patch, users::invite,
        organisations::create, organisations::list, organisations::get, organisations::replace,
        organisations::create_user, organisations::list_users,
        needs::create, needs::list, needs::get, needs::withdraw, needs::move_need,
        pools::list, pools::similar, pools::get, pools::patch, pools::events,
        pool_actions::put_pledge, pool_actions::delete_pledge, council::confirm, council::drop_pledge,
        pool_actions::approve, pool_actions::reject, pool_actions::cancel,
        pool_actions::award, pool_actions::deliver, pool_actions::merge, maintenance::open,
        redaction::redact,
        duplicates::list, duplicates::dismiss,
        ocds::releases, ocds::records,
        outbox::list, outbox::requeue,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Logging in and who is calling"),
        (name = "organisations", description = "Participating authorities and their users"),
        (name = "needs", description = "What an authority needs; the same need joins one pool"),
        (name = "pools", description = "One development funded together"),
        (name = "pledges", description = "What each authority is ready to pay, and its council's decision"),
        (name = "decisions", description = "The central purchasing office's decisions and procurement steps, and the maintenance of what was delivered"),
        (name = "open data", description = "Pools as Open Contracting (OCDS 1.1) releases and records, public"),
        (name = "operations", description = "Health, readiness, metrics and the email outbox"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// The interactive documentation at `/docs/`, and the OpenAPI document it reads at
/// `/api/openapi.json`.
pub fn swagger_ui() -> SwaggerUi {
    SwaggerUi::new("/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi())
}
