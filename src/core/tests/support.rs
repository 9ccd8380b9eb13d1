//! An in-memory stand-in for the store: keeps cases and lookups, applies effects, and
//! lets tests read what was sent. Uses the project's real dialogs and locales.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::core::dialog::{load_dir, validate};
use crate::core::registration::{Registration, RegistrationId};
use crate::core::settings::{Counsellor, CounsellorKind, Gender, Roster, Settings};
use crate::core::*;
use crate::i18n::{Catalog, Lang};

pub const ANNA: &str = "@anna:example.org";
pub const BRAM: &str = "@bram:example.org";
pub const CARLA: &str = "@carla:example.org";
pub const DIRK: &str = "@dirk:example.org";

pub fn counsellor(id: &str, name: &str, gender: Gender) -> Counsellor {
    Counsellor {
        matrix_id: id.into(),
        first_name: name.into(),
        gender,
        kind: CounsellorKind::Internal,
        languages: vec![Lang::new("nl"), Lang::new("en")],
        regions: Vec::new(),
        max_open_cases: 10,
    }
}

pub fn core() -> Core {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::load(&root.join("locales"), Lang::new("nl")).expect("locales load");
    let dialogs = load_dir(&root.join("dialogs")).expect("dialogs load");
    for (id, dialog) in &dialogs.by_id {
        let problems = validate(dialog, &dialogs.file_of(id), &catalog);
        assert!(problems.is_empty(), "{problems:#?}");
    }
    let settings = Settings {
        organisation_id: None,
        code: None,
        organisation: "Thús Wonen".into(),
        units: Vec::new(),
        hr_room: Some(HR_ROOM.into()),
        default_lang: Lang::new("nl"),
        counsellor_lang: Lang::new("nl"),
        timezone: jiff::tz::TimeZone::get("Europe/Amsterdam").expect("tz"),
        first_contact: SignedDuration::from_hours(48),
        intake_expiry: SignedDuration::from_hours(24 * 7),
        max_message_chars: 4000,
        files: crate::core::files::FileLimits::default(),
        roster: Roster {
            counsellors: vec![
                counsellor(ANNA, "Anna", Gender::Female),
                // One of each kind, so the intake asks internal or external.
                Counsellor {
                    kind: CounsellorKind::External,
                    ..counsellor(BRAM, "Bram", Gender::Male)
                },
            ],
            coordinator: Some(counsellor(CARLA, "Carla", Gender::Female)),
            backup: Some(counsellor(DIRK, "Dirk", Gender::Male)),
        },
        accused_roster: None,
        privacy: Default::default(),
        reminders: Default::default(),
        delivery_give_up: crate::core::settings::DEFAULT_DELIVERY_GIVE_UP,
    };
    Core {
        dialogs,
        catalog: Arc::new(catalog),
        settings,
    }
}

use crate::core::time::SignedDuration;

pub fn telegram(chat_id: i64) -> ReporterAddress {
    ReporterAddress::Telegram { chat_id }
}

pub fn matrix(room: &str) -> ReporterAddress {
    ReporterAddress::Matrix {
        room_id: room.into(),
    }
}

/// Cases, lookups and the outbox as the store would keep them.
pub struct World {
    pub core: Core,
    /// When set, inputs go through it (several organisations) instead of `core`.
    pub service: Option<Service>,
    pub cases: HashMap<CaseId, Case>,
    pub lookup: HashMap<ReporterAddress, CaseId>,
    pub shared: Shared,
    pub now: Timestamp,
    pub rng: StdRng,
    pub transcript: HashMap<CaseId, Vec<TranscriptEntry>>,
    /// Everything sent, in order.
    pub sent: Vec<Output>,
    pub erased: Vec<CaseId>,
    /// Registration records, as the store keeps them apart from the cases.
    pub registrations: HashMap<RegistrationId, Registration>,
    /// The system's own timers (the digest), as the store's time index keeps them.
    pub system_timers: std::collections::BTreeMap<TimerKind, Timestamp>,
    /// Room events made so far (each counsellor message gets an event id).
    pub events: u64,
}

/// The test organisation's HR room (`!inform-hr`).
pub const HR_ROOM: &str = "!hr:example.org";

/// When every test world's clock starts.
pub fn start_time() -> Timestamp {
    "2026-11-23T09:00:00Z".parse().expect("a timestamp")
}

impl World {
    pub fn new() -> World {
        World {
            core: core(),
            service: None,
            cases: HashMap::new(),
            lookup: HashMap::new(),
            shared: Shared::default(),
            now: start_time(),
            rng: StdRng::seed_from_u64(42),
            transcript: HashMap::new(),
            sent: Vec::new(),
            erased: Vec::new(),
            registrations: HashMap::new(),
            system_timers: Default::default(),
            events: 0,
        }
    }

    /// What the engine does when the bot starts: arm the system's timers.
    pub fn start_bot(&mut self) {
        let effects = self.core.arm_digest(self.now);
        self.apply_system_timer(&effects);
    }

    fn apply_system_timer(&mut self, effects: &Effects) {
        if let Some((kind, at)) = effects.system_timer {
            self.system_timers.insert(kind, at);
        }
    }

    pub fn input(&mut self, input: Input) -> Effects {
        let case_id = match &input {
            // As the engine does: `/resume TOKEN CODE` concerns the case the token names.
            Input::Reporter {
                event: ReporterEvent::Text(text),
                ..
            } if let Some(token) = resume_token(text) => self
                .cases
                .values()
                .find(|c| c.token == token && c.submitted_at.is_some())
                .map(|c| c.id),
            Input::Reporter { from, .. } => self.lookup.get(from).copied(),
            Input::Counsellor { case, .. }
            | Input::Timer { case, .. }
            | Input::Undeliverable { case, .. }
            | Input::CounsellorFile { case, .. }
            | Input::RoomMember { case, .. }
            | Input::CounsellorUndecryptable { case, .. }
            | Input::CounsellorEdit { case, .. }
            | Input::CounsellorRedaction { case, .. }
            | Input::CounsellorTyping { case, .. }
            | Input::CounsellorUnsupported { case, .. } => Some(*case),
        };
        let chat_case = match &input {
            Input::Reporter {
                from,
                event: ReporterEvent::Text(text),
            } if resume_token(text).is_some() => self.lookup.get(from).copied(),
            _ => None,
        };
        let case = case_id.and_then(|id| self.cases.get(&id).cloned());
        // As the engine does: the transcript is read back for `!history` and `/mydata`
        // only.
        let transcript = match (&input, case_id) {
            (Input::Counsellor { text, .. }, Some(id))
                if text.trim_start().to_lowercase().starts_with("!history") =>
            {
                self.transcript.get(&id).cloned().unwrap_or_default()
            }
            (
                Input::Reporter {
                    event: ReporterEvent::Text(text),
                    ..
                },
                Some(id),
            ) if asks_for_own_data(text) => self.transcript.get(&id).cloned().unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut ctx = Ctx {
            now: self.now,
            rng: &mut self.rng,
            chat_case,
            transcript,
        };
        let effects = match &self.service {
            Some(service) => service.handle(&mut ctx, case, &mut self.shared, input),
            None => self.core.handle(&mut ctx, case, &mut self.shared, input),
        };
        match &effects.case {
            CaseChange::Unchanged => {}
            CaseChange::Save(case) => {
                for address in &case.reporters {
                    self.lookup.insert(address.clone(), case.id);
                }
                self.cases.insert(case.id, (**case).clone());
            }
            CaseChange::Erase(case) => {
                for address in &case.reporters {
                    self.lookup.remove(address);
                }
                self.cases.remove(&case.id);
                self.transcript.remove(&case.id);
                self.erased.push(case.id);
            }
        }
        if let CaseChange::Save(case) = &effects.case {
            // As the store keys records by position: a record at a known position
            // replaces the one there (an edit), a new one is appended.
            let records = self.transcript.entry(case.id).or_default();
            for entry in &effects.transcript {
                match records.iter_mut().find(|r| r.seq == entry.seq) {
                    Some(record) => *record = entry.clone(),
                    None => records.push(entry.clone()),
                }
            }
        }
        // Delivered as the network would take them: an invite's follow-ups once it is in.
        for output in &effects.outputs {
            self.sent.push(output.clone());
            if let Output::Invite { then, .. } = output {
                self.sent.extend(then.iter().cloned());
            }
        }
        if let Some((id, record)) = &effects.registration {
            self.registrations.insert(*id, record.clone());
        }
        self.apply_system_timer(&effects);
        effects
    }

    pub fn say(&mut self, from: &ReporterAddress, text: &str) -> Effects {
        self.input(Input::Reporter {
            from: from.clone(),
            event: ReporterEvent::Text(text.into()),
        })
    }

    pub fn press(&mut self, from: &ReporterAddress, data: &str) -> Effects {
        self.input(Input::Reporter {
            from: from.clone(),
            event: ReporterEvent::Button {
                data: data.into(),
                message: Some(1),
            },
        })
    }

    /// Presses the button whose data ends with `:option` on the last message to `from`.
    pub fn choose(&mut self, from: &ReporterAddress, option: &str) -> Effects {
        let data = self
            .last_buttons(from)
            .into_iter()
            .find(|b| b.data.ends_with(&format!(":{option}")) || b.data == option)
            .unwrap_or_else(|| {
                panic!(
                    "no button {option} on the last message; sent: {:#?}",
                    self.sent.last()
                )
            })
            .data;
        self.press(from, &data)
    }

    pub fn case_of(&self, from: &ReporterAddress) -> Option<&Case> {
        self.lookup.get(from).and_then(|id| self.cases.get(id))
    }

    /// Texts sent to a reporter, in order.
    pub fn texts_to(&self, to: &ReporterAddress) -> Vec<String> {
        self.sent
            .iter()
            .filter_map(|o| match o {
                Output::Reporter(m) if &m.to == to => Some(m.text.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn last_buttons(&self, to: &ReporterAddress) -> Vec<Button> {
        self.sent
            .iter()
            .rev()
            .find_map(|o| match o {
                Output::Reporter(m) if &m.to == to => {
                    Some(m.buttons.iter().flatten().cloned().collect())
                }
                _ => None,
            })
            .unwrap_or_default()
    }

    pub fn room_posts(&self, case: CaseId) -> Vec<RoomPost> {
        self.sent
            .iter()
            .filter_map(|o| match o {
                Output::Room(p) if p.case == case => Some(p.clone()),
                _ => None,
            })
            .collect()
    }

    /// From the welcome: no danger, `category`, then skips every question up to the story.
    pub fn reach_story(&mut self, from: &ReporterAddress, category: &str) {
        self.choose(from, "continue");
        self.choose(from, "no");
        self.choose(from, category);
        // Which questions come depends on the set-up (units, kinds of counsellor).
        for _ in 0..20 {
            let at_story = self
                .case_of(from)
                .and_then(|c| c.dialog.as_ref())
                .is_some_and(|d| d.step == "story");
            if at_story {
                break;
            }
            self.choose(from, "~skip");
        }
    }

    /// Runs a complete Telegram intake and returns the submitted case.
    pub fn submit_case(&mut self, from: &ReporterAddress, story: &str) -> Case {
        self.say(from, "/start");
        self.reach_story(from, "bullying");
        self.say(from, story);
        self.choose(from, "~done");
        self.choose(from, "tally");
        self.choose(from, "send");
        self.case_of(from).expect("case").clone()
    }
}

impl World {
    /// A counsellor's message in the case room.
    pub fn counsellor_says(&mut self, case: CaseId, sender: &str, text: &str) -> Effects {
        let event = self.next_event();
        self.counsellor_event(case, sender, text, &event, None)
    }

    /// A new room event id.
    pub fn next_event(&mut self) -> String {
        self.events += 1;
        format!("$event{}", self.events)
    }

    /// A counsellor's message with the given event id, in a thread or not.
    pub fn counsellor_event(
        &mut self,
        case: CaseId,
        sender: &str,
        text: &str,
        event: &str,
        thread: Option<&str>,
    ) -> Effects {
        self.input(Input::Counsellor {
            case,
            sender: sender.into(),
            text: text.into(),
            meta: crate::core::io::RoomMessageMeta {
                event: Some(event.into()),
                thread: thread.map(str::to_owned),
                ..Default::default()
            },
        })
    }

    /// Moves the clock and fires every timer that fell due, earliest first, as the
    /// scheduler does (the system's digest timer included, once `start_bot` armed it).
    pub fn advance(&mut self, by: SignedDuration) {
        let until = self.now + by;
        let mut fired = std::collections::BTreeSet::new();
        loop {
            let next = self
                .cases
                .values()
                .flat_map(|c| c.timers.iter().map(move |(k, at)| (*at, c.id, *k)))
                .chain(
                    self.system_timers
                        .iter()
                        .map(|(k, at)| (*at, CaseId::SYSTEM, *k)),
                )
                .filter(|(at, _, _)| *at <= until)
                .min();
            let Some((at, case, kind)) = next else {
                break;
            };
            // A timer that re-arms itself for the moment it fires would spin the real
            // scheduler for ever; fail instead of hanging.
            assert!(
                fired.insert((at, case, kind)),
                "{kind:?} fired twice at {at}: it re-armed itself for the same moment"
            );
            self.now = self.now.max(at);
            self.input(Input::Timer { case, kind });
        }
        self.now = until;
    }

    /// Runs the intake up to the summary, lets `prepare` set answers the test needs,
    /// then submits.
    pub fn submit_with(&mut self, from: &ReporterAddress, prepare: impl FnOnce(&mut Case)) -> Case {
        self.say(from, "/start");
        self.reach_story(from, "bullying");
        self.say(from, "verhaal");
        self.choose(from, "~done");
        self.choose(from, "tally");
        let id = self.lookup[from];
        if let Some(case) = self.cases.get_mut(&id) {
            prepare(case);
        }
        self.choose(from, "send");
        self.cases[&id].clone()
    }
}
/// The skippable intake questions between the category and the story, in order, with the
/// test set-up (both kinds of counsellor, no units).
pub const SKIPPED_BEFORE_STORY: [&str; 9] = [
    "ongoing",
    "since",
    "relation",
    "others-affected",
    "wishes",
    "counsellor-gender",
    "counsellor-kind",
    "exclude",
    "contact",
];
