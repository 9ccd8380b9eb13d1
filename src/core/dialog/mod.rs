//! Declarative dialogs: the intake and the small dialogs around a case are data in
//! `dialogs/*.toml`, read at start-up, checked for soundness, and run by a pure engine.

mod answers;
mod engine;
mod facts;
mod load;
mod model;
mod summary;
mod validate;

pub use answers::{Answer, Answers};
pub use engine::{
    Advance, DialogEngine, Outcome, Position, Prompt, PromptOption, Reply, match_option,
};
pub use facts::Facts;
pub use load::{Dialogs, LoadProblem, load_dir};
pub use model::{
    Action, Condition, DEFAULT_ROLE, Dialog, DialogOption, OptionSource, ROLE_ANSWER, Step,
    StepKind,
};
pub use summary::lines as summary_lines;
pub use validate::{Problem, text_keys_of, validate};
