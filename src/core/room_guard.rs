//! Who may be in a case room, and what the room hears when a message in it could not be
//! read. Only the bot and the counsellors it brought into the case (`Case::members`) may
//! be there; the Matrix adapter removes anyone else before it posts anything, and this
//! tells the counsellors why someone was removed.

use super::Core;
use super::case::Case;
use super::io::{Effects, Output, RoomPostKind};
use super::text_keys as keys;
use super::time::Timestamp;
use super::turn::Turn;
use crate::i18n::Args;

/// Someone joined the case room or was invited into it.
pub fn member(core: &Core, now: Timestamp, case: Option<Case>, user: String) -> Effects {
    let Some(case) = case else {
        return Effects::default();
    };
    if case.members.contains(&user) {
        return Effects::default();
    }
    let Some(to) = case.reporters.first().cloned() else {
        return Effects::default();
    };
    let mut turn = Turn::new(core, now, case, to);
    turn.fx.outputs.push(Output::Remove {
        case: turn.case.id,
        user: user.clone(),
    });
    let text = turn.room_text(keys::ROOM_OUTSIDER_REMOVED, &Args::new().text("user", user));
    let mentions = turn.case.counsellor.iter().cloned().collect();
    turn.room(text, RoomPostKind::Notice, mentions);
    turn.finish()
}

/// A message in the case room stayed undecryptable: its sender is told why that
/// usually happens and what to do, so a message never dies unseen.
pub fn undecryptable(core: &Core, now: Timestamp, case: Option<Case>, sender: String) -> Effects {
    let Some(case) = case else {
        return Effects::default();
    };
    let Some(to) = case.reporters.first().cloned() else {
        return Effects::default();
    };
    let mut turn = Turn::new(core, now, case, to);
    let text = turn.room_text(
        keys::ROOM_UNDECRYPTABLE,
        &Args::new().text("sender", sender.clone()),
    );
    turn.room(text, RoomPostKind::Notice, vec![sender]);
    turn.finish()
}
