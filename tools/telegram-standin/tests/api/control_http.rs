//! The `/control` HTTP API (used by the phone page and by bots in other processes) and the
//! phone page itself.

use serde_json::{Value, json};

use super::common::{alice, ok, start};

async fn control_get(base: &str, path: &str) -> (u16, Value) {
    let response = reqwest::get(format!("{base}control/{path}"))
        .await
        .expect("answer");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

async fn control_post(base: &str, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}control/{path}"))
        .json(&body)
        .send()
        .await
        .expect("answer");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

#[tokio::test]
async fn an_employee_can_chat_through_the_control_api() {
    let telegram = start().await;
    let base = telegram.api_url();
    let alice = alice();

    let (status, _) = control_post(
        &base,
        "register_user",
        serde_json::to_value(&alice).expect("json"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, sent) = control_post(
        &base,
        "inject_text",
        json!({ "user_id": alice.id, "text": "/start" }),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["message_id"], 1);

    // The bot (here: raw calls) answers with a button.
    let reply = ok(
        &telegram,
        "sendMessage",
        json!({ "chat_id": alice.chat_id(), "text": "Welcome",
                "reply_markup": { "inline_keyboard": [[{ "text": "Report", "callback_data": "report" }]] } }),
    )
    .await;
    let (status, waited) = control_get(
        &base,
        &format!("wait_for_sent/{}?count=1&timeout_ms=2000", alice.chat_id()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(waited[0]["text"], "Welcome");
    assert_eq!(waited[0]["keyboard"][0][0]["callback_data"], "report");
    let (_, buttons) = control_get(
        &base,
        &format!("buttons/{}/{}", alice.chat_id(), reply["message_id"]),
    )
    .await;
    assert_eq!(buttons[0][0]["text"], "Report");

    let (status, pressed) = control_post(
        &base,
        "press_button",
        json!({ "user_id": alice.id, "message_id": reply["message_id"], "callback_data": "report" }),
    )
    .await;
    assert_eq!(status, 200, "{pressed}");
    let query_id = pressed["callback_query_id"]
        .as_str()
        .expect("id")
        .to_owned();
    ok(
        &telegram,
        "answerCallbackQuery",
        json!({ "callback_query_id": query_id, "text": "OK" }),
    )
    .await;
    let (_, answers) = control_get(&base, "callback_answers").await;
    assert_eq!(answers[0]["text"], "OK");

    let (_, history) = control_get(&base, &format!("chat_history/{}", alice.chat_id())).await;
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    let (_, queue) = control_get(&base, "queue").await;
    assert_eq!(queue["pending_update_count"], 2);
    let (_, calls) = control_get(&base, "calls").await;
    assert_eq!(calls[0]["method"], "sendMessage");
    let (_, overview) = control_get(&base, "overview").await;
    assert_eq!(overview["bot"]["username"], "confidant_standin_bot");
    assert_eq!(overview["chats"][0]["chat_id"], alice.chat_id());
}

#[tokio::test]
async fn control_errors_are_json_with_a_reason() {
    let telegram = start().await;
    let base = telegram.api_url();
    let (status, body) = control_post(
        &base,
        "press_button",
        json!({ "user_id": 7, "message_id": 1, "callback_data": "x" }),
    )
    .await;
    assert_eq!(status, 404);
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|error| error.contains("no employee")),
        "{body}"
    );
    let (status, body) = control_post(
        &base,
        "inject_text",
        json!({ "user": { "id": 9, "first_name": "Eve" }, "text": "   " }),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"].is_string());
    let (status, _) = control_get(&base, "wait_for_sent/9?count=1&timeout_ms=100").await;
    assert_eq!(status, 408);
    let (status, body) = control_post(
        &base,
        "inject_raw_update",
        json!({ "poll": {}, "extra": {} }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = control_post(
        &base,
        "rate_limit_next",
        json!({ "count": 1, "retry_after": 5, "method": "sendMessage" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_phone_page_is_self_contained() {
    let telegram = start().await;
    let response = reqwest::get(telegram.phone_url()).await.expect("answer");
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let page = response.text().await.expect("text");
    assert!(page.contains("/control/"));
    for external in ["src=\"http", "href=\"http", "@import", "cdn"] {
        assert!(
            !page.contains(external),
            "the page must work offline: found {external}"
        );
    }
}

#[tokio::test]
async fn changes_long_poll_wakes_on_activity() {
    let telegram = start().await;
    let base = telegram.api_url();
    let (_, first) = control_get(&base, "changes?since=999999&timeout_ms=10").await;
    let version = first["version"].as_u64().expect("version");
    let waiter = tokio::spawn({
        let base = base.clone();
        async move { control_get(&base, &format!("changes?since={version}&timeout_ms=5000")).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    telegram.inject_text(&alice(), "hi").expect("send");
    let (_, changed) = tokio::time::timeout(std::time::Duration::from_secs(2), waiter)
        .await
        .expect("woke before its timeout")
        .expect("task");
    assert_ne!(changed["version"].as_u64(), Some(version));
}
