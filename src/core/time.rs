//! Time as the core sees it: instants are passed in (`now`), never read from a clock.

pub use jiff::{SignedDuration, Timestamp};

use crate::core::text_keys as keys;
use crate::i18n::{Args, Catalog, Lang};

/// Renders an instant for people, in the organisation's time zone and the language's own
/// date format (the `datetime-format` text holds a strftime pattern).
pub fn human(at: Timestamp, tz: &jiff::tz::TimeZone, catalog: &Catalog, lang: &Lang) -> String {
    let pattern = catalog.render(lang, keys::DATETIME_FORMAT, &Args::new());
    let zoned = at.to_zoned(tz.clone());
    jiff::fmt::strtime::format(pattern.as_str(), &zoned)
        .unwrap_or_else(|_| zoned.strftime("%Y-%m-%d %H:%M").to_string())
}
