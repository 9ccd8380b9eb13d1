//! Message text as Telegram processes it: parse modes, entities, cleaning, trimming, limits.
//!
//! The real server does not store what the bot sent verbatim. It parses `parse_mode` markup
//! into plain text plus entities (and rejects bad markup with "can't parse entities"), replaces
//! control characters, trims spaces and newlines at both ends, refuses text that ends up empty,
//! counts the limit of 4096 characters on the result, and adds entities it detects itself
//! (commands, mentions, links). A bot that relays user text inside HTML or MarkdownV2 breaks in
//! production exactly when it escapes badly, so the stand-in reproduces these steps.

mod clean;
mod detect;
mod html;
mod markdown;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::error::ApiError;

/// Longest text a message may have after parsing and trimming, counted in UTF-16 code units.
///
/// Telegram documents "1-4096 characters". The Bot API server's own check (in TDLib) counts
/// Unicode code points; how Telegram's servers count behind it is not documented. UTF-16
/// units are the stricter reading (an emoji counts twice), so a text the stand-in accepts is
/// accepted by Telegram either way, and a bot that splits long texts by this measure is safe.
pub(crate) const MAX_MESSAGE_UNITS: usize = 4096;

/// Longest raw `text` parameter the server looks at before parsing, in bytes.
const MAX_RAW_TEXT_BYTES: usize = 1 << 15;

/// One entity of a message, as the Bot API's MessageEntity: offsets and lengths count UTF-16
/// code units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEntity {
    /// Bot API type name: "bold", "text_link", "bot_command", ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Start, in UTF-16 code units.
    pub offset: usize,
    /// Length, in UTF-16 code units.
    pub length: usize,
    /// For "text_link".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// For "pre" with a language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// For "text_mention": the mentioned user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u64>,
    /// For "custom_emoji".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_emoji_id: Option<String>,
}

impl TextEntity {
    pub(crate) fn new(kind: &str, offset: usize, length: usize) -> Self {
        Self {
            kind: kind.to_owned(),
            offset,
            length,
            url: None,
            language: None,
            user_id: None,
            custom_emoji_id: None,
        }
    }

    fn end(&self) -> usize {
        self.offset + self.length
    }

    /// TDLib's ordering priority among entities with the same range (outer first).
    fn priority(&self) -> u8 {
        match self.kind.as_str() {
            "blockquote" | "expandable_blockquote" => 0,
            "pre" => 11,
            "code" => 20,
            "text_link" | "text_mention" => 49,
            "bold" => 90,
            "italic" => 91,
            "underline" => 92,
            "strikethrough" => 93,
            "spoiler" => 94,
            "custom_emoji" => 99,
            _ => 50,
        }
    }

    /// The Bot API JSON of this entity; `user` is the full User object for text mentions.
    pub(crate) fn to_json(&self, user: Option<Value>) -> Value {
        let mut value = json!({
            "type": self.kind,
            "offset": self.offset,
            "length": self.length,
        });
        if let Some(url) = &self.url {
            value["url"] = json!(url);
        }
        if let Some(language) = &self.language {
            value["language"] = json!(language);
        }
        if let Some(user) = user {
            value["user"] = user;
        }
        if let Some(id) = &self.custom_emoji_id {
            value["custom_emoji_id"] = json!(id);
        }
        value
    }
}

/// Text plus entities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FormattedText {
    pub(crate) text: String,
    pub(crate) entities: Vec<TextEntity>,
}

/// Why a text cannot be sent after Telegram's processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TextProblem {
    /// Nothing but spaces, newlines and invisible characters.
    Empty,
    /// Longer than [`MAX_MESSAGE_UNITS`]; carries the length in UTF-16 units.
    TooLong(usize),
}

/// Turns the `text`, `parse_mode` and `entities` parameters of sendMessage or editMessageText
/// into formatted text, with the real server's errors for empty text, unknown parse modes and
/// bad markup. The result still needs [`finish`].
pub(crate) fn parse_input(
    text: &str,
    parse_mode: &str,
    entities: &str,
) -> Result<FormattedText, ApiError> {
    if text.is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if text.len() > MAX_RAW_TEXT_BYTES {
        return Err(ApiError::bad_request("text is too long"));
    }
    let mode = parse_mode.to_ascii_lowercase();
    let parsed = match mode.as_str() {
        "" | "none" => Ok(FormattedText {
            text: text.to_owned(),
            entities: explicit_entities(entities)?,
        }),
        "html" => html::parse(text),
        "markdownv2" => markdown::parse_v2(text),
        "markdown" => markdown::parse_v1(text),
        _ => return Err(ApiError::bad_request("unsupported parse_mode")),
    };
    parsed.map_err(|problem| ApiError::bad_request(format!("can't parse entities: {problem}")))
}

/// The rest of Telegram's processing: removes control characters, trims, refuses empty text,
/// sorts entities and adds the ones the server detects itself. The length limit is checked by
/// the caller, because sendMessage and editMessageText word that error differently.
pub(crate) fn finish(mut formatted: FormattedText) -> Result<FormattedText, TextProblem> {
    clean::remove_control_characters(&mut formatted);
    clean::trim(&mut formatted)?;
    if clean::is_blank(&formatted.text) {
        return Err(TextProblem::Empty);
    }
    detect::add_detected_entities(&mut formatted);
    sort_entities(&mut formatted.entities);
    Ok(formatted)
}

/// Processes text an employee types, as their client and the server would, and checks the
/// client's own limits.
pub(crate) fn from_employee(text: &str) -> Result<FormattedText, TextProblem> {
    let formatted = finish(FormattedText {
        text: text.to_owned(),
        entities: Vec::new(),
    })?;
    let length = utf16_len(&formatted.text);
    if length > MAX_MESSAGE_UNITS {
        return Err(TextProblem::TooLong(length));
    }
    Ok(formatted)
}

/// Length in UTF-16 code units, the unit of entity offsets.
pub(crate) fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

fn sort_entities(entities: &mut [TextEntity]) {
    entities.sort_by(|a, b| {
        a.offset
            .cmp(&b.offset)
            .then(b.length.cmp(&a.length))
            .then(a.priority().cmp(&b.priority()))
    });
}

/// Entities given explicitly in the `entities` parameter (only used without parse_mode).
fn explicit_entities(json_text: &str) -> Result<Vec<TextEntity>, ApiError> {
    if json_text.is_empty() {
        return Ok(Vec::new());
    }
    // The server ignores an `entities` value that is not an array.
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(json_text) else {
        return Ok(Vec::new());
    };
    let mut entities = Vec::new();
    for item in items {
        let entity = explicit_entity(&item).map_err(|problem| {
            ApiError::bad_request(format!("can't parse MessageEntity: {problem}"))
        })?;
        entities.extend(entity);
    }
    Ok(entities)
}

fn explicit_entity(item: &Value) -> Result<Option<TextEntity>, String> {
    let Value::Object(fields) = item else {
        return Err("expected an Object".to_owned());
    };
    let kind = fields
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| "Field \"type\" must be of type String".to_owned())?;
    let number = |name: &str| -> Result<usize, String> {
        fields
            .get(name)
            .and_then(Value::as_i64)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| format!("Field \"{name}\" must be a valid Number"))
    };
    let offset = number("offset")?;
    let length = number("length")?;
    let mut entity = TextEntity::new(kind, offset, length);
    match kind {
        "bold"
        | "italic"
        | "underline"
        | "strikethrough"
        | "spoiler"
        | "code"
        | "blockquote"
        | "expandable_blockquote"
        | "mention"
        | "hashtag"
        | "cashtag"
        | "bot_command"
        | "url"
        | "email"
        | "phone_number"
        | "bank_card_number" => {}
        "pre" => {
            entity.language = fields
                .get("language")
                .and_then(Value::as_str)
                .filter(|language| !language.is_empty())
                .map(str::to_owned);
        }
        "text_link" => {
            let url = fields.get("url").and_then(Value::as_str).unwrap_or("");
            match checked_link(url) {
                Some(url) => entity.url = Some(url),
                None => return Ok(None),
            }
        }
        "text_mention" => {
            let id = fields
                .get("user")
                .and_then(|user| user.get("id"))
                .and_then(Value::as_u64)
                .ok_or_else(|| "Field \"user\" must be of type Object".to_owned())?;
            entity.user_id = Some(id);
        }
        "custom_emoji" => {
            let id = fields
                .get("custom_emoji_id")
                .and_then(Value::as_str)
                .unwrap_or("");
            entity.custom_emoji_id = Some(id.to_owned());
        }
        _ => return Err(format!("Unsupported type specified: {kind}")),
    }
    Ok((length > 0).then_some(entity))
}

/// The link a text_link entity will carry, or `None` when Telegram would drop the entity.
/// Like the server, a link without a scheme gets "http://".
pub(crate) fn checked_link(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.chars().any(char::is_whitespace) {
        return None;
    }
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => {
            if url.to_ascii_lowercase().starts_with("tg:") {
                return Some(url.to_owned());
            }
            ("http".to_owned(), url)
        }
    };
    match scheme.as_str() {
        "http" | "https" | "ton" | "tonsite" | "ftp" => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host_port = authority.rsplit('@').next().unwrap_or("");
            let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
            let host_ok = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_'));
            let port_ok = port.chars().all(|c| c.is_ascii_digit());
            (host_ok && port_ok).then(|| format!("{scheme}://{rest}"))
        }
        "tg" => Some(format!("tg://{rest}")),
        _ => None,
    }
}

/// The user id in a `tg://user?id=N` link, which becomes a text_mention rather than a link.
pub(crate) fn link_user_id(url: &str) -> Option<u64> {
    let lower = url.trim().to_ascii_lowercase();
    let query = lower
        .strip_prefix("tg://user?")
        .or_else(|| lower.strip_prefix("tg:user?"))?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("id="))
        .and_then(|id| id.parse::<u64>().ok())
        .filter(|id| *id > 0)
}

/// Shared by the parsers: builds the output text byte by byte while counting UTF-16 units,
/// which is how entity offsets are measured.
#[derive(Default)]
struct Output {
    bytes: Vec<u8>,
    utf16: usize,
}

impl Output {
    fn push_byte(&mut self, byte: u8) {
        // Continuation bytes do not start a character; 4-byte characters are surrogate pairs.
        if byte & 0xC0 != 0x80 {
            self.utf16 += if byte >= 0xF0 { 2 } else { 1 };
        }
        self.bytes.push(byte);
    }

    fn push_char(&mut self, c: char) {
        let mut buffer = [0; 4];
        for byte in c.encode_utf8(&mut buffer).bytes() {
            self.push_byte(byte);
        }
    }

    fn into_text(self) -> String {
        // Parsers only split input at ASCII bytes, so the output is valid UTF-8; lossy
        // conversion keeps a mistake from ever becoming a panic.
        String::from_utf8(self.bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }
}

/// TDLib's notion of a space byte, NUL included (its parsers stop at the terminating NUL).
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0B)
}

/// Byte `i` of `text`, or 0 past the end: the parsers follow TDLib, which relies on the
/// terminating NUL of C strings.
fn byte_at(text: &[u8], i: usize) -> u8 {
    text.get(i).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(text: &str, mode: &str) -> Result<FormattedText, String> {
        let parsed = parse_input(text, mode, "").map_err(|error| error.description)?;
        finish(parsed).map_err(|problem| format!("{problem:?}"))
    }

    #[test]
    fn plain_text_is_trimmed_and_cleaned() {
        let result = sent("  \n hello\r\n\tworld \n ", "").unwrap();
        assert_eq!(result.text, "hello\n world");
    }

    #[test]
    fn whitespace_only_text_is_empty() {
        assert_eq!(sent(" \n \u{200B}", "").unwrap_err(), "Empty");
        assert_eq!(
            parse_input("", "", "").unwrap_err().description,
            "Bad Request: message text is empty"
        );
    }

    #[test]
    fn unknown_parse_mode_is_refused() {
        assert_eq!(
            parse_input("x", "Textile", "").unwrap_err().description,
            "Bad Request: unsupported parse_mode"
        );
    }

    #[test]
    fn commands_are_detected() {
        let result = sent("/start now", "").unwrap();
        assert_eq!(result.entities, vec![TextEntity::new("bot_command", 0, 6)]);
    }

    proptest::proptest! {
        /// Whatever a bot sends, parsing never panics, and every entity lies inside the text
        /// on UTF-16 boundaries.
        #[test]
        fn any_input_gives_text_or_a_telegram_error(
            noise in r"[ -~\n\r\t<>&;#*_`\[\]()~|!\\.éß😀\u{200B}]{0,6}",
            tokens in proptest::collection::vec(proptest::sample::select(vec![
                "<b>", "</b>", "<i>", "</i>", "<a href=\"http://e.org\">", "</a>", "<pre>",
                "<code class=\"language-x\">", "</code>", "</pre>", "<blockquote>",
                "</blockquote>", "&lt;", "&amp;", "*", "_", "__", "||", "`", "```", "~",
                "[x](http://e.org)", ">", "\n", "\r", "\\.", "\\!", " ", "word", "😀", "/cmd",
                "@name", "#tag", "\u{2028}",
            ]), 0..24),
            mode in proptest::sample::select(vec!["", "HTML", "MarkdownV2", "Markdown"]),
        ) {
            let text = format!("{}{}", tokens.concat(), noise);
            let Ok(parsed) = parse_input(&text, mode, "") else { return Ok(()); };
            let Ok(done) = finish(parsed) else { return Ok(()); };
            let units: Vec<u16> = done.text.encode_utf16().collect();
            for entity in &done.entities {
                proptest::prop_assert!(entity.length > 0);
                proptest::prop_assert!(entity.offset + entity.length <= units.len());
                proptest::prop_assert!(String::from_utf16(&units[entity.offset..entity.end()]).is_ok());
            }
        }
    }

    #[test]
    fn links_get_a_scheme() {
        assert_eq!(
            checked_link("example.org/x").as_deref(),
            Some("http://example.org/x")
        );
        assert_eq!(checked_link("javascript:alert(1)"), None);
        assert_eq!(link_user_id("tg://user?id=42"), Some(42));
    }
}
