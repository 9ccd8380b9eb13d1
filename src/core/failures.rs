//! Telling people when something did not arrive: a message the delivery worker had to
//! set aside (a dead letter), or an input the bot set aside because it could not handle
//! it. Whoever believes a message arrived, or is waiting for an answer, is told in their
//! own words: the room when a message to the employee failed, the employee when theirs
//! could not be passed on, the room when a person could not be invited. And when a case
//! exists but cannot be opened, its people are told so, and it is never taken for none.

use super::Core;
use super::address::ReporterAddress;
use super::case::{Case, Status};
use super::ids::CaseId;
use super::io::{
    Author, Effects, Input, Output, RoomPost, RoomPostKind, Undelivered, UndeliveredTo,
};
use super::present;
use super::text_keys as keys;
use super::time::{SignedDuration, Timestamp};
use super::turn::Turn;
use crate::i18n::{Args, Lang};

/// A side that failed this recently is not sent notices about the other side's failures.
const QUIET_AFTER_FAILURE: SignedDuration = SignedDuration::from_hours(24);

/// The longest excerpt quoted to say which message it was.
const EXCERPT_CHARS: usize = 80;

pub fn undeliverable(
    core: &Core,
    now: Timestamp,
    case: Option<Case>,
    undelivered: Undelivered,
) -> Effects {
    let Some(case) = case else {
        return Effects::default();
    };
    let Some(to) = case.reporters.first().cloned() else {
        return Effects::default();
    };
    let mut turn = Turn::new(core, now, case, to);
    turn.case.undelivered = turn.case.undelivered.saturating_add(1);
    let recently =
        |at: Option<Timestamp>| at.is_some_and(|at| now.duration_since(at) < QUIET_AFTER_FAILURE);
    let quoted = excerpt(undelivered.excerpt.as_deref());
    let args = Args::new()
        .text("why", undelivered.why.as_str())
        .text("quoted", if quoted.is_empty() { "no" } else { "yes" })
        .text("excerpt", quoted)
        .number("hours", core.settings.delivery_give_up.as_hours().max(1));
    match undelivered.to {
        UndeliveredTo::Reporter => {
            let quiet = recently(turn.case.unreachable_room_at);
            turn.case.unreachable_reporter_at = Some(now);
            // Nothing reaches a reporter during the intake but the intake itself.
            if !quiet && turn.case.status != Status::Intake {
                room_notice(&mut turn, keys::ROOM_UNDELIVERED, &args);
            }
        }
        UndeliveredTo::Room => {
            let quiet = recently(turn.case.unreachable_reporter_at);
            turn.case.unreachable_room_at = Some(now);
            if !quiet {
                turn.say(keys::REPORTER_UNDELIVERED, &args);
            }
        }
        UndeliveredTo::Member { user } => {
            room_notice(&mut turn, keys::ROOM_NOT_INVITED, &args.text("user", user));
        }
        UndeliveredTo::Deletion => room_notice(&mut turn, keys::ROOM_NOT_DELETED, &args),
    }
    turn.finish()
}

fn room_notice(turn: &mut Turn<'_>, key: &str, args: &Args) {
    let notice = turn.room_text(key, args);
    turn.record(Author::Bot, notice.clone());
    let mentions = turn.case.counsellor.iter().cloned().collect();
    turn.room(notice, RoomPostKind::Notice, mentions);
}

/// The start of a message, on one line, to say which one it was.
fn excerpt(text: Option<&str>) -> String {
    let Some(text) = text else {
        return String::new();
    };
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = line.chars().take(EXCERPT_CHARS).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    short
}

/// What the sender of an input the bot had to set aside is told (the core failed on it,
/// or it failed to be handled again and again): it is kept, nothing else is lost, and
/// trying again is fine. `case` is the case it concerned, if it could be read.
pub fn set_aside(core: &Core, case: Option<&Case>, input: &Input) -> Effects {
    let lang = case.map_or(&core.settings.default_lang, |c| &c.lang);
    match input {
        Input::Reporter { from, .. } => to_reporter(core, from, lang, keys::REPORTER_SET_ASIDE),
        Input::Counsellor { case, .. }
        | Input::CounsellorFile { case, .. }
        | Input::CounsellorEdit { case, .. } => to_room(core, *case, keys::ROOM_SET_ASIDE),
        // The scheduler's own and the delivery worker's inputs have nobody waiting on
        // them; the log and `confidant check-store` say what was set aside.
        Input::Timer { .. }
        | Input::Undeliverable { .. }
        | Input::RoomMember { .. }
        | Input::CounsellorUndecryptable { .. }
        | Input::CounsellorRedaction { .. }
        | Input::CounsellorTyping { .. }
        | Input::CounsellorUnsupported { .. } => Effects::default(),
    }
}

/// What the people of a case are told when the case exists but cannot be opened (its
/// key file or record is damaged): nothing is lost, and it is not replaced by a new case.
pub fn case_unreadable(core: &Core, case: CaseId, input: &Input) -> Effects {
    let mut effects = to_room(core, case, keys::ROOM_CASE_UNREADABLE);
    if let Input::Reporter { from, .. } = input {
        let told = to_reporter(
            core,
            from,
            &core.settings.default_lang,
            keys::REPORTER_CASE_UNREADABLE,
        );
        effects.outputs.extend(told.outputs);
    }
    if matches!(
        input,
        Input::Timer { .. }
            | Input::Undeliverable { .. }
            | Input::RoomMember { .. }
            | Input::CounsellorUndecryptable { .. }
    ) {
        effects.outputs.clear();
    }
    effects
}

fn to_reporter(core: &Core, to: &ReporterAddress, lang: &Lang, key: &str) -> Effects {
    let text = core.catalog.render(lang, key, &Args::new());
    let message = present::message(to, text, Vec::new(), &core.catalog, lang);
    Effects::with_output(Output::Reporter(message))
}

fn to_room(core: &Core, case: CaseId, key: &str) -> Effects {
    let text = core
        .catalog
        .render(&core.settings.counsellor_lang, key, &Args::new());
    Effects::with_output(Output::Room(RoomPost {
        case,
        text,
        kind: RoomPostKind::Notice,
        mentions: Vec::new(),
        thread: None,
        from_message: None,
        html: None,
    }))
}
