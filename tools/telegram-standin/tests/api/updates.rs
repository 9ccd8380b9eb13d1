//! getUpdates: confirmation by offset, long polling, conflicts, allowed_updates, expiry and the
//! real server's throttling of repeated polls.

use std::time::{Duration, Instant};

use serde_json::json;
use teloxide::payloads::{GetUpdatesSetters, SendMessageSetters};
use teloxide::prelude::Requester;
use teloxide::types::{AllowedUpdate, UpdateKind};
use teloxide::{ApiError, RequestError};

use super::common::{WAIT, alice, bob, bot, chat, ok, start, start_with, updates};

fn texts(updates: &[teloxide::types::Update]) -> Vec<String> {
    updates
        .iter()
        .filter_map(|update| match &update.kind {
            UpdateKind::Message(message) => message.text().map(str::to_owned),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn updates_stay_until_confirmed_by_offset() {
    let telegram = start().await;
    let alice = alice();
    for text in ["one", "two", "three"] {
        telegram.inject_text(&alice, text).expect("send");
    }
    let first = updates(&telegram, 0).await;
    assert_eq!(texts(&first), ["one", "two", "three"]);
    assert_eq!(
        texts(&updates(&telegram, 0).await),
        ["one", "two", "three"],
        "unconfirmed updates come again"
    );
    assert_eq!(telegram.pending_update_count(), 3);
    assert_eq!(telegram.confirmed_offset(), None);

    let last = first[2].id.0;
    assert_eq!(texts(&updates(&telegram, i64::from(last)).await), ["three"]);
    assert_eq!(telegram.pending_update_count(), 1);
    assert_eq!(telegram.confirmed_offset(), Some(last));
    assert_eq!(
        texts(&updates(&telegram, 0).await),
        ["three"],
        "confirmed ones are gone"
    );

    assert!(updates(&telegram, i64::from(last) + 1).await.is_empty());
    assert_eq!(telegram.pending_update_count(), 0);
    assert_eq!(telegram.confirmed_offset(), Some(last + 1));
}

#[tokio::test]
async fn negative_offset_keeps_only_the_newest() {
    let telegram = start().await;
    let alice = alice();
    for text in ["a", "b", "c", "d"] {
        telegram.inject_text(&alice, text).expect("send");
    }
    assert_eq!(texts(&updates(&telegram, -1).await), ["d"]);
    assert_eq!(
        telegram.pending_update_count(),
        1,
        "the others are forgotten"
    );
}

#[tokio::test]
async fn limit_is_applied_and_ids_increase() {
    let telegram = start_with(|options| {
        options.throttle_repeated_polls = false;
        options.first_update_id = Some(1000);
    })
    .await;
    let alice = alice();
    for text in ["a", "b", "c"] {
        telegram.inject_text(&alice, text).expect("send");
    }
    let result = ok(&telegram, "getUpdates", json!({ "limit": 2 })).await;
    let ids: Vec<u64> = result
        .as_array()
        .expect("array")
        .iter()
        .map(|update| update["update_id"].as_u64().expect("id"))
        .collect();
    assert_eq!(ids, [1000, 1001]);
}

#[tokio::test]
async fn an_offset_far_in_the_future_is_ignored_like_on_the_real_server() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "kept").expect("send");
    let next = telegram.queue_status().next_update_id;
    assert_eq!(
        texts(&updates(&telegram, i64::from(next) + 1000).await),
        ["kept"],
        "an offset far past the queue confirms nothing"
    );
    assert!(updates(&telegram, i64::from(next)).await.is_empty());
    assert_eq!(telegram.pending_update_count(), 0);
}

#[tokio::test]
async fn a_long_poll_wakes_up_when_an_update_arrives() {
    let telegram = start().await;
    let bot = bot(&telegram);
    let poll = tokio::spawn({
        let bot = bot.clone();
        async move {
            let started = Instant::now();
            let result = bot.get_updates().timeout(10).await;
            (result, started.elapsed())
        }
    });
    // Wait until the poll is waiting, then write.
    telegram
        .wait_for_calls(WAIT, |calls| {
            calls.iter().any(|call| call.method == "getUpdates")
        })
        .await
        .expect("the poll arrives");
    tokio::time::sleep(Duration::from_millis(300)).await;
    telegram.inject_text(&alice(), "wake up").expect("send");
    let (result, elapsed) = poll.await.expect("poll task");
    let updates = result.expect("getUpdates");
    assert_eq!(texts(&updates), ["wake up"]);
    assert!(
        elapsed >= Duration::from_millis(300),
        "it waited: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(3),
        "it woke up at once: {elapsed:?}"
    );
}

#[tokio::test]
async fn a_long_poll_without_updates_ends_after_its_timeout() {
    let telegram = start().await;
    let started = Instant::now();
    let updates = bot(&telegram)
        .get_updates()
        .timeout(1)
        .await
        .expect("getUpdates");
    let elapsed = started.elapsed();
    assert!(updates.is_empty());
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn a_second_poll_terminates_the_first_with_409() {
    let telegram = start().await;
    let bot = bot(&telegram);
    let first = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(20).await }
    });
    telegram
        .wait_for_calls(WAIT, |calls| {
            calls.iter().any(|call| call.method == "getUpdates")
        })
        .await
        .expect("the first poll arrives");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(1).await }
    });
    let error = tokio::time::timeout(WAIT, first)
        .await
        .expect("the first poll ends at once")
        .expect("poll task")
        .expect_err("terminated");
    assert!(
        matches!(
            error,
            RequestError::Api(ApiError::TerminatedByOtherGetUpdates)
        ),
        "{error:?}"
    );
    let second = second
        .await
        .expect("poll task")
        .expect("the newer poll works");
    assert!(second.is_empty());
    let outcomes: Vec<u16> = telegram
        .calls_of("getUpdates")
        .iter()
        .filter_map(|call| call.outcome.as_ref().map(|outcome| outcome.status))
        .collect();
    assert_eq!(outcomes, [409, 200]);
}

#[tokio::test]
async fn allowed_updates_filter_new_updates_and_persist() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "/start").expect("send");
    let bot = bot(&telegram);
    let sent = bot
        .send_message(chat(&alice), "Choose")
        .reply_markup(teloxide::types::InlineKeyboardMarkup::new([[
            teloxide::types::InlineKeyboardButton::callback("A", "a"),
        ]]))
        .await
        .expect("sendMessage");

    let first = bot
        .get_updates()
        .allowed_updates([AllowedUpdate::Message])
        .await
        .expect("getUpdates");
    assert_eq!(
        texts(&first),
        ["/start"],
        "updates from before the call still come"
    );
    let offset = first[0].id.as_offset();

    telegram
        .press_button(&alice, sent.id.0, "a")
        .expect("press still works on the phone");
    telegram.inject_text(&alice, "after").expect("send");
    assert_eq!(
        telegram
            .inject_raw_update(json!({ "message_reaction": {} }))
            .expect("valid"),
        None,
        "kinds outside allowed_updates are never created"
    );
    // No allowed_updates this time: the previous setting stays.
    let next = bot.get_updates().offset(offset).await.expect("getUpdates");
    assert_eq!(texts(&next), ["after"]);
    assert_eq!(next.len(), 1, "the callback query was not created");
    assert_eq!(
        telegram.queue_status().allowed_updates,
        Some(vec!["message".to_owned()])
    );

    // An empty list restores the default set, which includes callback queries but not
    // reactions.
    bot.get_updates()
        .offset(next[0].id.as_offset())
        .allowed_updates(Vec::<AllowedUpdate>::new())
        .await
        .expect("getUpdates");
    assert!(telegram.press_button(&alice, sent.id.0, "a").is_ok());
    assert_eq!(telegram.pending_update_count(), 1);
    assert_eq!(
        telegram
            .inject_raw_update(json!({ "message_reaction": {} }))
            .expect("valid"),
        None
    );
}

#[tokio::test]
async fn unfetched_callback_queries_expire_after_150_seconds() {
    let telegram = start().await;
    let alice = alice();
    telegram.inject_text(&alice, "/start").expect("send");
    let sent = ok(
        &telegram,
        "sendMessage",
        json!({
            "chat_id": alice.chat_id(),
            "text": "Choose",
            "reply_markup": { "inline_keyboard": [[{ "text": "A", "callback_data": "a" }]] }
        }),
    )
    .await;
    let message_id = i32::try_from(sent["message_id"].as_i64().expect("id")).expect("i32");
    telegram
        .press_button(&alice, message_id, "a")
        .expect("press");
    assert_eq!(telegram.pending_update_count(), 2);
    telegram.advance_clock(Duration::from_secs(151));
    assert_eq!(
        telegram.pending_update_count(),
        1,
        "the message update lives 24 hours"
    );
    let left = updates(&telegram, 0).await;
    assert_eq!(texts(&left), ["/start"]);
}

#[tokio::test]
async fn deleting_the_webhook_can_drop_pending_updates() {
    let telegram = start().await;
    telegram.inject_text(&bob(), "old").expect("send");
    ok(
        &telegram,
        "deleteWebhook",
        json!({ "drop_pending_updates": false }),
    )
    .await;
    assert_eq!(telegram.pending_update_count(), 1);
    ok(
        &telegram,
        "deleteWebhook",
        json!({ "drop_pending_updates": true }),
    )
    .await;
    assert_eq!(telegram.pending_update_count(), 0);
    let info = ok(&telegram, "getWebhookInfo", json!({})).await;
    let info: teloxide::types::WebhookInfo =
        serde_json::from_value(info).expect("parses as WebhookInfo");
    assert_eq!(info.url, None);
    assert_eq!(info.pending_update_count, 0);
}

#[tokio::test]
async fn repeated_polls_are_throttled_like_on_the_real_server() {
    // Faithful defaults: throttling on.
    let telegram = start_with(|_| {}).await;
    let alice = alice();
    for text in ["a", "b", "c"] {
        telegram.inject_text(&alice, text).expect("send");
    }
    assert_eq!(texts(&updates(&telegram, 0).await).len(), 3);
    // Same offset again within half a second: at most one update.
    assert_eq!(texts(&updates(&telegram, 0).await), ["a"]);

    // Same offset within 3 seconds and nothing to fetch: waits 3 seconds despite timeout=0.
    let offset = i64::from(telegram.queue_status().next_update_id);
    assert!(updates(&telegram, offset).await.is_empty());
    let started = Instant::now();
    assert!(updates(&telegram, offset).await.is_empty());
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(2500), "{elapsed:?}");
}
