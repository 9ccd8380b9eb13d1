//! getUpdates: parameters, long polling, and the 409 conflict between concurrent polls.
//!
//! Like the real server: `limit` is clamped to 1..=100 and `timeout` to 0..=50 seconds; a poll
//! that finds nothing waits, and answers as soon as an update arrives; a second poll that
//! starts waiting makes the earlier waiting one answer 409 "Conflict: terminated by other
//! getUpdates request" (at most one such answer per 3 seconds comes at once, later ones after
//! 3 seconds). With `throttle_repeated_polls`, the server's anti-busy-loop rules apply too.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::error::ApiError;
use super::params::Params;
use super::shared::Shared;

const MAX_TIMEOUT_SECS: i64 = 50;
const CONFLICT_SPACING: Duration = Duration::from_secs(3);
const CONFLICT: &str =
    "terminated by other getUpdates request; make sure that only one bot instance is running";

enum Step {
    Answer(Vec<Value>),
    Wait(u64),
}

enum Check {
    Answer(Vec<Value>),
    Terminated { answer_now: bool },
    KeepWaiting,
}

/// Clears a waiting poll's registration when the poll ends, however it ends (including the
/// bot hanging up, which drops the request future).
struct Registration {
    shared: Arc<Shared>,
    poll: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        let poll = self.poll;
        self.shared.write_quietly(|state| {
            if state.polling.waiting == Some(poll) {
                state.polling.waiting = None;
            }
            state.polling.terminated.retain(|other| *other != poll);
        });
    }
}

/// Answers a getUpdates call.
pub(crate) async fn get_updates(shared: Arc<Shared>, params: &Params) -> Result<Value, ApiError> {
    // The server reads these as 32-bit integers, wrapping like C.
    let offset = i64::from(params.int("offset") as i32);
    let mut limit = if params.get("limit").is_empty() {
        100
    } else {
        params.int("limit").clamp(1, 100)
    };
    let mut timeout = params.int("timeout").clamp(0, MAX_TIMEOUT_SECS);
    let started = Instant::now();

    let step = shared.write(|state| {
        if state.options.throttle_repeated_polls
            && state.polling.previous_offset == Some(offset)
            && let Some(previous) = state.polling.previous_start
        {
            let since = started.into_std().saturating_duration_since(previous);
            if timeout < 3 && since < Duration::from_secs(3) {
                timeout = 3;
            }
            if since < Duration::from_millis(500) {
                limit = 1;
            }
        }
        state.polling.previous_offset = Some(offset);
        state.polling.previous_start = Some(started.into_std());
        state.updates.set_allowed(params.get("allowed_updates"));

        let now = state.now();
        let updates = state.updates.fetch(offset, limit as usize, now);
        if !updates.is_empty() || timeout == 0 {
            return Step::Answer(updates);
        }
        if let Some(earlier) = state.polling.waiting.take() {
            state.polling.terminated.push(earlier);
        }
        let poll = state.polling.next_poll_id;
        state.polling.next_poll_id += 1;
        state.polling.waiting = Some(poll);
        Step::Wait(poll)
    });
    let poll = match step {
        Step::Answer(updates) => return Ok(Value::Array(updates)),
        Step::Wait(poll) => poll,
    };
    let _registration = Registration {
        shared: Arc::clone(&shared),
        poll,
    };
    let deadline = started + Duration::from_secs(timeout.unsigned_abs());
    let mut changes = shared.subscribe();
    loop {
        changes.borrow_and_update();
        let check = shared.write_quietly(|state| {
            if let Some(index) = state.polling.terminated.iter().position(|p| *p == poll) {
                state.polling.terminated.remove(index);
                let now = std::time::Instant::now();
                let answer_now = state.polling.next_conflict_at.is_none_or(|at| now >= at);
                if answer_now {
                    state.polling.next_conflict_at = Some(now + CONFLICT_SPACING);
                }
                return Check::Terminated { answer_now };
            }
            let now = state.now();
            let updates = state.updates.fetch(offset, limit as usize, now);
            if updates.is_empty() {
                Check::KeepWaiting
            } else {
                Check::Answer(updates)
            }
        });
        match check {
            Check::Answer(updates) => return Ok(Value::Array(updates)),
            Check::Terminated { answer_now } => {
                if !answer_now {
                    tokio::time::sleep(CONFLICT_SPACING).await;
                }
                return Err(ApiError::conflict(CONFLICT));
            }
            Check::KeepWaiting => {}
        }
        match tokio::time::timeout_at(deadline, changes.changed()).await {
            Ok(Ok(())) => {}
            // Time is up (the sender cannot go away while `shared` lives).
            Ok(Err(_)) | Err(_) => return Ok(Value::Array(Vec::new())),
        }
    }
}
