//! Sending outbox entries to Matrix: creating case rooms (encrypted, private, named by
//! the token alone) and posting in them with the entry's id as transaction id, so a
//! retried send after a crash is recognised by the homeserver and not doubled.
//!
//! At most `matrix.max_requests_in_flight` deliveries talk to the homeserver at once,
//! served in the order they asked (a fair semaphore), so a burst of new cases queues
//! instead of opening hundreds of connections whose timeouts turn into retries.
//!
//! `createRoom` has no transaction id. A room is created with an alias derived from the
//! case (a keyed hash: it tells nobody which case); if an earlier attempt's answer was
//! lost (a timeout, a crash), the homeserver refuses the alias as taken and the bot
//! resolves it to the room it already made, instead of making a second one.

use std::time::Duration;

use matrix_sdk::config::RequestConfig;
use matrix_sdk::ruma::api::client::room::create_room::v3::{
    Request as CreateRoomRequest, RoomPreset,
};
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::events::{InitialStateEvent, Mentions};
use matrix_sdk::ruma::{OwnedRoomAliasId, OwnedRoomId, OwnedTransactionId, OwnedUserId, RoomId};

use super::Matrix;
use super::errors::{classify, classify_http, classify_invite};
use crate::app::DeliveryError;
use crate::core::io::Refusal;
use crate::core::{Output, ReporterAddress, RoomPost, RoomPostKind, RoomSetup};
use crate::store::{Delivered, OutboxEntry, Store};
use crate::watchdog::Pulse;

/// The bot's own sends: no retries inside the SDK (which would hold a request slot while
/// it sleeps out a rate limit); the delivery worker retries, with the server's wait.
fn once() -> RequestConfig {
    RequestConfig::new().disable_retry()
}

pub(super) fn transient(reason: impl std::fmt::Display) -> DeliveryError {
    DeliveryError::Transient {
        reason: reason.to_string(),
        retry_after: None,
    }
}

/// Whether `user` is in `room` or invited to it, as far as the bot's client knows.
pub(super) async fn is_in(room: &matrix_sdk::Room, user: &matrix_sdk::ruma::UserId) -> bool {
    room.get_member_no_sync(user)
        .await
        .ok()
        .flatten()
        .is_some_and(|m| {
            matches!(
                m.membership(),
                MembershipState::Join | MembershipState::Invite
            )
        })
}

fn user_id(id: &str) -> Result<OwnedUserId, DeliveryError> {
    OwnedUserId::try_from(id).map_err(|_| DeliveryError::Permanent {
        reason: "malformed user id".into(),
        refusal: Refusal::UnknownUser,
    })
}

/// Whether delivering `output` posts an event (not repeatable) rather than changing
/// membership or creating a room (repeatable: checked first, or found by alias).
fn posts_an_event(output: &Output) -> bool {
    matches!(
        output,
        Output::Room(_)
            | Output::Reporter(_)
            | Output::CounsellorDm { .. }
            | Output::RoomAfterErasure { .. }
            | Output::HrNotice { .. }
            | Output::RoomFile(_)
            | Output::ReporterFile(_)
            | Output::EditRelayed { .. }
    )
}

/// Where the store keeps the bot's direct chat with `counsellor` (a keyed hash: the
/// store names nobody).
pub(super) fn digest_room_name(store: &Store, counsellor: &str) -> String {
    format!(
        "dm-room:{}",
        hex::encode(store.lookup_hash(counsellor.as_bytes()))
    )
}

/// A homeserver's wait longer than this is cut short (and the limit met again).
const MAX_THROTTLE_WAIT: Duration = Duration::from_secs(600);

impl Matrix {
    pub async fn deliver(
        &self,
        store: &Store,
        entry: &OutboxEntry,
        pulse: &Pulse,
    ) -> Result<Delivered, DeliveryError> {
        // Waiting for a turn is no stall: the pulse rests meanwhile.
        pulse.idle();
        if matches!(
            entry.output,
            Output::CreateRoom(_) | Output::CounsellorDm { .. }
        ) {
            self.wait_out_room_throttle().await;
        }
        let _turn = self.requests.acquire().await.ok();
        pulse.progress();
        if posts_an_event(&entry.output) {
            // The event's transaction id is the entry's: a replayed input would make a new
            // entry, and a second event. The entry was read before this flush was asked
            // for, so the flush covers it.
            store.flush().await.map_err(transient)?;
        }
        match &entry.output {
            Output::CreateRoom(setup) => self.create_case_room(store, setup).await,
            Output::Room(post) => {
                let room_id = self.case_room_id(store, post.case)?;
                self.keep_closed_by_id(store, post.case, &room_id).await?;
                self.post(store, &room_id, post, entry).await
            }
            Output::Reporter(message) => match &message.to {
                ReporterAddress::Matrix { room_id } => {
                    // A relayed message edited or deleted before it went out goes as
                    // it now stands.
                    let Some(message) =
                        store.as_it_stands(entry.case, message).map_err(transient)?
                    else {
                        return Ok(Delivered::Nothing);
                    };
                    let content = match message.html {
                        Some(html) => RoomMessageEventContent::text_html(message.text, html),
                        None => RoomMessageEventContent::text_plain(message.text),
                    };
                    self.send(room_id, content, entry).await
                }
                ReporterAddress::Telegram { .. } => {
                    Err(DeliveryError::refused("not a Matrix chat"))
                }
            },
            // Both check the membership first, so a retried delivery changes nothing.
            Output::Invite { case, user, .. } => {
                let room = self.case_room(store, *case)?;
                let user = user_id(user)?;
                if !is_in(&room, &user).await {
                    // Synapse takes an invitation for a local account that does not
                    // exist; its profile lookup says so (404), and an invite that can
                    // never be accepted must not pass for one that went out.
                    if let Err(e) = self.client.account().fetch_user_profile_of(&user).await
                        && let DeliveryError::Permanent {
                            refusal: Refusal::UnknownUser,
                            reason,
                        } = classify_invite(&e)
                    {
                        return Err(DeliveryError::Permanent {
                            reason,
                            refusal: Refusal::UnknownUser,
                        });
                    }
                    room.invite_user_by_id(&user)
                        .await
                        .map_err(|e| classify_invite(&e))?;
                }
                Ok(Delivered::Nothing)
            }
            Output::Remove { case, user } => {
                let room = self.case_room(store, *case)?;
                let user = user_id(user)?;
                if is_in(&room, &user).await {
                    room.kick_user(&user, None)
                        .await
                        .map_err(|e| classify(&e))?;
                    // Whoever leaves gets nothing new: the next post has a fresh key,
                    // shared from a member list that no longer has them.
                    self.wait_until_gone(&room, std::slice::from_ref(&user))
                        .await?;
                    room.discard_room_key().await.map_err(|e| classify(&e))?;
                }
                Ok(Delivered::Nothing)
            }
            Output::RoomReceipt { case, event } => {
                let room = self.case_room(store, *case)?;
                let event = matrix_sdk::ruma::OwnedEventId::try_from(event.as_str())
                    .map_err(|_| DeliveryError::refused("malformed event id"))?;
                room.send_single_receipt(
                    matrix_sdk::ruma::api::client::receipt::create_receipt::v3::ReceiptType::Read,
                    matrix_sdk::ruma::events::receipt::ReceiptThread::Unthreaded,
                    event,
                )
                .await
                .map_err(|e| classify(&e))?;
                Ok(Delivered::Nothing)
            }
            Output::LeaveCaseRoom { room_id, .. } => match room_id {
                Some(room_id) => self.leave_for_good(store, room_id).await,
                None => Ok(Delivered::Nothing),
            },
            Output::EditRelayed {
                to, source, text, ..
            } => self.edit_relayed(store, entry, to, source, text).await,
            Output::DeleteRelayed { to, source } => {
                self.delete_relayed(store, entry, to, source).await
            }
            Output::ReporterTyping { to } => {
                if let ReporterAddress::Matrix { room_id } = to
                    && let Ok(id) = <&RoomId>::try_from(room_id.as_str())
                    && let Some(room) = self.client.get_room(id)
                {
                    let _ = room.typing_notice(true).await;
                }
                Ok(Delivered::Nothing)
            }
            Output::LeaveReporterChat { to } => match to {
                ReporterAddress::Matrix { room_id } => self.leave_for_good(store, room_id).await,
                ReporterAddress::Telegram { .. } => Ok(Delivered::Nothing),
            },
            Output::CounsellorDm { to, text } => {
                let room_id = self.dm_room(store, to).await?;
                let content = RoomMessageEventContent::notice_plain(text.clone())
                    .add_mentions(Mentions::with_user_ids([user_id(to)?]));
                self.send(&room_id, content, entry).await
            }
            Output::RoomAfterErasure { room_id, text, .. } => {
                let content = RoomMessageEventContent::notice_plain(text.clone());
                self.send(room_id, content, entry).await
            }
            Output::HrNotice { room_id, text } => {
                self.join_hr_room(room_id).await?;
                let content = RoomMessageEventContent::notice_plain(text.clone());
                self.send(room_id, content, entry).await
            }
            // Matrix reporters get numbered text, never buttons, so there is nothing to edit;
            // the bot does not keep their event ids, so `/wipe` tells them to leave the chat.
            Output::RemoveButtons { .. }
            | Output::EditReporter { .. }
            | Output::WipeReporterChat { .. } => Ok(Delivered::Nothing),
            Output::RoomFile(file) => {
                let room_id = self.case_room_id(store, file.case)?;
                self.keep_closed_by_id(store, file.case, &room_id).await?;
                self.send_file(store, &room_id, &file.file, &file.caption, entry)
                    .await
            }
            Output::ReporterFile(file) => match &file.to {
                ReporterAddress::Matrix { room_id } => {
                    self.send_file(store, room_id, &file.file, &file.caption, entry)
                        .await
                }
                ReporterAddress::Telegram { .. } => {
                    Err(DeliveryError::refused("not a Matrix chat"))
                }
            },
        }
    }

    /// The case room's id. When the case's record of it does not open (a damaged key
    /// file), the room is found among the rooms the bot is in through the room index,
    /// which needs no case key: the room can still be told the case cannot be opened.
    fn case_room_id(
        &self,
        store: &Store,
        case: crate::core::CaseId,
    ) -> Result<String, DeliveryError> {
        match store.room_of(case) {
            Ok(Some(room_id)) => Ok(room_id),
            Ok(None) => Err(transient("the case room does not exist yet")),
            Err(error) => self
                .client
                .joined_rooms()
                .into_iter()
                .map(|room| room.room_id().to_string())
                .find(|id| matches!(store.case_for_room(id), Ok(Some(c)) if c == case))
                .ok_or_else(|| transient(error)),
        }
    }

    fn case_room(
        &self,
        store: &Store,
        case: crate::core::CaseId,
    ) -> Result<matrix_sdk::Room, DeliveryError> {
        let room_id = self.case_room_id(store, case)?;
        let room_id: OwnedRoomId = <&RoomId>::try_from(room_id.as_str())
            .map_err(|_| DeliveryError::refused("malformed room id"))?
            .to_owned();
        self.client
            .get_room(&room_id)
            .ok_or_else(|| transient("the room is not known to the client yet"))
    }

    /// The bot's direct chat with a counsellor (for the digest), created on first use
    /// and remembered, sealed, in the store.
    async fn dm_room(&self, store: &Store, counsellor: &str) -> Result<String, DeliveryError> {
        let name = digest_room_name(store, counsellor);
        if let Some(room) = store.get_secret(&name).map_err(transient)? {
            return Ok(String::from_utf8_lossy(&room).into_owned());
        }
        let mut request = CreateRoomRequest::new();
        request.invite = vec![user_id(counsellor)?];
        request.is_direct = true;
        request.preset = Some(RoomPreset::TrustedPrivateChat);
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(
                RoomEncryptionEventContent::with_recommended_defaults(),
            )
            .to_raw_any(),
        ];
        let alias = [b"dm-room-alias:".as_slice(), counsellor.as_bytes()].concat();
        let room_id = self.create_room_once(store, request, &alias).await?;
        store
            .put_secret(&name, room_id.as_bytes())
            .map_err(transient)?;
        Ok(room_id)
    }

    /// Waits while the homeserver has asked the bot to stop creating rooms for a while.
    async fn wait_out_room_throttle(&self) {
        let until = *self
            .rooms_throttled_until
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }

    /// The full alias, on the bot's own server, of a room created under `local`.
    pub(super) fn room_alias(&self, local: &str) -> Option<OwnedRoomAliasId> {
        OwnedRoomAliasId::try_from(format!("#{local}:{}", self.own_user_id.server_name())).ok()
    }

    /// Creates a room with an alias made from `alias_material`; if the alias is taken, an
    /// earlier attempt created the room, which is returned instead.
    async fn create_room_once(
        &self,
        store: &Store,
        mut request: CreateRoomRequest,
        alias_material: &[u8],
    ) -> Result<String, DeliveryError> {
        let local = format!(
            "cf-{}",
            hex::encode(&store.lookup_hash(alias_material)[..12])
        );
        request.room_alias_name = Some(local.clone());
        // Marked, so that a room made twice despite the alias is known for what it is.
        request
            .initial_state
            .push(super::duplicates::marker(&local));
        match self.client.send(request).with_request_config(once()).await {
            Ok(created) => Ok(created.room_id.to_string()),
            Err(e) if matches!(e.client_api_error_kind(), Some(ErrorKind::RoomInUse)) => {
                let alias = self
                    .room_alias(&local)
                    .ok_or_else(|| DeliveryError::refused("malformed room alias"))?;
                let found = self
                    .client
                    .resolve_room_alias(&alias)
                    .await
                    .map_err(|e| classify_http(&e))?;
                tracing::info!("a room created before a lost answer was found again by its alias");
                Ok(found.room_id.to_string())
            }
            Err(e) => {
                let error = classify_http(&e);
                if let DeliveryError::Transient {
                    retry_after: Some(wait),
                    ..
                } = &error
                    && matches!(e.client_api_error_kind(), Some(ErrorKind::LimitExceeded(_)))
                {
                    let until = tokio::time::Instant::now() + (*wait).min(MAX_THROTTLE_WAIT);
                    *self
                        .rooms_throttled_until
                        .lock()
                        .unwrap_or_else(|p| p.into_inner()) = Some(until);
                }
                Err(error)
            }
        }
    }

    /// Creates the case room, or finds the one an interrupted earlier attempt created.
    async fn create_case_room(
        &self,
        store: &Store,
        setup: &RoomSetup,
    ) -> Result<Delivered, DeliveryError> {
        let invite: Vec<OwnedUserId> = setup
            .invite
            .iter()
            .filter_map(|id| id.as_str().try_into().ok())
            .collect();
        let mut request = CreateRoomRequest::new();
        request.name = Some(setup.name.clone());
        request.topic = Some(setup.topic.clone());
        request.invite = invite;
        request.preset = Some(RoomPreset::PrivateChat);
        // Closed by construction: only the bot may bring anyone in or change who reads.
        request.power_level_content_override = Some(super::members::case_room_power_levels());
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(
                RoomEncryptionEventContent::with_recommended_defaults(),
            )
            .to_raw_any(),
        ];
        let alias = [b"case-room-alias:".as_slice(), &setup.case.0].concat();
        let room_id = self.create_room_once(store, request, &alias).await?;
        tracing::info!(case = ?setup.case, "case room created");
        Ok(Delivered::RoomCreated { room_id })
    }

    /// The room with this id, as the bot's client knows it (a room it does not know yet
    /// is a passing state: the next sync brings it).
    /// The HR room is the organisation's: HR invites the bot (it never invites itself),
    /// and the bot joins the first time it has something to post there with consent.
    async fn join_hr_room(&self, room_id: &str) -> Result<(), DeliveryError> {
        let id = <&RoomId>::try_from(room_id)
            .map_err(|_| DeliveryError::refused("malformed room id"))?;
        let joined = self
            .client
            .get_room(id)
            .is_some_and(|room| room.state() == matrix_sdk::RoomState::Joined);
        if !joined {
            self.client
                .join_room_by_id(id)
                .await
                .map_err(|e| classify(&e))?;
        }
        Ok(())
    }

    pub(super) fn known_room(&self, room_id: &str) -> Result<matrix_sdk::Room, DeliveryError> {
        let room_id: OwnedRoomId = <&RoomId>::try_from(room_id)
            .map_err(|_| DeliveryError::refused("malformed room id"))?
            .to_owned();
        self.client
            .get_room(&room_id)
            .ok_or_else(|| transient("the room is not known to the client yet"))
    }

    /// [`Matrix::keep_closed`] for the room with this id (when the client knows it; a
    /// room it does not know yet cannot take the post either, which says so).
    async fn keep_closed_by_id(
        &self,
        store: &Store,
        case: crate::core::CaseId,
        room_id: &str,
    ) -> Result<(), DeliveryError> {
        let Ok(id) = <&RoomId>::try_from(room_id) else {
            return Ok(());
        };
        match self.client.get_room(id) {
            Some(room) => self.keep_closed(store, case, &room).await,
            None => Ok(()),
        }
    }

    /// Leaves a room of an erased case for good: the bot's side of its room key is
    /// discarded, the room left and forgotten (state, members, cached events), and its
    /// room keys removed from the crypto store. Each step may be repeated.
    async fn leave_for_good(
        &self,
        store: &Store,
        room_id: &str,
    ) -> Result<Delivered, DeliveryError> {
        let id: OwnedRoomId = <&RoomId>::try_from(room_id)
            .map_err(|_| DeliveryError::refused("malformed room id"))?
            .to_owned();
        if let Some(room) = self.client.get_room(&id) {
            if matches!(
                room.state(),
                matrix_sdk::RoomState::Joined | matrix_sdk::RoomState::Invited
            ) {
                let _ = room.discard_room_key().await;
                room.leave().await.map_err(|e| classify(&e))?;
            }
            // The room keys go below whatever the homeserver says to forgetting; a
            // passing failure is tried again.
            if let Err(e) = room.forget().await {
                match classify(&e) {
                    error @ DeliveryError::Transient { .. } => return Err(error),
                    DeliveryError::Permanent { reason, .. } => {
                        tracing::warn!(reason, "the homeserver would not forget a left room")
                    }
                }
            }
        }
        super::direct::unregister(store, room_id).map_err(transient)?;
        let crypto = self.crypto_store.clone();
        let room_id = room_id.to_owned();
        let removed = tokio::task::spawn_blocking(move || crypto.purge_room(&room_id))
            .await
            .map_err(transient)?
            .map_err(transient)?;
        tracing::info!(
            removed,
            "left a room of an erased case and removed its keys"
        );
        Ok(Delivered::Nothing)
    }

    async fn post(
        &self,
        store: &Store,
        room_id: &str,
        post: &RoomPost,
        entry: &OutboxEntry,
    ) -> Result<Delivered, DeliveryError> {
        let mut content = match (post.kind, &post.html) {
            (RoomPostKind::Notice, _) => RoomMessageEventContent::notice_plain(post.text.clone()),
            (RoomPostKind::Relay, Some(html)) => {
                RoomMessageEventContent::text_html(post.text.clone(), html.clone())
            }
            (RoomPostKind::Relay, None) => RoomMessageEventContent::text_plain(post.text.clone()),
        };
        if !post.mentions.is_empty() {
            let users: Vec<OwnedUserId> = post
                .mentions
                .iter()
                .filter_map(|id| id.as_str().try_into().ok())
                .collect();
            content = content.add_mentions(Mentions::with_user_ids(users));
        }
        // The employee edited a message relayed here: the relay itself changes.
        if let Some(from) = post.from_message.as_ref().filter(|m| m.edit)
            && let Some(original) = store
                .room_event_relaying(post.case, &from.from, from.id)
                .map_err(transient)?
                .and_then(|e| matrix_sdk::ruma::OwnedEventId::try_from(e).ok())
        {
            content = content.make_replacement(
                matrix_sdk::ruma::events::room::message::ReplacementMetadata::new(original, None),
            );
        }
        // An answer to a command asked in a thread goes into that thread.
        if let Some(root) = post
            .thread
            .as_deref()
            .and_then(|t| matrix_sdk::ruma::OwnedEventId::try_from(t).ok())
        {
            content.relates_to = Some(matrix_sdk::ruma::events::room::message::Relation::Thread(
                matrix_sdk::ruma::events::relation::Thread::without_fallback(root),
            ));
        }
        self.send(room_id, content, entry).await
    }

    async fn send(
        &self,
        room_id: &str,
        content: RoomMessageEventContent,
        entry: &OutboxEntry,
    ) -> Result<Delivered, DeliveryError> {
        let room = self.known_room(room_id)?;
        let txn_id: OwnedTransactionId = entry.idempotency_key().into();
        let sent = room
            .send(content)
            .with_transaction_id(txn_id)
            .with_request_config(once())
            .await
            .map_err(|e| classify(&e))?;
        Ok(Delivered::RoomEvent {
            event_id: sent.response.event_id.to_string(),
        })
    }
}
