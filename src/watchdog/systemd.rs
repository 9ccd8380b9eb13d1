//! The systemd notification protocol (`Type=notify`, `WatchdogSec=`), through the
//! sd-notify crate. Outside systemd (`NOTIFY_SOCKET` unset) every call does nothing.

use std::time::Duration;

use sd_notify::NotifyState;

/// Tells systemd the bot is serving (the unit turns "active").
pub fn notify_ready() {
    notify(&[NotifyState::Ready]);
}

/// Tells systemd the bot is stopping on purpose.
pub fn notify_stopping() {
    notify(&[NotifyState::Stopping]);
}

pub(super) fn ping() {
    notify(&[NotifyState::Watchdog]);
}

/// The unit's `WatchdogSec=`, when systemd watches this process.
pub(super) fn watchdog_interval() -> Option<Duration> {
    sd_notify::watchdog_enabled()
}

fn notify(state: &[NotifyState]) {
    // A failure here only means systemd is not listening; there is nothing to do about it.
    if let Err(e) = sd_notify::notify(state) {
        tracing::debug!(error = %e, "cannot notify systemd");
    }
}
