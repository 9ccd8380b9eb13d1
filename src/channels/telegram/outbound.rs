//! Sending outbox entries to Telegram.
//!
//! Telegram has no idempotency key, so a crash between "Telegram took the message" and
//! "the outbox forgot it" would send it twice. Before each send the entry is marked in
//! flight (durably); a marked entry is first looked for in the chat. The probe edits the
//! candidate messages after the last one known to be delivered with the very same text
//! and buttons: Telegram answers "message is not modified" exactly when that message is
//! ours with this content, "can't be edited" for the employee's own messages, and "not
//! found" past the end, so the probe changes nothing that is there.

use std::future::Future;

use teloxide::prelude::*;
use teloxide::types::{
    ChatAction, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId, ParseMode,
    ReplyParameters,
};
use teloxide::{ApiError, RequestError};

use super::Telegram;
use super::errors::{classify, edit_is_moot};
use crate::app::DeliveryError;
use crate::core::files::{FileKind, Format, ReporterFile};
use crate::core::{Button, Output, ReporterAddress, ReporterMessage};
use crate::store::{Delivered, OutboxEntry, SentRecord, Store};
use crate::watchdog::Pulse;

/// How many message ids past the last known one may be looked at.
const PROBE_WINDOW: i32 = 100;
/// Consecutive missing ids after which the end of the chat has been reached.
const PROBE_END: u32 = 5;

fn keyboard(buttons: &[Vec<Button>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(buttons.iter().map(|row| {
        row.iter()
            .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
    }))
}

/// The employee's message a counsellor's reply answers, if it answers one of theirs.
fn answered_message(
    store: &Store,
    entry: &OutboxEntry,
    message: &ReporterMessage,
) -> Result<Option<i32>, DeliveryError> {
    let (Some(case), Some(event)) = (entry.case, message.reply_to.as_deref()) else {
        return Ok(None);
    };
    store
        .employee_message_relayed_as(case, &message.to, event)
        .map_err(store_error)
}

/// What a message shows: its formatted form (Telegram HTML) when it has one.
fn shown(message: &ReporterMessage) -> (&str, bool) {
    match &message.html {
        Some(html) => (html, true),
        None => (&message.text, false),
    }
}

pub(super) fn chat_of(to: &ReporterAddress) -> Result<ChatId, DeliveryError> {
    match to {
        ReporterAddress::Telegram { chat_id } => Ok(ChatId(*chat_id)),
        ReporterAddress::Matrix { .. } => Err(DeliveryError::refused("not a Telegram chat")),
    }
}

/// Records which message a delivered entry became (and which counsellor event it
/// relays), for later probes, edits and deletions.
fn delivered_to<'a>(
    to: &'a ReporterAddress,
    source: Option<&'a str>,
) -> impl Fn(MessageId) -> Delivered + 'a {
    move |id| {
        Delivered::ReporterMessage(SentRecord {
            to: to.clone(),
            message_id: id.0,
            source: source.map(str::to_owned),
            event_id: None,
            employee: false,
        })
    }
}

fn store_error(e: crate::store::StoreError) -> DeliveryError {
    DeliveryError::Transient {
        reason: e.to_string(),
        retry_after: None,
    }
}

impl Telegram {
    /// Waits for the pacer's turn to send to `chat` (see [`super::pacing`]); waiting for
    /// a turn is not a stall, so the delivery task's pulse rests meanwhile.
    pub(super) async fn pace(&self, chat: ChatId, pulse: &Pulse) {
        pulse.idle();
        self.pacer.turn(chat.0).await;
        pulse.progress();
    }

    pub async fn deliver(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        pulse: &Pulse,
    ) -> Result<Delivered, DeliveryError> {
        match &entry.output {
            Output::Reporter(message) => match store
                .as_it_stands(entry.case, message)
                .map_err(store_error)?
            {
                Some(message) => self.send_once(store, entry, &message, pulse).await,
                None => Ok(Delivered::Nothing),
            },
            Output::EditRelayed { .. } => self.edit_relayed(store, entry, pulse).await,
            // A passing indicator: a failure is not worth a retry.
            Output::ReporterTyping { to } => {
                let chat = chat_of(to)?;
                self.pace(chat, pulse).await;
                if let Err(e) = self.bot.send_chat_action(chat, ChatAction::Typing).await {
                    tracing::debug!(error = %e, "a typing indicator did not go out");
                }
                Ok(Delivered::Nothing)
            }
            Output::DeleteRelayed { to, source } => {
                self.delete_relayed(store, entry, to, source, pulse).await
            }
            Output::RemoveButtons { to, message } => {
                let chat = chat_of(to)?;
                self.pace(chat, pulse).await;
                match self
                    .bot
                    .edit_message_reply_markup(chat, MessageId(*message))
                    .await
                {
                    Ok(_) => Ok(Delivered::Nothing),
                    Err(e) if edit_is_moot(&e) => Ok(Delivered::Nothing),
                    Err(e) => Err(classify(&e)),
                }
            }
            Output::EditReporter {
                to,
                message,
                text,
                buttons,
            } => {
                let chat = chat_of(to)?;
                self.pace(chat, pulse).await;
                let request = self
                    .bot
                    .edit_message_text(chat, MessageId(*message), text)
                    .reply_markup(keyboard(buttons));
                match request.await {
                    Ok(_) => Ok(Delivered::Nothing),
                    Err(e) if edit_is_moot(&e) => Ok(Delivered::Nothing),
                    Err(e) => Err(classify(&e)),
                }
            }
            Output::WipeReporterChat { to } => {
                let ids = match entry.case {
                    Some(case) => store.messages_sent_to(case, to).map_err(store_error)?,
                    None => Vec::new(),
                };
                self.delete(chat_of(to)?, &ids, pulse).await
            }
            // A Telegram chat cannot be left by a bot; the reporter can delete it.
            Output::LeaveReporterChat { .. } => Ok(Delivered::Nothing),
            Output::CreateRoom(_)
            | Output::Room(_)
            | Output::RoomAfterErasure { .. }
            | Output::LeaveCaseRoom { .. }
            | Output::RoomReceipt { .. }
            | Output::Invite { .. }
            | Output::Remove { .. }
            | Output::CounsellorDm { .. }
            | Output::RoomFile(_) => Err(DeliveryError::refused("not a Telegram output")),
            Output::ReporterFile(file) => self.send_file(store, entry, file, pulse).await,
        }
    }

    async fn send_once(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        message: &ReporterMessage,
        pulse: &Pulse,
    ) -> Result<Delivered, DeliveryError> {
        let chat = chat_of(&message.to)?;
        let delivered = delivered_to(&message.to, message.source.as_deref());
        let find = |after| self.find_sent(chat, message, after, pulse);
        if let Some(id) = self.already_sent(store, entry, find).await? {
            return Ok(delivered(id));
        }
        self.pace(chat, pulse).await;
        let (text, html) = shown(message);
        let mut request = self.bot.send_message(chat, text);
        if html {
            request = request.parse_mode(ParseMode::Html);
        }
        if !message.buttons.is_empty() {
            request = request.reply_markup(keyboard(&message.buttons));
        }
        // A counsellor's reply to the employee's message answers it in their chat.
        if let Some(answered) = answered_message(store, entry, message)? {
            request = request.reply_parameters(
                ReplyParameters::new(MessageId(answered)).allow_sending_without_reply(),
            );
        }
        settle(store, entry, request.await).map(delivered)
    }

    /// Looks for `message` among the chat's messages after id `after`.
    async fn find_sent(
        &self,
        chat: ChatId,
        message: &ReporterMessage,
        after: i32,
        pulse: &Pulse,
    ) -> Result<Option<MessageId>, DeliveryError> {
        probe_after(after, |id| async move {
            self.pace(chat, pulse).await;
            let (text, html) = shown(message);
            let mut probe = self.bot.edit_message_text(chat, id, text);
            if html {
                probe = probe.parse_mode(ParseMode::Html);
            }
            if !message.buttons.is_empty() {
                probe = probe.reply_markup(keyboard(&message.buttons));
            }
            probe.send().await
        })
        .await
    }

    /// Before a send: if an earlier attempt at `entry` may have reached Telegram (it is
    /// marked in flight), looks for it with `find`, given the last message id known to be
    /// delivered; otherwise marks the entry in flight, durably. `Some`: it is there already.
    async fn already_sent<F, Fut>(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        find: F,
    ) -> Result<Option<MessageId>, DeliveryError>
    where
        F: FnOnce(i32) -> Fut,
        Fut: Future<Output = Result<Option<MessageId>, DeliveryError>>,
    {
        if !store.is_in_flight(entry).map_err(store_error)? {
            store.mark_in_flight(entry).map_err(store_error)?;
            store.flush().await.map_err(store_error)?;
            return Ok(None);
        }
        // Without a known earlier message there is no safe place to start looking
        // (older messages of ours might be edited), so the message is sent again.
        let Some(after) = store.last_message_id(entry.dest).map_err(store_error)? else {
            return Ok(None);
        };
        let found = find(after).await?;
        if found.is_some() {
            tracing::info!(
                "a message sent before a restart was found delivered; not sending it again"
            );
        }
        Ok(found)
    }
}

/// What a send came to. An answer from Telegram means it did not take the message, so
/// the in-flight mark goes; a broken connection leaves the doubt (and the mark) in place.
fn settle(
    store: &Store,
    entry: &OutboxEntry,
    sent: Result<Message, RequestError>,
) -> Result<MessageId, DeliveryError> {
    match sent {
        Ok(message) => Ok(message.id),
        Err(e) => {
            if matches!(e, RequestError::Api(_) | RequestError::RetryAfter(_)) {
                store.clear_in_flight(entry).map_err(store_error)?;
            }
            Err(classify(&e))
        }
    }
}

/// Probes the message ids after `after`, one by one, with `probe`: an edit that makes
/// the message what ours would be. Telegram answers "not modified" (or takes the edit)
/// only for that message of ours; a run of missing ids is the end of the chat.
async fn probe_after<F, Fut>(after: i32, probe: F) -> Result<Option<MessageId>, DeliveryError>
where
    F: Fn(MessageId) -> Fut,
    Fut: Future<Output = Result<Message, RequestError>>,
{
    let mut missing = 0;
    for id in (after + 1)..=(after + PROBE_WINDOW) {
        match probe(MessageId(id)).await {
            Err(RequestError::Api(ApiError::MessageNotModified)) | Ok(_) => {
                return Ok(Some(MessageId(id)));
            }
            Err(RequestError::Api(
                ApiError::MessageToEditNotFound | ApiError::MessageIdInvalid,
            )) => {
                missing += 1;
                if missing >= PROBE_END {
                    return Ok(None);
                }
            }
            Err(RequestError::Api(_)) => missing = 0,
            Err(e) => return Err(classify(&e)),
        }
    }
    Ok(None)
}

/// Deleting what Telegram lets a bot delete (its own messages younger than 48 hours);
/// the rest is skipped. The reporter's own history is theirs to clear.
impl Telegram {
    async fn delete(
        &self,
        chat: ChatId,
        ids: &[i32],
        pulse: &Pulse,
    ) -> Result<Delivered, DeliveryError> {
        for chunk in ids.chunks(100) {
            let all = chunk.iter().map(|id| MessageId(*id));
            self.pace(chat, pulse).await;
            match self.bot.delete_messages(chat, all).await {
                Ok(_) => continue,
                Err(e) if delete_is_moot(&e) => {}
                Err(e) => return Err(classify(&e)),
            }
            // One of them is too old: the batch is refused whole, so go one by one.
            for id in chunk {
                self.pace(chat, pulse).await;
                match self.bot.delete_message(chat, MessageId(*id)).await {
                    Ok(_) => {}
                    Err(e) if delete_is_moot(&e) => {}
                    Err(e) => return Err(classify(&e)),
                }
            }
        }
        Ok(Delivered::Nothing)
    }
}

fn delete_is_moot(error: &RequestError) -> bool {
    matches!(
        error,
        RequestError::Api(ApiError::MessageCantBeDeleted | ApiError::MessageToDeleteNotFound)
    )
}

impl Telegram {
    /// Sends a stored file: pictures as photos (shown inline), voice notes as voice,
    /// everything else as a document under its neutral name. Exactly once as texts are:
    /// marked in flight first, and after a crash looked for by editing the captions of
    /// the messages after the last known one to the very same caption.
    async fn send_file(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        file: &ReporterFile,
        pulse: &Pulse,
    ) -> Result<Delivered, DeliveryError> {
        let chat = chat_of(&file.to)?;
        let delivered = delivered_to(&file.to, None);
        let find = |after| self.find_sent_file(chat, &file.caption, after, pulse);
        if let Some(id) = self.already_sent(store, entry, find).await? {
            return Ok(delivered(id));
        }
        let bytes = match store.load_file(file.case, file.file.seq) {
            Ok(bytes) => bytes,
            // The case was erased meanwhile: nothing may be sent.
            Err(crate::store::StoreError::FileMissing) => return Ok(Delivered::Nothing),
            Err(e) => return Err(store_error(e)),
        };
        let meta = &file.file.meta;
        let input = InputFile::memory(bytes.bytes().to_vec()).file_name(meta.name.clone());
        let caption = file.caption.clone();
        self.pace(chat, pulse).await;
        let sent = if meta.format.is_picture() {
            self.bot.send_photo(chat, input).caption(caption).await
        } else if meta.kind == FileKind::Voice && meta.format == Format::Ogg {
            self.bot.send_voice(chat, input).caption(caption).await
        } else {
            self.bot.send_document(chat, input).caption(caption).await
        };
        settle(store, entry, sent).map(delivered)
    }

    /// Looks for a file message with `caption` among the chat's messages after `after`:
    /// Telegram answers "not modified" only for a message of ours with this very caption;
    /// texts ("no caption to edit") and the employee's messages ("can't be edited") differ.
    async fn find_sent_file(
        &self,
        chat: ChatId,
        caption: &str,
        after: i32,
        pulse: &Pulse,
    ) -> Result<Option<MessageId>, DeliveryError> {
        probe_after(after, |id| async move {
            self.pace(chat, pulse).await;
            self.bot
                .edit_message_caption(chat, id)
                .caption(caption)
                .send()
                .await
        })
        .await
    }
}
