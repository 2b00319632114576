//! A person using the pages without JavaScript: plain HTTP form posts with the cookies a
//! browser would keep, following `303 See Other` as a browser does.

use std::{collections::HashMap, sync::Mutex};

use reqwest::{StatusCode, header};

use crate::helpers::{PASSWORD, TestApp};

/// A page as the server answered it.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    /// The first CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        let at =
            self.body.find(r#"name="csrf_token" value=""#).unwrap_or_else(|| panic!("no form token in\n{}", self.body));
        let rest = &self.body[at + r#"name="csrf_token" value=""#.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }

    /// The `Set-Cookie` headers of the answer.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect()
    }

    pub fn set_cookie(&self, name: &str) -> String {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no cookie {name} in {:?}", self.set_cookies()))
    }

    /// The text of the page's `<main>`, without tags: what a person reads.
    pub fn main_text(&self) -> String {
        let start = self.body.find("<main").unwrap_or(0);
        let end = self.body.find("</main>").unwrap_or(self.body.len());
        let mut text = String::new();
        let mut in_tag = false;
        for c in self.body[start..end].chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    text.push(' ');
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ").replace("&#39;", "'").replace("&quot;", "\"")
    }
}

/// An organisation in `locale` with one member: `(organisation id, member email, token)`.
pub async fn member(app: &TestApp, name: &str, locale: &str) -> (i64, String, String) {
    let id = app.create_organisation(name, locale).await;
    let email = format!("{}@example.be", name.to_lowercase().replace(' ', "-"));
    let token = app.create_member(id, &email).await;
    (id, email, token)
}

/// The text between `start` and the next `end`.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start} in {text}")) + start.len();
    &text[from..from + text[from..].find(end).unwrap()]
}

/// One person's browser, without JavaScript.
pub struct WebClient<'a> {
    app: &'a TestApp,
    cookies: Mutex<HashMap<String, String>>,
    accept_language: Option<String>,
}

impl<'a> WebClient<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookies: Mutex::default(), accept_language: None }
    }

    pub fn with_language(app: &'a TestApp, accept_language: &str) -> Self {
        Self { accept_language: Some(accept_language.to_owned()), ..Self::new(app) }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies.lock().unwrap().insert(name.to_owned(), value.to_owned());
    }

    fn cookie_header(&self) -> String {
        self.cookies.lock().unwrap().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Page {
        let mut request = request.header(header::COOKIE, self.cookie_header());
        if let Some(lang) = &self.accept_language {
            request = request.header(header::ACCEPT_LANGUAGE, lang);
        }
        let response = request.send().await.expect("request");
        let page = Page { status: response.status(), headers: response.headers().clone(), body: String::new() };
        for cookie in page.set_cookies() {
            let pair = cookie.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if value.is_empty() || cookie.contains("Max-Age=0") {
                jar.remove(name);
            } else {
                jar.insert(name.to_owned(), value.to_owned());
            }
        }
        Page { body: response.text().await.unwrap(), ..page }
    }

    /// `GET path`, not following redirects.
    pub async fn get(&self, path: &str) -> Page {
        self.send(self.app.client.get(self.app.url(path))).await
    }

    /// Posts a form, not following redirects.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.send(self.app.client.post(self.app.url(path)).form(fields)).await
    }

    /// Follows `303 See Other` (and other redirects) as a browser does, with `GET`.
    pub async fn follow(&self, mut page: Page) -> Page {
        for _ in 0..5 {
            let next = page.location().filter(|_| page.status.is_redirection()).map(str::to_owned);
            match next {
                Some(location) => page = self.get(&location).await,
                None => return page,
            }
        }
        page
    }

    /// Posts a form of `from` (its token added), and follows the answer.
    pub async fn submit(&self, from: &Page, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = from.csrf();
        let mut all = fields.to_vec();
        all.push(("csrf_token", &token));
        let answer = self.post(path, &all).await;
        self.follow(answer).await
    }

    /// Signs in through the sign-in form; returns the answer to the form (a 303 on success).
    pub async fn sign_in_as(&self, email: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        assert_eq!(form.status, StatusCode::OK);
        let token = form.csrf();
        self.post("/login", &[("email", email), ("password", password), ("csrf_token", &token), ("next", "/")]).await
    }

    /// Signs in with the test password and lands on the home page.
    pub async fn sign_in(&self, email: &str) -> Page {
        let answer = self.sign_in_as(email, PASSWORD).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "sign-in of {email}: {}", answer.body);
        self.follow(answer).await
    }
}
