//! One reporter-facing turn: a working copy of the case plus the effects collected while
//! handling an input, with helpers that render texts in the case's language.

use super::Core;
use super::address::ReporterAddress;
use super::case::Case;
use super::dialog::{DialogEngine, Prompt};
use super::io::{
    Author, Button, CaseChange, Effects, Output, RoomPost, RoomPostKind, TranscriptEntry,
};
use super::present;
use super::time::{self, Timestamp};
use crate::i18n::Args;

pub struct Turn<'a> {
    pub core: &'a Core,
    pub now: Timestamp,
    pub case: Case,
    /// The chat this turn answers.
    pub to: ReporterAddress,
    pub fx: Effects,
    erase: bool,
    /// A `/resume` code ready in case this input submits the intake (see `resume`).
    pub fresh_resume_code: Option<(String, super::resume::ResumeCode)>,
    /// The code just given to the case: shown once, in the texts of this turn only.
    pub shown_resume_code: Option<String>,
    /// The thread the input came from: the room's answers go there.
    pub thread: Option<String>,
    /// The case's transcript, for `!history` (read only for it).
    pub history: Vec<TranscriptEntry>,
}

impl<'a> Turn<'a> {
    pub fn new(core: &'a Core, now: Timestamp, case: Case, to: ReporterAddress) -> Turn<'a> {
        Turn {
            core,
            now,
            case,
            to,
            fx: Effects::default(),
            erase: false,
            fresh_resume_code: None,
            shown_resume_code: None,
            thread: None,
            history: Vec::new(),
        }
    }

    /// Arguments every reporter text may use.
    pub fn args(&self) -> Args {
        let settings = &self.core.settings;
        let names: Vec<&str> = settings
            .roster
            .counsellors
            .iter()
            .map(|c| c.first_name.as_str())
            .collect();
        let mut args = Args::new()
            .text("organisation", settings.organisation.clone())
            .text("counsellors", names.join(", "))
            .number("hours", settings.first_contact.as_hours())
            .text("token", self.case.token.to_string())
            .number(
                "aftercare_days",
                settings.privacy.aftercare_after.as_hours() / 24,
            )
            .number(
                "retention_days",
                settings.privacy.dossier_retention.as_hours() / 24,
            );
        // What HR would get, for the confirmation that shows it word for word.
        if let Some(words) = super::inform_hr::message(self) {
            args = args.text("hr_message", words);
        }
        if let Some(code) = &self.shown_resume_code {
            args = args.text("code", code.clone());
        }
        if let Some(name) = self.counsellor_name() {
            args = args.text("counsellor", name);
        }
        if let Some(due) = self.contact_due() {
            args = args.text(
                "due",
                time::human(due, &settings.timezone, &self.core.catalog, &self.case.lang),
            );
        }
        args
    }

    pub fn counsellor_name(&self) -> Option<String> {
        let id = self.case.counsellor.as_deref()?;
        self.roster().find(id).map(|c| c.first_name.clone())
    }

    /// Who may handle this case (see [`super::settings::Settings::roster_for`]).
    pub fn roster(&self) -> &super::settings::Roster {
        self.core.settings.roster_for(&self.case)
    }

    pub fn contact_due(&self) -> Option<Timestamp> {
        self.case
            .submitted_at
            .map(|at| at + self.core.settings.first_contact)
    }

    pub fn text(&self, key: &str, extra: &Args) -> String {
        self.core
            .catalog
            .render(&self.case.lang, key, &self.args().extend(extra))
    }

    /// Sends a text to the reporter's chat.
    pub fn say(&mut self, key: &str, extra: &Args) {
        let text = self.text(key, extra);
        self.say_with_buttons(text, Vec::new());
    }

    pub fn say_with_buttons(&mut self, text: String, buttons: Vec<Vec<Button>>) {
        let message =
            present::message(&self.to, text, buttons, &self.core.catalog, &self.case.lang);
        self.fx.outputs.push(Output::Reporter(message));
    }

    pub fn say_prompt(&mut self, prompt: &Prompt) {
        let message =
            present::prompt_message(&self.to, prompt, &self.core.catalog, &self.case.lang);
        self.fx.outputs.push(Output::Reporter(message));
    }

    /// Sends to every chat linked to the case (a counsellor's words reach each device).
    /// A long text is split for each network later, with everything else (`fit`).
    pub fn tell_all_reporters(&mut self, text: &str) {
        self.relay_to_reporters(text, None, None, None);
    }

    /// Sends `text` (with its formatted twin `html`, if any) to every reporter chat;
    /// `source` is the counsellor's event it relays, so an edit or deletion can follow.
    pub fn relay_to_reporters(
        &mut self,
        text: &str,
        html: Option<&str>,
        source: Option<&str>,
        reply_to: Option<&str>,
    ) {
        for to in self.case.reporters.clone() {
            let mut message = present::message(
                &to,
                text.to_owned(),
                Vec::new(),
                &self.core.catalog,
                &self.case.lang,
            );
            message.source = source.map(str::to_owned);
            message.html = html.map(str::to_owned);
            message.reply_to = reply_to.map(str::to_owned);
            self.fx.outputs.push(Output::Reporter(message));
        }
    }

    /// Posts in the case room.
    pub fn room(&mut self, text: String, kind: RoomPostKind, mentions: Vec<String>) {
        self.fx.outputs.push(Output::Room(RoomPost {
            case: self.case.id,
            text,
            kind,
            mentions,
            thread: self.thread.clone(),
            from_message: None,
            html: None,
        }));
    }

    /// Renders a text for the counsellors (their language, not the reporter's).
    pub fn room_text(&self, key: &str, extra: &Args) -> String {
        let lang = &self.core.settings.counsellor_lang;
        let args = Args::new()
            .text("token", self.case.token.to_string())
            .number("hours", self.core.settings.first_contact.as_hours())
            .extend(extra);
        self.core.catalog.render(lang, key, &args)
    }

    /// Replaces the transcript record at `seq` (an edited message or note): the
    /// transcript keeps what was last said.
    pub fn rewrite(&mut self, seq: u64, author: Author, text: String) {
        self.fx.transcript.push(TranscriptEntry {
            seq,
            at: self.now,
            author,
            text,
        });
    }

    /// Appends to the sealed transcript.
    pub fn record(&mut self, author: Author, text: String) {
        let seq = self.case.transcript_len;
        self.case.transcript_len += 1;
        self.fx.transcript.push(TranscriptEntry {
            seq,
            at: self.now,
            author,
            text,
        });
    }

    /// A dialog engine for one of the core's dialogs, in the case's language.
    pub fn with_engine<R>(
        &self,
        dialog: &str,
        args: &Args,
        run: impl FnOnce(&DialogEngine<'_>) -> R,
    ) -> Option<R> {
        let dialog = self.core.dialogs.get(dialog)?;
        let engine = DialogEngine {
            dialog,
            catalog: &self.core.catalog,
            lang: &self.case.lang,
            args,
            facts: self.core.settings.dialog_facts(),
        };
        Some(run(&engine))
    }

    /// Marks the case for destruction; whatever else was said is still sent.
    pub fn erase(&mut self) {
        self.erase = true;
    }

    pub fn finish(mut self) -> Effects {
        if self.erase {
            // Erasure reaches Matrix: after their last messages, the bot leaves the
            // case room and the reporter's Matrix chats (their room keys and member
            // lists go from its own store with them).
            self.fx.outputs.push(Output::LeaveCaseRoom {
                case: self.case.id,
                room_id: None,
            });
            for to in &self.case.reporters {
                if to.channel() == super::address::ChannelKind::Matrix {
                    self.fx
                        .outputs
                        .push(Output::LeaveReporterChat { to: to.clone() });
                }
            }
        }
        self.fx.case = if self.erase {
            CaseChange::Erase(Box::new(self.case))
        } else {
            CaseChange::Save(Box::new(self.case))
        };
        self.fx
    }
}
