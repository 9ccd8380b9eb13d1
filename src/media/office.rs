//! Office Open XML documents (docx, xlsx, pptx), through the zip crate: the document
//! properties (`docProps/core.xml`: creator, last modified by, dates, title;
//! `app.xml`: company, manager, application; `custom.xml`) are replaced by empty ones and
//! every other part is copied unchanged. Names can also sit inside the document, in
//! comments and tracked changes; those are not rewritten, so such a file is reported as
//! only partly cleaned.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::{Caps, TooComplex};
use crate::core::files::{Cleaning, Format};

const CORE: &str = "docProps/core.xml";
const APP: &str = "docProps/app.xml";
const CUSTOM: &str = "docProps/custom.xml";

const EMPTY_CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>"#;
const EMPTY_APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>"#;
const EMPTY_CUSTOM: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>"#;

/// Parts whose presence means people's names may be inside the document.
fn names_people(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("comment") || lower.ends_with("people.xml") || lower.contains("persons/")
}

/// Tracked changes carry their author in an attribute of the main text.
fn has_tracked_changes(xml: &[u8]) -> bool {
    xml.windows(9).any(|w| w == b"w:author=")
}

/// Which Office document a zip archive is, by its main part; `None` for other zips.
pub fn format(bytes: &[u8]) -> Option<Format> {
    let archive = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let has = |part: &str| archive.index_for_name(part).is_some();
    if has("word/document.xml") {
        Some(Format::Docx)
    } else if has("xl/workbook.xml") {
        Some(Format::Xlsx)
    } else if has("ppt/presentation.xml") {
        Some(Format::Pptx)
    } else {
        None
    }
}

/// `Ok(None)` when the archive does not read; [`TooComplex`] when its parts together
/// would inflate past `caps` or there are too many of them (a zip bomb). Only the main
/// text is inflated here (to look for tracked changes), and never past the cap; every
/// other part is copied as it is.
pub fn clean(bytes: &[u8], caps: &Caps) -> Result<Option<(Vec<u8>, Cleaning)>, TooComplex> {
    let Ok(mut archive) = ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(None);
    };
    if archive.len() > caps.max_entries {
        return Err(TooComplex);
    }
    let mut declared: u64 = 0;
    for index in 0..archive.len() {
        if let Ok(file) = archive.by_index_raw(index) {
            declared = declared.saturating_add(file.size());
        }
    }
    if declared > caps.max_inflated {
        return Err(TooComplex);
    }
    copy_cleaned(&mut archive, bytes.len(), caps.max_inflated)
}

/// The archive written anew; `Err` when the main text inflates past `max_inflated`
/// whatever its header declared, `Ok(None)` when a part does not read.
fn copy_cleaned(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    size: usize,
    max_inflated: u64,
) -> Result<Option<(Vec<u8>, Cleaning)>, TooComplex> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(size)));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut partial = false;
    for index in 0..archive.len() {
        let Ok(file) = archive.by_index(index) else {
            return Ok(None);
        };
        let Ok(name) = file.name().map(|n| n.into_owned()) else {
            return Ok(None);
        };
        let replacement = match name.as_str() {
            CORE => Some(EMPTY_CORE),
            APP => Some(EMPTY_APP),
            CUSTOM => Some(EMPTY_CUSTOM),
            _ => None,
        };
        if let Some(replacement) = replacement {
            drop(file);
            if writer.start_file(name, options).is_err()
                || writer.write_all(replacement.as_bytes()).is_err()
            {
                return Ok(None);
            }
            continue;
        }
        partial |= names_people(&name);
        if name == "word/document.xml" {
            let mut xml = Vec::new();
            if file.take(max_inflated + 1).read_to_end(&mut xml).is_err() {
                return Ok(None);
            }
            if xml.len() as u64 > max_inflated {
                return Err(TooComplex);
            }
            partial |= has_tracked_changes(&xml);
            if writer.start_file(name, options).is_err() || writer.write_all(&xml).is_err() {
                return Ok(None);
            }
            continue;
        }
        drop(file);
        let copied = archive
            .by_index_raw(index)
            .ok()
            .and_then(|raw| writer.raw_copy_file(raw).ok());
        if copied.is_none() {
            return Ok(None);
        }
    }
    let Ok(cleaned) = writer.finish() else {
        return Ok(None);
    };
    let cleaning = if partial {
        Cleaning::Partial
    } else {
        Cleaning::Clean
    };
    Ok(Some((cleaned.into_inner(), cleaning)))
}
