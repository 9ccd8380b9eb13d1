//! The inbox: one input at a time, it loads the case, runs the core, commits the effects
//! with the input's acknowledgement marker in one transaction, and flushes to disk before
//! returning, so a caller may acknowledge the input to its network only afterwards.

use std::sync::Arc;

use tokio::sync::{Mutex, Notify};

use super::clock::Clock;
use crate::core::{Case, CaseChange, Core, Ctx, Input, ReporterEvent, resume_token};
use crate::store::{Ack, Commit, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What handling produced that the caller passes on at once (not persisted).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Handled {
    /// Answer to a pressed button.
    pub toast: Option<String>,
    /// The input had been handled before (redelivered); nothing was done.
    pub duplicate: bool,
}

pub struct Engine {
    pub core: Core,
    pub store: Store,
    clock: Arc<dyn Clock>,
    /// Serialises handling: one input at a time keeps each case's story linear.
    gate: Mutex<()>,
    /// Wakes the delivery worker when new outbox entries exist.
    pub outbox_ready: Notify,
    /// Wakes the scheduler when the timer index changed.
    pub timers_changed: Notify,
}

impl Engine {
    pub fn new(core: Core, store: Store, clock: Arc<dyn Clock>) -> Engine {
        Engine {
            core,
            store,
            clock,
            gate: Mutex::new(()),
            outbox_ready: Notify::new(),
            timers_changed: Notify::new(),
        }
    }

    pub fn now(&self) -> crate::core::Timestamp {
        self.clock.now()
    }

    /// Handles `input` durably. When this returns Ok, the effects and `ack` are on disk.
    pub async fn handle(&self, input: Input, ack: Ack) -> Result<Handled, EngineError> {
        let _turn = self.gate.lock().await;
        if let Ack::MatrixEvent(id) = &ack
            && self.store.is_handled(id)?
        {
            return Ok(Handled {
                duplicate: true,
                ..Handled::default()
            });
        }
        let before = self.load_case(&input)?;
        let mut shared = self.store.shared()?;
        let shared_before = shared.clone();
        let effects = {
            let mut rng = rand::rngs::OsRng;
            let mut ctx = Ctx {
                now: self.clock.now(),
                rng: &mut rng,
            };
            self.core
                .handle(&mut ctx, before.clone(), &mut shared, input)
        };
        let changed_shared = (shared != shared_before).then_some(&shared);
        let report = self.store.commit(Commit {
            before: before.as_ref(),
            effects: &effects,
            shared: changed_shared,
            ack,
        })?;
        self.store.flush().await?;
        if let Some(case) = report.erased {
            self.store.destroy_case_key(case)?;
            tracing::info!(?case, "case erased");
        }
        if effects.refused
            && let Some(case) = &before
        {
            tracing::warn!(case = ?case.id, "refused a message from someone who may not steer this case");
        }
        if let CaseChange::Save(case) = &effects.case
            && before.is_none()
        {
            tracing::info!(case = ?case.id, "case opened");
        }
        if report.outbox_added > 0 {
            self.outbox_ready.notify_one();
        }
        if report.timers_changed {
            self.timers_changed.notify_one();
        }
        Ok(Handled {
            toast: effects.toast,
            duplicate: false,
        })
    }

    /// Arms the system's own timers (the daily digest) at start; arming again replaces.
    pub async fn arm_system_timers(&self) -> Result<(), EngineError> {
        let _turn = self.gate.lock().await;
        let effects = self.core.arm_digest(self.clock.now());
        self.store.commit(Commit {
            before: None,
            effects: &effects,
            shared: None,
            ack: Ack::None,
        })?;
        self.store.flush().await?;
        self.timers_changed.notify_one();
        Ok(())
    }

    /// Records an acknowledgement for an input that needs no handling (an update the bot
    /// ignores), so it is confirmed exactly like the others.
    pub async fn acknowledge(&self, ack: Ack) -> Result<(), EngineError> {
        let _turn = self.gate.lock().await;
        let effects = crate::core::Effects::default();
        self.store.commit(Commit {
            before: None,
            effects: &effects,
            shared: None,
            ack,
        })?;
        self.store.flush().await?;
        Ok(())
    }

    /// A case that cannot be read (corrupt record) is treated as absent and reported; the
    /// bot goes on serving everyone else.
    fn load_case(&self, input: &Input) -> Result<Option<Case>, StoreError> {
        let loaded = match input {
            // `/resume TOKEN CODE` concerns the case the token names, not this chat's.
            Input::Reporter {
                event: ReporterEvent::Text(text),
                ..
            } if let Some(token) = resume_token(text) => self.store.case_for_token(&token),
            Input::Reporter { from, .. } => self.store.case_for_address(from),
            Input::Counsellor { case, .. }
            | Input::Timer { case, .. }
            | Input::Undeliverable { case }
            | Input::CounsellorFile { case, .. } => self.store.load_case(*case),
        };
        match loaded {
            Err(
                e @ (StoreError::Sealed { .. } | StoreError::Decode { .. } | StoreError::Key(_)),
            ) => {
                tracing::error!(error = %e, "a case record cannot be read; handling the input without it");
                Ok(None)
            }
            other => other,
        }
    }
}
