//! The anonymous registration records, kept apart from the cases: sealed with the system
//! key (not a case key, so erasing a case leaves its record), keyed by a random id that
//! only the case knows.

use super::batch::Batch;
use super::{Store, StoreError, T};
use crate::core::registration::{Registration, RegistrationId};

impl Store {
    pub(crate) fn put_registration(
        &self,
        batch: &mut Batch,
        id: RegistrationId,
        record: &Registration,
    ) {
        let aad = registration_aad(id);
        batch.put(
            T::Registrations,
            id.0.to_vec(),
            self.seal_json(self.system_key(), &aad, record),
        );
    }

    /// Every registration record, in no particular order.
    pub fn registrations(&self) -> Result<Vec<Registration>, StoreError> {
        self.tree(T::Registrations)
            .iter()
            .map(|item| {
                let (key, value) = item?;
                let id =
                    RegistrationId(key.as_ref().try_into().map_err(|_| StoreError::BadKey {
                        what: "registration id",
                    })?);
                self.open_json(
                    self.system_key(),
                    &registration_aad(id),
                    &value,
                    "registration",
                )
            })
            .collect()
    }
}

pub(super) fn registration_aad(id: RegistrationId) -> Vec<u8> {
    let mut aad = b"registration".to_vec();
    aad.extend_from_slice(&id.0);
    aad
}
