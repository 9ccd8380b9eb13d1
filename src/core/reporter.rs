//! Everything a reporter's chat can send: commands, dialog answers, language choice and,
//! once the case is open, messages relayed to the counsellor.

use super::address::ReporterAddress;
use super::case::{Case, Status, TimerKind};
use super::commands::{self, REPORTER_COMMANDS, ReporterCommand};
use super::dialog::{Action, Outcome, Reply};
use super::ids::{CaseId, Token};
use super::io::{Author, Effects, Output, ReporterEvent, RoomPostKind, RoomSetup};
use super::present::{self, LANG_PREFIX};
use super::shared::Shared;
use super::text_keys as keys;
use super::turn::Turn;
use super::{Core, Ctx, INTAKE, assign, clocks, lifecycle, room_commands};
use crate::i18n::{Args, Lang};

pub fn handle(
    core: &Core,
    ctx: &mut Ctx<'_>,
    case: Option<Case>,
    shared: &mut Shared,
    from: ReporterAddress,
    event: ReporterEvent,
) -> Effects {
    // Formatted text is text everywhere; only its relay into the room keeps the format.
    let (event, html) = match event {
        ReporterEvent::FormattedText { text, html } => (ReporterEvent::Text(text), Some(html)),
        other => (other, None),
    };
    let command = match &event {
        ReporterEvent::Text(text) => commands::parse(text),
        _ => None,
    };
    if let Some(ReporterCommand::Resume { token, code }) = &command {
        return super::resume::handle(core, ctx, case, shared, from, token.clone(), code);
    }
    // A closed case still answers its closing and aftercare questions, and can still be
    // withdrawn or wiped while it is kept; anything else starts a new conversation.
    let case = case.filter(|c| {
        c.status != Status::Closed
            || c.dialog.is_some()
            || matches!(
                command,
                Some(
                    ReporterCommand::Forget
                        | ReporterCommand::Wipe
                        | ReporterCommand::Consent
                        | ReporterCommand::Status
                        | ReporterCommand::Token
                        | ReporterCommand::MyData
                )
            )
    });
    let Some(case) = case else {
        return without_case(core, ctx, from, event, command);
    };
    let mut turn = Turn::new(core, ctx.now, case, from);
    // Read back by the engine for `/mydata` only.
    turn.history = std::mem::take(&mut ctx.transcript);
    if turn.case.status == Status::Intake {
        // Made now, where randomness is at hand; kept only if this input submits.
        turn.fresh_resume_code = Some(super::resume::ResumeCode::new(ctx.rng));
    }
    if let ReporterEvent::Text(text) = &event
        && text.chars().count() > core.settings.max_message_chars
    {
        let args = Args::new()
            .number("length", text.chars().count() as i64)
            .number("limit", core.settings.max_message_chars as i64);
        turn.say(keys::REPORTER_TOO_LONG, &args);
        return turn.finish();
    }
    match (command, event) {
        (Some(command), _) => run_command(&mut turn, shared, command),
        (None, ReporterEvent::Button { data, message }) => press(&mut turn, shared, &data, message),
        (None, ReporterEvent::Text(text)) => {
            text_message(&mut turn, shared, &text, html.as_deref())
        }
        (None, ReporterEvent::File(file)) => super::attachments::from_reporter(&mut turn, file),
        (None, ReporterEvent::Edited(text)) => edited(&mut turn, &text),
        // Made plain text above; never here.
        (None, ReporterEvent::FormattedText { text, .. }) => {
            text_message(&mut turn, shared, &text, None)
        }
        (None, ReporterEvent::Undecryptable) => {
            turn.say(keys::REPORTER_UNDECRYPTABLE, &Args::new());
        }
        // A chat that has a case was encrypted when the case began (encryption cannot
        // be turned off in Matrix); said anyway, and nothing is taken.
        (None, ReporterEvent::Unencrypted) => {
            turn.say(keys::REPORTER_NOT_ENCRYPTED, &Args::new());
        }
        (None, ReporterEvent::Unsupported) => {
            turn.say(keys::REPORTER_UNSUPPORTED, &Args::new());
            if turn.case.status == Status::Open {
                let notice = turn.room_text(keys::ROOM_REPORTER_SENT_UNSUPPORTED, &Args::new());
                turn.room(notice, RoomPostKind::Notice, Vec::new());
            }
        }
    }
    if turn.case.status == Status::Intake {
        turn.case.timers.insert(
            TimerKind::IntakeExpiry,
            ctx.now + core.settings.intake_expiry,
        );
    }
    turn.finish()
}

/// A chat with no case (or only a closed one): answer simple commands, start an intake
/// for anything else, so an employee who just says "hello" is welcomed, not scolded.
fn without_case(
    core: &Core,
    ctx: &mut Ctx<'_>,
    from: ReporterAddress,
    event: ReporterEvent,
    command: Option<ReporterCommand>,
) -> Effects {
    let lang = match &event {
        ReporterEvent::Button { data, .. } => {
            language_of(core, data).unwrap_or_else(|| core.settings.default_lang.clone())
        }
        _ => core.settings.default_lang.clone(),
    };
    let reply_key = match &command {
        Some(ReporterCommand::Help) => Some(keys::REPORTER_HELP),
        Some(ReporterCommand::Status | ReporterCommand::Token) => Some(keys::REPORTER_STATUS_NONE),
        Some(ReporterCommand::Stop) => Some(keys::REPORTER_NOTHING_TO_STOP),
        Some(ReporterCommand::Done) => Some(keys::REPORTER_DONE_NOTHING),
        Some(ReporterCommand::Forget | ReporterCommand::Consent | ReporterCommand::MyData) => {
            Some(keys::REPORTER_NOTHING_KEPT)
        }
        Some(ReporterCommand::Wipe) => Some(keys::REPORTER_WIPE_NOTHING),
        // A file before any report is not kept; the employee is told, not welcomed past it.
        None if matches!(event, ReporterEvent::File(_)) => Some(keys::REPORTER_FILE_BEFORE_SUBMIT),
        // An edit with nothing to edit (no case) is taken as nothing.
        None if matches!(event, ReporterEvent::Edited(_)) => Some(keys::REPORTER_EDIT_NOT_TAKEN),
        // No intake starts from a message the bot could not read, or in plain text.
        None if matches!(event, ReporterEvent::Undecryptable) => Some(keys::REPORTER_UNDECRYPTABLE),
        None if matches!(event, ReporterEvent::Unencrypted) => Some(keys::REPORTER_NOT_ENCRYPTED),
        _ => None,
    };
    if let Some(key) = reply_key {
        let text = core.catalog.render(&lang, key, &commands_arg());
        return Effects::with_output(Output::Reporter(present::message(
            &from,
            text,
            Vec::new(),
            &core.catalog,
            &lang,
        )));
    }
    if let Some(ReporterCommand::Unknown { name, suggestion }) = command {
        let text = unknown_command_text(core, &lang, &name, suggestion);
        return Effects::with_output(Output::Reporter(present::message(
            &from,
            text,
            Vec::new(),
            &core.catalog,
            &lang,
        )));
    }
    let mut case = Case::new(
        CaseId::random(ctx.rng),
        Token::random(ctx.rng),
        from.clone(),
        lang,
        ctx.now,
    );
    case.organisation = core.settings.organisation_id.clone();
    let mut turn = Turn::new(core, ctx.now, case, from);
    let args = turn.args();
    let answers = turn.case.answers.clone();
    if let Some(advance) = turn.with_engine(INTAKE, &args, |engine| engine.start(&answers)) {
        for prompt in &advance.prompts {
            turn.say_prompt(prompt);
        }
        turn.case.dialog = advance.position;
    }
    turn.case.timers.insert(
        TimerKind::IntakeExpiry,
        ctx.now + core.settings.intake_expiry,
    );
    turn.finish()
}

fn run_command(turn: &mut Turn<'_>, shared: &mut Shared, command: ReporterCommand) {
    let status = turn.case.status;
    match command {
        ReporterCommand::Start if status == Status::Intake => {
            turn.say(keys::REPORTER_CONTINUE_INTAKE, &Args::new());
            reprompt(turn);
        }
        ReporterCommand::Start => turn.say(keys::REPORTER_ALREADY_OPEN, &Args::new()),
        ReporterCommand::Help => turn.say(keys::REPORTER_HELP, &commands_arg()),
        ReporterCommand::Status => {
            let key = match (status, turn.case.first_contact_at) {
                (Status::Intake, _) => keys::REPORTER_STATUS_INTAKE,
                (_, None) => keys::REPORTER_STATUS_WAITING,
                (_, Some(_)) => keys::REPORTER_STATUS_CONTACTED,
            };
            turn.say(key, &Args::new());
        }
        ReporterCommand::Token if status == Status::Intake => {
            turn.say(keys::REPORTER_TOKEN_NONE, &Args::new())
        }
        ReporterCommand::Token => turn.say(keys::REPORTER_TOKEN, &Args::new()),
        ReporterCommand::Language => show_languages(turn),
        ReporterCommand::Stop if status == Status::Intake => {
            turn.say(keys::REPORTER_STOPPED, &Args::new());
            turn.erase();
        }
        ReporterCommand::Stop => turn.say(keys::REPORTER_STOP_SUBMITTED, &Args::new()),
        ReporterCommand::Done if turn.case.dialog.is_some() => {
            answer(turn, shared, Reply::Done, None)
        }
        ReporterCommand::Done => turn.say(keys::REPORTER_DONE_NOTHING, &Args::new()),
        ReporterCommand::Forget => {
            lifecycle::start_dialog(turn, lifecycle::FORGET);
        }
        ReporterCommand::Wipe => lifecycle::wipe(turn),
        ReporterCommand::MyData => super::access::send_copy(turn),
        // Handled before any case is chosen (see `handle`).
        ReporterCommand::Resume { .. } => {}
        ReporterCommand::Consent if status == Status::Intake => {
            turn.say(keys::REPORTER_CONSENT_IN_INTAKE, &Args::new())
        }
        ReporterCommand::Consent => {
            lifecycle::start_dialog(turn, lifecycle::CONSENT);
        }
        ReporterCommand::Unknown { name, suggestion } => {
            let text = unknown_command_text(turn.core, &turn.case.lang, &name, suggestion);
            turn.say_with_buttons(text, Vec::new());
        }
    }
}

fn press(turn: &mut Turn<'_>, shared: &mut Shared, data: &str, message: Option<i32>) {
    if let Some(lang) = language_of(turn.core, data) {
        set_language(turn, lang, message);
        return;
    }
    if turn.case.dialog.is_none() {
        turn.fx.toast = Some(turn.text(keys::DIALOG_BUTTON_EXPIRED, &Args::new()));
        return;
    }
    answer(turn, shared, Reply::Button(data), message);
}

fn text_message(turn: &mut Turn<'_>, shared: &mut Shared, text: &str, html: Option<&str>) {
    if turn.case.picking_language {
        let buttons = present::language_buttons(&turn.core.catalog);
        let prompt = super::dialog::Prompt {
            text: String::new(),
            options: buttons
                .iter()
                .flatten()
                .map(|b| super::dialog::PromptOption {
                    data: b.data.clone(),
                    label: b.label.clone(),
                })
                .collect(),
        };
        if let Some(data) = super::dialog::match_option(&prompt, text)
            && let Some(lang) = language_of(turn.core, &data)
        {
            set_language(turn, lang, None);
            return;
        }
        turn.case.picking_language = false;
    }
    match turn.case.status {
        Status::Intake => answer(turn, shared, Reply::Text(text), None),
        // A question put after submitting (consent, disclosure, aftercare) is answered
        // first; the reporter can always press a button to leave it.
        _ if turn.case.dialog.is_some() => answer(turn, shared, Reply::Text(text), None),
        _ => relay_to_room(turn, text, html),
    }
}

/// The employee edited an earlier message. Once the case is open, the counsellor gets
/// the new text marked as a correction (it reads naturally, and nothing is lost);
/// during the intake the answer already given stands, and the employee is told how to
/// change it.
fn edited(turn: &mut Turn<'_>, text: &str) {
    if turn.case.status == Status::Open && turn.case.dialog.is_none() {
        turn.record(Author::Reporter, text.to_owned());
        let post = turn.room_text(keys::ROOM_REPORTER_EDITED, &Args::new().text("text", text));
        turn.room(post, RoomPostKind::Relay, Vec::new());
    } else {
        turn.say(keys::REPORTER_EDIT_NOT_TAKEN, &Args::new());
    }
}

/// The reporter's words, once the case is open, go to the case room and the transcript.
fn relay_to_room(turn: &mut Turn<'_>, text: &str, html: Option<&str>) {
    turn.record(Author::Reporter, text.to_owned());
    let post = turn.room_text(keys::ROOM_REPORTER_SAYS, &Args::new().text("text", text));
    turn.room(post, RoomPostKind::Relay, Vec::new());
    if let Some(html) = html {
        let formatted = turn.room_text(keys::ROOM_REPORTER_SAYS, &Args::new().text("text", html));
        if let Some(Output::Room(post)) = turn.fx.outputs.last_mut() {
            post.html = Some(formatted);
        }
    }
}

/// Feeds a reply to the running dialog and acts on the outcome.
fn answer(turn: &mut Turn<'_>, shared: &mut Shared, reply: Reply<'_>, message: Option<i32>) {
    let Some(position) = turn.case.dialog.clone() else {
        return;
    };
    let args = turn.args();
    let mut answers = turn.case.answers.clone();
    let Some(outcome) = turn.with_engine(&position.dialog, &args, |engine| {
        engine.reply(&position, reply, &mut answers)
    }) else {
        turn.case.dialog = None;
        return;
    };
    turn.case.answers = answers;
    let answered = !matches!(
        outcome,
        Outcome::Stale | Outcome::NotUnderstood(_) | Outcome::Updated { .. } | Outcome::StoryKept
    );
    if answered && let Some(message) = message {
        turn.fx.outputs.push(Output::RemoveButtons {
            to: turn.to.clone(),
            message,
        });
    }
    match outcome {
        Outcome::Advanced(advance) => {
            let waiting = advance.position.is_some() && !advance.prompts.is_empty();
            let before_last = advance.prompts.len().saturating_sub(usize::from(waiting));
            for prompt in &advance.prompts[..before_last] {
                turn.say_prompt(prompt);
            }
            turn.case.dialog = advance.position;
            if waiting {
                // The question now waiting is rendered with what was just answered: a
                // confirmation may repeat it word for word (`hr_message`).
                reprompt(turn);
            }
        }
        Outcome::Updated { prompt, position } => {
            turn.case.dialog = Some(position);
            match message {
                Some(message) => {
                    let rendered = present::prompt_message(
                        &turn.to,
                        &prompt,
                        &turn.core.catalog,
                        &turn.case.lang,
                    );
                    turn.fx.outputs.push(Output::EditReporter {
                        to: turn.to.clone(),
                        message,
                        text: rendered.text,
                        buttons: rendered.buttons,
                    });
                }
                None => turn.say_prompt(&prompt),
            }
        }
        Outcome::StoryKept => {
            let done = turn.with_engine(&position.dialog, &args, |engine| {
                engine.prompt(&position, &turn.case.answers)
            });
            let buttons = done
                .map(|p| {
                    p.options
                        .into_iter()
                        .map(|o| {
                            vec![super::io::Button {
                                label: o.label,
                                data: o.data,
                            }]
                        })
                        .collect()
                })
                .unwrap_or_default();
            let text = turn.text(keys::DIALOG_STORY_KEPT, &Args::new());
            turn.say_with_buttons(text, buttons);
        }
        Outcome::NotUnderstood(prompt) => {
            turn.say(keys::DIALOG_NOT_UNDERSTOOD, &Args::new());
            turn.say_prompt(&prompt);
        }
        Outcome::Stale => {
            turn.fx.toast = Some(turn.text(keys::DIALOG_BUTTON_EXPIRED, &Args::new()));
            if message.is_none() {
                reprompt(turn);
            }
        }
        Outcome::Action {
            action,
            next,
            position,
        } => act(turn, shared, action, next, position),
    }
}

fn act(
    turn: &mut Turn<'_>,
    shared: &mut Shared,
    action: Action,
    next: Option<String>,
    position: super::dialog::Position,
) {
    match action {
        Action::Language => {
            turn.case.dialog = Some(position);
            show_languages(turn);
            return;
        }
        Action::Abandon => {
            turn.say(keys::REPORTER_STOPPED, &Args::new());
            turn.erase();
            return;
        }
        // Counted once, as the draft goes (see `registration::attach`).
        Action::Refer => {
            turn.case.referred_at = Some(turn.now);
            turn.say(keys::REPORTER_REFERRED, &Args::new());
            turn.erase();
            return;
        }
        Action::Submit => submit(turn, shared),
        Action::Forget => lifecycle::forget(turn),
        Action::Notify => lifecycle::notify_answer(turn, &position),
        Action::InformHr => super::inform_hr::send(turn),
        Action::Reopen | Action::AftercareYes | Action::AftercareNo => {
            lifecycle::aftercare_answer(turn, action)
        }
        Action::Edit => {}
    }
    let args = turn.args();
    let answers = turn.case.answers.clone();
    let advance = next.and_then(|next| {
        turn.with_engine(&position.dialog, &args, |engine| {
            engine.enter(&next, None, &answers)
        })
    });
    turn.case.dialog = None;
    if let Some(advance) = advance {
        for prompt in &advance.prompts {
            turn.say_prompt(prompt);
        }
        turn.case.dialog = advance.position;
    }
}

/// The reporter confirmed the intake: assign, open the case room, start the clock.
fn submit(turn: &mut Turn<'_>, shared: &mut Shared) {
    let now = turn.now;
    turn.case.status = Status::Open;
    turn.case.submitted_at = Some(now);
    turn.case.timers.remove(&TimerKind::IntakeExpiry);
    let assignment = assign::choose(turn.roster(), shared, &turn.case, now);
    let fitted = assignment.fitted;
    let chosen_name = assignment.counsellor.map(|c| c.first_name.clone());
    let chosen = assignment.counsellor.map(|c| c.matrix_id.clone());
    if let Some(id) = &chosen {
        shared.add_case(id);
        turn.case.members.push(id.clone());
    }
    turn.case.counsellor = chosen.clone();
    if let Some((code, stored)) = turn.fresh_resume_code.take() {
        turn.case.resume_code = Some(stored);
        turn.shown_resume_code = Some(code);
    }
    // Nobody at all (everyone left was excluded, or no coordinator and backup): no one
    // the reporter excluded is brought in; they are told so, and the case is flagged.
    turn.case.nobody_left = chosen.is_none();
    clocks::start_for_submitted(turn);
    room_commands::remember_due(turn, shared);
    if chosen.is_none() {
        turn.say(keys::REPORTER_NOBODY_LEFT, &Args::new());
    } else if !fitted {
        // Honest, and without saying who was passed over or why.
        turn.say(
            keys::REPORTER_NO_FIT,
            &Args::new().text("name", chosen_name.unwrap_or_default()),
        );
    }
    let counsellor_lang = turn.core.settings.counsellor_lang.clone();
    let answers_text = turn
        .core
        .dialogs
        .get(INTAKE)
        .map(|d| {
            super::dialog::summary_lines(
                d,
                &turn.case.answers,
                &turn.core.catalog,
                &counsellor_lang,
                None,
            )
        })
        .unwrap_or_default();
    let due = super::time::human(
        now + turn.core.settings.first_contact,
        &turn.core.settings.timezone,
        &turn.core.catalog,
        &counsellor_lang,
    );
    let topic = turn.room_text(keys::ROOM_TOPIC, &Args::new());
    turn.fx.outputs.push(Output::CreateRoom(RoomSetup {
        case: turn.case.id,
        name: turn.case.token.to_string(),
        topic,
        invite: chosen.iter().cloned().collect(),
    }));
    let mut summary_args = Args::new()
        .text("answers", answers_text.clone())
        .text("due", due);
    if let Some(id) = &chosen {
        summary_args = summary_args.text("counsellor", id.clone());
    }
    let summary = turn.room_text(keys::ROOM_CASE_OPENED, &summary_args);
    turn.record(Author::Bot, summary.clone());
    turn.room(
        summary,
        RoomPostKind::Notice,
        chosen.iter().cloned().collect(),
    );
    // A request for advice is about someone else: say so before anyone reads on.
    if turn.case.answers.choice(super::registration::ROLE_ANSWER) == Some("advice") {
        let notice = turn.room_text(keys::ROOM_CONSULTATION, &Args::new());
        turn.room(notice, RoomPostKind::Notice, Vec::new());
    }
    // So is a case of someone accused: the counsellor for the accused hears their side.
    if super::settings::is_accused(&turn.case) {
        let notice = turn.room_text(keys::ROOM_ACCUSED, &Args::new());
        turn.room(notice, RoomPostKind::Notice, Vec::new());
    }
    if !fitted {
        let notice = turn.room_text(keys::ROOM_NO_FIT, &Args::new());
        turn.room(notice, RoomPostKind::Notice, chosen.into_iter().collect());
    }
}

fn set_language(turn: &mut Turn<'_>, lang: Lang, message: Option<i32>) {
    turn.case.lang = lang;
    turn.case.picking_language = false;
    if let Some(message) = message {
        turn.fx.outputs.push(Output::RemoveButtons {
            to: turn.to.clone(),
            message,
        });
    }
    turn.say(keys::REPORTER_LANGUAGE_SET, &Args::new());
    reprompt(turn);
}

fn show_languages(turn: &mut Turn<'_>) {
    turn.case.picking_language = true;
    let text = turn.text(keys::REPORTER_LANGUAGE_PICK, &Args::new());
    let buttons = present::language_buttons(&turn.core.catalog);
    turn.say_with_buttons(text, buttons);
}

/// Shows the current question again, if a dialog is running.
fn reprompt(turn: &mut Turn<'_>) {
    let Some(position) = turn.case.dialog.clone() else {
        return;
    };
    let args = turn.args();
    if let Some(prompt) = turn.with_engine(&position.dialog, &args, |engine| {
        engine.prompt(&position, &turn.case.answers)
    }) {
        turn.say_prompt(&prompt);
    }
}

fn language_of(core: &Core, data: &str) -> Option<Lang> {
    let lang = Lang::new(data.strip_prefix(LANG_PREFIX)?);
    core.catalog.has_language(&lang).then_some(lang)
}

fn commands_arg() -> Args {
    let list: Vec<String> = REPORTER_COMMANDS.iter().map(|c| format!("/{c}")).collect();
    Args::new().text("commands", list.join(" "))
}

fn unknown_command_text(core: &Core, lang: &Lang, name: &str, suggestion: Option<&str>) -> String {
    let mut text = core.catalog.render(
        lang,
        keys::REPORTER_UNKNOWN_COMMAND,
        &commands_arg().text("command", format!("/{name}")),
    );
    if let Some(suggestion) = suggestion {
        text.push('\n');
        text.push_str(&core.catalog.render(
            lang,
            keys::REPORTER_DID_YOU_MEAN,
            &Args::new().text("command", format!("/{suggestion}")),
        ));
    }
    text
}
