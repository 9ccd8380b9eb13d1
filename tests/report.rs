//! `confidant report` as an administrator runs it: real registration records in a real
//! data folder, the real binary, and the files it writes.

use std::path::Path;

use crate::util::command::confidant_cli;

use confidant::core::registration::{Registration, RegistrationId};
use confidant::core::{CaseChange, Effects};
use confidant::crypto::MasterKey;
use confidant::store::Store;

fn record(month: i8, category: &str, outcome: Option<&str>, kept: Option<bool>) -> Registration {
    Registration {
        organisation: None,
        supported: false,
        kind: Default::default(),
        year: 2026,
        month,
        category: Some(category.into()),
        unit: None,
        wishes: vec!["listening".into()],
        outcome: outcome.map(str::to_owned),
        minutes: 90,
        minutes_by_month: Default::default(),
        promise_kept: kept,
        escalated: false,
    }
}

/// 12 bullying, 9 aggression, 2 integrity, 1 discrimination in 2026; 3 in 2025.
fn fill(dir: &Path) {
    let master = MasterKey::read_file(&dir.join("master.key")).unwrap();
    let store = Store::open(&dir.join("data"), &master).unwrap();
    let mut records = Vec::new();
    for i in 0..12 {
        records.push(record(
            1 + (i % 6) as i8,
            "bullying",
            Some("advice"),
            Some(true),
        ));
    }
    for i in 0..9 {
        records.push(record(7 + (i % 6) as i8, "aggression", None, Some(true)));
    }
    records.push(record(
        2,
        "integrity",
        Some("formal-complaint"),
        Some(false),
    ));
    records.push(record(11, "integrity", Some("advice"), Some(true)));
    records.push(record(5, "discrimination", Some("withdrawn"), None));
    for _ in 0..3 {
        let mut old = record(12, "bullying", Some("advice"), Some(true));
        old.year = 2025;
        records.push(old);
    }
    let mut rng = rand::thread_rng();
    for record in records {
        let effects = Effects {
            case: CaseChange::Unchanged,
            registration: Some((RegistrationId::random(&mut rng), record)),
            ..Effects::default()
        };
        crate::util::cases::commit(&store, &effects);
    }
}

fn setup() -> (tempfile::TempDir, String) {
    let admin = crate::util::example_config::AdminFolder::new();
    fill(admin.dir.path());
    let config = admin.config().to_owned();
    (admin.dir, config)
}

fn row<'a>(report: &'a serde_json::Value, table: &str, key: &str) -> &'a serde_json::Value {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["dimension"] == table)
        .and_then(|t| {
            t["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["key"] == key)
        })
        .map(|r| &r["value"])
        .unwrap_or_else(|| panic!("no row {table}/{key} in {report:#}"))
}

#[test]
fn the_json_report_counts_the_year_and_hides_small_numbers() {
    let (_dir, config) = setup();
    let (ok, out, err) = confidant_cli(&[
        "report", "--config", &config, "--year", "2026", "--format", "json", "--out", "-",
    ]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        report["contacts"]["count"], 24,
        "2025's records are not counted"
    );
    assert_eq!(report["hours"], 36.0);
    assert_eq!(row(&report, "category", "bullying")["count"], 12);
    assert_eq!(row(&report, "category", "aggression")["count"], 9);
    assert_eq!(row(&report, "category", "integrity"), "below");
    assert_eq!(row(&report, "category", "discrimination"), "below");
    // One late and one unknown among 24: both small, and together they keep each other
    // from being worked out from the 22 in time.
    assert_eq!(row(&report, "promise", "missed"), "below");
    assert_eq!(row(&report, "promise", "pending"), "below");
    assert_eq!(row(&report, "promise", "kept")["count"], 22);
    // Nobody was escalated: "no" is everyone, "yes" is zero, and zero points to no one.
    assert_eq!(row(&report, "escalated", "no")["count"], 24);
    // Two small outcomes (1 and 1) protect each other.
    assert_eq!(row(&report, "outcome", "advice")["count"], 13);
    assert_eq!(row(&report, "outcome", "open")["count"], 9);
    assert_eq!(row(&report, "outcome", "withdrawn"), "below");
    assert_eq!(row(&report, "outcome", "formal-complaint"), "below");
}

#[test]
fn the_markdown_report_comes_with_its_charts_in_dutch_by_default() {
    let (dir, config) = setup();
    let out_file = dir.path().join("jaarverslag.md");
    let (ok, out, err) = confidant_cli(&[
        "report",
        "--config",
        &config,
        "--year",
        "2026",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("jaarverslag.md"), "{out}");
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(text.contains("Jaarverslag vertrouwenspersonen"), "{text}");
    assert!(text.contains("Aantal meldingen: 24"), "{text}");
    assert!(
        text.contains("meldingen bij de vertrouwenspersonen in 2026"),
        "{text}"
    );
    assert!(text.contains("< 5"), "{text}");
    for chart in ["jaarverslag-category.svg", "jaarverslag-quarter.svg"] {
        assert!(text.contains(&format!("]({chart})")), "{text}");
        let svg = std::fs::read_to_string(dir.path().join(chart)).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"), "{svg}");
        assert!(svg.contains("Kwartaal") || svg.contains("Pesten"), "{svg}");
    }
}

#[test]
fn the_csv_report_is_english_on_request() {
    let (_dir, config) = setup();
    let (ok, out, err) = confidant_cli(&[
        "report", "--config", &config, "--year", "2026", "--format", "csv", "--lang", "en",
        "--out", "-",
    ]);
    assert!(ok, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let find = |table: &str, key: &str| {
        rows.iter()
            .find(|r| &r[0] == table && &r[1] == key)
            .map(|r| r[3].to_owned())
            .unwrap_or_else(|| panic!("no {table}/{key} in {out}"))
    };
    assert_eq!(find("total", "contacts"), "24");
    assert_eq!(find("category", "bullying"), "12");
    assert_eq!(find("category", "integrity"), "< 5");
    assert!(rows.iter().any(|r| &r[2] == "Still open"), "{out}");
}

#[test]
fn bad_requests_get_clear_answers() {
    let (dir, config) = setup();
    let (ok, _, err) = confidant_cli(&[
        "report", "--config", &config, "--year", "2026", "--lang", "fy", "--out", "-",
    ]);
    assert!(
        !ok && err.contains("no texts in language \"fy\"") && err.contains("nl"),
        "{err}"
    );
    let (ok, _, err) = confidant_cli(&[
        "report",
        "--config",
        &config,
        "--year",
        "2026",
        "--threshold",
        "1",
        "--out",
        "-",
    ]);
    assert!(!ok && err.contains("at least 2"), "{err}");
    // Something holds the data folder but does not answer on the control socket (an
    // older bot): say so, and never copy a store that is being written.
    let master = MasterKey::read_file(&dir.path().join("master.key")).unwrap();
    let _bot = Store::open(&dir.path().join("data"), &master).unwrap();
    let (ok, _, err) = confidant_cli(&[
        "report", "--config", &config, "--year", "2026", "--out", "-",
    ]);
    assert!(
        !ok && err.contains("does not answer") && err.contains("systemctl stop"),
        "{err}"
    );
}

#[test]
fn a_report_never_writes_into_the_data_folder() {
    let (dir, config) = setup();
    let data = dir.path().join("data");
    let before = crate::util::data_folder::snapshot(&data);
    assert!(!before.is_empty());
    let (ok, out, err) = confidant_cli(&[
        "report", "--config", &config, "--year", "2026", "--format", "json", "--out", "-",
    ]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["contacts"]["count"], 24);
    let after = crate::util::data_folder::snapshot(&data);
    let names = |s: &[(std::path::PathBuf, Vec<u8>, std::time::SystemTime)]| {
        s.iter().map(|(p, _, _)| p.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&after), names(&before));
    assert!(after == before, "a file of the data folder changed");
}

/// A record for the hours statement: came in `month` of 2026, `unit`, with minutes by
/// month as the bot keeps them.
fn hours_record(month: i8, unit: &str, by_month: &[(&str, u32)]) -> Registration {
    let mut record = record(month, "bullying", None, None);
    record.unit = Some(unit.to_owned());
    record.minutes_by_month = by_month
        .iter()
        .map(|(m, n)| ((*m).to_owned(), *n))
        .collect();
    record.minutes = by_month.iter().map(|(_, n)| n).sum();
    record
}

#[test]
fn the_monthly_hours_statement_counts_requests_and_hours_per_unit_and_hides_small_ones() {
    let admin = crate::util::example_config::AdminFolder::new();
    let mut records = Vec::new();
    for _ in 0..6 {
        records.push(hours_record(11, "Zorg", &[("2026-11", 60)]));
    }
    for _ in 0..2 {
        records.push(hours_record(11, "Techniek", &[("2026-11", 30)]));
    }
    // Came in in October, worked on in November too.
    for _ in 0..3 {
        records.push(hours_record(
            10,
            "Zorg",
            &[("2026-10", 30), ("2026-11", 120)],
        ));
    }
    {
        let store = Store::open(&admin.data(), &admin.master()).unwrap();
        let mut rng = rand::thread_rng();
        for record in &records {
            let effects = Effects {
                case: CaseChange::Unchanged,
                registration: Some((RegistrationId::random(&mut rng), record.clone())),
                ..Effects::default()
            };
            crate::util::cases::commit(&store, &effects);
        }
    }
    // The numbers, counted here from the records themselves.
    let requests = |unit: &str| {
        records
            .iter()
            .filter(|r| r.unit.as_deref() == Some(unit) && (r.year, r.month) == (2026, 11))
            .count()
    };
    let hours = |unit: &str| {
        records
            .iter()
            .filter(|r| r.unit.as_deref() == Some(unit))
            .map(|r| r.minutes_by_month.get("2026-11").copied().unwrap_or(0))
            .sum::<u32>() as f64
            / 60.0
    };
    assert_eq!((requests("Zorg"), hours("Zorg")), (6, 12.0));

    let (ok, out, err) = confidant_cli(&[
        "report",
        "--config",
        admin.config(),
        "--month",
        "2026-11",
        "--hours",
        "--format",
        "csv",
        "--out",
        "-",
    ]);
    assert!(ok, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let row = |key: &str| {
        rows.iter()
            .find(|r| r[0] == key)
            .unwrap_or_else(|| panic!("no row {key} in {out}"))
            .clone()
    };
    assert_eq!(row("Zorg")[2], requests("Zorg").to_string());
    assert_eq!(row("Zorg")[3], format!("{:.1}", hours("Zorg")));
    // Two requests, two cases: neither their number nor their hours are shown.
    assert_eq!(row("Techniek")[2], "< 5");
    assert_eq!(row("Techniek")[3], "×");
    assert_eq!(row("total")[2], "8");
    // The total less Zorg's hours would be Techniek's: left out too.
    assert_eq!(row("total")[3], "×");

    // Markdown, in the organisation's language, to a file named after the month.
    let (ok, out, err) = confidant_cli(&[
        "report",
        "--config",
        admin.config(),
        "--month",
        "2026-11",
        "--hours",
        "--out",
        "-",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("# Uren van de vertrouwenspersonen"),
        "{out}"
    );
    assert!(out.contains("| Zorg | 6 | 12.0 |"), "{out}");
    // Bad input gets a clear answer.
    for (args, says) in [
        (vec!["--month", "2026-13", "--hours"], "is no month"),
        (vec!["--month", "2026-11"], "--hours"),
        (vec!["--hours"], "--month"),
    ] {
        let mut all = vec!["report", "--config", admin.config(), "--out", "-"];
        all.extend(args);
        let (ok, _, err) = confidant_cli(&all);
        assert!(!ok && err.contains(says), "{all:?}: {err}");
    }
}
