//! A counsellor's relayed message edited or deleted in the case room, followed into an
//! employee's Matrix chat: the bot's copy there (the store records which counsellor
//! event each relays) gets a Matrix edit (`m.replace`, with the new content) or is
//! redacted. Both are repeatable: the edit goes with the entry's transaction id, and
//! redacting a redacted event changes nothing.

use matrix_sdk::ruma::events::room::message::{ReplacementMetadata, RoomMessageEventContent};
use matrix_sdk::ruma::{OwnedEventId, OwnedTransactionId};

use super::Matrix;
use super::errors::classify_http;
use super::outbound::transient;
use crate::app::DeliveryError;
use crate::core::ReporterAddress;
use crate::store::{Delivered, OutboxEntry, Store};

impl Matrix {
    /// The events in `to`'s chat that relay counsellor event `source`, and the room.
    fn copies(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        to: &ReporterAddress,
        source: &str,
    ) -> Result<Option<(matrix_sdk::Room, Vec<OwnedEventId>)>, DeliveryError> {
        let ReporterAddress::Matrix { room_id } = to else {
            return Err(DeliveryError::refused("not a Matrix chat"));
        };
        let Some(case) = entry.case else {
            return Ok(None);
        };
        let events: Vec<OwnedEventId> = store
            .relaying(case, to, source)
            .map_err(transient)?
            .into_iter()
            .filter_map(|sent| sent.event_id)
            .filter_map(|id| OwnedEventId::try_from(id).ok())
            .collect();
        if events.is_empty() {
            return Ok(None);
        }
        Ok(Some((self.known_room(room_id)?, events)))
    }

    /// Edits the copy of `source` in `to`'s chat to `text` (other parts of a long
    /// message are redacted: the edited text is whole).
    pub(super) async fn edit_relayed(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        to: &ReporterAddress,
        source: &str,
        text: &str,
    ) -> Result<Delivered, DeliveryError> {
        let Some((room, events)) = self.copies(store, entry, to, source)? else {
            return Ok(Delivered::Nothing);
        };
        let (first, rest) = events.split_first().expect("not empty");
        let content = RoomMessageEventContent::text_plain(text.to_owned())
            .make_replacement(ReplacementMetadata::new(first.clone(), None));
        let txn_id: OwnedTransactionId = entry.idempotency_key().into();
        room.send(content)
            .with_transaction_id(txn_id)
            .await
            .map_err(|e| super::errors::classify(&e))?;
        for event in rest {
            room.redact(event, None, None)
                .await
                .map_err(|e| classify_http(&e))?;
        }
        Ok(Delivered::Nothing)
    }

    /// Redacts the copies of `source` in `to`'s chat.
    pub(super) async fn delete_relayed(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        to: &ReporterAddress,
        source: &str,
    ) -> Result<Delivered, DeliveryError> {
        let Some((room, events)) = self.copies(store, entry, to, source)? else {
            return Ok(Delivered::Nothing);
        };
        for event in &events {
            room.redact(event, None, None)
                .await
                .map_err(|e| classify_http(&e))?;
        }
        Ok(Delivered::Nothing)
    }
}
