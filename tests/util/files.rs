//! Files on both sides, for the attachment tests: the counsellor's client downloads
//! (and decrypts) a file event and sends files as Element would; the employee sends
//! photos, documents and voice notes through the stand-in and reads back what arrived.

use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::media::{MediaFormat, MediaRequestParameters};
use matrix_sdk::ruma::events::room::message::{MessageType, RoomMessageEventContent};
use matrix_sdk::ruma::{OwnedEventId, RoomId};

use super::counsellor::MatrixPeer;
use super::employee::Employee;
use super::room_event::RoomEvent;
use super::world::WAIT;
use telegram_standin::SentMessage;

impl MatrixPeer {
    /// The media of a file or image event, fetched and decrypted as Element would.
    pub async fn download(&self, event: &RoomEvent) -> Vec<u8> {
        let content: RoomMessageEventContent =
            serde_json::from_value(event.raw["content"].clone()).expect("a message event");
        let source = match content.msgtype {
            MessageType::Image(i) => i.source,
            MessageType::File(f) => f.source,
            MessageType::Audio(a) => a.source,
            other => panic!("not a file event: {}", other.msgtype()),
        };
        let request = MediaRequestParameters {
            source,
            format: MediaFormat::File,
        };
        self.client()
            .media()
            .get_media_content(&request, false)
            .await
            .expect("downloading the file")
    }

    /// Sends a file into the room (encrypted if the room is), as Element's paperclip does.
    pub async fn send_file(
        &self,
        room_id: &RoomId,
        name: &str,
        mime: &str,
        bytes: Vec<u8>,
    ) -> OwnedEventId {
        let room = self.client().get_room(room_id).expect("a joined room");
        let mime: mime::Mime = mime.parse().expect("a content type");
        room.send_attachment(name, &mime, bytes, AttachmentConfig::new())
            .await
            .expect("sending a file")
            .event_id
    }
}

/// The `msgtype` of a message event (`m.image`, `m.file`...).
pub fn msgtype(event: &RoomEvent) -> Option<&str> {
    event.raw["content"]["msgtype"].as_str()
}

impl Employee {
    pub fn send_photo(&self, bytes: Vec<u8>, caption: Option<&str>) {
        self.standin
            .inject_photo(&self.user, bytes, caption)
            .expect("sending a photo as the employee");
    }

    pub fn send_voice(&self, bytes: Vec<u8>) {
        self.standin
            .inject_voice(&self.user, bytes)
            .expect("sending a voice note as the employee");
    }

    pub fn send_document(&self, bytes: Vec<u8>, name: &str) {
        self.standin
            .inject_document(&self.user, bytes, name, None)
            .expect("sending a document as the employee");
    }

    /// Waits for a file from the bot whose caption contains `needle`; returns the message
    /// and the file's bytes.
    pub async fn wait_for_file(&self, needle: &str) -> (SentMessage, Vec<u8>) {
        let matches = |m: &SentMessage| {
            !m.deleted
                && m.file_id.is_some()
                && m.caption.as_deref().is_some_and(|c| c.contains(needle))
        };
        let sent = self
            .standin
            .wait_for_sent(self.chat_id(), WAIT, |sent| sent.iter().any(matches))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let message = sent.into_iter().rev().find(matches).expect("found");
        let bytes = self
            .standin
            .file_bytes(message.file_id.as_deref().expect("a file"))
            .expect("the file's bytes");
        (message, bytes)
    }
}
