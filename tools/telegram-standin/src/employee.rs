//! What an employee can do on their phone, turned into the updates Telegram would send the bot:
//! write, edit a message, press an inline button, delete a message, block or unblock the bot.
//! Also the raw injection of arbitrary updates for tests.

use serde_json::{Map, Value, json};

use super::error::ControlError;
use super::model::TestUser;
use super::render;
use super::state::{PendingCallback, State, StoredMessage};
use super::text::{self, FormattedText, TextProblem};
use super::updates::{CALLBACK_QUERY_LIFETIME, MESSAGE_UPDATE_LIFETIME};

/// Largest user id the stand-in accepts: Telegram ids fit in 52 bits (they must survive JSON
/// numbers in JavaScript clients).
const MAX_USER_ID: u64 = (1 << 52) - 1;

fn text_problem(problem: TextProblem) -> ControlError {
    match problem {
        TextProblem::Empty => ControlError::EmptyText,
        TextProblem::TooLong(length) => ControlError::TextTooLong(length),
    }
}

impl State {
    /// Adds or updates an employee (their chat opens only when they first write).
    pub(crate) fn register_user(&mut self, user: &TestUser) -> Result<(), ControlError> {
        if user.id == 0 || user.id > MAX_USER_ID {
            return Err(ControlError::InvalidUser(format!(
                "id must be between 1 and {MAX_USER_ID}"
            )));
        }
        if user.first_name.trim().is_empty() {
            return Err(ControlError::InvalidUser(
                "first_name must not be empty".to_owned(),
            ));
        }
        self.users.insert(user.id, user.clone());
        Ok(())
    }

    fn known_user(&self, user_id: u64) -> Result<TestUser, ControlError> {
        self.users
            .get(&user_id)
            .cloned()
            .ok_or(ControlError::UnknownUser(user_id))
    }

    /// Stores a new employee message in their chat and queues the `message` update.
    fn employee_message(
        &mut self,
        user: &TestUser,
        content: FormattedText,
        other: Map<String, Value>,
        reply_to: Option<i32>,
    ) -> Result<i32, ControlError> {
        self.register_user(user)?;
        let chat_id = user.chat_id();
        if self.chats.get(&chat_id).is_some_and(|chat| chat.blocked) {
            return Err(ControlError::BotBlocked(user.id));
        }
        if let Some(reply_to) = reply_to
            && self
                .chats
                .get(&chat_id)
                .and_then(|chat| chat.live_message(reply_to))
                .is_none()
        {
            return Err(ControlError::UnknownMessage {
                chat_id,
                message_id: reply_to,
            });
        }
        let now = self.now();
        let id = self.take_message_id();
        let chat = self.open_chat(user.id);
        let mut message = StoredMessage::new(id, now, false, content);
        message.other = other;
        message.reply_to = reply_to;
        chat.messages.push(message);
        self.queue_message_update("message", chat_id, id, now);
        Ok(id)
    }

    fn queue_message_update(&mut self, kind: &str, chat_id: i64, message_id: i32, date: i64) {
        let Some(chat) = self.chats.get(&chat_id) else {
            return;
        };
        let Some(user) = self.users.get(&chat.user_id) else {
            return;
        };
        let Some(message) = chat.message(message_id) else {
            return;
        };
        let body = render::message(self, user, message, true);
        self.updates
            .push(kind, body, date + MESSAGE_UPDATE_LIFETIME);
    }

    /// The employee sends a text message (optionally as a reply); returns its message_id.
    pub(crate) fn employee_sends_text(
        &mut self,
        user: &TestUser,
        text: &str,
        reply_to: Option<i32>,
    ) -> Result<i32, ControlError> {
        let content = text::from_employee(text).map_err(text_problem)?;
        self.employee_message(user, content, Map::new(), reply_to)
    }

    /// The employee sends a non-text message: `content` holds the Message fields that make it
    /// up, e.g. `{"sticker": {...}}` or `{"photo": [...], "caption": "..."}`.
    pub(crate) fn employee_sends_content(
        &mut self,
        user: &TestUser,
        content: Value,
    ) -> Result<i32, ControlError> {
        let Value::Object(fields) = content else {
            return Err(ControlError::InvalidUpdate(
                "message content must be a JSON object of Message fields".to_owned(),
            ));
        };
        if fields.is_empty() {
            return Err(ControlError::InvalidUpdate(
                "message content is empty".to_owned(),
            ));
        }
        let reserved = ["message_id", "from", "chat", "date", "text", "entities"];
        if let Some(field) = fields.keys().find(|key| reserved.contains(&key.as_str())) {
            return Err(ControlError::InvalidUpdate(format!(
                "the stand-in sets \"{field}\" itself; use inject_text for text"
            )));
        }
        self.employee_message(user, FormattedText::default(), fields, None)
    }

    /// The employee edits one of their text messages; the bot gets an `edited_message` update.
    pub(crate) fn employee_edits_text(
        &mut self,
        user_id: u64,
        message_id: i32,
        text: &str,
    ) -> Result<(), ControlError> {
        let user = self.known_user(user_id)?;
        let content = text::from_employee(text).map_err(text_problem)?;
        let chat_id = user.chat_id();
        let now = self.now();
        let chat = self
            .chats
            .get_mut(&chat_id)
            .ok_or(ControlError::UnknownChat(chat_id))?;
        let message = chat
            .message_mut(message_id)
            .filter(|message| !message.deleted)
            .ok_or(ControlError::UnknownMessage {
                chat_id,
                message_id,
            })?;
        if message.from_bot || !message.other.is_empty() {
            return Err(ControlError::WrongMessage {
                chat_id,
                message_id,
                reason: "only the employee's own text messages can be edited",
            });
        }
        // Telegram sends no update for an edit that changes nothing.
        if message.content == content {
            return Ok(());
        }
        message.remember_version(now);
        message.content = content;
        message.edit_date = Some(now);
        let date = message.date;
        self.queue_message_update("edited_message", chat_id, message_id, date);
        Ok(())
    }

    /// The employee presses an inline button on a bot message. Any data is accepted, not only
    /// what the message shows now: Telegram clients keep showing outdated keyboards.
    pub(crate) fn employee_presses(
        &mut self,
        user_id: u64,
        message_id: i32,
        data: &str,
    ) -> Result<String, ControlError> {
        let user = self.known_user(user_id)?;
        let chat_id = user.chat_id();
        let chat = self
            .chats
            .get(&chat_id)
            .ok_or(ControlError::UnknownChat(chat_id))?;
        if chat.blocked {
            return Err(ControlError::BotBlocked(user_id));
        }
        let message = chat
            .live_message(message_id)
            .ok_or(ControlError::UnknownMessage {
                chat_id,
                message_id,
            })?;
        if !message.from_bot {
            return Err(ControlError::WrongMessage {
                chat_id,
                message_id,
                reason: "buttons exist only on the bot's messages",
            });
        }
        let body_message = render::message(self, &user, message, true);
        let chat_instance = chat.chat_instance.clone();
        let id = self.take_callback_id();
        let body = json!({
            "id": id,
            "from": render::user(&user),
            "message": body_message,
            "chat_instance": chat_instance,
            "data": data,
        });
        self.callbacks.insert(
            id.clone(),
            PendingCallback {
                chat_id,
                answered: false,
            },
        );
        let now = self.now();
        self.updates
            .push("callback_query", body, now + CALLBACK_QUERY_LIFETIME);
        Ok(id)
    }

    /// The employee deletes a message in their app. Telegram tells bots nothing about
    /// deletions in private chats; the bot notices only when it tries to edit the message.
    pub(crate) fn employee_deletes(
        &mut self,
        user_id: u64,
        message_id: i32,
    ) -> Result<(), ControlError> {
        let chat_id = self.known_user(user_id)?.chat_id();
        let message = self
            .chats
            .get_mut(&chat_id)
            .and_then(|chat| chat.message_mut(message_id))
            .filter(|message| !message.deleted)
            .ok_or(ControlError::UnknownMessage {
                chat_id,
                message_id,
            })?;
        message.deleted = true;
        Ok(())
    }

    /// The employee blocks (or unblocks) the bot; the bot gets a `my_chat_member` update and,
    /// while blocked, 403 "bot was blocked by the user" on sends.
    pub(crate) fn employee_sets_blocked(
        &mut self,
        user_id: u64,
        blocked: bool,
    ) -> Result<(), ControlError> {
        let user = self.known_user(user_id)?;
        let chat_id = user.chat_id();
        let chat = self
            .chats
            .get_mut(&chat_id)
            .ok_or(ControlError::UnknownChat(chat_id))?;
        if chat.blocked == blocked {
            return Ok(());
        }
        chat.blocked = blocked;
        let bot = render::bot(&self.options);
        let member = json!({ "user": bot, "status": "member" });
        let kicked = json!({ "user": bot, "status": "kicked", "until_date": 0 });
        let (old, new) = if blocked {
            (member, kicked)
        } else {
            (kicked, member)
        };
        let now = self.now();
        let body = json!({
            "chat": render::private_chat(&user),
            "from": render::user(&user),
            "date": now,
            "old_chat_member": old,
            "new_chat_member": new,
        });
        self.updates
            .push("my_chat_member", body, now + MESSAGE_UPDATE_LIFETIME);
        Ok(())
    }

    /// Queues an arbitrary update object (its update_id is replaced). Returns the update_id, or
    /// `None` when the bot's allowed_updates exclude this kind, so Telegram would not send it.
    pub(crate) fn inject_raw(&mut self, update: Value) -> Result<Option<u32>, ControlError> {
        let Value::Object(mut fields) = update else {
            return Err(ControlError::InvalidUpdate(
                "an update must be a JSON object".to_owned(),
            ));
        };
        fields.remove("update_id");
        let mut kinds = fields.into_iter();
        let (Some((kind, body)), None) = (kinds.next(), kinds.next()) else {
            return Err(ControlError::InvalidUpdate(
                "an update has exactly one field besides update_id, named after its kind"
                    .to_owned(),
            ));
        };
        let now = self.now();
        Ok(self
            .updates
            .push(&kind, body, now + MESSAGE_UPDATE_LIFETIME))
    }
}
