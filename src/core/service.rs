//! One bot serving several organisations (an external counselling service, seed 003):
//! each organisation is a [`Core`] of its own (name, units, roster, texts' numbers,
//! privacy), and every input is handed to the organisation it concerns. A case belongs
//! to one organisation for life, so one organisation's counsellors never see another's
//! cases: its rooms, reminders, digest lines and records stay within it.
//!
//! A new chat names its organisation with an unguessable code, from the Telegram deep
//! link (`/start CODE`) or sent as the first message (Matrix). Without a known code the
//! bot asks for one and keeps nothing; it never lists the organisations it serves. A
//! bot serving one organisation needs no code.

use subtle::ConstantTimeEq;

use super::case::{Case, Status, TimerKind};
use super::io::{Effects, Input, Output, ReporterEvent};
use super::settings::Roster;
use super::shared::Shared;
use super::text_keys as keys;
use super::time::Timestamp;
use super::{Core, Ctx, present};
use crate::i18n::{Args, Lang};

/// The organisations one bot serves; never empty.
pub struct Service {
    cores: Vec<Core>,
}

/// Why `--organisation` names no organisation.
#[derive(Debug, thiserror::Error)]
pub enum ChooseError {
    #[error("the bot serves several organisations: name one with --organisation ({0})")]
    Needed(String),
    #[error("there is no organisation {0:?} in the config (organisations: {1})")]
    Unknown(String, String),
}

/// What a case's organisation resolves to.
pub enum Owner<'a> {
    Known(&'a Core),
    /// The case names an organisation the config no longer lists: its input is set aside
    /// rather than shown to anyone else's counsellors.
    Gone(String),
}

impl Service {
    /// `cores` in the config's order; the first also takes cases that name none (made
    /// while the bot served one organisation).
    pub fn new(cores: Vec<Core>) -> Option<Service> {
        (!cores.is_empty()).then_some(Service { cores })
    }

    pub fn single(core: Core) -> Service {
        Service { cores: vec![core] }
    }

    /// The first organisation: its settings serve what belongs to no organisation (the
    /// bot's own notices, delivery limits, the digest's hour).
    pub fn first(&self) -> &Core {
        &self.cores[0]
    }

    pub fn all(&self) -> &[Core] {
        &self.cores
    }

    pub fn serves_several(&self) -> bool {
        self.cores.len() > 1
    }

    /// The organisation with this `id`.
    pub fn by_id(&self, id: &str) -> Option<&Core> {
        self.cores
            .iter()
            .find(|c| c.settings.organisation_id.as_deref() == Some(id))
    }

    /// The organisation a case belongs to.
    pub fn owner(&self, case: &Case) -> Owner<'_> {
        self.owner_of(case.organisation.as_ref())
    }

    /// The organisation a case or record naming `organisation` belongs to.
    pub fn owner_of(&self, organisation: Option<&String>) -> Owner<'_> {
        match organisation {
            None => Owner::Known(self.first()),
            Some(id) => match self.by_id(id) {
                Some(core) => Owner::Known(core),
                None if !self.serves_several() => Owner::Known(self.first()),
                None => Owner::Gone(id.clone()),
            },
        }
    }

    /// Whether what names `organisation` (a case, a record) belongs to `core`.
    pub fn belongs_to(&self, organisation: Option<&String>, core: &Core) -> bool {
        matches!(self.owner_of(organisation), Owner::Known(owner) if std::ptr::eq(owner, core))
    }

    /// The organisation an administrator's command names (`--organisation ID`):
    /// required when there are several, and checked when there is one.
    pub fn chosen(&self, id: Option<&str>) -> Result<&Core, ChooseError> {
        let ids = || {
            self.cores
                .iter()
                .filter_map(|c| c.settings.organisation_id.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match id {
            None if self.serves_several() => Err(ChooseError::Needed(ids())),
            None => Ok(self.first()),
            Some(id) => self
                .by_id(id)
                .ok_or_else(|| ChooseError::Unknown(id.to_owned(), ids())),
        }
    }

    /// Everyone who counsels for any organisation, each once (the Matrix adapter's
    /// view: who may invite the bot, whose names become mentions).
    pub fn roster(&self) -> Roster {
        let mut all = Roster::default();
        for core in &self.cores {
            let roster = &core.settings.roster;
            for c in core.settings.everyone() {
                if all.find(&c.matrix_id).is_some() {
                    continue;
                }
                let is = |role: &Option<super::settings::Counsellor>| {
                    role.as_ref().is_some_and(|r| r.matrix_id == c.matrix_id)
                };
                // The first coordinator and backup keep their places; any other
                // organisation's are counted among the counsellors, so none is missed.
                if is(&roster.coordinator) && all.coordinator.is_none() {
                    all.coordinator = Some(c.clone());
                } else if is(&roster.backup) && all.backup.is_none() {
                    all.backup = Some(c.clone());
                } else {
                    all.counsellors.push(c.clone());
                }
            }
        }
        all
    }

    /// Handles one input as [`Core::handle`] does, in the organisation it concerns.
    /// The engine has already set aside inputs whose case's organisation is gone.
    pub fn handle(
        &self,
        ctx: &mut Ctx<'_>,
        case: Option<Case>,
        shared: &mut Shared,
        input: Input,
    ) -> Effects {
        if let Input::Timer {
            kind: TimerKind::Digest,
            ..
        } = input
        {
            let mut effects = super::digest::handle(&self.cores, ctx.now, shared);
            effects.outputs = super::fit::outputs(std::mem::take(&mut effects.outputs));
            return effects;
        }
        if !self.serves_several() {
            return self.first().handle(ctx, case, shared, input);
        }
        let (case, input) = match input {
            Input::Reporter { from, event } => match self.route_reporter(case, &event) {
                Route::Core(core, case, event) => {
                    let case = case.map(|c| *c);
                    return core.handle(ctx, case, shared, Input::Reporter { from, event });
                }
                Route::AskCode => return self.ask_code(&from),
                Route::Nothing => return Effects::default(),
            },
            other => (case, other),
        };
        match case.as_ref().map(|c| self.owner(c)) {
            Some(Owner::Known(core)) => core.handle(ctx, case, shared, input),
            // Cases of a removed organisation never reach the core (the engine sets their
            // input aside); without a case, the first organisation answers.
            Some(Owner::Gone(_)) => Effects::default(),
            None => self.first().handle(ctx, case, shared, input),
        }
    }

    /// Which organisation a reporter's input goes to, and as what.
    fn route_reporter<'a>(&'a self, case: Option<Case>, event: &ReporterEvent) -> Route<'a> {
        let code = code_in(event).and_then(|code| self.by_code(code));
        match (case, code) {
            // A chat whose last case is over may start anew for another organisation.
            (Some(case), Some(core))
                if case.status == Status::Closed
                    && case.dialog.is_none()
                    && case.organisation != core.settings.organisation_id =>
            {
                Route::Core(core, None, start())
            }
            (Some(case), _) => match self.owner(&case) {
                Owner::Known(core) => Route::Core(core, Some(Box::new(case)), event.clone()),
                Owner::Gone(_) => Route::Nothing,
            },
            // The code itself is no answer to anything: the intake starts as from /start.
            (None, Some(core)) => Route::Core(core, None, start()),
            // `/resume` finds its case by token (the engine hands it in); without one,
            // the answer says only that nothing was found, in any organisation's words.
            (None, None) if is_resume(event) => Route::Core(self.first(), None, event.clone()),
            // A message the bot cannot read, or one sent unencrypted, is answered as such
            // (the core keeps nothing for it) before any code is asked for.
            (None, None)
                if matches!(
                    event,
                    ReporterEvent::Undecryptable | ReporterEvent::Unencrypted
                ) =>
            {
                Route::Core(self.first(), None, event.clone())
            }
            (None, None) => Route::AskCode,
        }
    }

    fn by_code(&self, code: &str) -> Option<&Core> {
        // Compared in constant time: how far a guess matched must not show in the time
        // the answer takes.
        self.cores.iter().find(|core| {
            core.settings
                .code
                .as_deref()
                .is_some_and(|known| bool::from(known.as_bytes().ct_eq(code.as_bytes())))
        })
    }

    /// Asks for the organisation's code, in each organisation's language (the chat has
    /// told nothing else yet), keeping nothing.
    fn ask_code(&self, from: &super::ReporterAddress) -> Effects {
        let first = self.first();
        let mut langs: Vec<&Lang> = Vec::new();
        for core in &self.cores {
            if !langs.contains(&&core.settings.default_lang) {
                langs.push(&core.settings.default_lang);
            }
        }
        let text = langs
            .iter()
            .map(|lang| {
                first
                    .catalog
                    .render(lang, keys::REPORTER_CODE_ASK, &Args::new())
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        Effects::with_output(Output::Reporter(present::message(
            from,
            text,
            Vec::new(),
            &first.catalog,
            &first.settings.default_lang,
        )))
    }

    /// Arms the daily digest at start (see `digest`).
    pub fn arm_digest(&self, now: Timestamp) -> Effects {
        self.first().arm_digest(now)
    }
}

impl From<Core> for Service {
    fn from(core: Core) -> Service {
        Service::single(core)
    }
}

enum Route<'a> {
    Core(&'a Core, Option<Box<Case>>, ReporterEvent),
    AskCode,
    /// The case's organisation is gone (the engine sets such input aside first).
    Nothing,
}

fn start() -> ReporterEvent {
    ReporterEvent::Text("/start".to_owned())
}

fn is_resume(event: &ReporterEvent) -> bool {
    matches!(
        event,
        ReporterEvent::Text(text) | ReporterEvent::FormattedText { text, .. }
            if matches!(super::commands::parse(text), Some(super::ReporterCommand::Resume { .. }))
    )
}

/// The organisation code a message carries: the argument of `/start` (a Telegram deep
/// link), or a message that is one word (typed or pasted on Matrix).
pub fn code_in(event: &ReporterEvent) -> Option<&str> {
    let text = match event {
        ReporterEvent::Text(text) | ReporterEvent::FormattedText { text, .. } => text.trim(),
        _ => return None,
    };
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let command = first
        .strip_prefix('/')
        .map(|c| c.split('@').next().unwrap_or("").to_lowercase());
    let code = match command.as_deref() {
        Some("start") => words.next()?,
        Some(_) => return None,
        None => first,
    };
    words.next().is_none().then_some(code)
}
