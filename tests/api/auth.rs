use diesel::prelude::*;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use mutua::db::schema::users;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{OFFICER_EMAIL, PASSWORD, assert_problem, spawn_app};

const SECRET: &[u8] = b"test secret of at least thirty-two bytes!";

fn claims(sub: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": sub, "iat": now, "exp": now + 600, "iss": "mutua", "aud": "mutua-api", "ver": 0, "org": 1, "role": "officer"})
}

fn sign(claims: &Value, secret: &[u8]) -> String {
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret).unwrap()).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    use std::fmt::Write;
    // base64url without padding, enough for hand-made tokens.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            let _ = out.write_char(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[tokio::test]
async fn login_gives_a_bearer_token_that_opens_me() {
    let app = spawn_app().await;
    let response = app.login(OFFICER_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_u64().unwrap() > 0);
    let me: Value = app.get("/api/v1/me", body["access_token"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(me["user"]["email"], OFFICER_EMAIL);
    assert_eq!(me["user"]["role"], "officer");
    assert_eq!(me["organisation"]["kind"], "central_purchasing");
    assert!(me["user"].get("password_hash").is_none());
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    let unknown = app.login("nobody@nowhere.be", PASSWORD).await;
    let wrong = app.login(OFFICER_EMAIL, "wrong password entirely").await;
    assert_eq!(unknown.headers().get("www-authenticate").unwrap(), "Bearer");
    let unknown = assert_problem(unknown, StatusCode::UNAUTHORIZED).await;
    let wrong = assert_problem(wrong, StatusCode::UNAUTHORIZED).await;
    assert_eq!(unknown, wrong);
}

#[tokio::test]
async fn email_is_case_insensitive_at_login() {
    let app = spawn_app().await;
    assert_eq!(app.login(&OFFICER_EMAIL.to_uppercase(), PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_tokens_are_refused_with_401() {
    let app = spawn_app().await;
    let good = claims("1");
    let now = chrono::Utc::now().timestamp();
    let mut expired = good.clone();
    expired["exp"] = json!(now - 3600);
    expired["iat"] = json!(now - 7200);
    let mut wrong_audience = good.clone();
    wrong_audience["aud"] = json!("another-service");
    let mut exp_as_string = good.clone();
    exp_as_string["exp"] = json!((now + 600).to_string());
    let valid = sign(&good, SECRET);
    let (head, rest) = valid.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let tampered = format!("{head}.{}.{signature}", b64(serde_json::to_string(&claims("2")).unwrap().as_bytes()));
    let alg_none =
        format!("{}.{}.", b64(br#"{"alg":"none","typ":"JWT"}"#), b64(serde_json::to_string(&good).unwrap().as_bytes()));
    let cases = [
        ("forged with another key", sign(&good, b"another secret of thirty-two bytes or more")),
        ("tampered payload", tampered),
        ("alg none", alg_none),
        ("expired", sign(&expired, SECRET)),
        ("wrong audience", sign(&wrong_audience, SECRET)),
        ("exp as a string", sign(&exp_as_string, SECRET)),
        ("garbage", "not.a.token".into()),
    ];
    // The token signed correctly is accepted: the refusals below are about the defects.
    assert_eq!(app.get("/api/v1/me", &valid).await.status(), StatusCode::OK);
    for (what, token) in cases {
        let response = app.get("/api/v1/me", &token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(response.headers().get("www-authenticate").unwrap(), "Bearer", "{what}");
    }
    let none = app.request(Method::GET, "/api/v1/me", None, None).await;
    assert_problem(none, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_with_owasp_memory() {
    let app = spawn_app().await;
    let org = app.create_organisation("Commune de Namur", "fr").await;
    app.create_member(org, "marie@namur.be").await;
    let mut conn = app.state().db.raw_connection().unwrap();
    let hashes: Vec<Option<String>> = users::table.select(users::password_hash).load(&mut *conn).unwrap();
    assert_eq!(hashes.len(), 2);
    for hash in hashes {
        let hash = hash.expect("both users chose a password");
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        let memory: u32 = hash.split("m=").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
        assert!(memory >= 19456, "{hash}");
        assert!(!hash.contains(PASSWORD));
    }
}

#[tokio::test]
async fn members_are_refused_on_officer_routes() {
    let app = spawn_app().await;
    let (org, member) = app.commune("Commune de Ciney").await;
    let create_org =
        app.post("/api/v1/organisations", &member, &json!({"name": "X", "kind": "commune", "locale": "fr"})).await;
    assert_problem(create_org, StatusCode::FORBIDDEN).await;
    let create_user = app
        .post(
            &format!("/api/v1/organisations/{org}/users"),
            &member,
            &json!({"email": "x@ciney.be", "name": "X", "password": PASSWORD, "role": "member"}),
        )
        .await;
    assert_problem(create_user, StatusCode::FORBIDDEN).await;
}
