//! Every output fits its network, whatever its length: a text too long for one message
//! is split into several, in order, none lost, before it is stored in the outbox.
//!
//! - **Telegram**: "1-4096 characters after entities parsing" (Bot API, sendMessage), and
//!   Telegram counts UTF-16 code units, so an emoji counts twice. Parts keep under 4000.
//! - **Matrix**: "The complete event MUST NOT be larger than 65536 bytes" (Matrix spec,
//!   Size limits), counted on the event as the homeserver sees it: for an encrypted room
//!   that is the ciphertext, base64 of the whole plaintext event (a third larger), and a
//!   body travels JSON-escaped, maybe twice (with a formatted body). Parts keep their
//!   escaped body under 16 000 bytes, so even a part written twice, escaped and encrypted
//!   stays far below the limit.
//!
//! Splits fall after a line break where possible, else after a space, else between
//! characters. Buttons stay on the last part (the question is answered there), mentions on
//! the first (the notification comes with the start).

use super::address::ReporterAddress;
use super::io::{Output, ReporterMessage, RoomPost};

/// Most UTF-16 code units in one Telegram text (Telegram's limit is 4096).
pub const TELEGRAM_MAX_UNITS: usize = 4000;
/// Most bytes of one Matrix body once JSON-escaped.
pub const MATRIX_MAX_BODY_BYTES: usize = 16_000;

/// `outputs`, each text split to fit its network.
pub fn outputs(outputs: Vec<Output>) -> Vec<Output> {
    outputs.into_iter().flat_map(fit).collect()
}

fn fit(output: Output) -> Vec<Output> {
    match output {
        Output::Reporter(message) => {
            let parts = match &message.to {
                ReporterAddress::Telegram { .. } => {
                    split(&message.text, TELEGRAM_MAX_UNITS, telegram_units)
                }
                ReporterAddress::Matrix { .. } => {
                    split(&message.text, MATRIX_MAX_BODY_BYTES, matrix_bytes)
                }
            };
            let last = parts.len() - 1;
            parts
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    Output::Reporter(ReporterMessage {
                        to: message.to.clone(),
                        text,
                        buttons: if i == last {
                            message.buttons.clone()
                        } else {
                            Vec::new()
                        },
                        source: message.source.clone(),
                        // Formatting survives only a message that goes whole.
                        html: if last == 0 {
                            message.html.clone()
                        } else {
                            None
                        },
                        reply_to: message.reply_to.clone(),
                    })
                })
                .collect()
        }
        Output::Room(post) => {
            let parts = split(&post.text, MATRIX_MAX_BODY_BYTES, matrix_bytes);
            let whole = parts.len() == 1;
            parts
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    Output::Room(RoomPost {
                        text,
                        mentions: if i == 0 {
                            post.mentions.clone()
                        } else {
                            Vec::new()
                        },
                        // Formatting survives only a post that goes whole.
                        html: if whole { post.html.clone() } else { None },
                        ..post.clone()
                    })
                })
                .collect()
        }
        Output::CounsellorDm { to, text } => split(&text, MATRIX_MAX_BODY_BYTES, matrix_bytes)
            .into_iter()
            .map(|text| Output::CounsellorDm {
                to: to.clone(),
                text,
            })
            .collect(),
        Output::HrNotice { room_id, text } => split(&text, MATRIX_MAX_BODY_BYTES, matrix_bytes)
            .into_iter()
            .map(|text| Output::HrNotice {
                room_id: room_id.clone(),
                text,
            })
            .collect(),
        Output::RoomAfterErasure {
            case,
            room_id,
            text,
        } => split(&text, MATRIX_MAX_BODY_BYTES, matrix_bytes)
            .into_iter()
            .map(|text| Output::RoomAfterErasure {
                case,
                room_id: room_id.clone(),
                text,
            })
            .collect(),
        // Its follow-ups leave only once the invite is in; they fit like any other.
        Output::Invite { case, user, then } => vec![Output::Invite {
            case,
            user,
            then: outputs(then),
        }],
        other => vec![other],
    }
}

/// What a text costs on Telegram: UTF-16 code units.
pub fn telegram_units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// What a text costs in a Matrix body: its bytes once JSON-escaped.
pub fn matrix_bytes(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum()
}

/// Splits `text` into parts whose `cost` stays within `max` (which must leave room for
/// any one character: at least 6); the parts joined are the text. A text within the
/// limit is one part (an empty text too). Costs add up over concatenation, so pieces are
/// measured alone.
pub fn split(text: &str, max: usize, cost: fn(&str) -> usize) -> Vec<String> {
    if cost(text) <= max {
        return vec![text.to_owned()];
    }
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut used = 0;
    for piece in pieces(text, max, cost) {
        let cost = cost(piece);
        if used + cost > max && !current.is_empty() {
            parts.push(std::mem::take(&mut current));
            used = 0;
        }
        current.push_str(piece);
        used += cost;
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// The text cut into pieces no larger than `max` each: lines, or the words of a line
/// too long, or the characters of a word too long.
fn pieces(text: &str, max: usize, cost: fn(&str) -> usize) -> Vec<&str> {
    let fits = |s: &str| cost(s) <= max;
    let mut out = Vec::new();
    for line in text.split_inclusive('\n') {
        if fits(line) {
            out.push(line);
            continue;
        }
        for word in line.split_inclusive(' ') {
            if fits(word) {
                out.push(word);
                continue;
            }
            let mut start = 0;
            for (at, c) in word.char_indices().skip(1) {
                if !fits(&word[start..at + c.len_utf8()]) {
                    out.push(&word[start..at]);
                    start = at;
                }
            }
            out.push(&word[start..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::CaseId;
    use crate::core::io::{Button, RoomPostKind};
    use proptest::prelude::*;

    fn telegram_message(text: &str) -> Output {
        Output::Reporter(ReporterMessage {
            to: ReporterAddress::Telegram { chat_id: 1 },
            text: text.to_owned(),
            buttons: vec![vec![Button {
                label: "Ja".into(),
                data: "yes".into(),
            }]],
            source: None,
            html: None,
            reply_to: None,
        })
    }

    #[test]
    fn a_long_story_becomes_parts_in_order_with_the_buttons_on_the_last() {
        let story = "Het begon in maart.\n".repeat(1000);
        let parts = outputs(vec![telegram_message(&story)]);
        assert!(parts.len() > 1);
        let mut joined = String::new();
        for (i, part) in parts.iter().enumerate() {
            let Output::Reporter(m) = part else {
                panic!("a reporter message")
            };
            assert!(m.text.encode_utf16().count() <= TELEGRAM_MAX_UNITS);
            assert!(m.text.ends_with('\n'), "split after a line break");
            assert_eq!(m.buttons.is_empty(), i + 1 < parts.len());
            joined.push_str(&m.text);
        }
        assert_eq!(joined, story);
    }

    #[test]
    fn emoji_count_twice_for_telegram() {
        let text = "😀".repeat(3000);
        let parts = split(&text, TELEGRAM_MAX_UNITS, telegram_units);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn a_room_post_keeps_its_mentions_on_the_first_part() {
        let post = Output::Room(RoomPost {
            case: CaseId([1; 16]),
            text: "\"quoted\" ".repeat(5000),
            kind: RoomPostKind::Notice,
            mentions: vec!["@anna:example.org".into()],
            thread: None,
            from_message: None,
            html: None,
        });
        let parts = outputs(vec![post]);
        assert!(parts.len() > 1);
        for (i, part) in parts.iter().enumerate() {
            let Output::Room(post) = part else {
                panic!("a room post")
            };
            assert!(matrix_bytes(&post.text) <= MATRIX_MAX_BODY_BYTES);
            assert_eq!(post.mentions.is_empty(), i > 0);
        }
    }

    proptest! {
        #[test]
        fn parts_join_to_the_text_and_each_fits(text in "(.|\n| ){0,300}", max in 6usize..40) {
            for cost in [telegram_units as fn(&str) -> usize, matrix_bytes] {
                let parts = split(&text, max, cost);
                prop_assert_eq!(parts.concat(), text.clone());
                for part in &parts {
                    prop_assert!(cost(part) <= max, "{:?}", part);
                }
            }
        }
    }
}
