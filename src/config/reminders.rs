//! The reminder settings in `[deadlines]`: when counsellors are reminded, the
//! whistleblower clocks, and the hour of the daily digest.

use super::Problems;
use super::raw::RawDeadlines;
use super::resolve::duration;
use crate::core::settings::Reminders;

pub fn reminders(raw: &RawDeadlines, at: &dyn Fn(&str) -> String, p: &mut Problems) -> Reminders {
    let mut before: Vec<_> = raw
        .reminders
        .iter()
        .map(|text| duration(text, &at("deadlines.reminders"), p))
        .collect();
    before.sort_by(|a, b| b.cmp(a));
    before.dedup();
    if !(0..=23).contains(&raw.digest_hour) {
        p.push(
            at("deadlines.digest_hour"),
            "must be an hour of the day, 0-23",
        );
    }
    Reminders {
        before,
        integrity_acknowledge: duration(
            &raw.integrity_acknowledge,
            &at("deadlines.integrity_acknowledge"),
            p,
        ),
        integrity_feedback: duration(
            &raw.integrity_feedback,
            &at("deadlines.integrity_feedback"),
            p,
        ),
        digest_hour: raw.digest_hour.clamp(0, 23),
    }
}
