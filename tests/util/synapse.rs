//! A real, throwaway Synapse homeserver per test: started from the venv that
//! `deploy/local/synapse-venv.sh` creates, in its own tempdir and loopback port,
//! killed when dropped.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use hmac::{Hmac, Mac};
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId, serde::Base64};
use rand::Rng;
use serde_json::{Value, json};
use sha1::Sha1;
use tempfile::TempDir;

use super::process::Supervised;
pub use super::synapse_config::RateLimits;
use super::synapse_config::homeserver_yaml;
use super::tempdir::scratch_dir;

/// Generous: only there so a wedged Synapse fails the test instead of hanging.
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// A free port may be taken by a parallel test before Synapse binds it.
const START_ATTEMPTS: usize = 3;
const SERVER_NAME: &str = "localhost";
const LOG_FILE: &str = "synapse.log";

/// A running Synapse. Dropping it kills the process and deletes its data.
pub struct Synapse {
    base_url: String,
    shared_secret: String,
    http: reqwest::Client,
    // Field order matters: the process must die before its directory goes.
    process: Supervised,
    dir: TempDir,
}

/// A user registered on a test Synapse.
#[derive(Clone, Debug)]
pub struct MatrixUser {
    pub user_id: OwnedUserId,
    pub localpart: String,
    pub password: String,
    /// Token of the device the registration created (not the one a
    /// [`super::counsellor::MatrixPeer`] logs in with).
    pub access_token: String,
    pub device_id: OwnedDeviceId,
}

impl Synapse {
    /// Starts a fresh Synapse and waits until it answers client requests.
    ///
    /// Panics with the path and tail of Synapse's log if it does not come up.
    pub async fn start() -> Synapse {
        Self::start_with(RateLimits::Raised).await
    }

    /// As [`Synapse::start`], with the given rate limits.
    pub async fn start_with(limits: RateLimits) -> Synapse {
        Self::start_configured(limits, "").await
    }

    /// As [`Synapse::start_with`], with `extra` lines of homeserver.yaml (a smaller
    /// `max_upload_size`, say).
    pub async fn start_configured(limits: RateLimits, extra: &str) -> Synapse {
        let python = venv_python();
        let mut attempt = 1;
        loop {
            match Self::try_start(&python, limits, extra).await {
                Ok(synapse) => return synapse,
                Err(failed) if failed.port_taken() && attempt < START_ATTEMPTS => attempt += 1,
                Err(failed) => panic!("{}", failed.describe()),
            }
        }
    }

    async fn try_start(
        python: &Path,
        limits: RateLimits,
        extra: &str,
    ) -> Result<Synapse, FailedStart> {
        let dir = scratch_dir("synapse");
        let shared_secret = random_token();
        let spawned = Self::spawn(python, dir.path(), &shared_secret, limits, extra);
        let (process, port) = match spawned {
            Ok(spawned) => spawned,
            Err(error) => return Err(FailedStart { error, dir }),
        };
        let synapse = Synapse {
            base_url: format!("http://127.0.0.1:{port}"),
            shared_secret,
            http: loopback_http_client(),
            process,
            dir,
        };
        match synapse.wait_until_ready().await {
            Ok(()) => Ok(synapse),
            Err(error) => {
                let Synapse { process, dir, .. } = synapse;
                drop(process);
                Err(FailedStart { error, dir })
            }
        }
    }

    /// Writes config and signing key into `dir` and launches Synapse there.
    fn spawn(
        python: &Path,
        dir: &Path,
        shared_secret: &str,
        limits: RateLimits,
        extra: &str,
    ) -> anyhow::Result<(Supervised, u16)> {
        let port = free_loopback_port()?;
        let config = dir.join("homeserver.yaml");
        std::fs::write(
            &config,
            homeserver_yaml(SERVER_NAME, port, dir, shared_secret, limits) + extra,
        )?;
        std::fs::write(dir.join("signing.key"), signing_key())?;
        let log = File::create(dir.join(LOG_FILE))?;

        let mut command = Command::new(python);
        command
            .args(["-m", "synapse.app.homeserver", "-c"])
            .arg(&config)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let process =
            Supervised::spawn(command).with_context(|| format!("spawning {}", python.display()))?;
        Ok((process, port))
    }

    async fn wait_until_ready(&self) -> anyhow::Result<()> {
        let url = format!("{}/_matrix/client/versions", self.base_url);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.process.exit_status() {
                bail!("Synapse exited during start-up ({status})");
            }
            if let Ok(response) = self.http.get(&url).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("Synapse did not answer {url} within {START_TIMEOUT:?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The client-server API base URL, e.g. `http://127.0.0.1:34567`.
    /// Sends the homeserver process a signal (SIGKILL: the server is down; SIGSTOP: it
    /// hangs).
    pub fn signal(&self, signal: i32) {
        self.process.signal(signal);
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The homeserver's name: the part after the `:` in its user IDs.
    pub fn server_name(&self) -> &str {
        SERVER_NAME
    }

    /// The directory holding this Synapse's config, database and log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Registers a user through the shared-secret admin API; panics on failure.
    pub async fn register(&self, localpart: &str, password: &str, admin: bool) -> MatrixUser {
        self.register_with_secret(&self.shared_secret, localpart, password, admin)
            .await
            .unwrap_or_else(|e| panic!("registering {localpart}: {e:#}"))
    }

    /// Registers a user with an explicit shared secret, so a test can check
    /// that a wrong one is refused.
    pub async fn register_with_secret(
        &self,
        secret: &str,
        localpart: &str,
        password: &str,
        admin: bool,
    ) -> anyhow::Result<MatrixUser> {
        let url = format!("{}/_synapse/admin/v1/register", self.base_url);
        let nonce: Value = self.http.get(&url).send().await?.json().await?;
        let nonce = nonce["nonce"]
            .as_str()
            .ok_or_else(|| anyhow!("no nonce in {nonce}"))?;
        let body = json!({
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": registration_mac(secret, nonce, localpart, password, admin),
        });
        let response = self.http.post(&url).json(&body).send().await?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("shared-secret registration of {localpart} refused: HTTP {status}: {answer}");
        }
        Ok(MatrixUser {
            user_id: serde_json::from_value(answer["user_id"].clone())
                .with_context(|| format!("user_id in {answer}"))?,
            localpart: localpart.to_owned(),
            password: password.to_owned(),
            access_token: answer["access_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            device_id: serde_json::from_value(answer["device_id"].clone())
                .with_context(|| format!("device_id in {answer}"))?,
        })
    }
}

impl Synapse {
    /// Synapse's admin API, as `admin` (a user registered with `admin: true`).
    pub async fn admin(
        &self,
        admin: &MatrixUser,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let url = format!("{}/_synapse/admin/{path}", self.base_url);
        let mut request = self
            .http
            .request(method, &url)
            .bearer_auth(&admin.access_token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the admin API answers");
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        assert!(
            status.is_success(),
            "admin API {path}: HTTP {status}: {answer}"
        );
        answer
    }

    /// What the README tells administrators to do: exempt `user` from every rate limit.
    pub async fn exempt_from_rate_limits(&self, admin: &MatrixUser, user: &str) {
        self.admin(
            admin,
            reqwest::Method::POST,
            &format!("v1/users/{user}/override_ratelimit"),
            Some(json!({"messages_per_second": 0, "burst_count": 0})),
        )
        .await;
    }

    /// Every room on the server, as the admin room list gives it (name, creator, members).
    pub async fn rooms(&self, admin: &MatrixUser) -> Vec<Value> {
        let mut rooms = Vec::new();
        let mut from = 0;
        loop {
            let page = self
                .admin(
                    admin,
                    reqwest::Method::GET,
                    &format!("v1/rooms?limit=500&from={from}"),
                    None,
                )
                .await;
            let chunk = page["rooms"].as_array().cloned().unwrap_or_default();
            rooms.extend(chunk);
            match page["next_batch"].as_u64() {
                Some(next) => from = next,
                None => return rooms,
            }
        }
    }

    /// A room's latest events (newest first, up to `limit`), from the admin API; they
    /// stay readable after every local user has left the room, unlike its current state.
    pub async fn room_events(&self, admin: &MatrixUser, room_id: &str, limit: u32) -> Vec<Value> {
        let page = self
            .admin(
                admin,
                reqwest::Method::GET,
                &format!("v1/rooms/{room_id}/messages?dir=b&limit={limit}"),
                None,
            )
            .await;
        page["chunk"].as_array().cloned().unwrap_or_default()
    }

    /// A room's current state events, from the admin API.
    pub async fn room_state(&self, admin: &MatrixUser, room_id: &str) -> Vec<Value> {
        let state = self
            .admin(
                admin,
                reqwest::Method::GET,
                &format!("v1/rooms/{room_id}/state"),
                None,
            )
            .await;
        state["state"].as_array().cloned().unwrap_or_default()
    }
}

/// A Synapse that did not come up, with its (already stopped) directory.
struct FailedStart {
    error: anyhow::Error,
    dir: TempDir,
}

impl FailedStart {
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join(LOG_FILE)).unwrap_or_default()
    }

    /// A parallel test took the port between our probe and Synapse's bind.
    fn port_taken(&self) -> bool {
        self.log().contains("Address already in use")
    }

    /// Keeps the directory, so the log named in the message stays readable.
    fn describe(self) -> String {
        let log = self.log();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        let dir = self.dir.keep();
        format!(
            "{:#}\nSynapse log: {}\n--- last lines ---\n{}",
            self.error,
            dir.join(LOG_FILE).display(),
            tail.join("\n")
        )
    }
}

/// The MAC Synapse expects: HMAC-SHA1 over NUL-separated fields, hex-encoded.
fn registration_mac(secret: &str, nonce: &str, user: &str, password: &str, admin: bool) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).expect("any key length");
    let admin = if admin { "admin" } else { "notadmin" };
    for (i, part) in [nonce, user, password, admin].iter().enumerate() {
        if i > 0 {
            mac.update(b"\0");
        }
        mac.update(part.as_bytes());
    }
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The venv's python: `$CONFIDANT_SYNAPSE_VENV` or `.venv-synapse/` at the repo root.
fn venv_python() -> PathBuf {
    let venv = std::env::var_os("CONFIDANT_SYNAPSE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| super::checkout::root().join(".venv-synapse"));
    let python = venv.join("bin/python");
    // Never skip: a test that silently does not run proves nothing.
    assert!(
        python.is_file(),
        "no Synapse venv at {} (set CONFIDANT_SYNAPSE_VENV or run deploy/local/synapse-venv.sh)",
        venv.display()
    );
    python
}

/// An HTTP client for loopback servers: a proxy from the environment
/// (`HTTP_PROXY`) must not capture requests to 127.0.0.1.
pub fn loopback_http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("building an HTTP client")
}

/// A port nobody listens on right now (Synapse binds it a moment later).
fn free_loopback_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn random_token() -> String {
    let bytes: [u8; 24] = rand::thread_rng().r#gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh ed25519 signing key in Synapse's file format, written directly
/// because `--generate-keys` would cost a second Python start-up.
fn signing_key() -> String {
    let seed: [u8; 32] = rand::thread_rng().r#gen();
    let seed: Base64 = Base64::new(seed.to_vec());
    format!("ed25519 a_test {}\n", seed.encode())
}
