//! Office Open XML documents (docx, xlsx, pptx), through the zip crate: the document
//! properties (`docProps/core.xml`: creator, last modified by, dates, title;
//! `app.xml`: company, manager, application; `custom.xml`) are replaced by empty ones and
//! every other part is copied unchanged. Names can also sit inside the document, in
//! comments and tracked changes; those are not rewritten, so such a file is reported as
//! only partly cleaned.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

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

/// `None` when the archive does not read.
pub fn clean(bytes: &[u8]) -> Option<(Vec<u8>, Cleaning)> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut partial = false;
    for index in 0..archive.len() {
        let file = archive.by_index(index).ok()?;
        let name = file.name().ok()?.into_owned();
        let replacement = match name.as_str() {
            CORE => Some(EMPTY_CORE),
            APP => Some(EMPTY_APP),
            CUSTOM => Some(EMPTY_CUSTOM),
            _ => None,
        };
        if let Some(replacement) = replacement {
            drop(file);
            writer.start_file(name, options).ok()?;
            writer.write_all(replacement.as_bytes()).ok()?;
            continue;
        }
        partial |= names_people(&name);
        if name == "word/document.xml" {
            let mut file = file;
            let mut xml = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut xml).ok()?;
            partial |= has_tracked_changes(&xml);
            writer.start_file(name, options).ok()?;
            writer.write_all(&xml).ok()?;
            continue;
        }
        drop(file);
        let raw = archive.by_index_raw(index).ok()?;
        writer.raw_copy_file(raw).ok()?;
    }
    let cleaned = writer.finish().ok()?.into_inner();
    let cleaning = if partial {
        Cleaning::Partial
    } else {
        Cleaning::Clean
    };
    Some((cleaned, cleaning))
}
