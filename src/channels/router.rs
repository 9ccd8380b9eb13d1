//! Sends each outbox entry through the adapter of its network.

use std::sync::Arc;

use super::matrix::Matrix;
use super::telegram::Telegram;
use crate::app::{Deliverer, DeliveryError, Engine};
use crate::core::ChannelKind;
use crate::store::{Delivered, OutboxEntry};
use crate::watchdog::Pulse;

pub struct Router {
    pub engine: Arc<Engine>,
    pub telegram: Option<Telegram>,
    pub matrix: Matrix,
}

impl Deliverer for Router {
    async fn deliver(
        &self,
        entry: &OutboxEntry,
        pulse: &Pulse,
    ) -> Result<Delivered, DeliveryError> {
        let channel = entry.output.channel();
        match (channel, &self.telegram) {
            (ChannelKind::Telegram, Some(telegram)) => {
                telegram.deliver(&self.engine.store, entry, pulse).await
            }
            (ChannelKind::Telegram, None) => {
                Err(DeliveryError::refused("Telegram is not configured"))
            }
            (ChannelKind::Matrix, _) => self.matrix.deliver(&self.engine.store, entry, pulse).await,
        }
    }
}
