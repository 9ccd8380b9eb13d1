//! The Bot API methods the stand-in implements (all but getUpdates, which waits and lives in
//! `polling`), with the real server's checks, in the real server's order, and its error texts.

use serde_json::{Value, json};

use super::error::ApiError;
use super::markup::{self, Markup};
use super::params::{Params, to_integer};
use super::render;
use super::state::{State, StoredMessage};
use super::text::{self, FormattedText, MAX_MESSAGE_UNITS, TextProblem, utf16_len};

/// The methods the stand-in answers, spelled as Telegram documents them. Telegram matches
/// method names case-insensitively.
pub(crate) const METHODS: &[&str] = &[
    "getMe",
    "logOut",
    "close",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendVoice",
    "getFile",
    "editMessageCaption",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "deleteMessages",
    "answerCallbackQuery",
    "sendChatAction",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
];

/// Telegram's spelling of a method name given in any case, if the stand-in implements it.
pub(crate) fn canonical(method: &str) -> Option<&'static str> {
    METHODS
        .iter()
        .copied()
        .find(|known| known.eq_ignore_ascii_case(method))
}

const CHAT_ACTIONS: &[&str] = &[
    "cancel",
    "typing",
    "record_video",
    "upload_video",
    "record_audio",
    "record_voice",
    "upload_audio",
    "upload_voice",
    "upload_photo",
    "upload_document",
    "choose_sticker",
    "pick_up_location",
    "find_location",
    "record_video_note",
    "upload_video_note",
];

/// Telegram lets bots delete messages for 48 hours.
const DELETE_WINDOW_SECS: i64 = 48 * 3600;

pub(crate) const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

/// Which check a missing message fails, worded as the server words it.
#[derive(Clone, Copy)]
enum Purpose {
    Edit,
    Delete,
}

impl Purpose {
    fn not_found(self) -> ApiError {
        match self {
            Purpose::Edit => ApiError::bad_request("message to edit not found"),
            Purpose::Delete => ApiError::bad_request("message to delete not found"),
        }
    }
}

impl State {
    /// Runs a method (other than getUpdates) and returns its `result`.
    pub(crate) fn call_method(&mut self, method: &str, params: &Params) -> Result<Value, ApiError> {
        match method {
            "getMe" => Ok(render::me(&self.options)),
            "logOut" | "close" => Ok(json!(true)),
            "setWebhook" => Err(ApiError::bad_request(
                "the Telegram stand-in supports getUpdates only, not webhooks",
            )),
            "deleteWebhook" => {
                if params.flag("drop_pending_updates") {
                    self.updates.clear();
                }
                Ok(json!(true))
            }
            "getWebhookInfo" => Ok(self.webhook_info()),
            "sendMessage" => self.send_message(params),
            "sendPhoto" | "sendDocument" | "sendVoice" => self.send_file(method, params),
            "getFile" => self.get_file(params),
            "editMessageCaption" => self.edit_message_caption(params),
            "editMessageText" => self.edit_message_text(params),
            "editMessageReplyMarkup" => self.edit_message_reply_markup(params),
            "deleteMessage" => self.delete_message(params),
            "deleteMessages" => self.delete_messages(params),
            "answerCallbackQuery" => self.answer_callback_query(params),
            "sendChatAction" => self.send_chat_action(params),
            "setMyCommands" => self.set_my_commands(params),
            "getMyCommands" => Ok(self
                .commands
                .get(&command_key(params))
                .cloned()
                .unwrap_or_else(|| json!([]))),
            "deleteMyCommands" => {
                self.commands.remove(&command_key(params));
                Ok(json!(true))
            }
            _ => Err(ApiError::not_found()),
        }
    }

    fn webhook_info(&self) -> Value {
        let mut info = json!({
            "url": "",
            "has_custom_certificate": false,
            "pending_update_count": self.updates.pending(self.now()),
        });
        if let Some(allowed) = self.updates.allowed() {
            info["allowed_updates"] = json!(allowed);
        }
        info
    }

    /// The chat `chat_id` names, checked for what sending needs.
    pub(crate) fn chat_for_sending(&self, chat_id: &str) -> Result<i64, ApiError> {
        let id = self.existing_chat(chat_id, "chat_id is empty")?;
        if self.chats.get(&id).is_some_and(|chat| chat.blocked) {
            return Err(ApiError::forbidden("bot was blocked by the user"));
        }
        Ok(id)
    }

    /// The chat `chat_id` names, if an employee ever opened it.
    fn existing_chat(&self, chat_id: &str, empty_error: &str) -> Result<i64, ApiError> {
        if chat_id.is_empty() {
            return Err(ApiError::bad_request(empty_error));
        }
        // "@username" reads as 0, as on the real server, which cannot resolve private chats
        // by username either.
        let id = to_integer(chat_id);
        if self.chats.contains_key(&id) {
            Ok(id)
        } else {
            Err(ApiError::bad_request("chat not found"))
        }
    }

    fn employee_of(&self, chat_id: i64) -> Result<super::model::TestUser, ApiError> {
        self.chats
            .get(&chat_id)
            .and_then(|chat| self.users.get(&chat.user_id))
            .cloned()
            .ok_or_else(|| ApiError::bad_request("chat not found"))
    }

    pub(crate) fn render_message(&self, chat_id: i64, message_id: i32) -> Result<Value, ApiError> {
        let user = self.employee_of(chat_id)?;
        let message = self
            .chats
            .get(&chat_id)
            .and_then(|chat| chat.message(message_id))
            .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
        Ok(render::message(self, &user, message, true))
    }

    fn send_message(&mut self, params: &Params) -> Result<Value, ApiError> {
        let parsed = text::parse_input(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
        )?;
        check_link_preview_options(params)?;
        let (reply_to, allow_without_reply) = reply_parameters(params)?;
        let markup = markup::parse(params.get("reply_markup"))?;
        let chat_id = self.chat_for_sending(params.get("chat_id"))?;

        let reply_to = match reply_to {
            Some(id)
                if self
                    .chats
                    .get(&chat_id)
                    .and_then(|chat| chat.live_message(id))
                    .is_none() =>
            {
                if allow_without_reply {
                    None
                } else {
                    return Err(ApiError::bad_request("message to be replied not found"));
                }
            }
            other => other,
        };
        let formatted = finished_text(parsed, "message is too long")?;

        let now = self.now();
        let mut message = StoredMessage::new(0, now, true, formatted);
        match markup {
            Markup::Inline(keyboard) => message.keyboard = keyboard,
            Markup::Other(value) => message.reply_keyboard = Some(value),
            Markup::None => {}
        }
        let parse_mode = params.get("parse_mode");
        message.parse_mode = (!parse_mode.is_empty()).then(|| parse_mode.to_owned());
        message.reply_to = reply_to;
        message.disable_notification = params.flag("disable_notification");
        message.protect_content = params.flag("protect_content");
        self.post_bot_message(chat_id, message)
    }

    /// Adds a message of the bot to a chat under the chat's next id, and answers with it.
    pub(crate) fn post_bot_message(
        &mut self,
        chat_id: i64,
        mut message: StoredMessage,
    ) -> Result<Value, ApiError> {
        if !self.chats.contains_key(&chat_id) {
            return Err(ApiError::bad_request("chat not found"));
        }
        message.id = self.take_message_id();
        let id = message.id;
        let Some(chat) = self.chats.get_mut(&chat_id) else {
            return Err(ApiError::bad_request("chat not found"));
        };
        // A message replaces the "typing..." indicator, as in Telegram clients.
        chat.last_action = None;
        chat.messages.push(message);
        self.render_message(chat_id, id)
    }

    /// Finds the message an edit or delete names; `chat_id` and `message_id` come from params.
    pub(crate) fn target_for_edit(&self, params: &Params) -> Result<(i64, i32), ApiError> {
        self.target(params, Purpose::Edit)
    }

    fn target(&self, params: &Params, purpose: Purpose) -> Result<(i64, i32), ApiError> {
        let chat_id = params.get("chat_id");
        let message_id = message_id(params.get("message_id"));
        if chat_id.is_empty() && message_id == 0 {
            // Without chat_id the call is about an inline-mode message, which needs its id.
            if params.get("inline_message_id").is_empty() {
                return Err(ApiError::bad_request("message identifier is not specified"));
            }
            return Err(ApiError::bad_request("MESSAGE_ID_INVALID"));
        }
        let chat_id = self.existing_chat(chat_id, "chat_id is empty")?;
        let exists = self
            .chats
            .get(&chat_id)
            .and_then(|chat| chat.live_message(message_id))
            .is_some();
        if message_id <= 0 || !exists {
            return Err(purpose.not_found());
        }
        Ok((chat_id, message_id))
    }

    fn edit_message_text(&mut self, params: &Params) -> Result<Value, ApiError> {
        let parsed = text::parse_input(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
        )?;
        check_link_preview_options(params)?;
        let keyboard = inline_markup_for_edit(params)?;
        let (chat_id, message_id) = self.target(params, Purpose::Edit)?;
        let formatted = finished_text(parsed, "MESSAGE_TOO_LONG")?;
        let now = self.now();
        let message = self.editable_text(chat_id, message_id)?;
        if message.content == formatted && message.keyboard == keyboard {
            return Err(ApiError::bad_request(NOT_MODIFIED));
        }
        message.remember_version(now);
        message.content = formatted;
        // editMessageText without reply_markup removes the inline keyboard, as in Telegram.
        message.keyboard = keyboard;
        let parse_mode = params.get("parse_mode");
        message.parse_mode = (!parse_mode.is_empty()).then(|| parse_mode.to_owned());
        message.edit_date = Some(now);
        self.render_message(chat_id, message_id)
    }

    fn edit_message_reply_markup(&mut self, params: &Params) -> Result<Value, ApiError> {
        let keyboard = inline_markup_for_edit(params)?;
        let (chat_id, message_id) = self.target(params, Purpose::Edit)?;
        let now = self.now();
        let message = self.editable(chat_id, message_id)?;
        if message.keyboard == keyboard {
            return Err(ApiError::bad_request(NOT_MODIFIED));
        }
        message.remember_version(now);
        message.keyboard = keyboard;
        message.edit_date = Some(now);
        self.render_message(chat_id, message_id)
    }

    /// A bot may edit only its own messages (tdlib's `can_edit_message`: "Message can't be
    /// edited" for an incoming message of a private chat).
    fn editable(&mut self, chat_id: i64, message_id: i32) -> Result<&mut StoredMessage, ApiError> {
        let message = self
            .chats
            .get_mut(&chat_id)
            .and_then(|chat| chat.message_mut(message_id))
            .ok_or_else(|| Purpose::Edit.not_found())?;
        if !message.from_bot {
            return Err(ApiError::bad_request("message can't be edited"));
        }
        Ok(message)
    }

    /// editMessageText edits only a text: a file message has "no text in the message to
    /// edit" (tdlib, MessagesManager.cpp), whatever its caption.
    fn editable_text(
        &mut self,
        chat_id: i64,
        message_id: i32,
    ) -> Result<&mut StoredMessage, ApiError> {
        let message = self.editable(chat_id, message_id)?;
        if super::files::file_id_of(&message.other).is_some() {
            return Err(ApiError::bad_request(
                "there is no text in the message to edit",
            ));
        }
        Ok(message)
    }

    fn delete_message(&mut self, params: &Params) -> Result<Value, ApiError> {
        if params.get("chat_id").is_empty() {
            return Err(ApiError::bad_request("chat identifier is not specified"));
        }
        if message_id(params.get("message_id")) == 0 {
            return Err(ApiError::bad_request("message identifier is not specified"));
        }
        let (chat_id, message_id) = self.target(params, Purpose::Delete)?;
        let now = self.now();
        let Some(message) = self
            .chats
            .get_mut(&chat_id)
            .and_then(|chat| chat.message_mut(message_id))
        else {
            return Err(Purpose::Delete.not_found());
        };
        // In private chats a bot may delete its own and the employee's messages, for 48 hours.
        if now - message.date > DELETE_WINDOW_SECS {
            return Err(ApiError::bad_request("message can't be deleted"));
        }
        message.deleted = true;
        Ok(json!(true))
    }

    fn delete_messages(&mut self, params: &Params) -> Result<Value, ApiError> {
        let ids = message_ids(params.get("message_ids"))?;
        let chat_id = self.existing_chat(params.get("chat_id"), "chat_id is empty")?;
        let now = self.now();
        let Some(chat) = self.chats.get_mut(&chat_id) else {
            return Err(ApiError::bad_request("chat not found"));
        };
        // Messages that cannot be found are skipped, as documented; any that is too old to
        // delete fails the whole call.
        let found: Vec<i32> = ids
            .into_iter()
            .filter(|id| chat.live_message(*id).is_some())
            .collect();
        if found.iter().any(|id| {
            chat.message(*id)
                .is_some_and(|message| now - message.date > DELETE_WINDOW_SECS)
        }) {
            return Err(ApiError::bad_request("message can't be deleted"));
        }
        for id in found {
            if let Some(message) = chat.message_mut(id) {
                message.deleted = true;
            }
        }
        Ok(json!(true))
    }

    fn answer_callback_query(&mut self, params: &Params) -> Result<Value, ApiError> {
        let id = to_integer(params.get("callback_query_id")).to_string();
        let invalid = || {
            ApiError::bad_request(
                "query is too old and response timeout expired or query ID is invalid",
            )
        };
        let pending = self.callbacks.get_mut(&id).ok_or_else(invalid)?;
        if pending.answered {
            return Err(invalid());
        }
        pending.answered = true;
        let chat_id = pending.chat_id;
        let text = params.get("text");
        let url = params.get("url");
        self.callback_answers.push(super::model::CallbackAnswer {
            callback_query_id: id,
            text: (!text.is_empty()).then(|| text.to_owned()),
            show_alert: params.flag("show_alert"),
            url: (!url.is_empty()).then(|| url.to_owned()),
            cache_time: params.int("cache_time").clamp(0, 30 * 24 * 3600),
            chat_id,
        });
        Ok(json!(true))
    }

    fn send_chat_action(&mut self, params: &Params) -> Result<Value, ApiError> {
        let action = params.get("action").to_ascii_lowercase();
        if !CHAT_ACTIONS.contains(&action.as_str()) {
            return Err(ApiError::bad_request("wrong parameter action in request"));
        }
        let chat_id = self.chat_for_sending(params.get("chat_id"))?;
        let now = self.now();
        if let Some(chat) = self.chats.get_mut(&chat_id) {
            chat.last_action = (action != "cancel").then_some((action, now));
        }
        Ok(json!(true))
    }

    fn set_my_commands(&mut self, params: &Params) -> Result<Value, ApiError> {
        let commands = match params.json("commands") {
            Err(()) => return Err(ApiError::bad_request("can't parse commands JSON object")),
            Ok(None) => Vec::new(),
            Ok(Some(Value::Array(items))) => items,
            Ok(Some(_)) => return Err(ApiError::bad_request("expected an Array of BotCommand")),
        };
        let mut checked = Vec::new();
        for item in &commands {
            checked.push(bot_command(item)?);
        }
        self.commands
            .insert(command_key(params), Value::Array(checked));
        Ok(json!(true))
    }
}

/// The rest of Telegram's text processing, with sendMessage's or editMessageText's wording
/// for text that is too long.
fn finished_text(parsed: FormattedText, too_long: &str) -> Result<FormattedText, ApiError> {
    let formatted = text::finish(parsed).map_err(|problem| match problem {
        TextProblem::Empty => ApiError::bad_request("text must be non-empty"),
        TextProblem::TooLong(_) => ApiError::bad_request(too_long),
    })?;
    if utf16_len(&formatted.text) > MAX_MESSAGE_UNITS {
        return Err(ApiError::bad_request(too_long));
    }
    Ok(formatted)
}

/// Message ids as the server reads them: negative ones count as absent.
fn message_id(text: &str) -> i32 {
    i32::try_from(to_integer(text)).unwrap_or(0).max(0)
}

fn message_ids(text: &str) -> Result<Vec<i32>, ApiError> {
    if text.is_empty() {
        return Err(ApiError::bad_request(
            "message identifiers are not specified",
        ));
    }
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Err(ApiError::bad_request("can't parse message_ids JSON object"));
    };
    let Value::Array(items) = value else {
        return Err(ApiError::bad_request(
            "expected an Array of message identifiers",
        ));
    };
    if items.len() > 100 {
        return Err(ApiError::bad_request(
            "too many message identifiers specified",
        ));
    }
    let mut ids = Vec::new();
    for item in items {
        let id = match &item {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => Some(to_integer(text)),
            _ => None,
        };
        let Some(id) = id
            .and_then(|id| i32::try_from(id).ok())
            .filter(|id| *id > 0)
        else {
            return Err(ApiError::bad_request(
                "invalid message identifier specified",
            ));
        };
        ids.push(id);
    }
    if ids.is_empty() {
        return Err(ApiError::bad_request(
            "message identifiers are not specified",
        ));
    }
    Ok(ids)
}

fn check_link_preview_options(params: &Params) -> Result<(), ApiError> {
    match params.json("link_preview_options") {
        Err(()) => Err(ApiError::bad_request(
            "can't parse link preview options JSON object",
        )),
        Ok(Some(value)) if !value.is_object() => Err(ApiError::bad_request(
            "object expected as link preview options",
        )),
        Ok(_) => Ok(()),
    }
}

/// The message to reply to, from `reply_parameters` or the older `reply_to_message_id`, and
/// whether sending without it is allowed.
fn reply_parameters(params: &Params) -> Result<(Option<i32>, bool), ApiError> {
    let raw = params.get("reply_parameters");
    if raw.is_empty() {
        let id = message_id(params.get("reply_to_message_id"));
        return Ok((
            (id > 0).then_some(id),
            params.flag("allow_sending_without_reply"),
        ));
    }
    let Ok(value) = serde_json::from_str::<Value>(raw) else {
        return Err(ApiError::bad_request(
            "can't parse reply parameters JSON object",
        ));
    };
    let Value::Object(fields) = value else {
        return Err(ApiError::bad_request("object expected as reply parameters"));
    };
    if fields.is_empty() {
        return Ok((None, false));
    }
    let id = match fields.get("message_id") {
        None => return Err(ApiError::bad_request("can't find field \"message_id\"")),
        Some(Value::Number(number)) => number.as_i64(),
        Some(Value::String(text)) => Some(to_integer(text)),
        Some(_) => None,
    }
    .and_then(|id| i32::try_from(id).ok())
    .ok_or_else(|| ApiError::bad_request("field \"message_id\" must be a valid Number"))?;
    let allow = fields
        .get("allow_sending_without_reply")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(((id > 0).then_some(id), allow))
}

/// Edits accept only inline keyboards; no reply_markup means "no keyboard".
fn inline_markup_for_edit(params: &Params) -> Result<markup::InlineKeyboard, ApiError> {
    match markup::parse(params.get("reply_markup"))? {
        Markup::None => Ok(Vec::new()),
        Markup::Inline(keyboard) => Ok(keyboard),
        Markup::Other(_) => Err(ApiError::bad_request("inline keyboard expected")),
    }
}

fn command_key(params: &Params) -> (String, String) {
    let scope = match params.json("scope") {
        Ok(Some(scope)) => scope.to_string(),
        _ => String::new(),
    };
    (scope, params.get("language_code").to_owned())
}

fn bot_command(item: &Value) -> Result<Value, ApiError> {
    let parse_error =
        |problem: &str| ApiError::bad_request(format!("can't parse BotCommand: {problem}"));
    let Value::Object(fields) = item else {
        return Err(parse_error("expected an Object"));
    };
    let field = |name: &str| match fields.get(name) {
        None => Err(parse_error(&format!("Can't find field \"{name}\""))),
        Some(Value::String(text)) => Ok(text.trim().to_owned()),
        Some(_) => Err(parse_error(&format!(
            "Field \"{name}\" must be of type String"
        ))),
    };
    let command = field("command")?;
    let description = field("description")?;
    let command = command.strip_prefix('/').unwrap_or(&command).to_owned();
    if command.is_empty() {
        return Err(ApiError::bad_request("command must be non-empty"));
    }
    if command.chars().count() > 32 {
        return Err(ApiError::bad_request("command length must not exceed 32"));
    }
    if description.is_empty() {
        return Err(ApiError::bad_request(
            "command description must be non-empty",
        ));
    }
    if description.chars().count() > 256 {
        return Err(ApiError::bad_request(
            "command description length must not exceed 256",
        ));
    }
    // Telegram's documented alphabet for commands.
    if !command
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(ApiError::bad_request("BOT_COMMAND_INVALID"));
    }
    Ok(json!({ "command": command, "description": description }))
}
