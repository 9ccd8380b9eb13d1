//! Identifiers of a case: the internal id that keys storage, and the token people see.

use rand::RngCore;
use serde::{Deserialize, Serialize};

/// Internal, random id of a case. Never shown to people; keys records in storage.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CaseId(pub [u8; 16]);

impl CaseId {
    /// Not a case: the owner of the system's own timers (the daily digest).
    pub const SYSTEM: CaseId = CaseId([0xff; 16]);
}

impl CaseId {
    pub fn random(rng: &mut dyn RngCore) -> CaseId {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes);
        CaseId(bytes)
    }

    pub fn to_hex(self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(text: &str) -> Option<CaseId> {
        if text.len() != 32 {
            return None;
        }
        let mut bytes = [0u8; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(CaseId(bytes))
    }
}

impl std::fmt::Debug for CaseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CaseId({})", &self.to_hex()[..8])
    }
}

/// Crockford's base32 alphabet: no I, L, O or U, so a token read aloud or typed from a
/// screenshot cannot be confused.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PREFIX: &str = "VP";
const GROUPS: usize = 2;
const GROUP_LEN: usize = 4;

/// The pseudonymous case token, e.g. `VP-7KQ3-M9TD`: 40 random bits, short enough to
/// read out, long enough that guessing one (rate-limited) is hopeless.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Token(String);

impl Token {
    pub fn random(rng: &mut dyn RngCore) -> Token {
        let mut text = String::from(PREFIX);
        for _ in 0..GROUPS {
            text.push('-');
            for _ in 0..GROUP_LEN {
                text.push(ALPHABET[(rng.next_u32() % 32) as usize] as char);
            }
        }
        Token(text)
    }

    /// Reads a token as a person might type it: any case, with or without dashes or
    /// spaces, with O for 0 and I or L for 1.
    pub fn parse(text: &str) -> Option<Token> {
        let mut chars: String = text
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}'..='\u{2015}'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if let Some(rest) = chars.strip_prefix(PREFIX) {
            chars = rest.to_owned();
        }
        if chars.chars().count() != GROUPS * GROUP_LEN {
            return None;
        }
        let mut token = String::from(PREFIX);
        for (i, c) in chars.chars().enumerate() {
            if i % GROUP_LEN == 0 {
                token.push('-');
            }
            let c = match c {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
                return None;
            }
            token.push(c);
        }
        Some(Token(token))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn random_tokens_have_the_documented_shape_and_parse_back() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..1000 {
            let token = Token::random(&mut rng);
            assert_eq!(token.as_str().len(), 12, "{token}");
            assert!(token.as_str().starts_with("VP-"));
            assert_eq!(Token::parse(token.as_str()), Some(token.clone()));
            let sloppy = token.as_str().to_lowercase().replace('-', " ");
            assert_eq!(Token::parse(&sloppy), Some(token));
        }
    }

    #[test]
    fn confusable_letters_are_read_as_digits() {
        assert_eq!(
            Token::parse("vp-o1il-2345").unwrap().as_str(),
            "VP-0111-2345"
        );
        assert_eq!(Token::parse("7KQ3M9TD").unwrap().as_str(), "VP-7KQ3-M9TD");
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "VP-",
            "VP-1234-567",
            "VP-1234-56789",
            "VP-1234-567U",
            "VP-12€4-5678",
        ] {
            assert_eq!(Token::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn case_id_hex_round_trips() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let id = CaseId::random(&mut rng);
        assert_eq!(CaseId::from_hex(&id.to_hex()), Some(id));
        assert_eq!(CaseId::from_hex("zz"), None);
    }
}
