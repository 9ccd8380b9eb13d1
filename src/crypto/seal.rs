//! XChaCha20-Poly1305 sealing with a random 24-byte nonce per record.
//!
//! Sealed form: `version (1) || nonce (24) || ciphertext+tag`. The associated data is not
//! stored: the caller rebuilds it from where the record lives (case id, position), so a
//! record copied to another case or position fails to open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// A 32-byte symmetric key, wiped from memory when dropped. Never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey([u8; 32]);

impl DataKey {
    pub fn random() -> DataKey {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        DataKey(bytes)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> DataKey {
        DataKey(bytes)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("sealed record is too short or of an unknown version")]
    Malformed,
    #[error("sealed record does not open: wrong key, or the record was altered or moved")]
    Rejected,
}

pub fn seal(key: &DataKey, aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.0.as_ref().into());
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    out.push(VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    out
}

pub fn open(key: &DataKey, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, SealError> {
    if sealed.len() < 1 + NONCE_LEN + 16 || sealed[0] != VERSION {
        return Err(SealError::Malformed);
    }
    let cipher = XChaCha20Poly1305::new(key.0.as_ref().into());
    let nonce = XNonce::from_slice(&sealed[1..1 + NONCE_LEN]);
    cipher
        .decrypt(
            nonce,
            Payload {
                msg: &sealed[1 + NONCE_LEN..],
                aad,
            },
        )
        .map_err(|_| SealError::Rejected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_records_open_only_with_the_same_key_and_associated_data() {
        let key = DataKey::random();
        let sealed = seal(&key, b"case-1/0", b"secret words");
        assert_eq!(open(&key, b"case-1/0", &sealed).unwrap(), b"secret words");
        assert_eq!(
            open(&key, b"case-2/0", &sealed),
            Err(SealError::Rejected),
            "moved to another case"
        );
        assert_eq!(
            open(&key, b"case-1/1", &sealed),
            Err(SealError::Rejected),
            "moved to another position"
        );
        assert_eq!(
            open(&DataKey::random(), b"case-1/0", &sealed),
            Err(SealError::Rejected)
        );
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(open(&key, b"case-1/0", &tampered), Err(SealError::Rejected));
        assert_eq!(
            open(&key, b"case-1/0", &sealed[..10]),
            Err(SealError::Malformed)
        );
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
    }

    #[test]
    fn nonces_differ_between_seals_of_the_same_text() {
        let key = DataKey::random();
        assert_ne!(seal(&key, b"", b"same"), seal(&key, b"", b"same"));
    }
}
