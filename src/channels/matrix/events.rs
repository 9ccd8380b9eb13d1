//! Reading a timeline event: who sent it and what text or file it carries.

use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::ruma::events::room::MediaSource;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::MessageType;
use matrix_sdk::ruma::events::{
    AnySyncMessageLikeEvent, AnySyncStateEvent, AnySyncTimelineEvent, SyncMessageLikeEvent,
    SyncStateEvent,
};
use matrix_sdk::ruma::{OwnedEventId, OwnedUserId};

use crate::core::files::FileKind;

/// What an event means to the bot.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// A message with text (text, notice or emote).
    Text {
        id: OwnedEventId,
        sender: OwnedUserId,
        body: String,
    },
    /// A message the bot cannot relay yet (file, image, location...).
    OtherMessage {
        id: OwnedEventId,
        sender: OwnedUserId,
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
    let AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(
        SyncMessageLikeEvent::Original(message),
    )) = parsed
    else {
        return Seen::Other;
    };
    let sender = message.sender;
    match message.content.msgtype {
        MessageType::Text(t) => Seen::Text {
            id,
            sender,
            body: t.body,
        },
        MessageType::Notice(n) => Seen::Text {
            id,
            sender,
            body: n.body,
        },
        MessageType::Emote(e) => Seen::Text {
            id,
            sender,
            body: e.body,
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
        _ => Seen::OtherMessage { id, sender },
    }
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
