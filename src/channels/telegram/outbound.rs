//! Sending outbox entries to Telegram, each exactly once where Telegram lets that be
//! known (see [`super::probe`]): before each send the entry is marked in flight,
//! durably; an entry found marked (a crash, a lost answer) is first looked for in the
//! chat, and sent again only if it is not there, or, where that cannot be told, with a
//! note that it may arrive twice.

use std::future::Future;
use std::time::Instant;

use teloxide::prelude::*;
use teloxide::types::{
    ChatAction, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId, ParseMode,
    ReplyParameters,
};
use teloxide::{ApiError, RequestError};

use super::Telegram;
use super::errors::{classify, edit_is_moot};
use super::probe::{self, Answer, Verdict};
use crate::app::DeliveryError;
use crate::core::files::{FileKind, Format, ReporterFile};
use crate::core::text_keys::DELIVERY_RESENT_NOTE;
use crate::core::{Button, CaseId, Output, ReporterAddress, ReporterMessage};
use crate::store::{Delivered, OutboxEntry, SentRecord, Store};
use crate::watchdog::Pulse;

/// Telegram's limits, in UTF-16 code units: a text, a caption (Bot API, sendMessage
/// and sendPhoto).
const TEXT_UNITS: usize = 4096;
const CAPTION_UNITS: usize = 1024;

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

/// The store's trouble (a full disk, say) passes: the delivery is tried again.
pub(super) fn store_error(e: crate::store::StoreError) -> DeliveryError {
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
            | Output::HrNotice { .. }
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
        let (text, html) = shown(message);
        let draft = Draft {
            chat: chat_of(&message.to)?,
            text,
            plain: &message.text,
            html,
            buttons: &message.buttons,
            // A counsellor's reply to the employee's message answers it in their chat.
            reply_to: answered_message(store, entry, message)?,
        };
        let id = self.send_text_once(store, entry, &draft, pulse).await?;
        Ok(delivered_to(&message.to, message.source.as_deref())(id))
    }

    /// Puts `draft` in its chat once: looked for first if an earlier attempt may have
    /// reached Telegram, then sent (with the note that it may arrive twice, where the
    /// look could not tell).
    pub(super) async fn send_text_once(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        draft: &Draft<'_>,
        pulse: &Pulse,
    ) -> Result<MessageId, DeliveryError> {
        let ask = |id| self.ask_text(draft, id, pulse);
        let resent = match self.look_before_sending(store, entry, pulse, ask).await? {
            Before::Found(id) => return Ok(id),
            Before::Send { resent } => resent,
        };
        let note = resent.then(|| self.resent_note(store, entry.case));
        let text = with_note(
            draft.text,
            draft.plain,
            note.as_deref(),
            draft.html,
            TEXT_UNITS,
        );
        self.mark_in_flight(store, entry, resent).await?;
        self.pace(draft.chat, pulse).await;
        let mut request = self.bot.send_message(draft.chat, text);
        if draft.html {
            request = request.parse_mode(ParseMode::Html);
        }
        if !draft.buttons.is_empty() {
            request = request.reply_markup(keyboard(draft.buttons));
        }
        if let Some(answered) = draft.reply_to {
            request = request.reply_parameters(
                ReplyParameters::new(MessageId(answered)).allow_sending_without_reply(),
            );
        }
        let started = Instant::now();
        self.settle(store, entry, started, request.await)
    }

    /// Asks Telegram to set message `id` to the draft's very content (see [`probe`]).
    async fn ask_text(
        &self,
        draft: &Draft<'_>,
        id: MessageId,
        pulse: &Pulse,
    ) -> Result<Answer, DeliveryError> {
        self.pace(draft.chat, pulse).await;
        let mut edit = self.bot.edit_message_text(draft.chat, id, draft.text);
        if draft.html {
            edit = edit.parse_mode(ParseMode::Html);
        }
        if !draft.buttons.is_empty() {
            edit = edit.reply_markup(keyboard(draft.buttons));
        }
        probe::answer_of(edit.send().await)
    }

    /// Before a send: if an earlier attempt at `entry` may have reached Telegram (it is
    /// marked in flight), looks for it with `ask`.
    async fn look_before_sending<F, Fut>(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        pulse: &Pulse,
        ask: F,
    ) -> Result<Before, DeliveryError>
    where
        F: Fn(MessageId) -> Fut,
        Fut: Future<Output = Result<Answer, DeliveryError>>,
    {
        let Some(mark) = store.in_flight(entry).map_err(store_error)? else {
            return Ok(Before::Send { resent: false });
        };
        match probe::look_for(store, &self.ledger, entry, mark, pulse, ask).await? {
            Verdict::Found(id) => {
                tracing::info!(
                    "a message whose answer was lost was found delivered; not sending it again"
                );
                self.ledger.settled(entry);
                Ok(Before::Found(id))
            }
            Verdict::NotSent => {
                tracing::info!("a message whose answer was lost was proven not taken; sending it");
                Ok(Before::Send { resent: false })
            }
            Verdict::Unsure => Ok(Before::Send { resent: true }),
        }
    }

    /// Marks `entry` in flight, durably, before its send.
    async fn mark_in_flight(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        resent: bool,
    ) -> Result<(), DeliveryError> {
        store.mark_in_flight(entry, resent).map_err(store_error)?;
        store.flush().await.map_err(store_error)
    }

    /// What a send came to. An answer from Telegram means it did not take the message, so
    /// the in-flight mark goes; a broken connection leaves the doubt (and the mark).
    fn settle(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        started: Instant,
        sent: Result<Message, RequestError>,
    ) -> Result<MessageId, DeliveryError> {
        match sent {
            Ok(message) => {
                self.ledger.confirmed(started, message.id);
                self.ledger.settled(entry);
                Ok(message.id)
            }
            Err(e) => {
                if matches!(e, RequestError::Api(_) | RequestError::RetryAfter(_)) {
                    store.clear_in_flight(entry).map_err(store_error)?;
                    self.ledger.settled(entry);
                } else {
                    self.ledger.doubt(entry);
                }
                Err(classify(&e))
            }
        }
    }

    /// The note on a message sent again without knowing whether the first went out, in
    /// the language of its case.
    fn resent_note(&self, store: &Store, case: Option<CaseId>) -> String {
        let lang = case
            .and_then(|case| store.load_case(case).ok().flatten())
            .map(|case| case.lang)
            .unwrap_or_else(|| crate::i18n::Lang::new(""));
        self.catalog
            .render(&lang, DELIVERY_RESENT_NOTE, &crate::i18n::Args::default())
    }
}

/// A text for one chat, as sent and as probed for.
pub(super) struct Draft<'a> {
    pub chat: ChatId,
    /// What is sent: HTML when `html`.
    pub text: &'a str,
    /// The same without formatting (for its length).
    pub plain: &'a str,
    pub html: bool,
    pub buttons: &'a [Vec<Button>],
    /// The employee's message this answers.
    pub reply_to: Option<i32>,
}

/// What the look before a send found.
enum Before {
    Found(MessageId),
    Send { resent: bool },
}

/// `text` with the resend note below it, if there is one and it fits within `limit`
/// (a text that fills the limit goes without it: it is never cut).
fn with_note(text: &str, plain: &str, note: Option<&str>, html: bool, limit: usize) -> String {
    let Some(note) = note else {
        return text.to_owned();
    };
    if crate::core::fit::telegram_units(plain) + 2 + crate::core::fit::telegram_units(note) > limit
    {
        tracing::warn!("a message sent again is too long for the note that it may arrive twice");
        return text.to_owned();
    }
    if html {
        format!(
            "{text}\n\n<i>{}</i>",
            crate::core::present::escape_html(note)
        )
    } else {
        format!("{text}\n\n{note}")
    }
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
    /// everything else as a document under its neutral name. Exactly once as texts are,
    /// looked for by its caption.
    async fn send_file(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        file: &ReporterFile,
        pulse: &Pulse,
    ) -> Result<Delivered, DeliveryError> {
        let chat = chat_of(&file.to)?;
        let delivered = delivered_to(&file.to, None);
        let ask = |id| self.ask_caption(chat, &file.caption, id, pulse);
        let resent = match self.look_before_sending(store, entry, pulse, ask).await? {
            Before::Found(id) => return Ok(delivered(id)),
            Before::Send { resent } => resent,
        };
        let bytes = match store.load_file(file.case, file.file.seq) {
            Ok(bytes) => bytes,
            // The case was erased meanwhile: nothing may be sent.
            Err(crate::store::StoreError::FileMissing) => return Ok(Delivered::Nothing),
            Err(e) => return Err(store_error(e)),
        };
        let meta = &file.file.meta;
        let input = InputFile::memory(bytes.bytes().to_vec()).file_name(meta.name.clone());
        let note = resent.then(|| self.resent_note(store, entry.case));
        let caption = with_note(
            &file.caption,
            &file.caption,
            note.as_deref(),
            false,
            CAPTION_UNITS,
        );
        self.mark_in_flight(store, entry, resent).await?;
        self.pace(chat, pulse).await;
        let started = Instant::now();
        let sent = if meta.format.is_picture() {
            self.bot.send_photo(chat, input).caption(caption).await
        } else if meta.kind == FileKind::Voice && meta.format == Format::Ogg {
            self.bot.send_voice(chat, input).caption(caption).await
        } else {
            self.bot.send_document(chat, input).caption(caption).await
        };
        self.settle(store, entry, started, sent).map(delivered)
    }

    /// Asks Telegram to set the caption of message `id` to the very same (see
    /// [`probe`]): texts ("no caption to edit") and the employee's messages ("can't be
    /// edited") answer otherwise.
    async fn ask_caption(
        &self,
        chat: ChatId,
        caption: &str,
        id: MessageId,
        pulse: &Pulse,
    ) -> Result<Answer, DeliveryError> {
        self.pace(chat, pulse).await;
        let edit = self.bot.edit_message_caption(chat, id).caption(caption);
        probe::answer_of(edit.send().await)
    }
}
