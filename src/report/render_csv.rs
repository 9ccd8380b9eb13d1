//! The report as CSV (one line per cell), for spreadsheets: `table,key,label,value`,
//! with suppressed cells written as they are printed ("< 5").

use crate::core::text_keys as keys;
use crate::i18n::{Args, Catalog, Lang};

use super::{Report, Shown};

pub fn render(report: &Report, catalog: &Catalog) -> Result<String, csv::Error> {
    let lang = Lang::new(report.language.clone());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["table", "key", "label", "value"])?;
    let contacts = value(report.contacts, report, catalog, &lang);
    writer.write_record(["total", "contacts", "", contacts.as_str()])?;
    if let Some(hours) = report.hours {
        writer.write_record(["total", "hours", "", format!("{hours:.1}").as_str()])?;
    }
    for table in report.tables.iter().filter(|t| !t.withheld) {
        let name = table.dimension.name();
        for row in &table.rows {
            let shown = value(row.value, report, catalog, &lang);
            writer.write_record([name, row.key.as_str(), row.label.as_str(), shown.as_str()])?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A cell as printed: the count, "< 5", or the hidden mark.
pub fn value(shown: Shown, report: &Report, catalog: &Catalog, lang: &Lang) -> String {
    match shown {
        Shown::Count(count) => count.to_string(),
        Shown::Below => catalog.render(
            lang,
            keys::REPORT_BELOW,
            &Args::new().number("threshold", report.threshold as i64),
        ),
        Shown::Hidden => catalog.render(lang, keys::REPORT_HIDDEN, &Args::new()),
    }
}
