//! A child process that cannot outlive the test process: killed on drop, and
//! killed by the kernel (`PR_SET_PDEATHSIG`) if the test process dies first.
//!
//! `PR_SET_PDEATHSIG` fires when the *thread* that forked the child exits, not
//! the process. Test code runs on short-lived runtime threads, so each child is
//! spawned and owned by a dedicated supervisor thread that lives exactly as long
//! as the child is wanted.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running child process owned by its supervisor thread.
pub struct Supervised {
    pid: u32,
    stop: Option<mpsc::Sender<()>>,
    exited: Arc<Mutex<Option<ExitStatus>>>,
    thread: Option<JoinHandle<()>>,
}

impl Supervised {
    /// Spawns `command` from a fresh supervisor thread.
    pub fn spawn(mut command: Command) -> io::Result<Supervised> {
        // SAFETY: the closure runs between fork and exec and only makes
        // async-signal-safe calls (prctl, getppid, _exit).
        unsafe {
            let parent = libc::getpid();
            command.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // The parent may have died before prctl took effect.
                if libc::getppid() != parent {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
        let (spawned_tx, spawned_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let exited = Arc::new(Mutex::new(None));
        let exited_by_thread = Arc::clone(&exited);
        let thread = std::thread::Builder::new()
            .name("child-supervisor".into())
            .spawn(move || {
                let child = match command.spawn() {
                    Ok(child) => child,
                    Err(e) => {
                        let _ = spawned_tx.send(Err(e));
                        return;
                    }
                };
                let _ = spawned_tx.send(Ok(child.id()));
                supervise(child, &stop_rx, &exited_by_thread);
            })?;
        let pid = spawned_rx
            .recv()
            .map_err(|_| io::Error::other("supervisor thread died"))??;
        Ok(Supervised {
            pid,
            stop: Some(stop_tx),
            exited,
            thread: Some(thread),
        })
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Sends `signal` (e.g. `libc::SIGTERM`) to the child.
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) has no memory effects. Tests signal children they know to be
        // running; an exited child is reaped within 50 ms, after which its pid could in
        // principle be reused, which is why `exit_status` is checked first.
        if self.exit_status().is_some() {
            return;
        }
        let pid = libc::pid_t::try_from(self.pid).expect("a pid fits pid_t");
        unsafe {
            libc::kill(pid, signal);
        }
    }

    /// The exit status, if the child has already exited on its own.
    pub fn exit_status(&self) -> Option<ExitStatus> {
        *self.exited.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Owns `child` until told to stop (or the owner is dropped), noting its exit.
fn supervise(mut child: Child, stop: &mpsc::Receiver<()>, exited: &Mutex<Option<ExitStatus>>) {
    loop {
        match stop.recv_timeout(Duration::from_millis(50)) {
            Err(RecvTimeoutError::Timeout) => {
                if let Ok(Some(status)) = child.try_wait() {
                    *exited.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
                    // Nothing left to kill; just wait to be released.
                    let _ = stop.recv();
                    return;
                }
            }
            Ok(()) | Err(RecvTimeoutError::Disconnected) => {
                // The data is throwaway, so no graceful shutdown is needed.
                let _ = child.kill();
                let _ = child.wait();
                return;
            }
        }
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
