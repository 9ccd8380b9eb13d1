//! What the sync loop and the web handlers share: the client, who we are, and a change
//! counter the page long-polls on, so it re-reads only when something happened.

use std::sync::Arc;

use matrix_sdk::Client;
use matrix_sdk::ruma::OwnedUserId;
use tokio::sync::watch;

#[derive(Clone)]
pub struct Console {
    pub client: Client,
    pub me: Arc<Me>,
    changes: Arc<watch::Sender<u64>>,
}

/// The logged-in counsellor.
pub struct Me {
    pub user_id: OwnedUserId,
    /// As others see it: the profile's display name, else the user id's localpart.
    pub name: String,
}

impl Console {
    pub fn new(client: Client, me: Me) -> Console {
        Console {
            client,
            me: Arc::new(me),
            changes: Arc::new(watch::channel(0).0),
        }
    }

    /// Something the page shows may have changed.
    pub fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    pub fn version(&self) -> u64 {
        *self.changes.borrow()
    }

    /// Waits until the version differs from `since`, or `timeout`; returns the version.
    pub async fn wait_for_change(&self, since: u64, timeout: std::time::Duration) -> u64 {
        let mut rx = self.changes.subscribe();
        // An error means the sender is gone, which it never is while `self` lives.
        let _ = tokio::time::timeout(timeout, rx.wait_for(|v| *v != since)).await;
        self.version()
    }
}
