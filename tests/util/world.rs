//! A complete test world: a real Synapse, the Telegram stand-in (in this process), the
//! real bot binary configured against both, and a counsellor logged in with her own
//! Matrix client.

use std::path::{Path, PathBuf};
use std::time::Duration;

use telegram_standin::StandinHandle;
use tempfile::TempDir;

use super::bot::BotProcess;
use super::counsellor::{MatrixPeer, PeerOptions};
use super::employee::Employee;
use super::proxy::Proxy;
use super::synapse::{MatrixUser, RateLimits, Synapse};
use super::tempdir::scratch_dir;

pub const BOT_TOKEN: &str = "4242:stand-in-token";
pub const WAIT: Duration = Duration::from_secs(60);

/// The stand-in is not Telegram: tests that are not about pacing do not wait for
/// Telegram's one message a second per chat. `tests/pacing.rs` runs with the defaults.
pub const TEST_PACE: &str =
    "messages_per_second = 100000\nchat_messages_per_second = 100000\nchat_burst = 100000";

/// Telegram's own limits: the bot's defaults.
pub const TELEGRAM_PACE: &str = "";

pub struct World {
    pub bot: BotProcess,
    pub anna: MatrixPeer,
    pub anna_user: MatrixUser,
    pub bot_user: MatrixUser,
    /// A homeserver administrator, for Synapse's admin API.
    pub admin_user: MatrixUser,
    pub standin: StandinHandle,
    pub synapse: Synapse,
    pub dir: TempDir,
    /// Between the bot and Synapse, if the world was started with one.
    pub proxy: Option<Proxy>,
    /// Its turn beside other worlds, or alone (see `heavy`); dropped last.
    _turn: super::heavy::Turn,
}

/// How a test world differs from the usual one.
pub struct WorldOptions<'a> {
    /// The `[telegram]` pacing settings.
    pub pace: &'a str,
    /// Appended to the bot's config file (sections the base config does not have:
    /// `[deadlines]`, `[coordinator]`, more counsellors); `{server}` is the server name.
    pub extra: &'a str,
    pub rate_limits: RateLimits,
    /// Exempt the bot's account from the homeserver's rate limits, as the README says.
    pub exempt_bot: bool,
    /// Extra environment for the bot process.
    pub env: Vec<(String, String)>,
    /// Anna's `max_open_cases`.
    pub anna_cap: u32,
    /// Lines added to Synapse's homeserver.yaml.
    pub synapse_extra: &'a str,
    /// Lines added to the bot's `[matrix]` section.
    pub matrix_extra: &'a str,
    /// How Anna's client behaves (Element's settings).
    pub anna: PeerOptions,
    /// The bot reaches Synapse through a [`Proxy`] (which can kill it at an answer).
    pub proxy: bool,
    /// No other test world runs meanwhile (see `heavy`).
    pub alone: bool,
}

impl Default for WorldOptions<'_> {
    fn default() -> Self {
        WorldOptions {
            pace: TEST_PACE,
            extra: "",
            rate_limits: RateLimits::Raised,
            exempt_bot: false,
            env: Vec::new(),
            anna_cap: 20,
            synapse_extra: "",
            matrix_extra: "",
            anna: PeerOptions::default(),
            proxy: false,
            alone: false,
        }
    }
}

impl World {
    /// Everything running, the bot serving.
    pub async fn start() -> World {
        Self::start_with("").await
    }

    /// As [`World::start`], with `extra` appended to the bot's config file (sections
    /// the base config does not have: `[deadlines]`, `[coordinator]`, more counsellors).
    pub async fn start_with(extra: &str) -> World {
        Self::start_with_options(WorldOptions {
            extra,
            ..WorldOptions::default()
        })
        .await
    }

    /// A world set up as `options` say.
    pub async fn start_with_options(options: WorldOptions<'_>) -> World {
        let WorldOptions {
            pace,
            extra,
            rate_limits,
            exempt_bot,
            env,
            anna_cap,
            synapse_extra,
            matrix_extra,
            anna: anna_options,
            proxy,
            alone,
        } = options;
        let turn = super::heavy::turn(alone).await;
        // Behind a proxy, Synapse names the proxy as its public address: clients take the
        // homeserver URL from the login answer's well-known, as matrix-sdk does.
        let proxy = match proxy {
            true => Some(Proxy::bind().await),
            false => None,
        };
        let synapse_extra = match &proxy {
            Some(proxy) => format!("{synapse_extra}\npublic_baseurl: \"{}/\"\n", proxy.url()),
            None => synapse_extra.to_owned(),
        };
        let synapse = Synapse::start_configured(rate_limits, &synapse_extra).await;
        if let Some(proxy) = &proxy {
            proxy.forward_to(synapse.base_url());
        }
        let bot_user = synapse.register("confidant", "bot-password", false).await;
        let anna_user = synapse.register("anna", "anna-password", false).await;
        let admin_user = synapse.register("root", "root-password", true).await;
        if exempt_bot {
            synapse
                .exempt_from_rate_limits(&admin_user, bot_user.user_id.as_str())
                .await;
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the stand-in");
        let standin = telegram_standin::serve(listener, BOT_TOKEN.to_owned())
            .await
            .expect("starting the stand-in");
        let dir = scratch_dir("bot");
        let homeserver = proxy.as_ref().map_or(synapse.base_url(), Proxy::url);
        let config = write_config(
            dir.path(),
            homeserver,
            &standin,
            &bot_user,
            &anna_user,
            BotSettings {
                pace,
                anna_cap,
                matrix_extra,
            },
        );
        let mut text = std::fs::read_to_string(&config).expect("reading the config");
        text.push_str(&extra.replace("{server}", synapse.server_name()));
        std::fs::write(&config, text).expect("writing the config");
        let mut bot = BotProcess::new(&config, &dir.path().join("confidant.log"));
        bot.env = env;
        bot.start();
        let anna = MatrixPeer::login_with(&synapse, &anna_user, anna_options).await;
        bot.wait_until_running().await;
        World {
            bot,
            anna,
            anna_user,
            bot_user,
            admin_user,
            standin,
            synapse,
            dir,
            proxy,
            _turn: turn,
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// An employee "Eva" who reports `story`, and the case room Anna joined once the
    /// summary arrived.
    pub async fn open_case(
        &self,
        id: u64,
        username: &str,
        story: &str,
    ) -> (Employee, matrix_sdk::ruma::OwnedRoomId) {
        let eva = self.employee(id, "Eva", username);
        eva.report(story).await;
        let room = self.anna.join_next_room(WAIT).await;
        self.anna.wait_for_text(&room, story, WAIT).await;
        (eva, room)
    }

    /// An employee with their own Matrix account (`localpart`), in a direct chat with
    /// the bot that the bot has joined.
    pub async fn matrix_employee(
        &self,
        localpart: &str,
    ) -> (MatrixPeer, matrix_sdk::ruma::OwnedRoomId) {
        let user = self
            .synapse
            .register(localpart, &format!("{localpart}-password"), false)
            .await;
        let peer = MatrixPeer::login(&self.synapse, &user).await;
        let dm = peer.create_dm(&self.bot_user.user_id).await;
        peer.wait_for_joined(&dm, &self.bot_user.user_id, WAIT)
            .await;
        (peer, dm)
    }

    /// Another session of `user`'s account, never cross-signed and joining nothing by
    /// itself: what logging in with someone's password gives.
    pub async fn unsigned_session(&self, user: &MatrixUser) -> MatrixPeer {
        MatrixPeer::login_with(
            &self.synapse,
            user,
            PeerOptions {
                auto_join: false,
                cross_signing: false,
                ..PeerOptions::default()
            },
        )
        .await
    }

    pub fn employee(&self, id: u64, first_name: &str, username: &str) -> Employee {
        Employee::new(&self.standin, id, first_name, username)
    }
}

/// The parts of the bot's config a test world chooses.
struct BotSettings<'a> {
    pace: &'a str,
    anna_cap: u32,
    matrix_extra: &'a str,
}

fn write_config(
    dir: &Path,
    homeserver: &str,
    standin: &StandinHandle,
    bot: &MatrixUser,
    anna: &MatrixUser,
    settings: BotSettings<'_>,
) -> PathBuf {
    let BotSettings {
        pace,
        anna_cap,
        matrix_extra,
    } = settings;
    let root = &super::checkout::root();
    let key = dir.join("master.key");
    confidant::crypto::MasterKey::generate()
        .write_new(&key)
        .expect("writing the master key");
    let config = format!(
        r#"
[organisation]
name = "Testbedrijf"

[storage]
data_dir = "{data}"
master_key_file = "{key}"

[content]
dialogs = "{dialogs}"
locales = "{locales}"

[telegram]
api_url = "{api}"
token = "{token}"
poll_timeout_seconds = 2
{pace}

[matrix]
homeserver_url = "{homeserver}"
user_id = "{bot_id}"
password = "{bot_password}"
store_passphrase = "test store passphrase"
{matrix_extra}

[[counsellor]]
matrix_id = "{anna_id}"
first_name = "Anna"
gender = "female"
languages = ["nl", "en"]
max_open_cases = {anna_cap}
"#,
        data = dir.join("data").display(),
        key = key.display(),
        dialogs = root.join("dialogs").display(),
        locales = root.join("locales").display(),
        api = standin.api_url(),
        token = BOT_TOKEN,
        bot_id = bot.user_id,
        bot_password = bot.password,
        anna_id = anna.user_id,
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, config).expect("writing the config");
    path
}

impl Drop for World {
    /// A failing test shows what the bot logged; the log lives in a folder that is
    /// deleted with the world.
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "----- confidant log -----\n{}\n----- end of log -----",
                self.bot.log_text()
            );
        }
    }
}
