//! Choosing a counsellor for a newly submitted case, from the reporter's preferences
//! (gender, internal/external, language, people they do not want) and the counsellors'
//! load, caps and absences. When no one fits, the coordinator takes the case and the
//! reporter is told so honestly.

use super::case::Case;
use super::settings::{Counsellor, CounsellorKind, Gender, Roster};
use super::shared::Shared;
use super::time::Timestamp;

/// The outcome of choosing.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment<'r> {
    pub counsellor: Option<&'r Counsellor>,
    /// False when no counsellor fitted and the case went to the coordinator (or nobody).
    pub fitted: bool,
}

/// The least-loaded counsellor who fits the reporter's wishes, has room and is not away,
/// in roster order on ties, preferring one who serves the reporter's unit; otherwise the
/// coordinator (unless the reporter excluded them too), then the backup.
pub fn choose<'r>(
    roster: &'r Roster,
    shared: &Shared,
    case: &Case,
    now: Timestamp,
) -> Assignment<'r> {
    let wishes = Wishes::of(case);
    let unit = case.answers.choice(super::registration::UNIT_ANSWER);
    let available = || {
        roster
            .counsellors
            .iter()
            .filter(|c| wishes.allows(c))
            .filter(|c| c.languages.is_empty() || c.languages.contains(&case.lang))
            .filter(|c| shared.load_of(&c.matrix_id) < c.max_open_cases)
            .filter(|c| !shared.is_away(&c.matrix_id, now))
    };
    // A unit is a routing preference, not a wish: when nobody serving it is free, anyone
    // else who fits is better than the coordinator.
    let serves_unit = |c: &&Counsellor| unit.is_none_or(|u| c.serves(u));
    let fitting = available()
        .filter(serves_unit)
        .min_by_key(|c| shared.load_of(&c.matrix_id))
        .or_else(|| available().min_by_key(|c| shared.load_of(&c.matrix_id)));
    if let Some(counsellor) = fitting {
        return Assignment {
            counsellor: Some(counsellor),
            fitted: true,
        };
    }
    let fallback = [roster.coordinator.as_ref(), roster.backup.as_ref()]
        .into_iter()
        .flatten()
        .find(|c| !wishes.excludes(c));
    Assignment {
        counsellor: fallback,
        fitted: false,
    }
}

/// Whether the reporter named `counsellor` among the people they do not want involved.
/// Every way a counsellor enters a case (assignment, escalation, handover, the backup)
/// asks this.
pub fn excluded(case: &Case, counsellor: &Counsellor) -> bool {
    Wishes::of(case).excludes(counsellor)
}

/// What the reporter asked for in the intake (answers `counsellor-gender`,
/// `counsellor-kind`, `exclude`); an absent or skipped answer asks for nothing.
struct Wishes {
    gender: Option<Gender>,
    kind: Option<CounsellorKind>,
    /// Words of the `exclude` answer, lower-cased.
    excluded_words: Vec<String>,
}

impl Wishes {
    fn of(case: &Case) -> Wishes {
        let gender = match case.answers.choice("counsellor-gender") {
            Some("female") => Some(Gender::Female),
            Some("male") => Some(Gender::Male),
            _ => None,
        };
        let kind = match case.answers.choice("counsellor-kind") {
            Some("internal") => Some(CounsellorKind::Internal),
            Some("external") => Some(CounsellorKind::External),
            _ => None,
        };
        let excluded_words = match case.answers.get("exclude") {
            Some(super::dialog::Answer::Text(text)) => text
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect(),
            _ => Vec::new(),
        };
        Wishes {
            gender,
            kind,
            excluded_words,
        }
    }

    fn excludes(&self, counsellor: &Counsellor) -> bool {
        let name = counsellor.first_name.to_lowercase();
        self.excluded_words.contains(&name)
    }

    fn allows(&self, counsellor: &Counsellor) -> bool {
        self.gender.is_none_or(|g| g == counsellor.gender)
            && self.kind.is_none_or(|k| k == counsellor.kind)
            && !self.excludes(counsellor)
    }
}
