//! Many employees at once: waiting for all of them in one pass (a thousand waiters woken
//! by every change of the stand-in would load the machine more than the bot does), and
//! checking that each got its questions once and in order.

use std::time::{Duration, Instant};

use super::employee::Employee;

/// The longest any crowd step may take, even on a slow machine.
pub const LONG: Duration = Duration::from_secs(240);

/// Waits until every employee of `crowd` satisfies `done`, looking at all of them in one
/// pass every 100 ms.
pub async fn all_are(crowd: &[Employee], what: &str, done: impl Fn(&Employee) -> bool) {
    let deadline = Instant::now() + LONG;
    let mut waiting: Vec<&Employee> = crowd.iter().collect();
    loop {
        waiting.retain(|e| !done(e));
        if waiting.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {} chats still wait for {what} after {LONG:?}; one has {:#?}",
            waiting.len(),
            crowd.len(),
            waiting[0]
                .received()
                .into_iter()
                .map(|m| m.text)
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn all_have_text(crowd: &[Employee], needle: &str) {
    all_are(crowd, needle, |e| {
        e.received().iter().any(|m| m.text.contains(needle))
    })
    .await;
}

pub async fn all_have_button(crowd: &[Employee], label: &str) {
    all_are(crowd, label, |e| {
        e.received().iter().any(|m| m.button_data(label).is_some())
    })
    .await;
}

/// Everyone presses `label` at once (on the newest message that has it).
pub async fn all_press(crowd: &[Employee], label: &str) {
    for employee in crowd {
        employee.press(label).await;
    }
}

/// Whether the bot's messages to `employee` hold each of `questions` exactly once, in
/// this order; `Err` describes the chat otherwise.
pub fn asked_once_in_order(employee: &Employee, questions: &[&str]) -> Result<(), String> {
    let texts: Vec<String> = employee.received().into_iter().map(|m| m.text).collect();
    let mut last = None;
    for question in questions {
        let at: Vec<usize> = texts
            .iter()
            .enumerate()
            .filter(|(_, t)| t.contains(question))
            .map(|(i, _)| i)
            .collect();
        match at.as_slice() {
            [i] if last.is_none_or(|l| l < *i) => last = Some(*i),
            _ => return Err(format!("{question:?} not once and in order in {texts:#?}")),
        }
    }
    Ok(())
}
