//! Case rooms closed by construction: created with power levels in which only the bot
//! may invite, remove, ban or change the room's settings, and checked before anything is
//! posted: whoever is in the room (joined or invited) and is neither the bot nor a
//! counsellor the bot brought into the case is removed first, and the room key rotated.
//!
//! The check reads the same local member list matrix-sdk shares room keys from, so
//! nobody it has not yet seen receives a key, and nobody it has seen stays to get one.

use std::time::Duration;

use matrix_sdk::ruma::api::client::membership::get_member_events;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::power_levels::RoomPowerLevelsEventContent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{OwnedUserId, UserId};
use matrix_sdk::{Room, RoomMemberships};

use super::Matrix;
use super::errors::classify;
use super::outbound::transient;
use crate::app::DeliveryError;
use crate::core::CaseId;
use crate::store::{Store, StoreError};

/// How long a removal may take to show in the bot's member list before a post waits.
const REMOVAL_SHOWS_WITHIN: Duration = Duration::from_secs(10);

/// The power levels a case room is created with: everyone but the bot at 0; every
/// membership change and every setting that decides who reads the room needs 100. The
/// bot, as the room's creator, holds 100 (room versions before 12 list it in `users`
/// by default) or more (from version 12, creators stand above every level and may not
/// be listed), so `users` is left to the homeserver.
pub fn case_room_power_levels()
-> Raw<matrix_sdk::ruma::api::client::room::create_room::RoomPowerLevelsContentOverride> {
    let content = serde_json::json!({
        "users_default": 0,
        "events_default": 0,
        "state_default": 100,
        "invite": 100,
        "kick": 100,
        "ban": 100,
        "redact": 100,
        "events": {
            "m.room.power_levels": 100,
            "m.room.encryption": 100,
            "m.room.history_visibility": 100,
            "m.room.join_rules": 100,
            "m.room.name": 100,
            "m.room.topic": 100,
            "m.room.avatar": 100,
            "m.room.canonical_alias": 100,
            "m.room.server_acl": 100,
            "m.room.tombstone": 100,
        },
    });
    Raw::new(&content)
        .expect("power levels serialise")
        .cast_unchecked()
}

/// Whether power levels let nobody but the bot invite or remove anyone (a room made
/// before case rooms were closed by construction lets members invite).
pub fn is_closed(levels: &RoomPowerLevelsEventContent, bot: &UserId) -> bool {
    let others_max = levels
        .users
        .iter()
        .filter(|(user, _)| user.as_ref() as &UserId != bot)
        .map(|(_, level)| *level)
        .chain(std::iter::once(levels.users_default))
        .max()
        .unwrap_or(levels.users_default);
    levels.invite > others_max && levels.kick > others_max && levels.ban > others_max
}

impl Matrix {
    /// Removes anyone in the case room the bot did not bring into the case, before
    /// anything is posted there; the room key is rotated after a removal, so they get
    /// nothing new. A removal that fails, or has not shown yet, holds the post back.
    pub(super) async fn keep_closed(
        &self,
        store: &Store,
        case: CaseId,
        room: &Room,
    ) -> Result<(), DeliveryError> {
        let allowed = match store.load_case(case) {
            Ok(Some(case)) => {
                let mut allowed = case.members;
                allowed.extend(case.counsellor);
                allowed
            }
            // Nothing of the case can be shown to anyone then: the notices a damaged or
            // erased case still sends say only that.
            Ok(None) | Err(StoreError::CaseUnreadable { .. }) => return Ok(()),
            Err(e) => return Err(transient(e)),
        };
        self.close_if_open(room).await;
        let present = self.members_now(room).await?;
        let outsiders: Vec<OwnedUserId> = present
            .into_iter()
            .filter(|user| *user != self.own_user_id && !allowed.iter().any(|a| a == user))
            .collect();
        if outsiders.is_empty() {
            return Ok(());
        }
        for user in &outsiders {
            // Any failure (already gone, a slow server) is tried again with the post.
            room.kick_user(user, None).await.map_err(|e| {
                transient(format!(
                    "removing someone from a case room: {}",
                    super::errors::describe(&e)
                ))
            })?;
        }
        self.wait_until_gone(room, &outsiders).await?;
        room.discard_room_key().await.map_err(|e| classify(&e))?;
        tracing::warn!(
            ?case,
            removed = outsiders.len(),
            "someone the bot did not bring into a case room was removed before a post"
        );
        Ok(())
    }

    /// Who is in the room or invited, as the homeserver says now together with what
    /// the bot's client knows: its sync may lag behind a join (after a restart, say), and
    /// the homeserver's word is what counts before a post.
    async fn members_now(&self, room: &Room) -> Result<Vec<OwnedUserId>, DeliveryError> {
        let mut request = get_member_events::v3::Request::new(room.room_id().to_owned());
        request.not_membership = Some(MembershipState::Leave);
        let response = self
            .client
            .send(request)
            .await
            .map_err(|e| super::errors::classify_http(&e))?;
        let mut present: Vec<OwnedUserId> = response
            .chunk
            .iter()
            .filter_map(|raw| raw.deserialize().ok())
            .filter(|event| {
                matches!(
                    event.membership(),
                    MembershipState::Join | MembershipState::Invite
                )
            })
            .map(|event| event.state_key().to_owned())
            .collect();
        let known = room
            .members_no_sync(RoomMemberships::JOIN | RoomMemberships::INVITE)
            .await
            .map_err(|e| classify(&e))?;
        for member in known {
            if !present.iter().any(|p| p == member.user_id()) {
                present.push(member.user_id().to_owned());
            }
        }
        Ok(present)
    }

    /// A case room made before rooms were closed by construction gets the closed power
    /// levels the first time something is posted in it.
    async fn close_if_open(&self, room: &Room) {
        let Ok(levels) = room.power_levels().await else {
            return;
        };
        let Ok(mut content) = RoomPowerLevelsEventContent::try_from(levels) else {
            return;
        };
        if is_closed(&content, &self.own_user_id) {
            return;
        }
        let closed: RoomPowerLevelsEventContent =
            match serde_json::from_str(case_room_power_levels().json().get()) {
                Ok(closed) => closed,
                Err(_) => return,
            };
        content.invite = closed.invite;
        content.kick = closed.kick;
        content.ban = closed.ban;
        content.redact = closed.redact;
        content.state_default = closed.state_default;
        content.events.extend(closed.events);
        match room.send_state_event(content).await {
            Ok(_) => tracing::info!("an older case room was closed: only the bot may invite now"),
            Err(e) => tracing::warn!(
                error = %super::errors::describe(&e),
                "an older case room could not be closed"
            ),
        }
    }

    /// Waits until the bot's member list shows `users` out of the room (the sync loop
    /// brings the removal in); room keys are shared from that list.
    pub(super) async fn wait_until_gone(
        &self,
        room: &Room,
        users: &[OwnedUserId],
    ) -> Result<(), DeliveryError> {
        let deadline = tokio::time::Instant::now() + REMOVAL_SHOWS_WITHIN;
        loop {
            let mut still = false;
            for user in users {
                if super::outbound::is_in(room, user).await {
                    still = true;
                }
            }
            if !still {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(transient("a removal has not shown in the member list yet"));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use matrix_sdk::ruma::events::room::power_levels::RoomPowerLevelsEventContent;
    use matrix_sdk::ruma::room_version_rules::AuthorizationRules;
    use matrix_sdk::ruma::user_id;

    use super::{case_room_power_levels, is_closed};

    #[test]
    fn case_rooms_let_only_the_bot_invite_remove_and_change_settings() {
        let bot = user_id!("@confidant:example.org");
        let raw = case_room_power_levels();
        let json: serde_json::Value = serde_json::from_str(raw.json().get()).unwrap();
        assert_eq!(json["invite"], 100);
        assert_eq!(json["kick"], 100);
        assert_eq!(json["ban"], 100);
        assert_eq!(json["state_default"], 100);
        for event in [
            "m.room.power_levels",
            "m.room.encryption",
            "m.room.history_visibility",
            "m.room.name",
            "m.room.topic",
        ] {
            assert_eq!(json["events"][event], 100, "{event}");
        }
        // The creator's level is the homeserver's to set (room version 12 refuses it).
        assert!(json["users"].is_null());
        assert_eq!(json["users_default"], 0);
        let levels: RoomPowerLevelsEventContent =
            serde_json::from_value(json).expect("valid power levels");
        assert!(is_closed(&levels, bot));
    }

    #[test]
    fn the_private_chat_default_is_not_closed() {
        let bot = user_id!("@confidant:example.org");
        let mut levels = RoomPowerLevelsEventContent::new(&AuthorizationRules::V1);
        levels.users.insert(bot.to_owned(), 100.into());
        // The preset's default: invite at 0, so any member may bring someone in.
        levels.invite = 0.into();
        assert!(!is_closed(&levels, bot));
    }
}
