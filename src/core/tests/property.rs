//! Any sequence of texts, commands and button presses never panics and always leaves the
//! dialog at a step that exists.

use proptest::prelude::*;

use super::support::*;
use crate::core::time::SignedDuration;
use crate::core::*;

pub(crate) fn event() -> impl Strategy<Value = ReporterEvent> {
    let commands = prop::sample::select(vec![
        "/start",
        "/help",
        "/status",
        "/token",
        "/language",
        "/stop",
        "/done",
        "/x",
        "1",
        "2",
        "7",
        "0",
        "Klaar",
        "English",
    ]);
    let buttons = prop::sample::select(vec![
        "welcome:continue",
        "welcome:language",
        "safety:no",
        "safety:yes",
        "safety-help:continue",
        "category:bullying",
        "ongoing:~skip",
        "since:months",
        "relation:manager",
        "others-affected:~skip",
        "wishes:advice",
        "wishes:~done",
        "counsellor-gender:female",
        "counsellor-kind:~skip",
        "exclude:~skip",
        "contact:this-chat",
        "consent:tally",
        "category:~skip",
        "story:~done",
        "confirm:send",
        "confirm:change",
        "confirm:cancel",
        "~edit:category",
        "~edit:~back",
        "~lang:en",
        "~lang:nl",
        "~lang:xx",
        "garbage",
        "",
    ]);
    prop_oneof![
        commands.prop_map(|t| ReporterEvent::Text(t.to_owned())),
        buttons.prop_map(|d| ReporterEvent::Button {
            data: d.to_owned(),
            message: Some(3)
        }),
        ".{0,40}".prop_map(ReporterEvent::Text),
        Just(ReporterEvent::Unsupported),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_input_sequence_keeps_the_dialog_valid(events in prop::collection::vec(event(), 1..40)) {
        let mut w = World::new();
        let me = telegram(99);
        for event in events {
            w.input(Input::Reporter { from: me.clone(), event });
            if let Some(case) = w.case_of(&me) {
                if let Some(position) = &case.dialog {
                    let dialog = w.core.dialogs.get(&position.dialog).expect("dialog exists");
                    prop_assert!(dialog.steps.iter().any(|s| s.id == position.step), "at unknown step {}", position.step);
                    prop_assert_eq!(case.status, Status::Intake);
                }
                prop_assert!(case.status != Status::Intake || case.timers.contains_key(&TimerKind::IntakeExpiry));
            }
        }
    }
}

/// One thing that can happen to a submitted case.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    Reporter(ReporterEvent),
    Counsellor(String, String),
    Advance(i64),
    Undeliverable(io::UndeliveredTo, io::Refusal),
}

fn command() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "!help",
        "!status",
        "!note",
        "!contacted",
        "!escalate",
        "!handover",
        "!time",
        "!close",
        "!reopen",
        "!share-request",
        "!away",
        "!back",
        "!feedback",
        "!",
        "!!",
        "!onbekend",
    ]);
    let arguments = prop_oneof![
        Just(String::new()),
        Just("200000000000000000m".to_owned()),
        Just("99999999999999999999999h".to_owned()),
        Just("-5m".to_owned()),
        Just("1h30m".to_owned()),
        Just("9999-12-31".to_owned()),
        Just("2026-13-45".to_owned()),
        Just("advice".to_owned()),
        Just("@bram:example.org".to_owned()),
        Just("@nobody:example.org".to_owned()),
        "[0-9]{1,30}[mhdu]?",
        ".{0,30}",
    ];
    prop_oneof![
        (names, arguments).prop_map(|(n, a)| format!("{n} {a}")),
        ".{0,60}",
    ]
}

pub(crate) fn step() -> impl Strategy<Value = Step> {
    let to = prop_oneof![
        Just(io::UndeliveredTo::Reporter),
        Just(io::UndeliveredTo::Room),
        Just(io::UndeliveredTo::Member {
            user: "@carla:example.org".into()
        }),
    ];
    let why = prop::sample::select(vec![
        io::Refusal::Unreachable,
        io::Refusal::TooLarge,
        io::Refusal::Refused,
        io::Refusal::UnknownUser,
        io::Refusal::GaveUp,
    ]);
    let sender = prop::sample::select(vec![
        "@anna:example.org",
        "@bram:example.org",
        "@carla:example.org",
        "@mallory:example.org",
    ]);
    prop_oneof![
        3 => event().prop_map(Step::Reporter),
        4 => (sender, command()).prop_map(|(s, c)| Step::Counsellor(s.to_owned(), c)),
        2 => (0i64..(24 * 60 * 200)).prop_map(Step::Advance),
        1 => (to, why).prop_map(|(to, why)| Step::Undeliverable(to, why)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]
    /// Counsellor commands (with any argument), timers (over days and months), the
    /// reporter's input and delivery failures, interleaved on one case: never a panic,
    /// and the case stays consistent.
    #[test]
    fn commands_timers_and_reporter_input_together_never_break_a_case(
        steps in prop::collection::vec(step(), 1..60)
    ) {
        let mut w = World::new();
        w.start_bot();
        let me = telegram(77);
        let case = w.submit_case(&me, "verhaal");
        for step in steps {
            run_step(&mut w, &me, case.id, step);
            if let Some(now) = w.cases.get(&case.id) {
                prop_assert!(now.status != Status::Intake || now.timers.contains_key(&TimerKind::IntakeExpiry));
                for (kind, at) in &now.timers {
                    prop_assert!(*at > w.now - SignedDuration::from_hours(24 * 366), "{kind:?} at {at}");
                }
            }
        }
    }
}

/// Lets `step` happen to case `case` of reporter `me`.
pub(crate) fn run_step(w: &mut World, me: &ReporterAddress, case: CaseId, step: Step) {
    match step {
        Step::Reporter(event) => {
            w.input(Input::Reporter {
                from: me.clone(),
                event,
            });
        }
        Step::Counsellor(sender, text) => {
            w.counsellor_says(case, &sender, &text);
        }
        Step::Advance(minutes) => w.advance(SignedDuration::from_mins(minutes)),
        Step::Undeliverable(to, why) => {
            w.input(Input::Undeliverable {
                case,
                undelivered: io::Undelivered {
                    to,
                    why,
                    excerpt: Some("x".into()),
                },
            });
        }
    }
}
