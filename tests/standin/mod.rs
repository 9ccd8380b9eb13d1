//! Integration tests of the Telegram Bot API stand-in, over real HTTP: teloxide's `Bot` (which
//! proves the bot's library can talk to it and parse every answer) and raw reqwest (for the
//! exact error shapes).

mod common;

mod control_http;
mod dispatcher;
mod errors;
mod formatting;
mod messages;
mod teloxide_types;
mod updates;
