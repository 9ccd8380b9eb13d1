//! Pacing sends to Telegram within its limits, in one place: every call that puts,
//! changes or removes a message in a chat waits for its turn here first.
//!
//! Telegram's Bots FAQ ("My bot is hitting limits, how do I avoid this?",
//! <https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this>):
//! "avoid sending more than one message per second" in one chat, "short bursts that go
//! over this limit" are allowed; and "the API will not allow bulk notifications to more
//! than ~30 users per second". Past those it answers 429 with `retry_after`, which the
//! delivery worker still honours; pacing is there so that it is rarely needed.
//!
//! - **Per chat**: a burst of `chat_burst`, then `chat_per_second` (a generic cell rate:
//!   in any window of `w` seconds at most `chat_burst + w × chat_per_second`). One
//!   delivery task serves a chat, so its turns are reserved in order.
//! - **All chats**: turns are handed out one at a time, at least `1/per_second` apart
//!   (with a small margin for network jitter), so no second holds more than `per_second`.
//! - **Who goes first**: a chat whose employee wrote in the last two minutes (someone in
//!   the middle of the intake, waiting for the next question) is served before the
//!   others (relays, reminders, closing messages to chats that are quiet). So an answer
//!   waits behind other *answers* only, never behind a bulk of relays: at most one turn
//!   per employee answering at that moment (1/30 s each), plus its own chat's pace.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::config::Pace;
use crate::watchdog::Pulse;

/// A chat counts as in conversation this long after the employee's last update.
const ACTIVE_FOR: Duration = Duration::from_secs(120);
/// Turns are spaced this much wider than `1/per_second`, so that requests bunched by the
/// network on the way still stay within Telegram's count for any one second.
const JITTER_MARGIN: f64 = 1.1;
/// Per-chat state is pruned once there is this much of it (entries that are fully
/// recharged, or chats quiet for long, carry no information).
const PRUNE_AT: usize = 4096;
/// How far a late turn lets the next one catch up (see `dispatch`).
const CATCH_UP: Duration = Duration::from_millis(2);

type Grant = oneshot::Sender<()>;

/// Hands out turns to send. Cheap to clone; the dispatching task ends with the last clone.
#[derive(Clone)]
pub struct Pacer {
    inner: Arc<Inner>,
}

struct Inner {
    pace: Pace,
    /// Per chat: the generic cell rate's theoretical arrival time of the next message.
    chats: Mutex<HashMap<i64, Instant>>,
    /// Chats whose employee wrote lately, with the time of their last update.
    active: Mutex<HashMap<i64, Instant>>,
    urgent: mpsc::UnboundedSender<Grant>,
    bulk: mpsc::UnboundedSender<Grant>,
}

/// A poisoned lock's data is still whole here (every update is one assignment).
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Pacer {
    /// Starts the dispatching task (on the current Tokio runtime); `pulse` reports its
    /// progress to the watchdog.
    pub fn start(pace: Pace, pulse: Pulse) -> Pacer {
        let (urgent, urgent_rx) = mpsc::unbounded_channel();
        let (bulk, bulk_rx) = mpsc::unbounded_channel();
        let spacing = Duration::from_secs_f64(JITTER_MARGIN / f64::from(pace.per_second));
        tokio::spawn(dispatch(urgent_rx, bulk_rx, spacing, pulse));
        Pacer {
            inner: Arc::new(Inner {
                pace,
                chats: Mutex::default(),
                active: Mutex::default(),
                urgent,
                bulk,
            }),
        }
    }

    /// The employee of `chat` just wrote: answers to them go first for a while.
    pub fn note_employee_activity(&self, chat: i64) {
        let now = Instant::now();
        let mut active = lock(&self.inner.active);
        if active.len() >= PRUNE_AT {
            active.retain(|_, at| now.duration_since(*at) < ACTIVE_FOR);
        }
        active.insert(chat, now);
    }

    fn is_active(&self, chat: i64) -> bool {
        lock(&self.inner.active)
            .get(&chat)
            .is_some_and(|at| at.elapsed() < ACTIVE_FOR)
    }

    /// Waits until one message may go to `chat`. Call right before the request.
    pub async fn turn(&self, chat: i64) {
        let chat_allows = self.reserve_in_chat(chat);
        tokio::time::sleep_until(chat_allows).await;
        let (grant, granted) = oneshot::channel();
        let queue = if self.is_active(chat) {
            &self.inner.urgent
        } else {
            &self.inner.bulk
        };
        // The dispatcher lives as long as any pacer; if it is gone, so is the runtime.
        if queue.send(grant).is_ok() {
            let _ = granted.await;
        }
    }

    /// The generic cell rate algorithm: reserves the chat's next slot and says when it is.
    fn reserve_in_chat(&self, chat: i64) -> Instant {
        let pace = self.inner.pace;
        let interval = Duration::from_secs_f64(1.0 / pace.chat_per_second);
        let tolerance = interval * (pace.chat_burst - 1);
        let now = Instant::now();
        let mut chats = lock(&self.inner.chats);
        if chats.len() >= PRUNE_AT {
            chats.retain(|_, tat| *tat > now);
        }
        let tat = chats.get(&chat).copied().unwrap_or(now).max(now);
        let allowed = (tat - tolerance).max(now);
        chats.insert(chat, tat + interval);
        allowed
    }
}

/// Gives out one turn per `spacing`, answers to active chats first.
async fn dispatch(
    mut urgent: mpsc::UnboundedReceiver<Grant>,
    mut bulk: mpsc::UnboundedReceiver<Grant>,
    spacing: Duration,
    pulse: Pulse,
) {
    let mut next = Instant::now();
    loop {
        if next > Instant::now() {
            tokio::time::sleep_until(next).await;
        }
        pulse.idle();
        let grant = tokio::select! {
            biased;
            Some(grant) = urgent.recv() => grant,
            Some(grant) = bulk.recv() => grant,
            else => return,
        };
        pulse.progress();
        // A waiter that gave up (shutdown, a cancelled send) leaves its turn unused.
        if grant.send(()).is_ok() {
            // Turns keep their spacing from the one before; one that came late (the timer
            // ticks in milliseconds) lets the next catch up by at most CATCH_UP, so high
            // rates are reached too and no second ever holds more than the rate.
            let now = Instant::now();
            next = next.max(now.checked_sub(CATCH_UP).unwrap_or(now)) + spacing;
        }
    }
}

#[cfg(test)]
mod tests {
    //! On real time, with rates scaled up so the tests are short. The pacer only ever
    //! waits longer than it must (a busy machine delays it further), so "at most so many
    //! in any window" holds on any machine; priority is checked by order, not by time.
    use super::*;

    fn pace(per_second: u32, chat_per_second: f64) -> Pace {
        Pace {
            per_second,
            chat_per_second,
            chat_burst: 3,
        }
    }

    fn most_in_any_window(times: &[Instant], window: Duration) -> usize {
        times
            .iter()
            .map(|start| {
                times
                    .iter()
                    .filter(|t| **t >= *start && **t < *start + window)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn no_window_holds_more_than_the_bot_limit() {
        let pacer = Pacer::start(pace(200, 1.0), Pulse::new("pacer"));
        let mut tasks = tokio::task::JoinSet::new();
        for chat in 0..120 {
            let pacer = pacer.clone();
            tasks.spawn(async move {
                pacer.turn(chat).await;
                Instant::now()
            });
        }
        let mut times = Vec::new();
        while let Some(at) = tasks.join_next().await {
            times.push(at.unwrap());
        }
        assert_eq!(times.len(), 120);
        // 200 a second: at most 40 in any fifth of a second.
        assert!(most_in_any_window(&times, Duration::from_millis(200)) <= 40);
    }

    #[tokio::test]
    async fn one_chat_gets_a_burst_then_its_pace() {
        let pacer = Pacer::start(pace(1000, 20.0), Pulse::new("pacer"));
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..10 {
            pacer.turn(7).await;
            times.push(Instant::now() - start);
        }
        // A burst of three, then one every 50 ms.
        for (i, t) in times.iter().enumerate().skip(3) {
            let due = Duration::from_millis(50 * (i as u64 - 2));
            assert!(*t >= due, "message {i} at {t:?}, not before {due:?}");
        }
    }

    #[tokio::test]
    async fn an_answer_to_an_active_chat_goes_before_queued_relays() {
        let pacer = Pacer::start(pace(100, 1.0), Pulse::new("pacer"));
        pacer.note_employee_activity(-1);
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = tokio::task::JoinSet::new();
        for chat in 0..100 {
            let (pacer, order) = (pacer.clone(), order.clone());
            tasks.spawn(async move {
                pacer.turn(chat).await;
                lock(&order).push(chat);
            });
        }
        // Let the relays queue up, then the employee's answer arrives.
        tokio::time::sleep(Duration::from_millis(50)).await;
        pacer.turn(-1).await;
        let served_before = lock(&order).len();
        while tasks.join_next().await.is_some() {}
        assert!(
            served_before < 50,
            "the answer came after {served_before} of 100 relays queued before it"
        );
    }
}
