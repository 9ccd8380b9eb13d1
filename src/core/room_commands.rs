//! `!commands` in a case room: how counsellors steer a case from their own Matrix
//! client. Answers are notices in the room; nothing here is ever relayed to the
//! reporter unless the command says so (a closing message, an escalation notice).

use super::case::Status;
use super::clocks::{self, Promise};
use super::escalate::{self, Why};
use super::io::{Author, Output, RoomPostKind};
use super::registration::OUTCOMES;
use super::shared::Shared;
use super::text_keys as keys;
use super::time::{SignedDuration, Timestamp};
use super::turn::Turn;
use super::{duration, lifecycle};
use crate::i18n::Args;

/// Every command, as `!help` lists them and typos are matched against.
pub const ROOM_COMMANDS: &[&str] = &[
    "help",
    "status",
    "summary",
    "history",
    "note",
    "shared-note",
    "contacted",
    "escalate",
    "handover",
    "time",
    "close",
    "reopen",
    "share-request",
    "inform-hr",
    "away",
    "back",
    "feedback",
];

/// Runs `command` (the text after `!`) from counsellor `sender`, already known to be
/// a member of the case.
pub fn run(turn: &mut Turn<'_>, shared: &mut Shared, sender: &str, command: &str) {
    let command = command.trim();
    let (name, argument) = match command.split_once(char::is_whitespace) {
        Some((name, rest)) => (name.to_lowercase(), rest.trim()),
        None => (command.to_lowercase(), ""),
    };
    let open = turn.case.status == Status::Open;
    match name.as_str() {
        "help" => notice(turn, keys::ROOM_HELP, Args::new()),
        "status" => status(turn, shared),
        "history" => history(turn, argument),
        "summary" => {
            let summary = case_summary(turn);
            turn.room(summary, RoomPostKind::Notice, Vec::new());
        }
        "note" if argument.is_empty() => notice(turn, keys::ROOM_NOTE_USAGE, Args::new()),
        "note" => {
            turn.record(Author::Note(sender.to_owned()), argument.to_owned());
            notice(turn, keys::ROOM_NOTE_KEPT, Args::new());
        }
        "shared-note" if argument.is_empty() => {
            notice(turn, keys::ROOM_SHARED_NOTE_USAGE, Args::new())
        }
        "shared-note" => {
            turn.record(Author::SharedNote(sender.to_owned()), argument.to_owned());
            notice(turn, keys::ROOM_SHARED_NOTE_KEPT, Args::new());
        }
        "contacted" if open => {
            clocks::contact_made(turn);
            forget_due(turn, shared);
            notice(turn, keys::ROOM_CONTACTED, Args::new());
        }
        "feedback" if open => {
            clocks::meet(turn, Promise::IntegrityFeedback);
            notice(turn, keys::ROOM_FEEDBACK_GIVEN, Args::new());
        }
        "escalate" if argument.is_empty() => notice(turn, keys::ROOM_ESCALATE_USAGE, Args::new()),
        "escalate" if open => {
            escalate::escalate(
                turn,
                Why::Counsellor,
                Some(argument.to_owned()),
                escalate::Tell::Escalated,
            );
        }
        "handover" => handover(turn, shared, argument),
        "time" => time(turn, argument),
        "close" if open => close(turn, shared, argument),
        "reopen" if turn.case.status == Status::Closed => {
            lifecycle::on_reopen(turn);
            if let Some(id) = turn.case.counsellor.clone() {
                shared.add_case(&id);
            }
            notice(turn, keys::ROOM_REOPENED, Args::new());
        }
        "reopen" => notice(turn, keys::ROOM_NOT_CLOSED, Args::new()),
        "share-request" if open => {
            let reporters = turn.case.reporters.clone();
            for to in reporters {
                turn.to = to;
                lifecycle::start_dialog(turn, lifecycle::SHARE);
            }
            notice(turn, keys::ROOM_SHARE_ASKED, Args::new());
        }
        "inform-hr" => super::inform_hr::ask(turn),
        "away" => away(turn, shared, sender, argument),
        "back" => {
            shared.away.remove(sender);
            notice(turn, keys::ROOM_BACK, Args::new());
        }
        known if ROOM_COMMANDS.contains(&known) => notice(
            turn,
            keys::ROOM_NOT_NOW,
            Args::new().text("command", format!("!{known}")),
        ),
        unknown => {
            let suggestion = ROOM_COMMANDS
                .iter()
                .map(|known| (strsim::damerau_levenshtein(unknown, known), *known))
                .filter(|(distance, _)| *distance <= 2)
                .min_by_key(|(distance, _)| *distance)
                .map(|(_, known)| format!("!{known}"))
                .unwrap_or_else(|| "none".to_owned());
            notice(
                turn,
                keys::ROOM_UNKNOWN_COMMAND,
                Args::new()
                    .text("command", format!("!{unknown}"))
                    .text("suggestion", suggestion),
            );
        }
    }
}

fn notice(turn: &mut Turn<'_>, key: &str, args: Args) {
    let text = turn.room_text(key, &args);
    turn.room(text, RoomPostKind::Notice, Vec::new());
}

/// The case at a glance: token, category, age, the first-contact deadline, who has it.
fn status(turn: &mut Turn<'_>, shared: &Shared) {
    let now = turn.now;
    let lang = turn.core.settings.counsellor_lang.clone();
    let catalog = turn.core.catalog.clone();
    let category = turn
        .core
        .dialogs
        .get(super::INTAKE)
        .and_then(|d| d.steps.iter().find(|s| s.answer_name() == "category"))
        .and_then(|step| {
            let id = turn.case.answers.choice("category")?;
            step.option(id)
                .map(|o| catalog.render(&lang, &o.label, &Args::new()))
        })
        .unwrap_or_else(|| catalog.render(&lang, keys::ROOM_STATUS_NO_CATEGORY, &Args::new()));
    let since = turn.case.submitted_at.unwrap_or(turn.case.created_at);
    let age = now.duration_since(since).max(SignedDuration::ZERO);
    let contact = match turn.case.clocks.get(&Promise::FirstContact) {
        Some(clock) if clock.met_at.is_some() => keys::ROOM_STATUS_CONTACT_MADE,
        Some(clock) if clock.missed => keys::ROOM_STATUS_CONTACT_MISSED,
        Some(_) => keys::ROOM_STATUS_CONTACT_DUE,
        None if turn.case.first_contact_at.is_some() => keys::ROOM_STATUS_CONTACT_MADE,
        None => keys::ROOM_STATUS_CONTACT_DUE,
    };
    let due = turn
        .case
        .clocks
        .get(&Promise::FirstContact)
        .map(|c| c.due)
        .or_else(|| turn.contact_due())
        .unwrap_or(now);
    let left = due.duration_since(now).max(SignedDuration::ZERO);
    let human =
        |at: Timestamp| super::time::human(at, &turn.core.settings.timezone, &catalog, &lang);
    let contact_text = catalog.render(
        &lang,
        contact,
        &Args::new()
            .text("due", human(due))
            .number("left_hours", left.as_hours())
            .text(
                "when",
                turn.case.first_contact_at.map(human).unwrap_or_default(),
            ),
    );
    let assigned = turn.case.counsellor.clone().unwrap_or_default();
    let mut args = Args::new()
        .text("category", category)
        .number("age_days", age.as_hours() / 24)
        .number("age_hours", age.as_hours() % 24)
        .text("contact", contact_text)
        .text("assigned", assigned.clone())
        .number("minutes", i64::from(turn.case.minutes_spent))
        .number("undelivered", i64::from(turn.case.undelivered))
        .number("nobody_left", i64::from(turn.case.nobody_left))
        .text(
            "escalated",
            catalog.render(
                &lang,
                if turn.case.escalated {
                    keys::REPORT_ESCALATED_YES
                } else {
                    keys::REPORT_ESCALATED_NO
                },
                &Args::new(),
            ),
        );
    if let Some(until) = shared.away.get(&assigned).filter(|u| **u > now) {
        args = args.text("away_until", human(*until));
    }
    notice(turn, keys::ROOM_STATUS, args);
}

/// Entries `!history` shows when no number is given, and at most.
const HISTORY_DEFAULT: usize = 20;
const HISTORY_MAX: usize = 200;

/// `!history [N]`: the last N entries of the sealed transcript, posted into the room,
/// for a counsellor on a new device or brought in later (who cannot decrypt the past).
fn history(turn: &mut Turn<'_>, argument: &str) {
    let wanted = match argument.split_whitespace().next() {
        None => HISTORY_DEFAULT,
        Some(n) => match n.parse::<usize>() {
            Ok(n) if n >= 1 => n.min(HISTORY_MAX),
            _ => {
                notice(turn, keys::ROOM_HISTORY_USAGE, Args::new());
                return;
            }
        },
    };
    let entries = std::mem::take(&mut turn.history);
    if entries.is_empty() {
        notice(turn, keys::ROOM_HISTORY_EMPTY, Args::new());
        return;
    }
    let skip = entries.len().saturating_sub(wanted);
    let lang = turn.core.settings.counsellor_lang.clone();
    let catalog = turn.core.catalog.clone();
    let lines: Vec<String> = entries[skip..]
        .iter()
        .map(|entry| {
            let who = match &entry.author {
                Author::Reporter => {
                    catalog.render(&lang, keys::ROOM_HISTORY_REPORTER, &Args::new())
                }
                Author::Bot => catalog.render(&lang, keys::ROOM_HISTORY_BOT, &Args::new()),
                Author::Counsellor(id) => first_name_of(turn, id),
                Author::Note(id) => catalog.render(
                    &lang,
                    keys::ROOM_HISTORY_NOTE,
                    &Args::new().text("name", first_name_of(turn, id)),
                ),
                Author::SharedNote(id) => catalog.render(
                    &lang,
                    keys::ROOM_HISTORY_SHARED_NOTE,
                    &Args::new().text("name", first_name_of(turn, id)),
                ),
            };
            let when = super::time::human(entry.at, &turn.core.settings.timezone, &catalog, &lang);
            catalog.render(
                &lang,
                keys::ROOM_HISTORY_LINE,
                &Args::new()
                    .text("who", who)
                    .text("when", when)
                    .text("text", entry.text.clone()),
            )
        })
        .collect();
    notice(
        turn,
        keys::ROOM_HISTORY,
        Args::new()
            .number("count", lines.len() as i64)
            .number("total", entries.len() as i64)
            .text("lines", lines.join("\n")),
    );
}

/// A counsellor's first name from the roster, or their Matrix id if they left it.
fn first_name_of(turn: &Turn<'_>, id: &str) -> String {
    turn.roster()
        .find(id)
        .map(|c| c.first_name.clone())
        .unwrap_or_else(|| id.to_owned())
}

/// The intake's answers, as the counsellors read them: for `!summary`, and for anyone
/// brought into the case later, who cannot decrypt what was said before they came.
pub fn case_summary(turn: &Turn<'_>) -> String {
    let lang = turn.core.settings.counsellor_lang.clone();
    let answers = turn
        .core
        .dialogs
        .get(super::INTAKE)
        .map(|d| {
            super::dialog::summary_lines(d, &turn.case.answers, &turn.core.catalog, &lang, None)
        })
        .unwrap_or_default();
    turn.room_text(keys::ROOM_SUMMARY, &Args::new().text("answers", answers))
}

/// The summary as a post that waits for an invitation to go out (it goes in the
/// invite's `then`, so the newcomer's devices get its key).
pub fn summary_for_newcomer(turn: &Turn<'_>, newcomer: &str) -> Output {
    Output::Room(super::io::RoomPost {
        case: turn.case.id,
        text: case_summary(turn),
        kind: RoomPostKind::Notice,
        mentions: vec![newcomer.to_owned()],
        thread: None,
        from_message: None,
        html: None,
    })
}

/// `!handover @user:server`: the new counsellor is invited at once; the one handing
/// over leaves when the new one first speaks in the room.
fn handover(turn: &mut Turn<'_>, shared: &mut Shared, argument: &str) {
    let target = argument.split_whitespace().next().unwrap_or("");
    let Some(new) = turn.roster().find(target).cloned() else {
        let names: Vec<String> = turn
            .roster()
            .everyone()
            .map(|c| c.matrix_id.clone())
            .collect();
        notice(
            turn,
            keys::ROOM_HANDOVER_USAGE,
            Args::new().text("counsellors", names.join(", ")),
        );
        return;
    };
    if super::assign::excluded(&turn.case, &new) {
        notice(
            turn,
            keys::ROOM_HANDOVER_EXCLUDED,
            Args::new().text("counsellor", new.matrix_id.clone()),
        );
        return;
    }
    let old = turn.case.counsellor.clone();
    if old.as_deref() == Some(new.matrix_id.as_str()) {
        notice(turn, keys::ROOM_HANDOVER_SAME, Args::new());
        return;
    }
    if let Some(old) = &old {
        shared.remove_case(old);
    }
    shared.add_case(&new.matrix_id);
    turn.case.counsellor = Some(new.matrix_id.clone());
    turn.case.handing_over = old;
    if !turn.case.members.contains(&new.matrix_id) {
        turn.case.members.push(new.matrix_id.clone());
        let summary = summary_for_newcomer(turn, &new.matrix_id);
        turn.fx.outputs.push(Output::Invite {
            case: turn.case.id,
            user: new.matrix_id.clone(),
            then: vec![summary],
        });
    }
    remember_due(turn, shared);
    let text = turn.room_text(
        keys::ROOM_HANDOVER,
        &Args::new().text("counsellor", new.matrix_id.clone()),
    );
    turn.record(Author::Bot, text.clone());
    turn.room(text, RoomPostKind::Notice, vec![new.matrix_id]);
}

/// The new counsellor of a handover spoke: the old one leaves the room.
pub fn handover_acknowledged(turn: &mut Turn<'_>, sender: &str) {
    if turn.case.counsellor.as_deref() != Some(sender) {
        return;
    }
    let Some(old) = turn.case.handing_over.take() else {
        return;
    };
    turn.case.members.retain(|m| *m != old);
    turn.fx.outputs.push(Output::Remove {
        case: turn.case.id,
        user: old.clone(),
    });
    notice(
        turn,
        keys::ROOM_HANDOVER_DONE,
        Args::new().text("counsellor", old),
    );
}

/// `!time 45m`: hours for the registration.
fn time(turn: &mut Turn<'_>, argument: &str) {
    match duration::parse(argument) {
        Some(spent) if spent.is_positive() && spent.as_hours() <= 24 => {
            let minutes = u32::try_from(spent.as_mins()).unwrap_or(0);
            turn.case.minutes_spent = turn.case.minutes_spent.saturating_add(minutes);
            let month = super::registration::month_key(
                &turn.now.to_zoned(turn.core.settings.timezone.clone()),
            );
            let in_month = turn.case.minutes_by_month.entry(month).or_default();
            *in_month = in_month.saturating_add(minutes);
            let total = turn.case.minutes_spent;
            notice(
                turn,
                keys::ROOM_TIME_ADDED,
                Args::new()
                    .number("added", i64::from(minutes))
                    .number("hours", i64::from(total / 60))
                    .number("minutes", i64::from(total % 60)),
            );
        }
        _ => notice(turn, keys::ROOM_TIME_USAGE, Args::new()),
    }
}

/// `!close OUTCOME`.
fn close(turn: &mut Turn<'_>, shared: &mut Shared, argument: &str) {
    let outcome = argument.to_lowercase();
    if !OUTCOMES.contains(&outcome.as_str()) {
        notice(
            turn,
            keys::ROOM_CLOSE_USAGE,
            Args::new().text("outcomes", OUTCOMES.join(", ")),
        );
        return;
    }
    turn.case.outcome = Some(outcome);
    clocks::stop_all(turn);
    forget_due(turn, shared);
    if let Some(id) = turn.case.counsellor.clone() {
        shared.remove_case(&id);
    }
    lifecycle::on_close(turn);
    notice(turn, keys::ROOM_CLOSED, Args::new());
}

/// `!away until 2026-12-01` (or `1-12-2026`); new cases route around the counsellor
/// until that day.
fn away(turn: &mut Turn<'_>, shared: &mut Shared, sender: &str, argument: &str) {
    let date = argument
        .strip_prefix("until")
        .or_else(|| argument.strip_prefix("tot"))
        .unwrap_or(argument)
        .trim();
    let tz = turn.core.settings.timezone.clone();
    let until = duration::parse_date(date)
        .and_then(|d| d.to_zoned(tz).ok())
        .map(|z| z.timestamp())
        .filter(|until| *until > turn.now);
    match until {
        Some(until) => {
            shared.away.insert(sender.to_owned(), until);
            let shown = super::time::human(
                until,
                &turn.core.settings.timezone,
                &turn.core.catalog,
                &turn.core.settings.counsellor_lang,
            );
            notice(turn, keys::ROOM_AWAY_SET, Args::new().text("until", shown));
        }
        None => notice(turn, keys::ROOM_AWAY_USAGE, Args::new()),
    }
}

/// Keeps the digest's index of this case's next deadline, and of its flag, in step.
pub fn remember_due(turn: &Turn<'_>, shared: &mut Shared) {
    let key = hex::encode(turn.case.id.0);
    if turn.case.nobody_left && turn.case.status == super::case::Status::Open {
        shared.nobody_left.insert(key.clone());
        if let Some(organisation) = &turn.case.organisation {
            shared
                .nobody_left_organisation
                .insert(key.clone(), organisation.clone());
        }
    } else {
        shared.nobody_left.remove(&key);
        shared.nobody_left_organisation.remove(&key);
    }
    let next = turn
        .case
        .clocks
        .values()
        .filter(|c| c.met_at.is_none() && !c.missed)
        .map(|c| c.due)
        .min();
    match (next, turn.case.counsellor.clone()) {
        (Some(due), Some(counsellor)) => {
            shared.due.insert(
                key,
                super::shared::DueEntry {
                    counsellor,
                    token: turn.case.token.to_string(),
                    due,
                    organisation: turn.case.organisation.clone(),
                },
            );
        }
        _ => {
            shared.due.remove(&key);
        }
    }
}

fn forget_due(turn: &Turn<'_>, shared: &mut Shared) {
    remember_due(turn, shared);
}
