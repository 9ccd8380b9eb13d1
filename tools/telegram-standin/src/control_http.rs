//! The control API over HTTP under `/control/...`, mirroring `StandinHandle`, for the phone
//! page and for tests or demos that run the bot in another process. Bodies and answers are
//! JSON; failures answer `{"error": "..."}` with 400, 404 or 408 (wait timed out).

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::error::{ControlError, WaitError};
use super::handle::StandinHandle;
use super::model::TestUser;

/// Longest wait a control request may ask for.
const MAX_WAIT: Duration = Duration::from_secs(60);

type Handle = State<StandinHandle>;

/// A failed control request.
struct Failure(StatusCode, String);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (self.0, axum::Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<ControlError> for Failure {
    fn from(error: ControlError) -> Self {
        let status = match error {
            ControlError::UnknownChat(_)
            | ControlError::UnknownUser(_)
            | ControlError::UnknownMessage { .. } => StatusCode::NOT_FOUND,
            _ => StatusCode::BAD_REQUEST,
        };
        Failure(status, error.to_string())
    }
}

impl From<WaitError> for Failure {
    fn from(error: WaitError) -> Self {
        Failure(StatusCode::REQUEST_TIMEOUT, error.to_string())
    }
}

type Answer = Result<axum::Json<Value>, Failure>;

fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, Failure> {
    serde_json::from_slice(bytes).map_err(|error| {
        Failure(
            StatusCode::BAD_REQUEST,
            format!("invalid request body: {error}"),
        )
    })
}

fn ok(value: Value) -> Answer {
    Ok(axum::Json(value))
}

fn to_json<T: serde::Serialize>(value: &T) -> Answer {
    serde_json::to_value(value)
        .map(axum::Json)
        .map_err(|error| Failure(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()))
}

/// An employee given in full, or by the id of one already known.
#[derive(Deserialize)]
struct Who {
    user: Option<TestUser>,
    user_id: Option<u64>,
}

impl Who {
    fn resolve(self, handle: &StandinHandle) -> Result<TestUser, Failure> {
        if let Some(user) = self.user {
            return Ok(user);
        }
        let id = self.user_id.ok_or_else(|| {
            Failure(
                StatusCode::BAD_REQUEST,
                "give \"user\" or \"user_id\"".to_owned(),
            )
        })?;
        handle
            .users()
            .into_iter()
            .find(|user| user.id == id)
            .ok_or_else(|| ControlError::UnknownUser(id).into())
    }
}

pub(crate) fn router() -> Router<StandinHandle> {
    Router::new()
        .route("/overview", get(overview))
        .route("/changes", get(changes))
        .route("/users", get(users))
        .route("/register_user", post(register_user))
        .route("/inject_text", post(inject_text))
        .route("/inject_message", post(inject_message))
        .route("/edit_text", post(edit_text))
        .route("/press_button", post(press_button))
        .route("/delete_by_user", post(delete_by_user))
        .route("/block_bot", post(block_bot))
        .route("/unblock_bot", post(unblock_bot))
        .route("/inject_raw_update", post(inject_raw_update))
        .route("/sent_messages/{chat_id}", get(sent_messages))
        .route("/chat_history/{chat_id}", get(chat_history))
        .route("/buttons/{chat_id}/{message_id}", get(buttons))
        .route("/wait_for_sent/{chat_id}", get(wait_for_sent))
        .route("/callback_answers", get(callback_answers))
        .route("/rate_limit_next", post(rate_limit_next))
        .route("/calls", get(calls))
        .route("/queue", get(queue))
        .route("/advance_clock", post(advance_clock))
        .fallback(|| async { Failure(StatusCode::NOT_FOUND, "no such control route".to_owned()) })
}

/// Everything the phone page shows at once: the bot, employees, and each chat's state.
async fn overview(State(handle): Handle) -> Answer {
    let (bot, chats) = handle.shared.read(|state| {
        let bot = json!({
            "id": state.options.bot_id,
            "username": state.options.bot_username,
            "first_name": state.options.bot_first_name,
        });
        let chats: Vec<Value> = state
            .chats
            .iter()
            .map(|(id, chat)| {
                json!({
                    "chat_id": id,
                    "user_id": chat.user_id,
                    "blocked": chat.blocked,
                    "message_count": chat.messages.len(),
                })
            })
            .collect();
        (bot, chats)
    });
    let chats: Vec<Value> = chats
        .into_iter()
        .map(|mut chat| {
            let id = chat["chat_id"].as_i64().unwrap_or(0);
            chat["chat_action"] = json!(handle.chat_action(id));
            chat
        })
        .collect();
    ok(json!({
        "version": handle.shared.version(),
        "bot": bot,
        "commands": handle.my_commands(),
        "users": handle.users(),
        "chats": chats,
        "queue": handle.queue_status(),
    }))
}

#[derive(Deserialize)]
struct ChangesQuery {
    #[serde(default)]
    since: u64,
    #[serde(default)]
    timeout_ms: u64,
}

/// Long poll for the page: answers once anything changed since `since`.
async fn changes(State(handle): Handle, Query(query): Query<ChangesQuery>) -> Answer {
    let timeout = Duration::from_millis(query.timeout_ms).min(MAX_WAIT);
    let version = handle.shared.wait_for_change(query.since, timeout).await;
    ok(json!({ "version": version }))
}

async fn users(State(handle): Handle) -> Answer {
    to_json(&handle.users())
}

async fn register_user(State(handle): Handle, bytes: Bytes) -> Answer {
    let user: TestUser = body(&bytes)?;
    handle.register_user(&user)?;
    ok(json!({ "ok": true }))
}

#[derive(Deserialize)]
struct InjectText {
    #[serde(flatten)]
    who: Who,
    text: String,
    reply_to_message_id: Option<i32>,
}

async fn inject_text(State(handle): Handle, bytes: Bytes) -> Answer {
    let request: InjectText = body(&bytes)?;
    let user = request.who.resolve(&handle)?;
    let message_id = match request.reply_to_message_id {
        Some(reply_to) => handle.inject_reply(&user, reply_to, &request.text)?,
        None => handle.inject_text(&user, &request.text)?,
    };
    ok(json!({ "message_id": message_id }))
}

#[derive(Deserialize)]
struct InjectMessage {
    #[serde(flatten)]
    who: Who,
    content: Value,
}

async fn inject_message(State(handle): Handle, bytes: Bytes) -> Answer {
    let request: InjectMessage = body(&bytes)?;
    let user = request.who.resolve(&handle)?;
    let message_id = handle.inject_message(&user, request.content)?;
    ok(json!({ "message_id": message_id }))
}

#[derive(Deserialize)]
struct EditText {
    #[serde(flatten)]
    who: Who,
    message_id: i32,
    text: String,
}

async fn edit_text(State(handle): Handle, bytes: Bytes) -> Answer {
    let request: EditText = body(&bytes)?;
    let user = request.who.resolve(&handle)?;
    handle.edit_text(&user, request.message_id, &request.text)?;
    ok(json!({ "ok": true }))
}

#[derive(Deserialize)]
struct PressButton {
    #[serde(flatten)]
    who: Who,
    message_id: i32,
    callback_data: String,
}

async fn press_button(State(handle): Handle, bytes: Bytes) -> Answer {
    let request: PressButton = body(&bytes)?;
    let user = request.who.resolve(&handle)?;
    let id = handle.press_button(&user, request.message_id, &request.callback_data)?;
    ok(json!({ "callback_query_id": id }))
}

#[derive(Deserialize)]
struct MessageAction {
    #[serde(flatten)]
    who: Who,
    message_id: i32,
}

async fn delete_by_user(State(handle): Handle, bytes: Bytes) -> Answer {
    let request: MessageAction = body(&bytes)?;
    let user = request.who.resolve(&handle)?;
    handle.delete_by_user(&user, request.message_id)?;
    ok(json!({ "ok": true }))
}

async fn block_bot(State(handle): Handle, bytes: Bytes) -> Answer {
    let who: Who = body(&bytes)?;
    handle.block_bot(&who.resolve(&handle)?)?;
    ok(json!({ "ok": true }))
}

async fn unblock_bot(State(handle): Handle, bytes: Bytes) -> Answer {
    let who: Who = body(&bytes)?;
    handle.unblock_bot(&who.resolve(&handle)?)?;
    ok(json!({ "ok": true }))
}

/// The body is the update object itself.
async fn inject_raw_update(State(handle): Handle, bytes: Bytes) -> Answer {
    let update: Value = body(&bytes)?;
    let id = handle.inject_raw_update(update)?;
    ok(json!({ "update_id": id }))
}

async fn sent_messages(State(handle): Handle, Path(chat_id): Path<i64>) -> Answer {
    to_json(&handle.sent_messages(chat_id))
}

async fn chat_history(State(handle): Handle, Path(chat_id): Path<i64>) -> Answer {
    to_json(&handle.chat_history(chat_id))
}

async fn buttons(State(handle): Handle, Path((chat_id, message_id)): Path<(i64, i32)>) -> Answer {
    match handle.buttons(chat_id, message_id) {
        Some(keyboard) => to_json(&keyboard),
        None => Err(ControlError::UnknownMessage {
            chat_id,
            message_id,
        }
        .into()),
    }
}

#[derive(Deserialize)]
struct WaitQuery {
    count: usize,
    #[serde(default = "default_wait_ms")]
    timeout_ms: u64,
}

fn default_wait_ms() -> u64 {
    5_000
}

async fn wait_for_sent(
    State(handle): Handle,
    Path(chat_id): Path<i64>,
    Query(query): Query<WaitQuery>,
) -> Answer {
    let timeout = Duration::from_millis(query.timeout_ms).min(MAX_WAIT);
    let sent = handle
        .wait_for_sent_count(chat_id, query.count, timeout)
        .await?;
    to_json(&sent)
}

async fn callback_answers(State(handle): Handle) -> Answer {
    to_json(&handle.callback_answers())
}

#[derive(Deserialize)]
struct RateLimitRequest {
    count: u32,
    retry_after: u32,
    method: Option<String>,
}

async fn rate_limit_next(State(handle): Handle, bytes: Bytes) -> Answer {
    let request: RateLimitRequest = body(&bytes)?;
    match &request.method {
        Some(method) => handle.rate_limit_method(method, request.count, request.retry_after),
        None => handle.rate_limit_next(request.count, request.retry_after),
    }
    ok(json!({ "ok": true }))
}

async fn calls(State(handle): Handle) -> Answer {
    to_json(&handle.calls())
}

async fn queue(State(handle): Handle) -> Answer {
    to_json(&handle.queue_status())
}

#[derive(Deserialize)]
struct AdvanceClock {
    seconds: u64,
}

async fn advance_clock(State(handle): Handle, bytes: Bytes) -> Answer {
    let request: AdvanceClock = body(&bytes)?;
    handle.advance_clock(Duration::from_secs(request.seconds));
    ok(json!({ "ok": true }))
}
