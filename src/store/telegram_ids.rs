//! What the bot knows of its Telegram account's message ids, for the exactly-once probe
//! (`channels::telegram::probe`).
//!
//! Telegram numbers the messages of all of an account's private chats from one counter
//! (mautrix-telegram issue #51, tdlib issue #533), so a chat's ids have gaps that grow
//! with traffic elsewhere. Two facts are kept here, both free of chats and contents:
//! - the **high-water mark**: the highest id the bot has seen in any chat. An entry
//!   marked in flight records it as its *floor*: the message, if Telegram took it, has a
//!   higher id, and every earlier message of the bot in that chat has this id or lower.
//!   Incoming messages raise the mark, never an entry's recorded floor.
//! - the **known ids**: every id seen (an employee's message, a delivered one of the
//!   bot's). The probe never needs to ask about them: they cannot be the message in
//!   doubt. Ids far below the mark are forgotten.

use super::{Store, StoreError, T, codec};
use crate::store::OutboxEntry;

const HIGH_WATER: &[u8] = b"telegram-high-water";
/// Known ids this far below the high-water mark are forgotten: a message in doubt is
/// always within a short stretch above its floor.
const KEEP_BELOW_HIGH_WATER: u32 = 100_000;
/// Forgetting runs when the mark passes a multiple of this.
const PRUNE_EVERY: u32 = 10_000;

/// What is known of an entry marked in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InFlightMark {
    /// The high-water mark when it was marked (`None`: marked by an older version,
    /// which did not record it).
    pub floor: Option<i32>,
    /// The send is a resend with the note that it may arrive twice (the probe could not
    /// tell whether the first went out).
    pub resent: bool,
}

fn id_key(id: i32) -> [u8; 4] {
    // Telegram's message ids are positive; as unsigned big-endian they sort in order.
    u32::try_from(id).unwrap_or(0).to_be_bytes()
}

impl Store {
    /// Notes a Telegram message id the bot has seen (an employee's message, or one of
    /// its own that Telegram confirmed): known from now on, and the high-water mark rises.
    pub fn note_telegram_message(&self, id: i32) -> Result<(), StoreError> {
        if id <= 0 {
            return Ok(());
        }
        {
            let _writing = self.writing();
            self.tree(T::TelegramIds).insert(id_key(id), &[])?;
        }
        self.raise_telegram_high_water(id)
    }

    /// As [`Store::note_telegram_message`], for a message the bot sent: the high-water
    /// mark rises now, and the id becomes known with `batch` (the one that completes the
    /// entry it was sent for), never before it.
    pub(super) fn note_telegram_message_in(
        &self,
        batch: &mut super::batch::Batch,
        id: i32,
    ) -> Result<(), StoreError> {
        if id <= 0 {
            return Ok(());
        }
        batch.put(T::TelegramIds, id_key(id).to_vec(), Vec::new());
        self.raise_telegram_high_water(id)
    }

    /// Raises the high-water mark to `id` (atomically: concurrent deliveries never lower it).
    fn raise_telegram_high_water(&self, id: i32) -> Result<(), StoreError> {
        let previous = {
            let _writing = self.writing();
            self.tree(T::Meta)
                .fetch_and_update(HIGH_WATER, |old| {
                    let old = old.and_then(|v| codec::i32_from(v).ok());
                    Some(old.map_or(id, |old| old.max(id)).to_be_bytes().to_vec())
                })?
                .and_then(|v| codec::i32_from(&v).ok())
        };
        // Forgetting runs when the mark itself rises past a multiple of PRUNE_EVERY (an
        // older id noted later leaves the mark, and the known ids, as they are).
        let step = |mark: i32| mark.unsigned_abs() / PRUNE_EVERY;
        if previous.is_some_and(|p| step(p) < step(id)) {
            self.forget_old_telegram_messages()?;
        }
        Ok(())
    }

    /// The highest Telegram message id the bot has seen, in any chat.
    pub fn telegram_high_water(&self) -> Result<Option<i32>, StoreError> {
        Ok(self
            .tree(T::Meta)
            .get(HIGH_WATER)?
            .and_then(|v| codec::i32_from(&v).ok()))
    }

    /// Whether the bot has seen message `id` (so it is not the one in doubt).
    pub fn is_known_telegram_message(&self, id: i32) -> Result<bool, StoreError> {
        Ok(self.tree(T::TelegramIds).contains_key(id_key(id))?)
    }

    /// Forgets known ids far below the high-water mark.
    fn forget_old_telegram_messages(&self) -> Result<(), StoreError> {
        let Some(high) = self.telegram_high_water()? else {
            return Ok(());
        };
        let below = u32::try_from(high)
            .unwrap_or(0)
            .saturating_sub(KEEP_BELOW_HIGH_WATER);
        let tree = self.tree(T::TelegramIds);
        for key in tree.range(..below.to_be_bytes()).keys() {
            let _writing = self.writing();
            tree.remove(key?)?;
        }
        Ok(())
    }

    /// Notes that a send of `entry` is about to start, for networks without idempotency
    /// keys, with the Telegram high-water mark as its floor: after a crash, a marked
    /// entry is first looked for on the far side. Flush before sending.
    pub fn mark_in_flight(
        &self,
        entry: &OutboxEntry,
        resent: bool,
    ) -> Result<InFlightMark, StoreError> {
        let floor = self.telegram_high_water()?;
        let mut value = floor.map(|f| f.to_be_bytes().to_vec()).unwrap_or_default();
        if resent {
            value.resize(4, 0);
            value.push(1);
        }
        let _writing = self.writing();
        self.tree(T::InFlight).insert(&entry.key, value)?;
        Ok(InFlightMark { floor, resent })
    }

    /// The mark of an entry whose send may have reached the network, if it has one.
    pub fn in_flight(&self, entry: &OutboxEntry) -> Result<Option<InFlightMark>, StoreError> {
        Ok(self.tree(T::InFlight).get(&entry.key)?.map(|value| {
            let resent = value.get(4) == Some(&1);
            let floor = value
                .get(..4)
                .and_then(|b| codec::i32_from(b).ok())
                .filter(|f| *f > 0 || !resent);
            InFlightMark { floor, resent }
        }))
    }
}

#[cfg(test)]
mod tests {
    use crate::crypto::MasterKey;
    use crate::store::Store;

    #[test]
    fn the_high_water_mark_only_rises_and_known_ids_are_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
        assert_eq!(store.telegram_high_water().unwrap(), None);
        store.note_telegram_message(40).unwrap();
        store.note_telegram_message(12).unwrap();
        assert_eq!(store.telegram_high_water().unwrap(), Some(40));
        assert!(store.is_known_telegram_message(12).unwrap());
        assert!(!store.is_known_telegram_message(13).unwrap());
        store.note_telegram_message(0).unwrap();
        assert!(!store.is_known_telegram_message(0).unwrap());
    }

    #[test]
    fn ids_far_below_the_mark_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
        store.note_telegram_message(5).unwrap();
        store.note_telegram_message(9_999).unwrap();
        store.note_telegram_message(150_000).unwrap();
        assert!(!store.is_known_telegram_message(5).unwrap());
        assert!(store.is_known_telegram_message(150_000).unwrap());
        store.note_telegram_message(60_000).unwrap();
        assert!(store.is_known_telegram_message(60_000).unwrap());
    }
}
