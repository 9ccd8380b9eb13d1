//! Messages a counsellor writes in a case room: `!commands` are answered in the room and
//! never relayed; anything else goes to the reporter and counts as contact.

use super::case::{Case, RecordRef, Status};
use super::io::{Author, Effects, Output, RoomMessageMeta, RoomPostKind, TranscriptEntry};
use super::settings::Counsellor;
use super::shared::Shared;
use super::text_keys as keys;
use super::time::Timestamp;
use super::turn::Turn;
use super::{Core, clocks, room_commands};
use crate::i18n::Args;

/// A counsellor's message, as [`handle`] takes it.
pub struct Message {
    pub sender: String,
    pub text: String,
    pub meta: RoomMessageMeta,
    /// The case's transcript, when the message is `!history` (else empty).
    pub transcript: Vec<TranscriptEntry>,
}

pub fn handle(
    core: &Core,
    now: Timestamp,
    case: Option<Case>,
    shared: &mut Shared,
    message: Message,
) -> Effects {
    let Message {
        sender,
        text,
        meta,
        transcript,
    } = message;
    let (mut turn, counsellor) = match admit(core, now, case, &sender, &meta) {
        Ok(admitted) => admitted,
        Err(effects) => return *effects,
    };
    turn.history = transcript;
    room_commands::handover_acknowledged(&mut turn, &sender);
    if let Some(command) = text.trim_start().strip_prefix('!') {
        let seq_before = turn.case.transcript_len;
        room_commands::run(&mut turn, shared, &sender, command);
        room_commands::remember_due(&turn, shared);
        // A `!note` is remembered by its event, so that an edit of it updates it.
        if let Some(event) = &meta.event
            && turn.case.transcript_len > seq_before
            && command.trim_start().starts_with("note")
        {
            turn.case.notes.insert(
                event.clone(),
                RecordRef {
                    seq: seq_before,
                    sender: sender.clone(),
                },
            );
        }
        return turn.finish();
    }
    if turn.case.status == Status::Intake {
        return turn.finish();
    }
    if text.trim().is_empty() {
        return not_passed_on(turn);
    }
    let seq = turn.case.transcript_len;
    turn.record(Author::Counsellor(sender.clone()), text.clone());
    if let Some(event) = &meta.event {
        turn.case
            .relayed
            .insert(event.clone(), RecordRef { seq, sender });
    }
    clocks::contact_made(&mut turn);
    room_commands::remember_due(&turn, shared);
    // `/me waves` reads "Anna waves"; anything else "Anna: ...".
    let key = if meta.emote {
        keys::REPORTER_COUNSELLOR_EMOTE
    } else {
        keys::REPORTER_COUNSELLOR_SAYS
    };
    let relayed = turn.text(
        key,
        &Args::new()
            .text("name", counsellor.first_name.clone())
            .text("text", text),
    );
    let formatted = meta.html.as_ref().map(|html| {
        turn.text(
            key,
            &Args::new()
                .text("name", super::present::escape_html(&counsellor.first_name))
                .text("text", html.clone()),
        )
    });
    turn.relay_to_reporters(
        &relayed,
        formatted.as_deref(),
        meta.event.as_deref(),
        meta.reply_to.as_deref(),
    );
    turn.finish()
}

/// A counsellor edited an earlier message (understood by its new content alone). A
/// relayed message is edited where the reporter has it; a `!note` is updated in the
/// transcript; a command, or an edit that reads as one, is neither run nor relayed.
pub fn edit(
    core: &Core,
    now: Timestamp,
    case: Option<Case>,
    sender: String,
    of: String,
    text: String,
    meta: RoomMessageMeta,
) -> Effects {
    let (mut turn, counsellor) = match admit(core, now, case, &sender, &meta) {
        Ok(admitted) => admitted,
        Err(effects) => return *effects,
    };
    // Only the writer's own edits count (the homeserver does not check that).
    let own = |r: &RecordRef| r.sender == sender;
    if let Some(note) = turn.case.notes.get(&of).filter(|r| own(r)).cloned() {
        turn.rewrite(note.seq, Author::Note(sender.clone()), text);
        notice(&mut turn, keys::ROOM_NOTE_EDITED);
        return turn.finish();
    }
    let Some(relayed) = turn.case.relayed.get(&of).filter(|r| own(r)).cloned() else {
        notice(&mut turn, keys::ROOM_EDIT_NOT_RELAYED);
        return turn.finish();
    };
    if text.trim_start().starts_with('!') || text.trim().is_empty() {
        notice(&mut turn, keys::ROOM_EDIT_COMMAND);
        return turn.finish();
    }
    turn.rewrite(
        relayed.seq,
        Author::Counsellor(sender.clone()),
        text.clone(),
    );
    let name = counsellor.first_name;
    let args = Args::new().text("name", name).text("text", text);
    for to in turn.case.reporters.clone() {
        turn.to = to.clone();
        let new_text = turn.text(keys::REPORTER_COUNSELLOR_SAYS, &args);
        let correction = turn.text(keys::REPORTER_CORRECTION, &args);
        turn.fx.outputs.push(Output::EditRelayed {
            to,
            source: of.clone(),
            text: new_text,
            correction,
        });
    }
    turn.finish()
}

/// Someone deleted an event in the case room: a relayed message of theirs is deleted
/// where the reporter has it (or not sent, if it was not yet). Deleting anything else
/// (a command, a notice) changes nothing the reporter has.
pub fn redaction(
    core: &Core,
    now: Timestamp,
    case: Option<Case>,
    sender: String,
    of: String,
) -> Effects {
    let Some(case) = case else {
        return Effects::default();
    };
    let Some(relayed) = case.relayed.get(&of).cloned() else {
        return Effects::default();
    };
    // The writer, or nobody: a member may not delete another's words from the chat.
    if relayed.sender != sender {
        return Effects::default();
    }
    let Some(to) = case.reporters.first().cloned() else {
        return Effects::default();
    };
    let mut turn = Turn::new(core, now, case, to);
    turn.case.relayed.remove(&of);
    for to in turn.case.reporters.clone() {
        turn.fx.outputs.push(Output::DeleteRelayed {
            to,
            source: of.clone(),
        });
    }
    turn.finish()
}

/// A counsellor of the case is typing: the employee sees "typing…", from nobody in
/// particular. Anyone else typing (an outsider, before removal) shows nothing.
pub fn typing(case: Option<Case>, typing: Vec<String>) -> Effects {
    let Some(case) = case else {
        return Effects::default();
    };
    let member = typing.iter().any(|t| case.members.contains(t));
    if !member || case.status != Status::Open || case.dialog.is_some() {
        return Effects::default();
    }
    Effects {
        outputs: case
            .reporters
            .iter()
            .map(|to| Output::ReporterTyping { to: to.clone() })
            .collect(),
        ..Effects::default()
    }
}

/// A counsellor sent something the bot cannot pass on: the room is told.
pub fn unsupported(
    core: &Core,
    now: Timestamp,
    case: Option<Case>,
    sender: String,
    meta: RoomMessageMeta,
) -> Effects {
    match admit(core, now, case, &sender, &meta) {
        Ok((turn, _)) => not_passed_on(turn),
        Err(effects) => *effects,
    }
}

fn not_passed_on(mut turn: Turn<'_>) -> Effects {
    notice(&mut turn, keys::ROOM_NOT_PASSED_ON);
    turn.finish()
}

fn notice(turn: &mut Turn<'_>, key: &str) {
    let text = turn.room_text(key, &Args::new());
    turn.room(text, RoomPostKind::Notice, Vec::new());
}

/// The start of anything a counsellor sends to a case room (words, commands, files): the
/// turn to work in and who they are, or what to do instead. Only configured counsellors
/// the bot brought into the case may steer it or reach the reporter.
pub fn admit<'c>(
    core: &'c Core,
    now: Timestamp,
    case: Option<Case>,
    sender: &str,
    meta: &RoomMessageMeta,
) -> Result<(Turn<'c>, Counsellor), Box<Effects>> {
    // A room whose case is gone (erased) has nothing to relay to; say nothing.
    let Some(case) = case else {
        return Err(Box::default());
    };
    let Some(to) = case.reporters.first().cloned() else {
        return Err(Box::default());
    };
    let mut turn = Turn::new(core, now, case, to);
    // Answers go where the message was written (a thread, or the main timeline).
    turn.thread = meta.thread.clone();
    let Some(counsellor) = core.settings.roster_for(&turn.case).find(sender).cloned() else {
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
