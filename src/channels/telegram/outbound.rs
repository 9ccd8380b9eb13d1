//! Sending outbox entries to Telegram.

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::Telegram;
use super::errors::{classify, edit_is_moot};
use crate::app::DeliveryError;
use crate::core::{Button, Output, ReporterAddress};
use crate::store::{Delivered, SentRecord};

fn keyboard(buttons: &[Vec<Button>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(buttons.iter().map(|row| {
        row.iter()
            .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
    }))
}

fn chat_of(to: &ReporterAddress) -> Result<ChatId, DeliveryError> {
    match to {
        ReporterAddress::Telegram { chat_id } => Ok(ChatId(*chat_id)),
        ReporterAddress::Matrix { .. } => Err(DeliveryError::Permanent {
            reason: "not a Telegram chat".into(),
        }),
    }
}

impl Telegram {
    pub async fn deliver(&self, output: &Output) -> Result<Delivered, DeliveryError> {
        match output {
            Output::Reporter(message) => {
                let chat = chat_of(&message.to)?;
                let mut request = self.bot.send_message(chat, &message.text);
                if !message.buttons.is_empty() {
                    request = request.reply_markup(keyboard(&message.buttons));
                }
                let sent = request.await.map_err(|e| classify(&e))?;
                Ok(Delivered::ReporterMessage(SentRecord {
                    to: message.to.clone(),
                    message_id: sent.id.0,
                }))
            }
            Output::RemoveButtons { to, message } => {
                match self
                    .bot
                    .edit_message_reply_markup(chat_of(to)?, MessageId(*message))
                    .await
                {
                    Ok(_) => Ok(Delivered::Nothing),
                    Err(e) if edit_is_moot(&e) => Ok(Delivered::Nothing),
                    Err(e) => Err(classify(&e)),
                }
            }
            Output::EditReporter {
                to,
                message,
                text,
                buttons,
            } => {
                let request = self
                    .bot
                    .edit_message_text(chat_of(to)?, MessageId(*message), text)
                    .reply_markup(keyboard(buttons));
                match request.await {
                    Ok(_) => Ok(Delivered::Nothing),
                    Err(e) if edit_is_moot(&e) => Ok(Delivered::Nothing),
                    Err(e) => Err(classify(&e)),
                }
            }
            Output::CreateRoom(_) | Output::Room(_) => Err(DeliveryError::Permanent {
                reason: "not a Telegram output".into(),
            }),
        }
    }
}
