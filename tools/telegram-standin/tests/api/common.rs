//! Helpers shared by the stand-in tests: starting a stand-in, a teloxide bot pointed at it,
//! employees, and raw HTTP calls.

use std::time::Duration;

use serde_json::Value;
use telegram_standin::{StandinHandle, StandinOptions, TestUser};
use teloxide::Bot;
use teloxide::types::{ChatId, Update};

pub const TOKEN: &str = "123456:AAE-stand-in-test-token";
pub const WAIT: Duration = Duration::from_secs(5);

/// A stand-in with faithful defaults, except that repeated getUpdates calls are not throttled
/// (tests poll in quick succession; the throttling has its own test).
pub async fn start() -> StandinHandle {
    start_with(|options| options.throttle_repeated_polls = false).await
}

pub async fn start_with(configure: impl FnOnce(&mut StandinOptions)) -> StandinHandle {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port");
    let mut options = StandinOptions::new(TOKEN);
    configure(&mut options);
    telegram_standin::serve_with(listener, options)
        .await
        .expect("start the stand-in")
}

pub fn bot(telegram: &StandinHandle) -> Bot {
    let url = reqwest::Url::parse(&telegram.api_url()).expect("valid URL");
    Bot::new(TOKEN).set_api_url(url)
}

pub fn alice() -> TestUser {
    TestUser::new(5_000_001, "Alice")
        .with_username("alice_k")
        .with_language("de")
}

pub fn bob() -> TestUser {
    TestUser::new(5_000_002, "Bob").with_last_name("Brown")
}

pub fn chat(user: &TestUser) -> ChatId {
    ChatId(user.chat_id())
}

/// Calls a Bot API method with a JSON body; returns the HTTP status and the JSON answer.
pub async fn call(telegram: &StandinHandle, method: &str, body: Value) -> (u16, Value) {
    call_with_token(telegram, TOKEN, method, body).await
}

pub async fn call_with_token(
    telegram: &StandinHandle,
    token: &str,
    method: &str,
    body: Value,
) -> (u16, Value) {
    let url = format!("{}bot{token}/{method}", telegram.api_url());
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("the stand-in answers");
    let status = response.status().as_u16();
    let json = response.json().await.expect("a JSON answer");
    (status, json)
}

/// The `result` of a successful raw call; fails the test on an error answer.
pub async fn ok(telegram: &StandinHandle, method: &str, body: Value) -> Value {
    let (status, answer) = call(telegram, method, body).await;
    assert_eq!(status, 200, "{method} failed: {answer}");
    assert_eq!(answer["ok"], true);
    answer["result"].clone()
}

/// The `description` of a failed raw call, checking the status and the envelope.
pub async fn error(telegram: &StandinHandle, method: &str, body: Value, status: u16) -> String {
    let (got, answer) = call(telegram, method, body).await;
    assert_eq!(got, status, "unexpected answer to {method}: {answer}");
    assert_eq!(answer["ok"], false);
    assert_eq!(answer["error_code"], status);
    answer["description"]
        .as_str()
        .expect("a description")
        .to_owned()
}

/// Short-polls getUpdates and parses the result with teloxide's types.
pub async fn updates(telegram: &StandinHandle, offset: i64) -> Vec<Update> {
    let result = ok(
        telegram,
        "getUpdates",
        serde_json::json!({ "offset": offset, "timeout": 0 }),
    )
    .await;
    // Parse from text, as teloxide does: its Update deserializer loses fields when fed a
    // `serde_json::Value` (it asks for borrowed keys first).
    serde_json::from_str(&result.to_string()).expect("updates parse with teloxide's types")
}
