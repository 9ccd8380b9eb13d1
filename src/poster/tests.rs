//! The poster read back by independent tools: the SVG rasterised by resvg and the PDF's
//! rectangles by the small rasteriser below, each QR code decoded by rqrr; the PDF's text
//! decoded by lopdf through the encoding its fonts declare; the SVG parsed by roxmltree.

use std::path::Path;

use rand::Rng;
use rand::distributions::Alphanumeric;

use super::layout::{MARGIN, PAGE_HEIGHT, PAGE_WIDTH, QR_SIDE, lay_out};
use super::metrics::MM_PER_PT;
use super::*;

fn catalog() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    Catalog::load(&dir, Lang::new("nl")).expect("locales load")
}

/// A start link as the bot hands them out: 32 random characters, new every run.
fn link() -> String {
    let code: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    format!("https://t.me/ConfidantBot?start={code}")
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|n| (*n).to_owned()).collect()
}

fn input<'a>(lang: &'a Lang, org: &'a str, names: &'a [String], link: &'a str) -> PosterInput<'a> {
    PosterInput {
        lang,
        organisation_name: org,
        counsellor_first_names: names,
        link,
        matrix: None,
    }
}

/// Decodes the one QR code in a greyscale image (0 black, 255 white).
fn decode_qr(width: usize, height: usize, grey: &[u8]) -> String {
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code on the page");
    let (meta, content) = grids[0].decode().expect("the QR code decodes");
    // Format bits 00 stand for error correction level M.
    assert_eq!(meta.ecc_level, 0, "error correction level M");
    content
}

/// The SVG as resvg draws it, 6 pixels per millimetre, on white.
fn rasterise_svg(svg: &str) -> (usize, usize, Vec<u8>) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("svg");
    let size = tree.size();
    // usvg turns the document's millimetres into CSS pixels (96 per inch).
    let scale = 6.0 * 25.4 / 96.0;
    let width = (size.width() * scale).ceil() as u32;
    let height = (size.height() * scale).ceil() as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height).expect("pixmap");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Premultiplied: a transparent pixel is white paper, an opaque black one is 0.
    let grey = pixmap
        .pixels()
        .iter()
        .map(|p| 255 - p.alpha() + p.red())
        .collect();
    (width as usize, height as usize, grey)
}

/// What a PDF page draws: decoded text lines and filled rectangles (x, y, w, h in points).
struct PdfPage {
    media_box: Vec<f32>,
    lines: Vec<String>,
    /// Where each text line starts (Td), in points.
    origins: Vec<(f32, f32)>,
    filled: Vec<[f32; 4]>,
}

fn number(object: &lopdf::Object) -> f32 {
    object.as_float().expect("a number")
}

fn read_pdf(pdf: &[u8]) -> PdfPage {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF loads");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1, "one page");
    let page_id = pages[&1];
    let page = doc.get_dictionary(page_id).expect("page");
    let media_box = page
        .get(b"MediaBox")
        .and_then(lopdf::Object::as_array)
        .expect("MediaBox")
        .iter()
        .map(number)
        .collect();
    let fonts = doc.get_page_fonts(page_id).expect("fonts");
    for font in fonts.values() {
        let base = font.get(b"BaseFont").and_then(lopdf::Object::as_name);
        assert!(
            matches!(base, Ok(b"Helvetica" | b"Helvetica-Bold")),
            "{base:?}"
        );
        let encoding = font.get(b"Encoding").and_then(lopdf::Object::as_name);
        assert_eq!(encoding.ok(), Some(&b"WinAnsiEncoding"[..]));
    }
    let content = doc.get_and_decode_page_content(page_id).expect("content");
    let mut result = PdfPage {
        media_box,
        lines: Vec::new(),
        origins: Vec::new(),
        filled: Vec::new(),
    };
    let mut font = None;
    let mut path = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => font = Some(op.operands[0].as_name().expect("font name").to_vec()),
            "Td" => result
                .origins
                .push((number(&op.operands[0]), number(&op.operands[1]))),
            "Tj" => {
                let name = font.as_ref().expect("a font before text");
                let encoding = fonts[name].get_font_encoding(&doc).expect("encoding");
                let bytes = op.operands[0].as_str().expect("string");
                let text = lopdf::Document::decode_text(&encoding, bytes).expect("decodes");
                result.lines.push(text);
            }
            "re" => {
                let r: Vec<f32> = op.operands.iter().map(number).collect();
                path.push([r[0], r[1], r[2], r[3]]);
            }
            "f" | "F" | "f*" => result.filled.append(&mut path),
            "n" | "S" => path.clear(),
            _ => {}
        }
    }
    result
}

/// The filled rectangles drawn at 3 pixels per point (y down, as images go), on white.
fn rasterise_rects(page: &PdfPage) -> (usize, usize, Vec<u8>) {
    const SCALE: f32 = 3.0;
    let (page_w, page_h) = (page.media_box[2], page.media_box[3]);
    let width = (page_w * SCALE).ceil() as usize;
    let height = (page_h * SCALE).ceil() as usize;
    let mut grey = vec![255u8; width * height];
    for &[x, y, w, h] in &page.filled {
        let (x0, x1) = (x.min(x + w), x.max(x + w));
        let (y0, y1) = (y.min(y + h), y.max(y + h));
        // A pixel is dark when its centre lies inside the rectangle.
        let cols = ((x0 * SCALE - 0.5).ceil() as usize)..((x1 * SCALE - 0.5).ceil() as usize);
        let rows = (((page_h - y1) * SCALE - 0.5).ceil() as usize)
            ..(((page_h - y0) * SCALE - 0.5).ceil() as usize);
        for row in rows {
            for col in cols.clone() {
                if row < height && col < width {
                    grey[row * width + col] = 0;
                }
            }
        }
    }
    (width, height, grey)
}

/// The text of every `<text>` element, in document order.
fn svg_lines(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_svg_code_scans_to_the_link() {
    let link = link();
    let names = names(&["Anna", "Bram"]);
    let lang = Lang::new("nl");
    let poster = render(&catalog(), &input(&lang, "Gemeente Ede", &names, &link)).expect("poster");
    let (w, h, grey) = rasterise_svg(&poster.svg);
    assert_eq!(decode_qr(w, h, &grey), link);
    assert!(poster.svg.contains(r#"width="210mm" height="297mm""#));
    // The code is drawn in runs, fewer than its dark modules.
    let code = qr::encode(&link).expect("code");
    let modules: usize = code.runs.iter().map(|r| r.len).sum();
    assert!(
        code.runs.len() * 3 < modules * 2,
        "{} runs for {modules} modules",
        code.runs.len()
    );
    assert_eq!(poster.svg.matches("<rect").count(), code.runs.len() + 1);
}

#[test]
fn the_pdf_code_scans_to_the_link_and_its_text_names_everyone() {
    let link = link();
    // é, ë, ï, ê are in WinAnsi and must survive; Ł is not and becomes '?'.
    let names = names(&["Anna", "Chloë", "Inês", "Zoë", "Łukasz"]);
    let org = "Stichting Één & Zorg voor Naïeve Café's";
    let lang = Lang::new("nl");
    let poster = render(&catalog(), &input(&lang, org, &names, &link)).expect("poster");
    assert!(poster.pdf.starts_with(b"%PDF-"));
    let page = read_pdf(&poster.pdf);
    assert_eq!(page.media_box.len(), 4);
    assert!(
        (page.media_box[2] - 595.28).abs() < 0.1,
        "{:?}",
        page.media_box
    );
    assert!(
        (page.media_box[3] - 841.89).abs() < 0.1,
        "{:?}",
        page.media_box
    );

    let (w, h, grey) = rasterise_rects(&page);
    assert_eq!(decode_qr(w, h, &grey), link);

    let text = page.lines.join(" ");
    assert!(text.contains(org), "{text}");
    for name in ["Anna", "Chloë", "Inês", "Zoë", "?ukasz"] {
        assert!(text.contains(name), "{name} in {text}");
    }
    assert!(page.lines.contains(&link), "{:?}", page.lines);
    assert!(text.contains("48 uur"), "{text}");
    let margin = (MARGIN / MM_PER_PT) as f32;
    for &(x, y) in &page.origins {
        assert!(x >= margin && y >= margin && y <= page.media_box[3] - margin);
    }
}

#[test]
fn dutch_and_english_posters_differ_and_both_name_the_organisation() {
    let link = link();
    let names = names(&["Anna", "Bram", "Carla"]);
    let org = "Woonzorg Oost";
    let catalog = catalog();
    let text = |lang: &str| {
        let lang = Lang::new(lang);
        let poster = render(&catalog, &input(&lang, org, &names, &link)).expect("poster");
        svg_lines(&poster.svg).join(" ")
    };
    let (nl, en) = (text("nl"), text("en"));
    assert_ne!(nl, en);
    assert!(nl.contains(org) && en.contains(org), "{nl}\n{en}");
    // Lists are joined by each language's own words.
    assert!(nl.contains("Anna, Bram en Carla"), "{nl}");
    assert!(en.contains("Anna, Bram and Carla"), "{en}");
    assert!(nl.contains("48 uur") && en.contains("48 hours"));
}

#[test]
fn names_are_joined_for_one_two_and_none() {
    let link = link();
    let lang = Lang::new("en");
    let catalog = catalog();
    let lines = |names: &[String]| {
        let poster = render(&catalog, &input(&lang, "Org", names, &link)).expect("poster");
        svg_lines(&poster.svg).join(" ")
    };
    assert!(lines(&names(&["Anna"])).contains("Your confidential counsellor: Anna"));
    let two = lines(&names(&["Anna", "Bram"]));
    assert!(
        two.contains("Your confidential counsellors: Anna and Bram"),
        "{two}"
    );
    // Blank names are left out; with none, so is the whole line.
    let none = lines(&names(&["", " "]));
    assert!(!none.contains("Your confidential"), "{none}");
}

#[test]
fn markup_in_arguments_is_escaped() {
    let link = link();
    let names = names(&["<b>Anna</b>", "Bram & co"]);
    let org = r#"A & B <"x"> 'y'"#;
    let lang = Lang::new("en");
    let mut input = input(&lang, org, &names, &link);
    input.matrix = Some(("@bot:example.org", "<ABC&>"));
    let poster = render(&catalog(), &input).expect("poster");
    let lines = svg_lines(&poster.svg);
    let text = lines.join(" ");
    assert!(text.contains(org), "{text}");
    assert!(text.contains("<b>Anna</b>, Bram & co") || text.contains("<b>Anna</b> and Bram & co"));
    assert!(
        text.contains("send the code <ABC&> as your first message"),
        "{text}"
    );
    // usvg reads it too, and the title element holds the escaped name.
    resvg::usvg::Tree::from_str(&poster.svg, &resvg::usvg::Options::default()).expect("usvg");
    assert!(poster.svg.contains("A &amp; B &lt;&quot;x&quot;&gt;"));
}

/// Every line inside the margins, none overlapping the code, the code inside them too.
fn assert_within_margins(page: &layout::Page) {
    for line in &page.lines {
        assert!(line.x >= MARGIN, "{line:?}");
        assert!(line.x + line.width <= PAGE_WIDTH - MARGIN, "{line:?}");
        assert!(line.top() >= MARGIN, "{line:?}");
        assert!(line.bottom() <= PAGE_HEIGHT - MARGIN, "{line:?}");
        let clear_of_code = line.bottom() <= page.qr_y || line.top() >= page.qr_y + QR_SIDE;
        assert!(clear_of_code, "{line:?} overlaps the code at {}", page.qr_y);
    }
    assert!(page.qr_x >= MARGIN && page.qr_x + QR_SIDE <= PAGE_WIDTH - MARGIN);
    assert!(page.qr_y >= MARGIN && page.qr_y + QR_SIDE <= PAGE_HEIGHT - MARGIN);
}

fn page_for(input: &PosterInput) -> layout::Page {
    let code = qr::encode(input.link).expect("code");
    lay_out(&texts::render(&catalog(), input), code)
}

#[test]
fn a_long_name_and_twelve_counsellors_fit_inside_the_margins() {
    let link = link();
    let names: Vec<String> = [
        "Anna", "Bram", "Carla", "Daan", "Eva", "Femke", "Gert-Jan", "Hanneke", "Ilse", "Joost",
        "Karin", "Lodewijk",
    ]
    .map(str::to_owned)
    .to_vec();
    let spaced = "Stichting Samenwerkende Zorginstellingen ".repeat(5);
    let spaced = spaced.trim_end();
    let unbroken = "W".repeat(200);
    for org in [&spaced[..200], &unbroken[..]] {
        assert_eq!(org.chars().count(), 200);
        for lang in ["nl", "en"] {
            let lang = Lang::new(lang);
            let mut input = input(&lang, org, &names, &link);
            input.matrix = Some(("@vertrouwen:matrix.example.nl", "ORG-7Q2X"));
            let page = page_for(&input);
            assert_within_margins(&page);
            // Everything still on it: shrinking, not cutting.
            let text: String = page.lines.iter().map(|l| l.text.as_str()).collect();
            let org_letters: String = org.split_whitespace().collect();
            assert!(text.replace(' ', "").contains(&org_letters));
            for name in &names {
                assert!(text.contains(name.as_str()), "{name}");
            }
            assert!(text.contains(&link) && text.contains("ORG-7Q2X"));
            let poster = render(&catalog(), &input).expect("poster");
            let (w, h, grey) = rasterise_svg(&poster.svg);
            assert_eq!(decode_qr(w, h, &grey), link);
        }
    }
}

#[test]
fn absurd_input_still_gives_a_page_inside_the_margins() {
    let link = link();
    let names: Vec<String> = (0..300).map(|i| format!("Naam{i}")).collect();
    let org = "Zeer lange naam ".repeat(400);
    let lang = Lang::new("nl");
    let input = input(&lang, &org, &names, &link);
    let page = page_for(&input);
    assert_within_margins(&page);
    // The code and the link under it are never the part that gives way.
    assert!(page.lines.iter().any(|l| l.text == link));
    let poster = render(&catalog(), &input).expect("poster");
    let (w, h, grey) = rasterise_rects(&read_pdf(&poster.pdf));
    assert_eq!(decode_qr(w, h, &grey), link);
}

#[test]
fn a_link_no_phone_could_read_is_refused() {
    let lang = Lang::new("nl");
    let names = names(&["Anna"]);
    let long = format!("https://example.org/{}", "a".repeat(3000));
    let err = render(&catalog(), &input(&lang, "Org", &names, &long));
    assert!(matches!(err, Err(PosterError::LinkTooLong { bytes }) if bytes == long.len()));
    // Fits a QR code, but only with modules too small to print.
    let long = format!("https://example.org/{}", "a".repeat(900));
    let err = render(&catalog(), &input(&lang, "Org", &names, &long));
    assert!(matches!(err, Err(PosterError::LinkTooLong { .. })));
    let err = render(&catalog(), &input(&lang, "Org", &names, " "));
    assert!(matches!(err, Err(PosterError::EmptyLink)));
}

#[test]
fn winansi_keeps_dutch_letters_and_marks_the_rest() {
    assert_eq!(winansi::encode("é ë ï"), vec![0xE9, b' ', 0xEB, b' ', 0xEF]);
    assert_eq!(winansi::encode("€’"), vec![0x80, 0x92]);
    assert_eq!(winansi::encode("Łx"), b"?x".to_vec());
}

#[test]
fn the_code_has_a_quiet_zone_of_four_modules() {
    let code = qr::encode(&link()).expect("code");
    let inner = code.size - 2 * qr::QUIET_ZONE;
    for run in &code.runs {
        assert!((4..4 + inner).contains(&run.row), "{run:?}");
        assert!(run.col >= 4 && run.col + run.len <= 4 + inner, "{run:?}");
    }
    // The top-left finder pattern starts right at the zone's inner corner: 7 dark modules.
    assert_eq!(
        code.runs[0],
        qr::Run {
            row: 4,
            col: 4,
            len: 7
        }
    );
}
