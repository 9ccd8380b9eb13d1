//! The update queue behind getUpdates, with the real server's confirmation rules.
//!
//! As documented: an update is confirmed (and gone for good) once getUpdates is called with an
//! offset higher than its update_id; unconfirmed updates are returned again; a negative offset
//! keeps only that many updates from the end. As the server does, without being documented:
//! an offset more than 10 past the next update_id is ignored (the call answers from the head
//! of the queue and confirms nothing); `allowed_updates` is remembered across calls and filters
//! updates when they are created, not when they are fetched; unfetched updates expire (callback
//! queries after 150 seconds, messages 24 hours after they were sent).

use std::collections::VecDeque;

use serde_json::{Map, Value, json};

/// Update kinds the Bot API knows, in the server's order.
pub(crate) const UPDATE_KINDS: &[&str] = &[
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
    "message_reaction",
    "message_reaction_count",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "purchased_paid_media",
];

/// Kinds a bot only gets when it asks for them explicitly.
const OPT_IN_KINDS: &[&str] = &["chat_member", "message_reaction", "message_reaction_count"];

/// How far past the next update_id an offset may point before the server ignores it.
const OFFSET_FUTURE_TOLERANCE: i64 = 10;

/// Seconds an unfetched callback query stays in the queue.
pub(crate) const CALLBACK_QUERY_LIFETIME: i64 = 150;
/// Seconds after a message's date its update stays in the queue.
pub(crate) const MESSAGE_UPDATE_LIFETIME: i64 = 86_400;

struct Queued {
    id: u32,
    kind: String,
    body: Value,
    expires_at: i64,
}

pub(crate) struct UpdateQueue {
    next_id: u32,
    events: VecDeque<Queued>,
    /// `None`: Telegram's default set (everything except the opt-in kinds).
    allowed: Option<Vec<String>>,
    confirmed_offset: Option<u32>,
}

impl UpdateQueue {
    pub(crate) fn new(first_id: u32) -> Self {
        Self {
            next_id: first_id.max(1),
            events: VecDeque::new(),
            allowed: None,
            confirmed_offset: None,
        }
    }

    fn allows(&self, kind: &str) -> bool {
        // Kinds the Bot API does not know cannot be filtered by name; tests inject them to
        // simulate updates newer than the bot's library, so they always pass.
        if !UPDATE_KINDS.contains(&kind) {
            return true;
        }
        match &self.allowed {
            None => !OPT_IN_KINDS.contains(&kind),
            Some(kinds) => kinds.iter().any(|allowed| allowed == kind),
        }
    }

    /// Queues an update of `kind` with content `body`; returns its update_id, or `None` when the
    /// bot's allowed_updates exclude the kind (Telegram then never creates it).
    pub(crate) fn push(&mut self, kind: &str, body: Value, expires_at: i64) -> Option<u32> {
        if !self.allows(kind) {
            return None;
        }
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        self.events.push_back(Queued {
            id,
            kind: kind.to_owned(),
            body,
            expires_at,
        });
        Some(id)
    }

    /// Applies the `allowed_updates` parameter of getUpdates: a JSON array of kind names.
    /// Absent, unparsable or non-array values keep the previous setting; an array naming no
    /// known kind means the default set.
    pub(crate) fn set_allowed(&mut self, parameter: &str) {
        if parameter.is_empty() {
            return;
        }
        let Ok(Value::Array(items)) = serde_json::from_str::<Value>(parameter) else {
            return;
        };
        let mut kinds = Vec::new();
        for item in items {
            let Value::String(name) = item else {
                return;
            };
            let name = name.to_lowercase();
            if UPDATE_KINDS.contains(&name.as_str()) && !kinds.contains(&name) {
                kinds.push(name);
            }
        }
        self.allowed = if kinds.is_empty() { None } else { Some(kinds) };
    }

    pub(crate) fn allowed(&self) -> Option<Vec<String>> {
        self.allowed.clone()
    }

    fn drop_expired(&mut self, now: i64) {
        self.events.retain(|event| event.expires_at > now);
    }

    /// Confirms according to `offset` and returns up to `limit` updates as JSON.
    pub(crate) fn fetch(&mut self, offset: i64, limit: usize, now: i64) -> Vec<Value> {
        self.drop_expired(now);
        if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            while self.events.len() > keep {
                self.events.pop_front();
            }
        }
        let from = if offset > 0 && offset <= i64::from(self.next_id) + OFFSET_FUTURE_TOLERANCE {
            let from = u32::try_from(offset).unwrap_or(u32::MAX);
            self.events.retain(|event| event.id >= from);
            self.confirmed_offset = Some(self.confirmed_offset.map_or(from, |old| old.max(from)));
            from
        } else {
            // No offset, a negative one, or one "in the future": read from the head.
            0
        };
        self.events
            .iter()
            .filter(|event| event.id >= from)
            .take(limit)
            .map(|event| {
                let mut update = Map::new();
                update.insert("update_id".to_owned(), json!(event.id));
                update.insert(event.kind.clone(), event.body.clone());
                Value::Object(update)
            })
            .collect()
    }

    /// Updates not yet confirmed (and not expired).
    pub(crate) fn pending(&self, now: i64) -> usize {
        self.events
            .iter()
            .filter(|event| event.expires_at > now)
            .count()
    }

    /// Forgets every pending update (deleteWebhook with drop_pending_updates).
    pub(crate) fn clear(&mut self) {
        self.events.clear();
    }

    pub(crate) fn confirmed_offset(&self) -> Option<u32> {
        self.confirmed_offset
    }

    pub(crate) fn next_id(&self) -> u32 {
        self.next_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(updates: &[Value]) -> Vec<u64> {
        updates
            .iter()
            .map(|update| update["update_id"].as_u64().unwrap_or(0))
            .collect()
    }

    fn queue_with(n: u32) -> UpdateQueue {
        let mut queue = UpdateQueue::new(100);
        for _ in 0..n {
            queue.push("message", json!({}), i64::MAX);
        }
        queue
    }

    #[test]
    fn confirmation_follows_offset() {
        let mut queue = queue_with(3);
        assert_eq!(ids(&queue.fetch(0, 100, 0)), [100, 101, 102]);
        assert_eq!(
            ids(&queue.fetch(0, 100, 0)),
            [100, 101, 102],
            "unconfirmed come again"
        );
        assert_eq!(ids(&queue.fetch(102, 100, 0)), [102]);
        assert_eq!(queue.pending(0), 1);
        assert_eq!(ids(&queue.fetch(0, 1, 0)), [102]);
        assert_eq!(ids(&queue.fetch(103, 100, 0)), Vec::<u64>::new());
        assert_eq!(queue.confirmed_offset(), Some(103));
    }

    #[test]
    fn negative_offset_keeps_the_tail() {
        let mut queue = queue_with(5);
        assert_eq!(ids(&queue.fetch(-2, 100, 0)), [103, 104]);
        assert_eq!(queue.pending(0), 2);
    }

    #[test]
    fn far_future_offsets_are_ignored() {
        let mut queue = queue_with(2);
        assert_eq!(ids(&queue.fetch(500, 100, 0)), [100, 101]);
        assert_eq!(ids(&queue.fetch(112, 100, 0)), Vec::<u64>::new());
    }

    #[test]
    fn allowed_updates_filter_at_creation() {
        let mut queue = UpdateQueue::new(1);
        assert_eq!(queue.push("message_reaction", json!({}), i64::MAX), None);
        queue.set_allowed(r#"["message"]"#);
        assert_eq!(queue.push("callback_query", json!({}), i64::MAX), None);
        assert!(queue.push("message", json!({}), i64::MAX).is_some());
        queue.set_allowed("not json");
        assert_eq!(queue.allowed(), Some(vec!["message".to_owned()]));
        queue.set_allowed("[]");
        assert_eq!(queue.allowed(), None);
        assert!(
            queue
                .push("some_future_kind", json!({}), i64::MAX)
                .is_some()
        );
    }

    #[test]
    fn expired_updates_disappear() {
        let mut queue = UpdateQueue::new(1);
        queue.push("callback_query", json!({}), 10);
        assert_eq!(queue.pending(9), 1);
        assert!(queue.fetch(0, 100, 10).is_empty());
    }
}
