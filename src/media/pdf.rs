//! PDF, through lopdf: the document information dictionary (author, creator, producer,
//! title, dates), XMP metadata streams wherever they hang (document, pages, images),
//! application data (`PieceInfo`), the file identifier, and the author and date of
//! comments. The document is written anew, so earlier revisions (incremental updates,
//! which keep old values) are not carried over.

use lopdf::{Document, Object};

/// `None` when the PDF does not read, or is encrypted (it cannot be rewritten then).
pub fn clean(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut doc = Document::load_mem(bytes).ok()?;
    if doc.is_encrypted() || doc.was_encrypted() {
        return None;
    }
    doc.trailer.remove(b"Info");
    doc.trailer.remove(b"ID");
    doc.traverse_objects(strip_object);
    doc.prune_objects();
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out).ok()?;
    Some(out)
}

fn strip_object(object: &mut Object) {
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &mut stream.dict,
        _ => return,
    };
    dict.remove(b"Metadata");
    dict.remove(b"PieceInfo");
    let is_annotation = dict.has(b"Rect") && dict.has(b"Subtype");
    let is_form_field = dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|name| name == b"Widget");
    if is_annotation && !is_form_field {
        // A comment's author (`T`) and when it was made or changed.
        dict.remove(b"T");
        dict.remove(b"M");
        dict.remove(b"CreationDate");
    }
}
