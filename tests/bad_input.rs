//! Bad and unexpected input gets a sensible answer and never stops the bot.

use std::time::Duration;

use serde_json::json;

use crate::util::world::{WAIT, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn strange_input_gets_an_answer_and_the_bot_keeps_running() {
    let mut world = World::start().await;
    let eva = world.employee(900_004, "Eva", "eva_b");

    // A message before /start opens the welcome instead of an error.
    eva.say("hallo, is hier iemand?");
    eva.wait_for("Welkom.").await;

    // An update kind the bot does not know is confirmed and ignored.
    let unknown = world
        .standin
        .inject_raw_update(json!({"some_future_update": {"chat": {"id": eva.chat_id()}}}))
        .expect("injected")
        .expect("not filtered");
    eva.say("/help");
    eva.wait_for("Opdrachten:").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while world
        .standin
        .confirmed_offset()
        .is_none_or(|offset| offset <= unknown)
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the unknown update was never confirmed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A sticker: something it cannot pass on.
    let sticker = json!({"sticker": {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false}});
    world
        .standin
        .inject_message(&eva.user, sticker)
        .expect("sticker sent");
    eva.wait_for("Dit soort bericht kan ik (nog) niet doorgeven")
        .await;

    // A button of a question already answered.
    eva.press("Verder").await;
    eva.wait_for("Eerst dit").await;
    let old = eva
        .received()
        .into_iter()
        .find(|m| m.text.starts_with("Welkom."))
        .expect("welcome");
    let data = old
        .button_data("Verder")
        .map(str::to_owned)
        .unwrap_or_else(|| "welcome:continue".into());
    let query = world
        .standin
        .press_button(&eva.user, old.message_id, &data)
        .expect("pressed");
    let answer = world
        .standin
        .wait_for_callback_answer(&query, WAIT)
        .await
        .expect("answered");
    assert_eq!(
        answer.text.as_deref(),
        Some("Deze knop hoort bij een eerdere vraag.")
    );

    // Over-long text: refused with the limit, not kept.
    eva.press("Nee").await;
    eva.wait_for("Waar gaat het over?").await;
    eva.press("Pesten").await;
    eva.skip_questions().await;
    eva.wait_for("in uw eigen woorden").await;
    eva.say(&"lang ".repeat(810));
    eva.wait_for("Dit bericht is te lang (4049 tekens; het maximum is 4000)")
        .await;

    // A typo in a command.
    eva.say("/stauts");
    eva.wait_for("Bedoelde u /status?").await;

    // A restart in the middle of the intake carries on where it was.
    world.bot.restart();
    world.bot.wait_until_running().await;
    eva.say("Dit is mijn verhaal.");
    eva.finish_story().await;
    let summary = eva.wait_for("Dit is wat u hebt verteld").await;
    assert!(
        summary.text.contains("Onderwerp: Pesten") && summary.text.contains("Dit is mijn verhaal."),
        "{}",
        summary.text
    );
    assert!(
        !summary.text.contains("lang lang"),
        "the over-long message was not kept"
    );

    // Telegram says "too many requests": the bot waits as told and still delivers.
    world.standin.rate_limit_method("sendMessage", 2, 1);
    eva.press("Ja, versturen").await;
    eva.wait_for("Uw meldingscode is").await;
    // The message can show in the chat a moment before its call's outcome is logged.
    let status = |c: &telegram_standin::ApiCall| c.outcome.as_ref().map(|o| o.status);
    let refused_then_sent = |calls: &[telegram_standin::ApiCall]| {
        let sends: Vec<_> = calls.iter().filter(|c| c.method == "sendMessage").collect();
        let last_refusal = sends.iter().rposition(|c| status(c) == Some(429))?;
        sends[last_refusal..]
            .iter()
            .find(|c| status(c) == Some(200))
            .map(|ok| (sends[last_refusal].received_at, ok.received_at))
    };
    let calls = world
        .standin
        .wait_for_calls(WAIT, |calls| refused_then_sent(calls).is_some())
        .await
        .expect("a send after the 429s");
    let limited = calls
        .iter()
        .filter(|c| c.method == "sendMessage" && status(c) == Some(429))
        .count();
    assert_eq!(limited, 2, "both 429s were hit");
    let (refused_at, sent_at) = refused_then_sent(&calls).expect("found");
    assert!(
        sent_at - refused_at >= Duration::from_millis(900),
        "retry_after was honoured"
    );
}
