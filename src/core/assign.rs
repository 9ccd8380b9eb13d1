//! Choosing a counsellor for a newly submitted case.

use super::settings::{Counsellor, Roster};
use super::shared::Shared;

/// The counsellor with the fewest open cases who still has room, in roster order on ties;
/// the coordinator when no one has room.
pub fn choose<'r>(roster: &'r Roster, shared: &Shared) -> Option<&'r Counsellor> {
    roster
        .counsellors
        .iter()
        .filter(|c| shared.load_of(&c.matrix_id) < c.max_open_cases)
        .min_by_key(|c| shared.load_of(&c.matrix_id))
        .or(roster.coordinator.as_ref())
}
