//! The inbox: one input at a time, it loads the case, runs the core, and commits the
//! effects with the input's acknowledgement marker in one transaction. Inputs are handled
//! one after another, but waiting for the disk is not: the turn ends at the commit, and
//! everyone waiting for durability is served by one group flush. A caller acknowledges an
//! input to its network only once [`Engine::handle`] (or [`Engine::settle`]) returned.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use tokio::sync::{Mutex, Notify};

use super::clock::Clock;
use crate::core::settings::Roster;
use crate::core::{
    Case, CaseChange, CaseId, Ctx, Effects, Input, Owner, ReporterEvent, Service, failures,
    resume_token,
};
use crate::store::{Ack, Commit, Quarantined, Store, StoreError};
use crate::watchdog::Pulse;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Handling an input panicked outside the core (whose panics are caught in
    /// [`Engine::apply`]); the caller counts it like any failure of that input.
    #[error("handling it panicked")]
    Panicked,
}

impl EngineError {
    /// See [`StoreError::is_storage_fault`].
    pub fn is_storage_fault(&self) -> bool {
        match self {
            EngineError::Store(e) => e.is_storage_fault(),
            EngineError::Panicked => false,
        }
    }
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
    /// The organisations served, each with its own core.
    pub service: Service,
    /// Every counsellor of every organisation, each once (mentions, verification).
    pub roster: Roster,
    pub store: Store,
    clock: Arc<dyn Clock>,
    /// Serialises handling: one input at a time keeps each case's story linear.
    gate: Mutex<()>,
    /// Wakes the delivery worker when new outbox entries exist.
    pub outbox_ready: Notify,
    /// Wakes the scheduler when the timer index changed.
    pub timers_changed: Notify,
    /// Erased cases whose key files go once the erasure is on disk.
    erased: std::sync::Mutex<Vec<CaseId>>,
    /// Busy while an input is being handled, for the watchdog.
    pulse: Pulse,
    /// When each network last answered (readiness, `/health`).
    pub health: Arc<super::Health>,
    /// This process's counters, for `/metrics`.
    pub metrics: super::Metrics,
}

impl Engine {
    pub fn new(service: impl Into<Service>, store: Store, clock: Arc<dyn Clock>) -> Engine {
        let service = service.into();
        Engine {
            roster: service.roster(),
            service,
            store,
            clock,
            gate: Mutex::new(()),
            outbox_ready: Notify::new(),
            timers_changed: Notify::new(),
            erased: std::sync::Mutex::default(),
            pulse: Pulse::new("engine"),
            health: Arc::new(super::Health::new(true)),
            metrics: super::Metrics::default(),
        }
    }

    /// As [`Engine::new`], with Telegram in use or not (for readiness).
    pub fn with_telegram(mut self, enabled: bool) -> Engine {
        self.health = Arc::new(super::Health::new(enabled));
        self
    }

    /// The engine's progress, for the watchdog.
    pub fn pulse(&self) -> &Pulse {
        &self.pulse
    }

    pub fn now(&self) -> crate::core::Timestamp {
        self.clock.now()
    }

    /// Handles `input` durably. When this returns Ok, the effects and `ack` are on disk.
    pub async fn handle(&self, input: Input, ack: Ack) -> Result<Handled, EngineError> {
        let handled = self.apply(input, ack).await?;
        self.settle().await?;
        Ok(handled)
    }

    /// Handles `input` and writes its effects, without waiting for the disk: nothing of it
    /// may be acknowledged before a later [`Engine::settle`] returned (a poller handles a
    /// whole batch of updates, then settles once). Delivery waits for the disk itself.
    pub async fn apply(&self, input: Input, ack: Ack) -> Result<Handled, EngineError> {
        self.apply_message(input, ack, None).await
    }

    /// As [`Engine::apply`], for an input that is the employee's message `message` in
    /// their Telegram chat: the room posts relaying it carry its id, so a counsellor's
    /// reply can answer it there and an edit of it can follow it into the room.
    pub async fn apply_message(
        &self,
        input: Input,
        ack: Ack,
        message: Option<i32>,
    ) -> Result<Handled, EngineError> {
        let _turn = self.pulse.enter();
        let _gate = self.gate.lock().await;
        if let Ack::MatrixEvent(id) = &ack
            && self.store.is_handled(id)?
        {
            return Ok(Handled {
                duplicate: true,
                ..Handled::default()
            });
        }
        let before = match self.load_case(&input) {
            Ok(before) => before,
            Err(StoreError::CaseUnreadable { case, source }) => {
                tracing::error!(
                    ?case,
                    error = %source,
                    "a case cannot be opened (its key file or record is damaged); the input is set aside and the people of the case are told (confidant check-store)"
                );
                let effects = failures::case_unreadable(self.service.first(), case, &input);
                self.set_aside_input(None, &input, "the case cannot be opened", ack, &effects)?;
                return Ok(Handled::default());
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(case) = &before
            && let Owner::Gone(organisation) = self.service.owner(case)
        {
            // Never shown to another organisation's counsellors: kept aside until the
            // organisation is configured again (check-store lists it).
            tracing::error!(
                case = ?case.id,
                organisation,
                "a case belongs to an organisation the config no longer lists; its input is set aside"
            );
            let effects = Effects::default();
            self.set_aside_input(
                before.as_ref(),
                &input,
                "its organisation is not in the config",
                ack,
                &effects,
            )?;
            return Ok(Handled::default());
        }
        let chat_case = self.chat_case(&input)?;
        let mut shared = self.store.shared()?;
        let shared_before = shared.clone();
        let handled = {
            let mut rng = rand::rngs::OsRng;
            let mut ctx = Ctx {
                now: self.clock.now(),
                rng: &mut rng,
                chat_case,
                transcript: self.history_for(&input, before.as_ref())?,
            };
            // The core never panics by design; if it does on some input anyway, that input
            // is set aside rather than replayed into a crash loop.
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                self.service
                    .handle(&mut ctx, before.clone(), &mut shared, input.clone())
            }))
        };
        let Ok(mut effects) = handled else {
            tracing::error!(
                case = ?before.as_ref().map(|c| c.id),
                "the core failed on an input; it is set aside and its sender is told"
            );
            let effects = failures::set_aside(self.service.first(), before.as_ref(), &input);
            self.set_aside_input(
                before.as_ref(),
                &input,
                "the core failed on it",
                ack,
                &effects,
            )?;
            return Ok(Handled::default());
        };
        if let (Some(id), Input::Reporter { from, event }) = (message, &input) {
            mark_relays(
                &mut effects,
                from,
                id,
                matches!(event, ReporterEvent::Edited(_)),
            );
        }
        let changed_shared = (shared != shared_before).then_some(&shared);
        let report = self.store.commit(Commit {
            before: before.as_ref(),
            effects: &effects,
            shared: changed_shared,
            ack,
        })?;
        if let Some(case) = report.erased {
            self.erased
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(case);
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

    /// Waits until everything handled so far is on disk, then destroys the key files of
    /// the cases erased meanwhile (only then: a crash before the flush must find the case
    /// still readable, as its erasure is not yet acknowledged).
    pub async fn settle(&self) -> Result<(), EngineError> {
        let erased = std::mem::take(&mut *self.erased.lock().unwrap_or_else(|p| p.into_inner()));
        if let Err(e) = self.store.flush().await {
            self.erased
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend(erased);
            return Err(e.into());
        }
        for case in erased {
            self.store.destroy_case_key(case)?;
            tracing::info!(?case, "case erased");
        }
        Ok(())
    }

    /// Arms the system's own timers (the daily digest) at start; arming again replaces.
    pub async fn arm_system_timers(&self) -> Result<(), EngineError> {
        let _turn = self.pulse.enter();
        let _gate = self.gate.lock().await;
        let effects = self.service.arm_digest(self.clock.now());
        self.store.commit(Commit {
            before: None,
            effects: &effects,
            shared: None,
            ack: Ack::None,
        })?;
        drop(_gate);
        self.settle().await?;
        self.timers_changed.notify_one();
        Ok(())
    }

    /// Records an acknowledgement for an input that needs no handling (an update the bot
    /// ignores), so it is confirmed exactly like the others.
    pub async fn acknowledge(&self, ack: Ack) -> Result<(), EngineError> {
        self.record_ack(ack).await?;
        self.settle().await
    }

    /// As [`Engine::acknowledge`], without waiting for the disk (see [`Engine::apply`]).
    pub async fn record_ack(&self, ack: Ack) -> Result<(), EngineError> {
        let _turn = self.pulse.enter();
        let _gate = self.gate.lock().await;
        let effects = crate::core::Effects::default();
        self.store.commit(Commit {
            before: None,
            effects: &effects,
            shared: None,
            ack,
        })?;
        Ok(())
    }

    /// Sets aside an inbound item that cannot be handled (an update that does not read,
    /// or whose handling failed again and again): kept sealed for an operator (with the
    /// key of the case `about` concerns, if any), acknowledged with `ack`, and whoever
    /// sent it told it was set aside (`about`: the input it was, or would have been, as
    /// far as it reads). Nothing is flushed: settle as after [`Engine::apply`].
    pub async fn set_aside_inbound(
        &self,
        source: &str,
        reason: &str,
        payload: Vec<u8>,
        ack: Ack,
        about: Option<Input>,
    ) -> Result<(), EngineError> {
        let _turn = self.pulse.enter();
        let _gate = self.gate.lock().await;
        let case = about
            .as_ref()
            .and_then(|input| self.load_case(input).ok().flatten());
        let effects = match &about {
            Some(input) => failures::set_aside(self.service.first(), case.as_ref(), input),
            None => crate::core::Effects::default(),
        };
        tracing::error!(
            case = ?case.as_ref().map(|c| c.id),
            source,
            reason,
            "an inbound item cannot be handled; it is set aside and confirmed (confidant check-store)"
        );
        let item = Quarantined {
            at: self.clock.now(),
            source: source.into(),
            reason: reason.into(),
            payload,
        };
        self.set_aside(case.as_ref(), item, ack, &effects)
    }

    /// Sets `input` aside (sealed with its case's key, if it has a readable case) in
    /// the same transaction as its acknowledgement and `effects` (telling people).
    fn set_aside_input(
        &self,
        case: Option<&Case>,
        input: &Input,
        reason: &str,
        ack: Ack,
        effects: &crate::core::Effects,
    ) -> Result<(), EngineError> {
        let item = Quarantined {
            at: self.clock.now(),
            source: "input".into(),
            reason: reason.into(),
            // Files print as their size only (see FileBytes).
            payload: format!("{input:?}").into_bytes(),
        };
        self.set_aside(case, item, ack, effects)
    }

    fn set_aside(
        &self,
        case: Option<&Case>,
        item: Quarantined,
        ack: Ack,
        effects: &crate::core::Effects,
    ) -> Result<(), EngineError> {
        let report = self.store.commit_set_aside(
            Commit {
                before: case,
                effects,
                shared: None,
                ack,
            },
            case.map(|c| c.id),
            &item,
        )?;
        if report.outbox_added > 0 {
            self.outbox_ready.notify_one();
        }
        Ok(())
    }

    /// For a counsellor's `!history` and an employee's `/mydata`: the case's transcript;
    /// nothing for any other input (it is read back only when asked for).
    fn history_for(
        &self,
        input: &Input,
        before: Option<&crate::core::Case>,
    ) -> Result<Vec<crate::core::TranscriptEntry>, StoreError> {
        match input {
            Input::Counsellor { case, text, .. } if is_history_command(text) => {
                self.store.transcript(*case)
            }
            Input::Reporter {
                event: ReporterEvent::Text(text),
                ..
            } if crate::core::asks_for_own_data(text) => {
                before.map_or(Ok(Vec::new()), |case| self.store.transcript(case.id))
            }
            _ => Ok(Vec::new()),
        }
    }

    /// For a `/resume`: the case the chat itself belongs to (a damaged one counts too).
    fn chat_case(&self, input: &Input) -> Result<Option<CaseId>, StoreError> {
        let Input::Reporter {
            from,
            event: ReporterEvent::Text(text),
        } = input
        else {
            return Ok(None);
        };
        if resume_token(text).is_none() {
            return Ok(None);
        }
        match self.store.case_for_address(from) {
            Ok(case) => Ok(case.map(|c| c.id)),
            Err(StoreError::CaseUnreadable { case, .. }) => Ok(Some(case)),
            Err(e) => Err(e),
        }
    }

    /// The case an input concerns; [`StoreError::CaseUnreadable`] when it exists but does
    /// not open (never taken for no case: that would open a second one for the chat).
    fn load_case(&self, input: &Input) -> Result<Option<Case>, StoreError> {
        match input {
            // `/resume TOKEN CODE` concerns the case the token names, not this chat's.
            Input::Reporter {
                event: ReporterEvent::Text(text),
                ..
            } if let Some(token) = resume_token(text) => self.store.case_for_token(&token),
            Input::Reporter { from, .. } => self.store.case_for_address(from),
            Input::Counsellor { case, .. }
            | Input::Timer { case, .. }
            | Input::Undeliverable { case, .. }
            | Input::CounsellorFile { case, .. }
            | Input::RoomMember { case, .. }
            | Input::CounsellorUndecryptable { case, .. }
            | Input::CounsellorEdit { case, .. }
            | Input::CounsellorRedaction { case, .. }
            | Input::CounsellorTyping { case, .. }
            | Input::CounsellorUnsupported { case, .. } => self.store.load_case(*case),
        }
    }
}

/// Marks the room posts that relay the employee's message `id` with it.
fn mark_relays(
    effects: &mut crate::core::Effects,
    from: &crate::core::ReporterAddress,
    id: i32,
    edit: bool,
) {
    for output in &mut effects.outputs {
        if let crate::core::Output::Room(post) = output
            && post.kind == crate::core::RoomPostKind::Relay
        {
            post.from_message = Some(crate::core::io::EmployeeMessage {
                from: from.clone(),
                id,
                edit,
            });
        }
    }
}

/// Whether a counsellor's text asks for `!history`, the one command that reads the
/// sealed transcript back.
fn is_history_command(text: &str) -> bool {
    text.trim_start()
        .strip_prefix('!')
        .and_then(|rest| rest.split_whitespace().next())
        .is_some_and(|name| name.eq_ignore_ascii_case("history"))
}
