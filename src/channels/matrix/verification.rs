//! Letting a counsellor verify the bot from Element (the emoji comparison), so that a
//! counsellor whose client encrypts only for verified sessions can still talk with it.
//!
//! Requests come to-device (verifying the bot's session) or in a room (verifying the
//! bot's account); only counsellors on the roster are answered, so no reporter's Matrix
//! id ever reaches the desk or the log. The bot accepts, agrees to the emoji method and,
//! when the short authentication string is known, puts it on the operator's desk
//! ([`crate::app::verification_desk`]) and waits: the bot's side is confirmed only
//! when the operator has typed what the counsellor sees and it matched.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use matrix_sdk::Client;
use matrix_sdk::encryption::verification::{
    SasState, SasVerification, VerificationRequest, VerificationRequestState,
};
use matrix_sdk::ruma::UserId;
use matrix_sdk::ruma::events::key::verification::request::ToDeviceKeyVerificationRequestEvent;
use matrix_sdk::ruma::events::room::message::{MessageType, OriginalSyncRoomMessageEvent};

use crate::app::verification_desk::{Decision, Desk, Waiting};
use crate::core::settings::Roster;

/// The protocol lets a verification wait ten minutes; the operator gets a little less.
const OPERATOR_WAIT: Duration = Duration::from_secs(9 * 60);

/// Starts answering verification requests (the handlers run within the sync loop's
/// `sync_once`; each verification then runs in a task of its own).
pub fn listen(client: &Client, roster: Arc<Roster>, data_dir: PathBuf) {
    let desk = Arc::new(Desk::new(&data_dir));
    {
        let roster = roster.clone();
        let desk = desk.clone();
        client.add_event_handler(
            move |event: ToDeviceKeyVerificationRequestEvent, client: Client| {
                let roster = roster.clone();
                let desk = desk.clone();
                async move {
                    let flow = event.content.transaction_id.to_string();
                    answer(client, roster, desk, &event.sender, &flow).await;
                }
            },
        );
    }
    client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, client: Client| {
        let roster = roster.clone();
        let desk = desk.clone();
        async move {
            if let MessageType::VerificationRequest(_) = &event.content.msgtype {
                let flow = event.event_id.to_string();
                answer(client, roster, desk, &event.sender, &flow).await;
            }
        }
    });
}

async fn answer(client: Client, roster: Arc<Roster>, desk: Arc<Desk>, sender: &UserId, flow: &str) {
    let Some(request) = client
        .encryption()
        .get_verification_request(sender, flow)
        .await
    else {
        return;
    };
    if roster.find(sender.as_str()).is_none() {
        tracing::info!("a verification request from someone not on the roster was declined");
        let _ = request.cancel().await;
        return;
    }
    tracing::info!("a counsellor asks to verify the bot; accepting");
    tokio::spawn(run_request(request, desk));
}

async fn run_request(request: VerificationRequest, desk: Arc<Desk>) {
    if let Err(e) = request.accept().await {
        tracing::warn!(error = %e, "cannot accept a verification request");
        return;
    }
    let mut changes = request.changes();
    while let Some(state) = changes.next().await {
        match state {
            VerificationRequestState::Transitioned { verification } => {
                match verification.sas() {
                    Some(sas) => run_sas(sas, Desk::id_of(request.flow_id()), desk).await,
                    None => {
                        tracing::info!("a verification by QR code was declined: only emoji");
                        let _ = request.cancel().await;
                    }
                }
                return;
            }
            VerificationRequestState::Done | VerificationRequestState::Cancelled(_) => return,
            _ => {}
        }
    }
}

async fn run_sas(sas: SasVerification, id: String, desk: Arc<Desk>) {
    if let Err(e) = sas.accept().await {
        tracing::warn!(error = %e, "cannot accept an emoji verification");
        return;
    }
    let mut changes = sas.changes();
    while let Some(state) = changes.next().await {
        match state {
            SasState::KeysExchanged { emojis, decimals } => {
                let waiting = Waiting {
                    id: id.clone(),
                    counsellor: sas.other_user_id().to_string(),
                    emoji: emojis
                        .map(|e| {
                            e.emojis
                                .iter()
                                .map(|e| (e.symbol.to_owned(), e.description.to_owned()))
                                .collect()
                        })
                        .unwrap_or_default(),
                    decimals: [decimals.0, decimals.1, decimals.2],
                };
                if let Err(e) = desk.post(&waiting) {
                    tracing::error!(error = %e, "cannot put a verification on the operator's desk");
                    let _ = sas.cancel().await;
                    break;
                }
                tracing::info!(
                    id,
                    "a counsellor is verifying the bot: compare with `confidant verify list`, then `confidant verify confirm {id} ...`"
                );
                match wait_for_operator(&desk, &id).await {
                    Some(Decision::Confirmed) => {
                        if let Err(e) = sas.confirm().await {
                            tracing::warn!(error = %e, "cannot confirm a verification");
                        }
                    }
                    Some(Decision::Rejected) => {
                        tracing::warn!(
                            id,
                            "the operator rejected a verification: the emoji did not match"
                        );
                        let _ = sas.mismatch().await;
                    }
                    None => {
                        tracing::warn!(
                            id,
                            "no operator answered a verification in time; cancelled"
                        );
                        let _ = sas.cancel().await;
                    }
                }
            }
            SasState::Done { .. } => {
                tracing::info!(id, "a counsellor verified the bot");
                break;
            }
            SasState::Cancelled(_) => {
                tracing::info!(id, "a verification was cancelled");
                break;
            }
            _ => {}
        }
    }
    desk.clear(&id);
}

/// Waits for the operator's decision on the desk, up to [`OPERATOR_WAIT`].
async fn wait_for_operator(desk: &Desk, id: &str) -> Option<Decision> {
    let deadline = tokio::time::Instant::now() + OPERATOR_WAIT;
    while tokio::time::Instant::now() < deadline {
        if let Some(decision) = desk.decision(id) {
            return Some(decision);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    None
}
