//! Files in an open case, both ways. A reporter's file is checked against the limits,
//! stored sealed (in the same commit as its transcript record) under a neutral name and
//! posted in the case room, with a visible warning when its metadata could not be removed.
//! A counsellor's file goes the other way, to every chat of the reporter.
//!
//! The channel adapters have already fetched and cleaned the bytes; nothing here is
//! network-specific, so any reporter channel that produces [`ReporterEvent::File`]
//! (Telegram today, a Matrix DM tomorrow) gets the same handling.
//!
//! [`ReporterEvent::File`]: super::io::ReporterEvent::File

use super::case::{Case, Status};
use super::files::{
    CaseFile, Cleaning, FileBytes, FileMeta, Format, IncomingFile, NewFile, Received, ReporterFile,
    RoomFile, megabytes, tidy_name,
};
use super::io::{Author, Effects, Output, RoomPostKind};
use super::shared::Shared;
use super::text_keys as keys;
use super::time::Timestamp;
use super::turn::Turn;
use super::{Core, clocks, room_commands};
use crate::i18n::Args;

/// Why a file is not taken, or `None` with its format and bytes when it is.
fn admit(
    core: &Core,
    received: Received,
) -> Result<(Format, FileBytes, Cleaning), (&'static str, Args)> {
    let limits = &core.settings.files;
    let limit = megabytes(limits.max_bytes);
    let too_large = |size: u64| {
        (
            keys::REPORTER_FILE_TOO_LARGE,
            Args::new()
                .number("size", megabytes(size))
                .number("limit", limit),
        )
    };
    match received {
        Received::TooLarge { size } => Err(too_large(size)),
        Received::Unavailable => Err((keys::REPORTER_FILE_UNAVAILABLE, Args::new())),
        Received::File { bytes, .. } if bytes.len() > limits.max_bytes => {
            Err(too_large(bytes.len()))
        }
        Received::File {
            format: Some(format),
            bytes,
            cleaning,
        } if limits.allows(format) => Ok((format, bytes, cleaning)),
        Received::File { .. } => Err((
            keys::REPORTER_FILE_TYPE_REFUSED,
            Args::new().text("types", limits.type_list()),
        )),
    }
}

/// A reporter's file. Only an open case takes files: during the intake there is no
/// counsellor yet, and nothing is kept of an intake that is stopped.
pub fn from_reporter(turn: &mut Turn<'_>, file: IncomingFile) {
    if turn.case.status != Status::Open {
        turn.say(keys::REPORTER_FILE_BEFORE_SUBMIT, &Args::new());
        return;
    }
    let (format, bytes, cleaning) = match admit(turn.core, file.received) {
        Ok(admitted) => admitted,
        Err((key, args)) => {
            turn.say(key, &args);
            return;
        }
    };
    let seq = turn.case.transcript_len;
    // The sender's own name may name people or places; the case token names nothing.
    let name = format!("{}-{}.{}", turn.case.token, seq, format.extension());
    let meta = FileMeta {
        kind: file.kind,
        format,
        name: name.clone(),
        size: bytes.len(),
        cleaning,
    };
    turn.record(Author::Reporter, format!("[{name}]"));
    turn.fx.files.push(NewFile { seq, bytes });
    let name_arg = Args::new().text("name", name.clone());
    if let Some(warning) = warning_key(cleaning) {
        let notice = turn.room_text(warning, &name_arg);
        turn.room(notice, RoomPostKind::Notice, Vec::new());
    }
    let caption = turn.room_text(keys::ROOM_REPORTER_SENT_FILE, &name_arg);
    turn.fx.outputs.push(Output::RoomFile(RoomFile {
        case: turn.case.id,
        file: CaseFile { seq, meta },
        caption,
    }));
    if let Some(text) = file.caption.filter(|c| !c.trim().is_empty()) {
        turn.record(Author::Reporter, text.clone());
        let post = turn.room_text(keys::ROOM_REPORTER_SAYS, &Args::new().text("text", text));
        turn.room(post, RoomPostKind::Relay, Vec::new());
    }
    let reply = match cleaning {
        Cleaning::Clean => keys::REPORTER_FILE_RECEIVED,
        _ => keys::REPORTER_FILE_RECEIVED_UNCLEANED,
    };
    turn.say(reply, &name_arg);
}

fn warning_key(cleaning: Cleaning) -> Option<&'static str> {
    match cleaning {
        Cleaning::Clean => None,
        Cleaning::Partial => Some(keys::ROOM_FILE_PARTLY_CLEANED),
        Cleaning::NotRemovable | Cleaning::Unreadable => Some(keys::ROOM_FILE_NOT_CLEANED),
    }
}

/// A counsellor's file in the case room: to every chat of the reporter. It counts as
/// contact, like a written message.
pub fn from_counsellor(
    core: &Core,
    now: Timestamp,
    case: Option<Case>,
    shared: &mut Shared,
    sender: String,
    file: IncomingFile,
) -> Effects {
    let Some(case) = case else {
        return Effects::default();
    };
    let Some(to) = case.reporters.first().cloned() else {
        return Effects::default();
    };
    let mut turn = Turn::new(core, now, case, to);
    let Some(counsellor) = core.settings.roster.find(&sender).cloned() else {
        let notice = turn.room_text(keys::ROOM_NOT_A_COUNSELLOR, &Args::new());
        turn.room(notice, RoomPostKind::Notice, vec![sender]);
        turn.fx.refused = true;
        return turn.finish();
    };
    // As for words: only the counsellors the bot brought into the case reach the reporter.
    let member = turn.case.members.contains(&sender)
        || turn.case.counsellor.as_deref() == Some(sender.as_str());
    if !member {
        let notice = turn.room_text(keys::ROOM_NOT_A_MEMBER, &Args::new());
        turn.room(notice, RoomPostKind::Notice, vec![sender]);
        turn.fx.refused = true;
        return turn.finish();
    }
    if turn.case.status != Status::Open {
        return turn.finish();
    }
    let (format, bytes, cleaning) = match admit(core, file.received) {
        Ok(admitted) => admitted,
        Err((keys::REPORTER_FILE_UNAVAILABLE, _)) => {
            let notice = turn.room_text(keys::ROOM_FILE_UNAVAILABLE, &Args::new());
            turn.room(notice, RoomPostKind::Notice, vec![sender]);
            return turn.finish();
        }
        Err(_) => {
            let limits = &core.settings.files;
            let args = Args::new()
                .text("types", limits.type_list())
                .number("limit", megabytes(limits.max_bytes));
            let notice = turn.room_text(keys::ROOM_FILE_REFUSED, &args);
            turn.room(notice, RoomPostKind::Notice, vec![sender]);
            return turn.finish();
        }
    };
    let seq = turn.case.transcript_len;
    // A leaflet's own name tells the reporter what it is; only its path is dropped.
    let fallback = format!("{}-{}", turn.case.token, seq);
    let name = tidy_name(file.name.as_deref(), format, &fallback);
    let meta = FileMeta {
        kind: file.kind,
        format,
        name: name.clone(),
        size: bytes.len(),
        cleaning,
    };
    turn.record(Author::Counsellor(sender), format!("[{name}]"));
    turn.fx.files.push(NewFile { seq, bytes });
    clocks::contact_made(&mut turn);
    room_commands::remember_due(&turn, shared);
    let caption = turn.text(
        keys::REPORTER_COUNSELLOR_SENT_FILE,
        &Args::new().text("name", counsellor.first_name),
    );
    for to in turn.case.reporters.clone() {
        turn.fx.outputs.push(Output::ReporterFile(ReporterFile {
            to,
            case: turn.case.id,
            file: CaseFile {
                seq,
                meta: meta.clone(),
            },
            caption: caption.clone(),
        }));
    }
    let name_arg = Args::new().text("name", name);
    if let Some(warning) = warning_key(cleaning) {
        let notice = turn.room_text(warning, &name_arg);
        turn.room(notice, RoomPostKind::Notice, Vec::new());
    }
    let notice = turn.room_text(keys::ROOM_FILE_SENT, &name_arg);
    turn.room(notice, RoomPostKind::Notice, Vec::new());
    turn.finish()
}
