//! Reading a timeline event: who sent it and what text or file it carries.

use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::ruma::events::room::MediaSource;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::{
    FormattedBody, MessageFormat, MessageType, Relation,
};
use matrix_sdk::ruma::events::room::redaction::SyncRoomRedactionEvent;
use matrix_sdk::ruma::events::{
    AnySyncMessageLikeEvent, AnySyncStateEvent, AnySyncTimelineEvent, SyncMessageLikeEvent,
    SyncStateEvent,
};
use matrix_sdk::ruma::{OwnedEventId, OwnedUserId};

use crate::core::files::FileKind;

/// What an event means to the bot.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// A message with text (text, notice or emote); a reply's quoted fallback is gone.
    Text {
        id: OwnedEventId,
        sender: OwnedUserId,
        body: String,
        /// The thread it was written in (its root).
        thread: Option<OwnedEventId>,
        /// Element's `formatted_body` (HTML), when the message has formatting.
        formatted: Option<String>,
        /// `/me`: the body is an action of the sender's.
        emote: bool,
        /// The event it replies to (not a thread's fallback).
        reply_to: Option<OwnedEventId>,
    },
    /// An edit (`m.replace`) of an earlier message, read from its new content (never
    /// from the fallback body, which repeats the old text after " * ").
    Edit {
        id: OwnedEventId,
        sender: OwnedUserId,
        of: OwnedEventId,
        body: String,
        thread: Option<OwnedEventId>,
    },
    /// A deletion (redaction) of an earlier event.
    Redaction {
        id: OwnedEventId,
        sender: OwnedUserId,
        of: OwnedEventId,
    },
    /// A message the bot cannot relay (a location, a poll, a video...).
    OtherMessage {
        id: OwnedEventId,
        sender: OwnedUserId,
        thread: Option<OwnedEventId>,
    },
    /// Encrypted, and the key has not arrived (yet).
    Undecryptable { id: OwnedEventId },
    /// Someone joined the room or was invited into it.
    Member { id: OwnedEventId, user: OwnedUserId },
    /// State changes, reactions and the like.
    Other,
    /// An image, file or audio message: its media is fetched before it is handled.
    File {
        id: OwnedEventId,
        sender: OwnedUserId,
        file: SeenFile,
    },
}

/// What a file event says about its file.
#[derive(Debug, Clone, PartialEq)]
pub struct SeenFile {
    pub kind: FileKind,
    pub source: Media,
    pub name: String,
    /// The size the sender's client claims.
    pub size: Option<u64>,
    pub caption: Option<String>,
}

pub fn read(event: &TimelineEvent) -> Seen {
    let Some(id) = event.event_id() else {
        return Seen::Other;
    };
    if event.kind.is_utd() {
        return Seen::Undecryptable { id };
    }
    let Ok(parsed) = event.raw().deserialize() else {
        // A message that does not read as one (no body, a body that is no text): still
        // a message, which the room hears was not passed on.
        if event
            .raw()
            .get_field::<String>("type")
            .ok()
            .flatten()
            .as_deref()
            == Some("m.room.message")
            && let Some(sender) = event.sender()
        {
            return Seen::OtherMessage {
                id,
                sender,
                thread: None,
            };
        }
        return Seen::Other;
    };
    if let AnySyncTimelineEvent::State(AnySyncStateEvent::RoomMember(SyncStateEvent::Original(
        member,
    ))) = &parsed
    {
        return match member.content.membership {
            MembershipState::Join | MembershipState::Invite => Seen::Member {
                id,
                user: member.state_key.clone(),
            },
            _ => Seen::Other,
        };
    }
    if let AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomRedaction(
        SyncRoomRedactionEvent::Original(redaction),
    )) = &parsed
    {
        // Room versions from 11 carry `redacts` in the content, older ones beside it.
        let of = redaction
            .content
            .redacts
            .clone()
            .or_else(|| redaction.redacts.clone());
        return match of {
            Some(of) => Seen::Redaction {
                id,
                sender: redaction.sender.clone(),
                of,
            },
            None => Seen::Other,
        };
    }
    let AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(
        SyncMessageLikeEvent::Original(message),
    )) = parsed
    else {
        return Seen::Other;
    };
    let sender = message.sender;
    let reply_to = match &message.content.relates_to {
        Some(Relation::Reply(reply)) => Some(reply.in_reply_to.event_id.clone()),
        Some(Relation::Thread(thread)) if !thread.is_falling_back => {
            thread.in_reply_to.as_ref().map(|r| r.event_id.clone())
        }
        _ => None,
    };
    let (thread, replying) = match &message.content.relates_to {
        Some(Relation::Replacement(replacement)) => {
            let body = text_of(&replacement.new_content.msgtype);
            return match body {
                Some(body) => Seen::Edit {
                    id,
                    sender,
                    of: replacement.event_id.clone(),
                    body,
                    thread: None,
                },
                None => Seen::OtherMessage {
                    id,
                    sender,
                    thread: None,
                },
            };
        }
        Some(Relation::Reply(_)) => (None, true),
        Some(Relation::Thread(thread)) => (
            Some(thread.event_id.clone()),
            thread.in_reply_to.is_some() && !thread.is_falling_back,
        ),
        _ => (None, false),
    };
    // A reply from an older client quotes what it answers ("> <@anna:...> ...") before
    // the answer: the quote (a note, the employee's own words, a Matrix id) never leaves.
    let body_of = |body: String| {
        if replying {
            strip_reply_fallback(&body)
        } else {
            body
        }
    };
    let html = |formatted: Option<FormattedBody>| {
        formatted
            .filter(|f| f.format == MessageFormat::Html)
            .map(|f| f.body)
    };
    match message.content.msgtype {
        MessageType::Text(t) => Seen::Text {
            id,
            sender,
            body: body_of(t.body),
            thread,
            formatted: html(t.formatted),
            emote: false,
            reply_to: reply_to.clone(),
        },
        MessageType::Notice(n) => Seen::Text {
            id,
            sender,
            body: body_of(n.body),
            thread,
            formatted: html(n.formatted),
            emote: false,
            reply_to: reply_to.clone(),
        },
        MessageType::Emote(e) => Seen::Text {
            id,
            sender,
            body: body_of(e.body),
            thread,
            formatted: html(e.formatted),
            emote: true,
            reply_to: reply_to.clone(),
        },
        MessageType::Image(i) => file(
            id,
            sender,
            FileKind::Photo,
            i.source,
            i.body,
            i.filename,
            i.info.and_then(|i| i.size),
        ),
        MessageType::File(f) => file(
            id,
            sender,
            FileKind::Document,
            f.source,
            f.body,
            f.filename,
            f.info.and_then(|i| i.size),
        ),
        MessageType::Audio(a) => file(
            id,
            sender,
            FileKind::Audio,
            a.source,
            a.body,
            a.filename,
            a.info.and_then(|i| i.size),
        ),
        _ => Seen::OtherMessage { id, sender, thread },
    }
}

/// The text of a message's (new) content, for the kinds that carry words.
fn text_of(msgtype: &MessageType) -> Option<String> {
    match msgtype {
        MessageType::Text(t) => Some(t.body.clone()),
        MessageType::Notice(n) => Some(n.body.clone()),
        MessageType::Emote(e) => Some(e.body.clone()),
        _ => None,
    }
}

/// Removes a reply fallback: the quoted lines ("> ...") that open the body, and the
/// blank line after them (Matrix spec, "Fallbacks for rich replies").
pub fn strip_reply_fallback(body: &str) -> String {
    if !body.starts_with('>') {
        return body.to_owned();
    }
    let mut lines = body.lines().peekable();
    while lines.peek().is_some_and(|line| line.starts_with('>')) {
        lines.next();
    }
    if lines.peek().is_some_and(|line| line.is_empty()) {
        lines.next();
    }
    lines.collect::<Vec<_>>().join("\n")
}

/// A file event. With a separate `filename`, `body` is a caption (Matrix 1.10 captions);
/// without one, `body` is the file name.
fn file(
    id: OwnedEventId,
    sender: OwnedUserId,
    kind: FileKind,
    source: MediaSource,
    body: String,
    filename: Option<String>,
    size: Option<matrix_sdk::ruma::UInt>,
) -> Seen {
    let (name, caption) = match filename {
        Some(name) if name != body => (name, Some(body)),
        _ => (body, None),
    };
    Seen::File {
        id,
        sender,
        file: SeenFile {
            kind,
            source: Media(source),
            name,
            size: size.map(u64::from),
            caption,
        },
    }
}

/// Where a file event's media is (and its key, in an encrypted room).
#[derive(Debug, Clone)]
pub struct Media(pub MediaSource);

/// ruma's `MediaSource` has no `PartialEq`; two sources are equal when they serialise alike.
impl PartialEq for Media {
    fn eq(&self, other: &Media) -> bool {
        serde_json::to_value(&self.0).ok() == serde_json::to_value(&other.0).ok()
    }
}
