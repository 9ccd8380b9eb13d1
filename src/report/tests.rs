//! The report against an independent count of generated records, and the suppression
//! rule against a brute-force search of every table the printed numbers allow.

use std::path::Path;

use proptest::prelude::*;

use super::suppress::{Shown, feasible_ranges};
use super::tally::Dimension;
use super::{Report, Request, build};
use crate::core::dialog::load_dir;
use crate::core::registration::{ContactKind, OUTCOMES, Registration};
use crate::i18n::{Catalog, Lang};

const CATEGORIES: &[&str] = &[
    "sexual-harassment",
    "aggression",
    "discrimination",
    "bullying",
    "intimidation",
    "integrity",
    "other",
];
/// Units the generated records name; the configuration lists Noord and West, so Zuid
/// stands for a unit removed from the configuration during the year.
const UNITS: &[&str] = &["Noord", "Zuid"];
const CONFIGURED_UNITS: [&str; 2] = ["Noord", "West"];

fn report_of(records: &[Registration], year: i16, threshold: u64) -> Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::load(&root.join("locales"), Lang::new("nl")).expect("locales");
    let dialogs = load_dir(&root.join("dialogs")).expect("dialogs");
    build(&Request {
        records,
        year,
        threshold,
        organisation: "Voorbeeld BV",
        intake: dialogs.get("intake").expect("intake"),
        units: &CONFIGURED_UNITS.map(str::to_owned),
        catalog: &catalog,
        lang: &Lang::new("en"),
    })
}

fn record() -> impl Strategy<Value = Registration> {
    (
        2025i16..=2026,
        1i8..=12,
        prop::option::of(prop::sample::select(CATEGORIES)),
        prop::option::of(prop::sample::select(UNITS)),
        prop::collection::vec(
            prop::sample::select(&["listening", "advice", "mediation"][..]),
            0..3,
        ),
        prop::option::of(prop::sample::select(OUTCOMES)),
        0u32..600,
        prop::option::of(any::<bool>()),
        (any::<bool>(), prop::sample::select(&ContactKind::ALL[..])),
    )
        .prop_map(
            |(
                year,
                month,
                category,
                unit,
                wishes,
                outcome,
                minutes,
                promise_kept,
                (escalated, kind),
            )| {
                Registration {
                    organisation: None,
                    supported: false,
                    kind,
                    year,
                    month,
                    category: category.map(str::to_owned),
                    unit: unit.map(str::to_owned),
                    wishes: wishes.into_iter().map(str::to_owned).collect(),
                    outcome: outcome.map(str::to_owned),
                    minutes,
                    minutes_by_month: Default::default(),
                    promise_kept,
                    escalated,
                }
            },
        )
}

/// The count of one row, computed from the records directly (not through `tally`).
/// `rows`: the table's row keys (the intake's categories come from the dialog file).
fn independent_count(
    records: &[Registration],
    dimension: Dimension,
    rows: &[&str],
    key: &str,
) -> u64 {
    let accused = |r: &Registration| r.kind == ContactKind::Accused;
    let matches = |r: &&Registration| match dimension {
        Dimension::Kind => {
            key == match r.kind {
                ContactKind::Report => "report",
                ContactKind::Consultation => "consultation",
                ContactKind::Accused => "accused",
            }
        }
        Dimension::Category => match r.category.as_deref() {
            Some(c) if rows.contains(&c) && c != "not-given" => c == key,
            _ => key == "not-given",
        },
        Dimension::Quarter => key == format!("q{}", (r.month - 1) / 3 + 1),
        Dimension::Unit => r.unit.as_deref().unwrap_or("not-given") == key,
        Dimension::Wish => r.wishes.iter().any(|w| w == key),
        Dimension::Outcome if accused(r) => key == "referral",
        Dimension::Outcome => r.outcome.as_deref().unwrap_or("open") == key,
        Dimension::Promise => {
            key == match r.promise_kept {
                _ if accused(r) => "not-applicable",
                Some(true) => "kept",
                Some(false) => "missed",
                None => "pending",
            }
        }
        Dimension::Escalated => key == if r.escalated { "yes" } else { "no" },
    };
    records.iter().filter(matches).count() as u64
}

/// Every value the suppressed cells can take, given the printed cells and the total:
/// for each cell, the set of values seen in some complete table that prints the same.
fn brute_force_values(shown: &[Shown], threshold: u64, total: u64) -> Vec<Vec<u64>> {
    let smallest_printed = shown
        .iter()
        .filter_map(|s| match s {
            Shown::Count(c) => Some(*c),
            _ => None,
        })
        .min()
        .unwrap_or(total);
    let ranges: Vec<(u64, u64)> = shown
        .iter()
        .map(|s| match s {
            Shown::Count(c) => (*c, *c),
            Shown::Below => (0, threshold - 1),
            Shown::Hidden => (threshold, smallest_printed.max(threshold)),
        })
        .collect();
    let mut seen = vec![Vec::new(); shown.len()];
    let mut current = Vec::new();
    search(&ranges, total, &mut current, &mut seen);
    seen
}

fn search(ranges: &[(u64, u64)], left: u64, current: &mut Vec<u64>, seen: &mut [Vec<u64>]) {
    let i = current.len();
    if i == ranges.len() {
        if left == 0 {
            for (cell, value) in current.iter().enumerate() {
                if !seen[cell].contains(value) {
                    seen[cell].push(*value);
                }
            }
        }
        return;
    }
    let (low, high) = ranges[i];
    for value in low..=high.min(left) {
        current.push(value);
        search(ranges, left - value, current, seen);
        current.pop();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn printed_numbers_match_an_independent_count(
        records in prop::collection::vec(record(), 0..80),
        threshold in 2u64..7,
    ) {
        let report = report_of(&records, 2026, threshold);
        let year: Vec<Registration> = records.iter().filter(|r| r.year == 2026).cloned().collect();
        let contacts = year.len() as u64;
        if contacts < threshold {
            prop_assert_eq!(report.contacts, Shown::Below);
            prop_assert!(report.hours.is_none());
            prop_assert!(report.tables.iter().all(|t| t.withheld && t.rows.is_empty()));
            return Ok(());
        }
        prop_assert_eq!(report.contacts, Shown::Count(contacts));
        let minutes: u64 = year.iter().map(|r| u64::from(r.minutes)).sum();
        prop_assert_eq!(report.hours, Some((minutes as f64 / 6.0).round() / 10.0));
        for table in report.tables.iter().filter(|t| !t.withheld) {
            let keys: Vec<&str> = table.rows.iter().map(|r| r.key.as_str()).collect();
            for row in &table.rows {
                let count = independent_count(&year, table.dimension, &keys, &row.key);
                match row.value {
                    Shown::Count(printed) => prop_assert_eq!(printed, count),
                    Shown::Below => prop_assert!(count < threshold),
                    Shown::Hidden => prop_assert!(count >= threshold),
                }
            }
            if table.dimension.sums_to_contacts() {
                let sum: u64 = table.rows.iter().map(|r| independent_count(&year, table.dimension, &keys, &r.key)).sum();
                prop_assert_eq!(sum, contacts, "{:?} rows must cover every case once", table.dimension);
            }
        }
    }

    #[test]
    fn no_small_cell_can_be_worked_out_from_the_totals(
        records in prop::collection::vec(record(), 0..60),
        threshold in 2u64..6,
    ) {
        let report = report_of(&records, 2026, threshold);
        let Shown::Count(contacts) = report.contacts else { return Ok(()) };
        let year: Vec<Registration> = records.iter().filter(|r| r.year == 2026).cloned().collect();
        for table in report.tables.iter().filter(|t| !t.withheld && t.dimension.sums_to_contacts()) {
            let shown: Vec<Shown> = table.rows.iter().map(|r| r.value).collect();
            let keys: Vec<&str> = table.rows.iter().map(|r| r.key.as_str()).collect();
            let possible = brute_force_values(&shown, threshold, contacts);
            let ranges = feasible_ranges(&shown, threshold, contacts);
            for (i, row) in table.rows.iter().enumerate() {
                let count = independent_count(&year, table.dimension, &keys, &row.key);
                if row.value == Shown::Below && count > 0 {
                    prop_assert!(
                        possible[i].len() >= 2,
                        "{:?} row {} ({} cases) is pinned down: {:?}",
                        table.dimension, row.key, count, possible[i]
                    );
                }
                if let Some((low, high)) = ranges[i] {
                    // The shortcut the report uses agrees with the brute force.
                    prop_assert_eq!(possible[i].iter().min().copied(), Some(low));
                    prop_assert_eq!(possible[i].iter().max().copied(), Some(high));
                }
            }
        }
    }
}

#[test]
fn a_year_with_few_contacts_says_so_and_nothing_more() {
    let records = vec![
        Registration {
            organisation: None,
            supported: false,
            kind: Default::default(),
            year: 2026,
            month: 3,
            category: Some("bullying".into()),
            unit: None,
            wishes: vec![],
            outcome: None,
            minutes: 30,
            minutes_by_month: Default::default(),
            promise_kept: Some(true),
            escalated: false,
        };
        4
    ];
    let report = report_of(&records, 2026, 5);
    assert_eq!(report.contacts, Shown::Below);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::load(&root.join("locales"), Lang::new("nl")).expect("locales");
    let text = super::markdown(&report, &catalog, &[]);
    assert!(text.contains("Fewer than 5 reports"), "{text}");
    assert!(!text.contains("| 4 |"), "{text}");
}

#[test]
fn every_configured_unit_has_a_row_even_without_cases() {
    let record = |unit: Option<&str>| Registration {
        organisation: None,
        supported: false,
        kind: Default::default(),
        year: 2026,
        month: 5,
        category: Some("bullying".into()),
        unit: unit.map(str::to_owned),
        wishes: vec![],
        outcome: None,
        minutes: 30,
        minutes_by_month: Default::default(),
        promise_kept: Some(true),
        escalated: false,
    };
    let mut records = vec![record(Some("Noord")); 12];
    records.extend(vec![record(Some("Zuid")); 6]);
    records.extend(vec![record(None); 7]);
    let report = report_of(&records, 2026, 5);
    let units = report
        .tables
        .iter()
        .find(|t| t.dimension == Dimension::Unit)
        .expect("a unit table");
    let rows: Vec<(&str, Shown)> = units
        .rows
        .iter()
        .map(|r| (r.key.as_str(), r.value))
        .collect();
    // West had no case, yet is listed (as "< 5", like any small count): an absent row
    // would tell readers which units had none. Zuid, no longer configured, still counts.
    assert_eq!(rows[0], ("Noord", Shown::Count(12)));
    assert_eq!(rows[1].0, "West");
    assert_ne!(rows[1].1, Shown::Count(0));
    assert_eq!(rows[2], ("Zuid", Shown::Count(6)));
    assert_eq!(rows[3], ("not-given", Shown::Count(7)));
}
