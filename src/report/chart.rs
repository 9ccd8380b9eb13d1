//! Bar charts for the Markdown report (contacts per category and per quarter), drawn as
//! SVG with plotters. A suppressed row gets no bar, only its printed value ("< 5"),
//! so the picture says nothing the table does not.

use plotters::prelude::*;

use super::tally::Dimension;
use super::{Report, Shown, Table};
use crate::i18n::{Catalog, Lang};

/// One chart, rendered.
pub struct Chart {
    pub dimension: Dimension,
    pub svg: String,
}

const WIDTH: u32 = 720;
const ROW_HEIGHT: u32 = 30;
const LABEL_WIDTH: i32 = 300;
const TOP: i32 = 50;

/// The charts worth drawing: categories and quarters, when their tables are printed.
pub fn charts(report: &Report, catalog: &Catalog) -> Vec<Chart> {
    let lang = Lang::new(report.language.clone());
    report
        .tables
        .iter()
        .filter(|t| !t.withheld && matches!(t.dimension, Dimension::Category | Dimension::Quarter))
        .filter_map(|table| {
            let svg = draw(table, report, catalog, &lang).ok()?;
            Some(Chart {
                dimension: table.dimension,
                svg,
            })
        })
        .collect()
}

fn draw(
    table: &Table,
    report: &Report,
    catalog: &Catalog,
    lang: &Lang,
) -> Result<String, DrawingAreaErrorKind<std::io::Error>> {
    let height = TOP as u32 + ROW_HEIGHT * table.rows.len() as u32 + 20;
    let largest = table
        .rows
        .iter()
        .filter_map(|row| match row.value {
            Shown::Count(count) => Some(count),
            _ => None,
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let bar_room = WIDTH as i32 - LABEL_WIDTH - 80;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let title = ("sans-serif", 20).into_font().color(&BLACK);
        root.draw(&Text::new(table.title.clone(), (10, 15), title))?;
        let label = ("sans-serif", 14).into_font().color(&BLACK);
        for (i, row) in table.rows.iter().enumerate() {
            let y = TOP + i as i32 * ROW_HEIGHT as i32;
            root.draw(&Text::new(row.label.clone(), (10, y + 6), label.clone()))?;
            let mut value_x = LABEL_WIDTH;
            if let Shown::Count(count) = row.value {
                let length = (count as i64 * bar_room as i64 / largest as i64) as i32;
                root.draw(&Rectangle::new(
                    [
                        (LABEL_WIDTH, y + 2),
                        (LABEL_WIDTH + length.max(1), y + ROW_HEIGHT as i32 - 6),
                    ],
                    RGBColor(0x2b, 0x6c, 0xb0).filled(),
                ))?;
                value_x += length;
            }
            let printed = super::render_csv::value(row.value, report, catalog, lang);
            root.draw(&Text::new(printed, (value_x + 8, y + 6), label.clone()))?;
        }
        root.present()?;
    }
    Ok(svg)
}
