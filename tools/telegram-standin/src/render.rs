//! Bot API JSON for users, chats and messages, in the shapes Telegram sends.
//!
//! Optional fields are left out rather than sent as null, as Telegram does; the tests check
//! that every object parses with teloxide's types.

use serde_json::{Value, json};

use super::markup;
use super::model::TestUser;
use super::options::StandinOptions;
use super::state::{State, StoredMessage};

/// The User object of an employee.
pub(crate) fn user(user: &TestUser) -> Value {
    let mut value = json!({
        "id": user.id,
        "is_bot": false,
        "first_name": user.first_name,
    });
    if let Some(last_name) = &user.last_name {
        value["last_name"] = json!(last_name);
    }
    if let Some(username) = &user.username {
        value["username"] = json!(username);
    }
    if let Some(language) = &user.language_code {
        value["language_code"] = json!(language);
    }
    value
}

/// The bot's User object as it appears in `from` of its messages.
pub(crate) fn bot(options: &StandinOptions) -> Value {
    json!({
        "id": options.bot_id,
        "is_bot": true,
        "first_name": options.bot_first_name,
        "username": options.bot_username,
    })
}

/// getMe's answer: the bot's User with the bot-only fields.
pub(crate) fn me(options: &StandinOptions) -> Value {
    let mut value = bot(options);
    value["can_join_groups"] = json!(true);
    value["can_read_all_group_messages"] = json!(false);
    value["supports_inline_queries"] = json!(false);
    value["can_connect_to_business"] = json!(false);
    value["has_main_web_app"] = json!(false);
    value
}

/// The Chat object of an employee's private chat with the bot.
pub(crate) fn private_chat(user: &TestUser) -> Value {
    let mut value = json!({
        "id": user.id,
        "first_name": user.first_name,
        "type": "private",
    });
    if let Some(last_name) = &user.last_name {
        value["last_name"] = json!(last_name);
    }
    if let Some(username) = &user.username {
        value["username"] = json!(username);
    }
    value
}

/// The Message object of `message` in the chat with `user`. `with_reply` adds the replied-to
/// message (Telegram nests only one level).
pub(crate) fn message(
    state: &State,
    user: &TestUser,
    message: &StoredMessage,
    with_reply: bool,
) -> Value {
    let from = if message.from_bot {
        bot(&state.options)
    } else {
        self::user(user)
    };
    let mut value = json!({
        "message_id": message.id,
        "from": from,
        "chat": private_chat(user),
        "date": message.date,
    });
    if let Some(edit_date) = message.edit_date {
        value["edit_date"] = json!(edit_date);
    }
    if message.protect_content {
        value["has_protected_content"] = json!(true);
    }
    if with_reply
        && let Some(reply_to) = message.reply_to
        && let Some(original) = state
            .chats
            .get(&user.chat_id())
            .and_then(|chat| chat.live_message(reply_to))
    {
        value["reply_to_message"] = self::message(state, user, original, false);
    }
    if !message.content.text.is_empty() {
        value["text"] = json!(message.content.text);
        let entities: Vec<Value> = message
            .content
            .entities
            .iter()
            .filter_map(|entity| match entity.user_id {
                // A text mention carries the whole User; Telegram drops mentions of users it
                // cannot show.
                Some(id) => state
                    .users
                    .get(&id)
                    .map(|mentioned| entity.to_json(Some(self::user(mentioned)))),
                None => Some(entity.to_json(None)),
            })
            .collect();
        if !entities.is_empty() {
            value["entities"] = Value::Array(entities);
        }
    }
    for (field, content) in &message.other {
        value[field] = content.clone();
    }
    if !message.keyboard.is_empty() {
        value["reply_markup"] = markup::to_json(&message.keyboard);
    }
    value
}
