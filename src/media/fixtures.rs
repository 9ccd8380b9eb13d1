//! Real files full of metadata, made with the same well-kept crates a phone's or office
//! suite's output would be read with: a JPEG with GPS coordinates, camera and author, XMP,
//! IPTC and a comment; a PNG with text and EXIF chunks; a PDF with an information
//! dictionary and an XMP stream; a Word document with author and company; an Ogg Opus
//! voice note with tags. Used by the unit tests and (through `#[path]`) by the
//! integration tests, so it only names external crates.

use std::io::{Cursor, Write};

use exif::{Field, In, Rational, Tag, Value};
use image::{ExtendedColorType, ImageEncoder};
use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::{Png, PngChunk};
use img_parts::{Bytes, ImageEXIF};

/// A person's name that must not survive cleaning.
pub const AUTHOR: &str = "Jan Jansen";
/// Text inside the PDF's page, which cleaning keeps: a distinctive string to look for
/// in the data folder, where it must never appear unsealed.
pub const PDF_TEXT: &str = "ZEGEL-4471";
/// Degrees north that must not survive cleaning (the office in Utrecht).
pub const LATITUDE: u32 = 52;

/// A small picture with a recognisable pattern.
fn pixels(width: u32, height: u32) -> Vec<u8> {
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            rgb.extend_from_slice(&[(x * 16) as u8, (y * 16) as u8, 128]);
        }
    }
    rgb
}

fn rationals(values: &[(u32, u32)]) -> Value {
    Value::Rational(
        values
            .iter()
            .map(|&(num, denom)| Rational { num, denom })
            .collect(),
    )
}

/// An EXIF block as a phone writes it: where, with what, by whom, and which way up.
pub fn exif_block(orientation: u16) -> Vec<u8> {
    let fields = [
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"Fairphone".to_vec()]),
        },
        Field {
            tag: Tag::Artist,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![AUTHOR.as_bytes().to_vec()]),
        },
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![orientation]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: rationals(&[(LATITUDE, 1), (5, 1), (4321, 100)]),
        },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"E".to_vec()]),
        },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: rationals(&[(5, 1), (7, 1), (1234, 100)]),
        },
    ];
    let mut writer = exif::experimental::Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut out = Cursor::new(Vec::new());
    writer
        .write(&mut out, false)
        .expect("an EXIF block in memory");
    out.into_inner()
}

/// A photo straight from a phone: EXIF with GPS, XMP, IPTC, a comment, and a second
/// picture with its own EXIF block after the end (as MPF previews are stored).
pub fn jpeg_with_gps(orientation: u16) -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .write_image(&pixels(16, 16), 16, 16, ExtendedColorType::Rgb8)
        .expect("a JPEG in memory");
    let mut jpeg = Jpeg::from_bytes(plain.clone().into()).expect("our own JPEG");
    jpeg.set_exif(Some(exif_block(orientation).into()));
    let xmp = format!(
        "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>"
    );
    let iptc = format!("Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0e\x1c\x02\x50\0\x0a{AUTHOR}");
    let comment = format!("taken by {AUTHOR}");
    let segments = jpeg.segments_mut();
    segments.insert(1, segment(markers::APP1, xmp.as_bytes()));
    segments.insert(1, segment(markers::APP13, iptc.as_bytes()));
    segments.insert(1, segment(markers::COM, comment.as_bytes()));
    let mut bytes = jpeg.encoder().bytes().to_vec();
    // The preview image after the end, with the same location in it.
    let mut preview = Jpeg::from_bytes(plain.into()).expect("our own JPEG");
    preview.set_exif(Some(exif_block(1).into()));
    bytes.extend_from_slice(&preview.encoder().bytes());
    bytes
}

fn segment(marker: u8, contents: &[u8]) -> JpegSegment {
    JpegSegment::new_with_contents(marker, Bytes::copy_from_slice(contents))
}

/// A screenshot as some tools save it: text chunks naming the author, an EXIF chunk
/// with GPS, and the time it was made.
pub fn png_with_text() -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::png::PngEncoder::new(&mut plain)
        .write_image(&pixels(8, 8), 8, 8, ExtendedColorType::Rgb8)
        .expect("a PNG in memory");
    let mut png = Png::from_bytes(plain.into()).expect("our own PNG");
    let text = format!("Author\0{AUTHOR}");
    let chunks = png.chunks_mut();
    chunks.insert(1, PngChunk::new(*b"tEXt", Bytes::from(text.into_bytes())));
    chunks.insert(1, PngChunk::new(*b"eXIf", Bytes::from(exif_block(1))));
    chunks.insert(
        1,
        PngChunk::new(*b"tIME", Bytes::from_static(&[7, 234, 11, 22, 9, 30, 0])),
    );
    png.encoder().bytes().to_vec()
}

/// A one-page PDF with an information dictionary and an XMP metadata stream naming its
/// author, and a comment annotation signed by them.
pub fn pdf_with_author() -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(
        dictionary! {},
        format!("BT /F1 12 Tf 72 712 Td (Verslag {PDF_TEXT}) Tj ET").into_bytes(),
    ));
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let note = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Text",
        "Rect" => vec![10.into(), 10.into(), 20.into(), 20.into()],
        "T" => Object::string_literal(AUTHOR),
        "Contents" => Object::string_literal("zie bijlage"),
    });
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        "Annots" => vec![note.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let xmp =
        format!("<?xpacket begin=''?><x:xmpmeta><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>");
    let metadata = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp.into_bytes(),
    ));
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog", "Pages" => pages_id, "Metadata" => metadata,
    });
    let info = doc.add_object(dictionary! {
        "Author" => Object::string_literal(AUTHOR),
        "Creator" => Object::string_literal("Microsoft Word"),
        "Producer" => Object::string_literal("Acme PDF 3.1"),
        "Title" => Object::string_literal("Klacht"),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("a PDF in memory");
    out
}

/// A Word document whose properties name its author, the last editor and the company.
pub fn docx_with_author() -> Vec<u8> {
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy></cp:coreProperties>"#
    );
    let app = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>Acme BV</Company><Application>Microsoft Office Word</Application></Properties>"#;
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let document = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Verslag</w:t></w:r></w:p></w:body></w:document>"#;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        ("[Content_Types].xml", types),
        ("_rels/.rels", rels),
        ("word/document.xml", document),
        ("docProps/core.xml", core.as_str()),
        ("docProps/app.xml", app),
    ] {
        zip.start_file(name, options).expect("a zip entry");
        zip.write_all(text.as_bytes()).expect("a zip entry");
    }
    zip.finish().expect("a zip in memory").into_inner()
}

/// An Ogg Opus voice note whose tags name the speaker.
pub fn opus_with_tags() -> Vec<u8> {
    let mut head = b"OpusHead".to_vec();
    head.extend_from_slice(&[1, 1, 0x38, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0]);
    let comment = format!("ARTIST={AUTHOR}");
    let mut tags = b"OpusTags".to_vec();
    tags.extend_from_slice(&5u32.to_le_bytes());
    tags.extend_from_slice(b"phone");
    tags.extend_from_slice(&1u32.to_le_bytes());
    tags.extend_from_slice(&(comment.len() as u32).to_le_bytes());
    tags.extend_from_slice(comment.as_bytes());
    let mut writer = ogg::PacketWriter::new(Vec::new());
    let serial = 0x5EED;
    writer
        .write_packet(head, serial, ogg::PacketWriteEndInfo::EndPage, 0)
        .expect("an Ogg page");
    writer
        .write_packet(tags, serial, ogg::PacketWriteEndInfo::EndPage, 0)
        .expect("an Ogg page");
    // One silent 20 ms Opus frame (TOC byte for CELT fullband 20 ms, no payload).
    writer
        .write_packet(vec![0xFC], serial, ogg::PacketWriteEndInfo::EndStream, 960)
        .expect("an Ogg page");
    writer.into_inner()
}
