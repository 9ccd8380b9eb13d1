//! Reading a poster's QR code back as a phone would see it: the SVG drawn by resvg (not
//! by the bot's own code) and the code found and decoded by rqrr.

/// The text of the one QR code on an SVG page.
pub fn scan_svg(svg: &str) -> String {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
        .expect("the poster is an SVG usvg reads");
    // Five pixels per millimetre (usvg works in CSS pixels, 96 to the inch).
    let scale = 5.0 * 25.4 / 96.0;
    let width = (tree.size().width() * scale).ceil() as u32;
    let height = (tree.size().height() * scale).ceil() as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height).expect("a page");
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let (width, height) = (width as usize, height as usize);
    let pixels = pixmap.pixels();
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        pixels[y * width + x].red()
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the poster");
    grids[0].decode().expect("the QR code decodes").1
}
