//! The shape of a dialog file. Field docs here are the reference for authors of
//! `dialogs/*.toml` (the README points to this file).

use std::collections::BTreeMap;

use serde::Deserialize;

/// One dialog: a set of steps, starting at `start`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dialog {
    /// Name used to refer to the dialog (`intake`, `closing`, ...); must equal the file stem.
    pub id: String,
    /// The first step.
    pub start: String,
    /// Phone numbers and similar facts an organisation may change; every text of this
    /// dialog can use them as `{ $name }`. Kept here, not in code, on purpose.
    #[serde(default)]
    pub numbers: BTreeMap<String, String>,
    #[serde(rename = "step", default)]
    pub steps: Vec<Step>,
}

/// What a step does with the reporter's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// Shows its text and moves on to `next` without waiting.
    Info,
    /// One option from `options` (buttons on Telegram, numbers on Matrix).
    Choice,
    /// Any number of options, ended with the built-in "done" button.
    Multi,
    /// One free-text message.
    Text,
    /// Several free-text messages, ended with `/done` or the "done" button.
    Story,
    /// Shows every answer so far; its options confirm (`submit`) or correct (`edit`).
    Summary,
    /// Ends the dialog after showing its text.
    End,
}

/// A step of a dialog.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub kind: StepKind,
    /// Fluent message id of the question or statement.
    pub text: String,
    /// Where to go after this step (options may override it).
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default, rename = "option")]
    pub options: Vec<DialogOption>,
    /// Adds a "skip" button; a skipped question is recorded as skipped, nothing else.
    #[serde(default)]
    pub skippable: bool,
    /// Fluent message id of this answer's label in the summary; steps without it are not
    /// summarised (and cannot be corrected from the summary).
    #[serde(default)]
    pub summary: Option<String>,
    /// Name under which the answer is kept (defaults to the step id). The case logic reads
    /// well-known names such as `category`, `consent` or `counsellor-gender`.
    #[serde(default)]
    pub store: Option<String>,
    /// Ask this question only when the organisation's set-up makes it meaningful;
    /// otherwise the dialog passes straight on to `next` and records nothing.
    #[serde(default)]
    pub when: Option<Condition>,
    /// Take the options from the configuration instead of from `option` entries; a step
    /// whose list turns out empty is passed over like one whose `when` does not hold.
    #[serde(default)]
    pub options_from: Option<OptionSource>,
    /// The step belongs to the path of those who chose this option at the welcome (the
    /// `role` answer; a case from before it was asked counts as `continue`): only they
    /// see it in the summary and the list of answers to correct. Steps of different paths
    /// may keep their answers under the same name (`category`, `story`).
    #[serde(default)]
    pub for_role: Option<String>,
}

/// The answer under which the intake keeps who is writing, and its value for someone it
/// happened to (also for cases from before it was asked).
pub const ROLE_ANSWER: &str = "role";
pub const DEFAULT_ROLE: &str = "continue";

/// A fact about the organisation's set-up that a step can depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// The roster has both internal and external counsellors, so the choice is real.
    BothKinds,
    /// The organisation lists its units or regions (`[organisation] units`).
    Units,
    /// The organisation has a separate counsellor for the accused
    /// (`[organisation] accused_counsellor`).
    AccusedCounsellor,
}

/// A list in the configuration that can serve as a step's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OptionSource {
    /// The organisation's units or regions, by the names the configuration gives them.
    Units,
}

impl Step {
    /// Whether this step is on the path the answers so far have taken (see `for_role`).
    pub fn on_path(&self, answers: &super::Answers) -> bool {
        let role = match answers.get(ROLE_ANSWER) {
            Some(super::answers::Answer::Choice(role)) => role.as_str(),
            _ => DEFAULT_ROLE,
        };
        self.for_role.as_deref().is_none_or(|wanted| wanted == role)
    }

    pub fn answer_name(&self) -> &str {
        self.store.as_deref().unwrap_or(&self.id)
    }

    pub fn option(&self, id: &str) -> Option<&DialogOption> {
        self.options.iter().find(|o| o.id == id)
    }

    /// Steps that wait for the reporter (all but info and end).
    pub fn waits(&self) -> bool {
        !matches!(self.kind, StepKind::Info | StepKind::End)
    }
}

/// One answer a reporter can pick.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialogOption {
    /// Stable id, stored as the answer and used in button data; never shown.
    pub id: String,
    /// Fluent message id of the button label.
    pub label: String,
    /// Fluent message id of a one-line explanation shown with the question.
    #[serde(default)]
    pub hint: Option<String>,
    /// Where this option leads (overrides the step's `next`).
    #[serde(default)]
    pub next: Option<String>,
    /// Something the case logic does when this option is chosen.
    #[serde(default)]
    pub action: Option<Action>,
    /// The label is shown as it is, not looked up in the locales: set for options taken
    /// from the configuration (unit names), never from a dialog file.
    #[serde(skip)]
    pub literal_label: bool,
}

/// What an option asks of the case logic beyond moving to the next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Confirm the intake: the case gets its token and goes to a counsellor.
    Submit,
    /// Show the list of answers that can be corrected.
    Edit,
    /// Show the language picker, then come back to this step.
    Language,
    /// Abandon the intake; nothing is kept.
    Abandon,
    /// The person is referred elsewhere (someone accused, whom a counsellor does not
    /// support): counted anonymously, nothing else kept.
    Refer,
    /// Ask to reopen a closed case (aftercare).
    Reopen,
    /// Agree to an aftercare check-in.
    AftercareYes,
    /// Decline further contact.
    AftercareNo,
    /// Erase the case now (`/forget`, confirmed).
    Forget,
    /// Tell the case room what was chosen (a consent change, a disclosure answer).
    Notify,
    /// The employee confirmed the very words HR gets (`!inform-hr`): post them there.
    InformHr,
}
