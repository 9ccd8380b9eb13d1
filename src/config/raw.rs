//! The config file as written. Unknown settings are refused (a typo must not silently
//! fall back to a default). `deploy/config.example.toml` documents every setting.

use std::path::PathBuf;

use serde::Deserialize;

use crate::core::settings::{CounsellorKind, Gender};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// `[organisation]` (one) or `[[organisation]]` blocks (several, each with its code).
    pub organisation: RawOrganisations,
    pub storage: RawStorage,
    #[serde(default)]
    pub content: RawContent,
    pub telegram: Option<RawTelegram>,
    pub matrix: RawMatrix,
    #[serde(default)]
    pub deadlines: RawDeadlines,
    #[serde(default)]
    pub limits: RawLimits,
    #[serde(default, rename = "counsellor")]
    pub counsellors: Vec<RawCounsellor>,
    pub coordinator: Option<RawCounsellor>,
    pub backup: Option<RawCounsellor>,
    #[serde(default)]
    pub privacy: RawPrivacy,
    #[serde(default)]
    pub watchdog: RawWatchdog,
    #[serde(default)]
    pub health: RawHealth,
}

/// The optional loopback listener for `/health` and `/metrics`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealth {
    pub listen: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWatchdog {
    /// A loop that has work and makes no progress for this long stops the process.
    #[serde(default = "default_stall_after")]
    pub stall_after: String,
}

impl Default for RawWatchdog {
    fn default() -> Self {
        RawWatchdog {
            stall_after: default_stall_after(),
        }
    }
}

fn default_stall_after() -> String {
    "90s".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrivacy {
    #[serde(default = "default_report_threshold")]
    pub report_threshold: u64,
    #[serde(default = "default_dossier_retention")]
    pub dossier_retention: String,
    #[serde(default = "default_tally_retention")]
    pub tally_retention: String,
    #[serde(default = "default_aftercare_after")]
    pub aftercare_after: String,
}

impl Default for RawPrivacy {
    fn default() -> Self {
        RawPrivacy {
            report_threshold: default_report_threshold(),
            dossier_retention: default_dossier_retention(),
            tally_retention: default_tally_retention(),
            aftercare_after: default_aftercare_after(),
        }
    }
}

fn default_report_threshold() -> u64 {
    5
}
fn default_dossier_retention() -> String {
    "30d".into()
}
fn default_tally_retention() -> String {
    "0s".into()
}
fn default_aftercare_after() -> String {
    "14d".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    pub name: String,
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default = "default_lang")]
    pub default_language: String,
    #[serde(default = "default_lang")]
    pub counsellor_language: String,
    /// Units or regions a reporter may name (optional question in the intake).
    #[serde(default)]
    pub units: Vec<String>,
    /// The HR room (`!id:server`) `!inform-hr` may post to, with the employee's yes.
    #[serde(default)]
    pub hr_room: Option<String>,
    /// A short name for commands (`report --organisation`, `poster`); required when
    /// there are several.
    pub id: Option<String>,
    /// The unguessable code in the organisation's link and poster; required when there
    /// are several.
    pub code: Option<String>,
    /// Its counsellors, by Matrix id from the `[[counsellor]]` blocks (a counsellor may
    /// serve several organisations); empty with one organisation: all of them.
    #[serde(default)]
    pub counsellors: Vec<String>,
    /// A separate counsellor for people who have been accused (by Matrix id, from the
    /// `[[counsellor]]` blocks; never one of the organisation's own). Without one, the
    /// accused are referred elsewhere.
    pub accused_counsellor: Option<String>,
    /// Its own coordinator and backup; without them, the top-level ones.
    pub coordinator: Option<RawCounsellor>,
    pub backup: Option<RawCounsellor>,
    /// Its own thresholds and retention; without it, the top-level `[privacy]`.
    pub privacy: Option<RawPrivacy>,
    /// Its own phone numbers and the like for the dialogs' texts (`[numbers]` in the
    /// dialog files), by name.
    #[serde(default)]
    pub numbers: std::collections::BTreeMap<String, String>,
}

/// `[organisation]` or `[[organisation]]`: the one form keeps the configs written before
/// there could be several; serde's own errors name the wrong setting either way.
#[derive(Debug)]
pub enum RawOrganisations {
    One(Box<RawOrganisation>),
    Several(Vec<RawOrganisation>),
}

impl RawOrganisations {
    pub fn list(&self) -> Vec<&RawOrganisation> {
        match self {
            RawOrganisations::One(one) => vec![one],
            RawOrganisations::Several(several) => several.iter().collect(),
        }
    }
}

impl<'de> Deserialize<'de> for RawOrganisations {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawOrganisations;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an [organisation] table or [[organisation]] blocks")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                let one = RawOrganisation::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(RawOrganisations::One(Box::new(one)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<Self::Value, A::Error> {
                let several = Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(RawOrganisations::Several(several))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStorage {
    pub data_dir: PathBuf,
    /// Or the environment variable CONFIDANT_MASTER_KEY.
    pub master_key_file: Option<PathBuf>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawContent {
    pub dialogs: Option<PathBuf>,
    pub locales: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTelegram {
    #[serde(default = "default_telegram_url")]
    pub api_url: String,
    pub token: Option<String>,
    /// The bot's username (from @BotFather, without the @), for the links on posters.
    pub username: Option<String>,
    #[serde(default = "default_poll_timeout")]
    pub poll_timeout_seconds: u32,
    /// Telegram's limits (Bots FAQ): about 30 messages a second in all,
    #[serde(default = "default_messages_per_second")]
    pub messages_per_second: u32,
    /// and about one a second in one chat, after a short burst.
    #[serde(default = "default_chat_messages_per_second")]
    pub chat_messages_per_second: f64,
    #[serde(default = "default_chat_burst")]
    pub chat_burst: u32,
}

fn default_messages_per_second() -> u32 {
    30
}
fn default_chat_messages_per_second() -> f64 {
    1.0
}
fn default_chat_burst() -> u32 {
    3
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatrix {
    pub homeserver_url: String,
    pub user_id: String,
    pub password: Option<String>,
    pub store_passphrase: Option<String>,
    #[serde(default = "default_device_name")]
    pub device_name: String,
    /// Requests to the homeserver in flight at once, at most.
    #[serde(default = "default_max_requests_in_flight")]
    pub max_requests_in_flight: u32,
    /// How long a message may stay undecryptable before its room is told.
    #[serde(default = "default_undecryptable_notice_after")]
    pub undecryptable_notice_after: String,
}

fn default_max_requests_in_flight() -> u32 {
    8
}

fn default_undecryptable_notice_after() -> String {
    "60s".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeadlines {
    #[serde(default = "default_first_contact")]
    pub first_contact: String,
    #[serde(default = "default_intake_expiry")]
    pub intake_expiry: String,
    #[serde(default = "default_reminders")]
    pub reminders: Vec<String>,
    #[serde(default = "default_integrity_acknowledge")]
    pub integrity_acknowledge: String,
    #[serde(default = "default_integrity_feedback")]
    pub integrity_feedback: String,
    #[serde(default = "default_digest_hour")]
    pub digest_hour: i8,
}

fn default_reminders() -> Vec<String> {
    vec!["24h".into(), "4h".into(), "1h".into()]
}
fn default_integrity_acknowledge() -> String {
    "7d".into()
}
fn default_integrity_feedback() -> String {
    "91d".into()
}
fn default_digest_hour() -> i8 {
    8
}

impl Default for RawDeadlines {
    fn default() -> Self {
        RawDeadlines {
            first_contact: default_first_contact(),
            intake_expiry: default_intake_expiry(),
            reminders: default_reminders(),
            integrity_acknowledge: default_integrity_acknowledge(),
            integrity_feedback: default_integrity_feedback(),
            digest_hour: default_digest_hour(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    #[serde(default = "default_max_message_chars")]
    pub max_message_chars: usize,
    #[serde(default = "default_max_file_bytes")]
    pub max_file_bytes: u64,
    #[serde(default = "default_file_types")]
    pub file_types: Vec<String>,
    #[serde(default = "default_delivery_give_up")]
    pub delivery_give_up: String,
    #[serde(default = "default_max_files_per_case")]
    pub max_files_per_case: u32,
}

impl Default for RawLimits {
    fn default() -> Self {
        RawLimits {
            max_message_chars: default_max_message_chars(),
            max_file_bytes: default_max_file_bytes(),
            file_types: default_file_types(),
            delivery_give_up: default_delivery_give_up(),
            max_files_per_case: default_max_files_per_case(),
        }
    }
}

fn default_delivery_give_up() -> String {
    "24h".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCounsellor {
    pub matrix_id: String,
    pub first_name: String,
    #[serde(default = "default_gender")]
    pub gender: Gender,
    #[serde(default = "default_kind")]
    pub kind: CounsellorKind,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default = "default_max_open_cases")]
    pub max_open_cases: u32,
}

fn default_timezone() -> String {
    "Europe/Amsterdam".into()
}
fn default_lang() -> String {
    "nl".into()
}
fn default_telegram_url() -> String {
    "https://api.telegram.org".into()
}
fn default_poll_timeout() -> u32 {
    30
}
fn default_device_name() -> String {
    "confidant".into()
}
fn default_first_contact() -> String {
    "48h".into()
}
fn default_intake_expiry() -> String {
    "7d".into()
}
fn default_max_message_chars() -> usize {
    4000
}
fn default_max_files_per_case() -> u32 {
    crate::core::files::DEFAULT_MAX_FILES_PER_CASE
}

fn default_max_file_bytes() -> u64 {
    crate::core::files::DEFAULT_MAX_FILE_BYTES
}
fn default_file_types() -> Vec<String> {
    crate::core::files::Format::ALL
        .iter()
        .map(|f| f.name().to_owned())
        .collect()
}
fn default_gender() -> Gender {
    Gender::Other
}
fn default_kind() -> CounsellorKind {
    CounsellorKind::Internal
}
fn default_max_open_cases() -> u32 {
    20
}
