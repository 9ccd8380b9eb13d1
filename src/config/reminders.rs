//! The reminder settings in `[deadlines]`: when counsellors are reminded, the
//! whistleblower clocks, and the hour of the daily digest.

use super::Problems;
use super::raw::RawDeadlines;
use super::resolve::duration;
use crate::core::settings::Reminders;
use crate::core::time::SignedDuration;

/// `first_contact` is the deadline the reminders are for (when it is valid): one as
/// long or longer could never fire before it, which is a mistake worth refusing.
pub fn reminders(
    raw: &RawDeadlines,
    first_contact: Option<SignedDuration>,
    at: &dyn Fn(&str) -> String,
    p: &mut Problems,
) -> Reminders {
    let mut before: Vec<_> = raw
        .reminders
        .iter()
        .map(|text| {
            let before = duration(text, &at("deadlines.reminders"), p);
            if first_contact.is_some_and(|deadline| before >= deadline) {
                p.push(
                    at("deadlines.reminders"),
                    format!(
                        "`{text}` before the deadline can never fire: first contact is due {} after a report (deadlines.first_contact = `{}`)",
                        raw.first_contact, raw.first_contact
                    ),
                );
            }
            before
        })
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
