//! The test harness itself: a real Synapse starts, registers users by shared
//! secret, and two matrix-sdk clients talk end-to-end encrypted through it.

use std::time::Duration;

use crate::util::counsellor::{MatrixPeer, PeerOptions};
use crate::util::room_event::RoomEvent;
use crate::util::synapse::{Synapse, loopback_http_client};

/// Only there to turn a hang into a failure; no timing is asserted.
const PATIENCE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_secret_registration_creates_users_of_this_server() {
    let synapse = Synapse::start().await;
    let admin = synapse.register("admin", "admin-password", true).await;
    let user = synapse.register("alice", "alice-password", false).await;
    assert_eq!(
        user.user_id.as_str(),
        format!("@alice:{}", synapse.server_name())
    );
    assert_eq!(admin.user_id.server_name(), synapse.server_name());

    let whoami: serde_json::Value = loopback_http_client()
        .get(format!(
            "{}/_matrix/client/v3/account/whoami",
            synapse.base_url()
        ))
        .bearer_auth(&user.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(whoami["user_id"], user.user_id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_shared_secret_is_refused_with_a_clear_error() {
    let synapse = Synapse::start().await;
    let error = synapse
        .register_with_secret("not-the-secret", "mallory", "password", true)
        .await
        .expect_err("registration with a wrong secret must fail");
    let message = format!("{error:#}");
    assert!(message.contains("mallory"), "{message}");
    assert!(message.contains("403"), "{message}");
    assert!(message.contains("HMAC incorrect"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_of_logins_are_not_rate_limited() {
    let synapse = Synapse::start().await;
    let user = synapse.register("bob", "bob-password", false).await;
    let http = loopback_http_client();
    // Synapse's default allows 5 logins per account before throttling.
    for attempt in 0..12 {
        let response = http
            .post(format!("{}/_matrix/client/v3/login", synapse.base_url()))
            .json(&serde_json::json!({
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": "bob"},
                "password": if attempt % 2 == 0 { "wrong" } else { &user.password },
            }))
            .send()
            .await
            .unwrap();
        let expected = if attempt % 2 == 0 { 403 } else { 200 };
        assert_eq!(
            response.status().as_u16(),
            expected,
            "login attempt {attempt}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_talk_end_to_end_encrypted() {
    let synapse = Synapse::start().await;
    let alice = synapse.register("alice", "alice-password", false).await;
    let bob = synapse.register("bob", "bob-password", false).await;
    let alice = MatrixPeer::login(&synapse, &alice).await;
    let bob = MatrixPeer::login(&synapse, &bob).await;

    let room = alice
        .create_encrypted_room("case 17", &[bob.user_id()])
        .await;
    // Keys go to invited members too (history is shared), as a bot posting a
    // case right after inviting the counsellor relies on.
    alice.send_text(&room, "sent while bob is invited").await;
    let invite = bob.wait_for_invite(PATIENCE).await;
    assert_eq!(invite.room_id, room);
    assert_eq!(invite.inviter.as_deref(), Some(alice.user_id()));
    assert!(!invite.is_direct);
    // Bob auto-joins.
    bob.wait_for_joined(&room, bob.user_id(), PATIENCE).await;
    alice.wait_for_joined(&room, bob.user_id(), PATIENCE).await;

    assert!(alice.is_encrypted(&room).await);
    assert!(bob.is_encrypted(&room).await);
    assert_eq!(bob.room_name(&room).await.as_deref(), Some("case 17"));
    assert_eq!(bob.joined_rooms().await, vec![room.clone()]);

    let sent = alice.send_text(&room, "hello from alice").await;
    let got = bob
        .wait_for_message(
            &room,
            |e| e.body.as_deref() == Some("hello from alice"),
            PATIENCE,
        )
        .await;
    assert_eq!(got.event_id.as_ref(), Some(&sent));
    assert_eq!(got.sender.as_deref(), Some(alice.user_id()));
    assert!(got.was_encrypted, "sent in the clear: {:?}", got.raw);

    bob.send_text(&room, "hello from bob").await;
    let got = alice
        .wait_for_message(
            &room,
            |e| e.body.as_deref() == Some("hello from bob"),
            PATIENCE,
        )
        .await;
    assert_eq!(got.sender.as_deref(), Some(bob.user_id()));
    assert!(got.was_encrypted);

    // Both see the whole history decrypted, state events included.
    for peer in [&alice, &bob] {
        let events = peer.messages(&room).await;
        assert!(events.iter().all(|e| e.utd.is_none()), "{events:#?}");
        let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
        for expected in [
            "m.room.create",
            "m.room.member",
            "m.room.name",
            "m.room.encryption",
        ] {
            assert!(
                types.contains(&expected),
                "{expected} missing from {types:?}"
            );
        }
        let bodies: Vec<&str> = events.iter().filter_map(|e| e.body.as_deref()).collect();
        assert_eq!(
            bodies,
            [
                "sent while bob is invited",
                "hello from alice",
                "hello from bob"
            ]
        );
        assert!(events.iter().any(|e| e.mentions("case 17")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invites_wait_when_auto_join_is_off_and_dms_are_encrypted() {
    let synapse = Synapse::start().await;
    let alice = synapse.register("alice", "alice-password", false).await;
    let bob = synapse.register("bob", "bob-password", false).await;
    let alice = MatrixPeer::login(&synapse, &alice).await;
    let manual = PeerOptions {
        auto_join: false,
        ..PeerOptions::default()
    };
    let bob = MatrixPeer::login_with(&synapse, &bob, manual).await;

    let room = alice.create_dm(bob.user_id()).await;
    let invite = bob.wait_for_invite(PATIENCE).await;
    assert_eq!(invite.room_id, room);
    assert!(invite.is_direct);
    assert!(
        bob.joined_rooms().await.is_empty(),
        "joined without being asked"
    );

    bob.join(&room).await;
    alice.wait_for_joined(&room, bob.user_id(), PATIENCE).await;
    assert!(bob.is_encrypted(&room).await);
    assert_eq!(bob.room_name(&room).await, None);

    bob.send_text(&room, "a reporter writes").await;
    let got = alice
        .wait_for_message(
            &room,
            |e| e.body.as_deref() == Some("a reporter writes"),
            PATIENCE,
        )
        .await;
    assert!(got.was_encrypted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecryptable_history_is_surfaced_and_later_messages_decrypt() {
    let synapse = Synapse::start().await;
    let alice = synapse.register("alice", "alice-password", false).await;
    let bob_user = synapse.register("bob", "bob-password", false).await;
    let alice = MatrixPeer::login(&synapse, &alice).await;
    let bob = MatrixPeer::login(&synapse, &bob_user).await;
    let room = alice
        .create_encrypted_room("history", &[bob.user_id()])
        .await;
    alice.wait_for_joined(&room, bob.user_id(), PATIENCE).await;
    let before = alice.send_text(&room, "before the new device").await;
    bob.wait_for_message(&room, |e| e.event_id.as_ref() == Some(&before), PATIENCE)
        .await;

    // A second device of Bob's was not around when the key was shared, and
    // nobody forwards it to an unverified device: it cannot read the message.
    let new_device = MatrixPeer::login(&synapse, &bob_user).await;
    let old = new_device
        .wait_for_message(&room, |e| e.event_id.as_ref() == Some(&before), PATIENCE)
        .await;
    assert_eq!(old.event_type, "m.room.encrypted");
    assert!(old.utd.is_some(), "{old:?}");
    assert_eq!(old.body, None);
    assert!(!old.mentions("before the new device"));

    // Once Alice knows the device, her next message is readable on it.
    alice
        .wait_for_device(bob.user_id(), &new_device.device_id(), PATIENCE)
        .await;
    alice.send_text(&room, "after the new device").await;
    let new = new_device
        .wait_for_message(
            &room,
            |e| e.body.as_deref() == Some("after the new device"),
            PATIENCE,
        )
        .await;
    assert!(new.was_encrypted && new.utd.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn excluding_insecure_devices_shuts_out_a_device_without_cross_signing() {
    let synapse = Synapse::start().await;
    let careful = synapse.register("careful", "careful-password", false).await;
    let signed = synapse.register("signed", "signed-password", false).await;
    let unsigned = synapse
        .register("unsigned", "unsigned-password", false)
        .await;
    let careful_options = PeerOptions {
        exclude_insecure_devices: true,
        ..PeerOptions::default()
    };
    let careful = MatrixPeer::login_with(&synapse, &careful, careful_options).await;
    let signed = MatrixPeer::login(&synapse, &signed).await;
    let unsigned_options = PeerOptions {
        cross_signing: false,
        ..PeerOptions::default()
    };
    let unsigned = MatrixPeer::login_with(&synapse, &unsigned, unsigned_options).await;

    let room = careful
        .create_encrypted_room("strict", &[signed.user_id(), unsigned.user_id()])
        .await;
    for peer in [&signed, &unsigned] {
        careful
            .wait_for_joined(&room, peer.user_id(), PATIENCE)
            .await;
    }

    // A cross-signed device reads and is read; an unsigned one neither: the
    // careful side withholds its key ("m.unverified") and refuses the
    // unsigned device's messages.
    let utd_with = |reason: &'static str| {
        move |e: &RoomEvent| e.utd.as_deref().is_some_and(|utd| utd.contains(reason))
    };
    careful.send_text(&room, "from careful").await;
    signed
        .wait_for_message(
            &room,
            |e| e.body.as_deref() == Some("from careful"),
            PATIENCE,
        )
        .await;
    unsigned
        .wait_for_message(&room, utd_with("m.unverified"), PATIENCE)
        .await;

    signed.send_text(&room, "from signed").await;
    careful
        .wait_for_message(
            &room,
            |e| e.body.as_deref() == Some("from signed"),
            PATIENCE,
        )
        .await;
    let from_unsigned = unsigned.send_text(&room, "from unsigned").await;
    let at_careful = careful
        .wait_for_message(&room, utd_with("UnsignedDevice"), PATIENCE)
        .await;
    assert_eq!(at_careful.event_id, Some(from_unsigned));
    assert!(!at_careful.mentions("from unsigned"));
    // The unsigned device does read what it sent itself.
    assert!(
        unsigned
            .messages(&room)
            .await
            .iter()
            .any(|e| e.body.as_deref() == Some("from unsigned"))
    );
}
