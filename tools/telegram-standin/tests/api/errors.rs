//! Error answers and request shapes: exact JSON of 401/404/429, GET and form requests,
//! method-name case, flood control with retry_after, and the call log that shows retries.

use std::time::Duration;

use serde_json::{Value, json};
use teloxide::RequestError;
use teloxide::prelude::Requester;
use teloxide::types::Seconds;

use super::common::{TOKEN, alice, bot, call, call_with_token, chat, error, ok, start};

#[tokio::test]
async fn a_wrong_token_is_unauthorized() {
    let telegram = start().await;
    let (status, body) = call_with_token(&telegram, "123456:wrong", "getMe", json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 401, "description": "Unauthorized" })
    );
    let calls = telegram.calls();
    assert_eq!(calls[0].method, "getMe");
    assert_eq!(
        calls[0].outcome.as_ref().map(|outcome| outcome.status),
        Some(401)
    );
}

#[tokio::test]
async fn unknown_methods_and_paths_are_not_found() {
    let telegram = start().await;
    let (status, body) = call(&telegram, "sendTelepathy", json!({})).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 404, "description": "Not Found" })
    );
    let response = reqwest::get(format!("{}elsewhere", telegram.api_url()))
        .await
        .expect("answer");
    assert_eq!(response.status().as_u16(), 404);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["description"], "Not Found");
}

#[tokio::test]
async fn get_requests_forms_and_any_method_case_work() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let client = reqwest::Client::new();
    let base = format!("{}bot{TOKEN}", telegram.api_url());

    let markup = r#"{"inline_keyboard":[[{"text":"Go","callback_data":"go"}]]}"#;
    let by_get: Value = client
        .get(format!("{base}/SENDMESSAGE"))
        .query(&[
            ("chat_id", alice.chat_id().to_string().as_str()),
            ("text", "via GET"),
            ("reply_markup", markup),
        ])
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(by_get["ok"], true, "{by_get}");
    assert_eq!(
        by_get["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "go"
    );

    let by_form: Value = client
        .post(format!("{base}/sendmessage"))
        .form(&[
            ("chat_id", alice.chat_id().to_string().as_str()),
            ("text", "via form"),
        ])
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(by_form["result"]["text"], "via form", "{by_form}");

    let methods: Vec<String> = telegram
        .calls()
        .iter()
        .map(|call| call.method.clone())
        .collect();
    assert_eq!(
        methods,
        ["sendMessage", "sendMessage"],
        "logged in Telegram's spelling"
    );
}

#[tokio::test]
async fn bad_parameters_get_telegram_descriptions() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let chat_id = alice.chat_id();
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": chat_id, "text": "x", "reply_markup": "{" }),
            400
        )
        .await,
        "Bad Request: can't parse reply keyboard markup JSON object"
    );
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": chat_id, "text": "x",
                    "reply_markup": { "inline_keyboard": [[{ "text": "t", "callback_data": "d".repeat(65) }]] } }),
            400
        )
        .await,
        "Bad Request: BUTTON_DATA_INVALID"
    );
    assert_eq!(
        error(
            &telegram,
            "sendMessage",
            json!({ "chat_id": chat_id, "text": "x", "parse_mode": "bbcode" }),
            400
        )
        .await,
        "Bad Request: unsupported parse_mode"
    );
    assert_eq!(
        error(
            &telegram,
            "answerCallbackQuery",
            json!({ "callback_query_id": "12345" }),
            400
        )
        .await,
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    );
    // Telegram writes "query ID"; teloxide 0.17 only knows "query id", so a bot sees this as
    // ApiError::Unknown, not ApiError::InvalidQueryId (as it will against real Telegram).
    let err = bot(&telegram)
        .answer_callback_query(teloxide::types::CallbackQueryId("12345".to_owned()))
        .await
        .expect_err("unknown query");
    assert!(
        matches!(&err, RequestError::Api(teloxide::ApiError::Unknown(text)) if text.contains("query ID is invalid")),
        "{err:?}"
    );
    let (status, body) = call(
        &telegram,
        "setWebhook",
        json!({ "url": "https://example.org" }),
    )
    .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn callback_queries_can_be_answered_once() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    let sent = ok(
        &telegram,
        "sendMessage",
        json!({ "chat_id": alice.chat_id(), "text": "x",
                "reply_markup": { "inline_keyboard": [[{ "text": "A", "callback_data": "a" }]] } }),
    )
    .await;
    let message_id = i32::try_from(sent["message_id"].as_i64().expect("id")).expect("i32");
    let query = telegram
        .press_button(&alice, message_id, "a")
        .expect("press");
    ok(
        &telegram,
        "answerCallbackQuery",
        json!({ "callback_query_id": query, "text": "Saved", "show_alert": true }),
    )
    .await;
    let answer = telegram
        .wait_for_callback_answer(&query, Duration::from_secs(1))
        .await
        .expect("answered");
    assert_eq!(answer.text.as_deref(), Some("Saved"));
    assert!(answer.show_alert);
    assert_eq!(
        error(
            &telegram,
            "answerCallbackQuery",
            json!({ "callback_query_id": query }),
            400
        )
        .await,
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    );
}

#[tokio::test]
async fn flood_control_answers_429_with_retry_after() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    telegram.rate_limit_next(1, 7);
    let (status, body) = call(
        &telegram,
        "sendMessage",
        json!({ "chat_id": alice.chat_id(), "text": "x" }),
    )
    .await;
    assert_eq!(status, 429);
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 429, "description": "Too Many Requests: retry after 7",
                "parameters": { "retry_after": 7 } })
    );
    ok(
        &telegram,
        "sendMessage",
        json!({ "chat_id": alice.chat_id(), "text": "x" }),
    )
    .await;

    // Per method, and parsed by teloxide as RetryAfter.
    telegram.rate_limit_method("sendMessage", 1, 2);
    let bot = bot(&telegram);
    bot.get_me().await.expect("other methods are not limited");
    let err = bot
        .send_message(chat(&alice), "x")
        .await
        .expect_err("limited");
    assert!(
        matches!(err, RequestError::RetryAfter(seconds) if seconds == Seconds::from_seconds(2)),
        "{err:?}"
    );

    telegram.rate_limit_next(1, 3);
    let response = reqwest::Client::new()
        .post(format!("{}bot{TOKEN}/getMe", telegram.api_url()))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("3")
    );
}

/// What a test of the bot's retry logic looks like: the call log shows that the retry came
/// only after retry_after.
#[tokio::test]
async fn the_call_log_shows_how_long_a_bot_waited_before_retrying() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "hi").expect("send");
    telegram.rate_limit_method("sendMessage", 1, 1);
    let bot = bot(&telegram);
    // A well-behaved sender: on RetryAfter, wait and send again.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match bot.send_message(chat(&alice), "reply").await {
            Ok(_) => break,
            Err(RequestError::RetryAfter(wait)) => tokio::time::sleep(wait.duration()).await,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(attempts, 2);
    let sends = telegram.calls_of("sendMessage");
    let statuses: Vec<u16> = sends
        .iter()
        .filter_map(|call| call.outcome.as_ref().map(|outcome| outcome.status))
        .collect();
    assert_eq!(statuses, [429, 200]);
    let waited = sends[1].received_at.duration_since(sends[0].received_at);
    assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
    assert_eq!(
        sends[1].params.get("text").map(String::as_str),
        Some("reply")
    );
}
