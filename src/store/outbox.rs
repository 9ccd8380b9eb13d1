//! The persisted outbox: every message to send, written with the state change that caused
//! it, removed only once the network accepted it. Entries queue per destination (one
//! reporter chat, one case room) so order is kept per chat.

use serde::{Deserialize, Serialize};

use super::batch::Batch;
use super::codec;
use super::{Store, StoreError, T};
use crate::core::{CaseId, Output, ReporterAddress};
use crate::crypto::KeyError;

/// Keyed hash naming one queue; reveals nothing about the chat it stands for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Destination(pub [u8; 32]);

impl std::fmt::Debug for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Destination({})", hex::encode(&self.0[..4]))
    }
}

/// One message waiting to be sent.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub key: Vec<u8>,
    pub dest: Destination,
    pub seq: u64,
    /// The case whose key sealed it (`None`: the system key).
    pub case: Option<CaseId>,
    pub output: Output,
}

impl OutboxEntry {
    /// A stable id for the network's idempotency key (Matrix transaction id).
    pub fn idempotency_key(&self) -> String {
        format!("cf{}{:016x}", hex::encode(&self.dest.0[..8]), self.seq)
    }
}

/// A message a reporter received, remembered (sealed) so the bot can delete it later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRecord {
    pub to: ReporterAddress,
    pub message_id: i32,
    /// The counsellor's event the message relays, if it relays one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// In a Matrix chat, the event the message became (`message_id` is then 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Not the bot's message but the employee's own, relayed into the case room as
    /// `event_id` (never deleted by `/wipe`: it is theirs).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub employee: bool,
}

pub(super) const SYSTEM_SEALED: u8 = 0;
const CASE_SEALED: u8 = 1;

impl Store {
    pub fn destination(&self, output: &Output) -> Destination {
        let material = match output {
            Output::Reporter(m) => [b"dest:".as_slice(), &m.to.lookup_material()].concat(),
            Output::RemoveButtons { to, .. }
            | Output::EditReporter { to, .. }
            | Output::WipeReporterChat { to }
            | Output::LeaveReporterChat { to }
            | Output::EditRelayed { to, .. }
            | Output::DeleteRelayed { to, .. }
            | Output::ReporterTyping { to } => {
                [b"dest:".as_slice(), &to.lookup_material()].concat()
            }
            Output::CreateRoom(setup) => [b"dest-room:".as_slice(), &setup.case.0].concat(),
            Output::Room(post) => [b"dest-room:".as_slice(), &post.case.0].concat(),
            Output::RoomAfterErasure { case, .. } | Output::LeaveCaseRoom { case, .. } => {
                [b"dest-room:".as_slice(), &case.0].concat()
            }
            // Receipts never wait behind posts, nor posts behind them.
            Output::RoomReceipt { case, .. } => [b"dest-receipts:".as_slice(), &case.0].concat(),
            // Membership has a queue of its own: an invite at a deadline never waits
            // behind a message the homeserver is refusing or slow to take.
            Output::Invite { case, .. } | Output::Remove { case, .. } => {
                [b"dest-room-members:".as_slice(), &case.0].concat()
            }
            Output::CounsellorDm { to, .. } => [b"dest-dm:".as_slice(), to.as_bytes()].concat(),
            Output::HrNotice { room_id, .. } => {
                [b"dest-hr:".as_slice(), room_id.as_bytes()].concat()
            }
            // Files queue with the words around them, so a caption never overtakes its file.
            Output::RoomFile(file) => [b"dest-room:".as_slice(), &file.case.0].concat(),
            Output::ReporterFile(file) => {
                [b"dest:".as_slice(), &file.to.lookup_material()].concat()
            }
        };
        Destination(self.lookup_hash(&material))
    }

    /// Adds an entry to `batch`; sealed with the case key when `case` is given.
    pub(crate) fn enqueue(
        &self,
        batch: &mut Batch,
        output: &Output,
        case: Option<(CaseId, &crate::crypto::DataKey)>,
    ) -> Result<(), StoreError> {
        let dest = self.destination(output);
        let seq = self.next_id()?;
        let key = [dest.0.as_slice(), &seq.to_be_bytes()].concat();
        let aad = outbox_aad(&key);
        let value = match case {
            Some((id, data_key)) => [
                [CASE_SEALED].as_slice(),
                &id.0,
                &self.seal_json(data_key, &aad, output),
            ]
            .concat(),
            None => [
                [SYSTEM_SEALED].as_slice(),
                &self.seal_json(self.system_key(), &aad, output),
            ]
            .concat(),
        };
        batch.put(T::Outbox, key, value);
        Ok(())
    }

    /// Every destination with something waiting.
    pub fn outbox_destinations(&self) -> Result<Vec<Destination>, StoreError> {
        let tree = self.tree(T::Outbox);
        let mut out = Vec::new();
        let mut from: Vec<u8> = Vec::new();
        while let Some((key, value)) = tree.range(from.clone()..).next().transpose()? {
            let Some(dest) = key.get(..32).and_then(|b| <[u8; 32]>::try_from(b).ok()) else {
                // Too short to name a destination: set aside, or it would hide the rest.
                let error = StoreError::BadKey { what: "outbox" };
                tracing::error!(%error, "an outbox key does not decode; set aside (confidant check-store)");
                self.set_aside_raw(&key, &value, "outbox", &error)?;
                continue;
            };
            out.push(Destination(dest));
            // Jump past this destination's queue: its prefix followed by 0xff bytes.
            from = [dest.as_slice(), &[0xff; 9]].concat();
        }
        Ok(out)
    }

    /// The oldest entry for `dest`. Entries of erased cases can never be opened again;
    /// they are dropped here (the reporter withdrew, so they must not be sent). An entry
    /// that does not open (damaged, or its case's key file is) is set aside in quarantine
    /// as it is, so the queue behind it goes on.
    pub fn outbox_head(&self, dest: Destination) -> Result<Option<OutboxEntry>, StoreError> {
        loop {
            let Some((key, value)) = self
                .tree(T::Outbox)
                .scan_prefix(dest.0)
                .next()
                .transpose()?
            else {
                return Ok(None);
            };
            match self.open_entry(dest, &key, &value) {
                Ok(entry) => return Ok(Some(entry)),
                Err(StoreError::Key(KeyError::Missing(case))) => {
                    tracing::info!(?case, "dropping an undelivered message of an erased case");
                    self.remove_entry(&key)?;
                }
                Err(
                    e @ (StoreError::Sealed { .. }
                    | StoreError::Decode { .. }
                    | StoreError::BadKey { .. }
                    | StoreError::Key(KeyError::Corrupt { .. })),
                ) => {
                    tracing::error!(error = %e, ?dest, "an outbox entry does not open; set aside (confidant check-store)");
                    self.set_aside_raw(&key, &value, "outbox", &e)?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Moves a stored record that does not open into quarantine as it is (its sealed
    /// bytes and its key), in one transaction.
    pub(crate) fn set_aside_raw(
        &self,
        key: &[u8],
        value: &[u8],
        source: &str,
        error: &StoreError,
    ) -> Result<(), StoreError> {
        let item = super::Quarantined {
            at: crate::core::Timestamp::now(),
            source: source.into(),
            reason: error.to_string(),
            payload: [key, b"=", value].concat(),
        };
        let (qkey, sealed) = self.seal_quarantined(None, &item)?;
        let mut batch = Batch::default();
        batch.put(T::Quarantine, qkey, sealed);
        let tree = if source == "outbox" {
            T::Outbox
        } else {
            T::Timers
        };
        batch.remove(tree, key.to_vec());
        batch.remove(T::Attempts, key.to_vec());
        batch.apply(self)
    }

    fn remove_entry(&self, key: &[u8]) -> Result<(), StoreError> {
        let mut batch = Batch::default();
        batch.remove(T::Outbox, key.to_vec());
        batch.remove(T::Attempts, key.to_vec());
        batch.remove(T::InFlight, key.to_vec());
        batch.apply(self)
    }

    pub(super) fn open_entry(
        &self,
        dest: Destination,
        key: &[u8],
        value: &[u8],
    ) -> Result<OutboxEntry, StoreError> {
        let aad = outbox_aad(key);
        let seq = codec::seq_suffix(key)?;
        let (case, output) = match value.first() {
            Some(&CASE_SEALED) => {
                let case = codec::case_id(value.get(1..17).ok_or(StoreError::BadKey {
                    what: "outbox value",
                })?)?;
                let data_key = self.case_key(case)?;
                (
                    Some(case),
                    self.open_json(&data_key, &aad, &value[17..], "outbox")?,
                )
            }
            Some(&SYSTEM_SEALED) => (
                None,
                self.open_json(self.system_key(), &aad, &value[1..], "outbox")?,
            ),
            _ => {
                return Err(StoreError::BadKey {
                    what: "outbox value",
                });
            }
        };
        Ok(OutboxEntry {
            key: key.to_vec(),
            dest,
            seq,
            case,
            output,
        })
    }

    /// The network accepted `entry`: remove it, and remember what later work needs
    /// (the case room's id, a sent Telegram message), and queue what was to follow it (an
    /// invite's messages), all in one transaction.
    pub fn complete(&self, entry: &OutboxEntry, done: Delivered) -> Result<Completed, StoreError> {
        let mut batch = Batch::default();
        batch.remove(T::Outbox, entry.key.clone());
        batch.remove(T::InFlight, entry.key.clone());
        batch.remove(T::Attempts, entry.key.clone());
        let mut completed = Completed::default();
        if let (Output::Invite { then, .. }, Some(case)) = (&entry.output, entry.case)
            && !then.is_empty()
        {
            match self.case_key(case) {
                Ok(key) => {
                    for output in then {
                        self.enqueue(&mut batch, output, Some((case, &key)))?;
                    }
                    completed.outbox_added = then.len();
                }
                // Erased meanwhile: nobody to tell.
                Err(KeyError::Missing(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        // A relayed counsellor message that reached the employee's network: Element is
        // told, with a read receipt on the counsellor's event.
        if let (Output::Reporter(message), Some(case)) = (&entry.output, entry.case)
            && let Some(source) = &message.source
            && matches!(
                done,
                Delivered::ReporterMessage(_) | Delivered::RoomEvent { .. }
            )
        {
            let key = self.case_key(case)?;
            let receipt = Output::RoomReceipt {
                case,
                event: source.clone(),
            };
            self.enqueue(&mut batch, &receipt, Some((case, &key)))?;
            completed.outbox_added += 1;
        }
        // A message Telegram confirmed: the high-water mark rises now, ahead of the batch
        // (a mark a little early is still a true one), but the id becomes *known* only
        // with the batch that completes the entry. Known ids are never asked about, so a
        // kill between the two would leave the entry in flight with its own message
        // known: the probe would skip the very id and send it again (the 50-kill test
        // met this in CI, twice).
        if let Delivered::ReporterMessage(record) = &done
            && matches!(record.to, ReporterAddress::Telegram { .. })
            && record.message_id > 0
        {
            self.note_telegram_message_in(&mut batch, record.message_id)?;
        }
        match (done, entry.case) {
            (Delivered::RoomCreated { room_id }, Some(case)) => {
                let key = self.case_key(case)?;
                batch.put(
                    T::CaseRooms,
                    case.0,
                    self.seal_json(&key, &codec::aad(b"case-room", case, &[]), &room_id),
                );
                batch.put(
                    T::Rooms,
                    self.lookup_hash(&codec::room_material(&room_id)),
                    case.0,
                );
            }
            (Delivered::ReporterMessage(record), Some(case)) => {
                let key = self.case_key(case)?;
                let seq = self.next_id()?;
                let aad = codec::aad(b"sent", case, &seq.to_be_bytes());
                batch.put(
                    T::Sent,
                    codec::case_seq(case, seq),
                    self.seal_json(&key, &aad, &record),
                );
            }
            (Delivered::RoomEvent { event_id }, case) => {
                // The employee's message relayed into the room: remembered, so that a
                // counsellor's reply to it answers it in their chat, and an edit of it
                // edits this event.
                if let (Output::Room(post), Some(case)) = (&entry.output, case)
                    && let Some(from) = post.from_message.as_ref().filter(|m| !m.edit)
                {
                    let key = self.case_key(case)?;
                    let seq = self.next_id()?;
                    let aad = codec::aad(b"sent", case, &seq.to_be_bytes());
                    let record = SentRecord {
                        to: from.from.clone(),
                        message_id: from.id,
                        source: None,
                        event_id: Some(event_id.clone()),
                        employee: true,
                    };
                    batch.put(
                        T::Sent,
                        codec::case_seq(case, seq),
                        self.seal_json(&key, &aad, &record),
                    );
                }
                // A relayed message in an employee's Matrix chat is remembered, so an
                // edit or deletion of it can follow it.
                if let (Output::Reporter(message), Some(case)) = (&entry.output, case)
                    && message.source.is_some()
                {
                    let key = self.case_key(case)?;
                    let seq = self.next_id()?;
                    let aad = codec::aad(b"sent", case, &seq.to_be_bytes());
                    let record = SentRecord {
                        to: message.to.clone(),
                        message_id: 0,
                        source: message.source.clone(),
                        event_id: Some(event_id.clone()),
                        employee: false,
                    };
                    batch.put(
                        T::Sent,
                        codec::case_seq(case, seq),
                        self.seal_json(&key, &aad, &record),
                    );
                }
                // The bot's own events come back in sync; marking them handled skips them.
                batch.put(
                    T::Handled,
                    self.lookup_hash(event_id.as_bytes()),
                    codec::day_stamp(),
                );
            }
            _ => {}
        }
        match batch.apply(self) {
            Err(StoreError::Key(KeyError::Missing(_))) => Ok(completed),
            other => other.map(|()| completed),
        }
    }

    /// The network refused `entry` for good (e.g. the reporter blocked the bot): keep it,
    /// sealed as it was, out of the queue so later messages are not held up.
    pub fn dead_letter(&self, entry: &OutboxEntry) -> Result<(), StoreError> {
        let mut batch = Batch::default();
        batch.remove(T::InFlight, entry.key.clone());
        batch.remove(T::Attempts, entry.key.clone());
        if let Some(value) = self.tree(T::Outbox).get(&entry.key)? {
            batch.put(T::DeadLetters, entry.key.clone(), value.to_vec());
        }
        batch.remove(T::Outbox, entry.key.clone());
        batch.apply(self)
    }

    /// The network answered that it did not take the entry: no doubt remains.
    pub fn clear_in_flight(&self, entry: &OutboxEntry) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.tree(T::InFlight).remove(&entry.key)?;
        Ok(())
    }

    /// Every outbox entry's network (for `/metrics`): Telegram, Matrix, and entries that
    /// do not open.
    pub fn outbox_by_network(&self) -> Result<(u64, u64, u64), StoreError> {
        let (mut telegram, mut matrix, mut unreadable) = (0, 0, 0);
        for item in self.tree(T::Outbox).iter() {
            let (key, value) = item?;
            let Some(dest) = key.get(..32).and_then(|b| <[u8; 32]>::try_from(b).ok()) else {
                unreadable += 1;
                continue;
            };
            match self.open_entry(Destination(dest), &key, &value) {
                Ok(entry) => match entry.output.channel() {
                    crate::core::ChannelKind::Telegram => telegram += 1,
                    crate::core::ChannelKind::Matrix => matrix += 1,
                },
                Err(_) => unreadable += 1,
            }
        }
        Ok((telegram, matrix, unreadable))
    }

    pub fn outbox_len(&self) -> usize {
        self.tree(T::Outbox).len()
    }

    pub fn dead_letter_count(&self) -> usize {
        self.tree(T::DeadLetters).len()
    }

    /// The ids of the messages delivered to chat `to` of `case` (for `/wipe`).
    pub fn messages_sent_to(
        &self,
        case: CaseId,
        to: &ReporterAddress,
    ) -> Result<Vec<i32>, StoreError> {
        Ok(self
            .sent_messages(case)?
            .into_iter()
            .filter(|sent| &sent.to == to && !sent.employee)
            .map(|sent| sent.message_id)
            .collect())
    }

    /// The employee's message in `to`'s chat that the room event `event` relays.
    pub fn employee_message_relayed_as(
        &self,
        case: CaseId,
        to: &ReporterAddress,
        event: &str,
    ) -> Result<Option<i32>, StoreError> {
        Ok(self
            .sent_messages(case)?
            .into_iter()
            .find(|sent| sent.employee && &sent.to == to && sent.event_id.as_deref() == Some(event))
            .map(|sent| sent.message_id))
    }

    /// The room event that relays the employee's message `id` in `to`'s chat.
    pub fn room_event_relaying(
        &self,
        case: CaseId,
        to: &ReporterAddress,
        id: i32,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .sent_messages(case)?
            .into_iter()
            .find(|sent| sent.employee && &sent.to == to && sent.message_id == id)
            .and_then(|sent| sent.event_id))
    }

    /// The messages in `to`'s chat that relay the counsellor's event `source`.
    pub fn relaying(
        &self,
        case: CaseId,
        to: &ReporterAddress,
        source: &str,
    ) -> Result<Vec<SentRecord>, StoreError> {
        Ok(self
            .sent_messages(case)?
            .into_iter()
            .filter(|sent| &sent.to == to && sent.source.as_deref() == Some(source))
            .collect())
    }

    /// The Telegram messages in `to`'s chat that relay the counsellor's event `source`.
    pub fn messages_relaying(
        &self,
        case: CaseId,
        to: &ReporterAddress,
        source: &str,
    ) -> Result<Vec<i32>, StoreError> {
        Ok(self
            .relaying(case, to, source)?
            .into_iter()
            .map(|sent| sent.message_id)
            .collect())
    }

    /// Messages delivered to the reporters of `case` (for deleting them later).
    pub fn sent_messages(&self, case: CaseId) -> Result<Vec<SentRecord>, StoreError> {
        let key = self.case_key(case)?;
        let mut out = Vec::new();
        for item in self.tree(T::Sent).scan_prefix(case.0) {
            let (k, sealed) = item?;
            let aad = codec::aad(b"sent", case, &codec::seq_suffix(&k)?.to_be_bytes());
            out.push(self.open_json(&key, &aad, &sealed, "sent message")?);
        }
        Ok(out)
    }
}

/// What completing a delivery queued.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Completed {
    /// Entries that were to follow this one (an invite's messages).
    pub outbox_added: usize,
}

/// What the network gave back for a delivered entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    Nothing,
    RoomCreated { room_id: String },
    ReporterMessage(SentRecord),
    RoomEvent { event_id: String },
}

pub(super) fn outbox_aad(key: &[u8]) -> Vec<u8> {
    [b"confidant/v1/outbox/".as_slice(), key].concat()
}
