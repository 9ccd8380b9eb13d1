//! Writing what one input caused, atomically: the case record, its lookups and timers,
//! new transcript records, the outbox entries, shared state, and the acknowledgement
//! marker (Telegram offset, Matrix event id, fired timer) that makes handling exactly-once.

use std::collections::BTreeSet;

use super::batch::Batch;
use super::codec;
use super::{META_TELEGRAM_OFFSET, Store, StoreError, T};
use crate::core::{Case, CaseChange, CaseId, Effects, Output, Shared};
use crate::crypto::{DataKey, seal};

/// What marks the input as handled, written in the same transaction as its effects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ack {
    None,
    /// Telegram: the `offset` to poll with next (this update's id + 1).
    TelegramOffset(i32),
    /// Matrix: the event id, so a redelivered or backfilled event is skipped.
    MatrixEvent(String),
    /// The scheduler: the index key of the timer that fired.
    Timer(Vec<u8>),
}

pub struct Commit<'a> {
    /// The case as loaded before handling (its timers and reporters are indexed).
    pub before: Option<&'a Case>,
    pub effects: &'a Effects,
    /// Shared state, when the input changed it.
    pub shared: Option<&'a Shared>,
    pub ack: Ack,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CommitReport {
    /// A case whose records are gone; its key must be destroyed once this is flushed.
    pub erased: Option<CaseId>,
    pub outbox_added: usize,
    pub timers_changed: bool,
}

impl Store {
    pub fn commit(&self, commit: Commit<'_>) -> Result<CommitReport, StoreError> {
        self.commit_with(commit, None)
    }

    /// As [`Store::commit`] for an input that is set aside instead of handled: `item`
    /// goes into quarantine (sealed with `case`'s key, or the system key) in the same
    /// transaction as the acknowledgement and whatever `commit` says to tell people.
    pub fn commit_set_aside(
        &self,
        commit: Commit<'_>,
        case: Option<CaseId>,
        item: &super::Quarantined,
    ) -> Result<CommitReport, StoreError> {
        self.commit_with(commit, Some((case, item)))
    }

    fn commit_with(
        &self,
        commit: Commit<'_>,
        set_aside: Option<(Option<CaseId>, &super::Quarantined)>,
    ) -> Result<CommitReport, StoreError> {
        let mut batch = Batch::default();
        // Commits are made one at a time (the engine's turn), so reading and raising the
        // generation cannot race. (Not sled's generate_id: it flushes now and then, and
        // only the flusher may flush.)
        let generation = super::watermark::read_stored(self.tree(T::Meta))?.saturating_add(1);
        batch.put(
            T::Meta,
            super::META_GENERATION,
            generation.to_be_bytes().to_vec(),
        );
        let mut report = CommitReport::default();
        if let Some((case, item)) = set_aside {
            let (key, sealed) = self.seal_quarantined(case, item)?;
            batch.put(T::Quarantine, key, sealed);
        }
        match commit.ack {
            Ack::None => {}
            Ack::TelegramOffset(offset) => {
                batch.put(T::Meta, META_TELEGRAM_OFFSET, offset.to_be_bytes().to_vec())
            }
            Ack::MatrixEvent(id) => batch.put(
                T::Handled,
                self.lookup_hash(id.as_bytes()),
                codec::day_stamp(),
            ),
            Ack::Timer(key) => {
                batch.remove(T::Timers, key);
                report.timers_changed = true;
            }
        }
        let sealing: Option<(CaseId, DataKey)> = match &commit.effects.case {
            CaseChange::Save(case) => {
                let key = self.keyring().get_or_create(case.id)?;
                report.timers_changed |= self.save_case(&mut batch, commit.before, case, &key);
                if commit.effects.drop_transcript {
                    // The dossier goes: its words and the files that came with them.
                    for tree in [T::Transcript, T::Files] {
                        for key in self.tree(tree).scan_prefix(case.id.0).keys() {
                            batch.remove(tree, key?.to_vec());
                        }
                    }
                }
                for entry in &commit.effects.transcript {
                    let aad = codec::aad(b"transcript", case.id, &entry.seq.to_be_bytes());
                    batch.put(
                        T::Transcript,
                        codec::case_seq(case.id, entry.seq),
                        self.seal_json(&key, &aad, entry),
                    );
                }
                for file in &commit.effects.files {
                    let aad = codec::aad(b"file", case.id, &file.seq.to_be_bytes());
                    batch.put(
                        T::Files,
                        codec::case_seq(case.id, file.seq),
                        seal(&key, &aad, file.bytes.bytes()),
                    );
                }
                Some((case.id, key))
            }
            CaseChange::Erase(case) => {
                self.erase_case(&mut batch, commit.before, case)?;
                report.erased = Some(case.id);
                report.timers_changed = true;
                None
            }
            CaseChange::Unchanged => match commit.before {
                Some(case) => Some((case.id, self.case_key(case.id)?)),
                None => None,
            },
        };
        let erasing = matches!(commit.effects.case, CaseChange::Erase(_));
        for output in &commit.effects.outputs {
            let Some(output) = self.resolve(output, erasing)? else {
                continue;
            };
            // An edit or deletion of a relayed message reaches it even before it is sent.
            if let Some((case, key)) = &sealing {
                match &output {
                    Output::EditRelayed { source, text, .. } => self.mark_superseded(
                        &mut batch,
                        *case,
                        key,
                        source,
                        &super::Superseded::Edited(text.clone()),
                    ),
                    Output::DeleteRelayed { source, .. } => self.mark_superseded(
                        &mut batch,
                        *case,
                        key,
                        source,
                        &super::Superseded::Deleted,
                    ),
                    _ => {}
                }
            }
            self.enqueue(
                &mut batch,
                &output,
                sealing.as_ref().map(|(id, key)| (*id, key)),
            )?;
        }
        report.outbox_added = commit.effects.outputs.len();
        if let Some((kind, at)) = commit.effects.system_timer {
            // One timer per system kind: the previous one (remembered in Meta) goes.
            let name = [
                b"system-timer:".as_slice(),
                &serde_json::to_vec(&kind).unwrap_or_default(),
            ]
            .concat();
            if let Some(previous) = self.tree(T::Meta).get(&name)? {
                batch.remove(T::Timers, previous.to_vec());
            }
            let key = codec::timer_key(at, CaseId::SYSTEM, kind);
            batch.put(T::Timers, key.clone(), Vec::new());
            batch.put(T::Meta, name, key);
            report.timers_changed = true;
        }
        if let Some((id, record)) = &commit.effects.registration {
            self.put_registration(&mut batch, *id, record);
        }
        if let Some(shared) = commit.shared {
            batch.put(
                T::Meta,
                super::META_SHARED,
                self.seal_json(self.system_key(), super::META_SHARED, shared),
            );
        }
        batch.apply(self)?;
        Ok(report)
    }

    /// Fills in what only the store knows, while it still can: the room of a case being
    /// erased (its record goes with the case). `None`: nothing to send.
    fn resolve(&self, output: &Output, erasing: bool) -> Result<Option<Output>, StoreError> {
        Ok(match output {
            Output::Room(post) if erasing => {
                self.room_of(post.case)?
                    .map(|room_id| Output::RoomAfterErasure {
                        case: post.case,
                        room_id,
                        text: post.text.clone(),
                    })
            }
            // Only an erased case's room is left, and only once the bot knows it.
            Output::LeaveCaseRoom { case, .. } if erasing => {
                self.room_of(*case)?.map(|room_id| Output::LeaveCaseRoom {
                    case: *case,
                    room_id: Some(room_id),
                })
            }
            Output::LeaveCaseRoom { .. } => None,
            other => Some(other.clone()),
        })
    }

    /// Destroys the key of an erased case. Call only after the commit is flushed, so a
    /// crash in between leaves an orphan key (swept at start) rather than live records.
    pub fn destroy_case_key(&self, case: CaseId) -> Result<(), StoreError> {
        Ok(self.keyring().destroy(case)?)
    }

    /// Returns whether the timer index changed.
    fn save_case(
        &self,
        batch: &mut Batch,
        before: Option<&Case>,
        case: &Case,
        key: &DataKey,
    ) -> bool {
        batch.put(
            T::Cases,
            case.id.0,
            self.seal_json(key, &codec::aad(b"case", case.id, &[]), case),
        );
        for reporter in &case.reporters {
            batch.put(
                T::Lookup,
                self.lookup_hash(&reporter.lookup_material()),
                case.id.0,
            );
        }
        // Once the token is given out, `/resume` can find the case by it.
        if case.submitted_at.is_some() {
            batch.put(
                T::Lookup,
                self.lookup_hash(&token_material(&case.token)),
                case.id.0,
            );
        }
        let mut changed = false;
        if let Some(before) = before.filter(|b| b.id == case.id) {
            for (kind, at) in &before.timers {
                if case.timers.get(kind) != Some(at) {
                    batch.remove(T::Timers, codec::timer_key(*at, case.id, *kind));
                    changed = true;
                }
            }
        }
        let old = before.filter(|b| b.id == case.id).map(|b| &b.timers);
        for (kind, at) in &case.timers {
            if old.and_then(|t| t.get(kind)) != Some(at) {
                batch.put(T::Timers, codec::timer_key(*at, case.id, *kind), Vec::new());
                changed = true;
            }
        }
        changed
    }

    fn erase_case(
        &self,
        batch: &mut Batch,
        before: Option<&Case>,
        case: &Case,
    ) -> Result<(), StoreError> {
        batch.remove(T::Cases, case.id.0);
        batch.remove(T::Lookup, self.lookup_hash(&token_material(&case.token)));
        for reporter in &case.reporters {
            let hash = self.lookup_hash(&reporter.lookup_material());
            if self.tree(T::Lookup).get(hash)?.as_deref() == Some(case.id.0.as_slice()) {
                batch.remove(T::Lookup, hash);
            }
        }
        if let Ok(Some(room)) = self.room_of(case.id) {
            batch.remove(T::Rooms, self.lookup_hash(&codec::room_material(&room)));
        }
        batch.remove(T::CaseRooms, case.id.0);
        self.drop_superseded(batch, case.id)?;
        for tree in [T::Transcript, T::Sent, T::Files] {
            for key in self.tree(tree).scan_prefix(case.id.0).keys() {
                batch.remove(tree, key?.to_vec());
            }
        }
        let timers: BTreeSet<_> = before
            .iter()
            .flat_map(|b| b.timers.iter())
            .chain(case.timers.iter())
            .collect();
        for (kind, at) in timers {
            batch.remove(T::Timers, codec::timer_key(*at, case.id, *kind));
        }
        // Undelivered messages of the case must not go out after it is erased, and what
        // was set aside of it goes too (it is sealed with the case key all the same).
        for tree in [T::Outbox, T::DeadLetters] {
            for item in self.tree(tree).iter() {
                let (key, value) = item?;
                if value.first() == Some(&1) && value.get(1..17) == Some(case.id.0.as_slice()) {
                    batch.remove(tree, key.to_vec());
                    batch.remove(T::Attempts, key.to_vec());
                }
            }
        }
        for key in self.tree(T::Quarantine).scan_prefix(case.id.0).keys() {
            batch.remove(T::Quarantine, key?.to_vec());
        }
        Ok(())
    }
}

/// What a case's token is indexed under (by keyed hash, as chats are).
pub(crate) fn token_material(token: &crate::core::Token) -> Vec<u8> {
    format!("token:{token}").into_bytes()
}
