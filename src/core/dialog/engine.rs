//! The pure dialog engine: given a position, a reply and the answers so far, it says what
//! to show next and where the dialog now stands. It never touches the case; options with
//! an [`Action`] are handed back to the case logic.

use serde::{Deserialize, Serialize};

use super::answers::{Answer, Answers};
use super::facts::Facts;
use super::model::{Action, Dialog, DialogOption, Step, StepKind};
use super::summary;
use crate::core::text_keys as keys;
use crate::i18n::{Args, Catalog, Lang};

/// Where a dialog stands. Stored in the case, so it survives restarts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub dialog: String,
    pub step: String,
    /// Options ticked so far at a multi step.
    #[serde(default)]
    pub selection: Vec<String>,
    /// Set while correcting an answer from the summary: return there afterwards.
    #[serde(default)]
    pub back_to: Option<String>,
    /// The "which answer do you want to change?" list is showing.
    #[serde(default)]
    pub picking_edit: bool,
}

/// What the reporter sent, as far as the dialog is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply<'a> {
    Text(&'a str),
    Button(&'a str),
    /// The `/done` command.
    Done,
}

/// A question or statement to show, with its answer buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub text: String,
    pub options: Vec<PromptOption>,
}

/// One answer button: `data` comes back when pressed (Telegram callback data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptOption {
    pub data: String,
    pub label: String,
}

/// The result of entering steps: what to show and where the dialog waits (None: ended).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advance {
    pub prompts: Vec<Prompt>,
    pub position: Option<Position>,
}

/// What a reply did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The answer was taken; show these prompts; the dialog is now here.
    Advanced(Advance),
    /// An option with an action was chosen. The caller acts, then continues at `next`
    /// (if any) with [`DialogEngine::enter`].
    Action {
        action: Action,
        next: Option<String>,
        position: Position,
    },
    /// A multi step's selection changed; show the question again with the new ticks.
    Updated { prompt: Prompt, position: Position },
    /// A part of the story was kept; the dialog stays where it is.
    StoryKept,
    /// The reply does not fit this step; show the question again.
    NotUnderstood(Prompt),
    /// A button of an earlier question was pressed.
    Stale,
}

const SKIP: &str = "~skip";
const DONE: &str = "~done";
const EDIT_PREFIX: &str = "~edit:";
const EDIT_BACK: &str = "~edit:~back";
/// Info steps chain without waiting; a validated dialog never chains this far.
const MAX_CHAIN: usize = 64;

/// Runs one dialog, rendering with one language's texts.
pub struct DialogEngine<'a> {
    pub dialog: &'a Dialog,
    pub catalog: &'a Catalog,
    pub lang: &'a Lang,
    /// Arguments every text may use (reference numbers, names, the token...).
    pub args: &'a Args,
    /// The organisation's set-up: which conditional steps are asked, configured options.
    pub facts: Facts<'a>,
}

impl<'a> DialogEngine<'a> {
    pub fn start(&self, answers: &Answers) -> Advance {
        self.enter(&self.dialog.start, None, answers)
    }

    /// Shows `step` (and any info steps after it) and stops at the first step that waits.
    /// With `back_to`, a correction returns to the summary instead of going on.
    pub fn enter(&self, step: &str, back_to: Option<String>, answers: &Answers) -> Advance {
        let mut prompts = Vec::new();
        let mut current = step.to_owned();
        for _ in 0..MAX_CHAIN {
            let Some(step) = self.step(&current) else {
                break;
            };
            if !self.facts.asks(step) {
                match &step.next {
                    Some(next) => {
                        current = next.clone();
                        continue;
                    }
                    None => break,
                }
            }
            let at = Position {
                dialog: self.dialog.id.clone(),
                step: step.id.clone(),
                selection: Vec::new(),
                back_to: back_to.clone(),
                picking_edit: false,
            };
            prompts.push(self.prompt(&at, answers));
            match step.kind {
                StepKind::End => break,
                StepKind::Info => match &step.next {
                    Some(next) => current = next.clone(),
                    None => break,
                },
                _ => {
                    return Advance {
                        prompts,
                        position: Some(at),
                    };
                }
            }
        }
        Advance {
            prompts,
            position: None,
        }
    }

    /// The question at `at`, rendered afresh (after a language switch, a stray message...).
    pub fn prompt(&self, at: &Position, answers: &Answers) -> Prompt {
        let Some(step) = self.step(&at.step) else {
            return Prompt {
                text: self.text(keys::DIALOG_NOT_UNDERSTOOD, &Args::new()),
                options: Vec::new(),
            };
        };
        if at.picking_edit {
            return self.edit_picker(answers);
        }
        let mut args = Args::new();
        if step.kind == StepKind::Summary {
            let lines = summary::lines(
                self.dialog,
                answers,
                self.catalog,
                self.lang,
                Some(summary::REPORTER_STORY_LIMIT),
            );
            args = args.text("answers", lines);
        }
        let mut text = self.text(&step.text, &args);
        let step_options = self.facts.options_of(step);
        let hints: Vec<String> = step_options
            .iter()
            .filter_map(|o| {
                let hint = o.hint.as_ref()?;
                let line_args = Args::new()
                    .text("label", self.label(o))
                    .text("hint", self.text(hint, &Args::new()));
                Some(self.text(keys::DIALOG_OPTION_HINT, &line_args))
            })
            .collect();
        if !hints.is_empty() {
            text.push_str("\n\n");
            text.push_str(&hints.join("\n"));
        }
        let mut options = Vec::new();
        if step.kind != StepKind::Info && step.kind != StepKind::End {
            for option in step_options.iter() {
                let mut label = self.label(option);
                if step.kind == StepKind::Multi && at.selection.contains(&option.id) {
                    label = self.text(keys::DIALOG_TICKED, &Args::new().text("label", label));
                }
                options.push(PromptOption {
                    data: format!("{}:{}", step.id, option.id),
                    label,
                });
            }
        }
        if matches!(step.kind, StepKind::Multi | StepKind::Story) {
            options.push(PromptOption {
                data: format!("{}:{DONE}", step.id),
                label: self.text(keys::DIALOG_DONE, &Args::new()),
            });
        }
        if step.skippable {
            options.push(PromptOption {
                data: format!("{}:{SKIP}", step.id),
                label: self.text(keys::DIALOG_SKIP, &Args::new()),
            });
        }
        Prompt { text, options }
    }

    /// Applies a reply at `at`.
    pub fn reply(&self, at: &Position, reply: Reply<'_>, answers: &mut Answers) -> Outcome {
        let Some(step) = self.step(&at.step) else {
            return Outcome::Stale;
        };
        if at.picking_edit {
            return self.reply_edit_picker(at, reply, answers);
        }
        let prompt = self.prompt(at, answers);
        // A typed number or option word counts as pressing that button, so Matrix users
        // (numbered lists) and Telegram users who type instead of tap are both understood.
        let data = match reply {
            Reply::Button(data) => Some(data.to_owned()),
            Reply::Text(text) => match_option(&prompt, text),
            Reply::Done => matches!(step.kind, StepKind::Multi | StepKind::Story)
                .then(|| format!("{}:{DONE}", step.id)),
        };
        match (step.kind, data, reply) {
            (_, Some(data), _) => self.press(step, at, &data, answers, prompt),
            (StepKind::Text, None, Reply::Text(text)) => {
                answers.set(step.answer_name(), Answer::Text(text.to_owned()));
                Outcome::Advanced(self.after(step, step.next.as_deref(), at, answers))
            }
            (StepKind::Story, None, Reply::Text(text)) => {
                let mut parts = match answers.get(step.answer_name()) {
                    Some(Answer::Story(parts)) => parts.clone(),
                    _ => Vec::new(),
                };
                parts.push(text.to_owned());
                answers.set(step.answer_name(), Answer::Story(parts));
                Outcome::StoryKept
            }
            _ => Outcome::NotUnderstood(prompt),
        }
    }

    fn press(
        &self,
        step: &Step,
        at: &Position,
        data: &str,
        answers: &mut Answers,
        prompt: Prompt,
    ) -> Outcome {
        let Some((step_id, choice)) = data.split_once(':') else {
            return Outcome::Stale;
        };
        if step_id != step.id {
            return Outcome::Stale;
        }
        let name = step.answer_name();
        match choice {
            SKIP if step.skippable => {
                answers.set(name, Answer::Skipped);
                Outcome::Advanced(self.after(step, step.next.as_deref(), at, answers))
            }
            DONE if step.kind == StepKind::Multi => {
                answers.set(name, Answer::Choices(at.selection.clone()));
                Outcome::Advanced(self.after(step, step.next.as_deref(), at, answers))
            }
            DONE if step.kind == StepKind::Story => {
                if answers.get(name).is_none() {
                    answers.set(name, Answer::Story(Vec::new()));
                }
                Outcome::Advanced(self.after(step, step.next.as_deref(), at, answers))
            }
            option_id => {
                let step_options = self.facts.options_of(step);
                let Some(option) = step_options.iter().find(|o| o.id == option_id) else {
                    return Outcome::Stale;
                };
                if step.kind == StepKind::Multi {
                    let mut position = at.clone();
                    match position.selection.iter().position(|s| s == option_id) {
                        Some(i) => {
                            position.selection.remove(i);
                        }
                        None => position.selection.push(option_id.to_owned()),
                    }
                    let prompt = self.prompt(&position, answers);
                    return Outcome::Updated { prompt, position };
                }
                if !matches!(step.kind, StepKind::Choice | StepKind::Summary) {
                    return Outcome::NotUnderstood(prompt);
                }
                let next = option.next.as_deref().or(step.next.as_deref());
                match option.action {
                    Some(Action::Edit) => {
                        let position = Position {
                            picking_edit: true,
                            ..at.clone()
                        };
                        Outcome::Advanced(Advance {
                            prompts: vec![self.edit_picker(answers)],
                            position: Some(position),
                        })
                    }
                    Some(action) => {
                        if !matches!(
                            action,
                            Action::Language | Action::Abandon | Action::Submit | Action::Refer
                        ) {
                            answers.set(name, Answer::Choice(option.id.clone()));
                        }
                        Outcome::Action {
                            action,
                            next: next.map(str::to_owned),
                            position: at.clone(),
                        }
                    }
                    None => {
                        if step.kind == StepKind::Choice {
                            answers.set(name, Answer::Choice(option.id.clone()));
                        }
                        Outcome::Advanced(self.after(step, next, at, answers))
                    }
                }
            }
        }
    }

    /// Where to go once `step` is answered: on to `next`, or back to the summary when this
    /// was a correction (showing any info steps of the chosen branch on the way).
    fn after(&self, step: &Step, next: Option<&str>, at: &Position, answers: &Answers) -> Advance {
        let Some(back_to) = at.back_to.clone() else {
            return match next {
                Some(next) => self.enter(next, None, answers),
                None => Advance {
                    prompts: Vec::new(),
                    position: None,
                },
            };
        };
        let mut prompts = Vec::new();
        let mut current = next.map(str::to_owned);
        for _ in 0..MAX_CHAIN {
            let Some(id) = current.take() else { break };
            let Some(s) = self.step(&id) else { break };
            if s.kind != StepKind::Info || s.id == step.id {
                break;
            }
            if !self.facts.asks(s) {
                current = s.next.clone();
                continue;
            }
            let at = Position {
                dialog: self.dialog.id.clone(),
                step: s.id.clone(),
                selection: Vec::new(),
                back_to: None,
                picking_edit: false,
            };
            prompts.push(self.prompt(&at, answers));
            current = s.next.clone();
        }
        let mut rest = self.enter(&back_to, None, answers);
        prompts.append(&mut rest.prompts);
        Advance {
            prompts,
            position: rest.position,
        }
    }

    fn edit_picker(&self, answers: &Answers) -> Prompt {
        let mut options: Vec<PromptOption> = self
            .dialog
            .steps
            .iter()
            .filter(|s| s.on_path(answers) && answers.get(s.answer_name()).is_some())
            .filter_map(|s| {
                let label = s.summary.as_ref()?;
                Some(PromptOption {
                    data: format!("{EDIT_PREFIX}{}", s.id),
                    label: self.text(label, &Args::new()),
                })
            })
            .collect();
        options.push(PromptOption {
            data: EDIT_BACK.to_owned(),
            label: self.text(keys::DIALOG_EDIT_BACK, &Args::new()),
        });
        Prompt {
            text: self.text(keys::DIALOG_EDIT_WHICH, &Args::new()),
            options,
        }
    }

    fn reply_edit_picker(&self, at: &Position, reply: Reply<'_>, answers: &mut Answers) -> Outcome {
        let picker = self.edit_picker(answers);
        let data = match reply {
            Reply::Button(data) => Some(data.to_owned()),
            Reply::Text(text) => match_option(&picker, text),
            Reply::Done => None,
        };
        let Some(data) = data else {
            return Outcome::NotUnderstood(picker);
        };
        if !picker.options.iter().any(|o| o.data == data) {
            return Outcome::Stale;
        }
        if data == EDIT_BACK {
            return Outcome::Advanced(self.enter(&at.step, None, answers));
        }
        let target = &data[EDIT_PREFIX.len()..];
        Outcome::Advanced(self.enter(target, Some(at.step.clone()), answers))
    }

    fn step(&self, id: &str) -> Option<&'a Step> {
        self.dialog.steps.iter().find(|s| s.id == id)
    }

    fn label(&self, option: &DialogOption) -> String {
        if option.literal_label {
            return option.label.clone();
        }
        self.text(&option.label, &Args::new())
    }

    fn text(&self, key: &str, extra: &Args) -> String {
        let mut args = self.args.clone();
        for (name, number) in &self.dialog.numbers {
            args = args.text(name, number.clone());
        }
        self.catalog.render(self.lang, key, &args.extend(extra))
    }
}

/// Reads a typed reply as a choice: the option's number, or its label (any case).
pub fn match_option(prompt: &Prompt, text: &str) -> Option<String> {
    let wanted = text
        .trim()
        .trim_end_matches(['.', ')'])
        .trim()
        .to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    if let Ok(n) = wanted.parse::<usize>() {
        return prompt
            .options
            .get(n.checked_sub(1)?)
            .map(|o| o.data.clone());
    }
    prompt
        .options
        .iter()
        .find(|o| o.label.trim().to_lowercase() == wanted)
        .map(|o| o.data.clone())
}
