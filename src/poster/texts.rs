//! Every sentence on the poster, rendered from `locales/<lang>/poster.ftl`. Names and codes
//! come from configuration, so they are cleaned of control characters here: one such
//! character would make the SVG ill-formed XML.

use crate::core::text_keys as keys;
use crate::i18n::{Args, Catalog};

use super::PosterInput;

/// The poster's texts in reading order, before wrapping.
#[derive(Debug, Clone)]
pub struct Texts {
    pub title: String,
    /// The line that names the organisation.
    pub organisation: String,
    /// What the counsellors do, one paragraph each.
    pub paragraphs: Vec<String>,
    /// Who the counsellors are (None: no names configured, so the line is left out).
    pub counsellors: Option<String>,
    pub scan: String,
    pub matrix: Option<String>,
    /// The link as printed under the code (the code itself holds it unchanged).
    pub link: String,
    /// The file's own title (SVG `<title>`, PDF Info), not printed.
    pub document_title: String,
}

pub fn render(catalog: &Catalog, input: &PosterInput) -> Texts {
    let lang = input.lang;
    let text = |id: &str, args: &Args| clean(&catalog.render(lang, id, args));
    let organisation = Args::new().text("organisation", clean(input.organisation_name));
    let names: Vec<String> = input
        .counsellor_first_names
        .iter()
        .map(|name| clean(name))
        .filter(|name| !name.is_empty())
        .collect();
    let counsellors = join_names(catalog, input, &names).map(|joined| {
        let count = i64::try_from(names.len()).unwrap_or(i64::MAX);
        text(
            keys::POSTER_COUNSELLORS,
            &Args::new().text("names", joined).number("count", count),
        )
    });
    let matrix = input.matrix.map(|(bot, code)| {
        text(
            keys::POSTER_MATRIX,
            &Args::new()
                .text("bot", clean(bot))
                .text("code", clean(code)),
        )
    });
    Texts {
        title: text(keys::POSTER_TITLE, &Args::new()),
        organisation: text(keys::POSTER_FOR, &organisation),
        paragraphs: [
            keys::POSTER_LISTEN,
            keys::POSTER_ANONYMOUS,
            keys::POSTER_FIRST_CONTACT,
        ]
        .iter()
        .map(|id| text(id, &Args::new()))
        .collect(),
        counsellors,
        scan: text(keys::POSTER_SCAN, &Args::new()),
        matrix,
        link: clean(input.link),
        document_title: text(keys::POSTER_DOCUMENT_TITLE, &organisation),
    }
}

/// "Anna", "Anna en Bram", "Anna, Bram en Carla": each language says how a list goes on
/// (`poster-list-more`) and how it ends (`poster-list-last`).
fn join_names(catalog: &Catalog, input: &PosterInput, names: &[String]) -> Option<String> {
    let (last, rest) = names.split_last()?;
    let Some((first, middle)) = rest.split_first() else {
        return Some(last.clone());
    };
    let mut list = first.clone();
    for next in middle {
        let args = Args::new().text("list", list).text("next", next.as_str());
        list = catalog.render(input.lang, keys::POSTER_LIST_MORE, &args);
    }
    let args = Args::new().text("list", list).text("last", last.as_str());
    Some(catalog.render(input.lang, keys::POSTER_LIST_LAST, &args))
}

/// Trims, turns any run of whitespace (a newline in a configured name) into one space and
/// drops other control characters and the two non-characters XML forbids.
fn clean(text: &str) -> String {
    let allowed = |c: &char| !c.is_control() && !matches!(c, '\u{FFFE}' | '\u{FFFF}');
    text.split_whitespace()
        .map(|word| word.chars().filter(allowed).collect::<String>())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
