//! Bringing in the coordinator (or, when the coordinator is already involved or not
//! configured, the backup): invited to the case room with a notice saying why, and the
//! reporter told honestly that someone else is now involved.

use super::io::{Author, Output, RoomPostKind};
use super::text_keys as keys;
use super::turn::Turn;
use crate::i18n::Args;

/// Why a case is escalated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// `!escalate REASON` by a counsellor.
    Counsellor,
    /// A promise's deadline passed without it being kept.
    Deadline,
    /// The assigned counsellor is away while a deadline nears.
    Away,
}

/// Escalates the case; `reason` is shown in the room (a counsellor's words, or the
/// missed deadline). Returns the Matrix id brought in, if anyone could be.
pub fn escalate(turn: &mut Turn<'_>, why: Why, reason: Option<String>) -> Option<String> {
    turn.case.escalated = true;
    let roster = &turn.core.settings.roster;
    let assigned = turn.case.counsellor.clone();
    let target = [roster.coordinator.as_ref(), roster.backup.as_ref()]
        .into_iter()
        .flatten()
        .find(|c| {
            Some(&c.matrix_id) != assigned.as_ref() && !turn.case.members.contains(&c.matrix_id)
        })
        .cloned();
    let why_text = turn.room_text(
        match why {
            Why::Counsellor => keys::ROOM_WHY_COUNSELLOR,
            Why::Deadline => keys::ROOM_WHY_DEADLINE,
            Why::Away => keys::ROOM_WHY_AWAY,
        },
        &Args::new(),
    );
    let Some(target) = target else {
        let text = turn.room_text(
            keys::ROOM_NO_ONE_TO_ESCALATE_TO,
            &Args::new()
                .text("why", why_text)
                .text("reason", reason.unwrap_or_default()),
        );
        turn.record(Author::Bot, text.clone());
        turn.room(text, RoomPostKind::Notice, assigned.into_iter().collect());
        return None;
    };
    turn.fx.outputs.push(Output::Invite {
        case: turn.case.id,
        user: target.matrix_id.clone(),
    });
    turn.case.members.push(target.matrix_id.clone());
    let text = turn.room_text(
        keys::ROOM_ESCALATED,
        &Args::new()
            .text("target", target.matrix_id.clone())
            .text("why", why_text)
            .text("reason", reason.unwrap_or_default()),
    );
    turn.record(Author::Bot, text.clone());
    let mentions = std::iter::once(target.matrix_id.clone())
        .chain(assigned)
        .collect();
    turn.room(text, RoomPostKind::Notice, mentions);
    if why != Why::Deadline {
        let reporters = turn.case.reporters.clone();
        for to in reporters {
            turn.to = to;
            turn.say(
                keys::REPORTER_ESCALATED,
                &Args::new().text("name", target.first_name.clone()),
            );
        }
    }
    Some(target.matrix_id)
}
