//! `[organisation]`, or several `[[organisation]]` blocks: what belongs to each
//! organisation the bot serves (its name, code, units, roster, HR room, languages,
//! privacy and dialog numbers), checked with every problem named by its place.
//! Counsellors are described once, in `[[counsellor]]`, and listed by the organisations
//! they serve.

use std::collections::{BTreeMap, BTreeSet};

use super::Problems;
use super::raw::{RawConfig, RawCounsellor, RawOrganisation, RawOrganisations};
use crate::core::settings::{Counsellor, Privacy, Roster};
use crate::i18n::Lang;

/// Shortest organisation code: 16 characters of 64 kinds is 96 bits, past guessing.
const MIN_CODE_CHARS: usize = 16;
/// Longest: Telegram's deep-link `start` parameter takes at most 64 characters.
const MAX_CODE_CHARS: usize = 64;

/// One organisation, resolved, except what all organisations share.
pub struct Organisation {
    pub id: Option<String>,
    pub code: Option<String>,
    pub name: String,
    pub timezone: jiff::tz::TimeZone,
    pub default_lang: Lang,
    pub counsellor_lang: Lang,
    pub units: Vec<String>,
    pub hr_room: Option<String>,
    pub roster: Roster,
    pub accused_roster: Option<Roster>,
    pub privacy: Privacy,
    pub numbers: BTreeMap<String, String>,
}

/// Everything that checks need from around the organisations.
pub struct Context<'a> {
    pub at: &'a dyn Fn(&str) -> String,
    pub known_lang: &'a dyn Fn(&Lang) -> bool,
    /// Every `[numbers]` name the dialogs know.
    pub number_names: &'a BTreeSet<String>,
    pub bot_user_id: &'a str,
}

pub fn organisations(raw: &RawConfig, cx: &Context<'_>, p: &mut Problems) -> Vec<Organisation> {
    let several = matches!(raw.organisation, RawOrganisations::Several(_));
    let list = raw.organisation.list();
    if list.is_empty() {
        p.push(
            (cx.at)("organisation"),
            "no [[organisation]] block: describe at least one",
        );
    }
    let everyone: Vec<Counsellor> = raw
        .counsellors
        .iter()
        .enumerate()
        .map(|(i, c)| counsellor(c, (cx.at)(&format!("counsellor[{i}]")), cx, p))
        .collect();
    let coordinator = raw
        .coordinator
        .as_ref()
        .map(|c| counsellor(c, (cx.at)("coordinator"), cx, p));
    let backup = raw
        .backup
        .as_ref()
        .map(|c| counsellor(c, (cx.at)("backup"), cx, p));
    let shared = Shared {
        everyone: &everyone,
        coordinator: &coordinator,
        backup: &backup,
        privacy: super::privacy::privacy(&raw.privacy, cx.at, p),
    };
    let mut resolved = Vec::new();
    for (i, org) in list.iter().enumerate() {
        let place = if several {
            format!("organisation[{i}]")
        } else {
            "organisation".to_owned()
        };
        resolved.push(organisation(org, &place, several, &shared, cx, p));
    }
    let mut ids = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for org in &resolved {
        if let Some(id) = &org.id
            && !ids.insert(id.clone())
        {
            p.push(
                (cx.at)("organisation.id"),
                format!("`{id}` is used by two organisations"),
            );
        }
        if let Some(code) = &org.code
            && !codes.insert(code.clone())
        {
            p.push(
                (cx.at)("organisation.code"),
                "two organisations have the same code",
            );
        }
    }
    if several {
        regions_served(&everyone, &resolved, cx, p);
    }
    resolved
}

/// What organisations fall back on when they do not set it themselves.
struct Shared<'a> {
    everyone: &'a [Counsellor],
    coordinator: &'a Option<Counsellor>,
    backup: &'a Option<Counsellor>,
    privacy: Privacy,
}

fn organisation(
    raw: &RawOrganisation,
    place: &str,
    several: bool,
    shared: &Shared<'_>,
    cx: &Context<'_>,
    p: &mut Problems,
) -> Organisation {
    let at = |setting: &str| (cx.at)(&format!("{place}.{setting}"));
    if raw.name.trim().is_empty() {
        p.push(
            at("name"),
            "must not be empty (texts say who is behind the bot)",
        );
    }
    let timezone = jiff::tz::TimeZone::get(&raw.timezone).unwrap_or_else(|_| {
        p.push(
            at("timezone"),
            format!(
                "`{}` is not a known time zone (e.g. Europe/Amsterdam)",
                raw.timezone
            ),
        );
        jiff::tz::TimeZone::UTC
    });
    for (setting, code) in [
        ("default_language", &raw.default_language),
        ("counsellor_language", &raw.counsellor_language),
    ] {
        if !(cx.known_lang)(&Lang::new(code.clone())) {
            p.push(at(setting), format!("there is no locales/{code} folder"));
        }
    }
    let id = checked(
        raw.id.as_deref(),
        is_id,
        several,
        (&at("id"), p),
        "must be 1 to 32 of a-z, 0-9 and - (it names the organisation in commands)",
        "is required when there are several organisations (a short name such as acme)",
    );
    let code = checked(
        raw.code.as_deref(),
        is_code,
        several,
        (&at("code"), p),
        &format!(
            "must be {MIN_CODE_CHARS} to {MAX_CODE_CHARS} of A-Z, a-z, 0-9, _ and - (unguessable: make one with `head -c 18 /dev/urandom | base64 | tr '+/' '-_'`)"
        ),
        "is required when there are several organisations: employees reach theirs with it",
    );
    let roster = roster(raw, place, several, shared, cx, p);
    let accused_roster = raw
        .accused_counsellor
        .as_ref()
        .and_then(|id| accused(id, &roster, shared, &at, p));
    let no_roster = Roster::default();
    let units = super::units::units(
        &raw.units,
        if several { &no_roster } else { &roster },
        &at,
        p,
    );
    let hr_room = raw.hr_room.clone();
    // Room ids start with `!`; since room version 12 they carry no server part.
    if let Some(room) = &hr_room
        && (!room.starts_with('!') || room.len() < 2 || room.contains(char::is_whitespace))
    {
        p.push(
            at("hr_room"),
            format!(
                "{room:?} is no room id: give the HR room's id (it starts with \"!\"; Element: room settings → Advanced)"
            ),
        );
    }
    let privacy = match &raw.privacy {
        Some(own) => super::privacy::privacy(own, &|s: &str| at(s), p),
        None => shared.privacy.clone(),
    };
    for name in raw.numbers.keys() {
        if !cx.number_names.contains(name) {
            p.push(
                at("numbers"),
                format!("`{name}` is not a number the dialogs use ([numbers] in dialogs/*.toml)"),
            );
        }
    }
    Organisation {
        id,
        code,
        name: raw.name.trim().to_owned(),
        timezone,
        default_lang: Lang::new(raw.default_language.clone()),
        counsellor_lang: Lang::new(raw.counsellor_language.clone()),
        units,
        hr_room,
        roster,
        accused_roster,
        privacy,
        numbers: raw.numbers.clone(),
    }
}

/// The organisation's counsellors (listed by id, or everyone when there is one
/// organisation and no list), and its coordinator and backup.
fn roster(
    raw: &RawOrganisation,
    place: &str,
    several: bool,
    shared: &Shared<'_>,
    cx: &Context<'_>,
    p: &mut Problems,
) -> Roster {
    let at = |setting: &str| (cx.at)(&format!("{place}.{setting}"));
    let counsellors: Vec<Counsellor> = if raw.counsellors.is_empty() && !several {
        // Everyone, except a counsellor kept apart for the accused.
        shared
            .everyone
            .iter()
            .filter(|c| raw.accused_counsellor.as_ref() != Some(&c.matrix_id))
            .cloned()
            .collect()
    } else {
        let mut listed: Vec<Counsellor> = Vec::new();
        for id in &raw.counsellors {
            match shared.everyone.iter().find(|c| &c.matrix_id == id) {
                Some(_) if listed.iter().any(|c| &c.matrix_id == id) => {
                    p.push(at("counsellors"), format!("{id} is listed twice"));
                }
                Some(c) => listed.push(c.clone()),
                None => p.push(
                    at("counsellors"),
                    format!(
                        "{id} has no [[counsellor]] block (describe each counsellor once there)"
                    ),
                ),
            }
        }
        listed
    };
    let coordinator = match &raw.coordinator {
        Some(own) => Some(counsellor(own, at("coordinator"), cx, p)),
        None => shared.coordinator.clone(),
    };
    let backup = match &raw.backup {
        Some(own) => Some(counsellor(own, at("backup"), cx, p)),
        None => shared.backup.clone(),
    };
    if counsellors.is_empty() && coordinator.is_none() {
        p.push(
            if several {
                at("counsellors")
            } else {
                (cx.at)("counsellor")
            },
            "no counsellors and no coordinator: add at least one [[counsellor]]",
        );
    }
    let roster = Roster {
        counsellors,
        coordinator,
        backup,
    };
    let mut seen = BTreeSet::new();
    for c in roster.everyone() {
        if c.matrix_id == cx.bot_user_id {
            p.push(
                (cx.at)("counsellor"),
                format!(
                    "{} is the bot's own account; counsellors need accounts of their own",
                    c.matrix_id
                ),
            );
        }
        if !seen.insert(c.matrix_id.clone())
            && roster
                .coordinator
                .as_ref()
                .is_none_or(|k| k.matrix_id != c.matrix_id)
        {
            p.push(
                (cx.at)("counsellor"),
                format!("{} is listed twice", c.matrix_id),
            );
        }
    }
    roster
}

/// The accused's own roster: their counsellor, with the organisation's coordinator and
/// backup for escalations. The counsellor must be described, and must not also support
/// the organisation's reporters (the double role seed 004 rules out).
fn accused(
    id: &str,
    roster: &Roster,
    shared: &Shared<'_>,
    at: &dyn Fn(&str) -> String,
    p: &mut Problems,
) -> Option<Roster> {
    let Some(counsellor) = shared.everyone.iter().find(|c| c.matrix_id == id) else {
        p.push(
            at("accused_counsellor"),
            format!("{id} has no [[counsellor]] block (describe each counsellor once there)"),
        );
        return None;
    };
    if roster.find(id).is_some() {
        p.push(
            at("accused_counsellor"),
            format!(
                "{id} also counsels this organisation's reporters; the accused need someone else (no double role)"
            ),
        );
        return None;
    }
    Some(Roster {
        counsellors: vec![counsellor.clone()],
        coordinator: roster.coordinator.clone(),
        backup: roster.backup.clone(),
    })
}

/// With several organisations, a counsellor's regions must be units of one they serve.
fn regions_served(
    everyone: &[Counsellor],
    organisations: &[Organisation],
    cx: &Context<'_>,
    p: &mut Problems,
) {
    for c in everyone {
        let units: BTreeSet<&String> = organisations
            .iter()
            .filter(|o| {
                o.roster.find(&c.matrix_id).is_some()
                    || o.accused_roster
                        .iter()
                        .any(|r| r.find(&c.matrix_id).is_some())
            })
            .flat_map(|o| &o.units)
            .collect();
        for region in &c.regions {
            if !units.contains(region) {
                p.push(
                    (cx.at)("counsellor"),
                    format!(
                        "{} serves region `{region}`, which is not a unit of an organisation they serve",
                        c.matrix_id
                    ),
                );
            }
        }
    }
}

fn counsellor(c: &RawCounsellor, place: String, cx: &Context<'_>, p: &mut Problems) -> Counsellor {
    if !super::resolve::is_matrix_id(&c.matrix_id) {
        p.push(
            format!("{place}.matrix_id"),
            format!(
                "`{}` is not a Matrix user id (like @anna:example.org)",
                c.matrix_id
            ),
        );
    }
    if c.first_name.trim().is_empty() {
        p.push(
            format!("{place}.first_name"),
            "must not be empty (reporters are told who will contact them)",
        );
    }
    if c.max_open_cases == 0 {
        p.push(format!("{place}.max_open_cases"), "must be at least 1");
    }
    for code in &c.languages {
        if !(cx.known_lang)(&Lang::new(code.clone())) {
            p.push(
                format!("{place}.languages"),
                format!("there is no locales/{code} folder"),
            );
        }
    }
    Counsellor {
        matrix_id: c.matrix_id.clone(),
        first_name: c.first_name.trim().to_owned(),
        gender: c.gender,
        kind: c.kind,
        languages: c.languages.iter().cloned().map(Lang::new).collect(),
        regions: c.regions.clone(),
        max_open_cases: c.max_open_cases,
    }
}

/// A setting every organisation needs when there are several: trimmed, checked with
/// `valid`, and named with `invalid` or `missing` when it is not right.
fn checked(
    value: Option<&str>,
    valid: fn(&str) -> bool,
    several: bool,
    (place, p): (&str, &mut Problems),
    invalid: &str,
    missing: &str,
) -> Option<String> {
    let value = value.map(|v| v.trim().to_owned());
    match &value {
        Some(v) if !valid(v) => p.push(place, format!("`{v}` {invalid}")),
        None if several => p.push(place, missing),
        _ => {}
    }
    value
}

fn is_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_code(code: &str) -> bool {
    (MIN_CODE_CHARS..=MAX_CODE_CHARS).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The first organisation's default language: the texts' fallback, and the language
/// of what belongs to no organisation.
pub fn first_language(raw: &RawOrganisations) -> String {
    raw.list()
        .first()
        .map(|o| o.default_language.clone())
        .unwrap_or_else(|| "nl".to_owned())
}
