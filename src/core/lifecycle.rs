//! What happens to a case after it is submitted, for the reporter's privacy: consent
//! and what it keeps, closing with an aftercare offer, retention and erasure, withdrawal
//! (`/forget`), wiping the bot's messages (`/wipe`), and questions a counsellor may put
//! (`!share-request`).
//!
//! Retention, in one place ([`settle`]): a closed case keeps its transcript until
//! `closed + retention` (dossier cases 30 days, tally-only cases none, by default);
//! then the transcript and every free-text answer go. The rest of the case (chat
//! address, language, chosen options, no words) stays only while something still needs
//! it: an unanswered closing or aftercare question (at most `intake_expiry`), or an
//! aftercare check-in the reporter asked for. Then the case is erased: its key is
//! destroyed and its records removed. The registration record stays.

use super::case::{Status, TimerKind};
use super::dialog::{Action, Answer, Position};
use super::io::{Author, Output, RoomPostKind};
use super::text_keys as keys;
use super::turn::Turn;
use crate::i18n::Args;

/// The small dialogs this module starts (files in `dialogs/`).
pub const FORGET: &str = "forget";
pub const CONSENT: &str = "consent";
pub const CLOSING: &str = "closing";
pub const AFTERCARE: &str = "aftercare";
pub const SHARE: &str = "share";

/// The intake answer that decides what is kept, and its option that keeps a dossier.
const CONSENT_ANSWER: &str = "consent";
const DOSSIER: &str = "dossier";

/// Starts one of the small dialogs in the turn's chat; false if it does not exist.
pub fn start_dialog(turn: &mut Turn<'_>, dialog: &str) -> bool {
    let args = turn.args();
    let answers = turn.case.answers.clone();
    let Some(start) = turn.core.dialogs.get(dialog).map(|d| d.start.clone()) else {
        return false;
    };
    let Some(advance) =
        turn.with_engine(dialog, &args, |engine| engine.enter(&start, None, &answers))
    else {
        return false;
    };
    for prompt in &advance.prompts {
        turn.say_prompt(prompt);
    }
    turn.case.dialog = advance.position;
    true
}

/// Whether the reporter agreed to a registered dossier (no answer: tally only, the
/// more private choice).
pub fn keeps_dossier(turn: &Turn<'_>) -> bool {
    turn.case.answers.choice(CONSENT_ANSWER) == Some(DOSSIER)
}

/// `/forget`, confirmed: the case is erased now. The counsellors are told (the room
/// itself is theirs and stays), and the reporter learns what could not be erased.
pub fn forget(turn: &mut Turn<'_>) {
    if turn.case.status != Status::Intake {
        if turn.case.status == Status::Open {
            turn.case.outcome = Some("withdrawn".into());
            turn.case.closed_at = Some(turn.now);
        }
        let notice = turn.room_text(keys::ROOM_REPORTER_WITHDREW, &Args::new());
        let mentions = turn.case.counsellor.iter().cloned().collect();
        turn.room(notice, RoomPostKind::Notice, mentions);
    }
    turn.case.timers.clear();
    turn.erase();
}

/// `/wipe`: the bot's messages in this chat are deleted where the network allows it.
pub fn wipe(turn: &mut Turn<'_>) {
    turn.fx.outputs.push(Output::WipeReporterChat {
        to: turn.to.clone(),
    });
    turn.say(keys::REPORTER_WIPED, &Args::new());
}

/// A choice marked `notify` was made: the room sees the question and the answer, in
/// the counsellors' language.
pub fn notify_answer(turn: &mut Turn<'_>, position: &Position) {
    let Some(step) = turn
        .core
        .dialogs
        .get(&position.dialog)
        .and_then(|d| d.steps.iter().find(|s| s.id == position.step))
    else {
        return;
    };
    let lang = turn.core.settings.counsellor_lang.clone();
    let catalog = turn.core.catalog.clone();
    let question = step
        .summary
        .as_deref()
        .map(|key| catalog.render(&lang, key, &Args::new()))
        .unwrap_or_default();
    let answer = match turn.case.answers.get(step.answer_name()) {
        Some(Answer::Choice(id)) => step
            .option(id)
            .map(|o| catalog.render(&lang, &o.label, &Args::new()))
            .unwrap_or_else(|| id.clone()),
        _ => return,
    };
    let notice = turn.room_text(
        keys::ROOM_REPORTER_ANSWERED,
        &Args::new()
            .text("question", question)
            .text("answer", answer),
    );
    turn.record(Author::Bot, notice.clone());
    let mentions = turn.case.counsellor.iter().cloned().collect();
    turn.room(notice, RoomPostKind::Notice, mentions);
}

/// The counsellor closed the case (`!close OUTCOME`, already recorded): offer aftercare
/// and start the retention clock.
pub fn on_close(turn: &mut Turn<'_>) {
    turn.case.status = Status::Closed;
    turn.case.closed_at = Some(turn.now);
    turn.case.timers.remove(&TimerKind::Aftercare);
    let reporters = turn.case.reporters.clone();
    for to in reporters {
        turn.to = to;
        start_dialog(turn, CLOSING);
    }
    turn.case.waiting_since = Some(turn.now);
    settle(turn);
}

/// `!reopen`, or the reporter asked to talk again: retention stops.
pub fn on_reopen(turn: &mut Turn<'_>) {
    turn.case.status = Status::Open;
    turn.case.closed_at = None;
    turn.case.outcome = None;
    turn.case.waiting_since = None;
    turn.case.timers.remove(&TimerKind::Retention);
    turn.case.timers.remove(&TimerKind::Aftercare);
}

/// The reporter answered the closing or aftercare question.
pub fn aftercare_answer(turn: &mut Turn<'_>, action: Action) {
    turn.case.waiting_since = None;
    match action {
        Action::AftercareYes => {
            let at = turn.case.closed_at.unwrap_or(turn.now)
                + turn.core.settings.privacy.aftercare_after;
            turn.case
                .timers
                .insert(TimerKind::Aftercare, at.max(turn.now));
        }
        Action::Reopen => {
            on_reopen(turn);
            let notice = turn.room_text(keys::ROOM_REPORTER_REOPENED, &Args::new());
            turn.record(Author::Bot, notice.clone());
            let mentions = turn.case.counsellor.iter().cloned().collect();
            turn.room(notice, RoomPostKind::Notice, mentions);
        }
        _ => {}
    }
    settle(turn);
}

/// A retention or aftercare timer fell due.
pub fn on_timer(turn: &mut Turn<'_>, kind: TimerKind) {
    if turn.case.status != Status::Closed {
        return;
    }
    if kind == TimerKind::Aftercare {
        let reporters = turn.case.reporters.clone();
        for to in reporters {
            turn.to = to;
            start_dialog(turn, AFTERCARE);
        }
        turn.case.waiting_since = Some(turn.now);
    }
    settle(turn);
}

/// Decides, for a closed case, what retention asks now: drop the transcript, erase the
/// case, or wake up later. Idempotent; call after anything that may change the answer.
pub fn settle(turn: &mut Turn<'_>) {
    if turn.case.status != Status::Closed {
        return;
    }
    let now = turn.now;
    let closed = turn.case.closed_at.unwrap_or(now);
    let privacy = &turn.core.settings.privacy;
    let retention = if keeps_dossier(turn) {
        privacy.dossier_retention
    } else {
        privacy.tally_retention
    };
    let retention_end = closed + retention;
    if now >= retention_end {
        purge(turn);
    }
    // Wait for a question the reporter has not answered yet, but not for ever.
    let waiting_until = turn
        .case
        .waiting_since
        .map(|since| since + turn.core.settings.intake_expiry);
    let aftercare = turn.case.timers.get(&TimerKind::Aftercare).copied();
    let keep_until = [Some(retention_end), waiting_until, aftercare]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(retention_end);
    if now >= keep_until && aftercare.is_none() {
        turn.case.timers.clear();
        turn.erase();
        return;
    }
    // Wake for the purge still to come, and for the erasure unless an aftercare
    // check-in is pending (its own timer wakes us then). Never at `now`: a timer that
    // re-arms itself for the moment it fires would fire for ever.
    let purge_at = (!turn.case.purged).then_some(retention_end);
    let erase_at = aftercare.is_none().then_some(keep_until);
    match purge_at
        .into_iter()
        .chain(erase_at)
        .filter(|at| *at > now)
        .min()
    {
        Some(next) => {
            turn.case.timers.insert(TimerKind::Retention, next);
        }
        None => {
            turn.case.timers.remove(&TimerKind::Retention);
        }
    }
}

/// Retention ended: the transcript and every free-text answer go; choices stay (they
/// are what the registration counts and hold no words of the reporter).
fn purge(turn: &mut Turn<'_>) {
    if turn.case.purged {
        return;
    }
    turn.case
        .answers
        .0
        .retain(|_, answer| !matches!(answer, Answer::Text(_) | Answer::Story(_)));
    turn.fx.drop_transcript = true;
    turn.case.purged = true;
}
