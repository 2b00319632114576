//! The stylesheet and scripts, embedded in the binary and served at
//! `/static/{version}/{file}`, where the version is a hash of the file's content: a new
//! build changes the address of what changed, so browsers may keep each file a year.

use std::{collections::HashMap, sync::OnceLock};

use actix_web::{HttpResponse, http::header, web};
use sha2::{Digest, Sha256};

use super::session::hex;

/// `(file, content type, content)`.
const FILES: [(&str, &str, &str); 3] = [
    ("mutua.css", "text/css; charset=utf-8", include_str!("../../static/mutua.css")),
    ("mutua.js", "text/javascript; charset=utf-8", include_str!("../../static/mutua.js")),
    ("htmx.min.js", "text/javascript; charset=utf-8", include_str!("../../static/htmx.min.js")),
];

/// `file → (version, content type, content)`.
fn files() -> &'static HashMap<&'static str, (String, &'static str, &'static str)> {
    static FILES_BY_NAME: OnceLock<HashMap<&'static str, (String, &'static str, &'static str)>> = OnceLock::new();
    FILES_BY_NAME.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, kind, content)| {
                let version = hex(&Sha256::digest(content.as_bytes())[..6]);
                (*name, (version, *kind, *content))
            })
            .collect()
    })
}

/// The address of a static file, with its current version.
pub fn url(file: &str) -> String {
    let version = files().get(file).map_or("0", |(v, _, _)| v.as_str());
    format!("/static/{version}/{file}")
}

/// `GET /static/{version}/{file}`: the current file; cached for a year when the version
/// is current, briefly otherwise (a page of the previous build, during a deployment).
pub async fn serve(path: web::Path<(String, String)>) -> HttpResponse {
    let (version, file) = path.into_inner();
    let Some((current, kind, content)) = files().get(file.as_str()) else {
        return HttpResponse::NotFound().finish();
    };
    let cache = if *current == version { "public, max-age=31536000, immutable" } else { "public, max-age=60" };
    HttpResponse::Ok()
        .content_type(*kind)
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(*content)
}
