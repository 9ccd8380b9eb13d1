//! The heaviest tests (a thousand chats, three hundred reports, kill loops) take turns:
//! on two cores, two of them at once starve the Telegram stand-in, which runs inside this
//! test process, of the CPU it needs to carry out a request promptly. Each still runs
//! beside the lighter tests.

/// Held for the whole of one heavy test.
pub static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
