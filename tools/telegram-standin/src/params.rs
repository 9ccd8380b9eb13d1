//! Parameters of a Bot API call, collected and read the way the Telegram Bot API server does.
//!
//! Telegram accepts parameters in the query string, as an urlencoded form or as a JSON object,
//! and treats them all alike: every value becomes a string (objects and arrays keep their JSON
//! text) and each method parses what it needs from those strings. Doing the same here makes the
//! stand-in accept exactly what the real server accepts, e.g. `reply_markup` as a JSON string
//! inside a form, or `chat_id` as a JSON string instead of a number.

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::ApiError;

/// The parameters of one call, in arrival order; the first occurrence of a name wins, and
/// query-string parameters come before body parameters, as in the real server.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
    /// File parts of a multipart body.
    pub(crate) uploads: Vec<super::files::Upload>,
}

impl Params {
    /// Parameters from a query string (`a=1&b=2`), percent-decoded.
    pub(crate) fn from_query(query: &str) -> Self {
        let mut params = Self::default();
        params.extend_urlencoded(query.as_bytes());
        params
    }

    /// Adds the fields of an `application/x-www-form-urlencoded` body.
    pub(crate) fn extend_urlencoded(&mut self, body: &[u8]) {
        let body = String::from_utf8_lossy(body);
        for pair in body.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            self.pairs
                .push((percent_decode(name, true), percent_decode(value, true)));
        }
    }

    /// Adds the fields of an `application/json` body, which must be a JSON object.
    pub(crate) fn extend_json(&mut self, body: &[u8]) -> Result<(), ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| ApiError::bad_request("can't parse JSON object"))?;
        let Value::Object(fields) = value else {
            return Err(ApiError::bad_request("expected a JSON object"));
        };
        for (name, value) in fields {
            let text = match value {
                // A JSON null carries nothing; the server treats it as an absent parameter.
                Value::Null => continue,
                Value::String(text) => text,
                other => other.to_string(),
            };
            self.pairs.push((name, text));
        }
        Ok(())
    }

    /// The value of `name`, or "" when absent (Telegram treats empty and absent alike).
    pub(crate) fn get(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// The value of `name` read as an integer the lenient way the server does (see [`to_integer`]).
    pub(crate) fn int(&self, name: &str) -> i64 {
        to_integer(self.get(name))
    }

    /// The value of `name` read as a boolean: "true", "yes" and "1" (any case) are true.
    pub(crate) fn flag(&self, name: &str) -> bool {
        matches!(
            self.get(name).trim().to_ascii_lowercase().as_str(),
            "true" | "yes" | "1"
        )
    }

    /// The value of `name` parsed as JSON, `None` when absent; `Err(())` when it is not JSON.
    pub(crate) fn json(&self, name: &str) -> Result<Option<Value>, ()> {
        let text = self.get(name);
        if text.is_empty() {
            return Ok(None);
        }
        serde_json::from_str(text).map(Some).map_err(|_| ())
    }

    /// Adds one parameter (a text field of a multipart body).
    pub(crate) fn push(&mut self, name: String, value: String) {
        self.pairs.push((name, value));
    }

    /// All parameters as a map (first occurrence wins), for the call log.
    pub(crate) fn to_map(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        for (name, value) in &self.pairs {
            map.entry(name.clone()).or_insert_with(|| value.clone());
        }
        map
    }
}

/// Reads an integer as the Telegram server does: an optional '-', then digits up to the first
/// non-digit; anything else reads as 0. So "12abc" is 12 and "@name" is 0 (which then fails as
/// "chat not found" rather than as a parse error, like on the real server).
pub(crate) fn to_integer(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut value: u64 = 0;
    for digit in digits.bytes().take_while(u8::is_ascii_digit) {
        value = value.wrapping_mul(10).wrapping_add(u64::from(digit - b'0'));
    }
    // The server wraps around silently too; the cast keeps that two's-complement behaviour.
    let value = value as i64;
    if negative {
        value.wrapping_neg()
    } else {
        value
    }
}

/// Decodes `%XX` escapes (and `+` as space in form data). Invalid escapes stay as they are and
/// invalid UTF-8 is replaced, so no input makes the stand-in fail.
pub(crate) fn percent_decode(text: &str, plus_as_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_read_leniently_like_the_server() {
        assert_eq!(to_integer("123"), 123);
        assert_eq!(to_integer("-100123"), -100123);
        assert_eq!(to_integer("12abc"), 12);
        assert_eq!(to_integer("@someone"), 0);
        assert_eq!(to_integer(""), 0);
    }

    #[test]
    fn json_values_become_strings() {
        let mut params = Params::default();
        params
            .extend_json(
                br#"{"chat_id":42,"text":"hi","reply_markup":{"a":[1]},"x":null,"b":true}"#,
            )
            .unwrap();
        assert_eq!(params.get("chat_id"), "42");
        assert_eq!(params.get("text"), "hi");
        assert_eq!(params.get("reply_markup"), r#"{"a":[1]}"#);
        assert_eq!(params.get("x"), "");
        assert!(params.flag("b"));
    }

    #[test]
    fn forms_are_percent_decoded_and_first_value_wins() {
        let mut params = Params::from_query("text=a%20b+c&chat_id=1");
        params.extend_urlencoded(b"chat_id=2&bad=%zz%");
        assert_eq!(params.get("text"), "a b c");
        assert_eq!(params.int("chat_id"), 1);
        assert_eq!(params.get("bad"), "%zz%");
    }

    #[test]
    fn a_json_body_that_is_not_an_object_is_refused() {
        let mut params = Params::default();
        assert_eq!(params.extend_json(b"[1]").unwrap_err().code, 400);
        assert_eq!(params.extend_json(b"{").unwrap_err().code, 400);
    }
}
