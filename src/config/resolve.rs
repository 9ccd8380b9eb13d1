//! From the file as written to settings the program can trust. Collects every problem
//! rather than stopping at the first, so an administrator fixes them in one round.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::{SignedDuration, Span, SpanRelativeTo};

use std::collections::{BTreeMap, BTreeSet};

use super::raw::{RawConfig, RawLimits, RawMatrix, RawTelegram};
use super::{ENV_MATRIX_PASSWORD, ENV_STORE_PASSPHRASE, ENV_TELEGRAM_TOKEN, Problems, Secret};
use crate::core::dialog::{Dialogs, load_dir, validate};
use crate::core::files::{DEFAULT_MAX_FILE_BYTES, FileLimits, Format};
use crate::core::settings::Settings;
use crate::core::{Core, INTAKE, Service};
use crate::crypto::{MASTER_KEY_ENV, MasterKey, MasterKeyError};
use crate::i18n::{Catalog, Lang};

/// Where the master key comes from.
pub enum MasterKeySource {
    File(PathBuf),
    Env(Secret),
}

impl MasterKeySource {
    pub fn load(&self) -> Result<MasterKey, MasterKeyError> {
        match self {
            MasterKeySource::File(path) => MasterKey::read_file(path),
            MasterKeySource::Env(hex) => MasterKey::from_hex(hex.expose(), MASTER_KEY_ENV),
        }
    }
}

pub struct TelegramConfig {
    pub api_url: url::Url,
    pub token: Secret,
    pub poll_timeout_seconds: u32,
    pub pace: Pace,
}

/// How fast the bot may send to Telegram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// Messages a second, all chats together.
    pub per_second: u32,
    /// Messages a second in one chat, sustained,
    pub chat_per_second: f64,
    /// after a burst of this many.
    pub chat_burst: u32,
}

pub struct MatrixConfig {
    pub homeserver_url: url::Url,
    pub user_id: String,
    /// For the first login only: afterwards the bot restores its session.
    pub password: Option<Secret>,
    pub store_passphrase: Secret,
    pub device_name: String,
    /// Requests to the homeserver in flight at once, at most.
    pub max_requests_in_flight: usize,
    /// A message undecryptable this long gets a notice in its room (and its key is
    /// asked for again).
    pub undecryptable_notice_after: std::time::Duration,
}

impl Config {
    /// What is allowed but probably not meant.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for core in self.service.all() {
            if core.settings.roster.counsellors.is_empty() {
                warnings.push(format!(
                    "{}: no counsellors in the roster: every case goes to the coordinator",
                    core.settings.organisation
                ));
            }
        }
        warnings
    }
}

/// Everything the program needs, validated.
pub struct Config {
    pub data_dir: PathBuf,
    pub master_key: MasterKeySource,
    pub telegram: Option<TelegramConfig>,
    pub matrix: MatrixConfig,
    /// The organisations served, each with its own core.
    pub service: Service,
    /// The bot's username on Telegram, for the organisations' links (`poster`).
    pub telegram_username: Option<String>,
    /// A loop with work and no progress for this long stops the process (the watchdog).
    pub stall_after: std::time::Duration,
    /// Where `/health` and `/metrics` are served (loopback only), if anywhere.
    pub health_listen: Option<std::net::SocketAddr>,
}

pub fn resolve(
    raw: RawConfig,
    base: &Path,
    file: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, Problems> {
    let mut p = Problems::default();
    let at = |setting: &str| format!("{}: {setting}", file.display());

    let dialogs_dir = absolute(
        base,
        raw.content
            .dialogs
            .clone()
            .unwrap_or_else(|| PathBuf::from("/usr/share/confidant/dialogs")),
    );
    let locales_dir = absolute(
        base,
        raw.content
            .locales
            .clone()
            .unwrap_or_else(|| PathBuf::from("/usr/share/confidant/locales")),
    );
    let fallback = Lang::new(super::organisations::first_language(&raw.organisation));
    let catalog = match Catalog::load(&locales_dir, fallback) {
        Ok(catalog) => Some(catalog),
        Err(errors) => {
            for e in errors {
                p.push(at("content.locales"), e.to_string());
            }
            None
        }
    };
    let dialogs = match load_dir(&dialogs_dir) {
        Ok(dialogs) => Some(dialogs),
        Err(errors) => {
            for e in errors {
                p.push(at("content.dialogs"), e.to_string());
            }
            None
        }
    };
    if let (Some(catalog), Some(dialogs)) = (&catalog, &dialogs) {
        if dialogs.get(INTAKE).is_none() {
            p.push(
                at("content.dialogs"),
                format!(
                    "{}: there is no {INTAKE}.toml; every case starts with the intake dialog",
                    dialogs_dir.display()
                ),
            );
        }
        for (id, dialog) in &dialogs.by_id {
            for problem in validate(dialog, &dialogs.file_of(id), catalog) {
                let message = match &problem.step {
                    Some(step) => format!("step `{step}`: {}", problem.message),
                    None => problem.message,
                };
                p.push(problem.file.display().to_string(), message);
            }
        }
    }
    let known_lang = |lang: &Lang| catalog.as_ref().is_none_or(|c| c.has_language(lang));
    let master_key = match (env(MASTER_KEY_ENV), &raw.storage.master_key_file) {
        (Some(hex), _) => Some(MasterKeySource::Env(Secret::new(hex))),
        (None, Some(path)) => {
            let path = absolute(base, path.clone());
            if !path.exists() {
                p.push(
                    at("storage.master_key_file"),
                    format!(
                        "{} does not exist; create it with `confidant keygen --out {}`",
                        path.display(),
                        path.display()
                    ),
                );
            }
            Some(MasterKeySource::File(path))
        }
        (None, None) => {
            p.push(
                at("storage.master_key_file"),
                format!("not set, and {MASTER_KEY_ENV} is not in the environment"),
            );
            None
        }
    };
    let telegram = raw
        .telegram
        .as_ref()
        .and_then(|t| telegram(t, env, &at, &mut p));
    let matrix = matrix(&raw.matrix, env, &at, &mut p);
    let problems_before = p.0.len();
    let first_contact = duration(
        &raw.deadlines.first_contact,
        &at("deadlines.first_contact"),
        &mut p,
    );
    // Reminders are checked against it only when it is itself valid.
    let valid_first_contact = (p.0.len() == problems_before).then_some(first_contact);
    let intake_expiry = duration(
        &raw.deadlines.intake_expiry,
        &at("deadlines.intake_expiry"),
        &mut p,
    );
    if raw.limits.max_message_chars == 0 || raw.limits.max_message_chars > 4000 {
        p.push(
            at("limits.max_message_chars"),
            "must be between 1 and 4000 (Telegram's limit is 4096)",
        );
    }
    let files = file_limits(&raw.limits, &at, &mut p);
    let delivery_give_up = duration(
        &raw.limits.delivery_give_up,
        &at("limits.delivery_give_up"),
        &mut p,
    );
    let number_names: BTreeSet<String> = dialogs
        .iter()
        .flat_map(|d| d.by_id.values())
        .flat_map(|dialog| dialog.numbers.keys().cloned())
        .collect();
    let organisations = super::organisations::organisations(
        &raw,
        &super::organisations::Context {
            at: &at,
            known_lang: &known_lang,
            number_names: &number_names,
            bot_user_id: &raw.matrix.user_id,
        },
        &mut p,
    );
    let reminders = super::reminders::reminders(&raw.deadlines, valid_first_contact, &at, &mut p);
    let stall_after = duration(
        &raw.watchdog.stall_after,
        &at("watchdog.stall_after"),
        &mut p,
    )
    .unsigned_abs();

    let health_listen = health_listen(raw.health.listen.as_deref(), &at("health.listen"), &mut p);
    let (Some(catalog), Some(dialogs), Some(master_key), Some(matrix)) =
        (catalog, dialogs, master_key, matrix)
    else {
        return Err(p);
    };
    if !p.is_empty() {
        return Err(p);
    }
    let catalog = Arc::new(catalog);
    let cores = organisations
        .into_iter()
        .map(|org| Core {
            dialogs: with_numbers(&dialogs, &org.numbers),
            catalog: catalog.clone(),
            settings: Settings {
                organisation: org.name,
                organisation_id: org.id,
                code: org.code,
                units: org.units,
                hr_room: org.hr_room,
                default_lang: org.default_lang,
                counsellor_lang: org.counsellor_lang,
                timezone: org.timezone,
                first_contact,
                intake_expiry,
                max_message_chars: raw.limits.max_message_chars,
                roster: org.roster,
                accused_roster: org.accused_roster,
                privacy: org.privacy,
                reminders: reminders.clone(),
                files: files.clone(),
                delivery_give_up,
            },
        })
        .collect();
    let Some(service) = Service::new(cores) else {
        return Err(p);
    };
    Ok(Config {
        data_dir: absolute(base, raw.storage.data_dir),
        master_key,
        telegram,
        telegram_username: raw.telegram.as_ref().and_then(|t| t.username.clone()),
        matrix,
        service,
        stall_after,
        health_listen,
    })
}

/// The dialogs with an organisation's own numbers in place of theirs.
fn with_numbers(dialogs: &Dialogs, numbers: &BTreeMap<String, String>) -> Dialogs {
    let mut dialogs = dialogs.clone();
    for dialog in dialogs.by_id.values_mut() {
        for (name, value) in &mut dialog.numbers {
            if let Some(own) = numbers.get(name) {
                value.clone_from(own);
            }
        }
    }
    dialogs
}

/// The health listener's address: loopback only (metrics are no one else's business;
/// a monitor elsewhere reaches them through its own agent or a tunnel).
fn health_listen(
    text: Option<&str>,
    place: &str,
    p: &mut Problems,
) -> Option<std::net::SocketAddr> {
    let text = text?;
    match text.parse::<std::net::SocketAddr>() {
        Ok(address) if address.ip().is_loopback() => Some(address),
        Ok(_) => {
            p.push(
                place,
                format!("`{text}` is not a loopback address (use 127.0.0.1:PORT or [::1]:PORT)"),
            );
            None
        }
        Err(_) => {
            p.push(
                place,
                format!("`{text}` is not an address like 127.0.0.1:9464"),
            );
            None
        }
    }
}

/// Attachment limits: a size Telegram can hand over, and formats the bot knows.
fn file_limits(raw: &RawLimits, at: &dyn Fn(&str) -> String, p: &mut Problems) -> FileLimits {
    if raw.max_file_bytes == 0 || raw.max_file_bytes > DEFAULT_MAX_FILE_BYTES {
        p.push(
            at("limits.max_file_bytes"),
            format!(
                "must be between 1 and {DEFAULT_MAX_FILE_BYTES} (Telegram hands bots files up to 20 MB)"
            ),
        );
    }
    let mut types = Vec::new();
    for name in &raw.file_types {
        match Format::from_name(name) {
            Some(format) if !types.contains(&format) => types.push(format),
            Some(_) => {}
            None => {
                let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                p.push(
                    at("limits.file_types"),
                    format!(
                        "{name:?} is not a file type the bot knows; known: {}",
                        known.join(", ")
                    ),
                );
            }
        }
    }
    if raw.max_files_per_case == 0 {
        p.push(
            at("limits.max_files_per_case"),
            "must be at least 1 (files can be refused altogether with file_types = [])",
        );
    }
    FileLimits {
        max_bytes: raw.max_file_bytes,
        types,
        max_per_case: raw.max_files_per_case,
    }
}

fn absolute(base: &Path, path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        path
    } else {
        base.join(path)
    }
}

fn secret(
    from_file: &Option<String>,
    env_name: &str,
    env: &dyn Fn(&str) -> Option<String>,
    place: String,
    p: &mut Problems,
) -> Option<Secret> {
    match env(env_name).or_else(|| from_file.clone()) {
        Some(value) if !value.trim().is_empty() => Some(Secret::new(value.trim().to_owned())),
        _ => {
            p.push(
                place,
                format!(
                    "not set; put it in the config file or in the environment variable {env_name}"
                ),
            );
            None
        }
    }
}

fn telegram(
    raw: &RawTelegram,
    env: &dyn Fn(&str) -> Option<String>,
    at: &dyn Fn(&str) -> String,
    p: &mut Problems,
) -> Option<TelegramConfig> {
    let api_url = url::Url::parse(&raw.api_url)
        .map_err(|e| {
            p.push(
                at("telegram.api_url"),
                format!("`{}` is not a URL: {e}", raw.api_url),
            )
        })
        .ok();
    let token = secret(&raw.token, ENV_TELEGRAM_TOKEN, env, at("telegram.token"), p);
    if let Some(token) = &token {
        let well_formed = token.expose().split_once(':').is_some_and(|(id, rest)| {
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()
        });
        if !well_formed {
            p.push(
                at("telegram.token"),
                "does not look like a bot token (digits, a colon, then letters; from @BotFather)",
            );
        }
    }
    if raw.poll_timeout_seconds == 0 || raw.poll_timeout_seconds > 50 {
        p.push(
            at("telegram.poll_timeout_seconds"),
            "must be between 1 and 50",
        );
    }
    let pace = pace(raw, at, p);
    Some(TelegramConfig {
        api_url: api_url?,
        token: token?,
        poll_timeout_seconds: raw.poll_timeout_seconds,
        pace,
    })
}

/// The highest pace the settings take.
const MAX_RATE: u32 = 100_000;

fn pace(raw: &RawTelegram, at: &dyn Fn(&str) -> String, p: &mut Problems) -> Pace {
    // Above Telegram's own limits only for a stand-in of it (tests, benchmarks).
    if !(1..=MAX_RATE).contains(&raw.messages_per_second) {
        p.push(
            at("telegram.messages_per_second"),
            format!("must be between 1 and {MAX_RATE} (Telegram allows about 30)"),
        );
    }
    if !(raw.chat_messages_per_second.is_finite()
        && (0.01..=f64::from(MAX_RATE)).contains(&raw.chat_messages_per_second))
    {
        p.push(
            at("telegram.chat_messages_per_second"),
            format!("must be between 0.01 and {MAX_RATE} (Telegram allows about 1)"),
        );
    }
    if !(1..=MAX_RATE).contains(&raw.chat_burst) {
        p.push(
            at("telegram.chat_burst"),
            format!("must be between 1 and {MAX_RATE}"),
        );
    }
    Pace {
        per_second: raw.messages_per_second.clamp(1, MAX_RATE),
        chat_per_second: raw
            .chat_messages_per_second
            .clamp(0.01, f64::from(MAX_RATE)),
        chat_burst: raw.chat_burst.clamp(1, MAX_RATE),
    }
}

fn matrix(
    raw: &RawMatrix,
    env: &dyn Fn(&str) -> Option<String>,
    at: &dyn Fn(&str) -> String,
    p: &mut Problems,
) -> Option<MatrixConfig> {
    let homeserver_url = url::Url::parse(&raw.homeserver_url)
        .map_err(|e| {
            p.push(
                at("matrix.homeserver_url"),
                format!("`{}` is not a URL: {e}", raw.homeserver_url),
            )
        })
        .ok();
    if !is_matrix_id(&raw.user_id) {
        p.push(
            at("matrix.user_id"),
            format!(
                "`{}` is not a Matrix user id (like @confidant:example.org)",
                raw.user_id
            ),
        );
    }
    // Needed only until the bot has logged in once (it then restores its own session).
    let password = env(ENV_MATRIX_PASSWORD)
        .or_else(|| raw.password.clone())
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
        .map(Secret::new);
    let store_passphrase = secret(
        &raw.store_passphrase,
        ENV_STORE_PASSPHRASE,
        env,
        at("matrix.store_passphrase"),
        p,
    );
    let max_requests_in_flight = match raw.max_requests_in_flight {
        n @ 1..=256 => Some(n as usize),
        _ => {
            p.push(
                at("matrix.max_requests_in_flight"),
                "must be between 1 and 256",
            );
            None
        }
    };
    let undecryptable_notice_after = duration(
        &raw.undecryptable_notice_after,
        &at("matrix.undecryptable_notice_after"),
        p,
    )
    .unsigned_abs();
    Some(MatrixConfig {
        undecryptable_notice_after,
        homeserver_url: homeserver_url?,
        user_id: raw.user_id.clone(),
        password,
        store_passphrase: store_passphrase?,
        device_name: raw.device_name.clone(),
        max_requests_in_flight: max_requests_in_flight?,
    })
}

pub(super) fn duration(text: &str, place: &str, p: &mut Problems) -> SignedDuration {
    let parsed = text
        .parse::<Span>()
        .ok()
        .and_then(|span| span.to_duration(SpanRelativeTo::days_are_24_hours()).ok());
    match parsed {
        Some(d) if d.is_positive() => d,
        _ => {
            p.push(
                place,
                format!("`{text}` is not a positive duration (e.g. 48h, 7d, 90m)"),
            );
            SignedDuration::from_hours(1)
        }
    }
}

pub(super) fn is_matrix_id(id: &str) -> bool {
    id.strip_prefix('@')
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(local, server)| !local.is_empty() && !server.is_empty())
}
