//! The deterministic core: dialog engine, case state machine, commands and assignment.
//!
//! Given the current state and one input, with `now` and a random source passed in, it
//! returns the new state and what to send ([`Effects`]). No tokio, no network types, no
//! clock: everything here is tested without a network.

pub mod access;
pub mod address;
pub mod assign;
mod attachments;
pub mod case;
pub mod clocks;
mod commands;
mod counsellor;
pub mod dialog;
mod digest;
mod duration;
mod escalate;
pub mod failures;
pub mod files;
pub mod fit;
pub mod ids;
pub mod inform_hr;
pub mod io;
mod lifecycle;
pub mod present;
pub mod registration;
mod reporter;
mod resume;
mod room_commands;
mod room_guard;
pub mod service;
pub mod settings;
pub mod shared;
pub mod text_keys;
pub mod time;
mod timers;
mod turn;

use std::sync::Arc;

use rand::RngCore;

pub use address::{ChannelKind, ReporterAddress};
pub use case::{Case, Status, TimerKind};
pub use commands::{REPORTER_COMMANDS, ReporterCommand, asks_for_own_data, resume_token};
pub use ids::{CaseId, Token};
pub use io::{
    Author, Button, CaseChange, Effects, Input, Output, ReporterEvent, ReporterMessage, RoomPost,
    RoomPostKind, RoomSetup, TranscriptEntry,
};
pub use service::{Owner, Service};
pub use settings::Settings;
pub use shared::Shared;
pub use time::Timestamp;

use crate::i18n::Catalog;
use dialog::Dialogs;

/// The id of the dialog every new case starts with.
pub const INTAKE: &str = "intake";

/// The per-call context: the current time and a source of randomness (seeded in tests).
pub struct Ctx<'a> {
    pub now: Timestamp,
    pub rng: &'a mut dyn RngCore,
    /// For a `/resume`, which concerns the case its token names: the case the chat
    /// itself already belongs to, if any (a chat belongs to one case at a time).
    pub chat_case: Option<CaseId>,
    /// For `!history`: the case's transcript (read from the store only then).
    pub transcript: Vec<TranscriptEntry>,
}

/// The core's fixed knowledge: dialogs, texts and settings.
pub struct Core {
    pub dialogs: Dialogs,
    pub catalog: Arc<Catalog>,
    pub settings: Settings,
}

impl Core {
    /// Handles one input against the case it concerns (`None` when there is none yet)
    /// and the cross-case state. Never panics on any input.
    pub fn handle(
        &self,
        ctx: &mut Ctx<'_>,
        case: Option<Case>,
        shared: &mut Shared,
        input: Input,
    ) -> Effects {
        let mut effects = match input {
            Input::Reporter { from, event } => {
                reporter::handle(self, ctx, case, shared, from, event)
            }
            Input::Counsellor {
                sender, text, meta, ..
            } => counsellor::handle(
                self,
                ctx.now,
                case,
                shared,
                counsellor::Message {
                    sender,
                    text,
                    meta,
                    transcript: std::mem::take(&mut ctx.transcript),
                },
            ),
            Input::CounsellorEdit {
                sender,
                of,
                text,
                meta,
                ..
            } => counsellor::edit(self, ctx.now, case, sender, of, text, meta),
            Input::CounsellorRedaction { sender, of, .. } => {
                counsellor::redaction(self, ctx.now, case, sender, of)
            }
            Input::CounsellorTyping { typing, .. } => counsellor::typing(case, typing),
            Input::CounsellorUnsupported { sender, meta, .. } => {
                counsellor::unsupported(self, ctx.now, case, sender, meta)
            }
            Input::Timer {
                kind: TimerKind::Digest,
                ..
            } => digest::handle(std::slice::from_ref(self), ctx.now, shared),
            Input::Timer { kind, .. } => timers::handle(self, ctx.now, case, shared, kind),
            Input::Undeliverable { undelivered, .. } => {
                failures::undeliverable(self, ctx.now, case, undelivered)
            }
            Input::CounsellorFile { sender, file, .. } => {
                attachments::from_counsellor(self, ctx.now, case, shared, sender, file)
            }
            Input::RoomMember { user, .. } => room_guard::member(self, ctx.now, case, user),
            Input::CounsellorUndecryptable { sender, .. } => {
                room_guard::undecryptable(self, ctx.now, case, sender)
            }
        };
        // Whatever produced them, texts leave in parts their network takes.
        effects.outputs = fit::outputs(std::mem::take(&mut effects.outputs));
        registration::attach(&mut effects, &self.settings.timezone, ctx.rng);
        if let CaseChange::Erase(case) = &effects.case {
            // An erased case leaves no trace in the cross-case state either.
            shared.due.remove(&hex::encode(case.id.0));
            shared.nobody_left.remove(&hex::encode(case.id.0));
            shared
                .nobody_left_organisation
                .remove(&hex::encode(case.id.0));
            if case.status == Status::Open
                && let Some(id) = &case.counsellor
            {
                shared.remove_case(id);
            }
        }
        effects
    }
}

#[cfg(test)]
pub(crate) mod tests;
