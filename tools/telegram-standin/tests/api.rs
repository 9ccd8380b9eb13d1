//! Integration tests of the Telegram Bot API stand-in, over real HTTP: teloxide's `Bot` (which
//! proves the bot's library can talk to it and parse every answer) and raw reqwest (for the
//! exact error shapes).

#[path = "api/common.rs"]
mod common;

#[path = "api/control_http.rs"]
mod control_http;
#[path = "api/dispatcher.rs"]
mod dispatcher;
#[path = "api/errors.rs"]
mod errors;
#[path = "api/formatting.rs"]
mod formatting;
#[path = "api/messages.rs"]
mod messages;
#[path = "api/teloxide_types.rs"]
mod teloxide_types;
#[path = "api/updates.rs"]
mod updates;
