//! The employee's right of access (AVG art. 15): `/mydata` sends, in their chat, one
//! plain-text document with everything kept about their case: the intake answers, the
//! conversation (their messages and the counsellors', the notes a counsellor kept with
//! `!shared-note`, never a private `!note`), the dates, and what will be erased when. The case room is told that a copy
//! was asked for, not what is in it.
//!
//! Plain text, so any phone opens it and any reader can check it; it is stored sealed as
//! one of the case's files, as the files sent both ways are, and sent like them.

use super::files::{Cleaning, FileBytes, FileKind, Format, ReporterFile};
use super::io::{Author, Output, RoomPostKind, TranscriptEntry};
use super::text_keys as keys;
use super::turn::Turn;
use super::{Status, dialog, time};
use crate::i18n::Args;

/// Answers `/mydata`; the turn's `history` is the case's transcript as stored.
pub fn send_copy(turn: &mut Turn<'_>) {
    if turn.case.status == Status::Intake {
        turn.say(keys::REPORTER_MYDATA_NONE, &Args::new());
        return;
    }
    let document = document(turn);
    let name = format!(
        "{}-{}.txt",
        turn.text(keys::MYDATA_FILE_NAME, &Args::new()),
        turn.case.token
    );
    let bytes = FileBytes::new(document.into_bytes());
    let file = super::attachments::keep(
        turn,
        Author::Bot,
        FileKind::Document,
        Format::Txt,
        name,
        bytes,
        Cleaning::Clean,
    );
    let caption = turn.text(keys::REPORTER_MYDATA_CAPTION, &Args::new());
    // To the chat that asked, only.
    turn.fx.outputs.push(Output::ReporterFile(ReporterFile {
        to: turn.to.clone(),
        case: turn.case.id,
        file,
        caption,
    }));
    let notice = turn.room_text(keys::ROOM_MYDATA_SENT, &Args::new());
    turn.room(notice, RoomPostKind::Notice, Vec::new());
}

/// The document, in the employee's language.
fn document(turn: &Turn<'_>) -> String {
    let core = turn.core;
    let lang = &turn.case.lang;
    let tz = &core.settings.timezone;
    let when = |at| time::human(at, tz, &core.catalog, lang);
    let text = |id: &str, args: Args| core.catalog.render(lang, id, &args);
    let none = text(keys::MYDATA_NOT_YET, Args::new());
    let case = &turn.case;
    let mut out = String::new();
    let heading = |out: &mut String, id: &str| {
        let title = text(id, Args::new());
        out.push_str(&format!(
            "\n{title}\n{}\n",
            "=".repeat(title.chars().count())
        ));
    };
    out.push_str(&text(
        keys::MYDATA_TITLE,
        Args::new()
            .text("organisation", core.settings.organisation.clone())
            .text("token", case.token.to_string())
            .text("made", when(turn.now)),
    ));
    out.push('\n');

    heading(&mut out, keys::MYDATA_DATES);
    for (id, at) in [
        (keys::MYDATA_STARTED, Some(case.created_at)),
        (keys::MYDATA_SUBMITTED, case.submitted_at),
        (keys::MYDATA_FIRST_CONTACT, case.first_contact_at),
        (keys::MYDATA_CLOSED, case.closed_at),
    ] {
        let value = at.map(when).unwrap_or_else(|| none.clone());
        out.push_str(&format!("{}: {value}\n", text(id, Args::new())));
    }

    heading(&mut out, keys::MYDATA_ANSWERS);
    if let Some(intake) = core.dialogs.get(super::INTAKE) {
        out.push_str(&dialog::summary_lines(
            intake,
            &case.answers,
            &core.catalog,
            lang,
            None,
        ));
        out.push('\n');
    }

    heading(&mut out, keys::MYDATA_CONVERSATION);
    let you = text(keys::MYDATA_YOU, Args::new());
    for entry in &turn.history {
        if let Some(line) = conversation_line(turn, entry, &you) {
            out.push_str(&format!("[{}] {line}\n", when(entry.at)));
        }
    }

    heading(&mut out, keys::MYDATA_ERASURE);
    let dossier = case.answers.choice("consent") == Some("dossier");
    let retention = match dossier {
        true => core.settings.privacy.dossier_retention,
        false => core.settings.privacy.tally_retention,
    };
    let erased = match case.closed_at {
        Some(closed) => when(closed + retention),
        None => text(
            keys::MYDATA_ERASED_AFTER_CLOSE,
            Args::new().number("days", retention.as_hours() / 24),
        ),
    };
    out.push_str(&text(
        keys::MYDATA_ERASURE_TEXT,
        Args::new().text("erased", erased),
    ));
    out.push('\n');
    out
}

/// One line of the conversation as the employee may read it; `None` for what is not
/// theirs to read (a counsellor's private note) or is no conversation (the bot's own
/// notices to the room, which repeat the answers above).
fn conversation_line(turn: &Turn<'_>, entry: &TranscriptEntry, you: &str) -> Option<String> {
    match &entry.author {
        Author::Reporter => Some(format!("{you}: {}", entry.text)),
        Author::Counsellor(id) => Some(format!("{}: {}", first_name(turn, id), entry.text)),
        Author::SharedNote(id) => Some(format!(
            "{}: {}",
            turn.text(
                keys::MYDATA_NOTE,
                &Args::new().text("name", first_name(turn, id))
            ),
            entry.text
        )),
        Author::Note(_) | Author::Bot => None,
    }
}

/// The employee knows counsellors by first name only, never by account.
fn first_name(turn: &Turn<'_>, id: &str) -> String {
    turn.roster()
        .find(id)
        .map(|c| c.first_name.clone())
        .unwrap_or_else(|| turn.text(keys::MYDATA_A_COUNSELLOR, &Args::new()))
}
