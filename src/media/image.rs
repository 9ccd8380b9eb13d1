//! Pictures: JPEG, PNG and WebP, through img-parts' segments and chunks.
//!
//! Only what is needed to show the picture is kept (a whitelist, so metadata kinds that
//! appear later are dropped too). A JPEG's orientation is kept, in a fresh EXIF block that
//! holds nothing else, so a portrait photo does not arrive on its side.

use std::io::Cursor;

use exif::{Field, In, Tag, Value};
use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::Png;
use img_parts::riff::RiffContent;
use img_parts::webp::{CHUNK_VP8X, CHUNK_XMP, WebP};
use img_parts::{Bytes, ImageEXIF};

use super::jpeg_scan;

/// JPEG: drops APP1 (EXIF, XMP), APP13 (IPTC), every other APPn except JFIF, ICC profiles
/// and Adobe colour information, comments, and whatever follows the picture (MPF images).
pub fn jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(bytes)).ok()?;
    let orientation = jpeg.exif().and_then(|e| orientation(&e));
    jpeg.segments_mut().retain(keep_segment);
    let last = jpeg.segments().len().checked_sub(1)?;
    let scan = &jpeg.segments()[last];
    if scan.has_entropy() {
        // img-parts hands back everything after the first scan header as one piece;
        // later scans, metadata between them and trailing images are sorted out here.
        let rest = scan.clone().encoder().bytes();
        // `len` is the encoded header (marker, length, contents); the rest is entropy.
        let cleaned = jpeg_scan::clean_after_first_scan(rest.get(scan.len()..)?);
        let replaced =
            JpegSegment::new_with_entropy(markers::SOS, scan.contents().clone(), cleaned.into());
        jpeg.segments_mut()[last] = replaced;
    }
    if let Some(o) = orientation.filter(|o| *o != 1) {
        jpeg.set_exif(Some(orientation_exif(o)?.into()));
    }
    Some(jpeg.encoder().bytes().to_vec())
}

fn keep_segment(segment: &JpegSegment) -> bool {
    let contents = segment.contents();
    match segment.marker() {
        markers::APP0 => contents.starts_with(b"JFIF\0") || contents.starts_with(b"JFXX\0"),
        markers::APP2 => contents.starts_with(b"ICC_PROFILE\0"),
        markers::APP14 => contents.starts_with(b"Adobe"),
        m if (markers::APP0..=markers::APP15).contains(&m) => false,
        markers::COM => false,
        _ => true,
    }
}

/// The orientation tag of an EXIF block, if it has one.
fn orientation(exif: &[u8]) -> Option<u16> {
    let exif = exif::Reader::new().read_raw(exif.to_vec()).ok()?;
    let field = exif.get_field(Tag::Orientation, In::PRIMARY)?;
    match field.value.get_uint(0)? {
        o @ 1..=8 => u16::try_from(o).ok(),
        _ => None,
    }
}

/// An EXIF block with the orientation and nothing else.
fn orientation_exif(orientation: u16) -> Option<Vec<u8>> {
    let field = Field {
        tag: Tag::Orientation,
        ifd_num: In::PRIMARY,
        value: Value::Short(vec![orientation]),
    };
    let mut writer = exif::experimental::Writer::new();
    writer.push_field(&field);
    let mut out = Cursor::new(Vec::new());
    writer.write(&mut out, false).ok()?;
    Some(out.into_inner())
}

/// PNG chunks that describe how to show the picture; every other ancillary chunk
/// (tEXt, zTXt, iTXt, eXIf, tIME, C2PA and whatever else) is dropped.
const PNG_KEEP: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"cICP", b"mDCv", b"cLLi", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
];

pub fn png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes)).ok()?;
    png.chunks_mut()
        .retain(|chunk| PNG_KEEP.contains(&&chunk.kind()));
    Some(png.encoder().bytes().to_vec())
}

/// WebP: drops the EXIF and XMP chunks and clears their flags in the VP8X header.
pub fn webp(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut webp = WebP::from_bytes(Bytes::copy_from_slice(bytes)).ok()?;
    webp.remove_chunks_by_id(CHUNK_XMP);
    webp.set_exif(None);
    const XMP_FLAG: u8 = 0b0000_0100;
    for chunk in webp.chunks_mut() {
        if chunk.id() == CHUNK_VP8X
            && let RiffContent::Data(data) = chunk.content_mut()
            && let Some(first) = data.first()
        {
            let mut header = data.to_vec();
            header[0] = first & !XMP_FLAG;
            *data = header.into();
        }
    }
    Some(webp.encoder().bytes().to_vec())
}
