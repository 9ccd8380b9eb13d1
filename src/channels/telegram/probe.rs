//! Finding out whether Telegram took a message whose answer never came (a crash between
//! the send and the record, or a connection that broke mid-answer).
//!
//! Telegram has no idempotency key; what it has is `editMessageText` (and
//! `editMessageCaption`), whose answers tell the bot's own message with a given content
//! apart from everything else. Asked to set a message to the very content it already has,
//! Telegram answers "message is not modified" (tdlib-bot-api maps `MESSAGE_NOT_MODIFIED`
//! to exactly that); a message of the employee's "can't be edited"; an id that is not in
//! this chat (another chat's, a deleted one, one not handed out yet) is "to edit not found".
//!
//! **What makes the probe sound.**
//! - Ids come from one counter per bot account, shared by all its private chats, so a
//!   chat's ids have gaps. The probe never infers "the end of the chat" from missing ids.
//! - The entry was marked in flight with the account's high-water mark as its *floor*:
//!   the message, if taken, has a higher id; every earlier message of the bot in this
//!   chat has that id or lower (incoming messages raise the mark but never the floor).
//! - A chat's sends go one at a time, behind the entry in doubt, so above the floor the
//!   chat holds at most this one message of the bot. An edit to the very content can
//!   therefore only ever meet this message: the probe changes nothing.
//! - Only "message is not modified" counts as found.
//! - "Not there" is concluded only below a *proof*: the id of a send that started after
//!   the doubtful one ended (after a crash: any send of this process). Ids are handed out
//!   in order, so the message, if taken, lies between the floor and the proof; every
//!   id in between that the bot does not know (from updates or its own sends) is asked.
//! - Nothing is asked before [`SETTLE`] has passed since the doubtful send ended: a
//!   request the server read just before may still be carried out, and an id asked
//!   before it is handed out would be ruled out wrongly.
//!
//! **Where soundness cannot be had**: without traffic in other chats no proof comes (a
//! bot cannot make a message id without someone seeing the message). After
//! [`PATIENCE`] the probe gives up, and so it does after [`BUDGET`] questions or for an
//! entry marked by an older version (no floor). The message is then sent again with a
//! visible note that it may arrive twice: at least once, never silently twice. A resent
//! message is never probed for (its first copy might be met): if that answer is lost
//! too, it goes once more, with the note.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

use super::errors::classify;
use super::outbound::store_error;
use super::pacing::lock;
use crate::app::DeliveryError;
use crate::store::{InFlightMark, OutboxEntry, Store};
use crate::watchdog::Pulse;

/// How long the probe waits for a proof (another send) before it gives up on soundness.
pub const PATIENCE: Duration = Duration::from_secs(10);
/// How many ids one look may ask about: each question is a Bot API call.
pub const BUDGET: u32 = 60;
/// Without a proof, how far past the highest known id the probe asks. Sends of other
/// chats that the crash kept from being recorded lie there too, one per busy chat and
/// more: with 3, a run of the 50-kill test under load gave up on a message that was
/// there and sent it again (with the note). Each id is asked once, within [`BUDGET`].
const REACH: i32 = 20;
/// Between looks while waiting for a proof.
const LOOK_AGAIN: Duration = Duration::from_millis(500);

/// What an edit to the very content said about one message id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// "message is not modified": the bot's message with this content.
    Ours,
    /// Not a message of this chat (another chat's id, deleted, not handed out yet).
    NotThere,
    /// A message of this chat that is not ours with this content (the employee's, or
    /// the bot's of another kind).
    Other,
    /// The edit was taken: a message of the bot was changed. The invariant above rules
    /// this out; it is logged as the error it would be.
    Changed,
}

/// Reads an edit's outcome as an [`Answer`]; trouble (flood control, the network) is an
/// error to retry.
pub fn answer_of<T>(edit: Result<T, RequestError>) -> Result<Answer, DeliveryError> {
    match edit {
        Ok(_) => Ok(Answer::Changed),
        Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(Answer::Ours),
        Err(RequestError::Api(ApiError::MessageToEditNotFound | ApiError::MessageIdInvalid)) => {
            Ok(Answer::NotThere)
        }
        Err(RequestError::Api(ApiError::MessageCantBeEdited)) => Ok(Answer::Other),
        // "there is no text in the message to edit" (a file), "there is no caption in
        // the message to edit" (a text): a message of the bot, of the other kind.
        Err(RequestError::Api(ApiError::Unknown(description)))
            if description.contains("no text in the message")
                || description.contains("no caption in the message") =>
        {
            Ok(Answer::Other)
        }
        Err(e) => Err(classify(&e)),
    }
}

/// What the probe concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Telegram has it, under this id.
    Found(MessageId),
    /// Proven not taken: send it.
    NotSent,
    /// Cannot tell: send it again, with the note that it may arrive twice.
    Unsure,
}

/// In memory: the sends of this process Telegram confirmed, and the doubts left. A
/// doubt left by the previous process (a crash) is older than every send of this one.
#[derive(Debug)]
pub struct Ledger {
    created: Instant,
    /// How long to wait for a proof ([`PATIENCE`]; shorter in tests).
    patience: Duration,
    /// (when it started, message id) of recent confirmed sends, oldest first.
    confirmed: Mutex<VecDeque<(Instant, i32)>>,
    doubts: Mutex<HashMap<Vec<u8>, Doubt>>,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger::with_patience(PATIENCE)
    }
}

/// Confirmed sends remembered as possible proofs.
const REMEMBERED: usize = 256;
/// A proof must have started this long after the doubtful send ended: a request the
/// server had read just before the connection broke may still be carried out a moment
/// later.
pub const SETTLE: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy)]
struct Doubt {
    /// When the doubtful send ended (for a crash: when this process started).
    at: Instant,
    /// When this process first looked (for [`PATIENCE`]).
    since: Option<Instant>,
}

impl Ledger {
    pub fn with_patience(patience: Duration) -> Self {
        Ledger {
            created: Instant::now(),
            patience,
            confirmed: Mutex::default(),
            doubts: Mutex::default(),
        }
    }

    /// Telegram confirmed a send that started at `started` as message `id`.
    pub fn confirmed(&self, started: Instant, id: MessageId) {
        let mut confirmed = lock(&self.confirmed);
        if confirmed.len() >= REMEMBERED {
            confirmed.pop_front();
        }
        confirmed.push_back((started, id.0));
    }

    /// The send of `entry` ended without an answer.
    pub fn doubt(&self, entry: &OutboxEntry) {
        lock(&self.doubts).insert(
            entry.key.clone(),
            Doubt {
                at: Instant::now(),
                since: None,
            },
        );
    }

    /// The entry is settled (sent, found, or given up): its doubt goes.
    pub fn settled(&self, entry: &OutboxEntry) {
        lock(&self.doubts).remove(&entry.key);
    }

    /// An id known to be higher than the message in doubt: the first confirmed send
    /// that started well after the doubtful one ended.
    fn proof(&self, entry: &OutboxEntry) -> Option<i32> {
        let at = lock(&self.doubts)
            .get(&entry.key)
            .map_or(self.created, |d| d.at);
        lock(&self.confirmed)
            .iter()
            .find(|(started, _)| *started >= at + SETTLE)
            .map(|(_, id)| *id)
    }

    /// Until when a request of the doubtful send may still be carried out: no id may be
    /// ruled out before (one not handed out yet could still become the message's).
    fn settling_until(&self, entry: &OutboxEntry) -> Instant {
        let at = lock(&self.doubts)
            .get(&entry.key)
            .map_or(self.created, |d| d.at);
        at + SETTLE
    }

    /// When this process started looking for `entry`.
    fn looking_since(&self, entry: &OutboxEntry) -> Instant {
        let created = self.created;
        let mut doubts = lock(&self.doubts);
        let doubt = doubts.entry(entry.key.clone()).or_insert(Doubt {
            at: created,
            since: None,
        });
        *doubt.since.get_or_insert_with(Instant::now)
    }
}

fn changed() {
    tracing::error!("the exactly-once probe changed a message of the bot; it must never");
}

/// Looks for `entry`, marked in flight as `mark`, with `ask` (one edit to the very
/// content, for one id).
pub async fn look_for<F, Fut>(
    store: &Store,
    ledger: &Ledger,
    entry: &OutboxEntry,
    mark: InFlightMark,
    pulse: &Pulse,
    ask: F,
) -> Result<Verdict, DeliveryError>
where
    F: Fn(MessageId) -> Fut,
    Fut: Future<Output = Result<Answer, DeliveryError>>,
{
    let (Some(floor), false) = (mark.floor, mark.resent) else {
        return Ok(Verdict::Unsure);
    };
    let give_up_at = ledger.looking_since(entry) + ledger.patience;
    // A request read by the server just before the crash or the broken connection may be
    // carried out a moment later: before that moment has passed, an id not handed out
    // yet could still become the message's. So nothing is asked before it (CI met this:
    // the probe ruled out the id the message then got, and a proof made it go twice).
    let settled = ledger.settling_until(entry);
    if Instant::now() < settled {
        pulse.idle();
        tokio::time::sleep_until(settled.into()).await;
        pulse.progress();
    }
    // Every id up to here is ruled out: not the message, now or ever (an id not yet
    // handed out when asked, once the request has settled, is not the message either:
    // that had its id already).
    let mut ruled_out = floor;
    // Ids found "not there" while above every id the bot knew: perhaps not handed out
    // yet, so not ruled out for good. They are asked again before any conclusion: once a
    // proof is known every id below it has been handed out, and at the give-up a request
    // slower than [`SETTLE`] has had the whole patience to take its id.
    let mut tentative: Vec<i32> = Vec::new();
    let mut asked = 0;
    loop {
        let proof = ledger.proof(entry);
        let highest = store
            .telegram_high_water()
            .map_err(store_error)?
            .unwrap_or(floor);
        let reach = match proof {
            Some(proof) => proof - 1,
            None => highest.max(floor).saturating_add(REACH),
        };
        for id in (ruled_out + 1)..=reach {
            if !store.is_known_telegram_message(id).map_err(store_error)? {
                if asked >= BUDGET {
                    tracing::warn!(
                        asked,
                        "too many message ids to ask about; sending again with a note"
                    );
                    return Ok(Verdict::Unsure);
                }
                asked += 1;
                match ask(MessageId(id)).await? {
                    Answer::Ours => return Ok(Verdict::Found(MessageId(id))),
                    Answer::NotThere if id > highest => tentative.push(id),
                    Answer::NotThere | Answer::Other => {}
                    Answer::Changed => changed(),
                }
            }
            ruled_out = id;
        }
        let giving_up = proof.is_none() && Instant::now() >= give_up_at;
        if proof.is_some() || giving_up {
            for id in std::mem::take(&mut tentative) {
                if store.is_known_telegram_message(id).map_err(store_error)? {
                    continue;
                }
                if asked >= BUDGET {
                    return Ok(Verdict::Unsure);
                }
                asked += 1;
                match ask(MessageId(id)).await? {
                    Answer::Ours => return Ok(Verdict::Found(MessageId(id))),
                    Answer::Changed => changed(),
                    Answer::NotThere | Answer::Other => {}
                }
            }
        }
        if proof.is_some() {
            return Ok(Verdict::NotSent);
        }
        if giving_up {
            tracing::info!(
                "no later send to prove a message was not taken; sending again with a note"
            );
            return Ok(Verdict::Unsure);
        }
        pulse.idle();
        tokio::time::sleep(LOOK_AGAIN).await;
        pulse.progress();
    }
}
