//! The daily digest: once a day, at the configured hour, each counsellor gets a direct
//! message listing their cases with a deadline in the next 24 hours (tokens only). It
//! runs on the system's own timer, re-armed for the next day each time it fires, and
//! once at every start: a digest that fell due while the bot was down goes out then,
//! and a counsellor who already had today's gets nothing more.

use jiff::civil::Time;

use super::Core;
use super::case::TimerKind;
use super::io::{Effects, Output};
use super::shared::Shared;
use super::text_keys as keys;
use super::time::{SignedDuration, Timestamp};
use crate::i18n::Args;

const DAY: SignedDuration = SignedDuration::from_hours(24);

pub fn handle(core: &Core, now: Timestamp, shared: &mut Shared) -> Effects {
    let settings = &core.settings;
    let tz = &settings.timezone;
    let local = now.to_zoned(tz.clone());
    let mut effects = Effects {
        system_timer: Some((TimerKind::Digest, next_digest(core, now))),
        ..Effects::default()
    };
    if local.hour() < settings.reminders.digest_hour {
        return effects;
    }
    let today = local.date();
    let lang = &settings.counsellor_lang;
    for counsellor in settings.roster.everyone() {
        if shared.digest_sent.get(&counsellor.matrix_id) == Some(&today) {
            continue;
        }
        let mut due: Vec<_> = shared
            .due
            .values()
            .filter(|d| d.counsellor == counsellor.matrix_id && d.due <= now + DAY)
            .collect();
        let flagged = shared.nobody_left.len();
        if due.is_empty() && flagged == 0 {
            continue;
        }
        due.sort_by_key(|d| d.due);
        let lines: Vec<String> = due
            .iter()
            .map(|d| {
                core.catalog.render(
                    lang,
                    keys::DIGEST_LINE,
                    &Args::new()
                        .text("token", d.token.clone())
                        .text("due", super::time::human(d.due, tz, &core.catalog, lang)),
                )
            })
            .collect();
        let mut parts = Vec::new();
        if !due.is_empty() {
            parts.push(
                core.catalog.render(
                    lang,
                    keys::DIGEST,
                    &Args::new()
                        .number("count", due.len() as i64)
                        .text("cases", lines.join("\n")),
                ),
            );
        }
        // Counted, never named: whoever reads this may be someone a reporter excluded.
        if flagged > 0 {
            parts.push(core.catalog.render(
                lang,
                keys::DIGEST_NOBODY_LEFT,
                &Args::new().number("count", flagged as i64),
            ));
        }
        let text = parts.join("\n\n");
        effects.outputs.push(Output::CounsellorDm {
            to: counsellor.matrix_id.clone(),
            text,
        });
        shared
            .digest_sent
            .insert(counsellor.matrix_id.clone(), today);
    }
    // Counsellors who left the roster need no memory of their last digest.
    shared
        .digest_sent
        .retain(|id, _| settings.roster.find(id).is_some());
    effects
}

/// The next digest hour after `now`, in the organisation's time zone.
pub fn next_digest(core: &Core, now: Timestamp) -> Timestamp {
    let settings = &core.settings;
    let local = now.to_zoned(settings.timezone.clone());
    let hour = Time::new(settings.reminders.digest_hour, 0, 0, 0).unwrap_or(Time::midnight());
    let today = local.date().to_datetime(hour);
    let candidate = today
        .to_zoned(settings.timezone.clone())
        .map(|z| z.timestamp())
        .unwrap_or(now + DAY);
    if candidate > now {
        candidate
    } else {
        candidate + DAY
    }
}

impl Core {
    /// Arms the digest timer at start, for `now`: if today's digest hour has passed, those
    /// who have not had today's digest get it at once (the bot may have been down at
    /// the hour); otherwise it only re-arms for the hour. The store keeps one system
    /// timer per kind, so arming again replaces rather than adds.
    pub fn arm_digest(&self, now: Timestamp) -> Effects {
        Effects {
            system_timer: Some((TimerKind::Digest, now)),
            ..Effects::default()
        }
    }
}
