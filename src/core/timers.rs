//! Scheduled wake-ups of a case, as the scheduler delivers them.

use super::case::{Case, Status, TimerKind};
use super::io::{CaseChange, Effects};
use super::shared::Shared;
use super::text_keys as keys;
use super::time::Timestamp;
use super::turn::Turn;
use super::{Core, clocks, lifecycle, room_commands};
use crate::i18n::Args;

pub fn handle(
    core: &Core,
    now: Timestamp,
    case: Option<Case>,
    shared: &mut Shared,
    kind: TimerKind,
) -> Effects {
    let Some(case) = case else {
        return Effects::default();
    };
    // A timer that was moved or cleared since it was indexed is simply not due.
    match case.timers.get(&kind) {
        Some(due) if *due <= now => {}
        _ => {
            return Effects {
                case: CaseChange::Unchanged,
                ..Effects::default()
            };
        }
    }
    let Some(to) = case.reporters.first().cloned() else {
        return Effects::default();
    };
    let mut turn = Turn::new(core, now, case, to);
    turn.case.timers.remove(&kind);
    match kind {
        TimerKind::IntakeExpiry if turn.case.status == Status::Intake => {
            let reporters = turn.case.reporters.clone();
            for to in reporters {
                turn.to = to;
                turn.say(keys::REPORTER_INTAKE_EXPIRED, &Args::new());
            }
            turn.erase();
        }
        TimerKind::IntakeExpiry => {}
        TimerKind::Retention | TimerKind::Aftercare => lifecycle::on_timer(&mut turn, kind),
        TimerKind::Digest => {}
        _ => {
            clocks::on_timer(&mut turn, shared, kind);
            room_commands::remember_due(&turn, shared);
        }
    }
    turn.finish()
}
