//! Small-count suppression for one table of counts.
//!
//! A count under the threshold is shown as "< threshold" (primary suppression). When
//! readers know what a table adds up to (the year's number of contacts, printed at the
//! top, is the sum of every single-answer table), one suppressed cell could be worked out
//! by subtraction; so further cells are hidden (secondary suppression), smallest first,
//! until no suppressed cell with someone in it can be pinned down from what is printed.
//!
//! The reader is assumed to know this method, so the check in [`feasible_ranges`] uses
//! everything the method implies: a "< t" cell is below t, a hidden cell is at least t
//! and no larger than any printed cell (the smallest are hidden first).

use serde::Serialize;

/// What the report prints for one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shown {
    Count(u64),
    /// Under the threshold: printed as "< threshold".
    Below,
    /// At or over the threshold but hidden, so that a small cell cannot be worked out.
    Hidden,
}

/// Suppresses one table. `sum_known`: whether readers know what the cells add up to
/// (false for multiple-answer questions, whose cells are independent).
///
/// Returns `None` when no amount of hiding protects the small cells: the table is
/// then left out of the report altogether.
pub fn suppress(counts: &[u64], threshold: u64, sum_known: bool) -> Option<Vec<Shown>> {
    let mut shown: Vec<Shown> = counts
        .iter()
        .map(|&count| {
            if count < threshold {
                Shown::Below
            } else {
                Shown::Count(count)
            }
        })
        .collect();
    if !sum_known || threshold == 0 {
        return Some(shown);
    }
    let total = counts.iter().sum();
    while exposes_someone(counts, &shown, threshold, total) {
        let smallest = shown
            .iter()
            .enumerate()
            .filter_map(|(i, cell)| match cell {
                Shown::Count(count) => Some((*count, i)),
                _ => None,
            })
            .min()?;
        shown[smallest.1] = Shown::Hidden;
    }
    Some(shown)
}

/// Whether some suppressed cell that holds at least one case can be pinned down exactly.
/// (A cell that can be pinned down as zero points to nobody.)
fn exposes_someone(counts: &[u64], shown: &[Shown], threshold: u64, total: u64) -> bool {
    feasible_ranges(shown, threshold, total)
        .iter()
        .zip(counts)
        .any(|(range, &count)| matches!(range, Some((low, high)) if low == high && count > 0))
}

/// For every suppressed cell, the lowest and highest value it can have given only what
/// is printed and the sum; `None` for printed cells.
///
/// With one sum and a range per cell, cell `i` can be anything between
/// `max(low_i, sum - Σ high_j)` and `min(high_i, sum - Σ low_j)` over the other cells.
pub fn feasible_ranges(shown: &[Shown], threshold: u64, total: u64) -> Vec<Option<(u64, u64)>> {
    let smallest_printed = shown
        .iter()
        .filter_map(|cell| match cell {
            Shown::Count(count) => Some(*count),
            _ => None,
        })
        .min()
        .unwrap_or(total);
    let bounds: Vec<(u64, u64)> = shown
        .iter()
        .map(|cell| match cell {
            Shown::Count(count) => (*count, *count),
            Shown::Below => (0, threshold.saturating_sub(1)),
            Shown::Hidden => (threshold, smallest_printed.max(threshold)),
        })
        .collect();
    let sum_low: u64 = bounds.iter().map(|b| b.0).sum();
    let sum_high: u64 = bounds.iter().map(|b| b.1).sum();
    shown
        .iter()
        .zip(&bounds)
        .map(|(cell, &(low, high))| {
            if matches!(cell, Shown::Count(_)) {
                return None;
            }
            let others_high = sum_high - high;
            let others_low = sum_low - low;
            let from = low.max(total.saturating_sub(others_high));
            let to = high.min(total.saturating_sub(others_low));
            Some((from, to.max(from)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_small_cell_is_not_left_to_subtraction() {
        let shown = suppress(&[20, 12, 3], 5, true).unwrap();
        assert_eq!(shown, vec![Shown::Count(20), Shown::Hidden, Shown::Below]);
    }

    #[test]
    fn independent_cells_only_get_primary_suppression() {
        let shown = suppress(&[20, 3], 5, false).unwrap();
        assert_eq!(shown, vec![Shown::Count(20), Shown::Below]);
    }

    #[test]
    fn several_small_cells_protect_each_other() {
        let shown = suppress(&[20, 2, 3], 5, true).unwrap();
        assert_eq!(shown, vec![Shown::Count(20), Shown::Below, Shown::Below]);
    }

    #[test]
    fn zero_cells_alone_need_no_protection() {
        let shown = suppress(&[20, 0, 0], 5, true).unwrap();
        assert_eq!(shown, vec![Shown::Count(20), Shown::Below, Shown::Below]);
    }

    #[test]
    fn hiding_the_smallest_printed_cell_must_not_pin_it() {
        // Hiding one 5 is not enough: a hidden cell is at most the smallest printed one
        // (5), so the small cell would still be exactly 1.
        let shown = suppress(&[1, 5, 5, 20], 5, true).unwrap();
        assert_eq!(
            shown,
            vec![Shown::Below, Shown::Hidden, Shown::Hidden, Shown::Count(20)]
        );
    }
}
