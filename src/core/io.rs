//! What goes into the core and what comes out: plain data, no network types.

use serde::{Deserialize, Serialize};

use super::address::ReporterAddress;
use super::case::{Case, TimerKind};
use super::files::{IncomingFile, NewFile, ReporterFile, RoomFile};
use super::ids::CaseId;
use super::registration::{Registration, RegistrationId};
use super::time::Timestamp;

/// One thing that happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Something from a reporter's chat.
    Reporter {
        from: ReporterAddress,
        event: ReporterEvent,
    },
    /// A message in a case room from someone other than the bot.
    Counsellor {
        case: CaseId,
        sender: String,
        text: String,
        /// Where it came from in the room (its event, its thread).
        meta: RoomMessageMeta,
    },
    /// A counsellor edited an earlier message of theirs (Matrix `m.replace`); `text` is
    /// the new content, never the edit's fallback body.
    CounsellorEdit {
        case: CaseId,
        sender: String,
        /// The event edited.
        of: String,
        text: String,
        meta: RoomMessageMeta,
    },
    /// Someone deleted (redacted) an event in a case room.
    CounsellorRedaction {
        case: CaseId,
        sender: String,
        of: String,
    },
    /// These people are typing in a case room (Matrix `m.typing`).
    CounsellorTyping { case: CaseId, typing: Vec<String> },
    /// A counsellor sent something the bot cannot pass on (a location, a poll, an empty
    /// message): the room is told, never silence.
    CounsellorUnsupported {
        case: CaseId,
        sender: String,
        meta: RoomMessageMeta,
    },
    /// A scheduled wake-up fell due.
    Timer { case: CaseId, kind: TimerKind },
    /// A message could not be delivered: refused for good, or not taken within the
    /// give-up bound. Whoever believes it arrived must be told.
    Undeliverable {
        case: CaseId,
        undelivered: Undelivered,
    },
    /// A file (image, document, audio) a counsellor put in a case room, fetched,
    /// decrypted and cleaned by the Matrix adapter.
    CounsellorFile {
        case: CaseId,
        sender: String,
        file: IncomingFile,
    },
    /// Someone joined a case room or was invited into it (seen in its timeline): anyone
    /// the bot did not bring into the case is removed.
    RoomMember { case: CaseId, user: String },
    /// A message in a case room stayed undecryptable past the bound: its sender's device
    /// did not give the bot the key (unverified, not cross-signed, or keys lost).
    CounsellorUndecryptable { case: CaseId, sender: String },
}

/// Where a counsellor's message stands in its room.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoomMessageMeta {
    /// The message's own event id.
    pub event: Option<String>,
    /// The thread it was written in (its root event), to answer there.
    pub thread: Option<String>,
    /// The message as Telegram HTML (bold, lists, links...), when it had formatting;
    /// every text in it escaped by the channel adapter.
    pub html: Option<String>,
    /// `/me`: the text is an action ("Anna waves"), not words.
    pub emote: bool,
    /// The room event it replies to.
    pub reply_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReporterEvent {
    Text(String),
    /// An inline button was pressed; `message` is the Telegram message that carried it.
    Button {
        data: String,
        message: Option<i32>,
    },
    /// Something the bot cannot take (a sticker, a location, an unknown update kind...).
    Unsupported,
    /// A photo, document or voice note, fetched and cleaned by the channel adapter.
    File(IncomingFile),
    /// A Matrix message that stayed undecryptable past the bound.
    Undecryptable,
    /// A message in a Matrix chat without encryption: no intake runs in plain text.
    Unencrypted,
    /// The employee edited a message they sent earlier (Telegram `edited_message`);
    /// `text` is the new text.
    Edited(String),
    /// Text with formatting (Telegram entities: bold, links...): `html` is the same
    /// words as HTML for the case room; everywhere else it is plain `text`.
    FormattedText {
        text: String,
        html: String,
    },
}

/// One thing to send. Reporter messages carry their address; room messages their case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Output {
    Reporter(ReporterMessage),
    /// Take the buttons off a message whose question has been answered (Telegram only).
    RemoveButtons {
        to: ReporterAddress,
        message: i32,
    },
    /// Replace a message's text and buttons in place (a multi-choice tick, Telegram only).
    EditReporter {
        to: ReporterAddress,
        message: i32,
        text: String,
        buttons: Vec<Vec<Button>>,
    },
    CreateRoom(RoomSetup),
    Room(RoomPost),
    /// Delete the bot's messages in a reporter's chat (`/wipe`). Which ones is read from
    /// the store's record of sent messages when this reaches the head of the chat's queue:
    /// every message queued before it has been delivered and recorded by then.
    WipeReporterChat {
        to: ReporterAddress,
    },
    /// Invite a counsellor into the case room (escalation, handover). `then` goes out
    /// only once the homeserver has taken the invite (the reporter is told someone else
    /// is involved only when it is true).
    Invite {
        case: CaseId,
        user: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        then: Vec<Output>,
    },
    /// Take a counsellor out of the case room (after a handover).
    Remove {
        case: CaseId,
        user: String,
    },
    /// A message in a counsellor's direct chat with the bot (the daily digest).
    CounsellorDm {
        to: String,
        text: String,
    },
    /// A notice for the room of a case that is being erased: the store resolves the room
    /// while it still can (its record goes with the case).
    RoomAfterErasure {
        case: CaseId,
        room_id: String,
        text: String,
    },
    /// A message to the organisation's HR room, in the very words the employee agreed to
    /// (`!inform-hr`); never made without their yes.
    HrNotice {
        room_id: String,
        text: String,
    },
    /// Post a stored file in the case room (as an encrypted attachment).
    RoomFile(RoomFile),
    /// Send a stored file to a reporter's chat.
    ReporterFile(ReporterFile),
    /// Leave and forget the case room of an erased case, and remove what the bot's own
    /// Matrix store keeps of it. The store fills in the room while it still knows it.
    LeaveCaseRoom {
        case: CaseId,
        #[serde(default)]
        room_id: Option<String>,
    },
    /// Leave and forget a reporter's Matrix chat of an erased case (after its last
    /// message), and remove what the bot's own Matrix store keeps of it.
    LeaveReporterChat {
        to: ReporterAddress,
    },
    /// A counsellor edited a relayed message: the reporter's copy (the messages sent
    /// from event `source`) takes the new text; where the network no longer allows an
    /// edit, `correction` is sent instead. Not yet sent, the message goes out edited.
    EditRelayed {
        to: ReporterAddress,
        source: String,
        text: String,
        correction: String,
    },
    /// A counsellor deleted a relayed message: the reporter's copy is deleted where the
    /// network allows it. Not yet sent, it is not sent at all.
    DeleteRelayed {
        to: ReporterAddress,
        source: String,
    },
    /// A read receipt on a counsellor's event in the case room: the employee's network
    /// took the message it became, so Element shows it arrived. Made by the store when
    /// the relay is delivered, never by the core.
    RoomReceipt {
        case: CaseId,
        event: String,
    },
    /// "typing…" in a reporter's chat (a counsellor is writing); it names nobody.
    ReporterTyping {
        to: ReporterAddress,
    },
}

impl Output {
    /// The network this output goes to.
    pub fn channel(&self) -> super::ChannelKind {
        use super::ChannelKind;
        match self {
            Output::Reporter(m) => m.to.channel(),
            Output::RemoveButtons { to, .. }
            | Output::EditReporter { to, .. }
            | Output::WipeReporterChat { to }
            | Output::LeaveReporterChat { to }
            | Output::EditRelayed { to, .. }
            | Output::DeleteRelayed { to, .. }
            | Output::ReporterTyping { to } => to.channel(),
            Output::ReporterFile(file) => file.to.channel(),
            Output::CreateRoom(_)
            | Output::LeaveCaseRoom { .. }
            | Output::RoomReceipt { .. }
            | Output::Room(_)
            | Output::RoomAfterErasure { .. }
            | Output::Invite { .. }
            | Output::Remove { .. }
            | Output::CounsellorDm { .. }
            | Output::HrNotice { .. }
            | Output::RoomFile(_) => ChannelKind::Matrix,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReporterMessage {
    pub to: ReporterAddress,
    pub text: String,
    /// Rows of inline buttons (Telegram). Matrix reporters get numbered text instead.
    pub buttons: Vec<Vec<Button>>,
    /// The counsellor's event this relays, so an edit or deletion of it can follow it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The same message with formatting (Telegram HTML, escaped), if it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// The room event this answers (a counsellor's reply): if it relays one of the
    /// employee's messages, the message goes as a reply to that one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub data: String,
}

/// The case room to create for a submitted case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomSetup {
    pub case: CaseId,
    /// The room's name: the case token, nothing else.
    pub name: String,
    pub topic: String,
    pub invite: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoomPostKind {
    /// The bot speaking (m.notice): summaries, answers to commands.
    Notice,
    /// The reporter's own words, relayed (m.text).
    Relay,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomPost {
    pub case: CaseId,
    pub text: String,
    pub kind: RoomPostKind,
    /// Matrix ids to mention, so their clients notify them.
    pub mentions: Vec<String>,
    /// The thread to post in (an answer to a command asked there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    /// The employee's own message this relays (Telegram), so that a counsellor's reply
    /// to it can answer it there, and an edit of it can follow it into the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_message: Option<EmployeeMessage>,
    /// The same post as HTML (the employee's formatting), if it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
}

/// An employee's message in their own chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeMessage {
    pub from: ReporterAddress,
    pub id: i32,
    /// The post is an edit of that message (the relay already in the room changes).
    #[serde(default)]
    pub edit: bool,
}

/// A message that could not be delivered, as the delivery worker saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Undelivered {
    pub to: UndeliveredTo,
    pub why: Refusal,
    /// The start of the message's text, to say which one it was (for the side that
    /// wrote it).
    pub excerpt: Option<String>,
}

/// Where an undelivered message was going.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UndeliveredTo {
    /// The reporter's chat.
    Reporter,
    /// The case room.
    Room,
    /// An invitation of this person into the case room.
    Member { user: String },
    /// Deleting (or editing) a relayed message in the reporter's chat: it stays there
    /// as it was.
    Deletion,
}

/// Why a message could not be delivered, in the terms people are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The chat is gone: blocked, deleted, the account deactivated, the bot removed.
    Unreachable,
    /// Too large for the network.
    TooLarge,
    /// The network refused it for another reason.
    Refused,
    /// The person to invite does not exist.
    UnknownUser,
    /// It could not be delivered for longer than the give-up bound.
    GaveUp,
}

impl Refusal {
    /// The selector the texts use.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Unreachable => "unreachable",
            Refusal::TooLarge => "too-large",
            Refusal::Refused => "refused",
            Refusal::UnknownUser => "unknown-user",
            Refusal::GaveUp => "gave-up",
        }
    }
}

/// Who wrote a transcript record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Author {
    Reporter,
    Counsellor(String),
    /// A counsellor's `!note`, kept but never relayed.
    Note(String),
    /// A counsellor's `!shared-note`: never relayed either, but the employee's to read in
    /// the copy `/mydata` gives them.
    SharedNote(String),
    Bot,
}

/// One record of a case's conversation, stored sealed at position `seq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptEntry {
    pub seq: u64,
    pub at: Timestamp,
    pub author: Author,
    pub text: String,
}

/// What became of the case.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CaseChange {
    #[default]
    Unchanged,
    Save(Box<Case>),
    /// Destroy the case: its key, its records, its lookups.
    Erase(Box<Case>),
}

/// Everything one input caused; the store writes it in one transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Effects {
    pub case: CaseChange,
    pub transcript: Vec<TranscriptEntry>,
    pub outputs: Vec<Output>,
    /// A short answer to a pressed button (Telegram's callback answer); not persisted.
    pub toast: Option<String>,
    /// The case's anonymous registration record, as it now stands (set for every saved
    /// or erased submitted case by `registration::attach`).
    pub registration: Option<(RegistrationId, Registration)>,
    /// Remove the case's transcript records (retention ended; the case itself stays).
    pub drop_transcript: bool,
    /// Someone who may not steer the case wrote in its room (logged, without content).
    pub refused: bool,
    /// (Re)arms a timer of the system itself rather than of a case (the digest).
    pub system_timer: Option<(TimerKind, Timestamp)>,
    /// Files to store sealed with the case key, in the same transaction.
    pub files: Vec<NewFile>,
}

impl Effects {
    pub fn with_output(output: Output) -> Effects {
        Effects {
            outputs: vec![output],
            ..Effects::default()
        }
    }
}
