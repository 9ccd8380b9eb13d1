//! A counsellor's Matrix client for tests, standing in for Element: a real
//! matrix-sdk client with end-to-end encryption and its own store, syncing in
//! the background and (by default) accepting every room invite.
//!
//! Reads (`messages`, `room_name`, `is_encrypted`, `joined_rooms`) ask the
//! server, so they never lag behind sync; waits re-check whenever a sync
//! response or a room key arrives, so a message whose key comes late is
//! decrypted on the next check instead of failing the test.

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::encryption::EncryptionSettings;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::keys::get_keys;
use matrix_sdk::ruma::api::client::membership::joined_rooms;
use matrix_sdk::ruma::api::client::room::create_room;
use matrix_sdk::ruma::api::client::state::get_state_event_for_key;
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::events::{InitialStateEvent, StateEventType};
use matrix_sdk::ruma::{
    DeviceId, OwnedDeviceId, OwnedEventId, OwnedRoomId, OwnedUserId, RoomId, UserId,
};
use matrix_sdk::sync::SyncResponse;
use matrix_sdk::{Client, Room, RoomState};
use matrix_sdk_crypto::{CollectStrategy, DecryptionSettings, TrustRequirement};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::room_event::RoomEvent;
use super::synapse::{MatrixUser, Synapse};
use super::tempdir::scratch_dir;

/// How a [`MatrixPeer`] behaves.
#[derive(Clone, Debug)]
pub struct PeerOptions {
    /// Join every room this user is invited to, as a counsellor taking a case.
    pub auto_join: bool,
    /// Element's "exclude insecure devices": share room keys only with
    /// cross-signed devices, and refuse to decrypt messages from others.
    pub exclude_insecure_devices: bool,
    /// Set up cross-signing at login, as Element does. Off, the device stays
    /// unsigned: "insecure" to peers that exclude such devices.
    pub cross_signing: bool,
    /// Element's strictest setting ("never send encrypted messages to unverified
    /// sessions"): room keys go only to devices this user has verified.
    pub only_verified: bool,
}

impl Default for PeerOptions {
    fn default() -> Self {
        PeerOptions {
            auto_join: true,
            exclude_insecure_devices: false,
            cross_signing: true,
            only_verified: false,
        }
    }
}

/// An invite as the invitee sees it before joining.
#[derive(Clone, Debug)]
pub struct Invite {
    pub room_id: OwnedRoomId,
    pub inviter: Option<OwnedUserId>,
    pub is_direct: bool,
    /// The stripped room state shipped with the invite (name, topic, ...).
    pub state: Vec<Value>,
}

/// A logged-in Matrix client with a background sync loop.
pub struct MatrixPeer {
    client: Client,
    user: MatrixUser,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
    _store: TempDir,
}

/// What the background tasks and the test share.
struct Shared {
    own_user: OwnedUserId,
    auto_join: AtomicBool,
    invites: Mutex<Invites>,
    /// Sync and auto-join failures, shown when a wait times out.
    problems: Mutex<Vec<String>>,
    /// Bumped on every sync response and room-key arrival; waits re-check then.
    changes: watch::Sender<u64>,
}

#[derive(Default)]
struct Invites {
    /// Rooms currently invited to, so repeated sync entries count once.
    known: HashSet<OwnedRoomId>,
    /// Not yet returned by `wait_for_invite`.
    pending: VecDeque<Invite>,
}

impl MatrixPeer {
    /// Logs `user` in on a new device, auto-joining invites.
    pub async fn login(synapse: &Synapse, user: &MatrixUser) -> MatrixPeer {
        Self::login_with(synapse, user, PeerOptions::default()).await
    }

    /// Logs `user` in on a new device; returns once the device's keys are on
    /// the server (so others can encrypt for it) and the sync loop runs.
    pub async fn login_with(
        synapse: &Synapse,
        user: &MatrixUser,
        options: PeerOptions,
    ) -> MatrixPeer {
        let store = scratch_dir("peer");
        let mut builder = Client::builder()
            .homeserver_url(synapse.base_url())
            // As loopback_http_client, in the reqwest version matrix-sdk uses.
            .http_client(
                matrix_sdk::reqwest::Client::builder()
                    .no_proxy()
                    .build()
                    .expect("building an HTTP client"),
            )
            .sqlite_store(store.path(), None)
            .with_encryption_settings(EncryptionSettings {
                auto_enable_cross_signing: options.cross_signing,
                ..Default::default()
            });
        if options.exclude_insecure_devices {
            builder = builder
                .with_room_key_recipient_strategy(CollectStrategy::IdentityBasedStrategy)
                .with_decryption_settings(DecryptionSettings {
                    sender_device_trust_requirement: TrustRequirement::CrossSignedOrLegacy,
                });
        }
        if options.only_verified {
            builder = builder
                .with_room_key_recipient_strategy(CollectStrategy::OnlyTrustedDevices)
                .with_decryption_settings(DecryptionSettings {
                    sender_device_trust_requirement: TrustRequirement::CrossSigned,
                });
        }
        let client = builder.build().await.expect("building matrix client");
        client
            .matrix_auth()
            .login_username(user.user_id.as_str(), &user.password)
            .initial_device_display_name("confidant test peer")
            .await
            .unwrap_or_else(|e| panic!("login of {}: {e}", user.user_id));
        client
            .encryption()
            .wait_for_e2ee_initialization_tasks()
            .await;

        let (changes, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            own_user: user.user_id.clone(),
            auto_join: AtomicBool::new(options.auto_join),
            invites: Mutex::default(),
            problems: Mutex::default(),
            changes,
        });
        // The first sync uploads this device's keys; then check they arrived.
        let first = client
            .sync_once(SyncSettings::default())
            .await
            .unwrap_or_else(|e| panic!("first sync of {}: {e}", user.user_id));
        shared.on_sync(&client, &first);
        ensure_device_keys_published(&client).await;

        let tasks = vec![
            tokio::spawn(sync_loop(client.clone(), Arc::clone(&shared))),
            tokio::spawn(watch_room_keys(client.clone(), Arc::clone(&shared))),
        ];
        MatrixPeer {
            client,
            user: user.clone(),
            shared,
            tasks,
            _store: store,
        }
    }

    pub fn user_id(&self) -> &UserId {
        &self.user.user_id
    }

    /// This login's device (a new one per `login`).
    pub fn device_id(&self) -> OwnedDeviceId {
        self.client.device_id().expect("logged in").to_owned()
    }

    /// Makes new cross-signing keys for this account from this device, which they sign
    /// (as "reset your identity" in Element does); the password answers the homeserver.
    pub async fn reset_cross_signing(&self) {
        use matrix_sdk::ruma::api::client::uiaa;
        let encryption = self.client.encryption();
        let Err(e) = encryption.bootstrap_cross_signing(None).await else {
            return;
        };
        let response = e
            .as_uiaa_response()
            .unwrap_or_else(|| panic!("resetting cross-signing: {e}"));
        let mut password = uiaa::Password::new(
            uiaa::UserIdentifier::Matrix(uiaa::MatrixUserIdentifier::new(
                self.user.localpart.clone(),
            )),
            self.user.password.clone(),
        );
        password.session = response.session.clone();
        encryption
            .bootstrap_cross_signing(Some(uiaa::AuthData::Password(password)))
            .await
            .expect("resetting cross-signing with the password");
    }

    /// The underlying matrix-sdk client, for anything not wrapped here.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Turns automatic joining of invites on or off from now on.
    pub fn set_auto_join(&self, on: bool) {
        self.shared.auto_join.store(on, Ordering::SeqCst);
    }

    /// The oldest invite not yet returned by this method.
    pub async fn wait_for_invite(&self, timeout: Duration) -> Invite {
        let found = self
            .wait_until(timeout, async || {
                self.shared.invites.lock().unwrap().pending.pop_front()
            })
            .await;
        found.unwrap_or_else(|| {
            panic!(
                "{} got no invite within {timeout:?}; {}",
                self.user.user_id,
                self.shared.problems()
            )
        })
    }

    pub async fn join(&self, room_id: &RoomId) {
        self.client
            .join_room_by_id(room_id)
            .await
            .unwrap_or_else(|e| panic!("{} joining {room_id}: {e}", self.user.user_id));
    }

    /// Waits until this client's sync shows `user` as joined to `room_id`.
    ///
    /// Before sending, wait for the recipients' joins: a client encrypts only
    /// for the members it knows of, so an earlier message stays unreadable to
    /// a member whose join it had not yet seen.
    pub async fn wait_for_joined(&self, room_id: &RoomId, user: &UserId, timeout: Duration) {
        let joined = self
            .wait_until(timeout, async || {
                let room = self.client.get_room(room_id)?;
                if user == self.user_id() {
                    return (room.state() == RoomState::Joined).then_some(());
                }
                let member = room.get_member_no_sync(user).await.ok()??;
                (*member.membership() == MembershipState::Join).then_some(())
            })
            .await;
        assert!(
            joined.is_some(),
            "{} did not see {user} join {room_id} within {timeout:?}; {}",
            self.user.user_id,
            self.shared.problems()
        );
    }

    /// Waits until this client knows `user`'s device `device`, and so will
    /// share room keys with it when it next sends.
    pub async fn wait_for_device(&self, user: &UserId, device: &DeviceId, timeout: Duration) {
        let known = self
            .wait_until(timeout, async || {
                let found = self.client.encryption().get_device(user, device).await;
                found.ok().flatten().map(|_| ())
            })
            .await;
        assert!(
            known.is_some(),
            "{} did not learn of {user}'s device {device} within {timeout:?}; {}",
            self.user.user_id,
            self.shared.problems()
        );
    }

    /// Creates a private, encrypted room (not a DM) and invites `invitees`.
    pub async fn create_encrypted_room(&self, name: &str, invitees: &[&UserId]) -> OwnedRoomId {
        let mut request = create_room::v3::Request::new();
        request.name = Some(name.to_owned());
        request.preset = Some(create_room::v3::RoomPreset::PrivateChat);
        request.invite = invitees.iter().map(|u| (*u).to_owned()).collect();
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(
                RoomEncryptionEventContent::with_recommended_defaults(),
            )
            .to_raw_any(),
        ];
        let room = self
            .client
            .create_room(request)
            .await
            .unwrap_or_else(|e| panic!("{} creating room {name:?}: {e}", self.user.user_id));
        room.room_id().to_owned()
    }

    /// Creates an encrypted direct-message room with `with_user`, as Element's
    /// "Start chat" does (`is_direct`, trusted private chat).
    pub async fn create_dm(&self, with_user: &UserId) -> OwnedRoomId {
        let room =
            self.client.create_dm(with_user).await.unwrap_or_else(|e| {
                panic!("{} creating DM with {with_user}: {e}", self.user.user_id)
            });
        room.room_id().to_owned()
    }

    pub async fn invite(&self, room_id: &RoomId, user: &UserId) {
        self.room(room_id)
            .invite_user_by_id(user)
            .await
            .unwrap_or_else(|e| panic!("{} inviting {user} to {room_id}: {e}", self.user.user_id));
    }

    /// Sends a plain-text `m.room.message` (encrypted if the room is).
    pub async fn send_text(&self, room_id: &RoomId, text: &str) -> OwnedEventId {
        self.room(room_id)
            .send(RoomMessageEventContent::text_plain(text))
            .await
            .unwrap_or_else(|e| panic!("{} sending to {room_id}: {e}", self.user.user_id))
            .response
            .event_id
    }

    /// Sends an `m.room.message` with exactly this content (as a given client shapes it:
    /// an edit, a reply with its fallback, a thread message).
    pub async fn send_content(&self, room_id: &RoomId, content: Value) -> OwnedEventId {
        self.room(room_id)
            .send_raw("m.room.message", content)
            .await
            .unwrap_or_else(|e| panic!("{} sending to {room_id}: {e}", self.user.user_id))
            .response
            .event_id
    }

    /// Deletes (redacts) one of this user's events, as Element's "Remove" does.
    pub async fn redact(&self, room_id: &RoomId, event: &matrix_sdk::ruma::EventId) {
        self.room(room_id)
            .redact(event, None, None)
            .await
            .unwrap_or_else(|e| panic!("{} redacting in {room_id}: {e}", self.user.user_id));
    }

    /// Every event of the room visible to this user, oldest first, state
    /// events included, each decrypted with the keys known right now.
    pub async fn messages(&self, room_id: &RoomId) -> Vec<RoomEvent> {
        self.try_messages(room_id)
            .await
            .unwrap_or_else(|e| panic!("{} reading {room_id}: {e}", self.user.user_id))
    }

    async fn try_messages(&self, room_id: &RoomId) -> Result<Vec<RoomEvent>, String> {
        let room = self
            .client
            .get_room(room_id)
            .ok_or("room not known to this client (yet)")?;
        let mut events = Vec::new();
        let mut options = MessagesOptions::forward();
        loop {
            options.limit = 100u32.into();
            let page = room.messages(options).await.map_err(|e| e.to_string())?;
            let done = page.chunk.is_empty() || page.end.is_none();
            events.extend(page.chunk.iter().map(RoomEvent::from_timeline));
            match page.end {
                Some(end) if !done => options = MessagesOptions::forward().from(end.as_str()),
                _ => return Ok(events),
            }
        }
    }

    /// The text of every message in `room_id`, oldest first.
    pub async fn bodies(&self, room_id: &RoomId) -> Vec<String> {
        self.messages(room_id)
            .await
            .into_iter()
            .filter_map(|e| e.body)
            .collect()
    }

    /// Waits for a message in `room_id` whose text contains `needle`.
    pub async fn wait_for_text(
        &self,
        room_id: &RoomId,
        needle: &str,
        timeout: Duration,
    ) -> RoomEvent {
        self.wait_for_message(
            room_id,
            |e| e.body.as_deref().is_some_and(|b| b.contains(needle)),
            timeout,
        )
        .await
    }

    /// Waits for the next invite (a new case room, for a counsellor) and until this
    /// client has joined it, as it does by itself.
    pub async fn join_next_room(&self, timeout: Duration) -> OwnedRoomId {
        let room = self.wait_for_invite(timeout).await.room_id;
        self.wait_for_joined(&room, self.user_id(), timeout).await;
        room
    }

    /// Waits for an event of `room_id` matching `predicate`, re-reading (and
    /// re-decrypting) the room whenever sync or room keys bring news. The room
    /// may still be unknown or unreadable (not joined yet) when this starts.
    pub async fn wait_for_message(
        &self,
        room_id: &RoomId,
        predicate: impl Fn(&RoomEvent) -> bool,
        timeout: Duration,
    ) -> RoomEvent {
        let mut last = Err("not read yet".to_owned());
        let found = self
            .wait_until(timeout, async || {
                last = self.try_messages(room_id).await;
                last.as_ref().ok()?.iter().find(|e| predicate(e)).cloned()
            })
            .await;
        if let Some(event) = found {
            return event;
        }
        let seen = match last {
            Ok(events) => events
                .iter()
                .map(|e| {
                    let (kind, sender, body, utd) = (&e.event_type, &e.sender, &e.body, &e.utd);
                    format!("  {kind} from {sender:?}: body={body:?} utd={utd:?}")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => format!("  (room unreadable: {e})"),
        };
        panic!(
            "{} saw no matching event in {room_id} within {timeout:?}; {}; events seen:\n{seen}",
            self.user.user_id,
            self.shared.problems(),
        );
    }

    /// Whether the server has `m.room.encryption` state for the room.
    pub async fn is_encrypted(&self, room_id: &RoomId) -> bool {
        self.room(room_id)
            .latest_encryption_state()
            .await
            .unwrap_or_else(|e| panic!("encryption state of {room_id}: {e}"))
            .is_encrypted()
    }

    /// The room's `m.room.name`, as the server has it now.
    pub async fn room_name(&self, room_id: &RoomId) -> Option<String> {
        let request = get_state_event_for_key::v3::Request::new(
            room_id.to_owned(),
            StateEventType::RoomName,
            String::new(),
        );
        match self.client.send(request).await {
            Ok(response) => {
                let content: Value = serde_json::from_str(response.event_or_content.get())
                    .expect("m.room.name content is JSON");
                content["name"].as_str().map(str::to_owned)
            }
            Err(e) if e.client_api_error_kind() == Some(&ErrorKind::NotFound) => None,
            Err(e) => panic!("m.room.name of {room_id}: {e}"),
        }
    }

    /// The rooms the server says this user has joined.
    pub async fn joined_rooms(&self) -> Vec<OwnedRoomId> {
        self.client
            .send(joined_rooms::v3::Request::new())
            .await
            .unwrap_or_else(|e| panic!("joined rooms of {}: {e}", self.user.user_id))
            .joined_rooms
    }

    fn room(&self, room_id: &RoomId) -> Room {
        self.client.get_room(room_id).unwrap_or_else(|| {
            panic!(
                "{} does not know room {room_id} (not joined yet?)",
                self.user.user_id
            )
        })
    }

    /// Runs `check` now and after every change until it yields, or `timeout`.
    async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut check: impl AsyncFnMut() -> Option<T>,
    ) -> Option<T> {
        let deadline = Instant::now() + timeout;
        let mut changes = self.shared.changes.subscribe();
        loop {
            changes.mark_unchanged();
            if let Some(found) = check().await {
                return Some(found);
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => continue,
                Ok(Err(_)) | Err(_) => return None,
            }
        }
    }
}

impl Drop for MatrixPeer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl Shared {
    fn on_sync(self: &Arc<Self>, client: &Client, response: &SyncResponse) {
        let mut invites = self.invites.lock().unwrap();
        // Left or joined: a later invite to the same room is news again.
        for room_id in response
            .rooms
            .joined
            .keys()
            .chain(response.rooms.left.keys())
        {
            invites.known.remove(room_id);
        }
        for (room_id, invited) in &response.rooms.invited {
            if !invites.known.insert(room_id.clone()) {
                continue;
            }
            let state = invited
                .invite_state
                .events
                .iter()
                .filter_map(|e| e.deserialize_as::<Value>().ok())
                .collect();
            invites
                .pending
                .push_back(Invite::new(room_id.clone(), &self.own_user, state));
            if self.auto_join.load(Ordering::SeqCst) {
                tokio::spawn(auto_join(client.clone(), room_id.clone(), Arc::clone(self)));
            }
        }
        drop(invites);
        self.changed();
    }

    fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    fn problem(&self, problem: String) {
        self.problems.lock().unwrap().push(problem);
        self.changed();
    }

    fn problems(&self) -> String {
        let problems = self.problems.lock().unwrap();
        if problems.is_empty() {
            "no sync or join errors".to_owned()
        } else {
            format!("errors: {}", problems.join("; "))
        }
    }
}

impl Invite {
    /// Reads inviter and `is_direct` from our own member event in the state.
    fn new(room_id: OwnedRoomId, own_user: &UserId, state: Vec<Value>) -> Invite {
        let own_member = state
            .iter()
            .find(|e| e["type"] == "m.room.member" && e["state_key"] == own_user.as_str());
        let inviter = own_member.and_then(|e| serde_json::from_value(e["sender"].clone()).ok());
        let is_direct = own_member.is_some_and(|e| e["content"]["is_direct"] == true);
        Invite {
            room_id,
            inviter,
            is_direct,
            state,
        }
    }
}

/// Syncs until aborted, recording errors.
async fn sync_loop(client: Client, shared: Arc<Shared>) {
    let mut syncs = Box::pin(client.sync_stream(SyncSettings::default()).await);
    while let Some(result) = syncs.next().await {
        match result {
            Ok(response) => shared.on_sync(&client, &response),
            Err(e) => {
                shared.problem(format!("sync: {e}"));
                // Don't spin on a server that is gone.
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// Room keys can also arrive outside sync (e.g. from key backup): re-check then.
async fn watch_room_keys(client: Client, shared: Arc<Shared>) {
    let Some(keys) = client.encryption().room_keys_received_stream().await else {
        shared.problem("no olm machine: encryption is off".to_owned());
        return;
    };
    let mut keys = Box::pin(keys);
    while keys.next().await.is_some() {
        shared.changed();
    }
}

/// Joins an invited room, retrying briefly: a join can race the invite.
async fn auto_join(client: Client, room_id: OwnedRoomId, shared: Arc<Shared>) {
    const ATTEMPTS: u32 = 3;
    for attempt in 1..=ATTEMPTS {
        match client.join_room_by_id(&room_id).await {
            Ok(_) => return,
            Err(e) if attempt == ATTEMPTS => {
                shared.problem(format!("auto-join of {room_id}: {e}"));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Checks that the server lists this device's keys, syncing again if not:
/// until then nobody can encrypt for this device.
async fn ensure_device_keys_published(client: &Client) {
    let user = client.user_id().expect("logged in").to_owned();
    let device = client.device_id().expect("logged in").to_owned();
    for _ in 0..20 {
        let mut request = get_keys::v3::Request::new();
        request.device_keys.insert(user.clone(), Vec::new());
        let response = client
            .send(request)
            .await
            .unwrap_or_else(|e| panic!("querying keys of {user}: {e}"));
        if response
            .device_keys
            .get(&user)
            .is_some_and(|devices| devices.contains_key(&device))
        {
            return;
        }
        // Another sync sends any outgoing key upload the SDK still has queued.
        let settings = SyncSettings::default().timeout(Duration::from_millis(100));
        if let Err(e) = client.sync_once(settings).await {
            panic!("sync of {user} while publishing keys: {e}");
        }
    }
    panic!("the keys of {user}'s device {device} never reached the server");
}
