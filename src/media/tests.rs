//! Metadata removal checked on real files with independent readers: kamadak-exif for
//! EXIF, the image crate for "does it still show", lopdf reading the PDF back, the zip
//! crate listing the Office parts, the ogg crate reading the packets.

use std::io::{Cursor, Read};

use super::fixtures::{self, AUTHOR};
use super::{Prepared, prepare};
use crate::core::files::{Cleaning, Format};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn exif_fields(bytes: &[u8]) -> Vec<exif::Tag> {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => exif.fields().map(|f| f.tag).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn the_fixtures_carry_what_the_tests_look_for() {
    // Without this the other tests could pass on files that never had metadata.
    let jpeg = fixtures::jpeg_with_gps(1);
    assert!(exif_fields(&jpeg).contains(&exif::Tag::GPSLatitude));
    assert!(contains(&jpeg, AUTHOR.as_bytes()));
    assert!(contains(&fixtures::png_with_text(), AUTHOR.as_bytes()));
    let pdf = lopdf::Document::load_mem(&fixtures::pdf_with_author()).unwrap();
    assert!(pdf.trailer.get(b"Info").is_ok());
    assert!(contains(&fixtures::opus_with_tags(), AUTHOR.as_bytes()));
    let docx = fixtures::docx_with_author();
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut core = String::new();
    zip.by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut core)
        .unwrap();
    assert!(core.contains(AUTHOR));
}

#[test]
fn a_phone_photo_loses_location_camera_author_and_trailing_previews() {
    let Prepared {
        format,
        bytes,
        cleaning,
    } = prepare(fixtures::jpeg_with_gps(1));
    assert_eq!(format, Some(Format::Jpeg));
    assert_eq!(cleaning, Cleaning::Clean);
    assert_eq!(exif_fields(&bytes), Vec::<exif::Tag>::new());
    assert!(!contains(&bytes, AUTHOR.as_bytes()));
    assert!(!contains(&bytes, b"Fairphone"));
    assert!(
        !contains(&bytes, b"Exif\0\0"),
        "no EXIF block, not even the preview's"
    );
    let picture = image::load_from_memory(&bytes).expect("still a picture");
    assert_eq!((picture.width(), picture.height()), (16, 16));
}

#[test]
fn a_turned_photo_keeps_only_its_orientation() {
    let bytes = prepare(fixtures::jpeg_with_gps(6)).bytes;
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(&bytes))
        .expect("the orientation block");
    let tags: Vec<_> = exif.fields().map(|f| f.tag).collect();
    assert_eq!(tags, vec![exif::Tag::Orientation]);
    let field = exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .unwrap();
    assert_eq!(field.value.get_uint(0), Some(6));
    assert!(image::load_from_memory(&bytes).is_ok());
}

#[test]
fn a_screenshot_loses_its_text_exif_and_time_chunks() {
    let prepared = prepare(fixtures::png_with_text());
    assert_eq!(prepared.format, Some(Format::Png));
    assert_eq!(prepared.cleaning, Cleaning::Clean);
    let png = img_parts::png::Png::from_bytes(prepared.bytes.clone().into()).unwrap();
    let kinds: Vec<[u8; 4]> = png.chunks().iter().map(|c| c.kind()).collect();
    for gone in [b"tEXt", b"eXIf", b"tIME"] {
        assert!(!kinds.contains(gone));
    }
    assert!(!contains(&prepared.bytes, AUTHOR.as_bytes()));
    let picture = image::load_from_memory(&prepared.bytes).expect("still a picture");
    assert_eq!((picture.width(), picture.height()), (8, 8));
}

#[test]
fn a_pdf_loses_its_info_dictionary_xmp_and_comment_author() {
    let prepared = prepare(fixtures::pdf_with_author());
    assert_eq!(prepared.format, Some(Format::Pdf));
    assert_eq!(prepared.cleaning, Cleaning::Clean);
    let doc = lopdf::Document::load_mem(&prepared.bytes).expect("still a PDF");
    assert!(doc.trailer.get(b"Info").is_err());
    assert!(doc.catalog().unwrap().get(b"Metadata").is_err());
    assert_eq!(doc.get_pages().len(), 1);
    for object in doc.objects.values() {
        let text = match object {
            lopdf::Object::Stream(stream) => stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone()),
            other => format!("{other:?}").into_bytes(),
        };
        assert!(!contains(&text, AUTHOR.as_bytes()));
        assert!(!contains(&text, b"Acme PDF"));
    }
    assert!(!contains(&prepared.bytes, AUTHOR.as_bytes()));
}

#[test]
fn an_office_document_loses_its_properties_but_keeps_its_text() {
    let prepared = prepare(fixtures::docx_with_author());
    assert_eq!(prepared.format, Some(Format::Docx));
    assert_eq!(prepared.cleaning, Cleaning::Clean);
    let mut zip = zip::ZipArchive::new(Cursor::new(prepared.bytes)).expect("still a zip");
    let mut all = String::new();
    for index in 0..zip.len() {
        let mut part = String::new();
        zip.by_index(index)
            .unwrap()
            .read_to_string(&mut part)
            .unwrap();
        all.push_str(&part);
    }
    assert!(!all.contains(AUTHOR));
    assert!(!all.contains("Acme BV"));
    assert!(all.contains("Verslag"));
    assert!(zip.by_name("docProps/core.xml").is_ok());
}

#[test]
fn tracked_changes_make_an_office_document_only_partly_clean() {
    let docx = fixtures::docx_with_author();
    let mut source = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..source.len() {
        let mut part = Vec::new();
        let mut file = source.by_index(index).unwrap();
        file.read_to_end(&mut part).unwrap();
        let name = file.name().unwrap().into_owned();
        if name == "word/document.xml" {
            part = br#"<w:document><w:ins w:author="Jan Jansen">x</w:ins></w:document>"#.to_vec();
        }
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut writer, &part).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    assert_eq!(prepare(bytes).cleaning, Cleaning::Partial);
}

#[test]
fn a_voice_note_loses_its_tags() {
    let prepared = prepare(fixtures::opus_with_tags());
    assert_eq!(prepared.format, Some(Format::Ogg));
    assert_eq!(prepared.cleaning, Cleaning::Clean);
    let mut reader = ogg::PacketReader::new(Cursor::new(prepared.bytes));
    let head = reader.read_packet().unwrap().unwrap();
    assert!(head.data.starts_with(b"OpusHead"));
    let tags = reader.read_packet().unwrap().unwrap();
    assert!(tags.data.starts_with(b"OpusTags"));
    assert!(!contains(&tags.data, AUTHOR.as_bytes()));
    let audio = reader.read_packet().unwrap().unwrap();
    assert_eq!(audio.data, vec![0xFC]);
}

#[test]
fn heic_is_recognised_and_flagged_as_not_cleanable() {
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic");
    heic.extend_from_slice(&[0; 4]);
    heic.extend_from_slice(b"mif1heic");
    let prepared = prepare(heic.clone());
    assert_eq!(prepared.format, Some(Format::Heic));
    assert_eq!(prepared.cleaning, Cleaning::NotRemovable);
    assert_eq!(prepared.bytes, heic);
}

#[test]
fn unknown_and_damaged_files_are_flagged() {
    let unknown = prepare(b"MZ\x90\0 not a document".to_vec());
    assert_eq!(unknown.format, None);
    let mut damaged = b"%PDF-1.7\n".to_vec();
    damaged.extend_from_slice(&[0x42; 64]);
    let damaged = prepare(damaged);
    assert_eq!(damaged.format, Some(Format::Pdf));
    assert_eq!(damaged.cleaning, Cleaning::Unreadable);
}

/// A Word document whose main text is `size` zeros, deflated the ordinary way.
fn docx_of_zeros(size: usize, extra_parts: usize) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(&vec![0u8; size]).unwrap();
    for n in 0..extra_parts {
        zip.start_file(format!("word/part{n}.xml"), options)
            .unwrap();
        zip.write_all(b"<x/>").unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn office_files_past_the_caps_are_too_complex_and_others_pass() {
    use super::{Caps, TooComplex, prepare_capped};
    let caps = Caps {
        max_inflated: 1 << 20,
        max_entries: 50,
    };
    assert_eq!(
        prepare_capped(docx_of_zeros(4 << 20, 0), &caps).err(),
        Some(TooComplex),
        "inflates past the cap"
    );
    assert_eq!(
        prepare_capped(docx_of_zeros(1000, 60), &caps).err(),
        Some(TooComplex),
        "too many parts"
    );
    let fine = prepare_capped(docx_of_zeros(1000, 10), &caps).expect("within the caps");
    assert_eq!(fine.format, Some(Format::Docx));
}
