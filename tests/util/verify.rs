//! A counsellor verifying the bot's session from her own client (the emoji comparison,
//! as Element does it), and the operator's side through the real `confidant verify`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use matrix_sdk::encryption::verification::SasVerification;
use matrix_sdk::ruma::UserId;
use tokio::time::Instant;

use super::counsellor::MatrixPeer;

/// Asks to verify `user`'s only device, starts the emoji comparison once the other side
/// is ready, and returns it once the short authentication string can be shown.
pub async fn start_emoji_verification(
    peer: &MatrixPeer,
    user: &UserId,
    timeout: Duration,
) -> SasVerification {
    let deadline = Instant::now() + timeout;
    let device = loop {
        let devices = peer
            .client()
            .encryption()
            .get_user_devices(user)
            .await
            .expect("reading devices");
        if let Some(device) = devices.devices().next() {
            break device;
        }
        assert!(Instant::now() < deadline, "no device of {user} known");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let request = device
        .request_verification()
        .await
        .expect("requesting verification");
    while !request.is_ready() {
        assert!(
            Instant::now() < deadline && !request.is_cancelled(),
            "the verification request was not accepted: {:?}",
            request.cancel_info()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sas = request
        .start_sas()
        .await
        .expect("starting the emoji comparison")
        .expect("an emoji comparison");
    while !sas.can_be_presented() {
        assert!(
            Instant::now() < deadline && !sas.is_cancelled(),
            "the emoji comparison did not reach the keys: {:?}",
            sas.cancel_info()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sas
}

/// Waits until the comparison is done on this side.
pub async fn wait_until_done(sas: &SasVerification, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while !sas.is_done() {
        assert!(
            Instant::now() < deadline && !sas.is_cancelled(),
            "the verification did not finish: {:?}",
            sas.cancel_info()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs `confidant verify --config CONFIG ARGS...`; returns success and its output.
pub fn confidant_verify(config: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(super::checkout::confidant_binary())
        .arg("verify")
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .expect("running confidant verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Waits until the bot has put a verification on the operator's desk; returns its id
/// and the listing.
pub async fn wait_for_desk(config: &Path, timeout: Duration) -> (String, String) {
    let deadline = Instant::now() + timeout;
    loop {
        let (ok, listing) = confidant_verify(config, &["list"]);
        assert!(ok, "{listing}");
        if !listing.starts_with("no verification") {
            let id = listing.split_whitespace().next().expect("an id").to_owned();
            return (id, listing);
        }
        assert!(
            Instant::now() < deadline,
            "nothing reached the operator's desk"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
