//! A counsellor's relayed message edited or deleted in the room, followed into the
//! employee's chat: the copies the bot sent (the store records which counsellor event
//! each relays) are edited in place or deleted. Telegram lets a bot edit its messages
//! but delete them only within 48 hours; an edit Telegram no longer takes is sent as a
//! correction, and a deletion it refuses is told in the room (a permanent refusal).

use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

use super::Telegram;
use super::errors::classify;
use super::outbound::{Draft, store_error};
use crate::app::DeliveryError;
use crate::core::{Output, ReporterAddress};
use crate::store::{Delivered, OutboxEntry, SentRecord, Store};
use crate::watchdog::Pulse;

/// The chat, and the bot's messages in it that relay counsellor event `source`.
fn copies(
    store: &Store,
    entry: &OutboxEntry,
    to: &ReporterAddress,
    source: &str,
) -> Result<(ChatId, Vec<i32>), DeliveryError> {
    let chat = super::outbound::chat_of(to)?;
    let ids = match entry.case {
        Some(case) => store
            .messages_relaying(case, to, source)
            .map_err(store_error)?,
        None => Vec::new(),
    };
    Ok((chat, ids))
}

impl Telegram {
    /// Gives the copies of an edited message (`Output::EditRelayed`) the edited text:
    /// the first takes it, the other parts (a long message was sent in parts) go.
    pub(super) async fn edit_relayed(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        pulse: &Pulse,
    ) -> Result<Delivered, DeliveryError> {
        let Output::EditRelayed {
            to,
            source,
            text,
            correction,
        } = &entry.output
        else {
            return Err(DeliveryError::refused("not an edit"));
        };
        let (chat, ids) = copies(store, entry, to, source)?;
        // Nothing sent: the message went out edited already, or not at all.
        let Some((first, rest)) = ids.split_first() else {
            return Ok(Delivered::Nothing);
        };
        self.pace(chat, pulse).await;
        let edited = self
            .bot
            .edit_message_text(chat, MessageId(*first), text)
            .await;
        let done = match edited {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Delivered::Nothing,
            // The employee deleted it: nothing to edit, nothing to correct.
            Err(RequestError::Api(ApiError::MessageToEditNotFound)) => Delivered::Nothing,
            // Sent exactly once as every message is: a crash after it must not double it.
            Err(RequestError::Api(ApiError::MessageCantBeEdited)) => {
                let draft = Draft {
                    chat,
                    text: correction,
                    plain: correction,
                    html: false,
                    buttons: &[],
                    reply_to: None,
                };
                let sent = self.send_text_once(store, entry, &draft, pulse).await?;
                Delivered::ReporterMessage(SentRecord {
                    to: to.clone(),
                    message_id: sent.0,
                    source: Some(source.to_owned()),
                    event_id: None,
                    employee: false,
                })
            }
            Err(e) => return Err(classify(&e)),
        };
        for id in rest {
            self.pace(chat, pulse).await;
            match self.bot.delete_message(chat, MessageId(*id)).await {
                Ok(_)
                | Err(RequestError::Api(
                    ApiError::MessageToDeleteNotFound | ApiError::MessageCantBeDeleted,
                )) => {}
                Err(e) => return Err(classify(&e)),
            }
        }
        Ok(done)
    }

    /// Deletes the copies of event `source` from `to`'s chat; one Telegram will not
    /// delete any more (older than 48 hours) is a permanent refusal, told in the room.
    pub(super) async fn delete_relayed(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        to: &ReporterAddress,
        source: &str,
        pulse: &Pulse,
    ) -> Result<Delivered, DeliveryError> {
        let (chat, ids) = copies(store, entry, to, source)?;
        for id in ids {
            self.pace(chat, pulse).await;
            match self.bot.delete_message(chat, MessageId(id)).await {
                Ok(_) | Err(RequestError::Api(ApiError::MessageToDeleteNotFound)) => {}
                Err(RequestError::Api(ApiError::MessageCantBeDeleted)) => {
                    return Err(DeliveryError::refused(
                        "Telegram no longer lets the bot delete that message",
                    ));
                }
                Err(e) => return Err(classify(&e)),
            }
        }
        Ok(Delivered::Nothing)
    }
}
