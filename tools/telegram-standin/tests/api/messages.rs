//! Sending, editing and deleting messages: ids, chats, limits, edit history, deletion rules.

use std::time::Duration;

use serde_json::{Value, json};
use teloxide::payloads::SendDocumentSetters;
use teloxide::prelude::Requester;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

use super::common::{WAIT, alice, bob, bot, chat, error, ok, start};

fn id(message: &Value) -> i64 {
    message["message_id"].as_i64().expect("message_id")
}

async fn send(telegram: &telegram_standin::StandinHandle, chat_id: i64, body: Value) -> Value {
    let mut body = body;
    body["chat_id"] = json!(chat_id);
    ok(telegram, "sendMessage", body).await
}

fn keyboard(label: &str, data: &str) -> Value {
    json!({ "inline_keyboard": [[{ "text": label, "callback_data": data }]] })
}

/// Telegram numbers the messages of all of an account's private chats from one counter
/// ("Messages in private chats and normal groups have per-user unique IDs",
/// mautrix-telegram issue #51; tdlib issue #533): a chat's ids have gaps.
#[tokio::test]
async fn message_ids_count_per_bot_account_across_all_chats() {
    let telegram = start().await;
    let (alice, bob) = (alice(), bob());
    assert_eq!(telegram.inject_text(&alice, "hi").expect("send"), 1);
    assert_eq!(telegram.inject_text(&bob, "hello").expect("send"), 2);
    let reply = send(&telegram, alice.chat_id(), json!({ "text": "Hi Alice" })).await;
    assert_eq!(id(&reply), 3);
    let to_bob = send(&telegram, bob.chat_id(), json!({ "text": "Hi Bob" })).await;
    assert_eq!(id(&to_bob), 4);
    assert_eq!(telegram.inject_text(&alice, "thanks").expect("send"), 5);
    let history: Vec<(i32, bool)> = telegram
        .chat_history(alice.chat_id())
        .iter()
        .map(|message| (message.message_id, message.from_bot))
        .collect();
    assert_eq!(history, [(1, false), (3, true), (5, false)]);
    // Deleted messages (and those of chats the bot does not see) leave gaps too.
    telegram.skip_message_ids(3);
    assert_eq!(telegram.inject_text(&bob, "again").expect("send"), 9);
}

#[tokio::test]
async fn the_gap_switch_leaves_random_gaps_between_ids() {
    let telegram = super::common::start_with(|options| options.message_id_gaps = true).await;
    let alice = alice();
    let ids: Vec<i32> = (0..40)
        .map(|i| {
            telegram
                .inject_text(&alice, &format!("m{i}"))
                .expect("send")
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids rise: {ids:?}");
    assert!(
        ids.windows(2).any(|w| w[1] - w[0] > 1),
        "some gaps: {ids:?}"
    );
}

/// editMessageText answers as the real server does (tdlib/telegram-bot-api Client.cpp,
/// `check_message` and the MESSAGE_NOT_MODIFIED mapping; tdlib MessagesManager.cpp,
/// `can_edit_message` and "There is no text in the message to edit"), which the bot's
/// exactly-once probe relies on.
#[tokio::test]
async fn edits_answer_as_telegram_does_for_every_kind_of_id() {
    let telegram = start().await;
    let (alice, bob) = (alice(), bob());
    let typed = telegram.inject_text(&alice, "hi").expect("send");
    let bobs = telegram.inject_text(&bob, "hello").expect("send");
    let earlier = id(&send(&telegram, alice.chat_id(), json!({ "text": "earlier" })).await);
    let ours = id(&send(&telegram, alice.chat_id(), json!({ "text": "ours" })).await);
    let gone = id(&send(&telegram, alice.chat_id(), json!({ "text": "gone" })).await);
    ok(
        &telegram,
        "deleteMessage",
        json!({ "chat_id": alice.chat_id(), "message_id": gone }),
    )
    .await;
    let edit = |message_id: i64, text: &str| json!({ "chat_id": alice.chat_id(), "message_id": message_id, "text": text });
    let refused = |message_id: i64, text: &'static str| {
        let telegram = telegram.clone();
        async move { error(&telegram, "editMessageText", edit(message_id, text), 400).await }
    };
    let not_found = "Bad Request: message to edit not found";
    assert_eq!(
        refused(i64::from(bobs), "x").await,
        not_found,
        "another chat's id"
    );
    assert_eq!(refused(gone, "gone").await, not_found, "a deleted message");
    assert_eq!(
        refused(ours + 1_000, "x").await,
        not_found,
        "an id not handed out yet"
    );
    assert_eq!(
        refused(i64::from(typed), "hi").await,
        "Bad Request: message can't be edited",
        "the employee's message"
    );
    assert_eq!(
        refused(ours, "ours").await,
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        "the same content"
    );
    let edited = ok(&telegram, "editMessageText", edit(earlier, "changed")).await;
    assert_eq!(
        edited["text"], "changed",
        "the bot's own earlier message is changed"
    );
    assert_eq!(edited["message_id"], earlier);
}

#[tokio::test]
async fn a_file_message_has_no_text_to_edit_and_a_text_no_caption() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let text = id(&send(&telegram, alice.chat_id(), json!({ "text": "words" })).await);
    let document = bot(&telegram)
        .send_document(
            chat(&alice),
            teloxide::types::InputFile::memory(b"%PDF-1.7".to_vec()).file_name("a.pdf"),
        )
        .caption("a file")
        .await
        .expect("sent");
    assert_eq!(
        error(
            &telegram,
            "editMessageText",
            json!({ "chat_id": alice.chat_id(), "message_id": document.id.0, "text": "a file" }),
            400
        )
        .await,
        "Bad Request: there is no text in the message to edit"
    );
    assert_eq!(
        error(
            &telegram,
            "editMessageCaption",
            json!({ "chat_id": alice.chat_id(), "message_id": text, "caption": "words" }),
            400
        )
        .await,
        "Bad Request: there is no caption in the message to edit"
    );
}

/// A send Telegram carried out whose answer never reached the bot: the message is in
/// the chat, and the bot's request fails (the connection broke) or hangs.
#[tokio::test]
async fn a_lost_answer_leaves_the_message_in_the_chat() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    telegram.lose_answers("sendMessage", 1, telegram_standin::AnswerLoss::Break);
    let broken = bot(&telegram).send_message(chat(&alice), "first").await;
    assert!(
        matches!(broken, Err(RequestError::Network(_) | RequestError::Io(_))),
        "{broken:?}"
    );
    telegram.lose_answers("sendMessage", 1, telegram_standin::AnswerLoss::Hang);
    let hung = tokio::time::timeout(
        Duration::from_millis(500),
        bot(&telegram).send_message(chat(&alice), "second"),
    )
    .await;
    assert!(hung.is_err(), "no answer came: {hung:?}");
    let sent = bot(&telegram).send_message(chat(&alice), "third").await;
    assert!(sent.is_ok(), "later sends are answered");
    let texts: Vec<String> = telegram
        .sent_messages(alice.chat_id())
        .into_iter()
        .map(|m| m.text)
        .collect();
    assert_eq!(texts, ["first", "second", "third"]);
}

/// A request that never reaches Telegram: nothing in the chat, no answer; a rule for one
/// chat leaves the others alone.
#[tokio::test]
async fn a_stalled_request_is_never_carried_out_and_rules_can_name_a_chat() {
    let telegram = start().await;
    let (alice, bob) = (alice(), bob());
    telegram.inject_text(&alice, "hi").expect("send");
    telegram.inject_text(&bob, "hi").expect("send");
    telegram.lose_answers_in(
        alice.chat_id(),
        "sendMessage",
        1,
        telegram_standin::AnswerLoss::Stall,
    );
    let to_bob = bot(&telegram).send_message(chat(&bob), "for Bob").await;
    assert!(to_bob.is_ok(), "another chat is not touched: {to_bob:?}");
    let stalled = tokio::time::timeout(
        Duration::from_millis(500),
        bot(&telegram).send_message(chat(&alice), "never"),
    )
    .await;
    assert!(stalled.is_err(), "no answer came");
    assert!(
        telegram.sent_messages(alice.chat_id()).is_empty(),
        "not carried out"
    );
    let later = bot(&telegram).send_message(chat(&alice), "later").await;
    assert!(later.is_ok(), "{later:?}");
}

#[tokio::test]
async fn sending_needs_an_opened_chat() {
    let telegram = start().await;
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": 42, "text": "x" }),
            400
        )
        .await,
        "Bad Request: chat not found"
    );
    assert_eq!(
        error(&telegram, "sendMessage", json!({ "text": "x" }), 400).await,
        "Bad Request: chat_id is empty"
    );
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": "@alice_k", "text": "x" }),
            400
        )
        .await,
        "Bad Request: chat not found"
    );
    // Registering an employee (phone page) does not open the chat; writing does.
    telegram.register_user(&alice()).expect("register");
    let err = bot(&telegram)
        .send_message(chat(&alice()), "x")
        .await
        .expect_err("not opened");
    assert!(
        matches!(err, RequestError::Api(ApiError::ChatNotFound)),
        "{err:?}"
    );
}

#[tokio::test]
async fn text_is_checked_and_trimmed_like_telegram() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let chat_id = alice.chat_id();
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": chat_id, "text": "" }),
            400
        )
        .await,
        "Bad Request: message text is empty"
    );
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": chat_id, "text": " \n\u{200B} " }),
            400
        )
        .await,
        "Bad Request: text must be non-empty"
    );
    let trimmed = send(
        &telegram,
        chat_id,
        json!({ "text": "\n  Hello\r\n\tthere  \n" }),
    )
    .await;
    assert_eq!(trimmed["text"], "Hello\n there");

    // The limit is 4096 UTF-16 units of the final text (an emoji counts twice).
    let longest = "a".repeat(4096);
    send(&telegram, chat_id, json!({ "text": longest })).await;
    let too_long = "a".repeat(4097);
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": chat_id, "text": too_long }),
            400
        )
        .await,
        "Bad Request: message is too long"
    );
    send(&telegram, chat_id, json!({ "text": "😀".repeat(2048) })).await;
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": chat_id, "text": format!("{}a", "😀".repeat(2048)) }),
            400
        )
        .await,
        "Bad Request: message is too long"
    );
    // Markup does not count: 4096 visible characters in bold are fine.
    let bold = format!("<b>{}</b>", "b".repeat(4096));
    send(
        &telegram,
        chat_id,
        json!({ "text": bold, "parse_mode": "HTML" }),
    )
    .await;
    let err = bot(&telegram)
        .send_message(chat(&alice), "x".repeat(5000))
        .await
        .expect_err("too long");
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageIsTooLong)),
        "{err:?}"
    );
}

#[tokio::test]
async fn replies_need_an_existing_message_unless_allowed_without() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let chat_id = alice.chat_id();
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": chat_id, "text": "x", "reply_parameters": { "message_id": 99 } }),
            400
        )
        .await,
        "Bad Request: message to be replied not found"
    );
    let sent = send(
        &telegram,
        chat_id,
        json!({ "text": "x", "reply_parameters": { "message_id": 99, "allow_sending_without_reply": true } }),
    )
    .await;
    assert!(sent.get("reply_to_message").is_none());
    let legacy = send(
        &telegram,
        chat_id,
        json!({ "text": "y", "reply_to_message_id": 1 }),
    )
    .await;
    assert_eq!(legacy["reply_to_message"]["text"], "hi");
}

#[tokio::test]
async fn edits_keep_history_and_follow_telegram_rules() {
    let telegram = start().await;
    let alice = alice();
    let typed = telegram.inject_text(&alice, "hi").expect("send");
    let chat_id = alice.chat_id();
    let sent = send(
        &telegram,
        chat_id,
        json!({ "text": "Pick one", "reply_markup": keyboard("A", "a") }),
    )
    .await;
    let message_id = id(&sent);

    let edited = ok(
        &telegram,
        "editMessageText",
        json!({ "chat_id": chat_id, "message_id": message_id, "text": "Picked A",
                "reply_markup": keyboard("Undo", "undo") }),
    )
    .await;
    assert_eq!(edited["text"], "Picked A");
    assert!(edited["edit_date"].is_i64());
    assert_eq!(
        error(
            &telegram,
            "editMessageText",
            json!({ "chat_id": chat_id, "message_id": message_id, "text": "Picked A",
                    "reply_markup": keyboard("Undo", "undo") }),
            400
        )
        .await,
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
    );
    ok(
        &telegram,
        "editMessageReplyMarkup",
        json!({ "chat_id": chat_id, "message_id": message_id }),
    )
    .await;

    let recorded = &telegram.sent_messages(chat_id)[0];
    assert!(recorded.edited);
    assert!(recorded.keyboard.is_empty());
    let history: Vec<(&str, Vec<Vec<String>>)> = recorded
        .history
        .iter()
        .map(|version| {
            let labels = version
                .keyboard
                .iter()
                .map(|row| row.iter().map(|button| button.text.clone()).collect())
                .collect();
            (version.text.as_str(), labels)
        })
        .collect();
    assert_eq!(
        history,
        [
            ("Pick one", vec![vec!["A".to_owned()]]),
            ("Picked A", vec![vec!["Undo".to_owned()]])
        ]
    );

    assert_eq!(
        error(
            &telegram,
            "editMessageText",
            json!({ "chat_id": chat_id, "message_id": 999, "text": "x" }),
            400
        )
        .await,
        "Bad Request: message to edit not found"
    );
    assert_eq!(
        error(
            &telegram,
            "editMessageText",
            json!({ "chat_id": chat_id, "message_id": typed, "text": "x" }),
            400
        )
        .await,
        "Bad Request: message can't be edited"
    );
    let err = bot(&telegram)
        .edit_message_text(chat(&alice), MessageId(message_id as i32), "Picked A")
        .await
        .expect_err("not modified");
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageNotModified)),
        "{err:?}"
    );
}

#[tokio::test]
async fn deletions_follow_telegram_rules() {
    let telegram = start().await;
    let alice = alice();
    let typed = telegram.inject_text(&alice, "secret").expect("send");
    let chat_id = alice.chat_id();
    let sent = send(&telegram, chat_id, json!({ "text": "noted" })).await;
    let bot_message = id(&sent);

    let deleted = bot(&telegram)
        .delete_message(chat(&alice), MessageId(bot_message as i32))
        .await;
    assert!(deleted.is_ok(), "{deleted:?}");
    let err = bot(&telegram)
        .delete_message(chat(&alice), MessageId(bot_message as i32))
        .await
        .expect_err("already deleted");
    assert!(
        matches!(err, RequestError::Api(ApiError::MessageToDeleteNotFound)),
        "{err:?}"
    );
    assert!(telegram.sent_messages(chat_id)[0].deleted);

    // Bots may delete the employee's messages in private chats too (the bot may want to
    // remove a report from the phone), but only within 48 hours.
    let later = telegram.inject_text(&alice, "another").expect("send");
    telegram.advance_clock(Duration::from_secs(48 * 3600 + 1));
    assert_eq!(
        error(
            &telegram,
            "deleteMessage",
            json!({ "chat_id": chat_id, "message_id": typed }),
            400
        )
        .await,
        "Bad Request: message can't be deleted"
    );
    let fresh = telegram.inject_text(&alice, "fresh").expect("send");
    ok(
        &telegram,
        "deleteMessages",
        json!({ "chat_id": chat_id, "message_ids": [fresh, 12345] }),
    )
    .await;
    let history = telegram.chat_history(chat_id);
    let fresh_message = history
        .iter()
        .find(|m| m.message_id == fresh)
        .expect("kept");
    assert!(
        fresh_message.deleted,
        "found messages are deleted, missing ones skipped"
    );
    assert!(
        !history
            .iter()
            .find(|m| m.message_id == later)
            .expect("kept")
            .deleted
    );
    assert_eq!(
        error(
            &telegram,
            "deleteMessage",
            json!({ "chat_id": chat_id }),
            400
        )
        .await,
        "Bad Request: message identifier is not specified"
    );
    assert_eq!(
        error(
            &telegram,
            "deleteMessages",
            json!({ "chat_id": chat_id, "message_ids": [] }),
            400
        )
        .await,
        "Bad Request: message identifiers are not specified"
    );
}

#[tokio::test]
async fn deleted_and_employee_deleted_messages_cannot_be_edited() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let chat_id = alice.chat_id();
    let sent = send(
        &telegram,
        chat_id,
        json!({ "text": "menu", "reply_markup": keyboard("A", "a") }),
    )
    .await;
    let message_id = i32::try_from(id(&sent)).expect("i32");
    telegram
        .delete_by_user(&alice, message_id)
        .expect("the employee deletes it");
    assert_eq!(
        telegram.pending_update_count(),
        1,
        "no update for deletions in private chats"
    );
    assert_eq!(
        error(
            &telegram,
            "editMessageText",
            json!({ "chat_id": chat_id, "message_id": message_id, "text": "x" }),
            400
        )
        .await,
        "Bad Request: message to edit not found"
    );
    assert!(telegram.press_button(&alice, message_id, "a").is_err());
}

#[tokio::test]
async fn chat_actions_and_commands() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    ok(
        &telegram,
        "sendChatAction",
        json!({ "chat_id": alice.chat_id(), "action": "typing" }),
    )
    .await;
    assert_eq!(
        telegram.chat_action(alice.chat_id()).as_deref(),
        Some("typing")
    );
    send(&telegram, alice.chat_id(), json!({ "text": "done" })).await;
    assert_eq!(
        telegram.chat_action(alice.chat_id()),
        None,
        "a message ends the action"
    );
    assert_eq!(
        error(
            &telegram,
            "sendChatAction",
            json!({ "chat_id": alice.chat_id(), "action": "dancing" }),
            400
        )
        .await,
        "Bad Request: wrong parameter action in request"
    );

    ok(
        &telegram,
        "setMyCommands",
        json!({ "commands": [{ "command": "/start", "description": "Begin" },
                             { "command": "report", "description": "Report something" }] }),
    )
    .await;
    assert_eq!(
        telegram.my_commands(),
        [
            ("start".to_owned(), "Begin".to_owned()),
            ("report".to_owned(), "Report something".to_owned())
        ]
    );
    let commands = bot(&telegram)
        .get_my_commands()
        .await
        .expect("getMyCommands");
    assert_eq!(commands.len(), 2);
    assert_eq!(
        error(
            &telegram,
            "setMyCommands",
            json!({ "commands": [{ "command": "Start", "description": "x" }] }),
            400
        )
        .await,
        "Bad Request: BOT_COMMAND_INVALID"
    );
    let _ = telegram
        .wait_for_sent_count(alice.chat_id(), 1, WAIT)
        .await
        .expect("sent");
}
