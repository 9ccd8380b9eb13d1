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

/// What the reporters are told when someone else is brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tell {
    /// That another counsellor (by first name) is now involved.
    Escalated,
    /// That the first-contact promise was missed and the coordinator is now involved.
    DeadlineMissed,
    /// Nothing (a promise the reporter does not wait on).
    Nothing,
}

/// Escalates the case; `reason` is shown in the room (a counsellor's words, or the
/// missed deadline). The reporters are told only once the homeserver has taken the
/// invite (the messages ride on it), so they never hear of help that did not come.
/// Returns the Matrix id brought in, if anyone could be.
pub fn escalate(
    turn: &mut Turn<'_>,
    why: Why,
    reason: Option<String>,
    tell: Tell,
) -> Option<String> {
    turn.case.escalated = true;
    let roster = turn.core.settings.roster_for(&turn.case);
    let assigned = turn.case.counsellor.clone();
    let candidates: Vec<_> = [roster.coordinator.as_ref(), roster.backup.as_ref()]
        .into_iter()
        .flatten()
        .filter(|c| {
            Some(&c.matrix_id) != assigned.as_ref() && !turn.case.members.contains(&c.matrix_id)
        })
        .cloned()
        .collect();
    // The reporter's exclusions hold here too: the coordinator may be the very person
    // they are afraid of.
    let target = candidates
        .iter()
        .find(|c| !super::assign::excluded(&turn.case, c))
        .cloned();
    let excluded_only = target.is_none() && !candidates.is_empty();
    let why_text = turn.room_text(
        match why {
            Why::Counsellor => keys::ROOM_WHY_COUNSELLOR,
            Why::Deadline => keys::ROOM_WHY_DEADLINE,
            Why::Away => keys::ROOM_WHY_AWAY,
        },
        &Args::new(),
    );
    let Some(target) = target else {
        // Nobody to bring in. When only people the reporter excluded are left, the case
        // is flagged and the reporter hears honestly that nobody else comes; otherwise
        // what they were promised is said as before.
        let (reporter_key, room_key) = if excluded_only {
            turn.case.nobody_left = true;
            (
                keys::REPORTER_DEADLINE_MISSED_NOBODY,
                keys::ROOM_NOBODY_LEFT,
            )
        } else {
            (
                keys::REPORTER_DEADLINE_MISSED,
                keys::ROOM_NO_ONE_TO_ESCALATE_TO,
            )
        };
        if tell == Tell::DeadlineMissed {
            tell_reporters(turn, reporter_key, &Args::new());
        }
        let text = turn.room_text(
            room_key,
            &Args::new()
                .text("why", why_text)
                .text("reason", reason.unwrap_or_default()),
        );
        turn.record(Author::Bot, text.clone());
        turn.room(text, RoomPostKind::Notice, assigned.into_iter().collect());
        return None;
    };
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
    let start = turn.fx.outputs.len();
    match tell {
        Tell::Escalated => tell_reporters(
            turn,
            keys::REPORTER_ESCALATED,
            &Args::new().text("name", target.first_name.clone()),
        ),
        Tell::DeadlineMissed => {
            tell_reporters(turn, keys::REPORTER_DEADLINE_MISSED, &Args::new());
        }
        Tell::Nothing => {}
    }
    let mut then = turn.fx.outputs.split_off(start);
    // The newcomer cannot decrypt what was said before: the intake comes again.
    then.push(super::room_commands::summary_for_newcomer(
        turn,
        &target.matrix_id,
    ));
    turn.fx.outputs.push(Output::Invite {
        case: turn.case.id,
        user: target.matrix_id.clone(),
        then,
    });
    Some(target.matrix_id)
}

fn tell_reporters(turn: &mut Turn<'_>, key: &str, args: &Args) {
    for to in turn.case.reporters.clone() {
        turn.to = to;
        turn.say(key, args);
    }
}
