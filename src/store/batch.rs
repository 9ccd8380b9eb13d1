//! A set of writes across trees, applied in one sled transaction. Everything random
//! (nonces, ids) is prepared before the transaction, whose closure sled may retry.

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionalTree};

use super::{Store, StoreError, T};

#[derive(Default)]
pub struct Batch {
    writes: Vec<(T, Vec<u8>, Option<Vec<u8>>)>,
}

impl Batch {
    pub fn put(&mut self, tree: T, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) {
        self.writes.push((tree, key.into(), Some(value.into())));
    }

    pub fn remove(&mut self, tree: T, key: impl Into<Vec<u8>>) {
        self.writes.push((tree, key.into(), None));
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    /// Applies every write or none. The transaction spans only the trees written to: a
    /// sled transaction's cost grows with the trees it holds.
    pub fn apply(&self, store: &Store) -> Result<(), StoreError> {
        let mut touched: Vec<T> = self.writes.iter().map(|(tree, _, _)| *tree).collect();
        touched.sort_by_key(|t| *t as usize);
        touched.dedup();
        let trees: Vec<sled::Tree> = touched.iter().map(|t| store.tree(*t).clone()).collect();
        let view_of = |tree: T| {
            touched
                .iter()
                .position(|t| *t == tree)
                .expect("every written tree is in the transaction")
        };
        let _writing = store.writing();
        trees.transaction(|views: &Vec<TransactionalTree>| {
            for (tree, key, value) in &self.writes {
                let view = &views[view_of(*tree)];
                match value {
                    Some(value) => view.insert(key.as_slice(), value.as_slice())?,
                    None => view.remove(key.as_slice())?,
                };
            }
            Ok::<(), ConflictableTransactionError<StoreError>>(())
        })?;
        Ok(())
    }
}
