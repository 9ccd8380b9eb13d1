//! Messages a counsellor writes in a case room: `!commands` are answered in the room and
//! never relayed; anything else goes to the reporter and counts as contact.

use super::case::{Case, Status};
use super::io::{Author, Effects, RoomPostKind};
use super::settings::Counsellor;
use super::shared::Shared;
use super::text_keys as keys;
use super::time::Timestamp;
use super::turn::Turn;
use super::{Core, clocks, room_commands};
use crate::i18n::Args;

pub fn handle(
    core: &Core,
    now: Timestamp,
    case: Option<Case>,
    shared: &mut Shared,
    sender: String,
    text: String,
) -> Effects {
    let (mut turn, counsellor) = match admit(core, now, case, &sender) {
        Ok(admitted) => admitted,
        Err(effects) => return *effects,
    };
    room_commands::handover_acknowledged(&mut turn, &sender);
    if let Some(command) = text.trim_start().strip_prefix('!') {
        room_commands::run(&mut turn, shared, &sender, command);
        room_commands::remember_due(&turn, shared);
        return turn.finish();
    }
    if turn.case.status == Status::Intake {
        return turn.finish();
    }
    turn.record(Author::Counsellor(sender), text.clone());
    clocks::contact_made(&mut turn);
    room_commands::remember_due(&turn, shared);
    let relayed = turn.text(
        keys::REPORTER_COUNSELLOR_SAYS,
        &Args::new()
            .text("name", counsellor.first_name)
            .text("text", text),
    );
    turn.tell_all_reporters(&relayed);
    turn.finish()
}

/// The start of anything a counsellor sends to a case room (words, commands, files): the
/// turn to work in and who they are, or what to do instead. Only configured counsellors
/// the bot brought into the case may steer it or reach the reporter.
pub fn admit<'c>(
    core: &'c Core,
    now: Timestamp,
    case: Option<Case>,
    sender: &str,
) -> Result<(Turn<'c>, Counsellor), Box<Effects>> {
    // A room whose case is gone (erased) has nothing to relay to; say nothing.
    let Some(case) = case else {
        return Err(Box::default());
    };
    let Some(to) = case.reporters.first().cloned() else {
        return Err(Box::default());
    };
    let turn = Turn::new(core, now, case, to);
    let Some(counsellor) = core.settings.roster.find(sender).cloned() else {
        return Err(Box::new(refuse(turn, keys::ROOM_NOT_A_COUNSELLOR, sender)));
    };
    let member = turn.case.members.iter().any(|m| m == sender)
        || turn.case.counsellor.as_deref() == Some(sender);
    if !member {
        return Err(Box::new(refuse(turn, keys::ROOM_NOT_A_MEMBER, sender)));
    }
    Ok((turn, counsellor))
}

/// Someone who may not steer this case wrote in its room: nothing is relayed or done,
/// they are told so, and the attempt is logged (without its content).
fn refuse(mut turn: Turn<'_>, key: &str, sender: &str) -> Effects {
    let notice = turn.room_text(key, &Args::new());
    turn.room(notice, RoomPostKind::Notice, vec![sender.to_owned()]);
    turn.fx.refused = true;
    turn.finish()
}
