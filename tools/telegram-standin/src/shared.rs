//! The state shared by the HTTP server and the control handle, and the change signal that lets
//! long polls and `wait_for_*` calls wake up when something happens instead of sleeping.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::options::StandinOptions;
use super::state::State;

pub(crate) struct Shared {
    state: Mutex<State>,
    /// A counter bumped after every change; receivers wake and re-check their condition.
    changes: watch::Sender<u64>,
}

impl Shared {
    pub(crate) fn new(options: StandinOptions) -> Self {
        Self {
            state: Mutex::new(State::new(options)),
            changes: watch::Sender::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-changed in a way that
        // matters more than stopping the stand-in would, so keep serving.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the state.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.lock())
    }

    /// Changes the state and wakes everyone waiting for a change.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let result = f(&mut self.lock());
        self.changes
            .send_modify(|version| *version = version.wrapping_add(1));
        result
    }

    /// Changes the state without waking anyone (bookkeeping nobody waits for).
    pub(crate) fn write_quietly<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.lock())
    }

    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    pub(crate) fn version(&self) -> u64 {
        *self.changes.borrow()
    }

    /// Waits until `check` returns `Some`, re-checking after every change; `Err` when
    /// `timeout` passes first.
    pub(crate) async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&State) -> Option<T>,
    ) -> Result<T, ()> {
        let deadline = Instant::now() + timeout;
        let mut changes = self.subscribe();
        loop {
            changes.borrow_and_update();
            if let Some(found) = self.read(&mut check) {
                return Ok(found);
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                // The sender lives as long as `self`, so only the deadline ends the wait.
                Ok(Err(_)) | Err(_) => return self.read(&mut check).ok_or(()),
            }
        }
    }

    /// Waits until the change counter differs from `since` (or the timeout passes); returns
    /// the current counter. The phone page uses this to refresh only when needed.
    pub(crate) async fn wait_for_change(&self, since: u64, timeout: Duration) -> u64 {
        let mut changes = self.subscribe();
        let deadline = Instant::now() + timeout;
        loop {
            let current = *changes.borrow_and_update();
            if current != since {
                return current;
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) | Err(_) => return self.version(),
            }
        }
    }
}
