//! Turning a dialog prompt into a message for a reporter's channel: inline buttons on
//! Telegram, a numbered list on Matrix (answered with the number or the option's word).

use super::address::{ChannelKind, ReporterAddress};
use super::dialog::Prompt;
use super::io::{Button, ReporterMessage};
use super::text_keys as keys;
use crate::i18n::{Args, Catalog, Lang};

/// Button data that switches language, e.g. `~lang:en`.
pub const LANG_PREFIX: &str = "~lang:";

pub fn prompt_message(
    to: &ReporterAddress,
    prompt: &Prompt,
    catalog: &Catalog,
    lang: &Lang,
) -> ReporterMessage {
    let buttons = prompt
        .options
        .iter()
        .map(|o| {
            vec![Button {
                label: o.label.clone(),
                data: o.data.clone(),
            }]
        })
        .collect();
    message(to, prompt.text.clone(), buttons, catalog, lang)
}

/// A message with button rows, rendered for the reporter's channel.
pub fn message(
    to: &ReporterAddress,
    text: String,
    buttons: Vec<Vec<Button>>,
    catalog: &Catalog,
    lang: &Lang,
) -> ReporterMessage {
    match to.channel() {
        ChannelKind::Telegram => ReporterMessage {
            to: to.clone(),
            text,
            buttons,
            source: None,
            html: None,
            reply_to: None,
        },
        ChannelKind::Matrix => {
            let flat: Vec<&Button> = buttons.iter().flatten().collect();
            if flat.is_empty() {
                return ReporterMessage {
                    to: to.clone(),
                    text,
                    buttons: Vec::new(),
                    source: None,
                    html: None,
                    reply_to: None,
                };
            }
            let mut lines = vec![text, String::new()];
            for (i, button) in flat.iter().enumerate() {
                let args = Args::new()
                    .number("number", i as i64 + 1)
                    .text("label", button.label.clone());
                lines.push(catalog.render(lang, keys::DIALOG_NUMBERED_OPTION, &args));
            }
            lines.push(String::new());
            lines.push(catalog.render(lang, keys::DIALOG_REPLY_WITH_NUMBER, &Args::new()));
            ReporterMessage {
                to: to.clone(),
                text: lines.join("\n"),
                buttons: Vec::new(),
                source: None,
                html: None,
                reply_to: None,
            }
        }
    }
}

/// One row with every language, each named in its own language.
pub fn language_buttons(catalog: &Catalog) -> Vec<Vec<Button>> {
    vec![
        catalog
            .languages()
            .into_iter()
            .map(|lang| Button {
                label: catalog.render(&lang, keys::LANGUAGE_NAME, &Args::new()),
                data: format!("{LANG_PREFIX}{lang}"),
            })
            .collect(),
    ]
}

/// Escapes text for a message sent with HTML formatting (Telegram's parse mode).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
