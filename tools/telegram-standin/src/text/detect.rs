//! Entities Telegram finds in text by itself: bot commands, @mentions, #hashtags, $CASHTAGS,
//! links and e-mail addresses.
//!
//! They appear in the `entities` of incoming messages (a user's "/start" arrives with a
//! bot_command entity) and of the bot's own sent messages. The rules follow TDLib's matchers
//! closely for commands, mentions and tags; link and e-mail detection is simplified to links
//! with a scheme or "www." and plain `name@domain.tld` addresses.

use super::{FormattedText, TextEntity};

struct Chars {
    chars: Vec<char>,
    /// UTF-16 offset of each char, plus the total length at the end.
    offsets: Vec<usize>,
}

impl Chars {
    fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut offsets = Vec::with_capacity(chars.len() + 1);
        let mut offset = 0;
        for c in &chars {
            offsets.push(offset);
            offset += c.len_utf16();
        }
        offsets.push(offset);
        Self { chars, offsets }
    }

    fn get(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn before(&self, i: usize) -> Option<char> {
        i.checked_sub(1).and_then(|j| self.get(j))
    }

    fn entity(&self, kind: &str, start: usize, end: usize) -> TextEntity {
        TextEntity::new(
            kind,
            self.offsets[start],
            self.offsets[end] - self.offsets[start],
        )
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_ascii_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_hashtag_letter(c: char) -> bool {
    is_word(c) || c == '\u{200C}' || c == '\u{B7}' || ('\u{D80}'..='\u{DFF}').contains(&c)
}

/// Counts a run of chars from `start` matching `accept`.
fn run(chars: &Chars, start: usize, accept: impl Fn(char) -> bool) -> usize {
    chars.chars[start..]
        .iter()
        .take_while(|c| accept(**c))
        .count()
}

fn commands(chars: &Chars, found: &mut Vec<TextEntity>) {
    let blocks_command = |c: char| is_word(c) || matches!(c, '/' | '<' | '>');
    for i in 0..chars.chars.len() {
        if chars.chars[i] != '/' || chars.before(i).is_some_and(blocks_command) {
            continue;
        }
        let name = run(chars, i + 1, is_ascii_word);
        if !(1..=64).contains(&name) {
            continue;
        }
        let mut end = i + 1 + name;
        if chars.get(end) == Some('@') {
            let bot = run(chars, end + 1, is_ascii_word);
            if !(3..=32).contains(&bot) {
                continue;
            }
            end += 1 + bot;
        }
        if chars.get(end).is_some_and(blocks_command) {
            continue;
        }
        found.push(chars.entity("bot_command", i, end));
    }
}

fn mentions(chars: &Chars, found: &mut Vec<TextEntity>) {
    for i in 0..chars.chars.len() {
        if chars.chars[i] != '@' || chars.before(i).is_some_and(is_word) {
            continue;
        }
        let name = run(chars, i + 1, is_ascii_word);
        let end = i + 1 + name;
        if (2..=32).contains(&name) && !chars.get(end).is_some_and(is_word) {
            found.push(chars.entity("mention", i, end));
        }
    }
}

fn hashtags(chars: &Chars, found: &mut Vec<TextEntity>) {
    for i in 0..chars.chars.len() {
        if chars.chars[i] != '#' || chars.before(i).is_some_and(is_hashtag_letter) {
            continue;
        }
        let length = run(chars, i + 1, is_hashtag_letter);
        let end = i + 1 + length;
        let has_letter = chars.chars[i + 1..end].iter().any(|c| c.is_alphabetic());
        if length >= 1 && has_letter && chars.get(end) != Some('#') {
            found.push(chars.entity("hashtag", i, end.min(i + 1 + 256)));
        }
    }
}

fn cashtags(chars: &Chars, found: &mut Vec<TextEntity>) {
    let blocks = |c: char| is_hashtag_letter(c) || c == '$';
    for i in 0..chars.chars.len() {
        if chars.chars[i] != '$' || chars.before(i).is_some_and(blocks) {
            continue;
        }
        let length = run(chars, i + 1, |c| c.is_ascii_uppercase());
        let end = i + 1 + length;
        if (1..=8).contains(&length) && !chars.get(end).is_some_and(blocks) {
            found.push(chars.entity("cashtag", i, end));
        }
    }
}

fn links(chars: &Chars, found: &mut Vec<TextEntity>) {
    let lower: String = chars.chars.iter().collect::<String>().to_lowercase();
    // Lower-casing can change the number of chars; only use it when it does not.
    if lower.chars().count() != chars.chars.len() {
        return;
    }
    let lower: Vec<char> = lower.chars().collect();
    let starts_with = |i: usize, prefix: &str| {
        prefix
            .chars()
            .enumerate()
            .all(|(k, p)| lower.get(i + k) == Some(&p))
    };
    let mut i = 0;
    while i < chars.chars.len() {
        let at_boundary = !chars.before(i).is_some_and(is_word);
        let prefix = ["https://", "http://", "tg://", "www."]
            .into_iter()
            .find(|prefix| at_boundary && starts_with(i, prefix));
        let Some(prefix) = prefix else {
            i += 1;
            continue;
        };
        let body_start = i + prefix.chars().count();
        let mut end = body_start + run(chars, body_start, |c| !c.is_whitespace());
        // Punctuation at the end belongs to the sentence, not the link.
        while end > body_start
            && matches!(
                chars.chars[end - 1],
                '.' | ',' | ';' | ':' | '!' | '?' | ')' | '"' | '\''
            )
        {
            end -= 1;
        }
        if end > body_start {
            found.push(chars.entity("url", i, end));
        }
        i = end.max(i + 1);
    }
}

fn emails(chars: &Chars, found: &mut Vec<TextEntity>) {
    let local_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    let domain_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-');
    for i in 0..chars.chars.len() {
        if chars.chars[i] != '@' {
            continue;
        }
        let mut start = i;
        while start > 0 && local_char(chars.chars[start - 1]) {
            start -= 1;
        }
        let mut end = i + 1 + run(chars, i + 1, domain_char);
        while end > i + 1 && matches!(chars.chars[end - 1], '.' | '-') {
            end -= 1;
        }
        let domain: String = chars.chars[i + 1..end].iter().collect();
        let tld_ok = domain.rsplit_once('.').is_some_and(|(name, tld)| {
            !name.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
        });
        if start < i && tld_ok {
            found.push(chars.entity("email", start, end));
        }
    }
}

fn overlaps(a: &TextEntity, b: &TextEntity) -> bool {
    a.offset < b.end() && b.offset < a.end()
}

/// Styles that may overlap detected entities; anything else (code, links...) hides them.
fn lets_detection_through(entity: &TextEntity) -> bool {
    matches!(
        entity.kind.as_str(),
        "bold"
            | "italic"
            | "underline"
            | "strikethrough"
            | "spoiler"
            | "blockquote"
            | "expandable_blockquote"
    )
}

/// Adds detected entities that do not collide with each other or with explicit ones.
pub(super) fn add_detected_entities(formatted: &mut FormattedText) {
    let chars = Chars::new(&formatted.text);
    let mut found = Vec::new();
    links(&chars, &mut found);
    emails(&chars, &mut found);
    commands(&chars, &mut found);
    mentions(&chars, &mut found);
    hashtags(&chars, &mut found);
    cashtags(&chars, &mut found);
    let mut accepted: Vec<TextEntity> = Vec::new();
    for entity in found {
        let blocked_by_explicit = formatted
            .entities
            .iter()
            .any(|existing| overlaps(existing, &entity) && !lets_detection_through(existing));
        let blocked_by_detected = accepted.iter().any(|other| overlaps(other, &entity));
        if !blocked_by_explicit && !blocked_by_detected {
            accepted.push(entity);
        }
    }
    formatted.entities.extend(accepted);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(text: &str) -> Vec<(String, String)> {
        let mut formatted = FormattedText {
            text: text.to_owned(),
            entities: Vec::new(),
        };
        add_detected_entities(&mut formatted);
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut result: Vec<(String, String)> = formatted
            .entities
            .iter()
            .map(|e| {
                (
                    e.kind.clone(),
                    String::from_utf16_lossy(&units[e.offset..e.offset + e.length]),
                )
            })
            .collect();
        result.sort();
        result
    }

    fn pair(kind: &str, text: &str) -> (String, String) {
        (kind.to_owned(), text.to_owned())
    }

    #[test]
    fn finds_commands_mentions_tags_and_links() {
        assert_eq!(
            detect("/start@confidant_bot hi @alice #help $USD see https://example.org/x."),
            vec![
                pair("bot_command", "/start@confidant_bot"),
                pair("cashtag", "$USD"),
                pair("hashtag", "#help"),
                pair("mention", "@alice"),
                pair("url", "https://example.org/x"),
            ]
        );
    }

    #[test]
    fn ignores_lookalikes() {
        assert_eq!(detect("a/b path/start 12#3 #123 x@y"), vec![]);
        assert_eq!(
            detect("mail me: a.b@example.com"),
            vec![pair("email", "a.b@example.com")]
        );
    }
}
