//! Sending outbox entries to Matrix: creating case rooms (encrypted, private, named by
//! the token alone) and posting in them with the entry's id as transaction id, so a
//! retried send after a crash is recognised by the homeserver and not doubled.

use matrix_sdk::ruma::api::client::room::create_room::v3::{
    Request as CreateRoomRequest, RoomPreset,
};
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::events::{InitialStateEvent, Mentions};
use matrix_sdk::ruma::{OwnedRoomId, OwnedTransactionId, OwnedUserId, RoomId};

use super::Matrix;
use crate::app::DeliveryError;
use crate::core::{Output, ReporterAddress, RoomPost, RoomPostKind, RoomSetup};
use crate::store::{Delivered, OutboxEntry, Store};

fn transient(reason: impl std::fmt::Display) -> DeliveryError {
    DeliveryError::Transient {
        reason: reason.to_string(),
        retry_after: None,
    }
}

/// Whether `user` is in `room` or invited to it, as far as the bot's client knows.
async fn is_in(room: &matrix_sdk::Room, user: &matrix_sdk::ruma::UserId) -> bool {
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
    OwnedUserId::try_from(id).map_err(|_| permanent("malformed user id"))
}

fn permanent(reason: impl Into<String>) -> DeliveryError {
    DeliveryError::Permanent {
        reason: reason.into(),
    }
}

impl Matrix {
    pub async fn deliver(
        &self,
        store: &Store,
        entry: &OutboxEntry,
    ) -> Result<Delivered, DeliveryError> {
        match &entry.output {
            Output::CreateRoom(setup) => self.create_case_room(setup).await,
            Output::Room(post) => {
                let room_id = store
                    .room_of(post.case)
                    .map_err(transient)?
                    .ok_or_else(|| transient("the case room does not exist yet"))?;
                self.post(&room_id, post, entry).await
            }
            Output::Reporter(message) => match &message.to {
                ReporterAddress::Matrix { room_id } => {
                    let content = RoomMessageEventContent::text_plain(message.text.clone());
                    self.send(room_id, content, entry).await
                }
                ReporterAddress::Telegram { .. } => Err(permanent("not a Matrix chat")),
            },
            // Both check the membership first, so a retried delivery changes nothing.
            Output::Invite { case, user } => {
                let room = self.case_room(store, *case)?;
                let user = user_id(user)?;
                if !is_in(&room, &user).await {
                    room.invite_user_by_id(&user).await.map_err(transient)?;
                }
                Ok(Delivered::Nothing)
            }
            Output::Remove { case, user } => {
                let room = self.case_room(store, *case)?;
                let user = user_id(user)?;
                if is_in(&room, &user).await {
                    room.kick_user(&user, None).await.map_err(transient)?;
                }
                Ok(Delivered::Nothing)
            }
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
            // Matrix reporters get numbered text, never buttons, so there is nothing to edit;
            // the bot does not keep their event ids, so `/wipe` tells them to leave the chat.
            Output::RemoveButtons { .. }
            | Output::EditReporter { .. }
            | Output::WipeReporterChat { .. } => Ok(Delivered::Nothing),
            Output::RoomFile(file) => {
                let room_id = store
                    .room_of(file.case)
                    .map_err(transient)?
                    .ok_or_else(|| transient("the case room does not exist yet"))?;
                self.send_file(store, &room_id, &file.file, &file.caption, entry)
                    .await
            }
            Output::ReporterFile(file) => match &file.to {
                ReporterAddress::Matrix { room_id } => {
                    self.send_file(store, room_id, &file.file, &file.caption, entry)
                        .await
                }
                ReporterAddress::Telegram { .. } => Err(permanent("not a Matrix chat")),
            },
        }
    }

    fn case_room(
        &self,
        store: &Store,
        case: crate::core::CaseId,
    ) -> Result<matrix_sdk::Room, DeliveryError> {
        let room_id = store
            .room_of(case)
            .map_err(transient)?
            .ok_or_else(|| transient("the case room does not exist yet"))?;
        let room_id: OwnedRoomId = <&RoomId>::try_from(room_id.as_str())
            .map_err(|_| permanent("malformed room id"))?
            .to_owned();
        self.client
            .get_room(&room_id)
            .ok_or_else(|| transient("the room is not known to the client yet"))
    }

    /// The bot's direct chat with a counsellor (for the digest), created on first use
    /// and remembered, sealed, in the store.
    async fn dm_room(&self, store: &Store, counsellor: &str) -> Result<String, DeliveryError> {
        let name = format!(
            "dm-room:{}",
            hex::encode(store.lookup_hash(counsellor.as_bytes()))
        );
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
        let room = self.client.create_room(request).await.map_err(transient)?;
        let room_id = room.room_id().to_string();
        store
            .put_secret(&name, room_id.as_bytes())
            .map_err(transient)?;
        Ok(room_id)
    }

    /// Creates the case room, or finds the one an interrupted earlier attempt created.
    async fn create_case_room(&self, setup: &RoomSetup) -> Result<Delivered, DeliveryError> {
        if let Some(room) = self
            .client
            .joined_rooms()
            .into_iter()
            .find(|r| r.name().as_deref() == Some(setup.name.as_str()))
        {
            return Ok(Delivered::RoomCreated {
                room_id: room.room_id().to_string(),
            });
        }
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
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(
                RoomEncryptionEventContent::with_recommended_defaults(),
            )
            .to_raw_any(),
        ];
        let room = self.client.create_room(request).await.map_err(transient)?;
        tracing::info!(case = ?setup.case, "case room created");
        Ok(Delivered::RoomCreated {
            room_id: room.room_id().to_string(),
        })
    }

    async fn post(
        &self,
        room_id: &str,
        post: &RoomPost,
        entry: &OutboxEntry,
    ) -> Result<Delivered, DeliveryError> {
        let mut content = match post.kind {
            RoomPostKind::Notice => RoomMessageEventContent::notice_plain(post.text.clone()),
            RoomPostKind::Relay => RoomMessageEventContent::text_plain(post.text.clone()),
        };
        if !post.mentions.is_empty() {
            let users: Vec<OwnedUserId> = post
                .mentions
                .iter()
                .filter_map(|id| id.as_str().try_into().ok())
                .collect();
            content = content.add_mentions(Mentions::with_user_ids(users));
        }
        self.send(room_id, content, entry).await
    }

    async fn send(
        &self,
        room_id: &str,
        content: RoomMessageEventContent,
        entry: &OutboxEntry,
    ) -> Result<Delivered, DeliveryError> {
        let room_id: OwnedRoomId = <&RoomId>::try_from(room_id)
            .map_err(|_| permanent("malformed room id"))?
            .to_owned();
        let room = self
            .client
            .get_room(&room_id)
            .ok_or_else(|| transient("the room is not known to the client yet"))?;
        let txn_id: OwnedTransactionId = entry.idempotency_key().into();
        let sent = room
            .send(content)
            .with_transaction_id(txn_id)
            .await
            .map_err(transient)?;
        Ok(Delivered::RoomEvent {
            event_id: sent.response.event_id.to_string(),
        })
    }
}
