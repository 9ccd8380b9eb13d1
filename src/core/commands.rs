//! Reading a reporter's `/command`. Command names are the same in every language, as is
//! usual for Telegram bots; the help text explains them in the reporter's language.

use super::ids::Token;

/// The commands a reporter can use, as shown in `/help` and offered on typos.
pub const REPORTER_COMMANDS: &[&str] = &[
    "start", "help", "status", "token", "language", "stop", "done", "consent", "forget", "wipe",
    "resume", "mydata",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReporterCommand {
    Start,
    Help,
    Status,
    Token,
    Language,
    Stop,
    Done,
    /// Change what may be kept (dossier or tally only).
    Consent,
    /// Withdraw: erase the case (after a confirmation).
    Forget,
    /// Delete the bot's messages in this chat.
    Wipe,
    /// A copy of everything kept about the case (AVG art. 15).
    MyData,
    /// Link this chat to an existing case: `/resume TOKEN CODE`.
    Resume {
        token: Option<Token>,
        code: String,
    },
    /// Not a known command; `suggestion` is a close known one, if any.
    Unknown {
        name: String,
        suggestion: Option<&'static str>,
    },
}

/// The token of a `/resume TOKEN CODE` message, so the engine can load that case.
pub fn resume_token(text: &str) -> Option<Token> {
    match parse(text)? {
        ReporterCommand::Resume { token, .. } => token,
        _ => None,
    }
}

/// Whether `text` is `/mydata`, the one reporter command that reads the sealed
/// transcript back (so the engine loads it only then).
pub fn asks_for_own_data(text: &str) -> bool {
    parse(text) == Some(ReporterCommand::MyData)
}

/// `None` when the text is not a command at all.
pub fn parse(text: &str) -> Option<ReporterCommand> {
    let rest = text.trim_start().strip_prefix('/')?;
    let word = rest.split_whitespace().next().unwrap_or("");
    // In groups Telegram appends the bot's name: /start@confidant_bot.
    let name = word.split('@').next().unwrap_or("").to_lowercase();
    Some(match name.as_str() {
        "start" => ReporterCommand::Start,
        "help" => ReporterCommand::Help,
        "status" => ReporterCommand::Status,
        "token" => ReporterCommand::Token,
        "language" => ReporterCommand::Language,
        "stop" => ReporterCommand::Stop,
        "done" => ReporterCommand::Done,
        "consent" => ReporterCommand::Consent,
        "forget" => ReporterCommand::Forget,
        "wipe" => ReporterCommand::Wipe,
        "mydata" => ReporterCommand::MyData,
        "resume" => {
            let mut args = rest.split_whitespace().skip(1);
            ReporterCommand::Resume {
                token: args.next().and_then(Token::parse),
                code: args.collect::<Vec<_>>().join(""),
            }
        }
        _ => ReporterCommand::Unknown {
            suggestion: suggest(&name),
            name,
        },
    })
}

fn suggest(name: &str) -> Option<&'static str> {
    REPORTER_COMMANDS
        .iter()
        .map(|known| (strsim::damerau_levenshtein(name, known), *known))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_commands_are_read_with_bot_suffix_and_arguments() {
        assert_eq!(parse("/start"), Some(ReporterCommand::Start));
        assert_eq!(parse("/START@confidant_bot"), Some(ReporterCommand::Start));
        assert_eq!(parse("  /status please"), Some(ReporterCommand::Status));
        assert_eq!(parse("hello /start"), None);
    }

    #[test]
    fn typos_get_a_suggestion_and_nonsense_does_not() {
        assert_eq!(
            parse("/strat"),
            Some(ReporterCommand::Unknown {
                name: "strat".into(),
                suggestion: Some("start")
            })
        );
        assert_eq!(
            parse("/stauts"),
            Some(ReporterCommand::Unknown {
                name: "stauts".into(),
                suggestion: Some("status")
            })
        );
        assert_eq!(
            parse("/xyzzyq"),
            Some(ReporterCommand::Unknown {
                name: "xyzzyq".into(),
                suggestion: None
            })
        );
        assert_eq!(
            parse("/"),
            Some(ReporterCommand::Unknown {
                name: String::new(),
                suggestion: None
            })
        );
    }
}
