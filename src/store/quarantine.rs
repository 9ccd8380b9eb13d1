//! Quarantine: inputs and records the bot could not handle (an update it cannot read, an
//! input on which the core failed, a timer or outbox entry that does not decode), set
//! aside so that everything behind them goes on. Each is kept sealed, with its case's
//! key when it belongs to a case (so erasing the case erases it too), otherwise with the
//! system key, for an operator to look at; `confidant check-store` lists them.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, T, codec};
use crate::core::{CaseId, Timestamp};

/// One item set aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    pub at: Timestamp,
    /// Where it came from: "telegram update", "matrix event", "input", "timer", "outbox".
    pub source: String,
    /// Why, as a kind of error (never content).
    pub reason: String,
    /// The item itself, as it came (raw JSON, a key, serialised input).
    pub payload: Vec<u8>,
}

/// What `check-store` shows of a quarantined item: no payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineEntry {
    pub case: Option<CaseId>,
    pub at: Option<Timestamp>,
    pub source: String,
    pub reason: String,
    pub bytes: usize,
}

impl Store {
    /// Sets `item` aside, sealed with `case`'s key if it belongs to a case that still has
    /// one, else with the system key.
    pub fn quarantine(&self, case: Option<CaseId>, item: &Quarantined) -> Result<(), StoreError> {
        let (key, sealed) = self.seal_quarantined(case, item)?;
        let _writing = self.writing();
        self.tree(T::Quarantine).insert(key, sealed)?;
        Ok(())
    }

    /// The key and sealed value of a quarantined item (see [`Store::quarantine`]).
    pub(super) fn seal_quarantined(
        &self,
        case: Option<CaseId>,
        item: &Quarantined,
    ) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
        let owner = case.and_then(|c| self.case_key(c).ok().map(|k| (c, k)));
        let id = owner.as_ref().map_or(CaseId::SYSTEM, |(c, _)| *c);
        let key = codec::case_seq(id, self.next_id()?);
        let aad = codec::aad(b"quarantine", id, &key[16..]);
        let sealed = match &owner {
            Some((_, data_key)) => self.seal_json(data_key, &aad, item),
            None => self.seal_json(self.system_key(), &aad, item),
        };
        Ok((key, sealed))
    }

    pub fn quarantine_count(&self) -> usize {
        self.tree(T::Quarantine).len()
    }

    /// Every quarantined item that can still be opened (those of erased cases cannot,
    /// and are listed without details).
    pub fn quarantined(&self) -> Result<Vec<QuarantineEntry>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(T::Quarantine).iter() {
            let (key, sealed) = item?;
            let id = codec::case_id(&key)?;
            let aad = codec::aad(b"quarantine", id, key.get(16..).unwrap_or_default());
            let case = (id != CaseId::SYSTEM).then_some(id);
            let opened: Option<Quarantined> = match case {
                Some(case) => self
                    .case_key(case)
                    .ok()
                    .and_then(|k| self.open_json(&k, &aad, &sealed, "quarantine").ok()),
                None => self
                    .open_json(self.system_key(), &aad, &sealed, "quarantine")
                    .ok(),
            };
            out.push(match opened {
                Some(q) => QuarantineEntry {
                    case,
                    at: Some(q.at),
                    source: q.source,
                    reason: q.reason,
                    bytes: q.payload.len(),
                },
                None => QuarantineEntry {
                    case,
                    at: None,
                    source: "unreadable".into(),
                    reason: "its key is gone or it is damaged".into(),
                    bytes: sealed.len(),
                },
            });
        }
        Ok(out)
    }

    /// Counts one more failure to handle the inbound item `id` (an update or event id);
    /// returns the count so far.
    pub fn note_inbound_failure(&self, id: &str) -> Result<u32, StoreError> {
        let count = self.failures_of(id)?.saturating_add(1);
        let _writing = self.writing();
        self.tree(T::Failures)
            .insert(failure_key(self, id), count.to_be_bytes().to_vec())?;
        Ok(count)
    }

    /// How often handling the inbound item `id` failed so far (none, if that does not
    /// read: it only ever delays setting an item aside).
    pub fn inbound_failures(&self, id: &str) -> u32 {
        self.failures_of(id).unwrap_or(0)
    }

    fn failures_of(&self, id: &str) -> Result<u32, StoreError> {
        Ok(self
            .tree(T::Failures)
            .get(failure_key(self, id))?
            .and_then(|v| v.as_ref().try_into().ok().map(u32::from_be_bytes))
            .unwrap_or(0))
    }

    /// The inbound item `id` was handled (or set aside): its failures are forgotten.
    pub fn clear_inbound_failures(&self, id: &str) -> Result<(), StoreError> {
        let _writing = self.writing();
        self.tree(T::Failures).remove(failure_key(self, id))?;
        Ok(())
    }
}

/// Where the failures of inbound item `id` are counted: a keyed hash, so the tree names
/// no update or event.
fn failure_key(store: &Store, id: &str) -> [u8; 32] {
    store.lookup_hash(format!("inbound:{id}").as_bytes())
}
