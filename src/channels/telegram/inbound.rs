//! Telegram updates as core inputs. Only private chats count: a report must never be
//! made in a group where others read along.

use teloxide::types::{CallbackQueryId, Update, UpdateKind};

use super::files::{FileRef, file_of};
use crate::core::{Input, ReporterAddress, ReporterEvent};

/// What an update means to the bot.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    pub input: Option<Input>,
    /// A pressed button expects an answer (it stops the spinner on the phone).
    pub callback: Option<CallbackQueryId>,
    /// The employee's message id, which bounds the ids of the bot's later messages.
    pub message_id: Option<i32>,
    /// A file to fetch; once fetched it replaces the input's event.
    pub file: Option<FileRef>,
}

/// The employee's formatting (Telegram entities) as HTML for the case room, when the
/// message has formatting and nothing that names someone: a `text_mention` (a link to
/// another Telegram user) or a `tg://` link keeps the message plain, so no one's
/// Telegram id reaches the room.
fn formatted(message: &teloxide::types::Message) -> Option<String> {
    use teloxide::types::MessageEntityKind as K;
    use teloxide::utils::render::RenderMessageTextHelper;
    let entities = message.entities()?;
    let mut formatting = false;
    for entity in entities {
        match &entity.kind {
            K::Bold
            | K::Italic
            | K::Underline
            | K::Strikethrough
            | K::Spoiler
            | K::Code
            | K::Pre { .. }
            | K::Blockquote
            | K::ExpandableBlockquote => formatting = true,
            K::TextLink { url } if matches!(url.scheme(), "http" | "https") => formatting = true,
            K::TextLink { .. } | K::TextMention { .. } => return None,
            _ => {}
        }
    }
    if !formatting {
        return None;
    }
    // Matrix writes a spoiler as a marked span.
    message.html_text().map(|html| {
        html.replace("<tg-spoiler>", "<span data-mx-spoiler>")
            .replace("</tg-spoiler>", "</span>")
    })
}

pub fn convert(update: &Update) -> Converted {
    let none = Converted {
        input: None,
        callback: None,
        message_id: None,
        file: None,
    };
    match &update.kind {
        UpdateKind::Message(m) if m.chat.is_private() => {
            let from = ReporterAddress::Telegram {
                chat_id: m.chat.id.0,
            };
            let event = match (m.text(), formatted(m)) {
                (Some(text), Some(html)) => ReporterEvent::FormattedText {
                    text: text.to_owned(),
                    html,
                },
                (Some(text), None) => ReporterEvent::Text(text.to_owned()),
                (None, _) => ReporterEvent::Unsupported,
            };
            Converted {
                input: Some(Input::Reporter { from, event }),
                callback: None,
                message_id: Some(m.id.0),
                file: file_of(m),
            }
        }
        UpdateKind::EditedMessage(m) if m.chat.is_private() => {
            let from = ReporterAddress::Telegram {
                chat_id: m.chat.id.0,
            };
            // An edit is the new text (a caption edit or other change: nothing to say).
            let event = match m.text() {
                Some(text) => ReporterEvent::Edited(text.to_owned()),
                None => ReporterEvent::Unsupported,
            };
            Converted {
                input: Some(Input::Reporter { from, event }),
                callback: None,
                // The edited message keeps its id: the relay of it in the room follows.
                message_id: Some(m.id.0),
                file: None,
            }
        }
        UpdateKind::CallbackQuery(q) => {
            let input = match (&q.data, &q.message) {
                (Some(data), Some(message)) if message.chat().is_private() => {
                    Some(Input::Reporter {
                        from: ReporterAddress::Telegram {
                            chat_id: message.chat().id.0,
                        },
                        event: ReporterEvent::Button {
                            data: data.clone(),
                            message: Some(message.id().0),
                        },
                    })
                }
                _ => None,
            };
            Converted {
                input,
                callback: Some(q.id.clone()),
                message_id: None,
                file: None,
            }
        }
        _ => none,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From text, as the bot receives it: teloxide's `Update` mis-reads a `Value`.
    fn update(json: serde_json::Value) -> Update {
        serde_json::from_str(&json.to_string()).expect("valid update")
    }

    fn private_message(extra: serde_json::Value) -> serde_json::Value {
        let mut message = serde_json::json!({
            "message_id": 5, "date": 1_700_000_000,
            "chat": {"id": 777, "type": "private", "first_name": "Eva"},
            "from": {"id": 777, "is_bot": false, "first_name": "Eva"}
        });
        message
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        message
    }

    #[test]
    fn formatting_becomes_html_for_the_room_unless_it_names_someone() {
        let bold = update(
            serde_json::json!({"update_id": 2, "message": private_message(serde_json::json!({
                "text": "echt <niet> ok",
                "entities": [{"type": "bold", "offset": 0, "length": 4}]
            }))}),
        );
        assert_eq!(
            convert(&bold).input,
            Some(Input::Reporter {
                from: ReporterAddress::Telegram { chat_id: 777 },
                event: ReporterEvent::FormattedText {
                    text: "echt <niet> ok".into(),
                    html: "<b>echt</b> &lt;niet&gt; ok".into(),
                }
            })
        );
        let mention = update(
            serde_json::json!({"update_id": 3, "message": private_message(serde_json::json!({
                "text": "Piet deed het",
                "entities": [
                    {"type": "bold", "offset": 10, "length": 3},
                    {"type": "text_mention", "offset": 0, "length": 4,
                     "user": {"id": 4242, "is_bot": false, "first_name": "Piet"}}
                ]
            }))}),
        );
        assert_eq!(
            convert(&mention).input,
            Some(Input::Reporter {
                from: ReporterAddress::Telegram { chat_id: 777 },
                event: ReporterEvent::Text("Piet deed het".into()),
            })
        );
    }

    #[test]
    fn private_text_becomes_reporter_text() {
        let u = update(
            serde_json::json!({"update_id": 1, "message": private_message(serde_json::json!({"text": "hallo"}))}),
        );
        let c = convert(&u);
        assert_eq!(
            c.input,
            Some(Input::Reporter {
                from: ReporterAddress::Telegram { chat_id: 777 },
                event: ReporterEvent::Text("hallo".into())
            })
        );
    }

    #[test]
    fn a_sticker_is_unsupported_and_group_chats_are_ignored() {
        let sticker = serde_json::json!({"sticker": {"file_id": "x", "file_unique_id": "y", "type": "regular", "width": 1, "height": 1, "is_animated": false, "is_video": false}});
        let u = update(serde_json::json!({"update_id": 2, "message": private_message(sticker)}));
        assert!(matches!(
            convert(&u).input,
            Some(Input::Reporter {
                event: ReporterEvent::Unsupported,
                ..
            })
        ));
        let group = serde_json::json!({"update_id": 3, "message": {"message_id": 1, "date": 1, "chat": {"id": -5, "type": "group", "title": "Team"}, "text": "hi"}});
        assert_eq!(convert(&update(group)).input, None);
    }

    #[test]
    fn unknown_update_kinds_are_ignored() {
        let u = update(serde_json::json!({"update_id": 4, "some_future_kind": {"x": 1}}));
        assert_eq!(
            convert(&u),
            Converted {
                input: None,
                callback: None,
                message_id: None,
                file: None,
            }
        );
    }
}
