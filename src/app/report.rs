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
    pub year: i16,
    pub format: Format,
    /// The report's language; the organisation's default when `None`.
    pub lang: Option<String>,
    /// Where to write; `-` for standard output (Markdown then comes without charts).
    /// Default: `confidant-report-<year>.<ext>` in the current folder.
    pub out: Option<PathBuf>,
    /// Counts under this are suppressed; the configured value when `None`.
    pub threshold: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
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
    #[error("cannot render the report: {0}")]
    Render(String),
}

/// Makes the report; returns the files written (empty when printed to standard output).
pub fn write_report(config: &Config, options: &ReportOptions) -> Result<Vec<PathBuf>, ReportError> {
    let core = &config.core;
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
    let intake = core.dialogs.get(INTAKE).ok_or(ReportError::NoIntake)?;
    let master = config.master_key.load()?;
    // A copy (through the running bot, if one runs): the data folder is only read.
    let copy = super::backup::store_copy(config, &master)?;
    drop(master);
    let records = copy.store.registrations()?;
    drop(copy);
    let built = report::build(&Request {
        records: &records,
        year: options.year,
        threshold,
        organisation: &core.settings.organisation,
        intake,
        units: &core.settings.units,
        catalog: &core.catalog,
        lang: &lang,
    });
    let to_stdout = options.out.as_deref() == Some(Path::new("-"));
    let out = options.out.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "confidant-report-{}.{}",
            options.year,
            options.format.extension()
        ))
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
    if to_stdout {
        print!("{text}");
    } else {
        write(&out, &text)?;
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
