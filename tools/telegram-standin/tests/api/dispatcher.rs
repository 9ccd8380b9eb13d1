//! A complete teloxide bot (Dispatcher with long polling) against the stand-in with faithful
//! defaults: it receives messages and button presses, answers, and confirms every update on
//! shutdown, exactly as it would against Telegram.

use std::time::Duration;

use teloxide::Bot;
use teloxide::dispatching::{Dispatcher, UpdateFilterExt};
use teloxide::dptree;
use teloxide::payloads::{AnswerCallbackQuerySetters, SendMessageSetters};
use teloxide::prelude::{Requester, ResponseResult};
use teloxide::types::{CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update};

use super::common::{WAIT, alice, bob, bot, start_with};

async fn on_message(bot: Bot, message: Message) -> ResponseResult<()> {
    let text = message.text().unwrap_or("(no text)");
    bot.send_message(message.chat.id, format!("echo: {text}"))
        .reply_markup(InlineKeyboardMarkup::new([[
            InlineKeyboardButton::callback("Ack", "ack"),
        ]]))
        .await?;
    Ok(())
}

async fn on_button(bot: Bot, query: CallbackQuery) -> ResponseResult<()> {
    let data = query.data.clone().unwrap_or_default();
    bot.answer_callback_query(query.id)
        .text(format!("got {data}"))
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_teloxide_dispatcher_works_against_the_stand_in() {
    let telegram = start_with(|_| {}).await;
    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_button));
    let mut dispatcher = Dispatcher::builder(bot(&telegram), handler).build();
    let shutdown = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    let (alice, bob) = (alice(), bob());
    telegram.inject_text(&alice, "hello").expect("send");
    telegram.inject_text(&bob, "hi there").expect("send");
    let to_alice = telegram
        .wait_for_sent_count(alice.chat_id(), 1, WAIT)
        .await
        .expect("the bot answers Alice");
    assert_eq!(to_alice[0].text, "echo: hello");
    let to_bob = telegram
        .wait_for_sent(bob.chat_id(), WAIT, |sent| {
            sent.iter().any(|message| message.text == "echo: hi there")
        })
        .await
        .expect("the bot answers Bob");
    assert_eq!(to_bob.len(), 1);

    let data = to_alice[0].button_data("Ack").expect("a real button");
    let query = telegram
        .press_button(&alice, to_alice[0].message_id, data)
        .expect("press");
    let answer = telegram
        .wait_for_callback_answer(&query, WAIT)
        .await
        .expect("the bot answers the press");
    assert_eq!(answer.text.as_deref(), Some("got ack"));

    let allowed = telegram.queue_status().allowed_updates.unwrap_or_default();
    assert!(allowed.contains(&"message".to_owned()), "{allowed:?}");
    assert!(
        allowed.contains(&"callback_query".to_owned()),
        "{allowed:?}"
    );

    let stopping = shutdown.shutdown().expect("the dispatcher is running");
    tokio::time::timeout(Duration::from_secs(15), stopping)
        .await
        .expect("the dispatcher stops");
    running.await.expect("dispatcher task");
    assert_eq!(
        telegram.pending_update_count(),
        0,
        "teloxide confirmed every update it handled"
    );
}
