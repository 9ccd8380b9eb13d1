//! The QR code as a grid of modules, with dark modules merged into horizontal runs: a
//! typical start link makes a version-5 code of some 700 dark modules in half as many
//! runs, which keeps both files small and leaves fewer hairline seams between squares.

use qrcode::{Color, EcLevel, QrCode};

use super::PosterError;

/// Light modules around the code that scanners need to find it (the standard's minimum).
pub const QUIET_ZONE: usize = 4;

/// Codes with more modules than this (quiet zone included) would print modules too small
/// for a phone to read at the poster's QR size (0.6 mm at `layout::QR_SIDE`): version 23,
/// several hundred bytes of link, far beyond any real one.
pub const MAX_MODULES: usize = 117;

/// One horizontal stretch of dark modules, in modules from the top left of the quiet zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub row: usize,
    pub col: usize,
    pub len: usize,
}

/// A QR code ready to draw.
#[derive(Debug, Clone)]
pub struct Code {
    /// Modules along one side, quiet zone included.
    pub size: usize,
    pub runs: Vec<Run>,
}

/// Encodes `link` at error correction level M: it survives a smudge or a staple through a
/// corner while keeping modules larger than level Q or H would.
pub fn encode(link: &str) -> Result<Code, PosterError> {
    if link.trim().is_empty() {
        return Err(PosterError::EmptyLink);
    }
    let too_long = || PosterError::LinkTooLong { bytes: link.len() };
    // Byte mode takes any bytes, so "data too long" is the only failure a string can meet.
    let code =
        QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).map_err(|_| too_long())?;
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    if size > MAX_MODULES {
        return Err(too_long());
    }
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    let mut runs = Vec::new();
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if !dark[y * width + x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && dark[y * width + x] {
                x += 1;
            }
            runs.push(Run {
                row: y + QUIET_ZONE,
                col: start + QUIET_ZONE,
                len: x - start,
            });
        }
    }
    Ok(Code { size, runs })
}
