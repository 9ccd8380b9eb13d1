//! The report as Markdown: a short introduction, the totals, the charts (SVG files
//! beside the report) and one table per subject, with notes on what "< 5" and the
//! hidden mark mean.

use std::fmt::Write;

use crate::core::text_keys as keys;
use crate::i18n::{Args, Catalog, Lang};

use super::render_csv::value;
use super::tally::Dimension;
use super::{Report, Shown};

pub fn render(report: &Report, catalog: &Catalog, chart_files: &[(Dimension, String)]) -> String {
    let lang = Lang::new(report.language.clone());
    let text = |id: &str, args: Args| catalog.render(&lang, id, &args);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        text(
            keys::REPORT_TITLE,
            Args::new()
                .text("organisation", report.organisation.clone())
                .number("year", i64::from(report.year))
        )
    );
    let _ = writeln!(
        out,
        "{}\n",
        text(
            keys::REPORT_INTRO,
            Args::new()
                .number("threshold", report.threshold as i64)
                .number("year", i64::from(report.year))
        )
    );
    match report.contacts {
        Shown::Count(count) => {
            let _ = writeln!(
                out,
                "- {}",
                text(
                    keys::REPORT_CONTACTS,
                    Args::new().number("count", count as i64)
                )
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "- {}",
                text(
                    keys::REPORT_CONTACTS_FEW,
                    Args::new().number("threshold", report.threshold as i64)
                )
            );
        }
    }
    if let Some(hours) = report.hours {
        let _ = writeln!(
            out,
            "- {}",
            text(
                keys::REPORT_HOURS,
                Args::new().text("hours", format!("{hours:.1}"))
            )
        );
    }
    out.push('\n');
    for (dimension, file) in chart_files {
        if let Some(table) = report.tables.iter().find(|t| t.dimension == *dimension) {
            let _ = writeln!(out, "![{}]({})\n", table.title, file);
        }
    }
    let mut any_hidden = false;
    for table in &report.tables {
        let _ = writeln!(out, "## {}\n", table.title);
        if table.withheld {
            let _ = writeln!(out, "{}\n", text(keys::REPORT_WITHHELD, Args::new()));
            continue;
        }
        let _ = writeln!(
            out,
            "| {} | {} |\n|---|---:|",
            text(keys::REPORT_COLUMN_ROW, Args::new()),
            text(keys::REPORT_COLUMN_COUNT, Args::new())
        );
        for row in &table.rows {
            any_hidden |= row.value == Shown::Hidden;
            let _ = writeln!(
                out,
                "| {} | {} |",
                escape(&row.label),
                value(row.value, report, catalog, &lang)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "---\n\n{}",
        text(
            keys::REPORT_NOTE_BELOW,
            Args::new().number("threshold", report.threshold as i64)
        )
    );
    if any_hidden {
        let _ = writeln!(out, "\n{}", text(keys::REPORT_NOTE_HIDDEN, Args::new()));
    }
    out
}

/// Keeps a label from breaking the table.
fn escape(label: &str) -> String {
    label.replace('|', "\\|").replace('\n', " ")
}
