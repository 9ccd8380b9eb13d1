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
    CaseFile, Cleaning, FileBytes, FileKind, FileMeta, Format, IncomingFile, NewFile, Received,
    ReporterFile, RoomFile, megabytes, tidy_name,
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
        Received::TooComplex => Err((keys::REPORTER_FILE_TOO_COMPLEX, Args::new())),
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
    let max = turn.core.settings.files.max_per_case;
    if turn.case.files_kept >= max {
        turn.say(
            keys::REPORTER_FILE_QUOTA,
            &Args::new().number("count", i64::from(max)),
        );
        return;
    }
    let (format, bytes, cleaning) = match admit(turn.core, file.received) {
        Ok(admitted) => admitted,
        Err((key, args)) => {
            turn.say(key, &args);
            return;
        }
    };
    // The sender's own name may name people or places; the case token names nothing.
    let name = format!(
        "{}-{}.{}",
        turn.case.token,
        turn.case.transcript_len,
        format.extension()
    );
    let kept = keep(
        turn,
        Author::Reporter,
        file.kind,
        format,
        name,
        bytes,
        cleaning,
    );
    let name_arg = Args::new().text("name", kept.meta.name.clone());
    warn_if_uncleaned(turn, cleaning, &name_arg);
    let caption = turn.room_text(keys::ROOM_REPORTER_SENT_FILE, &name_arg);
    turn.fx.outputs.push(Output::RoomFile(RoomFile {
        case: turn.case.id,
        file: kept,
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

/// Keeps a file in the case: a transcript line naming it and its sealed bytes, stored at
/// the transcript position of that line.
pub(super) fn keep(
    turn: &mut Turn<'_>,
    author: Author,
    kind: FileKind,
    format: Format,
    name: String,
    bytes: FileBytes,
    cleaning: Cleaning,
) -> CaseFile {
    let seq = turn.case.transcript_len;
    turn.case.files_kept = turn.case.files_kept.saturating_add(1);
    turn.record(author, format!("[{name}]"));
    let meta = FileMeta {
        kind,
        format,
        name,
        size: bytes.len(),
        cleaning,
    };
    turn.fx.files.push(NewFile { seq, bytes });
    CaseFile { seq, meta }
}

/// Tells the counsellors, visibly, when a file's metadata could not all be removed.
fn warn_if_uncleaned(turn: &mut Turn<'_>, cleaning: Cleaning, name_arg: &Args) {
    let warning = match cleaning {
        Cleaning::Clean => return,
        Cleaning::Partial => keys::ROOM_FILE_PARTLY_CLEANED,
        Cleaning::NotRemovable | Cleaning::Unreadable => keys::ROOM_FILE_NOT_CLEANED,
    };
    let notice = turn.room_text(warning, name_arg);
    turn.room(notice, RoomPostKind::Notice, Vec::new());
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
    let (mut turn, counsellor) = match super::counsellor::admit(
        core,
        now,
        case,
        &sender,
        &super::io::RoomMessageMeta::default(),
    ) {
        Ok(admitted) => admitted,
        Err(effects) => return *effects,
    };
    if turn.case.status != Status::Open {
        return turn.finish();
    }
    if turn.case.files_kept >= core.settings.files.max_per_case {
        let notice = turn.room_text(
            keys::ROOM_FILE_QUOTA,
            &Args::new().number("count", i64::from(core.settings.files.max_per_case)),
        );
        turn.room(notice, RoomPostKind::Notice, vec![sender]);
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
    // A leaflet's own name tells the reporter what it is; only its path is dropped.
    let fallback = format!("{}-{}", turn.case.token, turn.case.transcript_len);
    let name = tidy_name(file.name.as_deref(), format, &fallback);
    let kept = keep(
        &mut turn,
        Author::Counsellor(sender),
        file.kind,
        format,
        name,
        bytes,
        cleaning,
    );
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
            file: kept.clone(),
            caption: caption.clone(),
        }));
    }
    let name_arg = Args::new().text("name", kept.meta.name);
    warn_if_uncleaned(&mut turn, cleaning, &name_arg);
    let notice = turn.room_text(keys::ROOM_FILE_SENT, &name_arg);
    turn.room(notice, RoomPostKind::Notice, Vec::new());
    turn.finish()
}
