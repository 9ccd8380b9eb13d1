//! The `[privacy]` settings: the report's suppression threshold, how long closed cases
//! are kept, and when aftercare comes.

use jiff::SignedDuration;

use super::Problems;
use super::raw::RawPrivacy;
use super::resolve::duration;
use crate::core::settings::Privacy;

pub fn privacy(raw: &RawPrivacy, at: &dyn Fn(&str) -> String, p: &mut Problems) -> Privacy {
    if raw.report_threshold < 2 {
        p.push(
            at("privacy.report_threshold"),
            "must be at least 2 (with 1, every count would be printed)",
        );
    }
    Privacy {
        report_threshold: raw.report_threshold,
        dossier_retention: duration_or_zero(
            &raw.dossier_retention,
            &at("privacy.dossier_retention"),
            p,
        ),
        tally_retention: duration_or_zero(&raw.tally_retention, &at("privacy.tally_retention"), p),
        aftercare_after: duration(&raw.aftercare_after, &at("privacy.aftercare_after"), p),
    }
}

/// Retention may be zero ("at close").
fn duration_or_zero(text: &str, place: &str, p: &mut Problems) -> SignedDuration {
    let zero = text
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .trim()
        == "0";
    if zero {
        SignedDuration::ZERO
    } else {
        duration(text, place, p)
    }
}
