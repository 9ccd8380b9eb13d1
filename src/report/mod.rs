//! The yearly report to management and the works council, made from the registration
//! records alone: counts per category, quarter, unit, wish, outcome; hours; whether the
//! 48-hour promise was kept. Small counts are suppressed ([`suppress`]) so that nothing
//! in it points to a person. Rendered as Markdown (with SVG charts beside it), CSV or
//! JSON, in any language in `locales/`.

mod chart;
mod labels;
pub mod monthly;
#[cfg(test)]
mod monthly_tests;
mod render_csv;
mod render_markdown;
pub mod suppress;
pub mod tally;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::core::dialog::Dialog;
use crate::core::registration::Registration;
use crate::i18n::{Catalog, Lang};
pub use chart::{Chart, charts};
pub use suppress::Shown;
use tally::{Dimension, RawTable};

/// Counts under this are printed as "< 5" unless configured otherwise.
pub const DEFAULT_THRESHOLD: u64 = 5;

/// The answer names whose options the report lists (see `dialogs/intake.toml`).
const CATEGORY_ANSWER: &str = "category";
const WISHES_ANSWER: &str = "wishes";

/// The report, ready to render: every number already suppressed, every label in the
/// report's language.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub year: i16,
    pub organisation: String,
    pub language: String,
    pub threshold: u64,
    pub contacts: Shown,
    /// Hours spent on the year's cases, to a tenth; left out when contacts are too few.
    pub hours: Option<f64>,
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub dimension: Dimension,
    pub title: String,
    /// Left out: no amount of hiding would protect its small cells.
    pub withheld: bool,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub value: Shown,
}

/// What the report is made from.
pub struct Request<'a> {
    pub records: &'a [Registration],
    pub year: i16,
    pub threshold: u64,
    pub organisation: &'a str,
    /// The intake dialog: its category and wish options name the rows.
    pub intake: &'a Dialog,
    /// The organisation's configured units: each gets a row, even an empty one.
    pub units: &'a [String],
    pub catalog: &'a Catalog,
    pub lang: &'a Lang,
}

pub fn build(request: &Request<'_>) -> Report {
    let categories = option_ids(request.intake, CATEGORY_ANSWER);
    let wishes = option_ids(request.intake, WISHES_ANSWER);
    let tally = tally::tally(
        request.records,
        request.year,
        &categories,
        &wishes,
        request.units,
    );
    let threshold = request.threshold;
    let enough = tally.contacts >= threshold;
    let labels = labels::Labels::new(request.intake, request.catalog, request.lang);
    let tables = tally
        .tables
        .iter()
        // A question the intake does not ask (no wishes step, say) has no rows to show.
        .filter(|raw| !raw.rows.is_empty())
        .map(|raw| table(raw, threshold, enough, &labels))
        .collect();
    Report {
        year: request.year,
        organisation: request.organisation.to_owned(),
        language: request.lang.as_str().to_owned(),
        threshold,
        contacts: if enough {
            Shown::Count(tally.contacts)
        } else {
            Shown::Below
        },
        hours: enough.then(|| (tally.minutes as f64 / 6.0).round() / 10.0),
        tables,
    }
}

/// Suppresses and labels one table. With too few contacts in the year every table is
/// withheld: even "all in one category" would say something about a person.
fn table(raw: &RawTable, threshold: u64, enough: bool, labels: &labels::Labels<'_>) -> Table {
    let counts: Vec<u64> = raw.rows.iter().map(|(_, count)| *count).collect();
    let shown = if enough {
        suppress::suppress(&counts, threshold, raw.dimension.sums_to_contacts())
    } else {
        None
    };
    let title = labels.title(raw.dimension);
    match shown {
        Some(shown) => Table {
            dimension: raw.dimension,
            title,
            withheld: false,
            rows: raw
                .rows
                .iter()
                .zip(shown)
                .map(|((key, _), value)| Row {
                    key: key.clone(),
                    label: labels.row(raw.dimension, key),
                    value,
                })
                .collect(),
        },
        None => Table {
            dimension: raw.dimension,
            title,
            withheld: true,
            rows: Vec::new(),
        },
    }
}

/// The option ids of the intake question stored under `answer`, in dialog order.
fn option_ids(intake: &Dialog, answer: &str) -> Vec<String> {
    intake
        .steps
        .iter()
        .find(|step| step.answer_name() == answer)
        .map(|step| step.options.iter().map(|o| o.id.clone()).collect())
        .unwrap_or_default()
}

/// Renders the report. Markdown refers to its charts by `chart_files` names.
pub fn markdown(report: &Report, catalog: &Catalog, chart_files: &[(Dimension, String)]) -> String {
    render_markdown::render(report, catalog, chart_files)
}

pub fn csv(report: &Report, catalog: &Catalog) -> Result<String, ::csv::Error> {
    render_csv::render(report, catalog)
}

pub fn json(report: &Report) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report)
}
