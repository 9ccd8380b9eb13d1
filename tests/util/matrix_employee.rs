//! An employee with their own Matrix account, in a direct chat with the bot: the
//! intake answered with words, as a person types them.

use matrix_sdk::ruma::{RoomId, UserId};

use super::counsellor::MatrixPeer;
use super::employee::SKIPPED_QUESTIONS;
use super::world::WAIT;

/// Waits until the bot has said something containing `needle` in the chat.
pub async fn bot_says(peer: &MatrixPeer, room: &RoomId, bot: &UserId, needle: &str) {
    peer.wait_for_message(
        room,
        |e| {
            e.sender.as_deref() == Some(bot)
                && e.body.as_deref().is_some_and(|b| b.contains(needle))
        },
        WAIT,
    )
    .await;
}

/// Runs the Dutch intake in the direct chat `dm` to the end: no danger, bullying, every
/// other question skipped, `story`, a tally only, sent.
pub async fn report_from_matrix(peer: &MatrixPeer, dm: &RoomId, bot: &UserId, story: &str) {
    peer.send_text(dm, "hallo").await;
    bot_says(peer, dm, bot, "1. Verder").await;
    peer.send_text(dm, "1").await;
    bot_says(peer, dm, bot, "Eerst dit").await;
    peer.send_text(dm, "nee").await;
    bot_says(peer, dm, bot, "Waar gaat het over?").await;
    peer.send_text(dm, "Pesten").await;
    for question in SKIPPED_QUESTIONS {
        bot_says(peer, dm, bot, question).await;
        peer.send_text(dm, "Overslaan").await;
    }
    bot_says(peer, dm, bot, "in uw eigen woorden").await;
    peer.send_text(dm, story).await;
    peer.send_text(dm, "/done").await;
    bot_says(peer, dm, bot, "dossier over uw melding").await;
    peer.send_text(dm, "Nee, alleen tellen").await;
    bot_says(peer, dm, bot, "Dit is wat u hebt verteld").await;
    peer.send_text(dm, "Ja, versturen").await;
    bot_says(peer, dm, bot, "Uw meldingscode is").await;
}
