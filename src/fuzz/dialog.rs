//! The dialog engine: any sequence of texts, commands and button presses from one chat,
//! on a world that starts afresh for each input (the core's dialogs and texts are
//! loaded once).

use std::cell::RefCell;

use proptest::prelude::*;

use super::fuzz;
use crate::core::tests::property::event;
use crate::core::tests::support::{World, telegram};
use crate::core::{Input, Shared};

thread_local! {
    static WORLD: RefCell<World> = RefCell::new(World::new());
}

/// The world as new, keeping its core.
pub fn reset(w: &mut World) {
    w.cases.clear();
    w.lookup.clear();
    w.transcript.clear();
    w.sent.clear();
    w.erased.clear();
    w.registrations.clear();
    w.system_timers.clear();
    w.shared = Shared::default();
    // Time moves on in some inputs; a world that kept it would reach the end of the
    // calendar after a few hundred thousand of them.
    w.now = crate::core::tests::support::start_time();
}

fn target(events: Vec<crate::core::ReporterEvent>) {
    WORLD.with_borrow_mut(|w| {
        reset(w);
        let me = telegram(5);
        for event in events {
            w.input(Input::Reporter {
                from: me.clone(),
                event,
            });
        }
    });
}

#[test]
fn fuzz_dialog_engine() {
    fuzz(
        "dialog engine",
        prop::collection::vec(event(), 1..30),
        target,
    );
}
