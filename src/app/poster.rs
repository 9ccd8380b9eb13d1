//! `confidant poster`: an organisation's poster for the staff room, as SVG and PDF,
//! with the QR code and link that lead to its own conversation (its code in the
//! Telegram deep link, or, without Telegram, the bot's Matrix address and the code).

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::i18n::Lang;
use crate::poster::{PosterInput, render};

pub struct PosterOptions {
    /// Which organisation (`[[organisation]] id`); required when there are several.
    pub organisation: Option<String>,
    /// The poster's language; the organisation's default when `None`.
    pub lang: Option<String>,
    pub out_dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum PosterCommandError {
    #[error(transparent)]
    Organisation(#[from] crate::core::service::ChooseError),
    #[error("no texts in language {0:?}")]
    UnknownLanguage(String),
    #[error(
        "the poster's link needs the bot's Telegram username: set telegram.username (from @BotFather, without the @)"
    )]
    NoUsername,
    #[error(transparent)]
    Render(#[from] crate::poster::PosterError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The link an organisation's employees follow: the Telegram deep link with its code
/// when the bot is on Telegram, else the bot's Matrix address.
pub fn link(config: &Config, code: Option<&str>) -> Result<String, PosterCommandError> {
    if config.telegram.is_none() {
        return Ok(format!("https://matrix.to/#/{}", config.matrix.user_id));
    }
    let username = config
        .telegram_username
        .as_deref()
        .ok_or(PosterCommandError::NoUsername)?;
    Ok(match code {
        Some(code) => format!("https://t.me/{username}?start={code}"),
        None => format!("https://t.me/{username}"),
    })
}

/// Writes `poster-<id>.svg` and `.pdf`; returns their paths.
pub fn write_poster(
    config: &Config,
    options: &PosterOptions,
) -> Result<Vec<PathBuf>, PosterCommandError> {
    let core = config.service.chosen(options.organisation.as_deref())?;
    let settings = &core.settings;
    let lang = match &options.lang {
        Some(code) => Lang::new(code.clone()),
        None => settings.default_lang.clone(),
    };
    if !core.catalog.has_language(&lang) {
        return Err(PosterCommandError::UnknownLanguage(
            lang.as_str().to_owned(),
        ));
    }
    let code = settings.code.as_deref();
    let link = link(config, code)?;
    let names: Vec<String> = settings
        .roster
        .counsellors
        .iter()
        .map(|c| c.first_name.clone())
        .collect();
    let poster = render(
        &core.catalog,
        &PosterInput {
            lang: &lang,
            organisation_name: &settings.organisation,
            counsellor_first_names: &names,
            link: &link,
            matrix: code.map(|code| (config.matrix.user_id.as_str(), code)),
        },
    )?;
    let stem = format!(
        "poster-{}",
        settings
            .organisation_id
            .as_deref()
            .unwrap_or("organisation")
    );
    let svg = options.out_dir.join(format!("{stem}.svg"));
    let pdf = options.out_dir.join(format!("{stem}.pdf"));
    write(&svg, poster.svg.as_bytes())?;
    write(&pdf, &poster.pdf)?;
    Ok(vec![svg, pdf])
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), PosterCommandError> {
    std::fs::write(path, bytes).map_err(|source| PosterCommandError::Write {
        path: path.to_owned(),
        source,
    })
}
