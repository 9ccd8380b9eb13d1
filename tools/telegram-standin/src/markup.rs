//! The `reply_markup` parameter: inline keyboards (kept and shown under messages) and the other
//! markups (custom keyboards, keyboard removal, force reply), validated as the server does.

use serde_json::{Map, Value, json};

use super::error::ApiError;
use super::model::Button;
use super::text::checked_link;

/// Longest callback_data Telegram accepts, in bytes.
const MAX_CALLBACK_DATA_BYTES: usize = 64;

/// What a button does when pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ButtonAction {
    Callback(String),
    Url(String),
    /// Buttons the stand-in only echoes back (web_app, copy_text, switch_inline_query, ...).
    Other(String, Value),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InlineButton {
    pub(crate) text: String,
    pub(crate) action: ButtonAction,
}

pub(crate) type InlineKeyboard = Vec<Vec<InlineButton>>;

/// A parsed `reply_markup`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Markup {
    /// Absent, or a markup that asks for nothing.
    #[default]
    None,
    Inline(InlineKeyboard),
    /// A custom keyboard, keyboard removal or force reply, kept as JSON.
    Other(Value),
}

/// Parses the `reply_markup` parameter ("" when absent).
pub(crate) fn parse(text: &str) -> Result<Markup, ApiError> {
    if text.is_empty() {
        return Ok(Markup::None);
    }
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Err(ApiError::bad_request(
            "can't parse reply keyboard markup JSON object",
        ));
    };
    let Value::Object(object) = value else {
        return Err(ApiError::bad_request("object expected as reply markup"));
    };

    let keyboard = array_field(&object, "keyboard")?;
    for row in keyboard.unwrap_or(&[]) {
        let Value::Array(buttons) = row else {
            return Err(ApiError::bad_request(
                "field \"keyboard\" must be an Array of Arrays",
            ));
        };
        for button in buttons {
            let has_text = match button {
                Value::String(_) => true,
                Value::Object(fields) => fields.get("text").is_some_and(Value::is_string),
                _ => false,
            };
            if !has_text {
                return Err(ApiError::bad_request(
                    "can't parse keyboard button: Field \"text\" must be of type String",
                ));
            }
        }
    }

    let mut inline = Vec::new();
    for row in array_field(&object, "inline_keyboard")?.unwrap_or(&[]) {
        let Value::Array(buttons) = row else {
            return Err(ApiError::bad_request(
                "field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays",
            ));
        };
        let mut parsed_row = Vec::new();
        for button in buttons {
            let parsed = inline_button(button).map_err(|problem| {
                ApiError::bad_request(format!("can't parse inline keyboard button: {problem}"))
            })?;
            check_button(&parsed)?;
            parsed_row.push(parsed);
        }
        inline.push(parsed_row);
    }

    let flag = |name: &str| object.get(name).and_then(Value::as_bool).unwrap_or(false);
    if keyboard.is_some_and(|rows| !rows.is_empty()) {
        return Ok(Markup::Other(Value::Object(object.clone())));
    }
    if inline.iter().any(|row| !row.is_empty()) {
        return Ok(Markup::Inline(inline));
    }
    if flag("remove_keyboard") || flag("hide_keyboard") || flag("force_reply") {
        return Ok(Markup::Other(Value::Object(object.clone())));
    }
    Ok(Markup::None)
}

fn array_field<'a>(
    object: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a [Value]>, ApiError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(_) => Err(ApiError::bad_request(format!(
            "field \"{name}\" must be of type Array"
        ))),
    }
}

fn inline_button(value: &Value) -> Result<InlineButton, String> {
    let Value::Object(fields) = value else {
        return Err("InlineKeyboardButton must be an Object".to_owned());
    };
    let text = match fields.get("text") {
        None => return Err("Can't find field \"text\"".to_owned()),
        Some(Value::String(text)) => text.clone(),
        Some(_) => return Err("Field \"text\" must be of type String".to_owned()),
    };
    let string_field = |name: &str| -> Result<Option<String>, String> {
        match fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(value)) => Ok(Some(value.clone())),
            Some(_) => Err(format!("Field \"{name}\" must be of type String")),
        }
    };
    // Checked in the server's order; an empty url or callback_data counts as absent.
    if let Some(url) = string_field("url")?.filter(|url| !url.is_empty()) {
        return Ok(InlineButton {
            text,
            action: ButtonAction::Url(url),
        });
    }
    if let Some(data) = string_field("callback_data")?.filter(|data| !data.is_empty()) {
        return Ok(InlineButton {
            text,
            action: ButtonAction::Callback(data),
        });
    }
    for other in [
        "callback_game",
        "pay",
        "switch_inline_query",
        "switch_inline_query_chosen_chat",
        "switch_inline_query_current_chat",
        "login_url",
        "web_app",
        "copy_text",
    ] {
        if let Some(value) = fields.get(other) {
            return Ok(InlineButton {
                text,
                action: ButtonAction::Other(other.to_owned(), value.clone()),
            });
        }
    }
    Err("Text buttons are unallowed in the inline keyboard".to_owned())
}

/// Checks the server applies after parsing (the errors Telegram words in capitals).
fn check_button(button: &InlineButton) -> Result<(), ApiError> {
    match &button.action {
        ButtonAction::Callback(data) if data.len() > MAX_CALLBACK_DATA_BYTES => {
            Err(ApiError::bad_request("BUTTON_DATA_INVALID"))
        }
        ButtonAction::Url(url) if checked_link(url).is_none() => {
            Err(ApiError::bad_request("BUTTON_URL_INVALID"))
        }
        _ => Ok(()),
    }
}

/// The Bot API JSON of an inline keyboard.
pub(crate) fn to_json(keyboard: &InlineKeyboard) -> Value {
    let rows: Vec<Value> = keyboard
        .iter()
        .map(|row| {
            let buttons: Vec<Value> = row
                .iter()
                .map(|button| {
                    let mut value = json!({ "text": button.text });
                    match &button.action {
                        ButtonAction::Callback(data) => value["callback_data"] = json!(data),
                        ButtonAction::Url(url) => value["url"] = json!(url),
                        ButtonAction::Other(field, content) => value[field] = content.clone(),
                    }
                    value
                })
                .collect();
            Value::Array(buttons)
        })
        .collect();
    json!({ "inline_keyboard": rows })
}

/// The keyboard in the control API's simpler form.
pub(crate) fn to_buttons(keyboard: &InlineKeyboard) -> Vec<Vec<Button>> {
    keyboard
        .iter()
        .map(|row| {
            row.iter()
                .map(|button| Button {
                    text: button.text.clone(),
                    callback_data: match &button.action {
                        ButtonAction::Callback(data) => Some(data.clone()),
                        _ => None,
                    },
                    url: match &button.action {
                        ButtonAction::Url(url) => Some(url.clone()),
                        _ => None,
                    },
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(text).unwrap_err().description
    }

    #[test]
    fn parses_inline_keyboards() {
        let markup = parse(r#"{"inline_keyboard":[[{"text":"Yes","callback_data":"y"},{"text":"Web","url":"https://x.org"}]]}"#).unwrap();
        let Markup::Inline(keyboard) = markup else {
            panic!("expected an inline keyboard");
        };
        assert_eq!(
            keyboard[0][0].action,
            ButtonAction::Callback("y".to_owned())
        );
        assert_eq!(
            to_json(&keyboard),
            json!({"inline_keyboard":[[{"text":"Yes","callback_data":"y"},{"text":"Web","url":"https://x.org"}]]})
        );
    }

    #[test]
    fn refuses_what_telegram_refuses() {
        assert_eq!(
            error("{"),
            "Bad Request: can't parse reply keyboard markup JSON object"
        );
        assert_eq!(
            error(r#"{"inline_keyboard":[[{"text":"plain"}]]}"#),
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        );
        let long = "x".repeat(65);
        assert_eq!(
            error(&format!(
                r#"{{"inline_keyboard":[[{{"text":"t","callback_data":"{long}"}}]]}}"#
            )),
            "Bad Request: BUTTON_DATA_INVALID"
        );
        assert_eq!(
            error(r#"{"inline_keyboard":[{"text":"t"}]}"#),
            "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays"
        );
    }

    #[test]
    fn empty_and_other_markups() {
        assert_eq!(parse(r#"{"inline_keyboard":[]}"#).unwrap(), Markup::None);
        assert!(matches!(
            parse(r#"{"remove_keyboard":true}"#).unwrap(),
            Markup::Other(_)
        ));
    }
}
