//! Soundness checks for a dialog: every step reachable, every branch ends, every choice
//! leads somewhere, every text exists in every language. Run by `check-config` and at
//! start-up, so a broken dialog never reaches an employee.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use super::model::{Action, Dialog, Step, StepKind};
use crate::core::text_keys;
use crate::i18n::Catalog;

/// One problem, naming the file and (where it applies) the step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub step: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.step {
            Some(step) => write!(
                f,
                "{}: step `{step}`: {}",
                self.file.display(),
                self.message
            ),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Telegram allows 64 bytes of callback data; the engine adds a few bytes of its own.
const MAX_BUTTON_ID_BYTES: usize = 56;

/// Checks one dialog against the locales. Returns every problem found.
pub fn validate(dialog: &Dialog, file: &Path, catalog: &Catalog) -> Vec<Problem> {
    let mut checker = Checker {
        file: file.to_owned(),
        problems: Vec::new(),
    };
    let steps = checker.index_steps(dialog);
    if !steps.contains_key(dialog.start.as_str()) {
        checker.push(
            None,
            format!(
                "`start` names step `{}`, which does not exist",
                dialog.start
            ),
        );
    }
    for step in &dialog.steps {
        checker.check_step(step, &steps);
    }
    checker.check_graph(dialog, &steps);
    checker.check_texts(dialog, catalog);
    checker.problems
}

struct Checker {
    file: PathBuf,
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, step: Option<&str>, message: String) {
        self.problems.push(Problem {
            file: self.file.clone(),
            step: step.map(str::to_owned),
            message,
        });
    }

    fn index_steps<'d>(&mut self, dialog: &'d Dialog) -> BTreeMap<&'d str, &'d Step> {
        let mut steps = BTreeMap::new();
        for step in &dialog.steps {
            if steps.insert(step.id.as_str(), step).is_some() {
                self.push(Some(&step.id), "this step id is used twice".into());
            }
            if step.id.is_empty() || step.id.contains([':', '~']) {
                self.push(
                    Some(&step.id),
                    "step ids must be non-empty and contain no `:` or `~`".into(),
                );
            }
        }
        steps
    }

    fn check_step(&mut self, step: &Step, steps: &BTreeMap<&str, &Step>) {
        let id = step.id.as_str();
        if let Some(next) = &step.next
            && !steps.contains_key(next.as_str())
        {
            self.push(
                Some(id),
                format!("`next` names step `{next}`, which does not exist"),
            );
        }
        let mut seen = BTreeSet::new();
        for option in &step.options {
            if !seen.insert(option.id.as_str()) {
                self.push(Some(id), format!("option id `{}` is used twice", option.id));
            }
            if option.id.is_empty() || option.id.contains([':', '~']) {
                self.push(
                    Some(id),
                    format!(
                        "option id `{}` must be non-empty and contain no `:` or `~`",
                        option.id
                    ),
                );
            }
            if step.id.len() + option.id.len() > MAX_BUTTON_ID_BYTES {
                self.push(Some(id), format!("step id plus option id `{}` exceed {MAX_BUTTON_ID_BYTES} bytes (Telegram button data limit)", option.id));
            }
            if let Some(next) = &option.next
                && !steps.contains_key(next.as_str())
            {
                self.push(
                    Some(id),
                    format!(
                        "option `{}` leads to step `{next}`, which does not exist",
                        option.id
                    ),
                );
            }
            let has_target = option.next.is_some()
                || step.next.is_some()
                || matches!(
                    option.action,
                    Some(Action::Abandon | Action::Refer | Action::Edit | Action::Language)
                );
            if matches!(step.kind, StepKind::Choice | StepKind::Summary) && !has_target {
                self.push(
                    Some(id),
                    format!(
                        "option `{}` has no target: give it `next` or give the step `next`",
                        option.id
                    ),
                );
            }
        }
        let needs_options = matches!(
            step.kind,
            StepKind::Choice | StepKind::Multi | StepKind::Summary
        );
        if needs_options && step.options.is_empty() && step.options_from.is_none() {
            self.push(
                Some(id),
                "this kind of step needs at least one option".into(),
            );
        }
        if step.options_from.is_some() {
            if !matches!(step.kind, StepKind::Choice | StepKind::Multi) {
                self.push(
                    Some(id),
                    "only choice and multi steps can take `options_from`".into(),
                );
            }
            if !step.options.is_empty() {
                self.push(
                    Some(id),
                    "a step with `options_from` takes no `option` entries of its own".into(),
                );
            }
        }
        if (step.when.is_some() || step.options_from.is_some()) && step.next.is_none() {
            self.push(
                Some(id),
                "a step that may be passed over (`when`, `options_from`) needs `next`".into(),
            );
        }
        let needs_next = matches!(
            step.kind,
            StepKind::Info | StepKind::Text | StepKind::Story | StepKind::Multi
        );
        if needs_next && step.next.is_none() {
            self.push(Some(id), "this kind of step needs `next`".into());
        }
        let takes_no_options =
            matches!(step.kind, StepKind::Info | StepKind::Text | StepKind::Story);
        if takes_no_options && !step.options.is_empty() {
            self.push(
                Some(id),
                "this kind of step takes no options (use kind = \"choice\")".into(),
            );
        }
        if step.kind == StepKind::End && (step.next.is_some() || !step.options.is_empty()) {
            self.push(Some(id), "an end step has no `next` and no options".into());
        }
        if step.kind == StepKind::Multi
            && step
                .options
                .iter()
                .any(|o| o.next.is_some() || o.action.is_some())
        {
            self.push(
                Some(id),
                "options of a multi step cannot have their own `next` or `action`".into(),
            );
        }
        if step.skippable
            && !matches!(
                step.kind,
                StepKind::Choice | StepKind::Multi | StepKind::Text | StepKind::Story
            )
        {
            self.push(
                Some(id),
                "only questions (choice, multi, text, story) can be skippable".into(),
            );
        }
    }

    /// Reachability from `start`, and that an end (or abandoning) is reachable from every step.
    fn check_graph(&mut self, dialog: &Dialog, steps: &BTreeMap<&str, &Step>) {
        let edges = |step: &Step| -> Vec<String> {
            let mut out: Vec<String> = step.next.iter().cloned().collect();
            out.extend(step.options.iter().filter_map(|o| o.next.clone()));
            out
        };
        let mut reached = BTreeSet::new();
        let mut queue = VecDeque::from([dialog.start.clone()]);
        while let Some(id) = queue.pop_front() {
            let Some(step) = steps.get(id.as_str()) else {
                continue;
            };
            if reached.insert(id.clone()) {
                queue.extend(edges(step));
            }
        }
        for step in &dialog.steps {
            if !reached.contains(&step.id) {
                self.push(
                    Some(&step.id),
                    "this step cannot be reached from `start`".into(),
                );
            }
        }
        // A step "ends" if it is an end step, can abandon, or leads to a step that ends.
        let mut ends: BTreeSet<&str> = dialog
            .steps
            .iter()
            .filter(|s| {
                s.kind == StepKind::End
                    || s.options
                        .iter()
                        .any(|o| matches!(o.action, Some(Action::Abandon | Action::Refer)))
            })
            .map(|s| s.id.as_str())
            .collect();
        loop {
            let before = ends.len();
            for step in &dialog.steps {
                if edges(step).iter().any(|n| ends.contains(n.as_str())) {
                    ends.insert(step.id.as_str());
                }
            }
            if ends.len() == before {
                break;
            }
        }
        for step in &dialog.steps {
            if reached.contains(&step.id) && !ends.contains(step.id.as_str()) {
                self.push(
                    Some(&step.id),
                    "no end can be reached from this step (the dialog would never finish)".into(),
                );
            }
        }
    }

    fn check_texts(&mut self, dialog: &Dialog, catalog: &Catalog) {
        for (step, key) in text_keys_of(dialog) {
            for lang in catalog.languages() {
                if !catalog.has(&lang, &key) {
                    self.push(
                        step.as_deref(),
                        format!("text `{key}` is missing from locales/{lang}"),
                    );
                }
            }
        }
        for lang in catalog.languages() {
            for key in text_keys::ENGINE {
                if !catalog.has(&lang, key) {
                    self.push(
                        None,
                        format!("the dialog engine's text `{key}` is missing from locales/{lang}"),
                    );
                }
            }
        }
    }
}

/// Every Fluent id a dialog uses, with the step that uses it.
pub fn text_keys_of(dialog: &Dialog) -> Vec<(Option<String>, String)> {
    let mut keys = Vec::new();
    for step in &dialog.steps {
        let at = Some(step.id.clone());
        keys.push((at.clone(), step.text.clone()));
        keys.extend(step.summary.iter().map(|k| (at.clone(), k.clone())));
        for option in &step.options {
            keys.push((at.clone(), option.label.clone()));
            keys.extend(option.hint.iter().map(|k| (at.clone(), k.clone())));
        }
    }
    keys
}
