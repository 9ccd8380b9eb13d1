//! What became of a relayed message before it was sent: a counsellor edited or deleted
//! it. The commit that takes the edit or deletion leaves a mark (sealed with the case
//! key, kept under the case's id) that the sender reads just before sending the
//! message, so that a deleted message is never sent and an edited one goes out edited,
//! across restarts. The edit or deletion itself stays queued behind the message: if the
//! message went out in the moment between, it follows it there.

use serde::{Deserialize, Serialize};

use super::batch::Batch;
use super::{Store, StoreError, T};
use crate::core::{CaseId, ReporterMessage};
use crate::crypto::DataKey;

/// A relayed message's fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Superseded {
    Deleted,
    /// Its text for the reporter, as now edited.
    Edited(String),
}

const PREFIX: &[u8] = b"superseded:";

fn prefix_of(case: CaseId) -> Vec<u8> {
    [PREFIX, &case.0].concat()
}

impl Store {
    fn superseded_key(&self, case: CaseId, source: &str) -> Vec<u8> {
        [
            prefix_of(case).as_slice(),
            &self.lookup_hash(source.as_bytes()),
        ]
        .concat()
    }

    /// Marks, in `batch`, what became of the message relayed from event `source`.
    pub(super) fn mark_superseded(
        &self,
        batch: &mut Batch,
        case: CaseId,
        key: &DataKey,
        source: &str,
        fate: &Superseded,
    ) {
        let name = self.superseded_key(case, source);
        let sealed = self.seal_json(key, &name, fate);
        batch.put(T::Meta, name, sealed);
    }

    /// What became of the message relayed from `source` before it was sent, if anything.
    pub fn superseded(&self, case: CaseId, source: &str) -> Result<Option<Superseded>, StoreError> {
        let name = self.superseded_key(case, source);
        let Some(sealed) = self.tree(T::Meta).get(&name)? else {
            return Ok(None);
        };
        let key = self.case_key(case)?;
        Ok(Some(self.open_json(
            &key,
            &name,
            &sealed,
            "superseded mark",
        )?))
    }

    /// A relayed message as it is to go out now: `None` when the counsellor deleted it
    /// (or it went out edited already, as an earlier part), edited if they edited it.
    pub fn as_it_stands(
        &self,
        case: Option<CaseId>,
        message: &ReporterMessage,
    ) -> Result<Option<ReporterMessage>, StoreError> {
        let (Some(case), Some(source)) = (case, message.source.as_deref()) else {
            return Ok(Some(message.clone()));
        };
        Ok(match self.superseded(case, source)? {
            None => Some(message.clone()),
            Some(Superseded::Deleted) => None,
            // The edited text is whole: the first part carries it, the others go.
            Some(Superseded::Edited(text)) => self
                .relaying(case, &message.to, source)?
                .is_empty()
                .then(|| ReporterMessage {
                    text,
                    html: None,
                    ..message.clone()
                }),
        })
    }

    /// Removes the marks of an erased case.
    pub(super) fn drop_superseded(
        &self,
        batch: &mut Batch,
        case: CaseId,
    ) -> Result<(), StoreError> {
        for key in self.tree(T::Meta).scan_prefix(prefix_of(case)).keys() {
            batch.remove(T::Meta, key?.to_vec());
        }
        Ok(())
    }
}
