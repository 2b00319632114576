//! `Idempotency-Key` on state-changing requests (POST, PUT, PATCH, DELETE).
//!
//! The first request with a key runs and its response (status and body) is stored with a
//! hash of the request; the same user sending the same key and the same request again gets
//! that response replayed, without a second effect. The same key with another request is
//! 422. While the first is still running, a duplicate gets 409, so concurrent duplicates
//! have one effect. Server errors, rate limits and unavailability are not stored: the
//! client may retry them. Keys are kept 48 hours (the worker purges older ones).
//!
//! The key is claimed in the caller's own unit of work, which checks its session first: a
//! disabled user or a revoked token gets 401 and writes nothing. Each user's share of the
//! store is bounded (`MUTUA_IDEMPOTENCY_MAX_KEYS` keys and `MUTUA_IDEMPOTENCY_MAX_BYTES`
//! bytes over the 48 hours): a new key beyond either is refused with a 429 problem
//! (`/problems/idempotency-quota`), before the request runs. Responses marked
//! `Cache-Control: no-store` (those carrying an access token) are never stored: the key is
//! released, and a retry runs again.

use actix_web::{
    Error, HttpResponse,
    body::{BoxBody, MessageBody, to_bytes},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::{Method, StatusCode, header},
    middleware::Next,
    web,
};
use chrono::Duration;
use sha2::{Digest, Sha256};

use crate::{
    app_data,
    auth::extractor::authenticated,
    db::{self, Db, System, WriteTx, models::idempotency},
    error::{ApiError, ApiResult},
};

pub const HEADER: &str = "idempotency-key";

/// How long a key is kept, at least.
pub const RETENTION: Duration = Duration::hours(48);

/// A first request that has not finished after this long is taken to have died with its
/// process, and the key may be used again.
const ABANDONED_AFTER: Duration = Duration::minutes(5);

enum Claim {
    /// Run the request and store its response.
    Run,
    Replay {
        status: u16,
        body: String,
    },
}

/// Claims, replays or refuses a request's key. The store is the application's
/// `web::Data<Db>`, its bounds `web::Data<Limits>`: without either, 500 (logged), never a
/// request run twice. A refusal is answered here, the request in hand, so that the metrics
/// and the logs name its route like any other answer's.
pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let (db, user_id, key) = match claim_key(&mut req).await {
        Ok(Some(Claimed::Run { db, user_id, key })) => (db, user_id, key),
        Ok(Some(Claimed::Replay(response))) => return Ok(req.into_response(response)),
        Ok(None) => return Ok(next.call(req).await?.map_into_boxed_body()),
        Err(error) => return Ok(req.error_response(error)),
    };

    let response = next.call(req).await?;
    let status = response.status();
    let no_store = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|d| d.trim().eq_ignore_ascii_case("no-store")));
    let keep = !(status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS || no_store);
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = match to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let unreadable = ApiError::Internal(anyhow::anyhow!("unreadable response body"));
            return Ok(ServiceResponse::from_err(unreadable, request));
        }
    };
    let stored = String::from_utf8_lossy(&bytes).into_owned();
    let outcome = db
        .write(System, move |tx, _| {
            if keep {
                idempotency::finish(tx, user_id, &key, i32::from(status.as_u16()), &stored)?;
            } else {
                idempotency::forget(tx, user_id, &key)?;
            }
            Ok(())
        })
        .await;
    if let Err(error) = outcome {
        // The effect happened; failing the response now would invite a retry that
        // repeats it. Log, and answer what the handler answered.
        tracing::error!(%error, "cannot store the idempotent response");
    }
    Ok(ServiceResponse::new(request, head.set_body(bytes).map_into_boxed_body()))
}

/// What a request's key says to do, once claimed.
enum Claimed {
    /// Run the request, then store its response under the key.
    Run { db: web::Data<Db>, user_id: i64, key: String },
    /// Answer what the first request with the key was answered.
    Replay(HttpResponse),
}

/// Claims the key of a request that changes state and carries one, for its user; `None`
/// for a request without a key to claim (nothing to do, or no valid token: the route then
/// answers 401 on its own).
async fn claim_key(req: &mut ServiceRequest) -> Result<Option<Claimed>, ApiError> {
    let db = app_data::required::<Db>(req.request())?;
    let limits = app_data::required::<Limits>(req.request())?;
    let changes_state = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    let key = req.headers().get(HEADER).map(|v| v.to_str().map(str::to_owned));
    let (Some(key), true) = (key, changes_state) else {
        return Ok(None);
    };
    let key = match key {
        Ok(key) if (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => key,
        _ => return Err(ApiError::invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters")),
    };
    // Keys belong to users; without a valid token the route answers 401 on its own.
    let Some(caller) = authenticated(req.request()) else {
        return Ok(None);
    };
    let user_id = caller.id;
    let body = req.extract::<web::Bytes>().await.map_err(|_| ApiError::PayloadTooLarge)?;
    let hash = request_hash(req.method(), req.path(), req.query_string(), &body);
    req.set_payload(Payload::from(body));

    let claim = {
        let (key, limits) = (key.clone(), **limits);
        // The caller's session is checked first, in the same transaction: a disabled user
        // neither claims keys nor gets replays.
        db.write(caller, move |tx, _| claim(tx, user_id, &key, &hash, limits)).await?
    };
    Ok(Some(match claim {
        Claim::Run => Claimed::Run { db, user_id, key },
        Claim::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let content_type = if status.is_success() { "application/json" } else { "application/problem+json" };
            Claimed::Replay(
                HttpResponse::build(status)
                    .insert_header((header::CONTENT_TYPE, content_type))
                    .insert_header(("idempotent-replayed", "true"))
                    .body(body),
            )
        }
    }))
}

/// What one user may keep in the store over [`RETENTION`] (`MUTUA_IDEMPOTENCY_MAX_KEYS`,
/// `MUTUA_IDEMPOTENCY_MAX_BYTES`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub keys: u32,
    pub bytes: u64,
}

fn claim(tx: &mut WriteTx, user_id: i64, key: &str, hash: &str, limits: Limits) -> ApiResult<Claim> {
    try_claim(tx, user_id, key, hash, limits).map_err(|e| match e {
        // Two first requests raced on PostgreSQL: the loser sees the winner's key.
        ApiError::Conflict(_) => ApiError::Conflict("a request with this Idempotency-Key is still in progress".into()),
        other => other,
    })
}

fn try_claim(tx: &mut WriteTx, user_id: i64, key: &str, hash: &str, limits: Limits) -> ApiResult<Claim> {
    let now = db::now();
    match idempotency::find(tx, user_id, key)? {
        None => {
            within_bounds(tx, user_id, now, limits)?;
            idempotency::start(tx, user_id, key, hash, now)?;
            Ok(Claim::Run)
        }
        Some(existing) if existing.request_hash != hash => {
            Err(ApiError::invalid("Idempotency-Key", "this key was used for another request"))
        }
        Some(existing) => match (existing.response_status, existing.response_body) {
            (Some(status), Some(body)) => Ok(Claim::Replay { status: u16::try_from(status).unwrap_or(200), body }),
            _ if now - existing.created_at > ABANDONED_AFTER => {
                idempotency::restart(tx, user_id, key, now)?;
                Ok(Claim::Run)
            }
            _ => Err(ApiError::Conflict("a request with this Idempotency-Key is still in progress".into())),
        },
    }
}

/// Refuses a new key when the user's keys of the last [`RETENTION`] reach either bound; the
/// answer says when the oldest of them expires.
fn within_bounds(tx: &mut WriteTx, user_id: i64, now: chrono::NaiveDateTime, limits: Limits) -> ApiResult<()> {
    let held = idempotency::held_since(tx, user_id, now - RETENTION)?;
    let bytes: u64 = held.iter().map(|(b, _)| u64::try_from(*b).unwrap_or(0)).sum();
    if held.len() < limits.keys as usize && bytes < limits.bytes {
        return Ok(());
    }
    let oldest = held.iter().map(|(_, at)| *at).min().unwrap_or(now);
    let wait = (oldest + RETENTION - now).num_seconds();
    tracing::warn!(user_id, keys = held.len(), bytes, "idempotency store full for this user");
    Err(ApiError::IdempotencyQuota { retry_after_seconds: u64::try_from(wait).unwrap_or(1).max(1) })
}

fn request_hash(method: &Method, path: &str, query: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"?");
    hasher.update(query.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
