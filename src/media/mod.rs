//! Removing metadata from files before they are stored or passed on: EXIF, XMP and IPTC
//! from pictures (the place a photo was taken above all), author and producer fields
//! from PDF and Office documents, tags from voice notes. Pure functions over bytes, one
//! module per family of formats; each says what it removes and what it cannot.
//!
//! The format is recognised from the bytes alone: names and claimed types are the
//! sender's word and are ignored.

mod bounded;
mod image;
mod jpeg_scan;
mod office;
mod ogg;
mod pdf;

use crate::core::files::{Cleaning, Format};

pub use bounded::{Caps, TooComplex, clean, clean_in_child_processes, serve_child};

/// A file after cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// `None`: not a format the bot knows; such a file is never stored.
    pub format: Option<Format>,
    pub bytes: Vec<u8>,
    pub cleaning: Cleaning,
}

/// Recognises a file's format from its first bytes.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let kind = infer::get(bytes)?;
    Some(match kind.mime_type() {
        "image/jpeg" => Format::Jpeg,
        "image/png" => Format::Png,
        "image/webp" => Format::Webp,
        "image/heif" | "image/heic" | "image/avif" if is_heic(bytes) => Format::Heic,
        "application/pdf" => Format::Pdf,
        // infer guesses Office documents from the order of the first zip entries, which
        // differs between writers; the zip's own listing decides.
        "application/zip"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
            office::format(bytes)?
        }
        "audio/ogg" | "audio/opus" => Format::Ogg,
        "audio/mpeg" => Format::Mp3,
        "audio/m4a" | "audio/x-m4a" | "audio/mp4" => Format::M4a,
        _ => return None,
    })
}

/// HEIC/HEIF brands (infer files some of them under AVIF).
fn is_heic(bytes: &[u8]) -> bool {
    bytes.get(8..12).is_some_and(|brand| {
        matches!(
            brand,
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"heim" | b"heis"
        )
    })
}

/// Recognises `bytes` and removes what metadata its format allows.
/// As [`prepare_capped`] with the caps of the default file limit; for tests.
#[cfg(test)]
pub fn prepare(bytes: Vec<u8>) -> Prepared {
    let caps = Caps::for_limit(crate::core::files::DEFAULT_MAX_FILE_BYTES);
    prepare_capped(bytes, &caps).expect("within the caps")
}

/// Recognises `bytes` and removes what metadata its format allows, within `caps`.
pub fn prepare_capped(bytes: Vec<u8>, caps: &Caps) -> Result<Prepared, TooComplex> {
    let Some(format) = detect(&bytes) else {
        return Ok(Prepared {
            format: None,
            bytes,
            cleaning: Cleaning::Unreadable,
        });
    };
    let cleaned = match format {
        Format::Jpeg => image::jpeg(&bytes).map(|b| (b, Cleaning::Clean)),
        Format::Png => image::png(&bytes).map(|b| (b, Cleaning::Clean)),
        Format::Webp => image::webp(&bytes).map(|b| (b, Cleaning::Clean)),
        Format::Pdf => pdf::clean(&bytes).map(|b| (b, Cleaning::Clean)),
        Format::Docx | Format::Xlsx | Format::Pptx => office::clean(&bytes, caps)?,
        Format::Ogg => ogg::clean(&bytes).map(|b| (b, Cleaning::Clean)),
        // Never recognised in what comes in (see `Format::Txt`); plain text holds no
        // metadata to remove.
        Format::Txt => Some((bytes.clone(), Cleaning::Clean)),
        // No well-kept crate rewrites these containers' metadata boxes and tags.
        Format::Heic | Format::Mp3 | Format::M4a => {
            return Ok(Prepared {
                format: Some(format),
                bytes,
                cleaning: Cleaning::NotRemovable,
            });
        }
    };
    Ok(match cleaned {
        Some((cleaned, cleaning)) => Prepared {
            format: Some(format),
            bytes: cleaned,
            cleaning,
        },
        None => Prepared {
            format: Some(format),
            bytes,
            cleaning: Cleaning::Unreadable,
        },
    })
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
