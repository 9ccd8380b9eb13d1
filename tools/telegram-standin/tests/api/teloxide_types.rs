//! teloxide talks to the stand-in and parses every answer with its own types: User (getMe),
//! Update (message, edited_message, callback_query, my_chat_member, unknown kinds), Message
//! (with entities, reply markup, replies, edits), and errors as teloxide's ApiError variants.

use serde_json::json;
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::payloads::{EditMessageTextSetters, SendMessageSetters};
use teloxide::prelude::Requester;
use teloxide::types::{
    ChatMemberKind, InlineKeyboardButton, InlineKeyboardButtonKind, InlineKeyboardMarkup,
    MaybeInaccessibleMessage, Message, MessageEntityKind, MessageId, ParseMode, ReplyParameters,
    UpdateKind,
};

use super::common::{WAIT, alice, bob, bot, chat, ok, start, updates};

fn keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![
            InlineKeyboardButton::callback("Report", "report"),
            InlineKeyboardButton::callback("Talk", "talk"),
        ],
        vec![InlineKeyboardButton::url(
            "About",
            reqwest::Url::parse("https://example.org/about").expect("valid URL"),
        )],
    ])
}

#[tokio::test]
async fn get_me_is_a_bot_user() {
    let telegram = start().await;
    let me = bot(&telegram).get_me().await.expect("getMe parses as Me");
    assert!(me.user.is_bot);
    assert_eq!(me.user.id.0, 123_456, "the id is the token's number");
    assert_eq!(me.username(), "confidant_standin_bot");
}

#[tokio::test]
async fn employee_text_arrives_as_a_private_message_with_entities() {
    let telegram = start().await;
    let alice = alice();
    let message_id = telegram.inject_text(&alice, "  /start  ").expect("send");
    let updates = bot(&telegram).get_updates().await.expect("getUpdates");
    assert_eq!(updates.len(), 1);
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("expected a message update, got {:?}", updates[0].kind);
    };
    assert_eq!(message.id, MessageId(message_id));
    assert_eq!(message.text(), Some("/start"), "Telegram trims text");
    assert!(message.chat.is_private());
    assert_eq!(message.chat.id, chat(&alice), "private chat id = user id");
    let from = message.from.as_ref().expect("a sender");
    assert_eq!(from.id.0, alice.id);
    assert_eq!(from.username.as_deref(), Some("alice_k"));
    assert_eq!(from.language_code.as_deref(), Some("de"));
    let entities = message.entities().expect("entities");
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].kind, MessageEntityKind::BotCommand);
    assert_eq!((entities[0].offset, entities[0].length), (0, 6));
}

#[tokio::test]
async fn sent_message_with_keyboard_parses_and_is_recorded() {
    let telegram = start().await;
    let alice = alice();
    let hello = telegram.inject_text(&alice, "hello").expect("send");
    let sent: Message = bot(&telegram)
        .send_message(chat(&alice), "Hi! What would you like to do?")
        .reply_markup(keyboard())
        .reply_parameters(ReplyParameters::new(MessageId(hello)))
        .await
        .expect("sendMessage");
    assert_eq!(
        sent.id,
        MessageId(hello + 1),
        "ids count up across both sides"
    );
    assert!(sent.from.as_ref().is_some_and(|from| from.is_bot));
    assert_eq!(sent.reply_markup(), Some(&keyboard()));
    let replied = sent.reply_to_message().expect("the reply is included");
    assert_eq!(replied.id, MessageId(hello));

    let recorded = telegram.sent_messages(alice.chat_id());
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].text, "Hi! What would you like to do?");
    assert_eq!(recorded[0].reply_to_message_id, Some(hello));
    assert_eq!(recorded[0].button_data("Talk"), Some("talk"));
    assert_eq!(
        recorded[0].button_labels(),
        vec![vec!["Report", "Talk"], vec!["About"]]
    );
    assert_eq!(
        telegram.buttons(alice.chat_id(), sent.id.0),
        Some(recorded[0].keyboard.clone())
    );
}

#[tokio::test]
async fn pressing_a_button_gives_a_full_callback_query() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "/start").expect("send");
    let bot = bot(&telegram);
    let sent = bot
        .send_message(chat(&alice), "Choose")
        .reply_markup(keyboard())
        .await
        .expect("sendMessage");

    let query_id = telegram
        .press_button(&alice, sent.id.0, "report")
        .expect("press");
    let all = bot.get_updates().await.expect("getUpdates");
    let UpdateKind::CallbackQuery(query) = &all.last().expect("an update").kind else {
        panic!("expected a callback query, got {:?}", all.last());
    };
    assert_eq!(query.id.0, query_id);
    assert_eq!(query.data.as_deref(), Some("report"));
    assert_eq!(query.from.id.0, alice.id);
    assert!(!query.chat_instance.is_empty());
    let Some(MaybeInaccessibleMessage::Regular(message)) = &query.message else {
        panic!("the pressed message is included in full");
    };
    assert_eq!(message.id, sent.id);
    assert_eq!(message.text(), Some("Choose"));
    assert_eq!(message.reply_markup(), Some(&keyboard()));

    bot.answer_callback_query(query.id.clone())
        .await
        .expect("answerCallbackQuery");
    let answers = telegram.callback_answers();
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].callback_query_id, query_id);
    assert_eq!(answers[0].chat_id, alice.chat_id());
}

#[tokio::test]
async fn stale_button_data_is_delivered_too() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "/start").expect("send");
    let sent = bot(&telegram)
        .send_message(chat(&alice), "Choose")
        .reply_markup(keyboard())
        .await
        .expect("sendMessage");
    telegram
        .press_button(&alice, sent.id.0, "button-from-an-older-version")
        .expect("old data can be pressed");
    let all = updates(&telegram, 0).await;
    let UpdateKind::CallbackQuery(query) = &all[1].kind else {
        panic!("expected a callback query");
    };
    assert_eq!(query.data.as_deref(), Some("button-from-an-older-version"));
}

#[tokio::test]
async fn edits_and_edited_messages_parse() {
    let telegram = start().await;
    let alice = alice();
    let typed = telegram.inject_text(&alice, "first draft").expect("send");
    telegram
        .edit_text(&alice, typed, "second draft")
        .expect("edit");
    let all = updates(&telegram, 0).await;
    let UpdateKind::EditedMessage(edited) = &all[1].kind else {
        panic!("expected edited_message, got {:?}", all[1].kind);
    };
    assert_eq!(edited.id, MessageId(typed));
    assert_eq!(edited.text(), Some("second draft"));
    assert!(edited.edit_date().is_some());

    let bot = bot(&telegram);
    let sent = bot
        .send_message(chat(&alice), "<b>Draft</b>")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard())
        .await
        .expect("sendMessage");
    let edited: Message = bot
        .edit_message_text(chat(&alice), sent.id, "Final <i>text</i>")
        .parse_mode(ParseMode::Html)
        .await
        .expect("editMessageText");
    assert_eq!(edited.text(), Some("Final text"));
    assert!(edited.edit_date().is_some());
    assert_eq!(
        edited.reply_markup(),
        None,
        "no reply_markup removes the keyboard"
    );
    let entities = edited.entities().expect("entities");
    assert_eq!(entities[0].kind, MessageEntityKind::Italic);
}

#[tokio::test]
async fn rich_entities_parse_with_teloxide() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let text = "<b>b</b> <a href=\"https://example.org\">link</a> <a href=\"tg://user?id=5000001\">Alice</a> \
                <pre><code class=\"language-rust\">fn main() {}</code></pre> <tg-spoiler>s</tg-spoiler> \
                <blockquote expandable>q</blockquote> <code>c</code> #tag @someone /help";
    let result = ok(
        &telegram,
        "sendMessage",
        json!({ "chat_id": alice.chat_id(), "text": text, "parse_mode": "HTML" }),
    )
    .await;
    let message: Message = serde_json::from_value(result).expect("parses as Message");
    let kinds: Vec<MessageEntityKind> = message
        .entities()
        .expect("entities")
        .iter()
        .map(|entity| entity.kind.clone())
        .collect();
    assert!(kinds.contains(&MessageEntityKind::Bold));
    assert!(kinds.contains(&MessageEntityKind::TextLink {
        url: reqwest::Url::parse("https://example.org").expect("url")
    }));
    assert!(kinds.iter().any(|kind| matches!(
        kind,
        MessageEntityKind::TextMention { user } if user.id.0 == alice.id
    )));
    assert!(kinds.contains(&MessageEntityKind::Pre {
        language: Some("rust".to_owned())
    }));
    assert!(kinds.contains(&MessageEntityKind::Spoiler));
    assert!(kinds.contains(&MessageEntityKind::ExpandableBlockquote));
    assert!(kinds.contains(&MessageEntityKind::Code));
    assert!(kinds.contains(&MessageEntityKind::Hashtag));
    assert!(kinds.contains(&MessageEntityKind::Mention));
    assert!(kinds.contains(&MessageEntityKind::BotCommand));
}

#[tokio::test]
async fn blocking_gives_my_chat_member_and_bot_blocked_errors() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    telegram.block_bot(&alice).expect("block");
    let bot = bot(&telegram);
    let error = bot
        .send_message(chat(&alice), "are you there?")
        .await
        .expect_err("blocked");
    assert!(
        matches!(error, RequestError::Api(ApiError::BotBlocked)),
        "{error:?}"
    );
    assert!(
        telegram.inject_text(&alice, "x").is_err(),
        "a blocked bot can't be written to"
    );

    telegram.unblock_bot(&alice).expect("unblock");
    let all = bot.get_updates().await.expect("getUpdates");
    let members: Vec<_> = all
        .iter()
        .filter_map(|update| match &update.kind {
            UpdateKind::MyChatMember(member) => Some(member),
            _ => None,
        })
        .collect();
    assert_eq!(members.len(), 2);
    assert!(matches!(
        members[0].new_chat_member.kind,
        ChatMemberKind::Banned(_)
    ));
    assert!(matches!(
        members[1].new_chat_member.kind,
        ChatMemberKind::Member(_)
    ));
    assert!(members[1].new_chat_member.user.is_bot);
    bot.send_message(chat(&alice), "welcome back")
        .await
        .expect("sending works again");
}

#[tokio::test]
async fn unknown_and_raw_update_kinds_reach_the_bot() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let future = telegram
        .inject_raw_update(json!({ "update_id": 1, "future_kind": { "x": 1 } }))
        .expect("valid update")
        .expect("unknown kinds are never filtered");
    let sticker = telegram
        .inject_message(
            &bob(),
            json!({ "sticker": {
                "file_id": "f", "file_unique_id": "u", "type": "regular",
                "width": 512, "height": 512, "is_animated": false, "is_video": false
            }}),
        )
        .expect("sticker");
    let all = bot(&telegram).get_updates().await.expect("getUpdates");
    assert_eq!(all.len(), 3);
    assert_eq!(all[1].id.0, future, "the stand-in assigns the update_id");
    assert!(
        matches!(all[1].kind, UpdateKind::Error(_)),
        "{:?}",
        all[1].kind
    );
    let UpdateKind::Message(message) = &all[2].kind else {
        panic!("expected the sticker message");
    };
    assert_eq!(message.id, MessageId(sticker));
    assert!(message.sticker().is_some());
    assert!(all.windows(2).all(|pair| pair[0].id.0 < pair[1].id.0));
    assert_eq!(
        telegram.chat_history(bob().chat_id())[0]
            .other_content
            .as_deref(),
        Some("sticker")
    );
}

#[tokio::test]
async fn callback_data_and_keyboard_shapes_round_trip() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let sent = bot(&telegram)
        .send_message(chat(&alice), "x")
        .reply_markup(keyboard())
        .await
        .expect("sendMessage");
    let markup = sent.reply_markup().expect("markup");
    let InlineKeyboardButtonKind::CallbackData(data) = &markup.inline_keyboard[0][1].kind else {
        panic!("callback button expected");
    };
    assert_eq!(data, "talk");
    let _ = telegram
        .wait_for_sent_count(alice.chat_id(), 1, WAIT)
        .await
        .expect("recorded");
}
