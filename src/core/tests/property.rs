//! Any sequence of texts, commands and button presses never panics and always leaves the
//! dialog at a step that exists.

use proptest::prelude::*;

use super::support::*;
use crate::core::*;

fn event() -> impl Strategy<Value = ReporterEvent> {
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
