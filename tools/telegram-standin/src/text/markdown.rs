//! `parse_mode=MarkdownV2` and legacy `parse_mode=Markdown`, with the Bot API's rules and
//! error messages.
//!
//! MarkdownV2 is strict: every reserved character outside an entity must be escaped, so a bot
//! that relays "Thanks!" unescaped gets
//! `can't parse entities: Character '!' is reserved and must be escaped with the preceding '\'`.
//! The algorithm follows TDLib's parser step by step so that the same input fails the same way.

use super::{FormattedText, Output, TextEntity, byte_at, checked_link, is_space, link_user_id};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bold,
    Italic,
    Underline,
    Strikethrough,
    Spoiler,
    Code,
    Pre,
    PreCode,
    TextUrl,
    CustomEmoji,
    BlockQuote,
    ExpandableBlockQuote,
}

impl Kind {
    /// The name TDLib uses in "Can't find end of ... entity" errors.
    fn name(self) -> &'static str {
        match self {
            Kind::Bold => "Bold",
            Kind::Italic => "Italic",
            Kind::Underline => "Underline",
            Kind::Strikethrough => "Strikethrough",
            Kind::Spoiler => "Spoiler",
            Kind::Code => "Code",
            Kind::Pre => "Pre",
            Kind::PreCode => "PreCode",
            Kind::TextUrl => "TextUrl",
            Kind::CustomEmoji => "CustomEmoji",
            Kind::BlockQuote => "BlockQuote",
            Kind::ExpandableBlockQuote => "ExpandableBlockQuote",
        }
    }

    fn is_code(self) -> bool {
        matches!(self, Kind::Code | Kind::Pre | Kind::PreCode)
    }
}

struct Open {
    kind: Kind,
    argument: String,
    /// UTF-16 offset in the output where the entity starts.
    offset: usize,
    /// Byte offset in the input of the opening marker (used in error messages).
    marker: usize,
    /// Byte position in the output where the entity's text starts.
    begin: usize,
}

fn reserved(byte: u8) -> String {
    format!(
        "Character '{}' is reserved and must be escaped with the preceding '\\'",
        byte as char
    )
}

fn unfinished(open: &Open) -> String {
    format!(
        "Can't find end of {} entity at byte offset {}",
        open.kind.name(),
        open.marker
    )
}

/// Reads the `(url)` after `](`, with `\` escapes; `i` is at the first URL byte and ends at ')'.
fn read_url(text: &[u8], i: &mut usize) -> Result<String, String> {
    let begin = *i;
    let mut url = Vec::new();
    while *i < text.len() && text[*i] != b')' {
        let next = byte_at(text, *i + 1);
        if text[*i] == b'\\' && (1..=126).contains(&next) {
            url.push(next);
            *i += 2;
            continue;
        }
        url.push(text[*i]);
        *i += 1;
    }
    if byte_at(text, *i) != b')' {
        return Err(format!("Can't find end of a URL at byte offset {begin}"));
    }
    Ok(String::from_utf8_lossy(&url).into_owned())
}

/// Parses MarkdownV2 into text and entities, or explains (in Telegram's words) what is wrong.
pub(super) fn parse_v2(input: &str) -> Result<FormattedText, String> {
    let text = input.as_bytes();
    let size = text.len();
    let mut out = Output::default();
    let mut entities = Vec::new();
    let mut nested: Vec<Open> = Vec::new();
    let mut have_blockquote = false;
    let mut can_start_blockquote = true;
    let mut i = 0;
    while i < size {
        let c = text[i];
        let next = byte_at(text, i + 1);
        if c == b'\\' && (1..=126).contains(&next) {
            i += 1;
            out.push_byte(text[i]);
            if text[i] != b'\r' {
                can_start_blockquote = text[i] == b'\n';
            }
            i += 1;
            continue;
        }

        let in_code = nested.last().is_some_and(|open| open.kind.is_code());
        let reserved_set: &[u8] = if in_code {
            b"`"
        } else {
            b"_*[]()~`>#+-=|{}.!\n"
        };
        if !reserved_set.contains(&c) {
            if c & 0xC0 != 0x80 && c != b'\r' {
                can_start_blockquote = false;
            }
            out.push_byte(c);
            i += 1;
            continue;
        }

        let is_end = match nested.last() {
            None => false,
            Some(_) if have_blockquote && c == b'\n' && (i + 1 == size || next != b'>') => true,
            Some(open) => match open.kind {
                Kind::Bold => c == b'*',
                Kind::Italic => c == b'_' && next != b'_',
                Kind::Code => c == b'`',
                Kind::Pre | Kind::PreCode => {
                    c == b'`' && next == b'`' && byte_at(text, i + 2) == b'`'
                }
                Kind::TextUrl | Kind::CustomEmoji => c == b']',
                Kind::Underline => c == b'_' && next == b'_',
                Kind::Strikethrough => c == b'~',
                Kind::Spoiler => c == b'|' && next == b'|',
                Kind::BlockQuote | Kind::ExpandableBlockQuote => false,
            },
        };

        if !is_end {
            let marker = i;
            let mut argument = String::new();
            let kind = match c {
                b'_' if next == b'_' => {
                    i += 1;
                    Kind::Underline
                }
                b'_' => Kind::Italic,
                b'*' => Kind::Bold,
                b'~' => Kind::Strikethrough,
                b'|' if next == b'|' => {
                    i += 1;
                    Kind::Spoiler
                }
                b'[' => Kind::TextUrl,
                b'`' if next == b'`' && byte_at(text, i + 2) == b'`' => {
                    i += 3;
                    let mut kind = Kind::Pre;
                    let mut language_end = i;
                    while !is_space(byte_at(text, language_end))
                        && byte_at(text, language_end) != b'`'
                    {
                        language_end += 1;
                    }
                    if i != language_end && language_end < size && text[language_end] != b'`' {
                        kind = Kind::PreCode;
                        argument = String::from_utf8_lossy(&text[i..language_end]).into_owned();
                        i = language_end;
                    }
                    i = skip_one_newline(text, i);
                    // The loop step below moves past the last byte consumed.
                    i -= 1;
                    kind
                }
                b'`' => Kind::Code,
                b'!' if next == b'[' => {
                    i += 1;
                    Kind::CustomEmoji
                }
                b'\n' => {
                    out.push_byte(b'\n');
                    can_start_blockquote = true;
                    i += 1;
                    continue;
                }
                b'>' if can_start_blockquote => {
                    if have_blockquote {
                        // A '>' continuing the quote on a new line is markup, not text.
                        i += 1;
                        continue;
                    }
                    have_blockquote = true;
                    Kind::BlockQuote
                }
                _ => return Err(reserved(c)),
            };
            nested.push(Open {
                kind,
                argument,
                offset: out.utf16,
                marker,
                begin: out.bytes.len(),
            });
            i += 1;
            continue;
        }

        // The end of the innermost entity.
        let Some(last) = nested.last() else {
            return Err(reserved(c));
        };
        let mut kind = last.kind;
        if c == b'\n' && kind != Kind::BlockQuote {
            // Only "||" right before the newline may end a quote: it makes it expandable.
            let spoiler_just_opened = kind == Kind::Spoiler
                && (last.marker + 2 == i
                    || (last.marker + 3 == i && out.bytes.last() == Some(&b'\r')));
            if !spoiler_just_opened {
                return Err(unfinished(last));
            }
            nested.pop();
            let Some(quote) = nested.last() else {
                return Err(reserved(c));
            };
            if quote.kind != Kind::BlockQuote {
                return Err(unfinished(quote));
            }
            kind = Kind::ExpandableBlockQuote;
        }
        let Some(last) = nested.last_mut() else {
            return Err(reserved(c));
        };
        let mut argument = std::mem::take(&mut last.argument);
        let (offset, begin) = (last.offset, last.begin);
        let mut skip = out.utf16 == offset;
        let mut user_id = None;
        let mut custom_emoji_id = None;
        match kind {
            Kind::Bold | Kind::Italic | Kind::Code | Kind::Strikethrough => {}
            Kind::Underline | Kind::Spoiler => i += 1,
            Kind::Pre | Kind::PreCode => i += 2,
            Kind::TextUrl => {
                let url = if byte_at(text, i + 1) != b'(' {
                    String::from_utf8_lossy(&out.bytes[begin..]).into_owned()
                } else {
                    i += 2;
                    read_url(text, &mut i)?
                };
                if let Some(id) = link_user_id(&url) {
                    user_id = Some(id);
                } else if let Some(url) = checked_link(&url) {
                    argument = url;
                } else {
                    skip = true;
                }
            }
            Kind::CustomEmoji => {
                if byte_at(text, i + 1) != b'(' {
                    return Err("The entity must contain a tg://emoji or tg://time URL".to_owned());
                }
                i += 2;
                let url = read_url(text, &mut i)?;
                let lower = url.to_ascii_lowercase();
                if let Some(id) = lower
                    .strip_prefix("tg://emoji?id=")
                    .and_then(|id| id.parse::<i64>().ok())
                    .filter(|id| *id != 0)
                {
                    custom_emoji_id = Some(id.to_string());
                } else if lower.starts_with("tg://time?") {
                    // Formatted dates have no entity the bot's library knows; the text stays.
                    skip = true;
                } else {
                    return Err("Invalid tg://emoji or tg://time URL specified".to_owned());
                }
            }
            Kind::BlockQuote | Kind::ExpandableBlockQuote => {
                have_blockquote = false;
                out.push_byte(c);
                can_start_blockquote = true;
                skip = false;
            }
        }
        if !skip {
            entities.push(entity(
                kind,
                offset,
                out.utf16 - offset,
                argument,
                user_id,
                custom_emoji_id,
            ));
        }
        nested.pop();
        i += 1;
    }

    if have_blockquote {
        let mut kind = Kind::BlockQuote;
        if let Some(last) = nested.last()
            && last.kind == Kind::Spoiler
            && last.marker + 2 == size
        {
            nested.pop();
            kind = Kind::ExpandableBlockQuote;
        }
        if let Some(last) = nested.last()
            && last.kind == Kind::BlockQuote
        {
            let length = out.utf16 - last.offset;
            if length != 0 {
                entities.push(entity(kind, last.offset, length, String::new(), None, None));
            }
            nested.pop();
        }
    }
    if let Some(last) = nested.last() {
        return Err(unfinished(last));
    }
    Ok(FormattedText {
        text: out.into_text(),
        entities,
    })
}

/// Skips one line break (LF, CR, CRLF or LFCR) at the start of a code block.
fn skip_one_newline(text: &[u8], i: usize) -> usize {
    let first = byte_at(text, i);
    if first != b'\n' && first != b'\r' {
        return i;
    }
    let second = byte_at(text, i + 1);
    if (second == b'\n' || second == b'\r') && first != second {
        i + 2
    } else {
        i + 1
    }
}

fn entity(
    kind: Kind,
    offset: usize,
    length: usize,
    argument: String,
    user_id: Option<u64>,
    custom_emoji_id: Option<String>,
) -> TextEntity {
    let name = match kind {
        Kind::Bold => "bold",
        Kind::Italic => "italic",
        Kind::Underline => "underline",
        Kind::Strikethrough => "strikethrough",
        Kind::Spoiler => "spoiler",
        Kind::Code => "code",
        Kind::Pre | Kind::PreCode => "pre",
        Kind::TextUrl if user_id.is_some() => "text_mention",
        Kind::TextUrl => "text_link",
        Kind::CustomEmoji => "custom_emoji",
        Kind::BlockQuote => "blockquote",
        Kind::ExpandableBlockQuote => "expandable_blockquote",
    };
    let mut entity = TextEntity::new(name, offset, length);
    match kind {
        Kind::PreCode => entity.language = Some(argument),
        Kind::TextUrl if user_id.is_none() => entity.url = Some(argument),
        _ => {}
    }
    entity.user_id = user_id;
    entity.custom_emoji_id = custom_emoji_id;
    entity
}

/// Parses legacy Markdown (`*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ````, `[text](url)`).
pub(super) fn parse_v1(input: &str) -> Result<FormattedText, String> {
    let text = input.as_bytes();
    let size = text.len();
    let mut out = Output::default();
    let mut entities = Vec::new();
    let mut i = 0;
    while i < size {
        let c = text[i];
        let next = byte_at(text, i + 1);
        if c == b'\\' && matches!(next, b'_' | b'*' | b'`' | b'[') {
            out.push_byte(next);
            i += 2;
            continue;
        }
        if !matches!(c, b'_' | b'*' | b'`' | b'[') {
            out.push_byte(c);
            i += 1;
            continue;
        }

        let begin = i;
        let end_character = if c == b'[' { b']' } else { c };
        let mut is_pre = false;
        let mut language = String::new();
        i += 1;
        if c == b'`' && byte_at(text, i) == b'`' && byte_at(text, i + 1) == b'`' {
            i += 2;
            is_pre = true;
            let mut language_end = i;
            while !is_space(byte_at(text, language_end)) && byte_at(text, language_end) != b'`' {
                language_end += 1;
            }
            if i != language_end && language_end < size && text[language_end] != b'`' {
                language = String::from_utf8_lossy(&text[i..language_end]).into_owned();
                i = language_end;
            }
            i = skip_one_newline(text, i);
        }

        let offset = out.utf16;
        while i < size
            && (text[i] != end_character
                || (is_pre && !(byte_at(text, i + 1) == b'`' && byte_at(text, i + 2) == b'`')))
        {
            out.push_byte(text[i]);
            i += 1;
        }
        if i >= size {
            return Err(format!(
                "Can't find end of the entity starting at byte offset {begin}"
            ));
        }

        if out.utf16 != offset {
            let length = out.utf16 - offset;
            match c {
                b'_' => entities.push(TextEntity::new("italic", offset, length)),
                b'*' => entities.push(TextEntity::new("bold", offset, length)),
                b'[' => {
                    let url = if byte_at(text, i + 1) != b'(' {
                        String::from_utf8_lossy(&text[begin + 1..i]).into_owned()
                    } else {
                        i += 2;
                        let url_begin = i;
                        while i < size && text[i] != b')' {
                            i += 1;
                        }
                        String::from_utf8_lossy(&text[url_begin..i.min(size)]).into_owned()
                    };
                    if let Some(user_id) = link_user_id(&url) {
                        entities.push(TextEntity {
                            user_id: Some(user_id),
                            ..TextEntity::new("text_mention", offset, length)
                        });
                    } else if let Some(url) = checked_link(&url) {
                        entities.push(TextEntity {
                            url: Some(url),
                            ..TextEntity::new("text_link", offset, length)
                        });
                    }
                }
                _ if is_pre => entities.push(TextEntity {
                    language: (!language.is_empty()).then_some(language),
                    ..TextEntity::new("pre", offset, length)
                }),
                _ => entities.push(TextEntity::new("code", offset, length)),
            }
        }
        if is_pre {
            i += 2;
        }
        i += 1;
    }
    Ok(FormattedText {
        text: out.into_text(),
        entities,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_parses_nested_entities_and_escapes() {
        let parsed = parse_v2("*bold _it_* \\. [x](https://e\\.org) __u__ ||s||").unwrap();
        assert_eq!(parsed.text, "bold it . x u s");
        let kinds: Vec<&str> = parsed.entities.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            ["italic", "bold", "text_link", "underline", "spoiler"]
        );
        assert_eq!(parsed.entities[2].url.as_deref(), Some("https://e.org"));
    }

    #[test]
    fn v2_reserved_characters_must_be_escaped() {
        assert_eq!(
            parse_v2("Thanks!").unwrap_err(),
            "Character '!' is reserved and must be escaped with the preceding '\\'"
        );
        assert_eq!(
            parse_v2("a *b").unwrap_err(),
            "Can't find end of Bold entity at byte offset 2"
        );
        assert_eq!(
            parse_v2("[x](http://a").unwrap_err(),
            "Can't find end of a URL at byte offset 4"
        );
    }

    #[test]
    fn v2_code_blocks_and_quotes() {
        let parsed = parse_v2("```rust\nfn x()\n```").unwrap();
        assert_eq!(parsed.text, "fn x()\n");
        assert_eq!(parsed.entities[0].language.as_deref(), Some("rust"));
        let quoted = parse_v2(">quoted\n>more\nafter").unwrap();
        assert_eq!(quoted.text, "quoted\nmore\nafter");
        assert_eq!(quoted.entities[0].kind, "blockquote");
        assert_eq!(
            (quoted.entities[0].offset, quoted.entities[0].length),
            (0, 12)
        );
    }

    #[test]
    fn v1_is_lenient_but_needs_closing_markers() {
        let parsed = parse_v1("*b* _i_ `c` [t](http://x.org) a\\_b").unwrap();
        assert_eq!(parsed.text, "b i c t a_b");
        assert_eq!(parsed.entities.len(), 4);
        assert_eq!(
            parse_v1("snake_case").unwrap_err(),
            "Can't find end of the entity starting at byte offset 5"
        );
    }
}
