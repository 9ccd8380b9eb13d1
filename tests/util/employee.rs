//! An employee on their phone: sends texts and presses buttons through the Telegram
//! stand-in, and waits for what the bot says back.

use std::time::Duration;

use telegram_standin::{SentMessage, StandinHandle, TestUser};

use super::world::WAIT;

pub struct Employee {
    pub standin: StandinHandle,
    pub user: TestUser,
}

impl Employee {
    pub fn new(standin: &StandinHandle, id: u64, first_name: &str, username: &str) -> Employee {
        let user = TestUser::new(id, first_name)
            .with_username(username)
            .with_language("nl");
        standin
            .register_user(&user)
            .expect("registering the employee");
        Employee {
            standin: standin.clone(),
            user,
        }
    }

    pub fn chat_id(&self) -> i64 {
        self.user.chat_id()
    }

    pub fn say(&self, text: &str) {
        self.standin
            .inject_text(&self.user, text)
            .expect("sending as the employee");
    }

    /// Every (not deleted) message the bot sent.
    pub fn received(&self) -> Vec<SentMessage> {
        self.standin
            .sent_messages(self.chat_id())
            .into_iter()
            .filter(|m| !m.deleted)
            .collect()
    }

    /// Waits until a bot message contains `needle`; returns it.
    pub async fn wait_for(&self, needle: &str) -> SentMessage {
        self.wait_for_within(needle, WAIT).await
    }

    pub async fn wait_for_within(&self, needle: &str, timeout: Duration) -> SentMessage {
        let sent = self
            .standin
            .wait_for_sent(self.chat_id(), timeout, |sent| {
                sent.iter().any(|m| !m.deleted && m.text.contains(needle))
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        sent.into_iter()
            .rev()
            .find(|m| m.text.contains(needle))
            .expect("found")
    }

    /// Presses the button labelled `label` on the newest bot message that has it.
    pub async fn press(&self, label: &str) {
        let sent = self
            .standin
            .wait_for_sent(self.chat_id(), WAIT, |sent| {
                sent.iter().any(|m| m.button_data(label).is_some())
            })
            .await
            .unwrap_or_else(|e| panic!("no button {label:?}: {e}"));
        let message = sent
            .iter()
            .rev()
            .find(|m| m.button_data(label).is_some())
            .expect("found");
        let data = message.button_data(label).expect("has data").to_owned();
        self.standin
            .press_button(&self.user, message.message_id, &data)
            .expect("pressing the button");
    }

    /// From the welcome: no danger, bullying, every other question skipped, up to the story.
    pub async fn answer_until_story(&self) {
        self.press("Verder").await;
        self.wait_for("Eerst dit").await;
        self.press("Nee").await;
        self.wait_for("Waar gaat het over?").await;
        self.press("Pesten").await;
        self.skip_questions().await;
        self.wait_for("in uw eigen woorden").await;
    }

    /// Skips the anonymous facts and preferences, waiting for each question so a press
    /// never lands on the previous question's button.
    pub async fn skip_questions(&self) {
        for question in SKIPPED_QUESTIONS {
            self.wait_for(question).await;
            self.press("Overslaan").await;
        }
    }

    /// After the story: done, consent to a tally only.
    pub async fn finish_story(&self) {
        self.press("Klaar").await;
        self.wait_for("dossier over uw melding").await;
        self.press("Nee, alleen tellen").await;
    }

    /// Runs the Dutch intake to the end and returns the case token.
    pub async fn report(&self, story: &str) -> String {
        self.report_from("/start", story).await
    }

    /// As [`Employee::report`], opening with `first` (a deep link's `/start CODE`, or a
    /// code typed as the first message).
    pub async fn report_from(&self, first: &str, story: &str) -> String {
        self.say(first);
        self.answer_until_story().await;
        self.say(story);
        self.finish_story().await;
        self.wait_for("Dit is wat u hebt verteld").await;
        self.press("Ja, versturen").await;
        let done = self.wait_for("Uw meldingscode is").await;
        done.text
            .split_whitespace()
            .find(|w| w.starts_with("VP-"))
            .map(|t| t.trim_end_matches('.').to_owned())
            .expect("a token")
    }

    /// The secret `/resume` code shown once at the end of the intake.
    pub async fn resume_code(&self) -> String {
        let done = self.wait_for("geheime code is").await;
        done.text
            .split("geheime code is ")
            .nth(1)
            .and_then(|rest| rest.split(['.', ' ']).next())
            .expect("a code")
            .to_owned()
    }
}

/// The first words of each skippable Dutch question between the category and the story.
/// The test world's counsellors are all internal, so "internal or external?" is not
/// asked, and it lists no units, so neither is the unit question.
pub const SKIPPED_QUESTIONS: [&str; 8] = [
    "Speelt het nu nog?",
    "Sinds wanneer?",
    "Wie is de ander voor u?",
    "Overkomt dit ook anderen?",
    "Wat zou u willen?",
    "Heeft u liever een vrouw",
    "Is er een vertrouwenspersoon die u liever niet",
    "Hoe wilt u contact?",
];
