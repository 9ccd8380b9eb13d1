//! Keys and sealing. One master key (from a file or the environment) derives the keyed
//! hash for lookups and the key that wraps each case's own data key. Records are sealed
//! with XChaCha20-Poly1305 and associated data that binds each to its case and position.

mod keyring;
mod master_key;
mod seal;

pub use keyring::{KeyError, Keyring, Rewrapped};
pub use master_key::{MASTER_KEY_ENV, MasterKey, MasterKeyError};
pub use seal::{DataKey, SealError, open, seal};

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A keyed hash (HMAC-SHA256) for looking up a chat or room without storing its id.
#[derive(Clone)]
pub struct LookupKey(DataKey);

impl LookupKey {
    /// The key as it was kept (sealed) after a master key rotation.
    pub fn from_key(key: DataKey) -> LookupKey {
        LookupKey(key)
    }

    pub fn key(&self) -> &DataKey {
        &self.0
    }

    pub fn hash(&self, material: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.bytes())
            .expect("HMAC takes any key length");
        mac.update(material);
        mac.finalize().into_bytes().into()
    }
}

/// The keys derived from the master key, each for one purpose.
pub struct DerivedKeys {
    pub lookup: LookupKey,
    /// Wraps (seals) each case's data key.
    pub wrap: DataKey,
    /// Seals records that belong to no case (replies to a chat without one, shared state).
    pub system: DataKey,
}

impl DerivedKeys {
    pub fn from_master(master: &MasterKey) -> DerivedKeys {
        DerivedKeys {
            lookup: LookupKey(master.derive(b"confidant/v1/lookup")),
            wrap: master.derive(b"confidant/v1/wrap"),
            system: master.derive(b"confidant/v1/system"),
        }
    }
}
