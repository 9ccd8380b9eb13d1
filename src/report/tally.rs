//! Counting a year's registration records into the report's tables (before suppression).

use std::collections::BTreeSet;

use crate::core::registration::{ContactKind, OUTCOMES, Registration};

/// What a table counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    Kind,
    Category,
    Quarter,
    Unit,
    Wish,
    Outcome,
    Promise,
    Escalated,
}

impl Dimension {
    /// Whether each case is counted exactly once in the table, so that its cells add up
    /// to the number of contacts (everything but the multiple-answer wishes).
    pub fn sums_to_contacts(self) -> bool {
        self != Dimension::Wish
    }

    /// The table's name in CSV and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Kind => "kind",
            Dimension::Category => "category",
            Dimension::Quarter => "quarter",
            Dimension::Unit => "unit",
            Dimension::Wish => "wish",
            Dimension::Outcome => "outcome",
            Dimension::Promise => "promise",
            Dimension::Escalated => "escalated",
        }
    }
}

/// The row key for a question left unanswered.
pub const NOT_GIVEN: &str = "not-given";
/// The promise row of contacts that were promised nothing (referred elsewhere).
pub const NOT_APPLICABLE: &str = "not-applicable";
/// The outcome row of cases still open.
pub const OPEN: &str = "open";

/// One table's raw counts, rows in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTable {
    pub dimension: Dimension,
    pub rows: Vec<(String, u64)>,
}

/// The year's raw numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub contacts: u64,
    pub minutes: u64,
    pub tables: Vec<RawTable>,
}

/// Counts the records of `year`. `categories` and `wishes` are the option ids of the
/// intake's questions, in the dialog's order, and `units` the configured units (rows with
/// no cases are kept, so a reader cannot tell an absent row from an empty one).
pub fn tally(
    records: &[Registration],
    year: i16,
    categories: &[String],
    wishes: &[String],
    units: &[String],
) -> Tally {
    let year_records: Vec<&Registration> = records.iter().filter(|r| r.year == year).collect();
    // Configured units first, in their order; then any a record names that the
    // configuration no longer lists (renamed or removed during the year).
    let former: BTreeSet<&str> = year_records
        .iter()
        .filter_map(|r| r.unit.as_deref())
        .filter(|u| !units.iter().any(|c| c == u))
        .collect();
    let units: Vec<&str> = units.iter().map(String::as_str).chain(former).collect();
    let mut tables = vec![
        single(
            &year_records,
            Dimension::Kind,
            ContactKind::ALL
                .iter()
                .map(|k| k.name().to_owned())
                .collect(),
            |r| r.kind.name().to_owned(),
        ),
        single(
            &year_records,
            Dimension::Category,
            with_not_given(categories),
            |r| known_or_not_given(r.category.as_deref(), categories),
        ),
        single(
            &year_records,
            Dimension::Quarter,
            (1..=4).map(|q| format!("q{q}")).collect(),
            |r| format!("q{}", r.quarter()),
        ),
    ];
    if !units.is_empty() {
        let unit_keys: Vec<String> = units.iter().map(|u| (*u).to_owned()).collect();
        tables.push(single(
            &year_records,
            Dimension::Unit,
            with_not_given(&unit_keys),
            |r| r.unit.clone().unwrap_or_else(|| NOT_GIVEN.to_owned()),
        ));
    }
    tables.push(RawTable {
        dimension: Dimension::Wish,
        rows: wishes
            .iter()
            .map(|wish| {
                let count = year_records
                    .iter()
                    .filter(|r| r.wishes.contains(wish))
                    .count();
                (wish.clone(), count as u64)
            })
            .collect(),
    });
    let mut outcomes: Vec<String> = OUTCOMES.iter().map(|o| (*o).to_owned()).collect();
    outcomes.push(OPEN.to_owned());
    tables.push(single(
        &year_records,
        Dimension::Outcome,
        outcomes.clone(),
        |r| {
            match r.outcome.as_deref() {
                // Someone accused was referred elsewhere: that is how it was handled.
                _ if r.kind == ContactKind::Accused && !r.supported => "referral".to_owned(),
                Some(outcome) if OUTCOMES.contains(&outcome) => outcome.to_owned(),
                // An outcome this version does not know is still a closed case.
                Some(_) => "withdrawn".to_owned(),
                None => OPEN.to_owned(),
            }
        },
    ));
    tables.push(single(
        &year_records,
        Dimension::Promise,
        vec![
            "kept".into(),
            "missed".into(),
            "pending".into(),
            NOT_APPLICABLE.into(),
        ],
        |r| match r.promise_kept {
            // Nobody was promised contact: they were referred elsewhere.
            _ if r.kind == ContactKind::Accused && !r.supported => NOT_APPLICABLE.into(),
            Some(true) => "kept".into(),
            Some(false) => "missed".into(),
            None => "pending".into(),
        },
    ));
    tables.push(single(
        &year_records,
        Dimension::Escalated,
        vec!["yes".into(), "no".into()],
        |r| {
            if r.escalated {
                "yes".into()
            } else {
                "no".into()
            }
        },
    ));
    Tally {
        contacts: year_records.len() as u64,
        minutes: year_records.iter().map(|r| u64::from(r.minutes)).sum(),
        tables,
    }
}

fn with_not_given(keys: &[String]) -> Vec<String> {
    let mut keys = keys.to_vec();
    keys.push(NOT_GIVEN.to_owned());
    keys
}

fn known_or_not_given(value: Option<&str>, known: &[String]) -> String {
    match value {
        Some(value) if known.iter().any(|k| k == value) => value.to_owned(),
        _ => NOT_GIVEN.to_owned(),
    }
}

/// A table in which every record falls in exactly one row.
fn single(
    records: &[&Registration],
    dimension: Dimension,
    keys: Vec<String>,
    row_of: impl Fn(&Registration) -> String,
) -> RawTable {
    let mut rows: Vec<(String, u64)> = keys.into_iter().map(|k| (k, 0)).collect();
    for record in records {
        let key = row_of(record);
        if let Some(row) = rows.iter_mut().find(|(k, _)| *k == key) {
            row.1 += 1;
        }
    }
    RawTable { dimension, rows }
}
