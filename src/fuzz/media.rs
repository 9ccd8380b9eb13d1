//! Each media cleaner on mutated real files (the same fixtures the cleaning tests use),
//! under the caps of the default file limit.

use super::bytes::mutated;
use super::fuzz;
use crate::core::files::DEFAULT_MAX_FILE_BYTES;
use crate::media::{Caps, fixtures, prepare_capped};

fn clean(bytes: Vec<u8>) {
    let _ = prepare_capped(bytes, &Caps::for_limit(DEFAULT_MAX_FILE_BYTES));
}

#[test]
fn fuzz_media_jpeg() {
    fuzz("media jpeg", mutated(fixtures::jpeg_with_gps(6)), clean);
}

#[test]
fn fuzz_media_png() {
    fuzz("media png", mutated(fixtures::png_with_text()), clean);
}

#[test]
fn fuzz_media_pdf() {
    fuzz("media pdf", mutated(fixtures::pdf_with_author()), clean);
}

#[test]
fn fuzz_media_office() {
    fuzz("media office", mutated(fixtures::docx_with_author()), clean);
}

#[test]
fn fuzz_media_ogg() {
    fuzz("media ogg", mutated(fixtures::opus_with_tags()), clean);
}
