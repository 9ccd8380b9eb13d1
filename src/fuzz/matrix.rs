//! Matrix event conversion: timeline events as a homeserver sends them (texts, files,
//! edits, replies, redactions), mutated, read into what the bot acts on.

use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::ruma::serde::Raw;

use super::bytes::mutated_text;
use super::fuzz;
use crate::channels::matrix::read_event;

const SEEDS: &[&str] = &[
    r#"{"type": "m.room.message", "event_id": "$a:x", "sender": "@anna:x", "origin_server_ts": 1, "content": {"msgtype": "m.text", "body": "!time 45m"}}"#,
    r#"{"type": "m.room.message", "event_id": "$b:x", "sender": "@anna:x", "origin_server_ts": 1, "content": {"msgtype": "m.file", "body": "a.pdf", "url": "mxc://x/y", "info": {"size": 12, "mimetype": "application/pdf"}}}"#,
    r#"{"type": "m.room.message", "event_id": "$c:x", "sender": "@anna:x", "origin_server_ts": 1, "content": {"msgtype": "m.text", "body": " * nieuw", "m.new_content": {"msgtype": "m.text", "body": "nieuw"}, "m.relates_to": {"rel_type": "m.replace", "event_id": "$a:x"}}}"#,
    r#"{"type": "m.room.message", "event_id": "$d:x", "sender": "@anna:x", "origin_server_ts": 1, "content": {"msgtype": "m.image", "body": "f.jpg", "file": {"url": "mxc://x/z", "key": {"kty": "oct", "key_ops": ["encrypt", "decrypt"], "alg": "A256CTR", "k": "AAAA", "ext": true}, "iv": "AAAAAAAAAAAAAAAAAAAAAA", "hashes": {"sha256": "AAAA"}, "v": "v2"}}}"#,
    r#"{"type": "m.room.redaction", "event_id": "$e:x", "sender": "@anna:x", "origin_server_ts": 1, "redacts": "$a:x", "content": {}}"#,
];

fn target(json: String) {
    let Ok(raw) = Raw::from_json_string(json) else {
        return;
    };
    let _ = read_event(&TimelineEvent::from_plaintext(raw));
}

#[test]
fn fuzz_matrix_events() {
    let inputs = proptest::strategy::Union::new(SEEDS.iter().map(|s| mutated_text(s)));
    fuzz("matrix events", inputs, target);
}
