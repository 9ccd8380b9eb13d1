//! Reading a timeline event: who sent it and what text it carries.

use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::ruma::events::room::message::MessageType;
use matrix_sdk::ruma::events::{
    AnySyncMessageLikeEvent, AnySyncTimelineEvent, SyncMessageLikeEvent,
};
use matrix_sdk::ruma::{OwnedEventId, OwnedUserId};

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
    /// State changes, reactions and the like.
    Other,
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
        _ => Seen::OtherMessage { id, sender },
    }
}
