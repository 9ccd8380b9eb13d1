//! Everything the stand-in remembers: employees, private chats and their messages, the update
//! queue, callback queries, the call log and the flood-control rules tests set up.
//!
//! All of it lives in one struct behind one mutex (see `shared`), so every Bot API call and
//! every control action sees and changes a consistent picture, like a single Telegram server.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;

use rand::Rng;

use super::clock::Clock;
use super::error::ApiError;
use super::markup::{self, InlineKeyboard};
use super::model::{ApiCall, CallOutcome, CallbackAnswer, ChatMessage, MessageVersion, TestUser};
use super::options::StandinOptions;
use super::text::FormattedText;
use super::updates::UpdateQueue;

/// A message as stored, in either direction.
#[derive(Debug, Clone)]
pub(crate) struct StoredMessage {
    pub(crate) id: i32,
    pub(crate) date: i64,
    pub(crate) from_bot: bool,
    pub(crate) content: FormattedText,
    /// Content fields of a non-text employee message (e.g. "sticker"), as given by the test.
    pub(crate) other: serde_json::Map<String, serde_json::Value>,
    pub(crate) keyboard: InlineKeyboard,
    pub(crate) reply_keyboard: Option<serde_json::Value>,
    pub(crate) parse_mode: Option<String>,
    pub(crate) reply_to: Option<i32>,
    pub(crate) disable_notification: bool,
    pub(crate) protect_content: bool,
    pub(crate) edit_date: Option<i64>,
    pub(crate) history: Vec<MessageVersion>,
    pub(crate) deleted: bool,
}

impl StoredMessage {
    pub(crate) fn new(id: i32, date: i64, from_bot: bool, content: FormattedText) -> Self {
        Self {
            id,
            date,
            from_bot,
            content,
            other: serde_json::Map::new(),
            keyboard: Vec::new(),
            reply_keyboard: None,
            parse_mode: None,
            reply_to: None,
            disable_notification: false,
            protect_content: false,
            edit_date: None,
            history: Vec::new(),
            deleted: false,
        }
    }

    /// Keeps the current version in the history before an edit.
    pub(crate) fn remember_version(&mut self, now: i64) {
        self.history.push(MessageVersion {
            text: self.content.text.clone(),
            entities: self.content.entities.clone(),
            keyboard: markup::to_buttons(&self.keyboard),
            replaced_at: now,
        });
    }

    pub(crate) fn to_public(&self, chat_id: i64) -> ChatMessage {
        ChatMessage {
            chat_id,
            message_id: self.id,
            from_bot: self.from_bot,
            date: self.date,
            text: self.content.text.clone(),
            entities: self.content.entities.clone(),
            keyboard: markup::to_buttons(&self.keyboard),
            reply_keyboard: self.reply_keyboard.clone(),
            parse_mode: self.parse_mode.clone(),
            reply_to_message_id: self.reply_to,
            disable_notification: self.disable_notification,
            protect_content: self.protect_content,
            other_content: self.other.keys().find(|k| *k != "caption").cloned(),
            edited: self.edit_date.is_some(),
            edit_date: self.edit_date,
            history: self.history.clone(),
            deleted: self.deleted,
            file_id: super::files::file_id_of(&self.other),
            caption: self
                .other
                .get("caption")
                .and_then(|c| c.as_str())
                .map(str::to_owned),
        }
    }
}

/// A private chat between the bot and one employee.
#[derive(Debug, Clone)]
pub(crate) struct Chat {
    pub(crate) user_id: u64,
    /// The employee blocked the bot: sends fail with 403.
    pub(crate) blocked: bool,
    pub(crate) messages: Vec<StoredMessage>,
    /// Telegram's `chat_instance` of callback queries from this chat.
    pub(crate) chat_instance: String,
    /// The last sendChatAction: (action, Unix time).
    pub(crate) last_action: Option<(String, i64)>,
}

impl Chat {
    pub(crate) fn message(&self, id: i32) -> Option<&StoredMessage> {
        self.messages.iter().find(|message| message.id == id)
    }

    pub(crate) fn message_mut(&mut self, id: i32) -> Option<&mut StoredMessage> {
        self.messages.iter_mut().find(|message| message.id == id)
    }

    /// A message that exists and is not deleted.
    pub(crate) fn live_message(&self, id: i32) -> Option<&StoredMessage> {
        self.message(id).filter(|message| !message.deleted)
    }
}

/// A callback query the bot has not answered yet (or has).
#[derive(Debug, Clone)]
pub(crate) struct PendingCallback {
    pub(crate) chat_id: i64,
    pub(crate) answered: bool,
}

/// "The next `remaining` calls (of `method`, if set) answer 429".
#[derive(Debug, Clone)]
pub(crate) struct RateLimit {
    pub(crate) method: Option<String>,
    pub(crate) remaining: u32,
    /// What the matching calls get: 429 with this `retry_after`, or the refusal below.
    pub(crate) retry_after: u32,
    /// A refusal instead of the 429: status code and description.
    pub(crate) refusal: Option<(u16, String)>,
}

/// getUpdates bookkeeping: the waiting long poll, and the data for the server's throttling.
#[derive(Debug, Default)]
pub(crate) struct PollState {
    pub(crate) next_poll_id: u64,
    /// The long poll currently waiting, if any.
    pub(crate) waiting: Option<u64>,
    /// Long polls a newer getUpdates terminated; they answer 409.
    pub(crate) terminated: Vec<u64>,
    pub(crate) previous_offset: Option<i64>,
    pub(crate) previous_start: Option<Instant>,
    /// The server answers at most one 409 per 3 seconds at once; later ones wait.
    pub(crate) next_conflict_at: Option<Instant>,
}

pub(crate) struct State {
    pub(crate) options: StandinOptions,
    pub(crate) started: Instant,
    pub(crate) clock: Clock,
    pub(crate) users: BTreeMap<u64, TestUser>,
    pub(crate) chats: BTreeMap<i64, Chat>,
    pub(crate) updates: UpdateQueue,
    pub(crate) polling: PollState,
    pub(crate) callbacks: HashMap<String, PendingCallback>,
    pub(crate) next_callback_id: u64,
    pub(crate) callback_answers: Vec<CallbackAnswer>,
    pub(crate) calls: Vec<ApiCall>,
    pub(crate) rate_limits: VecDeque<RateLimit>,
    /// setMyCommands, keyed by (scope JSON, language_code).
    pub(crate) commands: BTreeMap<(String, String), serde_json::Value>,
    /// Files sent by either side, by file_id.
    pub(crate) files: BTreeMap<String, super::files::StoredFile>,
    /// The bot account's next message id. Telegram numbers the messages of all of an
    /// account's private chats (and basic groups) from one counter; only channels and
    /// supergroups count per chat (see [`State::take_message_id`]).
    pub(crate) next_message_id: i32,
    /// Ids to leave out before the next message, as messages deleted elsewhere leave them.
    pub(crate) pending_gap: i32,
    /// Sends whose answers are to be lost (see [`LostAnswer`]).
    pub(crate) lost_answers: VecDeque<LostAnswer>,
}

/// "The next `remaining` calls of `method` are carried out, but their answer is lost":
/// the bot cannot tell whether Telegram took them.
#[derive(Debug, Clone)]
pub(crate) struct LostAnswer {
    pub(crate) method: String,
    /// Only calls about this chat (`chat_id`), if set.
    pub(crate) chat_id: Option<i64>,
    pub(crate) remaining: u32,
    pub(crate) how: crate::model::AnswerLoss,
}

impl State {
    pub(crate) fn new(options: StandinOptions) -> Self {
        let mut rng = rand::thread_rng();
        let first_update_id = options
            .first_update_id
            .unwrap_or_else(|| rng.gen_range(100_000_000..900_000_000));
        Self {
            options,
            started: Instant::now(),
            clock: Clock::default(),
            users: BTreeMap::new(),
            chats: BTreeMap::new(),
            updates: UpdateQueue::new(first_update_id),
            polling: PollState::default(),
            callbacks: HashMap::new(),
            // Telegram's callback query ids are large decimal numbers.
            next_callback_id: rng.gen_range(1_000_000_000_000_000_000..4_000_000_000_000_000_000),
            callback_answers: Vec::new(),
            calls: Vec::new(),
            rate_limits: VecDeque::new(),
            commands: BTreeMap::new(),
            files: BTreeMap::new(),
            next_message_id: 1,
            pending_gap: 0,
            lost_answers: VecDeque::new(),
        }
    }

    /// The next message id of the bot's account, for a message in any of its private
    /// chats: one counter for them all, as in Telegram, where message ids "in private
    /// chats and normal groups have per-user unique IDs … but messages in
    /// channels/supergroups have per-channel unique IDs" (mautrix-telegram issue #51;
    /// tdlib issue #533; "private chats and basic groups of one user have another common
    /// event sequence", core.telegram.org/api/updates). So a chat's ids have gaps, and
    /// they grow with traffic in other chats. With `message_id_gaps`, deleted messages'
    /// gaps are added too.
    pub(crate) fn take_message_id(&mut self) -> i32 {
        if self.options.message_id_gaps {
            self.pending_gap += rand::thread_rng().gen_range(0..3);
        }
        let id = self.next_message_id.saturating_add(self.pending_gap);
        self.pending_gap = 0;
        self.next_message_id = id.saturating_add(1);
        id
    }

    /// Whether the answer to this call of `method` is to be lost (and how).
    pub(crate) fn take_lost_answer(
        &mut self,
        method: &str,
        chat_id: Option<i64>,
    ) -> Option<crate::model::AnswerLoss> {
        let index = self.lost_answers.iter().position(|rule| {
            rule.remaining > 0
                && rule.method.eq_ignore_ascii_case(method)
                && rule.chat_id.is_none_or(|only| Some(only) == chat_id)
        })?;
        let rule = &mut self.lost_answers[index];
        rule.remaining -= 1;
        let how = rule.how;
        if rule.remaining == 0 {
            self.lost_answers.remove(index);
        }
        Some(how)
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Records an arriving Bot API call; returns its index for [`State::finish_call`].
    pub(crate) fn log_call(
        &mut self,
        method: String,
        params: BTreeMap<String, String>,
        received_at: Instant,
    ) -> usize {
        let seq = self.calls.len();
        let received_ms =
            u64::try_from(received_at.duration_since(self.started).as_millis()).unwrap_or(u64::MAX);
        self.calls.push(ApiCall {
            seq,
            method,
            received_at,
            received_ms,
            duration_ms: None,
            params,
            outcome: None,
        });
        seq
    }

    /// Records how a call was answered.
    pub(crate) fn finish_call(&mut self, seq: usize, outcome: CallOutcome) {
        if let Some(call) = self.calls.get_mut(seq) {
            call.duration_ms =
                Some(u64::try_from(call.received_at.elapsed().as_millis()).unwrap_or(u64::MAX));
            call.outcome = Some(outcome);
        }
    }

    /// Consumes one matching flood-control or refusal rule; returns the error to answer.
    pub(crate) fn take_rate_limit(&mut self, method: &str) -> Option<ApiError> {
        let index = self.rate_limits.iter().position(|rule| {
            rule.remaining > 0
                && rule
                    .method
                    .as_deref()
                    .is_none_or(|only| only.eq_ignore_ascii_case(method))
        })?;
        let rule = &mut self.rate_limits[index];
        rule.remaining -= 1;
        let error = match &rule.refusal {
            Some((code, description)) => ApiError::refusal(*code, description.clone()),
            None => ApiError::too_many_requests(rule.retry_after),
        };
        if rule.remaining == 0 {
            self.rate_limits.remove(index);
        }
        Some(error)
    }

    /// A new callback query id.
    pub(crate) fn take_callback_id(&mut self) -> String {
        let id = self.next_callback_id;
        self.next_callback_id = self.next_callback_id.wrapping_add(1);
        id.to_string()
    }

    /// The chat of an employee, opened (created) on their first message.
    pub(crate) fn open_chat(&mut self, user_id: u64) -> &mut Chat {
        let chat_id = i64::try_from(user_id).unwrap_or(i64::MAX);
        self.chats.entry(chat_id).or_insert_with(|| {
            let instance: i64 = rand::thread_rng().r#gen();
            Chat {
                user_id,
                blocked: false,
                messages: Vec::new(),
                chat_instance: instance.to_string(),
                last_action: None,
            }
        })
    }
}
