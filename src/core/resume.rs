//! `/resume TOKEN CODE`: linking another chat (a new phone, the other channel) to an
//! existing case. Only the holder of the token and the code shown once at the end of the
//! intake can do it: the code is kept only as a salted hash, and wrong attempts are
//! limited per case and per chat, with a growing lock.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::address::ReporterAddress;
use super::case::Case;
use super::ids::Token;
use super::io::Effects;
use super::shared::{AttemptLock, Shared};
use super::text_keys as keys;
use super::time::{SignedDuration, Timestamp};
use super::turn::Turn;
use super::{Core, Ctx};
use crate::i18n::Args;

/// Wrong attempts allowed before a lock.
const FREE_ATTEMPTS: u32 = 5;
/// The first lock; each further wrong attempt doubles it.
const FIRST_LOCK: SignedDuration = SignedDuration::from_mins(15);
/// Crockford's alphabet, as for tokens: no letters that read as digits.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 8;

/// The code as stored: a salted hash, never the code itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeCode {
    pub salt: [u8; 16],
    pub hash: [u8; 32],
}

impl ResumeCode {
    /// A new random code (shown to the reporter once) and what is kept of it.
    pub fn new(rng: &mut dyn rand::RngCore) -> (String, ResumeCode) {
        let mut code = String::new();
        for i in 0..CODE_LEN {
            if i == CODE_LEN / 2 {
                code.push('-');
            }
            code.push(ALPHABET[(rng.next_u32() % 32) as usize] as char);
        }
        let mut salt = [0u8; 16];
        rng.fill_bytes(&mut salt);
        let hash = hash(&salt, &code);
        (code, ResumeCode { salt, hash })
    }

    pub fn matches(&self, typed: &str) -> bool {
        hash(&self.salt, typed) == self.hash
    }
}

/// Hashes the code as typed: any case, dashes and spaces ignored, O read as 0, I/L as 1.
fn hash(salt: &[u8; 16], code: &str) -> [u8; 32] {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let mut digest = Sha256::new();
    digest.update(salt);
    digest.update(normal.as_bytes());
    digest.finalize().into()
}

/// The chat's attempts are counted under a hash of its address, so shared state names
/// no chat.
fn chat_key(from: &ReporterAddress) -> String {
    hex::encode(Sha256::digest(from.lookup_material()))
}

/// Handles `/resume`: `case` is the case the token names (the engine looks it up), or
/// `None` when no case has that token.
pub fn handle(
    core: &Core,
    ctx: &mut Ctx<'_>,
    case: Option<Case>,
    shared: &mut Shared,
    from: ReporterAddress,
    token: Option<Token>,
    code: &str,
) -> Effects {
    let now = ctx.now;
    let chat = chat_key(&from);
    shared.resume_attempts.retain(|_, lock| !lock.expired(now));
    let lang = case
        .as_ref()
        .map(|c| c.lang.clone())
        .unwrap_or_else(|| core.settings.default_lang.clone());
    let say = |key: &str, args: Args| {
        let text = core.catalog.render(&lang, key, &args);
        Effects::with_output(super::io::Output::Reporter(super::present::message(
            &from,
            text,
            Vec::new(),
            &core.catalog,
            &lang,
        )))
    };
    if token.is_none() || code.trim().is_empty() {
        return say(keys::REPORTER_RESUME_USAGE, Args::new());
    }
    // A chat belongs to one case at a time: linking it to a second would leave the
    // first one's messages coming here while its words went to the other's room.
    if let Some(own) = ctx.chat_case
        && case.as_ref().is_none_or(|c| c.id != own)
    {
        return say(keys::REPORTER_RESUME_OWN_CASE, Args::new());
    }
    if let Some(until) = shared
        .resume_attempts
        .get(&chat)
        .and_then(|l| l.locked(now))
    {
        return say(keys::REPORTER_RESUME_LOCKED, until_args(core, &lang, until));
    }
    let matching = case.filter(|c| Some(&c.token) == token.as_ref());
    let Some(case) = matching else {
        shared.resume_attempts.entry(chat).or_default().fail(now);
        return say(keys::REPORTER_RESUME_WRONG, Args::new());
    };
    if let Some(until) = case.resume_lock.as_ref().and_then(|l| l.locked(now)) {
        return say(keys::REPORTER_RESUME_LOCKED, until_args(core, &lang, until));
    }
    let mut turn = Turn::new(core, now, case, from.clone());
    let right = turn
        .case
        .resume_code
        .as_ref()
        .is_some_and(|c| c.matches(code));
    if !right {
        turn.case
            .resume_lock
            .get_or_insert_with(AttemptLock::default)
            .fail(now);
        shared.resume_attempts.entry(chat).or_default().fail(now);
        turn.say(keys::REPORTER_RESUME_WRONG, &Args::new());
        return turn.finish();
    }
    turn.case.resume_lock = None;
    shared.resume_attempts.remove(&chat);
    // The chats already linked hear of it: someone else holding the code would show.
    let earlier = turn.case.reporters.clone();
    for to in earlier.iter().filter(|to| **to != from) {
        turn.to = to.clone();
        turn.say(keys::REPORTER_RESUME_NOTICE, &Args::new());
    }
    if !turn.case.reporters.contains(&from) {
        turn.case.reporters.push(from.clone());
    }
    turn.to = from;
    turn.say(keys::REPORTER_RESUMED, &Args::new());
    turn.finish()
}

fn until_args(core: &Core, lang: &crate::i18n::Lang, until: Timestamp) -> Args {
    Args::new().text(
        "until",
        super::time::human(until, &core.settings.timezone, &core.catalog, lang),
    )
}

impl AttemptLock {
    /// Counts a wrong attempt; past the free ones, locks for a time that doubles.
    pub fn fail(&mut self, now: Timestamp) {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= FREE_ATTEMPTS {
            let doublings = (self.failures - FREE_ATTEMPTS).min(10);
            self.until = Some(now + FIRST_LOCK * 2i32.pow(doublings));
        }
        self.last = Some(now);
    }

    pub fn locked(&self, now: Timestamp) -> Option<Timestamp> {
        self.until.filter(|until| *until > now)
    }

    /// Forgotten a day after the last attempt, when no lock runs.
    pub fn expired(&self, now: Timestamp) -> bool {
        self.locked(now).is_none()
            && self
                .last
                .is_none_or(|last| now.duration_since(last) > SignedDuration::from_hours(24))
    }
}
