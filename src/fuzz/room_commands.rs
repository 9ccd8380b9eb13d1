//! The room-command parser and what the commands do: counsellors' commands with any
//! argument, interleaved with timers and the reporter's input, on a submitted case.

use std::cell::RefCell;

use proptest::prelude::*;

use super::dialog::reset;
use super::fuzz;
use crate::core::tests::property::{Step, run_step, step};
use crate::core::tests::support::{World, telegram};

thread_local! {
    static WORLD: RefCell<World> = RefCell::new(World::new());
}

fn target(steps: Vec<Step>) {
    WORLD.with_borrow_mut(|w| {
        reset(w);
        let me = telegram(6);
        let case = w.submit_case(&me, "verhaal");
        for step in steps {
            run_step(w, &me, case.id, step);
        }
    });
}

#[test]
fn fuzz_room_commands() {
    fuzz(
        "room commands",
        prop::collection::vec(step(), 1..12),
        target,
    );
}
