//! Telegram's clean-up of message text: control characters, trimming, blank text.
//!
//! Entities must keep pointing at the same characters while characters disappear, so every
//! step here re-maps entity offsets.

use super::{FormattedText, TextProblem, utf16_len};

enum Treatment {
    Keep,
    Space,
    Remove,
}

fn treatment(c: char) -> Treatment {
    match c {
        // Telegram keeps newlines, drops carriage returns and turns other control characters
        // (tabs included) into spaces.
        '\n' => Treatment::Keep,
        '\r' => Treatment::Remove,
        '\u{0}'..='\u{1F}' => Treatment::Space,
        // Line/paragraph separators and bidirectional embedding controls.
        '\u{2028}'..='\u{202E}' => Treatment::Remove,
        // Combining marks that draw vertical lines across lines of text.
        '\u{0333}' | '\u{033F}' | '\u{030A}' => Treatment::Remove,
        _ => Treatment::Keep,
    }
}

/// Replaces or removes characters Telegram does not keep.
pub(super) fn remove_control_characters(formatted: &mut FormattedText) {
    let mut text = String::with_capacity(formatted.text.len());
    // map[old UTF-16 offset] = new UTF-16 offset
    let mut map = Vec::with_capacity(utf16_len(&formatted.text) + 1);
    let mut position = 0;
    for c in formatted.text.chars() {
        for _ in 0..c.len_utf16() {
            map.push(position);
        }
        match treatment(c) {
            Treatment::Keep => {
                text.push(c);
                position += c.len_utf16();
            }
            Treatment::Space => {
                text.push(' ');
                position += 1;
            }
            Treatment::Remove => {}
        }
    }
    map.push(position);
    let last = map.len() - 1;
    for entity in &mut formatted.entities {
        let start = map[entity.offset.min(last)];
        let end = map[entity.end().min(last)];
        entity.offset = start;
        entity.length = end.saturating_sub(start);
    }
    formatted.entities.retain(|entity| entity.length > 0);
    formatted.text = text;
}

/// Trims spaces and newlines: all of them at the end, and at the start those before the first
/// entity. Fails when nothing else is left.
pub(super) fn trim(formatted: &mut FormattedText) -> Result<(), TextProblem> {
    let is_space = |c: char| c == ' ' || c == '\n';
    let kept = formatted.text.trim_end_matches(is_space).len();
    if kept == 0 {
        return Err(TextProblem::Empty);
    }
    formatted.text.truncate(kept);
    let length = utf16_len(&formatted.text);
    formatted.entities.retain(|entity| entity.offset < length);
    for entity in &mut formatted.entities {
        entity.length = entity.length.min(length - entity.offset);
    }

    let first_entity = formatted
        .entities
        .iter()
        .map(|entity| entity.offset)
        .min()
        .unwrap_or(length);
    let leading = formatted
        .text
        .chars()
        .take(first_entity)
        .take_while(|c| is_space(*c))
        .count();
    if leading > 0 {
        // Spaces and newlines are one byte and one UTF-16 unit each.
        formatted.text.drain(..leading);
        for entity in &mut formatted.entities {
            entity.offset -= leading;
        }
    }
    formatted.entities.retain(|entity| entity.length > 0);
    Ok(())
}

/// Whether the text shows nothing: only spaces, newlines and invisible characters, which
/// Telegram refuses as an empty message.
pub(super) fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(
            c,
            ' ' | '\n'
                | '\u{00A0}'
                | '\u{1680}'
                | '\u{180E}'
                | '\u{2000}'..='\u{200F}'
                | '\u{202E}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{2800}'
                | '\u{3000}'
                | '\u{FEFF}'
                | '\u{FFFC}'
                | '\u{E0000}'..='\u{E007F}'
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::TextEntity;
    use super::*;

    #[test]
    fn entities_follow_removed_characters() {
        let mut formatted = FormattedText {
            text: "a\r\rbold\u{2028}!".to_owned(),
            entities: vec![TextEntity::new("bold", 3, 4)],
        };
        remove_control_characters(&mut formatted);
        assert_eq!(formatted.text, "abold!");
        assert_eq!(formatted.entities, vec![TextEntity::new("bold", 1, 4)]);
    }

    #[test]
    fn trimming_stops_at_the_first_entity() {
        let mut formatted = FormattedText {
            text: "  \n x \n".to_owned(),
            entities: vec![TextEntity::new("bold", 1, 5)],
        };
        trim(&mut formatted).unwrap();
        assert_eq!(formatted.text, " \n x");
        assert_eq!(formatted.entities, vec![TextEntity::new("bold", 0, 4)]);
    }
}
