//! The monthly hours statement, for invoicing (seed 003: "per maand … aantal verzoeken en
//! bestede uren per bedrijfsonderdeel", with "geen informatie die kan worden herleid naar
//! personen"): per unit, the requests that came in that month and the hours spent in it,
//! from the registration records alone.
//!
//! Suppression as in the yearly report: the requests column is one table of counts whose
//! total is printed, suppressed by [`suppress`](super::suppress); the hours of a unit are
//! printed only where the number of cases they were spent on passes the same test (hours
//! of one person's case would say how much help they needed), and the total hours only
//! where what it adds to the printed ones was spent on enough cases as well.

use serde::Serialize;

use super::Shown;
use super::suppress::suppress;
use super::tally::NOT_GIVEN;
use crate::core::registration::Registration;
use crate::core::text_keys as keys;
use crate::i18n::{Args, Catalog, Lang};

/// The statement, every number already suppressed.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub organisation: String,
    /// `2026-11`.
    pub month: String,
    pub language: String,
    pub threshold: u64,
    pub rows: Vec<UnitRow>,
    pub total: UnitRow,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub key: String,
    pub label: String,
    /// Requests that came in this month.
    pub requests: Shown,
    /// Hours spent this month, to a tenth; `None` where too few cases are behind them.
    pub hours: Option<f64>,
}

pub struct MonthRequest<'a> {
    pub records: &'a [Registration],
    /// `YYYY-MM`.
    pub month: &'a str,
    pub threshold: u64,
    pub organisation: &'a str,
    /// The organisation's configured units: each gets a row, even an empty one.
    pub units: &'a [String],
    pub catalog: &'a Catalog,
    pub lang: &'a Lang,
}

pub fn build(request: &MonthRequest<'_>) -> Statement {
    let month = request.month;
    let came_in = |r: &Registration| format!("{:04}-{:02}", r.year, r.month) == month;
    let relevant: Vec<&Registration> = request
        .records
        .iter()
        .filter(|r| came_in(r) || r.minutes_in(month) > 0)
        .collect();
    // Configured units first, then any a record names that the configuration no longer
    // lists, then the cases that named none.
    let mut units: Vec<String> = request.units.to_vec();
    for record in &relevant {
        if let Some(unit) = &record.unit
            && !units.contains(unit)
        {
            units.push(unit.clone());
        }
    }
    units.push(NOT_GIVEN.to_owned());
    let unit_of = |r: &Registration| r.unit.clone().unwrap_or_else(|| NOT_GIVEN.to_owned());
    let mut requests = Vec::new();
    let mut cases_with_time = Vec::new();
    let mut minutes = Vec::new();
    for unit in &units {
        let mine: Vec<&&Registration> = relevant.iter().filter(|r| unit_of(r) == *unit).collect();
        requests.push(mine.iter().filter(|r| came_in(r)).count() as u64);
        cases_with_time.push(mine.iter().filter(|r| r.minutes_in(month) > 0).count() as u64);
        minutes.push(
            mine.iter()
                .map(|r| u64::from(r.minutes_in(month)))
                .sum::<u64>(),
        );
    }
    let threshold = request.threshold;
    let all_below = |n: usize| vec![Shown::Below; n];
    let shown_requests =
        suppress(&requests, threshold, true).unwrap_or_else(|| all_below(units.len()));
    let shown_time =
        suppress(&cases_with_time, threshold, true).unwrap_or_else(|| all_below(units.len()));
    let hours = |m: u64| (m as f64 / 6.0).round() / 10.0;
    let label = |key: &str| match key {
        NOT_GIVEN => request
            .catalog
            .render(request.lang, keys::REPORT_NOT_GIVEN, &Args::new()),
        unit => unit.to_owned(),
    };
    let rows = units
        .iter()
        .enumerate()
        // A unit no longer configured and without cases this month, or nobody without a
        // unit: no row (configured units always have one, so an absent row says nothing).
        .filter(|(i, unit)| {
            request.units.contains(unit) || requests[*i] > 0 || cases_with_time[*i] > 0
        })
        .map(|(i, unit)| UnitRow {
            key: unit.clone(),
            label: label(unit),
            requests: shown_requests[i],
            hours: matches!(shown_time[i], Shown::Count(_)).then(|| hours(minutes[i])),
        })
        .collect();
    let total_requests: u64 = requests.iter().sum();
    let total_cases: u64 = cases_with_time.iter().sum();
    // The total less the hours printed is what the units left out spent together: print
    // it only where that is spent on enough cases too.
    let left_out_cases: u64 = shown_time
        .iter()
        .zip(&cases_with_time)
        .filter(|(shown, _)| !matches!(shown, Shown::Count(_)))
        .map(|(_, cases)| cases)
        .sum();
    let total_hours_shown = total_cases == 0
        || (total_cases >= threshold && (left_out_cases == 0 || left_out_cases >= threshold));
    Statement {
        organisation: request.organisation.to_owned(),
        month: month.to_owned(),
        language: request.lang.as_str().to_owned(),
        threshold,
        rows,
        total: UnitRow {
            key: "total".into(),
            label: request
                .catalog
                .render(request.lang, keys::REPORT_MONTH_TOTAL, &Args::new()),
            requests: if total_requests >= threshold || total_requests == 0 {
                Shown::Count(total_requests)
            } else {
                Shown::Below
            },
            hours: total_hours_shown.then(|| hours(minutes.iter().sum())),
        },
    }
}

fn cell(shown: Shown, statement: &Statement, catalog: &Catalog, lang: &Lang) -> String {
    match shown {
        Shown::Count(count) => count.to_string(),
        Shown::Below => catalog.render(
            lang,
            keys::REPORT_BELOW,
            &Args::new().number("threshold", statement.threshold as i64),
        ),
        Shown::Hidden => catalog.render(lang, keys::REPORT_HIDDEN, &Args::new()),
    }
}

fn hours_cell(hours: Option<f64>, catalog: &Catalog, lang: &Lang) -> String {
    match hours {
        Some(hours) => format!("{hours:.1}"),
        None => catalog.render(lang, keys::REPORT_HIDDEN, &Args::new()),
    }
}

/// `unit,label,requests,hours`, one line per unit and a total line.
pub fn csv(statement: &Statement, catalog: &Catalog) -> Result<String, ::csv::Error> {
    let lang = Lang::new(statement.language.clone());
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record(["unit", "label", "requests", "hours"])?;
    for row in statement.rows.iter().chain([&statement.total]) {
        writer.write_record([
            row.key.as_str(),
            row.label.as_str(),
            &cell(row.requests, statement, catalog, &lang),
            &hours_cell(row.hours, catalog, &lang),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A title, a sentence on what is counted, and one table.
pub fn markdown(statement: &Statement, catalog: &Catalog) -> String {
    let lang = Lang::new(statement.language.clone());
    let text = |id: &str, args: Args| catalog.render(&lang, id, &args);
    let mut out = format!(
        "# {}\n\n{}\n\n| {} | {} | {} |\n|---|---:|---:|\n",
        text(
            keys::REPORT_MONTH_TITLE,
            Args::new()
                .text("organisation", statement.organisation.clone())
                .text("month", statement.month.clone())
        ),
        text(
            keys::REPORT_MONTH_INTRO,
            Args::new().number("threshold", statement.threshold as i64)
        ),
        text(keys::REPORT_COLUMN_UNIT, Args::new()),
        text(keys::REPORT_COLUMN_REQUESTS, Args::new()),
        text(keys::REPORT_COLUMN_HOURS, Args::new()),
    );
    for row in &statement.rows {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            row.label.replace('|', "\\|"),
            cell(row.requests, statement, catalog, &lang),
            hours_cell(row.hours, catalog, &lang)
        ));
    }
    let total = &statement.total;
    out.push_str(&format!(
        "| **{}** | **{}** | **{}** |\n\n{}\n",
        total.label,
        cell(total.requests, statement, catalog, &lang),
        hours_cell(total.hours, catalog, &lang),
        text(
            keys::REPORT_MONTH_NOTE,
            Args::new().number("threshold", statement.threshold as i64)
        ),
    ));
    out
}
