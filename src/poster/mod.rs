//! The printable poster for the staff room: one A4 page per organisation that says what
//! the confidential counsellors do, who they are, and how to reach them, with a QR code
//! that opens the anonymous chat. Made as SVG (to edit or print from a browser) and as PDF
//! (to print as is), both from one layout so the two never disagree.
//!
//! [`texts`] renders every sentence from `locales/<lang>/poster.ftl`; [`layout`] wraps them
//! into positioned lines on the page and places the [`qr`] code; [`svg`] and [`pdf`] only
//! draw what the layout decided.

mod layout;
mod metrics;
mod pdf;
mod qr;
mod svg;
#[cfg(test)]
mod tests;
mod texts;
mod winansi;

use crate::i18n::{Catalog, Lang};

/// What one organisation's poster says.
pub struct PosterInput<'a> {
    pub lang: &'a Lang,
    pub organisation_name: &'a str,
    pub counsellor_first_names: &'a [String],
    /// What the QR code holds and what is printed under it (e.g. https://t.me/Bot?start=CODE).
    pub link: &'a str,
    /// For Matrix users: the bot's Matrix id and the code to send first (None: not offered).
    pub matrix: Option<(&'a str, &'a str)>,
}

/// The same poster twice: an SVG document and a PDF file.
pub struct Poster {
    pub svg: String,
    pub pdf: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum PosterError {
    #[error("the poster needs a link for its QR code, and the link is empty")]
    EmptyLink,
    #[error(
        "the link is {bytes} bytes long: too long for a QR code a phone can read from a printed page; use a shorter link"
    )]
    LinkTooLong { bytes: usize },
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// Makes the poster in `input.lang` (falling back per text like every other message).
pub fn render(catalog: &Catalog, input: &PosterInput) -> Result<Poster, PosterError> {
    let code = qr::encode(input.link)?;
    let texts = texts::render(catalog, input);
    let page = layout::lay_out(&texts, code);
    Ok(Poster {
        svg: svg::write(&page, &texts.document_title),
        pdf: pdf::write(&page, &texts.document_title)?,
    })
}
