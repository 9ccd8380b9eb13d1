//! The config loader on the example config with settings given hostile values
//! (durations past any clock, negative and huge numbers, wrong types, empty lists), and
//! on byte-mutated text. Dialogs, locales and the key file are not read here (their
//! paths do not exist on a test machine), so each input costs only parsing and checks.

use std::path::Path;

use proptest::prelude::*;

use super::bytes::mutated_text;
use super::fuzz;

const EXAMPLE: &str = include_str!("../../deploy/config.example.toml");

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "\"-1h\"",
            "\"0s\"",
            "\"200000000000000000m\"",
            "\"99999999999999999999h\"",
            "\"1h30m\"",
            "\"25:00\"",
            "\"\"",
            "\"x\"",
            "0",
            "-1",
            "99999999999999999999",
            "18446744073709551615",
            "1e309",
            "-0.0",
            "true",
            "[]",
            "[\"1h\", \"1h\", \"-2h\"]",
            "[\"49h\"]",
            "{}",
            "\"@:\"",
            "\"Mars/Olympus\"",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,20}",
    ]
}

/// The example with some settings' values replaced.
fn edited() -> impl Strategy<Value = String> {
    let lines: Vec<&'static str> = EXAMPLE.lines().collect();
    let count = lines.len();
    prop::collection::vec((0..count, value()), 1..5).prop_map(move |edits| {
        let mut lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        for (at, value) in edits {
            if let Some((name, _)) = lines[at].split_once('=') {
                lines[at] = format!("{name}= {value}");
            }
        }
        lines.join("\n")
    })
}

fn target(text: String) {
    let env = |name: &str| match name {
        crate::config::ENV_TELEGRAM_TOKEN => Some("1:token".to_owned()),
        _ => Some("secret".to_owned()),
    };
    let _ = crate::config::load_text(&text, Path::new("/nonexistent/config.toml"), &env);
}

#[test]
fn fuzz_config_loader() {
    let inputs = prop_oneof![3 => edited(), 1 => mutated_text(EXAMPLE)];
    fuzz("config loader", inputs, target);
}
