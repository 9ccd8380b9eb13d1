//! The real `confidant` binary as a child process: started with a config written by the
//! test, its log captured to a file, killed with SIGKILL and restarted at will.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::process::Supervised;

pub struct BotProcess {
    pub config: PathBuf,
    pub log: PathBuf,
    /// Extra environment for the next starts (e.g. the watchdog's test switch).
    pub env: Vec<(String, String)>,
    process: Option<Supervised>,
    /// Length of the log when the current process started: its own lines come after.
    log_offset: usize,
}

impl BotProcess {
    pub fn new(config: &Path, log: &Path) -> BotProcess {
        BotProcess {
            config: config.to_owned(),
            log: log.to_owned(),
            env: Vec::new(),
            process: None,
            log_offset: 0,
        }
    }

    /// Starts the binary (appending to the same log across restarts).
    pub fn start(&mut self) {
        assert!(self.process.is_none(), "the bot is already running");
        self.log_offset = self.log_text().len();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("opening the bot log");
        let mut command = Command::new(super::checkout::confidant_binary());
        command
            .args(["run", "--config"])
            .arg(&self.config)
            .env_remove("CONFIDANT_LOG")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log);
        self.process = Some(Supervised::spawn(command).expect("starting confidant"));
    }

    /// SIGKILL: no shutdown code runs, exactly like a power cut.
    pub fn kill(&mut self) {
        drop(self.process.take());
    }

    /// The running process's id.
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(|p| p.pid())
    }

    /// The running process's resident memory in KiB, from /proc.
    pub fn rss_kib(&self) -> Option<u64> {
        self.status_kib("VmRSS:")
    }

    /// The most resident memory the running process has had, in KiB (VmHWM).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.status_kib("VmHWM:")
    }

    fn status_kib(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        status
            .lines()
            .find(|l| l.starts_with(field))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    }

    /// SIGTERM, as systemd stops a service; returns how long the process took to exit
    /// and its status, or `None` if it was still running after `patience`.
    pub async fn terminate(
        &mut self,
        patience: Duration,
    ) -> Option<(Duration, std::process::ExitStatus)> {
        let process = self.process.as_ref().expect("the bot is running");
        let asked = std::time::Instant::now();
        process.signal(libc::SIGTERM);
        let exited = self.wait_for_exit(patience).await;
        exited.map(|status| (asked.elapsed(), status))
    }

    /// Waits up to `patience` for the process to exit by itself; its status, and the
    /// bot counts as stopped (it may be started again).
    pub async fn wait_for_exit(&mut self, patience: Duration) -> Option<std::process::ExitStatus> {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            if let Some(status) = self.process.as_ref().and_then(|p| p.exit_status()) {
                self.process = None;
                return Some(status);
            }
            if tokio::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn restart(&mut self) {
        self.kill();
        self.start();
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the current process has logged `needle`, panicking with the log if it
    /// dies or time runs out.
    pub async fn wait_for_log(&self, needle: &str, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let text = self.log_text();
            if text
                .get(self.log_offset..)
                .is_some_and(|own| own.contains(needle))
            {
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

    /// Waits until the current process is serving.
    pub async fn wait_until_running(&self) {
        self.wait_for_log("confidant is running", Duration::from_secs(120))
            .await;
    }
}
