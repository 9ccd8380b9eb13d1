//! The poster as a one-page A4 PDF. It uses the two standard Helvetica fonts every reader
//! carries, so nothing is embedded and the file stays a few kilobytes; the QR code is
//! filled rectangles, one per run of dark modules.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

use super::PosterError;
use super::layout::{PAGE_HEIGHT, PAGE_WIDTH, Page};
use super::metrics::{Face, MM_PER_PT};
use super::winansi;

/// Font resource names in the content stream.
const REGULAR: &str = "F1";
const BOLD: &str = "F2";

pub fn write(page: &Page, title: &str) -> Result<Vec<u8>, PosterError> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let mut stream = Stream::new(dictionary! {}, content(page)?);
    // Falls back to the plain stream if compressing does not pay.
    let _ = stream.compress();
    let content_id = doc.add_object(stream);
    let font = |base: &str| {
        dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => base.to_owned(),
            "Encoding" => "WinAnsiEncoding",
        }
    };
    let regular = doc.add_object(font("Helvetica"));
    let bold = doc.add_object(font("Helvetica-Bold"));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), pt(PAGE_WIDTH).into(), pt(PAGE_HEIGHT).into()],
        "Contents" => content_id,
        "Resources" => dictionary! {
            "Font" => dictionary! { REGULAR => regular, BOLD => bold },
        },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! {
        "Title" => lopdf::text_string(title),
        "Producer" => Object::string_literal("confidant"),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| PosterError::Pdf(e.to_string()))?;
    Ok(out)
}

/// The page's drawing operations: text lines, then the code.
fn content(page: &Page) -> Result<Vec<u8>, PosterError> {
    let mut ops = Vec::new();
    ops.push(Operation::new("g", vec![0.into()]));
    for line in &page.lines {
        let font = match line.face {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
        };
        ops.push(Operation::new("BT", vec![]));
        ops.push(Operation::new(
            "Tf",
            vec![Object::Name(font.into()), (line.size_pt as f32).into()],
        ));
        ops.push(Operation::new(
            "Td",
            vec![pt(line.x).into(), pt(PAGE_HEIGHT - line.baseline).into()],
        ));
        ops.push(Operation::new(
            "Tj",
            vec![Object::String(
                winansi::encode(&line.text),
                StringFormat::Literal,
            )],
        ));
        ops.push(Operation::new("ET", vec![]));
    }
    // PDF's y axis points up: a run's lower edge is the bottom of its row.
    for run in &page.code.runs {
        let left = page.qr_x + run.col as f64 * page.module;
        let bottom = page.qr_y + (run.row + 1) as f64 * page.module;
        ops.push(Operation::new(
            "re",
            vec![
                pt(left).into(),
                pt(PAGE_HEIGHT - bottom).into(),
                pt(run.len as f64 * page.module).into(),
                pt(page.module).into(),
            ],
        ));
    }
    ops.push(Operation::new("f", vec![]));
    Content { operations: ops }
        .encode()
        .map_err(|e| PosterError::Pdf(e.to_string()))
}

/// Millimetres to PDF points, the precision `f32` objects carry.
fn pt(mm: f64) -> f32 {
    (mm / MM_PER_PT) as f32
}
