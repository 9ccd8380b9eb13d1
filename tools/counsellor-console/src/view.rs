//! What the page shows, decided without the network: which timeline events become
//! lines, who each line is from ("bot", the counsellor's name, another member), and how
//! it is styled (relayed text, bot notice, own command...). Kept apart from the Matrix
//! calls so it can be tested on plain events.

use std::collections::HashMap;

use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::MessageType;
use matrix_sdk::ruma::events::{
    AnySyncMessageLikeEvent, AnySyncStateEvent, AnySyncTimelineEvent, SyncMessageLikeEvent,
    SyncStateEvent,
};
use matrix_sdk::ruma::{OwnedUserId, UserId};
use serde::Serialize;

/// The label of messages from the room's creator: in a case room, the bot.
pub const BOT_LABEL: &str = "bot";

/// One line of a room as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageView {
    pub id: String,
    /// Milliseconds since the Unix epoch, as the homeserver received it.
    pub ts: u64,
    pub sender: String,
    pub who: Who,
    pub kind: Kind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Who {
    Me,
    Bot,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Plain text: from the bot, what the reporter wrote; from a person, their message.
    Text,
    /// `m.notice`: the bot speaking for itself (case summary, command answers).
    Notice,
    Emote,
    /// Our own `!command`: for the bot only, never relayed to the reporter.
    Command,
    /// Encrypted, and this device has no key for it (yet).
    Undecryptable,
    /// A file, image, location...: not shown here.
    Unsupported,
    /// Deleted (redacted) message.
    Deleted,
    /// Someone joined, left, was invited...
    Membership,
}

/// An event reduced to what the page may show, before naming anyone.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub ts: u64,
    pub sender: OwnedUserId,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Text(String),
    Notice(String),
    Emote(String),
    Undecryptable,
    Unsupported,
    Deleted,
    Membership { target: OwnedUserId, change: Change },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Joined,
    Invited,
    Left,
    Other,
}

/// Reads a (decrypted, where possible) timeline event; `None` for events the page does
/// not show (other state changes, reactions, receipts...).
pub fn read(event: &TimelineEvent) -> Option<Entry> {
    let parsed: AnySyncTimelineEvent = event.raw().deserialize().ok()?;
    let id = parsed.event_id().to_string();
    let ts = u64::from(parsed.origin_server_ts().get());
    let sender = parsed.sender().to_owned();
    let entry = |content| Entry {
        id: id.clone(),
        ts,
        sender: sender.clone(),
        content,
    };
    if event.kind.is_utd() {
        return Some(entry(Content::Undecryptable));
    }
    match parsed {
        AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(message)) => {
            let SyncMessageLikeEvent::Original(message) = message else {
                return Some(entry(Content::Deleted));
            };
            Some(entry(match message.content.msgtype {
                MessageType::Text(t) => Content::Text(t.body),
                MessageType::Notice(n) => Content::Notice(n.body),
                MessageType::Emote(e) => Content::Emote(e.body),
                _ => Content::Unsupported,
            }))
        }
        // Still encrypted although not marked undecryptable: treat it the same.
        AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomEncrypted(_)) => {
            Some(entry(Content::Undecryptable))
        }
        AnySyncTimelineEvent::State(AnySyncStateEvent::RoomMember(SyncStateEvent::Original(
            member,
        ))) => {
            let change = match member.content.membership {
                MembershipState::Join => Change::Joined,
                MembershipState::Invite => Change::Invited,
                MembershipState::Leave | MembershipState::Ban => Change::Left,
                _ => Change::Other,
            };
            let target = UserId::parse(member.state_key.as_str()).ok()?;
            Some(entry(Content::Membership { target, change }))
        }
        _ => None,
    }
}

/// Who is who in one room.
pub struct People {
    pub me: OwnedUserId,
    pub my_name: String,
    /// The room's creators: in a case room, the bot.
    pub bots: Vec<OwnedUserId>,
    /// Display names of other members, where known.
    pub names: HashMap<OwnedUserId, String>,
}

impl People {
    pub fn who(&self, user: &UserId) -> (Who, String) {
        if user == self.me {
            (Who::Me, self.my_name.clone())
        } else if self.bots.iter().any(|b| b == user) {
            (Who::Bot, BOT_LABEL.to_owned())
        } else {
            let name = self
                .names
                .get(user)
                .cloned()
                .unwrap_or_else(|| user.localpart().to_owned());
            (Who::Other, name)
        }
    }
}

/// Names the sender and picks the style of one entry.
pub fn view(entry: Entry, people: &People) -> MessageView {
    let (who, sender) = people.who(&entry.sender);
    let (kind, text) = match entry.content {
        Content::Text(body) if who == Who::Me && is_command(&body) => (Kind::Command, body),
        Content::Text(body) => (Kind::Text, body),
        Content::Notice(body) => (Kind::Notice, body),
        Content::Emote(body) => (Kind::Emote, body),
        Content::Undecryptable => (
            Kind::Undecryptable,
            "(encrypted; this device has no key for it yet)".to_owned(),
        ),
        Content::Unsupported => (
            Kind::Unsupported,
            "(a file, image or other attachment; not shown here)".to_owned(),
        ),
        Content::Deleted => (Kind::Deleted, "(deleted)".to_owned()),
        Content::Membership { target, change } => {
            let (_, name) = people.who(&target);
            let did = match change {
                Change::Joined => "joined",
                Change::Invited => "was invited",
                Change::Left => "left",
                Change::Other => "changed membership",
            };
            (Kind::Membership, format!("{name} {did}"))
        }
    };
    MessageView {
        id: entry.id,
        ts: entry.ts,
        sender,
        who,
        kind,
        text,
    }
}

/// As the bot reads it: a message starting with `!` (after blanks) is a command.
pub fn is_command(text: &str) -> bool {
    text.trim_start().starts_with('!')
}

/// One room in the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoomView {
    pub room_id: String,
    /// The room's name, in a case room the case token; the id if it has none.
    pub name: String,
    pub encrypted: bool,
    /// False while an invite is still being accepted.
    pub joined: bool,
}

/// Case tokens sort in a stable order; unnamed rooms (shown by id) last.
pub fn sort_rooms(rooms: &mut [RoomView]) {
    rooms.sort_by(|a, b| {
        let unnamed = |r: &RoomView| r.name == r.room_id;
        (unnamed(a), &a.name, &a.room_id).cmp(&(unnamed(b), &b.name, &b.room_id))
    });
}

/// The profile's display name if it has one, else the user id's localpart.
pub fn display_name(user: &UserId, profile_name: Option<String>) -> String {
    profile_name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| user.localpart().to_owned())
}

#[cfg(test)]
mod tests;
