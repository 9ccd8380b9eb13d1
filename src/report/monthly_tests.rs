//! The monthly hours statement against an independent count of generated records: every
//! number printed is the true one, none is under the threshold, and the hours left out
//! cannot be had by subtraction from a handful of cases.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;

use super::Shown;
use super::monthly::{MonthRequest, build};
use crate::core::registration::Registration;
use crate::i18n::{Catalog, Lang};

const UNITS: &[&str] = &["Noord", "Zuid"];
const MONTHS: &[&str] = &["2026-10", "2026-11"];

fn record() -> impl Strategy<Value = Registration> {
    (
        10i8..=11,
        prop::option::of(prop::sample::select(UNITS)),
        prop::collection::btree_map(prop::sample::select(MONTHS), 1u32..300, 0..=2),
    )
        .prop_map(|(month, unit, by_month)| Registration {
            organisation: None,
            supported: false,
            kind: Default::default(),
            year: 2026,
            month,
            category: None,
            unit: unit.map(str::to_owned),
            wishes: Vec::new(),
            outcome: None,
            minutes: by_month.values().sum(),
            minutes_by_month: by_month
                .into_iter()
                .map(|(m, n)| (m.to_owned(), n))
                .collect::<BTreeMap<_, _>>(),
            promise_kept: None,
            escalated: false,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn printed_numbers_are_true_and_never_small(
        records in prop::collection::vec(record(), 0..40),
        threshold in 2u64..6,
    ) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = Catalog::load(&root.join("locales"), Lang::new("nl")).expect("locales");
        let statement = build(&MonthRequest {
            records: &records,
            month: "2026-11",
            threshold,
            organisation: "Voorbeeld BV",
            units: &["Noord".to_owned()],
            catalog: &catalog,
            lang: &Lang::new("en"),
        });
        // A configured unit always has its row.
        prop_assert!(statement.rows.iter().any(|r| r.key == "Noord"));
        let mut hours_left_out_cases = 0;
        for row in &statement.rows {
            let mine: Vec<&Registration> = records
                .iter()
                .filter(|r| r.unit.as_deref().unwrap_or(super::tally::NOT_GIVEN) == row.key)
                .collect();
            let requests = mine.iter().filter(|r| r.month == 11).count() as u64;
            let worked: Vec<u32> = mine
                .iter()
                .filter_map(|r| r.minutes_by_month.get("2026-11").copied())
                .collect();
            if let Shown::Count(n) = row.requests {
                prop_assert_eq!(n, requests);
                prop_assert!(n == 0 || n >= threshold);
            }
            match row.hours {
                Some(hours) => {
                    let minutes: u32 = worked.iter().sum();
                    prop_assert_eq!(hours, (f64::from(minutes) / 6.0).round() / 10.0);
                    prop_assert!(worked.is_empty() || worked.len() as u64 >= threshold);
                }
                None => hours_left_out_cases += worked.len() as u64,
            }
        }
        if statement.total.hours.is_some() {
            prop_assert!(hours_left_out_cases == 0 || hours_left_out_cases >= threshold);
        }
    }
}
