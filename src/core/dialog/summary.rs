//! The list of answers shown to the reporter for confirmation and posted to the counsellor.

use super::Answers;
use super::answers::Answer;
use super::model::Dialog;
use crate::core::text_keys as keys;
use crate::i18n::{Args, Catalog, Lang};

/// The reporter's own summary shortens the story; the counsellor gets it in full.
pub const REPORTER_STORY_LIMIT: usize = 600;

/// One line per summarised, answered step, in dialog order.
pub fn lines(
    dialog: &Dialog,
    answers: &Answers,
    catalog: &Catalog,
    lang: &Lang,
    story_limit: Option<usize>,
) -> String {
    let plain = Args::new();
    let mut out = Vec::new();
    for step in dialog.steps.iter().filter(|s| s.on_path(answers)) {
        let (Some(label_key), Some(answer)) = (&step.summary, answers.get(step.answer_name()))
        else {
            continue;
        };
        let option_label = |id: &str| match step.option(id) {
            Some(option) => catalog.render(lang, &option.label, &plain),
            None => id.to_owned(),
        };
        let value = match answer {
            Answer::Skipped => catalog.render(lang, keys::DIALOG_SKIPPED, &plain),
            Answer::Choice(id) => option_label(id),
            Answer::Choices(ids) if ids.is_empty() => {
                catalog.render(lang, keys::DIALOG_SKIPPED, &plain)
            }
            Answer::Choices(ids) => ids
                .iter()
                .map(|id| option_label(id))
                .collect::<Vec<_>>()
                .join(", "),
            Answer::Text(text) => shorten(text, story_limit),
            Answer::Story(parts) if parts.is_empty() => {
                catalog.render(lang, keys::DIALOG_SKIPPED, &plain)
            }
            Answer::Story(parts) => shorten(&parts.join("\n"), story_limit),
        };
        let args = Args::new()
            .text("label", catalog.render(lang, label_key, &plain))
            .text("value", value);
        out.push(catalog.render(lang, keys::DIALOG_SUMMARY_LINE, &args));
    }
    out.join("\n")
}

fn shorten(text: &str, limit: Option<usize>) -> String {
    match limit {
        Some(limit) if text.chars().count() > limit => {
            let mut short: String = text.chars().take(limit).collect();
            short.push('…');
            short
        }
        _ => text.to_owned(),
    }
}
