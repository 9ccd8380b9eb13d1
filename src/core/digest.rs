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

pub fn handle(cores: &[Core], now: Timestamp, shared: &mut Shared) -> Effects {
    // The hour and "today" are the first organisation's: one digest a day per person,
    // however many organisations they counsel for.
    let Some(first) = cores.first() else {
        return Effects::default();
    };
    let local = now.to_zoned(first.settings.timezone.clone());
    let mut effects = Effects {
        system_timer: Some((TimerKind::Digest, next_digest(first, now))),
        ..Effects::default()
    };
    if local.hour() < first.settings.reminders.digest_hour {
        return effects;
    }
    let today = local.date();
    let mut everyone: Vec<&str> = Vec::new();
    for core in cores {
        for c in core.settings.everyone() {
            if !everyone.contains(&c.matrix_id.as_str()) {
                everyone.push(&c.matrix_id);
            }
        }
    }
    for counsellor in &everyone {
        if shared.digest_sent.get(*counsellor) == Some(&today) {
            continue;
        }
        // Each organisation's part comes only from its own cases, and only to its own
        // counsellors; a header names it when there are several.
        let parts: Vec<String> = cores
            .iter()
            .filter(|core| core.settings.everyone().any(|c| c.matrix_id == *counsellor))
            .filter_map(|core| section(core, counsellor, now, shared, cores.len() > 1))
            .collect();
        if parts.is_empty() {
            continue;
        }
        effects.outputs.push(Output::CounsellorDm {
            to: (*counsellor).to_owned(),
            text: parts.join("\n\n"),
        });
        shared.digest_sent.insert((*counsellor).to_owned(), today);
    }
    // Counsellors who left the roster need no memory of their last digest.
    shared
        .digest_sent
        .retain(|id, _| everyone.contains(&id.as_str()));
    effects
}

/// One organisation's part of a counsellor's digest: their cases due within a day, and
/// the organisation's flagged cases (counted); `None` when there is nothing.
fn section(
    core: &Core,
    counsellor: &str,
    now: Timestamp,
    shared: &Shared,
    named: bool,
) -> Option<String> {
    let settings = &core.settings;
    let tz = &settings.timezone;
    let lang = &settings.counsellor_lang;
    let ours = |organisation: Option<&String>| organisation == settings.organisation_id.as_ref();
    let mut due: Vec<_> = shared
        .due
        .values()
        .filter(|d| ours(d.organisation.as_ref()))
        .filter(|d| d.counsellor == counsellor && d.due <= now + DAY)
        .collect();
    let flagged = shared
        .nobody_left
        .iter()
        .filter(|key| ours(shared.nobody_left_organisation.get(*key)))
        .count();
    if due.is_empty() && flagged == 0 {
        return None;
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
    if named {
        parts.push(core.catalog.render(
            lang,
            keys::DIGEST_ORGANISATION,
            &Args::new().text("organisation", settings.organisation.clone()),
        ));
    }
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
    Some(parts.join("\n\n"))
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
