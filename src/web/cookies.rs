//! The few cookies the pages use, read from `Cookie` and written as `Set-Cookie`. Their
//! values are hexadecimal ids and language codes, so no escaping is needed; a value with
//! anything else is ignored when read.

use actix_web::{HttpRequest, http::header};

/// The value of cookie `name`, if the request carries it.
pub fn get(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
        .filter(|value| !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// A `Set-Cookie` value: always `Path=/`, `SameSite=Lax`; `HttpOnly` unless the page's own
/// script needs it (none does today); `Secure` when people reach the service over https.
/// `max_age` 0 removes the cookie.
pub fn set(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}")
}

/// The name of a cookie: with the `__Host-` prefix over https, which browsers accept only
/// from a secure origin, for this host alone, on path `/` (no subdomain can plant it).
pub fn name(base: &'static str, secure: bool) -> String {
    if secure { format!("__Host-{base}") } else { base.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn reads_one_cookie_among_several_and_ignores_odd_values() {
        let req = TestRequest::default()
            .insert_header((header::COOKIE, "a=1; mutua_session=ab12cd; b=x y"))
            .to_http_request();
        assert_eq!(get(&req, "mutua_session").as_deref(), Some("ab12cd"));
        assert_eq!(get(&req, "b"), None);
        assert_eq!(get(&req, "c"), None);
    }

    #[test]
    fn set_cookie_has_the_flags() {
        assert_eq!(set("s", "v", 60, true), "s=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
        assert!(!set("s", "v", 0, false).contains("Secure"));
        assert_eq!(name("mutua_session", true), "__Host-mutua_session");
    }
}
