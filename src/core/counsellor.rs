//! Messages a counsellor writes in a case room: `!commands` are answered in the room and
//! never relayed; anything else goes to the reporter and counts as contact.

use super::case::{Case, Status};
use super::io::{Author, Effects, RoomPostKind};
use super::registration::OUTCOMES;
use super::text_keys as keys;
use super::time::Timestamp;
use super::turn::Turn;
use super::{Core, lifecycle};
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
    let argument = command
        .trim_start()
        .split_once(char::is_whitespace)
        .map(|(_, rest)| rest.trim())
        .unwrap_or("");
    if lifecycle_command(turn, &name, argument) {
        return;
    }
    let key = match name.as_str() {
        "help" => keys::ROOM_HELP,
        _ => keys::ROOM_UNKNOWN_COMMAND,
    };
    let notice = turn.room_text(key, &Args::new().text("command", format!("!{name}")));
    turn.room(notice, RoomPostKind::Notice, Vec::new());
}

/// The commands that steer the privacy lifecycle: `!share-request`, `!close OUTCOME`,
/// `!reopen`. Returns whether `name` was one of them.
fn lifecycle_command(turn: &mut Turn<'_>, name: &str, argument: &str) -> bool {
    let notice = match name {
        "share-request" if turn.case.status == Status::Open => {
            let reporters = turn.case.reporters.clone();
            for to in reporters {
                turn.to = to;
                lifecycle::start_dialog(turn, lifecycle::SHARE);
            }
            keys::ROOM_SHARE_ASKED
        }
        "close" if turn.case.status == Status::Open => {
            let outcome = argument.to_lowercase();
            if !OUTCOMES.contains(&outcome.as_str()) {
                let usage = turn.room_text(
                    keys::ROOM_CLOSE_USAGE,
                    &Args::new().text("outcomes", OUTCOMES.join(", ")),
                );
                turn.room(usage, RoomPostKind::Notice, Vec::new());
                return true;
            }
            turn.case.outcome = Some(outcome);
            lifecycle::on_close(turn);
            keys::ROOM_CLOSED
        }
        "reopen" if turn.case.status == Status::Closed => {
            lifecycle::on_reopen(turn);
            keys::ROOM_REOPENED
        }
        "reopen" => keys::ROOM_NOT_CLOSED,
        _ => return false,
    };
    let text = turn.room_text(notice, &Args::new());
    turn.room(text, RoomPostKind::Notice, Vec::new());
    true
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
