//! Where everything goes on the page: the texts wrapped into centred lines and the QR code
//! below them, in millimetres from the top left of an A4 sheet. Both renderers draw these
//! positions as they are, so the SVG and the PDF show the same poster.
//!
//! Everything is laid out large first; while it does not fit (a long organisation name,
//! many counsellors), all text shrinks step by step. The QR code keeps its size: it must
//! stay readable from a step away.

use super::metrics::{Face, MM_PER_PT, width_mm};
use super::qr::Code;
use super::texts::Texts;

pub const PAGE_WIDTH: f64 = 210.0;
pub const PAGE_HEIGHT: f64 = 297.0;
/// Room at every edge: most office printers cannot print the outer 5 mm, and a poster
/// wants air around it.
pub const MARGIN: f64 = 18.0;
/// Side of the QR code, quiet zone included: a typical start link gets modules of 1.5 mm,
/// readable from a step away.
pub const QR_SIDE: f64 = 70.0;
const CONTENT_WIDTH: f64 = PAGE_WIDTH - 2.0 * MARGIN;
const CONTENT_HEIGHT: f64 = PAGE_HEIGHT - 2.0 * MARGIN;

/// Helvetica's accented capitals reach 0.93 em above the baseline and its descenders 0.21
/// em below; a line's box is 1.25 em, with the baseline placed so both fit inside it.
const ABOVE_BASELINE: f64 = 0.95;
const BELOW_BASELINE: f64 = 0.30;

/// Text starts larger than its nominal size (a short poster fills the page) and shrinks by
/// `SHRINK` per attempt, down to `MIN_SCALE` (11 pt becomes 4.4 pt: small, but still
/// printed legibly).
const MAX_SCALE: f64 = 1.3;
const SHRINK: f64 = 0.92;
const MIN_SCALE: f64 = 0.4;

/// One line of text, as laid out.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub face: Face,
    pub size_pt: f64,
    /// Left end, mm from the left edge of the page.
    pub x: f64,
    /// Baseline, mm from the top edge of the page.
    pub baseline: f64,
    /// Estimated width in mm (Helvetica metrics).
    pub width: f64,
}

impl Line {
    /// Top of the line's box, mm from the top of the page.
    pub fn top(&self) -> f64 {
        self.baseline - ABOVE_BASELINE * self.size_pt * MM_PER_PT
    }

    /// Bottom of the line's box, mm from the top of the page.
    pub fn bottom(&self) -> f64 {
        self.baseline + BELOW_BASELINE * self.size_pt * MM_PER_PT
    }
}

/// The finished page.
#[derive(Debug, Clone)]
pub struct Page {
    pub lines: Vec<Line>,
    pub code: Code,
    /// Top left corner of the code (quiet zone included), mm from the page's top left.
    pub qr_x: f64,
    pub qr_y: f64,
    /// Side of one module in mm.
    pub module: f64,
}

/// One piece of the poster in reading order, at its nominal size.
enum Item<'a> {
    Text {
        text: &'a str,
        face: Face,
        size_pt: f64,
        /// Space above, in mm at nominal size.
        gap: f64,
    },
    Qr {
        gap: f64,
    },
}

pub fn lay_out(texts: &Texts, code: Code) -> Page {
    let (above, below) = items(texts);
    let module = QR_SIDE / code.size as f64;
    let qr_x = (PAGE_WIDTH - QR_SIDE) / 2.0;
    let mut scale = MAX_SCALE;
    loop {
        let top = flow(&above, scale);
        let bottom = flow(&below, scale);
        let height = top.height + bottom.height;
        if height <= CONTENT_HEIGHT {
            // Fits: centre the whole on the page, a little above the middle.
            let start = MARGIN + (CONTENT_HEIGHT - height) / 3.0;
            let mut lines = top.place(start);
            lines.extend(bottom.place(start + top.height));
            let qr_y = start + top.height + bottom.qr.unwrap_or(0.0);
            return finish(lines, code, qr_x, qr_y, module);
        }
        if scale * SHRINK < MIN_SCALE {
            // Still too long at the smallest size: keep the code and what goes with it at
            // the foot of the page, and the opening texts as far as they go above it.
            let start = (PAGE_HEIGHT - MARGIN - bottom.height).max(MARGIN);
            let limit = start - bottom.first_gap;
            let mut lines: Vec<Line> = top
                .place(MARGIN)
                .into_iter()
                .filter(|line| line.bottom() <= limit)
                .collect();
            lines.extend(bottom.place(start));
            let qr_y = start + bottom.qr.unwrap_or(0.0);
            return finish(lines, code, qr_x, qr_y, module);
        }
        scale *= SHRINK;
    }
}

/// The poster's pieces: what goes above the code's caption, and the caption, code, link
/// and Matrix line that belong together below.
fn items(texts: &Texts) -> (Vec<Item<'_>>, Vec<Item<'_>>) {
    let mut above = vec![
        Item::Text {
            text: &texts.title,
            face: Face::Bold,
            size_pt: 30.0,
            gap: 0.0,
        },
        Item::Text {
            text: &texts.organisation,
            face: Face::Bold,
            size_pt: 17.0,
            gap: 4.0,
        },
    ];
    for (i, paragraph) in texts.paragraphs.iter().enumerate() {
        above.push(Item::Text {
            text: paragraph,
            face: Face::Regular,
            size_pt: 13.0,
            gap: if i == 0 { 9.0 } else { 4.0 },
        });
    }
    if let Some(counsellors) = &texts.counsellors {
        above.push(Item::Text {
            text: counsellors,
            face: Face::Bold,
            size_pt: 14.0,
            gap: 8.0,
        });
    }
    let mut below = vec![
        Item::Text {
            text: &texts.scan,
            face: Face::Regular,
            size_pt: 12.0,
            gap: 10.0,
        },
        Item::Qr { gap: 2.0 },
        Item::Text {
            text: &texts.link,
            face: Face::Regular,
            size_pt: 11.0,
            gap: 1.0,
        },
    ];
    if let Some(matrix) = &texts.matrix {
        below.push(Item::Text {
            text: matrix,
            face: Face::Regular,
            size_pt: 11.0,
            gap: 6.0,
        });
    }
    (above, below)
}

/// Items stacked from y = 0 at one scale.
struct Flow {
    lines: Vec<Line>,
    height: f64,
    /// Where the QR code's top went, if it is in this flow.
    qr: Option<f64>,
    /// The space above the first item, to keep from what comes before.
    first_gap: f64,
}

impl Flow {
    /// The lines moved down so the flow starts at `y`.
    fn place(&self, y: f64) -> Vec<Line> {
        let mut lines = self.lines.clone();
        for line in &mut lines {
            line.baseline += y;
        }
        lines
    }
}

fn flow(items: &[Item], scale: f64) -> Flow {
    let mut y = 0.0;
    let mut lines = Vec::new();
    let mut qr = None;
    let mut first_gap = None;
    for item in items {
        match *item {
            Item::Text {
                text,
                face,
                size_pt,
                gap,
            } => {
                let size_pt = size_pt * scale;
                let em = size_pt * MM_PER_PT;
                y += gap * scale;
                first_gap.get_or_insert(gap * scale);
                for (text, width) in wrap(text, face, size_pt, CONTENT_WIDTH) {
                    lines.push(Line {
                        text,
                        face,
                        size_pt,
                        x: (PAGE_WIDTH - width) / 2.0,
                        baseline: y + ABOVE_BASELINE * em,
                        width,
                    });
                    y += (ABOVE_BASELINE + BELOW_BASELINE) * em;
                }
            }
            Item::Qr { gap } => {
                y += gap * scale;
                first_gap.get_or_insert(gap * scale);
                qr = Some(y);
                y += QR_SIDE;
            }
        }
    }
    Flow {
        lines,
        height: y,
        qr,
        first_gap: first_gap.unwrap_or(0.0),
    }
}

/// The last safety net: a line outside the margins is left out rather than printed off the
/// edge (only reachable with texts far longer than any configuration holds).
fn finish(lines: Vec<Line>, code: Code, qr_x: f64, qr_y: f64, module: f64) -> Page {
    let lines = lines
        .into_iter()
        .filter(|line| line.top() >= MARGIN && line.bottom() <= PAGE_HEIGHT - MARGIN)
        .collect();
    Page {
        lines,
        code,
        qr_x,
        qr_y,
        module,
    }
}

/// Greedy word wrap to `max` mm; a word longer than a line (a link, a name without spaces)
/// is broken between characters. Returns each line with its width.
pub fn wrap(text: &str, face: Face, size_pt: f64, max: f64) -> Vec<(String, f64)> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if width_mm(&candidate, face, size_pt) <= max {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if width_mm(word, face, size_pt) <= max {
            current = word.to_owned();
        } else {
            let mut pieces = break_word(word, face, size_pt, max);
            current = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
        .into_iter()
        .map(|line| {
            let width = width_mm(&line, face, size_pt);
            (line, width)
        })
        .collect()
}

/// Splits one over-long word into pieces no wider than `max` (each holds at least one
/// character, so this always ends).
fn break_word(word: &str, face: Face, size_pt: f64, max: f64) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in word.chars() {
        piece.push(c);
        // Measured whole, as `wrap` measures lines, so the two never disagree by a rounding.
        if piece.chars().count() > 1 && width_mm(&piece, face, size_pt) > max {
            piece.pop();
            pieces.push(std::mem::replace(&mut piece, c.to_string()));
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}
