//! What the dialog engine knows of the organisation's set-up: enough to decide whether a
//! conditional step is asked and which options a configured list offers. Built from the
//! settings by the case logic, so the engine itself stays free of configuration types.

use std::borrow::Cow;

use super::model::{Condition, DialogOption, OptionSource, Step};

/// The organisation's set-up as far as dialogs care, borrowed from the settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts<'s> {
    /// Both internal and external counsellors are on the roster.
    pub both_kinds: bool,
    /// The organisation's units or regions, in configuration order.
    pub units: &'s [String],
    /// A separate counsellor for the accused is configured.
    pub accused_counsellor: bool,
}

impl Facts<'_> {
    pub fn holds(&self, condition: Condition) -> bool {
        match condition {
            Condition::BothKinds => self.both_kinds,
            Condition::Units => !self.units.is_empty(),
            Condition::AccusedCounsellor => self.accused_counsellor,
        }
    }

    /// Whether `step` is asked under this set-up.
    pub fn asks(&self, step: &Step) -> bool {
        step.when.is_none_or(|c| self.holds(c))
            && (step.options_from.is_none() || !self.options_of(step).is_empty())
    }

    /// The options `step` offers: its own, or those of the configured list it names.
    pub fn options_of<'d>(&self, step: &'d Step) -> Cow<'d, [DialogOption]> {
        match step.options_from {
            None => Cow::Borrowed(&step.options),
            Some(OptionSource::Units) => Cow::Owned(
                self.units
                    .iter()
                    .map(|name| DialogOption {
                        id: name.clone(),
                        label: name.clone(),
                        hint: None,
                        next: None,
                        action: None,
                        literal_label: true,
                    })
                    .collect(),
            ),
        }
    }
}
