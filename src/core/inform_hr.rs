//! `!inform-hr` (seed 003, "Bekend maken inzet vertrouwenspersoon"): telling HR that
//! support was given, only with the employee's yes. The employee is asked with buttons
//! (`dialogs/inform-hr.toml`): with their name (which they type), anonymously (the date
//! and the unit only), or not at all; before anything goes, they see the very words HR
//! would get and confirm them. Only then is one message posted in the organisation's HR
//! room; the case room records every answer. Nothing reaches HR any other way.

use super::io::{Author, Output, RoomPostKind};
use super::registration::UNIT_ANSWER;
use super::text_keys as keys;
use super::turn::Turn;
use super::{Status, dialog::Answer};
use crate::i18n::Args;

/// The dialog that asks.
pub const DIALOG: &str = "inform-hr";
/// Where the dialog keeps the employee's choice and the name they typed.
const CHOICE: &str = "hr";
const NAME: &str = "hr-name";

/// The room command: asks the employee in each of their chats.
pub fn ask(turn: &mut Turn<'_>) {
    if turn.core.settings.hr_room.is_none() {
        room_notice(turn, keys::ROOM_HR_NOT_SET_UP, Args::new());
        return;
    }
    if turn.case.status != Status::Open {
        room_notice(turn, keys::ROOM_HR_NOT_OPEN, Args::new());
        return;
    }
    // A new question: an earlier answer is not taken for this one.
    for name in [CHOICE, NAME, "hr-confirm"] {
        turn.case.answers.remove(name);
    }
    for to in turn.case.reporters.clone() {
        turn.to = to;
        super::lifecycle::start_dialog(turn, DIALOG);
    }
    room_notice(turn, keys::ROOM_HR_ASKED, Args::new());
}

/// The words HR would get, as the answers so far say (in the language of the rooms);
/// `None` while there is no yes to tell anything.
pub fn message(turn: &Turn<'_>) -> Option<String> {
    let core = turn.core;
    let lang = &core.settings.counsellor_lang;
    let text = |id: &str, args: Args| core.catalog.render(lang, id, &args);
    let date = turn
        .case
        .submitted_at
        .unwrap_or(turn.now)
        .to_zoned(core.settings.timezone.clone())
        .strftime("%d-%m-%Y")
        .to_string();
    let unit = turn
        .case
        .answers
        .choice(UNIT_ANSWER)
        .map(str::to_owned)
        .unwrap_or_else(|| text(keys::HR_NO_UNIT, Args::new()));
    let args = Args::new()
        .text("organisation", core.settings.organisation.clone())
        .text("date", date)
        .text("unit", unit);
    match turn.case.answers.choice(CHOICE)? {
        "with-name" => {
            let Some(Answer::Text(name)) = turn.case.answers.get(NAME) else {
                return None;
            };
            Some(text(
                keys::HR_MESSAGE_NAMED,
                args.text("name", name.trim().to_owned()),
            ))
        }
        "anonymous" => Some(text(keys::HR_MESSAGE_ANONYMOUS, args)),
        _ => None,
    }
}

/// The employee confirmed the very words: they go to HR once, and the room records it.
pub fn send(turn: &mut Turn<'_>) {
    let (Some(room_id), Some(words)) = (turn.core.settings.hr_room.clone(), message(turn)) else {
        return;
    };
    turn.fx.outputs.push(Output::HrNotice {
        room_id,
        text: words.clone(),
    });
    room_notice(turn, keys::ROOM_HR_SENT, Args::new().text("message", words));
}

fn room_notice(turn: &mut Turn<'_>, key: &str, args: Args) {
    let notice = turn.room_text(key, &args);
    turn.record(Author::Bot, notice.clone());
    turn.room(notice, RoomPostKind::Notice, Vec::new());
}
