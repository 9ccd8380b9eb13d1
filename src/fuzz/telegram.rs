//! Telegram update conversion: a raw update as getUpdates returns it, mutated, read
//! update by update and converted to a core input.

use super::bytes::mutated_text;
use super::fuzz;
use crate::channels::telegram::{RawUpdate, convert, read_update};

const SEEDS: &[&str] = &[
    r#"{"update_id": 7, "message": {"message_id": 1, "date": 1700000000, "chat": {"id": 42, "type": "private", "first_name": "Eva"}, "from": {"id": 42, "is_bot": false, "first_name": "Eva"}, "text": "hallo /start", "entities": [{"type": "bot_command", "offset": 6, "length": 6}]}}"#,
    r#"{"update_id": 8, "callback_query": {"id": "1", "from": {"id": 42, "is_bot": false, "first_name": "Eva"}, "chat_instance": "1", "data": "category:bullying", "message": {"message_id": 3, "date": 1700000000, "chat": {"id": 42, "type": "private", "first_name": "Eva"}, "text": "Waar gaat het over?"}}}"#,
    r#"{"update_id": 9, "message": {"message_id": 2, "date": 1700000000, "chat": {"id": 42, "type": "private", "first_name": "Eva"}, "from": {"id": 42, "is_bot": false, "first_name": "Eva"}, "document": {"file_id": "d1", "file_unique_id": "u1", "file_name": "a.pdf", "file_size": 1234}, "caption": "bijlage"}}"#,
    r#"{"update_id": 10, "edited_message": {"message_id": 2, "date": 1700000000, "edit_date": 1700000001, "chat": {"id": 42, "type": "private", "first_name": "Eva"}, "text": "anders"}}"#,
];

fn target(raw: String) {
    if let RawUpdate::Read { update, .. } = read_update(&raw) {
        let _ = convert(&update);
    }
}

#[test]
fn fuzz_telegram_updates() {
    let inputs = proptest::strategy::Union::new(SEEDS.iter().map(|s| mutated_text(s)));
    fuzz("telegram updates", inputs, target);
}
