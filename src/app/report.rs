//! `confidant report`: the yearly report, from the registration records in the data
//! folder, written as Markdown (with SVG charts beside it), CSV or JSON.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::core::INTAKE;
use crate::i18n::Lang;
use crate::report::{self, Request};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Csv,
    Json,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

pub struct ReportOptions {
    /// What to report on: a year (the yearly report) or a month's hours statement.
    pub period: Period,
    pub format: Format,
    /// The report's language; the organisation's default when `None`.
    pub lang: Option<String>,
    /// Where to write; `-` for standard output (Markdown then comes without charts).
    /// Default: `confidant-report-<year>.<ext>` in the current folder.
    pub out: Option<PathBuf>,
    /// Counts under this are suppressed; the configured value when `None`.
    pub threshold: Option<u64>,
    /// Which organisation (`[[organisation]] id`); required when there are several.
    pub organisation: Option<String>,
}

/// The yearly report, or the monthly hours statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Period {
    Year(i16),
    /// `YYYY-MM` (checked by [`Period::month`]).
    MonthHours(String),
}

impl Period {
    /// The monthly statement of `text` (`2026-11`), if it names a month.
    pub fn month(text: &str) -> Result<Period, ReportError> {
        let valid = text.len() == 7
            && text.as_bytes()[4] == b'-'
            && text[..4].parse::<u16>().is_ok()
            && text[5..].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m));
        match valid {
            true => Ok(Period::MonthHours(text.to_owned())),
            false => Err(ReportError::Month(text.to_owned())),
        }
    }

    /// How the files are named: `2026`, `hours-2026-11`.
    fn file_stem(&self) -> String {
        match self {
            Period::Year(year) => format!("report-{year}"),
            Period::MonthHours(month) => format!("hours-{month}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0:?} is no month: write it as YYYY-MM, e.g. 2026-11")]
    Month(String),
    #[error("master key: {0}")]
    MasterKey(#[from] crate::crypto::MasterKeyError),
    #[error("data folder: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Copy(#[from] super::backup::BackupError),
    #[error("no texts in language {asked:?}; available: {available}")]
    UnknownLanguage { asked: String, available: String },
    #[error("the dialogs have no intake dialog")]
    NoIntake,
    #[error("the threshold must be at least 2 (1 would print every count)")]
    Threshold,
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Organisation(#[from] crate::core::service::ChooseError),
    #[error("cannot render the report: {0}")]
    Render(String),
}

/// Makes the report; returns the files written (empty when printed to standard output).
pub fn write_report(config: &Config, options: &ReportOptions) -> Result<Vec<PathBuf>, ReportError> {
    let core = config.service.chosen(options.organisation.as_deref())?;
    let lang = match &options.lang {
        Some(code) => Lang::new(code.clone()),
        None => core.settings.default_lang.clone(),
    };
    if !core.catalog.has_language(&lang) {
        return Err(ReportError::UnknownLanguage {
            asked: lang.as_str().to_owned(),
            available: core
                .catalog
                .languages()
                .iter()
                .map(|l| l.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let threshold = options
        .threshold
        .unwrap_or(core.settings.privacy.report_threshold);
    if threshold < 2 {
        return Err(ReportError::Threshold);
    }
    let master = config.master_key.load()?;
    // A copy (through the running bot, if one runs): the data folder is only read.
    let copy = super::backup::store_copy(config, &master)?;
    drop(master);
    let mut records = copy.store.registrations()?;
    drop(copy);
    // One organisation's report counts its own records only.
    records.retain(|r| config.service.belongs_to(r.organisation.as_ref(), core));
    let to_stdout = options.out.as_deref() == Some(Path::new("-"));
    let out = options.out.clone().unwrap_or_else(|| {
        let organisation = match &options.organisation {
            Some(id) => format!("{id}-"),
            None => String::new(),
        };
        PathBuf::from(format!(
            "confidant-{organisation}{}.{}",
            options.period.file_stem(),
            options.format.extension()
        ))
    });
    let year = match &options.period {
        Period::Year(year) => *year,
        Period::MonthHours(month) => {
            let statement = report::monthly::build(&report::monthly::MonthRequest {
                records: &records,
                month,
                threshold,
                organisation: &core.settings.organisation,
                units: &core.settings.units,
                catalog: &core.catalog,
                lang: &lang,
            });
            let text = match options.format {
                Format::Json => serde_json::to_string_pretty(&statement)
                    .map_err(|e| ReportError::Render(e.to_string()))?,
                Format::Csv => report::monthly::csv(&statement, &core.catalog)
                    .map_err(|e| ReportError::Render(e.to_string()))?,
                Format::Markdown => report::monthly::markdown(&statement, &core.catalog),
            };
            return finish(&text, to_stdout, out, Vec::new());
        }
    };
    let intake = core.dialogs.get(INTAKE).ok_or(ReportError::NoIntake)?;
    let built = report::build(&Request {
        records: &records,
        year,
        threshold,
        organisation: &core.settings.organisation,
        intake,
        units: &core.settings.units,
        catalog: &core.catalog,
        lang: &lang,
    });
    let mut written = Vec::new();
    let text = match options.format {
        Format::Json => report::json(&built).map_err(|e| ReportError::Render(e.to_string()))?,
        Format::Csv => {
            report::csv(&built, &core.catalog).map_err(|e| ReportError::Render(e.to_string()))?
        }
        Format::Markdown => {
            let mut chart_files = Vec::new();
            if !to_stdout {
                for chart in report::charts(&built, &core.catalog) {
                    let path = beside(&out, chart.dimension.name());
                    write(&path, &chart.svg)?;
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    chart_files.push((chart.dimension, name));
                    written.push(path);
                }
            }
            report::markdown(&built, &core.catalog, &chart_files)
        }
    };
    finish(&text, to_stdout, out, written)
}

/// Prints `text`, or writes it to `out` and names it first among the files `written`.
fn finish(
    text: &str,
    to_stdout: bool,
    out: PathBuf,
    mut written: Vec<PathBuf>,
) -> Result<Vec<PathBuf>, ReportError> {
    if to_stdout {
        print!("{text}");
    } else {
        write(&out, text)?;
        written.insert(0, out);
    }
    Ok(written)
}

/// `report.md` → `report-category.svg`, in the same folder.
fn beside(report: &Path, suffix: &str) -> PathBuf {
    let stem = report
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    report.with_file_name(format!("{stem}-{suffix}.svg"))
}

fn write(path: &Path, text: &str) -> Result<(), ReportError> {
    std::fs::write(path, text).map_err(|source| ReportError::Write {
        path: path.to_owned(),
        source,
    })
}

/// `confidant check-store`: opens the data folder (the bot must be stopped) and checks
/// what is in it; with `repair`, sets aside damaged outbox entries and timers.
pub fn check_store(
    config: &Config,
    repair: bool,
) -> Result<crate::store::CheckReport, ReportError> {
    let master = config.master_key.load()?;
    let store = Store::open(&config.data_dir, &master)?;
    drop(master);
    Ok(store.check(repair)?)
}
