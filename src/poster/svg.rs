//! The poster as a plain SVG 1.1 document, sized in millimetres so that it prints at A4
//! from any browser. One user unit is one millimetre, as in the layout.

use std::fmt::Write;

use super::layout::{PAGE_HEIGHT, PAGE_WIDTH, Page};
use super::metrics::{Face, MM_PER_PT};

pub fn write(page: &Page, title: &str) -> String {
    let mut out = String::new();
    // `write!` to a String cannot fail; the results are ignored for that reason only.
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">"#,
        w = num(PAGE_WIDTH),
        h = num(PAGE_HEIGHT),
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    // A white sheet, so the poster does not turn dark in a viewer with a dark background.
    let _ = writeln!(
        out,
        r##"<rect width="{}" height="{}" fill="#fff"/>"##,
        num(PAGE_WIDTH),
        num(PAGE_HEIGHT)
    );
    // Lines are centred by their middle, so a substitute font a little wider or narrower
    // than Helvetica still sits in the middle of the page.
    let _ = writeln!(
        out,
        r##"<g font-family="Helvetica, Arial, sans-serif" fill="#000" text-anchor="middle">"##
    );
    for line in &page.lines {
        let weight = match line.face {
            Face::Regular => "",
            Face::Bold => r#" font-weight="bold""#,
        };
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="{}"{weight}>{}</text>"#,
            num(line.x + line.width / 2.0),
            num(line.baseline),
            num(line.size_pt * MM_PER_PT),
            escape(&line.text),
        );
    }
    let _ = writeln!(out, "</g>");
    // Crisp edges: anti-aliased seams between touching modules would grey the code.
    let _ = writeln!(out, r##"<g fill="#000" shape-rendering="crispEdges">"##);
    for run in &page.code.runs {
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}"/>"#,
            num(page.qr_x + run.col as f64 * page.module),
            num(page.qr_y + run.row as f64 * page.module),
            num(run.len as f64 * page.module),
            num(page.module),
        );
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(out, "</svg>");
    out
}

/// A length to a thousandth of a millimetre, without trailing zeros.
fn num(value: f64) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Escapes text for element content and attribute values alike.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}
