//! `[organisation] units`: the units or regions a reporter may name in the intake, for
//! the yearly report's per-unit counts and to route a case to a counsellor who serves
//! that unit. The names become answer buttons, so they must fit Telegram's button data.

use super::Problems;
use crate::core::settings::Roster;

/// Longest unit name, in bytes: `unit:` plus the name must stay within Telegram's 64.
const MAX_UNIT_BYTES: usize = 48;

/// Checks the unit names, and that every counsellor's regions are among them.
pub fn units(
    raw: &[String],
    roster: &Roster,
    at: &dyn Fn(&str) -> String,
    p: &mut Problems,
) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    for name in raw {
        let name = name.trim();
        if name.is_empty() || name.len() > MAX_UNIT_BYTES || name.contains('~') {
            p.push(
                at("units"),
                format!("`{name}` must be 1 to {MAX_UNIT_BYTES} bytes long and contain no `~`"),
            );
        } else if units.iter().any(|u| u.eq_ignore_ascii_case(name)) {
            p.push(at("units"), format!("`{name}` is listed twice"));
        } else {
            units.push(name.to_owned());
        }
    }
    if units.is_empty() {
        return units;
    }
    for c in roster.everyone() {
        for region in &c.regions {
            if !units.iter().any(|u| u == region) {
                p.push(
                    at("counsellors"),
                    format!(
                        "{} serves region `{region}`, which is not in organisation.units",
                        c.matrix_id
                    ),
                );
            }
        }
    }
    units
}
