//! Cleaning within hard bounds. A file is the sender's to shape: a few megabytes of zip
//! can inflate to gigabytes, a PDF can nest for ever. The cleaners carry their own caps
//! (inflated bytes, entries), and in the running bot they run in a child process
//! (`confidant clean-file`) with an address-space and CPU-time limit set by the kernel,
//! under a wall-clock timeout: whatever a file does to a parser, it ends the child, not
//! the bot, and the file is refused as too complex. Without a child (tests, or when the
//! binary cannot be started) the same work runs on a blocking thread with the same caps.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{Prepared, prepare_capped};
use crate::core::files::{Cleaning, FileBytes, Format, Received};

/// Inflated bytes allowed per byte of the file limit.
const INFLATION: u64 = 8;
/// Never less than this (small file limits would refuse ordinary documents).
const MIN_INFLATED: u64 = 64 * 1024 * 1024;
/// Parts of one archive.
const MAX_ENTRIES: usize = 10_000;
/// The child's address space: the file, its inflated parts and the output fit easily.
const CHILD_MEMORY: u64 = 1024 * 1024 * 1024;
/// The child's CPU time, and the parent's wall-clock patience.
const CHILD_CPU_SECONDS: u64 = 20;
const TIMEOUT: Duration = Duration::from_secs(30);
/// The child's exit status for "past a cap".
const EXIT_TOO_COMPLEX: u8 = 3;

/// The caps one cleaning runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Most bytes all parts of an archive may inflate to, together.
    pub max_inflated: u64,
    pub max_entries: usize,
}

impl Caps {
    pub fn for_limit(max_file_bytes: u64) -> Caps {
        Caps {
            max_inflated: max_file_bytes.saturating_mul(INFLATION).max(MIN_INFLATED),
            max_entries: MAX_ENTRIES,
        }
    }
}

/// Cleaning went past a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the file goes past a cleaning cap")]
pub struct TooComplex;

static CHILD: OnceLock<PathBuf> = OnceLock::new();

/// From now on, clean in child processes of `exe` (the bot's own binary).
pub fn clean_in_child_processes(exe: PathBuf) {
    let _ = CHILD.set(exe);
}

/// Cleans `bytes` (at most `max_file_bytes`, the caller checked) within the caps.
pub async fn clean(bytes: Vec<u8>, max_file_bytes: u64) -> Received {
    let caps = Caps::for_limit(max_file_bytes);
    let result = match CHILD.get() {
        Some(exe) => match in_child(exe, &bytes, max_file_bytes).await {
            Err(ChildError::Start(e)) => {
                tracing::error!(error = %e, "cannot start the file cleaner; cleaning in-process");
                in_thread(bytes, caps).await
            }
            Err(ChildError::TooComplex) => Err(TooComplex),
            Ok(prepared) => Ok(prepared),
        },
        None => in_thread(bytes, caps).await,
    };
    match result {
        Ok(prepared) => Received::File {
            format: prepared.format,
            bytes: FileBytes::new(prepared.bytes),
            cleaning: prepared.cleaning,
        },
        Err(TooComplex) => {
            tracing::warn!("a file went past a cleaning cap; refused");
            Received::TooComplex
        }
    }
}

async fn in_thread(bytes: Vec<u8>, caps: Caps) -> Result<Prepared, TooComplex> {
    let work = tokio::task::spawn_blocking(move || prepare_capped(bytes, &caps));
    match tokio::time::timeout(TIMEOUT, work).await {
        Ok(Ok(result)) => result,
        // A panic in a parser, or past the time: the thread is left to finish alone.
        _ => Err(TooComplex),
    }
}

#[derive(Debug)]
enum ChildError {
    Start(std::io::Error),
    TooComplex,
}

/// What the child writes before the cleaned bytes, on one line.
#[derive(Serialize, Deserialize)]
struct Header {
    format: Option<Format>,
    cleaning: Cleaning,
}

async fn in_child(
    exe: &PathBuf,
    bytes: &[u8],
    max_file_bytes: u64,
) -> Result<Prepared, ChildError> {
    let mut child = tokio::process::Command::new(exe)
        .arg("clean-file")
        .arg("--max-file-bytes")
        .arg(max_file_bytes.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(ChildError::Start)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(ChildError::TooComplex);
    };
    // The output is a header and at most the inflation cap of cleaned bytes.
    let most = Caps::for_limit(max_file_bytes).max_inflated + 4096;
    let work = async {
        let write = async {
            // The child may end early (a cap): a broken pipe then is no error of ours.
            let _ = stdin.write_all(bytes).await;
            drop(stdin);
        };
        let mut out = Vec::new();
        let mut limited = stdout.take(most);
        let read = limited.read_to_end(&mut out);
        let ((), read) = tokio::join!(write, read);
        read.map(|_| out)
    };
    let out = match tokio::time::timeout(TIMEOUT, work).await {
        Ok(Ok(out)) => out,
        _ => return Err(ChildError::TooComplex),
    };
    let status = match tokio::time::timeout(TIMEOUT, child.wait()).await {
        Ok(Ok(status)) => status,
        _ => return Err(ChildError::TooComplex),
    };
    if !status.success() {
        // Past a cap, out of memory (abort), out of CPU time (SIGXCPU): all the same.
        return Err(ChildError::TooComplex);
    }
    let split = out
        .iter()
        .position(|b| *b == b'\n')
        .ok_or(ChildError::TooComplex)?;
    let header: Header =
        serde_json::from_slice(&out[..split]).map_err(|_| ChildError::TooComplex)?;
    Ok(Prepared {
        format: header.format,
        bytes: out[split + 1..].to_vec(),
        cleaning: header.cleaning,
    })
}

/// `confidant clean-file`: the child's side. Limits itself, reads the file from
/// standard input, writes the header line and the cleaned bytes to standard output.
pub fn serve_child(max_file_bytes: u64) -> ExitCode {
    use rlimit::Resource;
    // A limit that cannot be set must not go unnoticed: refuse rather than run unbounded.
    let limited = rlimit::setrlimit(Resource::AS, CHILD_MEMORY, CHILD_MEMORY)
        .and_then(|()| rlimit::setrlimit(Resource::CPU, CHILD_CPU_SECONDS, CHILD_CPU_SECONDS));
    if limited.is_err() {
        return ExitCode::from(EXIT_TOO_COMPLEX);
    }
    let mut bytes = Vec::new();
    if std::io::stdin()
        .take(max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .is_err()
        || bytes.len() as u64 > max_file_bytes
    {
        return ExitCode::from(EXIT_TOO_COMPLEX);
    }
    let Ok(prepared) = prepare_capped(bytes, &Caps::for_limit(max_file_bytes)) else {
        return ExitCode::from(EXIT_TOO_COMPLEX);
    };
    let header = Header {
        format: prepared.format,
        cleaning: prepared.cleaning,
    };
    let mut out = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &header)
        .map_err(std::io::Error::other)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.write_all(&prepared.bytes))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
