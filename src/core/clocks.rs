//! The promises made to a reporter, as clocks: first contact within 48 hours, and for
//! integrity reports the whistleblower law's acknowledgement (7 days) and feedback
//! (3 months after acknowledging). Each clock has one reminder timer and one deadline
//! timer in the case's timer map, so the scheduler wakes exactly when something is due.
//!
//! Reminders that fell due while the bot was down come once, late, on start: after a
//! reminder fires, the next one scheduled is the first still in the future.

use serde::{Deserialize, Serialize};

use super::case::TimerKind;
use super::escalate::{self, Why};
use super::io::RoomPostKind;
use super::shared::Shared;
use super::text_keys as keys;
use super::time::{SignedDuration, Timestamp};
use super::turn::Turn;
use crate::i18n::Args;

/// What was promised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Promise {
    FirstContact,
    IntegrityAcknowledge,
    IntegrityFeedback,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clock {
    pub due: Timestamp,
    /// When the promise was kept; the clock is stopped.
    pub met_at: Option<Timestamp>,
    /// How many of the configured reminders are behind us (sent or skipped).
    pub reminders_done: u8,
    pub missed: bool,
}

/// The category whose reports fall under the whistleblower law's clocks.
const INTEGRITY: &str = "integrity";

/// Starts the clocks of a newly submitted case.
pub fn start_for_submitted(turn: &mut Turn<'_>) {
    let now = turn.now;
    let settings = &turn.core.settings;
    let first_contact = now + settings.first_contact;
    let acknowledge = now + settings.reminders.integrity_acknowledge;
    start(turn, Promise::FirstContact, first_contact);
    if turn.case.answers.choice("category") == Some(INTEGRITY) {
        start(turn, Promise::IntegrityAcknowledge, acknowledge);
    }
}

pub fn start(turn: &mut Turn<'_>, promise: Promise, due: Timestamp) {
    turn.case.clocks.insert(
        promise,
        Clock {
            due,
            met_at: None,
            reminders_done: 0,
            missed: false,
        },
    );
    turn.case.timers.insert(TimerKind::deadline(promise), due);
    schedule_next_reminder(turn, promise);
}

/// The promise was kept: the clock stops, its timers go. Acknowledging an integrity
/// report starts its feedback clock.
pub fn meet(turn: &mut Turn<'_>, promise: Promise) {
    let now = turn.now;
    let Some(clock) = turn.case.clocks.get_mut(&promise) else {
        return;
    };
    if clock.met_at.is_some() {
        return;
    }
    clock.met_at = Some(now);
    turn.case.timers.remove(&TimerKind::reminder(promise));
    turn.case.timers.remove(&TimerKind::deadline(promise));
    if promise == Promise::IntegrityAcknowledge {
        let due = now + turn.core.settings.reminders.integrity_feedback;
        start(turn, Promise::IntegrityFeedback, due);
    }
}

/// A counsellor reached the reporter (a relayed message, or `!contacted`): first
/// contact, and for an integrity report the acknowledgement of receipt.
pub fn contact_made(turn: &mut Turn<'_>) {
    if turn.case.first_contact_at.is_none() {
        turn.case.first_contact_at = Some(turn.now);
    }
    meet(turn, Promise::FirstContact);
    meet(turn, Promise::IntegrityAcknowledge);
}

/// Every clock stops (the case is closed or withdrawn).
pub fn stop_all(turn: &mut Turn<'_>) {
    let promises: Vec<Promise> = turn.case.clocks.keys().copied().collect();
    for promise in promises {
        turn.case.timers.remove(&TimerKind::reminder(promise));
        turn.case.timers.remove(&TimerKind::deadline(promise));
    }
}

/// A reminder or deadline timer fell due.
pub fn on_timer(turn: &mut Turn<'_>, shared: &mut Shared, kind: TimerKind) {
    match kind.promise() {
        Some((promise, false)) => remind(turn, shared, promise),
        Some((promise, true)) => deadline(turn, shared, promise),
        None => {}
    }
}

fn remind(turn: &mut Turn<'_>, shared: &mut Shared, promise: Promise) {
    let Some(clock) = turn.case.clocks.get(&promise).cloned() else {
        return;
    };
    if clock.met_at.is_some() || clock.missed {
        return;
    }
    if let Some(clock) = turn.case.clocks.get_mut(&promise) {
        clock.reminders_done = clock.reminders_done.saturating_add(1);
    }
    schedule_next_reminder(turn, promise);
    // A case that had nobody (everyone available was excluded, away or full) is offered
    // again at each reminder: someone who fits may be back or have room now.
    if turn.case.counsellor.is_none() {
        assign_late(turn, shared);
    }
    let assigned = turn.case.counsellor.clone();
    // A counsellor who is away will not see the reminder: bring in the coordinator now.
    if let Some(id) = &assigned
        && shared.is_away(id, turn.now)
        && !turn.case.escalated
    {
        escalate::escalate(turn, Why::Away, None, escalate::Tell::Escalated);
        return;
    }
    let left = clock.due.duration_since(turn.now).max(SignedDuration::ZERO);
    let args = due_args(turn, promise, clock.due)
        .number("left_hours", left.as_hours())
        .number("left_minutes", (left.as_mins() % 60).max(1));
    let text = turn.room_text(keys::ROOM_REMINDER, &args);
    turn.room(text, RoomPostKind::Notice, assigned.into_iter().collect());
}

fn deadline(turn: &mut Turn<'_>, _shared: &mut Shared, promise: Promise) {
    let Some(clock) = turn.case.clocks.get_mut(&promise) else {
        return;
    };
    if clock.met_at.is_some() || clock.missed {
        return;
    }
    clock.missed = true;
    let due = clock.due;
    turn.case.timers.remove(&TimerKind::reminder(promise));
    let tell = if promise == Promise::FirstContact {
        turn.case.deadline_missed = true;
        escalate::Tell::DeadlineMissed
    } else {
        escalate::Tell::Nothing
    };
    let args = due_args(turn, promise, due);
    let reason = turn.room_text(keys::ROOM_DEADLINE_MISSED, &args);
    escalate::escalate(turn, Why::Deadline, Some(reason), tell);
}

/// The arguments every clock text uses: which promise, by when, to whom.
fn due_args(turn: &Turn<'_>, promise: Promise, due: Timestamp) -> Args {
    let settings = &turn.core.settings;
    let lang = &settings.counsellor_lang;
    let what = turn
        .core
        .catalog
        .render(lang, promise_key(promise), &Args::new());
    Args::new()
        .text("promise", what)
        .text(
            "due",
            super::time::human(due, &settings.timezone, &turn.core.catalog, lang),
        )
        .text(
            "counsellor",
            turn.case.counsellor.clone().unwrap_or_default(),
        )
}

pub fn promise_key(promise: Promise) -> &'static str {
    match promise {
        Promise::FirstContact => keys::PROMISE_FIRST_CONTACT,
        Promise::IntegrityAcknowledge => keys::PROMISE_INTEGRITY_ACKNOWLEDGE,
        Promise::IntegrityFeedback => keys::PROMISE_INTEGRITY_FEEDBACK,
    }
}

/// Sets the reminder timer to the first configured reminder still ahead; the ones
/// already past (downtime, a short deadline) are skipped, not sent late in a burst.
fn schedule_next_reminder(turn: &mut Turn<'_>, promise: Promise) {
    let now = turn.now;
    let mut offsets = turn.core.settings.reminders.before.clone();
    offsets.sort_by(|a, b| b.cmp(a));
    let Some(clock) = turn.case.clocks.get_mut(&promise) else {
        return;
    };
    let next = offsets
        .iter()
        .enumerate()
        .skip(clock.reminders_done as usize)
        .map(|(i, offset)| (i, clock.due - *offset))
        .find(|(_, at)| *at > now);
    match next {
        Some((i, at)) => {
            clock.reminders_done = i as u8;
            turn.case.timers.insert(TimerKind::reminder(promise), at);
        }
        None => {
            clock.reminders_done = offsets.len() as u8;
            turn.case.timers.remove(&TimerKind::reminder(promise));
        }
    }
}

/// Assigns a case that had nobody, if someone fits now: invited, the room and the
/// reporter told, the flag taken off.
fn assign_late(turn: &mut Turn<'_>, shared: &mut Shared) {
    let chosen = super::assign::choose(turn.roster(), shared, &turn.case, turn.now)
        .counsellor
        .cloned();
    let Some(counsellor) = chosen else {
        return;
    };
    shared.add_case(&counsellor.matrix_id);
    turn.case.counsellor = Some(counsellor.matrix_id.clone());
    turn.case.members.push(counsellor.matrix_id.clone());
    turn.case.nobody_left = false;
    let start = turn.fx.outputs.len();
    for to in turn.case.reporters.clone() {
        turn.to = to;
        turn.say(
            keys::REPORTER_ASSIGNED_LATE,
            &Args::new().text("name", counsellor.first_name.clone()),
        );
    }
    // The reporter hears of it, and the newcomer gets the intake, once the invitation
    // went out.
    let mut then = turn.fx.outputs.split_off(start);
    then.push(super::room_commands::summary_for_newcomer(
        turn,
        &counsellor.matrix_id,
    ));
    turn.fx.outputs.push(super::io::Output::Invite {
        case: turn.case.id,
        user: counsellor.matrix_id.clone(),
        then,
    });
    let text = turn.room_text(
        keys::ROOM_ASSIGNED_LATE,
        &Args::new().text("counsellor", counsellor.matrix_id.clone()),
    );
    turn.record(super::io::Author::Bot, text.clone());
    turn.room(text, RoomPostKind::Notice, vec![counsellor.matrix_id]);
}
