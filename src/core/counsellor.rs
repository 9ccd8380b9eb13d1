//! Messages a counsellor writes in a case room: `!commands` are answered in the room and
//! never relayed; anything else goes to the reporter and counts as contact.

use super::Core;
use super::case::{Case, Status};
use super::io::{Author, Effects, RoomPostKind};
use super::text_keys as keys;
use super::time::Timestamp;
use super::turn::Turn;
use crate::i18n::Args;

pub fn handle(
    core: &Core,
    now: Timestamp,
    case: Option<Case>,
    sender: String,
    text: String,
) -> Effects {
    // A room whose case is gone (erased) has nothing to relay to; say nothing.
    let Some(case) = case else {
        return Effects::default();
    };
    let to = case.reporters.first().cloned();
    let Some(to) = to else {
        return Effects::default();
    };
    let mut turn = Turn::new(core, now, case, to);
    let Some(counsellor) = core.settings.roster.find(&sender).cloned() else {
        let notice = turn.room_text(keys::ROOM_NOT_A_COUNSELLOR, &Args::new());
        turn.room(notice, RoomPostKind::Notice, vec![sender]);
        return turn.finish();
    };
    if let Some(command) = text.trim_start().strip_prefix('!') {
        run_command(&mut turn, command);
        return turn.finish();
    }
    if turn.case.status == Status::Intake {
        return turn.finish();
    }
    turn.record(Author::Counsellor(sender), text.clone());
    if turn.case.first_contact_at.is_none() {
        turn.case.first_contact_at = Some(now);
    }
    let relayed = turn.text(
        keys::REPORTER_COUNSELLOR_SAYS,
        &Args::new()
            .text("name", counsellor.first_name)
            .text("text", text),
    );
    turn.tell_all_reporters(&relayed);
    turn.finish()
}

fn run_command(turn: &mut Turn<'_>, command: &str) {
    let name = command
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let key = match name.as_str() {
        "help" => keys::ROOM_HELP,
        _ => keys::ROOM_UNKNOWN_COMMAND,
    };
    let notice = turn.room_text(key, &Args::new().text("command", format!("!{name}")));
    turn.room(notice, RoomPostKind::Notice, Vec::new());
}

/// Tells the case room that a message did not reach the reporter.
pub fn undeliverable(core: &Core, now: Timestamp, case: Option<Case>) -> Effects {
    let Some(case) = case.filter(|c| c.status != Status::Intake) else {
        return Effects::default();
    };
    let Some(to) = case.reporters.first().cloned() else {
        return Effects::default();
    };
    let mut turn = Turn::new(core, now, case, to);
    let notice = turn.room_text(keys::ROOM_UNDELIVERABLE, &Args::new());
    turn.record(Author::Bot, notice.clone());
    let mentions = turn.case.counsellor.iter().cloned().collect();
    turn.room(notice, RoomPostKind::Notice, mentions);
    turn.finish()
}
