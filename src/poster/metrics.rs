//! How wide text is in Helvetica, to wrap lines before any renderer sees them. The PDF uses
//! the built-in Helvetica and the SVG asks for Helvetica or Arial (same widths), so the
//! Adobe metrics below are what the page will show. Characters not in the table are
//! counted wide, so an estimate errs towards an early line break, never towards a line
//! running off the page.

/// Regular or bold: the two faces the poster uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

/// Advance widths of ' ' (32) to '~' (126) in thousandths of an em (Helvetica.afm).
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];

/// The same for Helvetica-Bold.afm.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0..?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P.._
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // `..o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p..~
];

/// Millimetres per point.
pub const MM_PER_PT: f64 = 25.4 / 72.0;

/// Width of one character in thousandths of an em.
fn advance(c: char, face: Face) -> u16 {
    let table = match face {
        Face::Regular => &REGULAR,
        Face::Bold => &BOLD,
    };
    match c {
        ' '..='~' => table[c as usize - 32],
        // Accented Latin letters (é, ë, ï, ...) are as wide as their base letters, and
        // none of those exceeds 778 in either face; Æ and æ are the wide exceptions.
        'Æ' | 'æ' | 'Œ' | 'œ' => 1000,
        '\u{C0}'..='\u{FF}' | 'Š' | 'š' | 'Ž' | 'ž' | 'Ÿ' => 778,
        // Dashes, quotes, the euro sign, or a character the PDF will print as '?': count
        // the widest glyph there is.
        _ => 1000,
    }
}

/// Width of `text` set in `face` at `size_pt` points, in millimetres.
pub fn width_mm(text: &str, face: Face, size_pt: f64) -> f64 {
    let units: u32 = text.chars().map(|c| u32::from(advance(c, face))).sum();
    f64::from(units) / 1000.0 * size_pt * MM_PER_PT
}
