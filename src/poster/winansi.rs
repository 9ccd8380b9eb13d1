//! Text to WinAnsiEncoding bytes, the single-byte encoding every PDF reader knows for the
//! built-in fonts: Latin-1 plus the typographic quotes, dashes and the euro sign. Dutch
//! (é, ë, ï, ĳ written as i+j) fits; anything else prints as '?' rather than as a wrong
//! letter.

/// The characters WinAnsi places at 0x80..=0x9F, where Latin-1 has control codes.
/// `None`: unused positions.
const HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

pub fn encode(text: &str) -> Vec<u8> {
    text.chars().map(byte).collect()
}

fn byte(c: char) -> u8 {
    match u32::from(c) {
        code @ (0x20..=0x7E | 0xA0..=0xFF) => code as u8,
        _ => HIGH
            .iter()
            .position(|&high| high == Some(c))
            .map_or(b'?', |i| 0x80 + i as u8),
    }
}
