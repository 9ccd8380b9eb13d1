//! Files on Matrix. Outbound, a stored file is uploaded as an attachment: in an encrypted
//! room matrix-sdk encrypts it before upload (the homeserver holds ciphertext only) and
//! the event carries the key. The entry's id is the transaction id, so a send retried
//! after a crash is not posted twice. Inbound, a file event's media is downloaded and
//! decrypted by matrix-sdk, then cleaned like any other file.

use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::ruma::OwnedTransactionId;
use matrix_sdk::ruma::events::room::MediaSource;
use matrix_sdk::ruma::events::room::message::TextMessageEventContent;

use super::Matrix;
use super::download::Downloaded;
use super::outbound::transient;
use crate::app::DeliveryError;
use crate::core::files::{CaseFile, FileLimits, IncomingFile, Received};
use crate::store::{Delivered, OutboxEntry, Store};

impl Matrix {
    /// Posts stored file `file` of `entry`'s case in `room_id`, with `caption` as its text.
    pub(super) async fn send_file(
        &self,
        store: &Store,
        room_id: &str,
        file: &CaseFile,
        caption: &str,
        entry: &OutboxEntry,
    ) -> Result<Delivered, DeliveryError> {
        let case = entry
            .case
            .ok_or_else(|| DeliveryError::refused("a file without a case"))?;
        let bytes = match store.load_file(case, file.seq) {
            Ok(bytes) => bytes,
            // Erased meanwhile: there is nothing left to send, and nothing should be.
            Err(crate::store::StoreError::FileMissing) => return Ok(Delivered::Nothing),
            Err(e) => return Err(transient(e)),
        };
        let room = self.known_room(room_id)?;
        let mime: mime::Mime = file
            .meta
            .format
            .mime()
            .parse()
            .unwrap_or(mime::APPLICATION_OCTET_STREAM);
        let txn_id: OwnedTransactionId = entry.idempotency_key().into();
        let config = AttachmentConfig::new()
            .txn_id(txn_id)
            .caption(Some(TextMessageEventContent::plain(caption)));
        let sent = room
            .send_attachment(
                file.meta.name.clone(),
                &mime,
                bytes.bytes().to_vec(),
                config,
            )
            .await
            .map_err(|e| super::errors::classify(&e))?;
        Ok(Delivered::RoomEvent {
            event_id: sent.event_id.to_string(),
        })
    }

    /// A file event as the core takes it, from a case room (counsellor) or, with the same
    /// call, from a reporter's direct-message room (`ReporterEvent::File`).
    pub(super) async fn incoming_file(
        &self,
        file: super::events::SeenFile,
        limits: &FileLimits,
    ) -> Result<IncomingFile, FetchError> {
        let received = self.fetch(file.source.0, file.size, limits).await?;
        Ok(IncomingFile {
            kind: file.kind,
            received,
            caption: file.caption,
            name: Some(file.name),
        })
    }

    /// Downloads (and, for encrypted rooms, decrypts) a file event's media. `size` is
    /// what the event claims; a file claimed or found larger than the limit is not kept.
    /// Media the server refuses (gone, forbidden) or that does not decrypt is
    /// `Unavailable`; a network failure is an error, so the event is fetched again later.
    pub(super) async fn fetch(
        &self,
        source: MediaSource,
        size: Option<u64>,
        limits: &FileLimits,
    ) -> Result<Received, FetchError> {
        if let Some(size) = size.filter(|s| *s > limits.max_bytes) {
            return Ok(Received::TooLarge { size });
        }
        // Whatever the event claims, the download stops at the limit.
        match super::download::download(&self.client, &source, limits.max_bytes).await? {
            Downloaded::TooLarge { read } => Ok(Received::TooLarge { size: read }),
            Downloaded::Bytes(bytes) => Ok(crate::media::clean(bytes, limits.max_bytes).await),
            Downloaded::Refused => {
                tracing::warn!("the homeserver will not hand over a file, or it does not decrypt");
                Ok(Received::Unavailable)
            }
        }
    }
}

/// The homeserver could not be reached for a file; the event is handled again later.
#[derive(Debug, thiserror::Error)]
#[error("a file could not be fetched from the homeserver: {0}")]
pub struct FetchError(String);

impl FetchError {
    pub fn new(reason: impl Into<String>) -> FetchError {
        FetchError(reason.into())
    }
}
