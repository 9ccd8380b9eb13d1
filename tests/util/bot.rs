//! The real `confidant` binary as a child process: started with a config written by the
//! test, its log captured to a file, killed with SIGKILL and restarted at will.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::process::Supervised;

pub struct BotProcess {
    pub config: PathBuf,
    pub log: PathBuf,
    process: Option<Supervised>,
    starts: usize,
}

impl BotProcess {
    pub fn new(config: &Path, log: &Path) -> BotProcess {
        BotProcess {
            config: config.to_owned(),
            log: log.to_owned(),
            process: None,
            starts: 0,
        }
    }

    /// Starts the binary (appending to the same log across restarts).
    pub fn start(&mut self) {
        assert!(self.process.is_none(), "the bot is already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("opening the bot log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_confidant"));
        command
            .args(["run", "--config"])
            .arg(&self.config)
            .env_remove("CONFIDANT_LOG")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log);
        self.process = Some(Supervised::spawn(command).expect("starting confidant"));
        self.starts += 1;
    }

    /// SIGKILL: no shutdown code runs, exactly like a power cut.
    pub fn kill(&mut self) {
        drop(self.process.take());
    }

    pub fn restart(&mut self) {
        self.kill();
        self.start();
    }

    pub fn is_running(&self) -> bool {
        self.process
            .as_ref()
            .is_some_and(|p| p.exit_status().is_none())
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log contains `needle` `count` times (e.g. "confidant is running"
    /// once per start), panicking with the log if the process dies or time runs out.
    pub async fn wait_for_log(&self, needle: &str, count: usize, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let text = self.log_text();
            if text.matches(needle).count() >= count {
                return;
            }
            if let Some(status) = self.process.as_ref().and_then(|p| p.exit_status()) {
                panic!("confidant exited ({status}) before logging {needle:?}; log:\n{text}");
            }
            if tokio::time::Instant::now() > deadline {
                panic!("confidant did not log {needle:?} within {timeout:?}; log:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until this start's bot is serving.
    pub async fn wait_until_running(&self) {
        self.wait_for_log(
            "confidant is running",
            self.starts,
            Duration::from_secs(120),
        )
        .await;
    }
}
