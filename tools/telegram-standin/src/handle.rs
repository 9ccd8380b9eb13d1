//! `StandinHandle`: the in-process control API tests use to act as employees and to inspect
//! what the bot did, with direct calls on the shared state (no HTTP involved).

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::Value;
use tokio::task::AbortHandle;

use super::error::{ControlError, WaitError};
use super::model::{
    ApiCall, Button, CallbackAnswer, ChatMessage, QueueStatus, SentMessage, TestUser,
};
use super::shared::Shared;
use super::state::{RateLimit, State};

/// How long a chat action ("typing") shows in Telegram clients.
const CHAT_ACTION_SECS: i64 = 5;

/// A running stand-in: its address, and control over what employees do and what the bot did.
/// Cheap to clone; all clones control the same stand-in.
#[derive(Clone)]
pub struct StandinHandle {
    pub(crate) shared: Arc<Shared>,
    pub(crate) addr: SocketAddr,
    /// Set once the server task is spawned (the router needs the handle before that).
    pub(crate) server: Arc<OnceLock<AbortHandle>>,
}

impl std::fmt::Debug for StandinHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandinHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

fn sent_by_bot(state: &State, chat_id: i64) -> Vec<SentMessage> {
    state
        .chats
        .get(&chat_id)
        .map(|chat| {
            chat.messages
                .iter()
                .filter(|message| message.from_bot)
                .map(|message| message.to_public(chat_id))
                .collect()
        })
        .unwrap_or_default()
}

/// A readable list of messages for timeout errors.
fn describe_messages(messages: &[ChatMessage]) -> String {
    if messages.is_empty() {
        return "  (no messages)".to_owned();
    }
    let mut out = String::new();
    for message in messages {
        let who = if message.from_bot { "bot" } else { "employee" };
        let mut flags = Vec::new();
        if message.edited {
            flags.push("edited");
        }
        if message.deleted {
            flags.push("deleted");
        }
        let _ = write!(out, "  #{} {who}", message.message_id);
        if !flags.is_empty() {
            let _ = write!(out, " ({})", flags.join(", "));
        }
        let _ = writeln!(out, ": {:?}", message.text);
        for row in &message.keyboard {
            let labels: Vec<String> = row
                .iter()
                .map(|button| match &button.callback_data {
                    Some(data) => format!("[{} -> {data:?}]", button.text),
                    None => format!("[{}]", button.text),
                })
                .collect();
            let _ = writeln!(out, "      {}", labels.join(" "));
        }
    }
    out
}

fn describe_calls(calls: &[ApiCall]) -> String {
    if calls.is_empty() {
        return "  (no calls)".to_owned();
    }
    let mut out = String::new();
    for call in calls {
        let status = call.outcome.as_ref().map_or_else(
            || "pending".to_owned(),
            |outcome| outcome.status.to_string(),
        );
        let _ = writeln!(out, "  {} ms {} -> {status}", call.received_ms, call.method);
    }
    out
}

impl StandinHandle {
    /// The address the stand-in listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give the bot's Telegram library, e.g. teloxide's
    /// `Bot::new(token).set_api_url(url)`: `http://<addr>/`.
    pub fn api_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The URL of the phone page.
    pub fn phone_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The bot token the stand-in accepts.
    pub fn token(&self) -> String {
        self.shared.read(|state| state.options.token.clone())
    }

    /// Stops the server (tests normally just let the runtime end).
    pub fn shutdown(&self) {
        if let Some(server) = self.server.get() {
            server.abort();
        }
    }

    // ----- acting as employees -----

    /// Adds or updates an employee without opening their chat (the phone page does this when
    /// someone picks a name).
    pub fn register_user(&self, user: &TestUser) -> Result<(), ControlError> {
        self.shared.write(|state| state.register_user(user))
    }

    /// The employee sends `text` in their private chat with the bot (opening it on first use);
    /// returns the new message_id. The text is processed as Telegram does (trimmed, control
    /// characters replaced), and commands etc. arrive with entities.
    pub fn inject_text(&self, user: &TestUser, text: &str) -> Result<i32, ControlError> {
        self.shared
            .write(|state| state.employee_sends_text(user, text, None))
    }

    /// Like [`inject_text`](Self::inject_text), as a reply to message `reply_to`.
    pub fn inject_reply(
        &self,
        user: &TestUser,
        reply_to: i32,
        text: &str,
    ) -> Result<i32, ControlError> {
        self.shared
            .write(|state| state.employee_sends_text(user, text, Some(reply_to)))
    }

    /// The employee sends a non-text message; `content` holds the Message fields that make it
    /// up, e.g. `json!({"sticker": {...}})`. The stand-in adds id, sender, chat and date.
    pub fn inject_message(&self, user: &TestUser, content: Value) -> Result<i32, ControlError> {
        self.shared
            .write(|state| state.employee_sends_content(user, content))
    }

    /// The employee sends a photo (`bytes`, as the phone uploaded it) with an optional
    /// caption; the bot fetches it with getFile and the download path.
    pub fn inject_photo(
        &self,
        user: &TestUser,
        bytes: Vec<u8>,
        caption: Option<&str>,
    ) -> Result<i32, ControlError> {
        self.inject_file(user, bytes, "photo", None, caption)
    }

    /// The employee sends a file as a document, under `file_name`.
    pub fn inject_document(
        &self,
        user: &TestUser,
        bytes: Vec<u8>,
        file_name: &str,
        caption: Option<&str>,
    ) -> Result<i32, ControlError> {
        self.inject_file(user, bytes, "document", Some(file_name), caption)
    }

    /// The employee records a voice note (Ogg Opus bytes).
    pub fn inject_voice(&self, user: &TestUser, bytes: Vec<u8>) -> Result<i32, ControlError> {
        self.inject_file(user, bytes, "voice", None, None)
    }

    fn inject_file(
        &self,
        user: &TestUser,
        bytes: Vec<u8>,
        field: &str,
        file_name: Option<&str>,
        caption: Option<&str>,
    ) -> Result<i32, ControlError> {
        self.shared.write(|state| {
            let id = state.store_file(std::sync::Arc::new(bytes), field);
            let mut file = state.file_meta(&id);
            let content = match field {
                "photo" => {
                    file["width"] = serde_json::json!(1280);
                    file["height"] = serde_json::json!(960);
                    serde_json::json!([file])
                }
                "voice" => {
                    file["duration"] = serde_json::json!(3);
                    file["mime_type"] = serde_json::json!("audio/ogg");
                    file
                }
                _ => {
                    if let Some(name) = file_name {
                        file["file_name"] = serde_json::json!(name);
                    }
                    file
                }
            };
            let mut fields = serde_json::Map::new();
            fields.insert(field.to_owned(), content);
            if let Some(caption) = caption {
                fields.insert("caption".to_owned(), serde_json::json!(caption));
            }
            state.employee_sends_content(user, Value::Object(fields))
        })
    }

    /// The bytes of a file in a chat (see [`ChatMessage::file_id`]).
    pub fn file_bytes(&self, file_id: &str) -> Option<Vec<u8>> {
        self.shared
            .read(|state| state.files.get(file_id).map(|f| f.bytes.to_vec()))
    }

    /// The employee edits their text message; the bot gets an `edited_message` update.
    pub fn edit_text(
        &self,
        user: &TestUser,
        message_id: i32,
        text: &str,
    ) -> Result<(), ControlError> {
        self.shared
            .write(|state| state.employee_edits_text(user.id, message_id, text))
    }

    /// The employee presses an inline button with `callback_data` on bot message `message_id`;
    /// returns the callback query id. Data that is not (or no longer) on the message is
    /// allowed, as real clients keep showing old keyboards; use [`buttons`](Self::buttons) to
    /// pick real ones.
    pub fn press_button(
        &self,
        user: &TestUser,
        message_id: i32,
        callback_data: &str,
    ) -> Result<String, ControlError> {
        self.shared
            .write(|state| state.employee_presses(user.id, message_id, callback_data))
    }

    /// The employee deletes a message in their app (Telegram tells the bot nothing).
    pub fn delete_by_user(&self, user: &TestUser, message_id: i32) -> Result<(), ControlError> {
        self.shared
            .write(|state| state.employee_deletes(user.id, message_id))
    }

    /// The employee blocks the bot: `my_chat_member` update, then 403 on sends.
    pub fn block_bot(&self, user: &TestUser) -> Result<(), ControlError> {
        self.shared
            .write(|state| state.employee_sets_blocked(user.id, true))
    }

    /// The employee unblocks the bot: `my_chat_member` update, sends work again.
    pub fn unblock_bot(&self, user: &TestUser) -> Result<(), ControlError> {
        self.shared
            .write(|state| state.employee_sets_blocked(user.id, false))
    }

    /// Queues any update object; the stand-in assigns the update_id. Returns it, or `None` when
    /// the bot's `allowed_updates` exclude this kind (Telegram would not create the update).
    /// Kinds the Bot API does not know always pass, to simulate updates newer than the bot.
    /// The content is not interpreted: a raw `message` neither opens a chat nor joins its
    /// history (use [`inject_text`](Self::inject_text) or [`inject_message`](Self::inject_message)
    /// for that).
    pub fn inject_raw_update(&self, update: Value) -> Result<Option<u32>, ControlError> {
        self.shared.write(|state| state.inject_raw(update))
    }

    /// Moves the stand-in's clock forward (message dates, the 48-hour delete limit, update
    /// expiry).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.write(|state| state.clock.advance(by));
    }

    /// Makes the next `count` Bot API calls (any method) answer 429 with `retry_after_secs`.
    pub fn rate_limit_next(&self, count: u32, retry_after_secs: u32) {
        self.add_rate_limit(None, count, retry_after_secs);
    }

    /// Makes the next `count` calls of `method` (e.g. "sendMessage") answer 429. Prefer this
    /// while the bot is polling, or its getUpdates calls use up the 429s.
    pub fn rate_limit_method(&self, method: &str, count: u32, retry_after_secs: u32) {
        self.add_rate_limit(Some(method.to_owned()), count, retry_after_secs);
    }

    /// Makes the next `count` calls of `method` fail with status `code` and Telegram's
    /// `description` (e.g. 400 "Bad Request: PHOTO_INVALID_DIMENSIONS", 413 "Request
    /// Entity Too Large", 403 "Forbidden: bot was blocked by the user").
    pub fn refuse_method(&self, method: &str, count: u32, code: u16, description: &str) {
        self.add_rule(
            Some(method.to_owned()),
            count,
            0,
            Some((code, description.to_owned())),
        );
    }

    /// Carries out the next `count` calls of `method` (e.g. "sendMessage") but loses
    /// their answers, `how`: the message is in the chat, and the bot cannot know it.
    pub fn lose_answers(&self, method: &str, count: u32, how: crate::AnswerLoss) {
        self.add_lost_answers(None, method, count, how);
    }

    /// As [`StandinHandle::lose_answers`], for calls about chat `chat_id` only.
    pub fn lose_answers_in(&self, chat_id: i64, method: &str, count: u32, how: crate::AnswerLoss) {
        self.add_lost_answers(Some(chat_id), method, count, how);
    }

    fn add_lost_answers(
        &self,
        chat_id: Option<i64>,
        method: &str,
        count: u32,
        how: crate::AnswerLoss,
    ) {
        if count == 0 {
            return;
        }
        self.shared.write(|state| {
            state.lost_answers.push_back(crate::state::LostAnswer {
                chat_id,
                method: method.to_owned(),
                remaining: count,
                how,
            });
        });
    }

    /// Leaves `count` message ids out before the next message, as that many messages
    /// deleted (or sent in chats the bot does not see) would.
    pub fn skip_message_ids(&self, count: i32) {
        self.shared
            .write(|state| state.pending_gap = state.pending_gap.saturating_add(count.max(0)));
    }

    /// The id the next message in any of the bot's chats will get (gaps aside).
    pub fn next_message_id(&self) -> i32 {
        self.shared.read(|state| state.next_message_id)
    }

    fn add_rate_limit(&self, method: Option<String>, count: u32, retry_after: u32) {
        self.add_rule(method, count, retry_after, None);
    }

    fn add_rule(
        &self,
        method: Option<String>,
        count: u32,
        retry_after: u32,
        refusal: Option<(u16, String)>,
    ) {
        if count == 0 {
            return;
        }
        self.shared.write(|state| {
            state.rate_limits.push_back(RateLimit {
                method,
                remaining: count,
                retry_after,
                refusal,
            });
        });
    }

    // ----- what the bot did -----

    /// Everything the bot sent to `chat_id`, in order, including later-deleted messages.
    pub fn sent_messages(&self, chat_id: i64) -> Vec<SentMessage> {
        self.shared.read(|state| sent_by_bot(state, chat_id))
    }

    /// The whole chat, both sides, in order.
    pub fn chat_history(&self, chat_id: i64) -> Vec<ChatMessage> {
        self.shared.read(|state| {
            state
                .chats
                .get(&chat_id)
                .map(|chat| {
                    chat.messages
                        .iter()
                        .map(|message| message.to_public(chat_id))
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// The inline keyboard currently shown under a message, `None` if the message is unknown.
    pub fn buttons(&self, chat_id: i64, message_id: i32) -> Option<Vec<Vec<Button>>> {
        self.shared.read(|state| {
            state
                .chats
                .get(&chat_id)
                .and_then(|chat| chat.message(message_id))
                .map(|message| message.to_public(chat_id).keyboard)
        })
    }

    /// Waits (woken by changes, no polling) until the bot's messages in `chat_id` satisfy
    /// `condition`; returns them. The timeout error lists what the chat contains.
    pub async fn wait_for_sent(
        &self,
        chat_id: i64,
        timeout: Duration,
        condition: impl Fn(&[SentMessage]) -> bool,
    ) -> Result<Vec<SentMessage>, WaitError> {
        let found = self
            .shared
            .wait_until(timeout, |state| {
                let sent = sent_by_bot(state, chat_id);
                condition(&sent).then_some(sent)
            })
            .await;
        found.map_err(|()| WaitError {
            what: format!("the bot's messages in chat {chat_id} to match the condition"),
            waited: timeout,
            found: describe_messages(&self.chat_history(chat_id)),
        })
    }

    /// Waits until the bot has sent at least `count` messages to `chat_id`.
    pub async fn wait_for_sent_count(
        &self,
        chat_id: i64,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<SentMessage>, WaitError> {
        self.wait_for_sent(chat_id, timeout, |sent| sent.len() >= count)
            .await
            .map_err(|error| WaitError {
                what: format!("{count} bot message(s) in chat {chat_id}"),
                ..error
            })
    }

    /// Every answerCallbackQuery the bot made, in order.
    pub fn callback_answers(&self) -> Vec<CallbackAnswer> {
        self.shared.read(|state| state.callback_answers.clone())
    }

    /// Waits until the bot answers callback query `callback_query_id`.
    pub async fn wait_for_callback_answer(
        &self,
        callback_query_id: &str,
        timeout: Duration,
    ) -> Result<CallbackAnswer, WaitError> {
        let found = self
            .shared
            .wait_until(timeout, |state| {
                state
                    .callback_answers
                    .iter()
                    .find(|answer| answer.callback_query_id == callback_query_id)
                    .cloned()
            })
            .await;
        found.map_err(|()| WaitError {
            what: format!("an answer to callback query {callback_query_id}"),
            waited: timeout,
            found: format!("{:#?}", self.callback_answers()),
        })
    }

    /// Every Bot API request received, in order of arrival.
    pub fn calls(&self) -> Vec<ApiCall> {
        self.shared.read(|state| state.calls.clone())
    }

    /// The requests of one method (Telegram's spelling, e.g. "sendMessage").
    pub fn calls_of(&self, method: &str) -> Vec<ApiCall> {
        self.shared.read(|state| {
            state
                .calls
                .iter()
                .filter(|call| call.method == method)
                .cloned()
                .collect()
        })
    }

    /// Waits until the call log satisfies `condition` (e.g. "a second sendMessage arrived").
    pub async fn wait_for_calls(
        &self,
        timeout: Duration,
        condition: impl Fn(&[ApiCall]) -> bool,
    ) -> Result<Vec<ApiCall>, WaitError> {
        let found = self
            .shared
            .wait_until(timeout, |state| {
                condition(&state.calls).then(|| state.calls.clone())
            })
            .await;
        found.map_err(|()| WaitError {
            what: "the call log to match the condition".to_owned(),
            waited: timeout,
            found: describe_calls(&self.calls()),
        })
    }

    /// Updates queued and not yet confirmed by the bot.
    pub fn pending_update_count(&self) -> usize {
        self.shared.read(|state| state.updates.pending(state.now()))
    }

    /// The highest offset the bot confirmed with (every update below it is gone).
    pub fn confirmed_offset(&self) -> Option<u32> {
        self.shared.read(|state| state.updates.confirmed_offset())
    }

    /// The update queue at a glance.
    pub fn queue_status(&self) -> QueueStatus {
        self.shared.read(|state| QueueStatus {
            pending_update_count: state.updates.pending(state.now()),
            confirmed_offset: state.updates.confirmed_offset(),
            next_update_id: state.updates.next_id(),
            allowed_updates: state.updates.allowed(),
        })
    }

    /// The chat action ("typing", ...) the bot shows in `chat_id` right now, if any.
    pub fn chat_action(&self, chat_id: i64) -> Option<String> {
        self.shared.read(|state| {
            let now = state.now();
            state
                .chats
                .get(&chat_id)
                .and_then(|chat| chat.last_action.clone())
                .filter(|(_, at)| now - at < CHAT_ACTION_SECS)
                .map(|(action, _)| action)
        })
    }

    /// The commands set with setMyCommands for the default scope and language, as
    /// (command, description) pairs.
    pub fn my_commands(&self) -> Vec<(String, String)> {
        self.shared.read(|state| {
            state
                .commands
                .get(&(String::new(), String::new()))
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .map(|item| {
                            let field = |name: &str| {
                                item.get(name)
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_owned()
                            };
                            (field("command"), field("description"))
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// Known employees.
    pub fn users(&self) -> Vec<TestUser> {
        self.shared
            .read(|state| state.users.values().cloned().collect())
    }
}
