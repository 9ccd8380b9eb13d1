//! `parse_mode=HTML`, with the tags, entity references and error messages of the Bot API.
//!
//! Written after the rules TDLib applies (the Bot API server's text parser), so a bot that
//! forgets to escape '<' in relayed user text gets the same
//! `can't parse entities: Unsupported start tag "..." at byte offset N` it would get from
//! Telegram.

use super::{FormattedText, Output, TextEntity, byte_at, checked_link, is_space, link_user_id};

const TAGS: &[&str] = &[
    "a",
    "b",
    "strong",
    "i",
    "em",
    "s",
    "strike",
    "del",
    "u",
    "ins",
    "tg-spoiler",
    "tg-emoji",
    "tg-time",
    "span",
    "pre",
    "code",
    "blockquote",
];

struct OpenTag {
    name: String,
    argument: String,
    /// UTF-16 offset in the output where the tag's content starts.
    offset: usize,
    /// Byte position in the output where the tag's content starts.
    byte: usize,
}

/// Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric references at `text[*pos]` (which is
/// '&'); the ';' is optional. Returns 0, leaving `pos` alone, when there is no valid reference:
/// the '&' is then an ordinary character.
fn decode_entity(text: &[u8], pos: &mut usize) -> u32 {
    let mut end = *pos + 1;
    let mut code: u32 = 0;
    if byte_at(text, end) == b'#' {
        end += 1;
        let hex = byte_at(text, end) == b'x';
        if hex {
            end += 1;
        }
        loop {
            let byte = byte_at(text, end);
            let digit = if hex {
                (byte as char).to_digit(16)
            } else {
                (byte as char).to_digit(10)
            };
            let Some(digit) = digit else { break };
            code = code
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(digit);
            end += 1;
        }
        if code == 0 || code >= 0x10FFFF || end - *pos >= 10 {
            return 0;
        }
    } else {
        while byte_at(text, end).is_ascii_alphabetic() {
            end += 1;
        }
        code = match &text[*pos + 1..end] {
            b"lt" => '<' as u32,
            b"gt" => '>' as u32,
            b"amp" => '&' as u32,
            b"quot" => '"' as u32,
            _ => return 0,
        };
    }
    *pos = if byte_at(text, end) == b';' {
        end + 1
    } else {
        end
    };
    code
}

/// Parses HTML markup into text and entities, or explains (in Telegram's words) what is wrong.
pub(super) fn parse(input: &str) -> Result<FormattedText, String> {
    let text = input.as_bytes();
    let size = text.len();
    let mut out = Output::default();
    let mut entities: Vec<TextEntity> = Vec::new();
    let mut open: Vec<OpenTag> = Vec::new();
    let mut i = 0;
    while i < size {
        let c = text[i];
        if c == b'&' {
            let mut pos = i;
            let code = decode_entity(text, &mut pos);
            if code != 0 {
                let Some(decoded) = char::from_u32(code) else {
                    // A lone surrogate half cannot become text.
                    return Err("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units".to_owned());
                };
                out.push_char(decoded);
                i = pos;
                continue;
            }
        }
        if c != b'<' {
            out.push_byte(c);
            i += 1;
            continue;
        }

        let begin = i;
        i += 1;
        if byte_at(text, i) != b'/' {
            i = start_tag(text, begin, i, &mut out, &mut open)?;
        } else {
            i = end_tag(text, begin, i, &out, &mut open, &mut entities)?;
        }
        // `i` is at the closing '>'.
        i += 1;
    }
    if let Some(tag) = open.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            tag.name
        ));
    }
    for entity in &mut entities {
        if entity.kind == "code" {
            entity.language = None;
        }
    }
    Ok(FormattedText {
        text: out.into_text(),
        entities,
    })
}

/// Reads a start tag beginning at `begin` ('<'); returns the position of its closing '>'.
fn start_tag(
    text: &[u8],
    begin: usize,
    mut i: usize,
    out: &mut Output,
    open: &mut Vec<OpenTag>,
) -> Result<usize, String> {
    while i < text.len() && !is_space(text[i]) && text[i] != b'>' {
        i += 1;
    }
    if i >= text.len() {
        return Err(format!("Unclosed start tag at byte offset {begin}"));
    }
    let name = String::from_utf8_lossy(&text[begin + 1..i]).to_lowercase();
    if !TAGS.contains(&name.as_str()) {
        return Err(format!(
            "Unsupported start tag \"{name}\" at byte offset {begin}"
        ));
    }

    let mut argument = String::new();
    while byte_at(text, i) != b'>' {
        while i < text.len() && is_space(text[i]) {
            i += 1;
        }
        if byte_at(text, i) == b'>' {
            break;
        }
        let attribute_begin = i;
        while i < text.len()
            && !is_space(text[i])
            && !matches!(text[i], b'=' | b'>' | b'/' | b'"' | b'\'')
        {
            i += 1;
        }
        let attribute = String::from_utf8_lossy(&text[attribute_begin..i]).into_owned();
        if attribute.is_empty() {
            return Err(format!(
                "Empty attribute name in the tag \"{name}\" at byte offset {begin}"
            ));
        }
        while i < text.len() && is_space(text[i]) {
            i += 1;
        }
        if byte_at(text, i) != b'=' {
            if i >= text.len() {
                return Err(format!(
                    "Unclosed start tag \"{name}\" at byte offset {begin}"
                ));
            }
            if name == "blockquote" && attribute == "expandable" {
                argument = "1".to_owned();
            }
            continue;
        }
        i += 1;
        while i < text.len() && is_space(text[i]) {
            i += 1;
        }
        if i >= text.len() {
            return Err(format!(
                "Unclosed start tag \"{name}\" at byte offset {begin}"
            ));
        }

        let value;
        if text[i] != b'\'' && text[i] != b'"' {
            // An unquoted name token: letters, digits, '.' and '-', case-insensitive.
            let token_begin = i;
            while i < text.len()
                && (text[i].is_ascii_alphanumeric() || matches!(text[i], b'.' | b'-'))
            {
                i += 1;
            }
            value = String::from_utf8_lossy(&text[token_begin..i]).to_lowercase();
            let next = byte_at(text, i);
            if !is_space(next) && next != b'>' {
                return Err(format!(
                    "Unexpected end of name token at byte offset {token_begin}"
                ));
            }
        } else {
            let quote = text[i];
            i += 1;
            let mut bytes = Vec::new();
            while i < text.len() && text[i] != quote {
                if text[i] == b'&' {
                    let mut pos = i;
                    let code = decode_entity(text, &mut pos);
                    if let Some(decoded) = char::from_u32(code).filter(|_| code != 0) {
                        let mut buffer = [0; 4];
                        bytes.extend_from_slice(decoded.encode_utf8(&mut buffer).as_bytes());
                        i = pos;
                        continue;
                    }
                }
                bytes.push(text[i]);
                i += 1;
            }
            if i < text.len() {
                i += 1;
            }
            value = String::from_utf8_lossy(&bytes).into_owned();
        }
        if i >= text.len() {
            return Err(format!("Unclosed start tag at byte offset {begin}"));
        }

        match (name.as_str(), attribute.as_str()) {
            ("a", "href") | ("tg-emoji", "emoji-id") | ("tg-time", "format") => argument = value,
            ("code", "class") => {
                if let Some(language) = value.strip_prefix("language-") {
                    argument = language.to_owned();
                }
            }
            ("span", "class") => {
                if let Some(class) = value.strip_prefix("tg-") {
                    argument = class.to_owned();
                }
            }
            ("blockquote", "expandable") => argument = "1".to_owned(),
            _ => {}
        }
    }

    if name == "span" && argument != "spoiler" {
        return Err(format!(
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
        ));
    }
    open.push(OpenTag {
        name,
        argument,
        offset: out.utf16,
        byte: out.bytes.len(),
    });
    Ok(i)
}

/// Reads an end tag beginning at `begin` ('<'), `i` at its '/'; closes the innermost open tag
/// and records its entity. Returns the position of the closing '>'.
fn end_tag(
    text: &[u8],
    begin: usize,
    mut i: usize,
    out: &Output,
    open: &mut Vec<OpenTag>,
    entities: &mut Vec<TextEntity>,
) -> Result<usize, String> {
    if open.is_empty() {
        return Err(format!("Unexpected end tag at byte offset {begin}"));
    }
    while i < text.len() && !is_space(text[i]) && text[i] != b'>' {
        i += 1;
    }
    let end_name = String::from_utf8_lossy(&text[begin + 2..i]).to_lowercase();
    while i < text.len() && is_space(text[i]) {
        i += 1;
    }
    if byte_at(text, i) != b'>' {
        return Err(format!("Unclosed end tag at byte offset {begin}"));
    }
    let Some(tag) = open.pop() else {
        return Err(format!("Unexpected end tag at byte offset {begin}"));
    };
    if !end_name.is_empty() && end_name != tag.name {
        return Err(format!(
            "Unmatched end tag at byte offset {begin}, expected \"</{}>\", found \"</{end_name}>\"",
            tag.name
        ));
    }
    if out.utf16 > tag.offset {
        add_entity(tag, out, entities)?;
    }
    Ok(i)
}

fn add_entity(tag: OpenTag, out: &Output, entities: &mut Vec<TextEntity>) -> Result<(), String> {
    let offset = tag.offset;
    let length = out.utf16 - tag.offset;
    let same_range = |entity: &TextEntity| entity.offset == offset && entity.length == length;
    let simple = |kind: &str| TextEntity::new(kind, offset, length);
    let entity = match tag.name.as_str() {
        "i" | "em" => simple("italic"),
        "b" | "strong" => simple("bold"),
        "s" | "strike" | "del" => simple("strikethrough"),
        "u" | "ins" => simple("underline"),
        "tg-spoiler" | "span" => simple("spoiler"),
        "tg-emoji" => {
            let valid = tag.argument.parse::<i64>().is_ok_and(|id| id != 0);
            if !valid {
                return Err("Invalid custom emoji identifier specified".to_owned());
            }
            TextEntity {
                custom_emoji_id: Some(tag.argument),
                ..simple("custom_emoji")
            }
        }
        // Formatted dates have no Bot API entity the bot's library knows; the text stays.
        "tg-time" => return Ok(()),
        "a" => {
            let url = if tag.argument.is_empty() {
                String::from_utf8_lossy(&out.bytes[tag.byte..]).into_owned()
            } else {
                tag.argument
            };
            if let Some(user_id) = link_user_id(&url) {
                TextEntity {
                    user_id: Some(user_id),
                    ..simple("text_mention")
                }
            } else if let Some(url) = checked_link(&url) {
                TextEntity {
                    url: Some(url),
                    ..simple("text_link")
                }
            } else {
                return Ok(());
            }
        }
        "pre" => {
            if let Some(last) = entities.last_mut()
                && last.kind == "code"
                && same_range(last)
                && last.language.is_some()
            {
                last.kind = "pre".to_owned();
                return Ok(());
            }
            simple("pre")
        }
        "code" => {
            let language = (!tag.argument.is_empty()).then_some(tag.argument);
            if let Some(last) = entities.last_mut()
                && last.kind == "pre"
                && same_range(last)
                && language.is_some()
            {
                last.language = language;
                return Ok(());
            }
            TextEntity {
                language,
                ..simple("code")
            }
        }
        "blockquote" if !tag.argument.is_empty() => simple("expandable_blockquote"),
        _ => simple("blockquote"),
    };
    entities.push(entity);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(kind: &str, offset: usize, length: usize) -> TextEntity {
        TextEntity::new(kind, offset, length)
    }

    #[test]
    fn parses_tags_and_references() {
        let parsed = parse("<b>Hi</b> &lt;you&gt; <a href=\"https://x.org\">link</a>").unwrap();
        assert_eq!(parsed.text, "Hi <you> link");
        assert_eq!(parsed.entities[0], entity("bold", 0, 2));
        assert_eq!(parsed.entities[1].kind, "text_link");
        assert_eq!(parsed.entities[1].url.as_deref(), Some("https://x.org"));
    }

    #[test]
    fn pre_with_code_language() {
        let parsed = parse("<pre><code class=\"language-rust\">fn</code></pre>").unwrap();
        assert_eq!(parsed.entities.len(), 1);
        assert_eq!(parsed.entities[0].kind, "pre");
        assert_eq!(parsed.entities[0].language.as_deref(), Some("rust"));
    }

    #[test]
    fn unescaped_text_gives_telegram_errors() {
        assert_eq!(
            parse("a <3 b").unwrap_err(),
            "Unsupported start tag \"3\" at byte offset 2"
        );
        assert_eq!(
            parse("<b>x</i>").unwrap_err(),
            "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\""
        );
        assert_eq!(
            parse("<b>x").unwrap_err(),
            "Can't find end tag corresponding to start tag \"b\""
        );
        assert_eq!(
            parse("x</b>").unwrap_err(),
            "Unexpected end tag at byte offset 1"
        );
        assert_eq!(
            parse("x <b").unwrap_err(),
            "Unclosed start tag at byte offset 2"
        );
    }

    #[test]
    fn lone_ampersands_are_text() {
        assert_eq!(
            parse("Q&A &unknown; &#65;").unwrap().text,
            "Q&A &unknown; A"
        );
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let parsed = parse("😀<i>x</i>").unwrap();
        assert_eq!(parsed.entities[0], entity("italic", 2, 1));
    }
}
