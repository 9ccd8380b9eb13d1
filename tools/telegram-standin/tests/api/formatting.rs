//! parse_mode handling over HTTP: what a bot that relays employee text gets when it forgets to
//! escape it, and what the stored text looks like when it does.

use serde_json::json;
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::Requester;
use teloxide::types::ParseMode;
use teloxide::{ApiError, RequestError};

use super::common::{alice, bot, chat, error, ok, start};

#[tokio::test]
async fn unescaped_html_is_refused_with_telegrams_message() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let relayed = "New report: salary < minimum & no contract";
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": alice.chat_id(), "text": format!("<b>{relayed}</b>"), "parse_mode": "HTML" }),
            400
        )
        .await,
        "Bad Request: can't parse entities: Unsupported start tag \"\" at byte offset 22"
    );
    let err = bot(&telegram)
        .send_message(chat(&alice), "<b>x</i>")
        .parse_mode(ParseMode::Html)
        .await
        .expect_err("bad markup");
    assert!(
        matches!(&err, RequestError::Api(ApiError::CantParseEntities(text))
            if text.contains("Unmatched end tag at byte offset 4")),
        "{err:?}"
    );
    assert!(telegram.sent_messages(alice.chat_id()).is_empty());
}

#[tokio::test]
async fn escaped_html_arrives_as_plain_text_with_entities() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let sent = ok(
        &telegram,
        "sendMessage",
        json!({ "chat_id": alice.chat_id(),
                "text": "<b>New report:</b> salary &lt; minimum &amp; no contract",
                "parse_mode": "HTML" }),
    )
    .await;
    assert_eq!(sent["text"], "New report: salary < minimum & no contract");
    assert_eq!(
        sent["entities"],
        json!([{ "type": "bold", "offset": 0, "length": 11 }])
    );
    let recorded = &telegram.sent_messages(alice.chat_id())[0];
    assert_eq!(recorded.parse_mode.as_deref(), Some("HTML"));
    assert_eq!(recorded.entities[0].kind, "bold");
}

#[tokio::test]
async fn markdown_v2_requires_escaping_reserved_characters() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": alice.chat_id(), "text": "Thank you. We got it!", "parse_mode": "MarkdownV2" }),
            400
        )
        .await,
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"
    );
    let sent = ok(
        &telegram,
        "sendMessage",
        json!({ "chat_id": alice.chat_id(), "text": "*Thank you\\.* We got it\\!", "parse_mode": "MarkdownV2" }),
    )
    .await;
    assert_eq!(sent["text"], "Thank you. We got it!");
    assert_eq!(sent["entities"][0]["type"], "bold");
}

#[tokio::test]
async fn entity_offsets_count_utf16_units() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let sent = ok(
        &telegram,
        "sendMessage",
        json!({ "chat_id": alice.chat_id(), "text": "😀 <i>ok</i>", "parse_mode": "html" }),
    )
    .await;
    assert_eq!(
        sent["entities"],
        json!([{ "type": "italic", "offset": 3, "length": 2 }])
    );
}

#[tokio::test]
async fn explicit_entities_are_kept_without_parse_mode() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let sent = ok(
        &telegram,
        "sendMessage",
        json!({ "chat_id": alice.chat_id(), "text": "bold text",
                "entities": [{ "type": "bold", "offset": 0, "length": 4 }] }),
    )
    .await;
    assert_eq!(
        sent["entities"],
        json!([{ "type": "bold", "offset": 0, "length": 4 }])
    );
}
