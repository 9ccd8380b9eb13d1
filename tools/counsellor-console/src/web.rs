//! The console's HTTP side: the page at `/` and the small JSON API it polls.
//!
//! - `GET  /api/overview`: who is logged in, the change version, the room list
//! - `GET  /api/changes?since=N&timeout_ms=T`: long poll; answers when the version moves
//! - `GET  /api/rooms/{room_id}/messages`: the room's recent lines, decrypted
//! - `POST /api/rooms/{room_id}/messages` with `{"text": "..."}`: write in the room
//!
//! It shows decrypted reports without asking who is looking, so it serves loopback only
//! and answers only requests addressed to a loopback name (a web page elsewhere cannot
//! reach it through DNS rebinding); writes need a JSON body, which a cross-site form
//! cannot send.

use std::time::Duration;

use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use matrix_sdk::ruma::OwnedRoomId;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::rooms::{self, RoomError};
use crate::state::Console;

const PAGE: &str = include_str!("page.html");
/// Longest long poll the page may ask for.
const MAX_WAIT: Duration = Duration::from_secs(30);
/// Far more than any answer needs; keeps a stuck paste from becoming a huge event.
const MAX_TEXT_CHARS: usize = 20_000;

pub fn router(console: Console) -> Router {
    Router::new()
        .route("/", get(page))
        // Browsers ask for it; there is none, and a 404 would look like a fault.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/api/overview", get(overview))
        .route("/api/changes", get(changes))
        .route("/api/rooms/{room_id}/messages", get(messages).post(send))
        .layer(middleware::from_fn(loopback_host_only))
        .with_state(console)
}

/// Whether a `Host` header names this console by a loopback name. The port may differ
/// from the one the console listens on: over `ssh -L 9082:127.0.0.1:8082 server` the
/// browser says `localhost:9082`. The name is what guards against DNS rebinding (an
/// outside name resolving to 127.0.0.1), not the port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        // "[::1]:8082", "localhost:8082"; but "[::1]" alone has colons of its own.
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !port.is_empty() => name,
        _ => host,
    };
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(name))
}

async fn loopback_host_only(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !is_loopback_host(host) {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "open this console as http://127.0.0.1:PORT/ or http://localhost:PORT/\n",
        )
            .into_response();
    }
    next.run(request).await
}

async fn page() -> Response {
    (
        // The page must not be cached: it is the only copy of the code it runs.
        [(header::CACHE_CONTROL, "no-store")],
        Html(PAGE),
    )
        .into_response()
}

/// A failed API request, as `{"error": "..."}`.
struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<RoomError> for Failure {
    fn from(error: RoomError) -> Self {
        let status = match error {
            RoomError::Unknown => StatusCode::NOT_FOUND,
            RoomError::NotJoined => StatusCode::CONFLICT,
            RoomError::Matrix(_) => StatusCode::BAD_GATEWAY,
        };
        if let RoomError::Matrix(e) = &error {
            tracing::warn!(error = %e, "a homeserver request failed");
        }
        Failure(status, error.to_string())
    }
}

fn room_id(raw: &str) -> Result<OwnedRoomId, Failure> {
    OwnedRoomId::try_from(raw)
        .map_err(|_| Failure(StatusCode::BAD_REQUEST, "not a room id".to_owned()))
}

async fn overview(State(console): State<Console>) -> Json<Value> {
    Json(json!({
        "version": console.version(),
        "me": { "user_id": console.me.user_id, "name": console.me.name },
        "rooms": rooms::list(&console),
    }))
}

#[derive(Deserialize)]
struct ChangesQuery {
    #[serde(default)]
    since: u64,
    #[serde(default)]
    timeout_ms: u64,
}

async fn changes(State(console): State<Console>, Query(query): Query<ChangesQuery>) -> Json<Value> {
    let timeout = Duration::from_millis(query.timeout_ms).min(MAX_WAIT);
    let version = console.wait_for_change(query.since, timeout).await;
    Json(json!({ "version": version }))
}

async fn messages(
    State(console): State<Console>,
    Path(raw_id): Path<String>,
) -> Result<Json<Value>, Failure> {
    let id = room_id(&raw_id)?;
    let lines = rooms::messages(&console, &id).await?;
    Ok(Json(json!({ "room_id": id, "messages": lines })))
}

#[derive(Deserialize)]
struct Send {
    text: String,
}

async fn send(
    State(console): State<Console>,
    Path(raw_id): Path<String>,
    Json(body): Json<Send>,
) -> Result<Json<Value>, Failure> {
    let id = room_id(&raw_id)?;
    let text = body.text.trim_end();
    if text.trim().is_empty() {
        return Err(Failure(
            StatusCode::BAD_REQUEST,
            "nothing to send".to_owned(),
        ));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Failure(
            StatusCode::BAD_REQUEST,
            format!("too long: at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    let event_id = rooms::send(&console, &id, text).await?;
    Ok(Json(json!({ "event_id": event_id })))
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn only_loopback_names_are_served_on_any_forwarded_port() {
        assert!(is_loopback_host("127.0.0.1:8082"));
        assert!(is_loopback_host("LOCALHOST:8082"));
        assert!(is_loopback_host("[::1]:8082"));
        assert!(is_loopback_host("[::1]"));
        // Through `ssh -L 9082:127.0.0.1:8082`.
        assert!(is_loopback_host("localhost:9082"));
        // DNS rebinding: an outside name that resolves to 127.0.0.1.
        assert!(!is_loopback_host("evil.example:8082"));
        assert!(!is_loopback_host("localhost.evil.example:8082"));
        assert!(!is_loopback_host(""));
    }
}
