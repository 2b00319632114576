//! Pages for people: the staff of authorities and of the purchasing office (SPEC §11),
//! served by the same process and port as the API.
//!
//! Server-rendered HTML (MiniJinja templates in `templates/web/`, embedded), one layout, a
//! stylesheet of our own; every form works without JavaScript, and htmx (vendored in
//! `static/`) only makes forms submit without a full reload and shows similar pools while
//! a need is typed.
//!
//! The pages call the same service functions as the API, in the same unit of work
//! (`Db::read`/`Db::write`), for a caller that is the person's session
//! ([`session::WebCaller`], checked in the same transaction as the work): no rule is
//! written twice. A page parses its form with the domain's parsers, runs one unit of work,
//! and renders one template; a form that changes something answers `303 See Other` back to
//! its page, or the page again with the errors beside their fields.
//!
//! - `page`: the request's session, language and the unit of work; error pages
//! - `session`, `csrf`, `cookies`: the session cookie and the forms' tokens
//! - `i18n`, `views`, `forms`: words, what a pool shows, form errors (amounts and dates
//!   are written by `crate::domain::format`, as in the emails)
//! - `render`, `assets`: templates, headers, the stylesheet and scripts
//! - `cache`: sessions and pools' pages answered from memory, forgotten at each change
//! - `pages/*`: one module per page or group of forms

mod assets;
mod cache;
mod cookies;
mod csrf;
mod forms;
mod i18n;
mod page;
mod pages;
mod render;
mod session;
mod views;

pub use cache::PageCache;

use crate::resource::resource;

use pages::{
    account, catalogue, duplicates, home, login, merge_confirm, needs, oidc, organisation_import, organisations,
    password, pledge_drop, pool_actions, pool_settings, pools,
};

/// Registers the pages (after the API, whose paths all start with `/api`).
pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.service(resource!("/", GET => home::home))
        .service(resource!("/login", GET => login::form, POST => login::login))
        .service(resource!("/login/oidc", GET => oidc::start))
        .service(resource!("/login/oidc/callback", GET => oidc::callback))
        .service(resource!("/logout", POST => login::logout))
        .service(resource!("/password/forgot", GET => password::forgot_form, POST => password::forgot))
        .service(resource!("/password/reset/{token}", GET => password::reset_form, POST => password::reset))
        .service(
            resource!("/invitations/{token}", GET => password::invitation_form, POST => password::accept_invitation),
        )
        .service(resource!("/lang/{code}", GET => login::language))
        .service(resource!("/catalogue", GET => catalogue::catalogue))
        .service(resource!("/needs/new", GET => needs::form, POST => needs::post))
        .service(resource!("/needs/similar", GET => needs::similar))
        .service(resource!("/needs/{id}", GET => needs::need))
        .service(resource!("/needs/{id}/move", POST => needs::move_need))
        .service(resource!("/needs/{id}/withdraw", POST => needs::withdraw))
        .service(resource!("/pools", GET => pools::list))
        .service(resource!("/pools/{id}", GET => pools::pool))
        .service(resource!("/pools/{id}/pledge", POST => pool_actions::pledge))
        .service(resource!("/pools/{id}/pledge/withdraw", POST => pool_actions::withdraw_pledge))
        .service(resource!("/pools/{id}/pledge/confirm", POST => pool_actions::confirm_pledge))
        .service(resource!("/pools/{id}/approve", POST => pool_actions::approve))
        .service(resource!("/pools/{id}/reject", POST => pool_actions::reject))
        .service(resource!("/pools/{id}/cancel", POST => pool_actions::cancel))
        .service(resource!("/pools/{id}/award", POST => pool_actions::award))
        .service(resource!("/pools/{id}/deliver", POST => pool_actions::deliver))
        .service(resource!("/pools/{id}/merge", GET => merge_confirm::form, POST => pool_actions::merge))
        .service(resource!("/pools/{id}/maintenance", POST => pool_actions::maintenance))
        .service(resource!("/pools/{id}/redact", POST => pool_actions::redact))
        .service(resource!("/pools/{id}/cost", POST => pool_actions::cost))
        .service(resource!("/pools/{id}/settings", GET => pool_settings::form, POST => pool_settings::save))
        .service(resource!("/pools/{id}/pledges/{organisation_id}/drop", GET => pledge_drop::form, POST => pledge_drop::drop))
        .service(resource!("/organisations", GET => organisations::list, POST => organisations::create))
        // Before `/organisations/{id}`; a form that carries a whole file.
        .service(
            resource!("/organisations/import", GET => organisation_import::form, POST => organisation_import::import)
                .app_data(actix_web::web::FormConfig::default().limit(organisation_import::MAX_FORM_BYTES)),
        )
        .service(resource!("/organisations/{id}", GET => organisations::organisation, POST => organisations::save))
        .service(resource!("/organisations/{id}/users", POST => organisations::invite))
        .service(resource!(
            "/organisations/{id}/users/{user}/{action}",
            GET => organisations::confirm_disable,
            POST => organisations::change
        ))
        .service(resource!("/duplicates", GET => duplicates::review))
        .service(resource!("/duplicates/dismiss", POST => duplicates::dismiss))
        .service(resource!("/outbox/{id}/requeue", POST => home::requeue))
        .service(resource!("/static/{version}/{file}", GET => assets::serve))
        .service(resource!("/account", GET => account::account))
        .service(resource!("/account/name", POST => account::name))
        .service(resource!("/account/language", POST => account::language))
        .service(resource!("/account/password", POST => account::password))
        .service(resource!("/account/sign-out-everywhere", POST => account::sign_out_everywhere));
}
