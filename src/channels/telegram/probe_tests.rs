//! Exactly once against a faithful Telegram (the project's stand-in, which numbers
//! message ids per bot account, as Telegram does): a message whose answer was lost is
//! found and not sent again, with other chats busy and the employee writing meanwhile; one
//! never taken is sent once; where nothing can prove it was not taken, it goes again with
//! a note. The probe never changes a message. A "restart" is a fresh `Telegram` (a new
//! process's memory) over the same store.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use telegram_standin::{AnswerLoss, StandinHandle, StandinOptions, TestUser, serve_with};
use teloxide::Bot;
use teloxide::types::MessageId;

use super::Telegram;
use super::probe::Ledger;
use crate::core::files::{
    CaseFile, Cleaning, FileBytes, FileKind, FileMeta, Format, NewFile, ReporterFile,
};
use crate::core::{
    Case, CaseChange, CaseId, Effects, Output, ReporterAddress, ReporterMessage, Token,
};
use crate::crypto::MasterKey;
use crate::i18n::{Catalog, Lang};
use crate::store::{Ack, Commit, Delivered, OutboxEntry, Store};
use crate::watchdog::Pulse;

const TOKEN: &str = "42:TOKEN";

struct Fixture {
    standin: StandinHandle,
    store: Store,
    _dir: tempfile::TempDir,
    catalog: Arc<Catalog>,
    pulse: Pulse,
    eva: TestUser,
    piet: TestUser,
    sara: TestUser,
}

impl Fixture {
    async fn start() -> Fixture {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut options = StandinOptions::new(TOKEN);
        // Deleted messages' gaps too, on top of the other chats' ids.
        options.message_id_gaps = true;
        let standin = serve_with(listener, options).await.unwrap();
        let (eva, piet, sara) = (
            TestUser::new(77, "Eva"),
            TestUser::new(78, "Piet"),
            TestUser::new(79, "Sara"),
        );
        for user in [&eva, &piet, &sara] {
            standin.register_user(user).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let catalog = Catalog::load(&root.join("locales"), Lang::new("nl")).expect("locales");
        let fixture = Fixture {
            standin,
            store,
            _dir: dir,
            catalog: Arc::new(catalog),
            pulse: Pulse::new("delivery"),
            eva,
            piet,
            sara,
        };
        // Each employee has written, and the bot has seen it.
        for user in [&fixture.eva, &fixture.piet, &fixture.sara] {
            fixture.employee_writes(user, "hallo", true);
        }
        fixture
    }

    /// A process of the bot: its own memory, the shared store.
    fn process(&self, patience: Duration) -> Telegram {
        Telegram {
            bot: Bot::new(TOKEN).set_api_url(self.standin.api_url().parse().unwrap()),
            poll_timeout: 1,
            pacer: super::Pacer::start(
                crate::config::Pace {
                    per_second: 30,
                    chat_per_second: 20.0,
                    chat_burst: 20,
                },
                Pulse::new("pacer"),
            ),
            ledger: Arc::new(Ledger::with_patience(patience)),
            catalog: self.catalog.clone(),
        }
    }

    /// The employee writes; `seen`: the bot's poller took the update (else it was still
    /// unread when the bot went down).
    fn employee_writes(&self, user: &TestUser, text: &str, seen: bool) {
        let id = self.standin.inject_text(user, text).unwrap();
        if seen {
            self.store.note_telegram_message(id).unwrap();
        }
    }

    /// Queues `text` for `user` in a case of their own; the outbox entry.
    fn queue(&self, user: &TestUser, text: &str) -> OutboxEntry {
        let to = ReporterAddress::Telegram {
            chat_id: user.chat_id(),
        };
        let case = self.case_of(user);
        let message = ReporterMessage {
            to: to.clone(),
            text: text.to_owned(),
            buttons: Vec::new(),
            source: None,
            html: None,
            reply_to: None,
        };
        self.commit(case, vec![Output::Reporter(message)], Vec::new())
    }

    fn case_of(&self, user: &TestUser) -> Case {
        let id = CaseId([u8::try_from(user.chat_id() % 200).unwrap(); 16]);
        if let Some(case) = self.store.load_case(id).unwrap() {
            return case;
        }
        Case::new(
            id,
            Token::parse("VP-AAAA-BBBB").unwrap(),
            ReporterAddress::Telegram {
                chat_id: user.chat_id(),
            },
            Lang::new("nl"),
            "2026-11-23T09:00:00Z".parse().unwrap(),
        )
    }

    fn commit(&self, case: Case, outputs: Vec<Output>, files: Vec<NewFile>) -> OutboxEntry {
        let dest = self.store.destination(&outputs[0]);
        let before = self.store.load_case(case.id).unwrap();
        let effects = Effects {
            case: CaseChange::Save(Box::new(case)),
            outputs,
            files,
            ..Effects::default()
        };
        self.store
            .commit(Commit {
                before: before.as_ref(),
                effects: &effects,
                shared: None,
                ack: Ack::None,
            })
            .unwrap();
        self.store.outbox_head(dest).unwrap().unwrap()
    }

    /// Delivers `entry` and records it, as the delivery loop does.
    async fn deliver(&self, telegram: &Telegram, entry: &OutboxEntry) -> Delivered {
        let done = telegram
            .deliver(&self.store, entry, &self.pulse)
            .await
            .unwrap();
        self.store.complete(entry, done.clone()).unwrap();
        done
    }

    fn texts_to(&self, user: &TestUser) -> Vec<String> {
        self.standin
            .sent_messages(user.chat_id())
            .into_iter()
            .map(|m| m.text)
            .collect()
    }

    /// No probe ever changed a message: every edit the bot made was refused.
    fn assert_nothing_changed(&self) {
        for method in ["editMessageText", "editMessageCaption"] {
            for call in self.standin.calls_of(method) {
                let outcome = call.outcome.as_ref().expect("answered");
                assert!(!outcome.ok, "a probe changed a message: {call:?}");
            }
        }
        for user in [&self.eva, &self.piet, &self.sara] {
            for message in self.standin.chat_history(user.chat_id()) {
                assert!(
                    !message.edited,
                    "message {} was changed",
                    message.message_id
                );
            }
        }
    }
}

#[tokio::test]
async fn a_text_whose_answer_was_lost_is_found_after_a_restart_with_other_chats_busy() {
    let f = Fixture::start().await;
    let before = f.process(Duration::from_secs(30));
    let to_eva = f.queue(&f.eva, "Anna: ik bel u morgen om tien uur.");
    // Telegram takes it; the answer never reaches the bot.
    f.standin.lose_answers("sendMessage", 1, AnswerLoss::Break);
    assert!(before.deliver(&f.store, &to_eva, &f.pulse).await.is_err());
    // Meanwhile the employee writes (seen by the bot: the high-water mark rises past the
    // message in doubt), and so do others, some of it unread when the bot goes down.
    f.employee_writes(&f.eva, "dank u", true);
    f.employee_writes(&f.piet, "nog iets", false);
    f.standin.skip_message_ids(4);
    f.employee_writes(&f.sara, "hoi", true);
    drop(before);

    let after = f.process(Duration::from_secs(30));
    // Another chat's message goes first: its id proves where the search may end.
    let to_piet = f.queue(&f.piet, "Anna: fijn dat u schrijft.");
    f.deliver(&after, &to_piet).await;
    let again = f.deliver(&after, &to_eva).await;

    assert_eq!(f.texts_to(&f.eva), ["Anna: ik bel u morgen om tien uur."]);
    let id = f.standin.sent_messages(f.eva.chat_id())[0].message_id;
    assert!(matches!(again, Delivered::ReporterMessage(r) if r.message_id == id));
    f.assert_nothing_changed();
}

#[tokio::test]
async fn a_lost_answer_is_found_in_the_same_process_without_waiting_for_proof() {
    let f = Fixture::start().await;
    let telegram = f.process(Duration::from_secs(600));
    let to_eva = f.queue(&f.eva, "Anna: tot morgen.");
    f.standin.lose_answers("sendMessage", 1, AnswerLoss::Break);
    assert!(telegram.deliver(&f.store, &to_eva, &f.pulse).await.is_err());
    f.employee_writes(&f.eva, "ok", true);
    // Found by its content at once: no proof is needed to find it, only to rule it out.
    let found = tokio::time::timeout(Duration::from_secs(20), f.deliver(&telegram, &to_eva))
        .await
        .expect("found without waiting");
    assert!(matches!(found, Delivered::ReporterMessage(_)));
    assert_eq!(f.texts_to(&f.eva), ["Anna: tot morgen."]);
    f.assert_nothing_changed();
}

#[tokio::test]
async fn a_text_never_taken_is_sent_once_without_a_note_once_a_later_send_proves_it() {
    let f = Fixture::start().await;
    let to_eva = f.queue(&f.eva, "Anna: hoe gaat het nu?");
    // The crash came after the mark and before the request.
    f.store.mark_in_flight(&to_eva, false).unwrap();
    f.employee_writes(&f.piet, "goedemorgen", true);
    f.employee_writes(&f.eva, "hallo?", false);

    let after = f.process(Duration::from_secs(600));
    // Only a send that starts well after the crash proves anything (a request the server
    // had read may still be carried out a moment after the connection broke).
    tokio::time::sleep(super::probe::SETTLE).await;
    let to_sara = f.queue(&f.sara, "Anna: ik lees het.");
    f.deliver(&after, &to_sara).await;
    let proof = f.standin.sent_messages(f.sara.chat_id())[0].message_id;
    let sent = tokio::time::timeout(Duration::from_secs(20), f.deliver(&after, &to_eva))
        .await
        .expect("a proof ends the search");
    assert!(matches!(sent, Delivered::ReporterMessage(r) if r.message_id > proof));
    assert_eq!(f.texts_to(&f.eva), ["Anna: hoe gaat het nu?"]);
    f.assert_nothing_changed();
}

#[tokio::test]
async fn without_anything_to_prove_it_the_message_goes_again_with_a_note() {
    let f = Fixture::start().await;
    let to_eva = f.queue(&f.eva, "Anna: ik ben er.");
    f.store.mark_in_flight(&to_eva, false).unwrap();
    // No other chat sends anything: nothing can prove the message was not taken.
    let after = f.process(Duration::from_millis(600));
    f.deliver(&after, &to_eva).await;
    let texts = f.texts_to(&f.eva);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].starts_with("Anna: ik ben er."), "{texts:?}");
    assert!(
        texts[0].contains("mogelijk hebt u dit bericht twee keer"),
        "the note, in the case's language: {texts:?}"
    );
    f.assert_nothing_changed();
}

#[tokio::test]
async fn a_resent_message_whose_answer_is_lost_too_is_never_probed_for() {
    let f = Fixture::start().await;
    let to_eva = f.queue(&f.eva, "Anna: nog een vraag.");
    f.store.mark_in_flight(&to_eva, false).unwrap();
    let after = f.process(Duration::from_millis(300));
    f.standin.lose_answers("sendMessage", 1, AnswerLoss::Break);
    assert!(after.deliver(&f.store, &to_eva, &f.pulse).await.is_err());
    let edits = f.standin.calls_of("editMessageText").len();
    f.deliver(&after, &to_eva).await;
    assert_eq!(
        f.standin.calls_of("editMessageText").len(),
        edits,
        "no probe for a resent message"
    );
    let texts = f.texts_to(&f.eva);
    assert_eq!(
        texts.len(),
        2,
        "at least once, each copy with the note: {texts:?}"
    );
    assert!(texts.iter().all(|t| t.contains("twee keer")), "{texts:?}");
    f.assert_nothing_changed();
}

#[tokio::test]
async fn a_file_taken_before_a_crash_is_found_and_not_sent_again() {
    let f = Fixture::start().await;
    let to = ReporterAddress::Telegram {
        chat_id: f.eva.chat_id(),
    };
    let case = f.case_of(&f.eva);
    let leaflet = ReporterFile {
        to: to.clone(),
        case: case.id,
        file: CaseFile {
            seq: 0,
            meta: FileMeta {
                kind: FileKind::Document,
                format: Format::Pdf,
                name: "Klachtenregeling.pdf".into(),
                size: 8,
                cleaning: Cleaning::Clean,
            },
        },
        caption: "Anna stuurt u een bestand.".into(),
    };
    let file = NewFile {
        seq: 0,
        bytes: FileBytes::new(b"%PDF-1.7".to_vec()),
    };
    let entry = f.commit(case, vec![Output::ReporterFile(leaflet)], vec![file]);

    let before = f.process(Duration::from_secs(30));
    f.standin.lose_answers("sendDocument", 1, AnswerLoss::Break);
    assert!(before.deliver(&f.store, &entry, &f.pulse).await.is_err());
    f.employee_writes(&f.eva, "ontvangen?", true);
    drop(before);

    let after = f.process(Duration::from_secs(30));
    let to_piet = f.queue(&f.piet, "Anna: goed.");
    f.deliver(&after, &to_piet).await;
    let again = f.deliver(&after, &entry).await;
    let files: Vec<_> = f
        .standin
        .sent_messages(f.eva.chat_id())
        .into_iter()
        .filter(|m| m.file_id.is_some())
        .collect();
    assert_eq!(files.len(), 1, "the file was sent once: {files:?}");
    assert!(matches!(
        again,
        Delivered::ReporterMessage(record) if record.message_id == files[0].message_id
    ));
    assert_eq!(
        f.standin
            .file_bytes(files[0].file_id.as_deref().unwrap())
            .unwrap(),
        b"%PDF-1.7"
    );
    f.assert_nothing_changed();
}

/// A request the server had read before the crash is carried out only after the new
/// process has started looking: the id it then gets must not have been ruled out. Here
/// the server is simulated in `ask`, so the moment the message takes its id is exact.
#[tokio::test]
async fn a_request_carried_out_after_the_restart_is_still_found() {
    let f = Fixture::start().await;
    let to_eva = f.queue(&f.eva, "Anna: bent u er nog?");
    let mark = f.store.mark_in_flight(&to_eva, false).unwrap();
    let floor = mark.floor.expect("a floor");
    // The new process; a later send (in another chat) already proves where to stop.
    let ledger = Ledger::with_patience(Duration::from_secs(30));
    let started = std::time::Instant::now();
    ledger.confirmed(started + super::probe::SETTLE * 2, MessageId(floor + 5));
    // Carried out 300 ms after the restart, as the id above the floor.
    let taken_at = started + Duration::from_millis(300);
    let id = floor + 1;
    let asked_early = std::sync::atomic::AtomicBool::new(false);
    let verdict = super::probe::look_for(&f.store, &ledger, &to_eva, mark, &f.pulse, |asked| {
        let now = std::time::Instant::now();
        if now < taken_at {
            asked_early.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        let answer = late_server(asked, id, taken_at);
        async move { Ok(answer) }
    })
    .await
    .unwrap();
    assert_eq!(verdict, super::probe::Verdict::Found(MessageId(id)));
    assert!(
        !asked_early.load(std::sync::atomic::Ordering::SeqCst),
        "asked before the request could have settled"
    );
}

/// The server is slower than the settling time: the message takes its id 3 s after the
/// restart, after the probe first asked. No proof comes; at the give-up the id is asked
/// again and found, instead of the message going a second time.
#[tokio::test]
async fn a_request_slower_than_the_settling_time_is_found_before_giving_up() {
    let f = Fixture::start().await;
    let to_eva = f.queue(&f.eva, "Anna: ik ben er weer.");
    let mark = f.store.mark_in_flight(&to_eva, false).unwrap();
    let floor = mark.floor.expect("a floor");
    let ledger = Ledger::with_patience(Duration::from_secs(4));
    let started = std::time::Instant::now();
    let taken_at = started + super::probe::SETTLE + Duration::from_secs(1);
    let id = floor + 1;
    let verdict = super::probe::look_for(&f.store, &ledger, &to_eva, mark, &f.pulse, |asked| {
        let answer = late_server(asked, id, taken_at);
        async move { Ok(answer) }
    })
    .await
    .unwrap();
    assert_eq!(verdict, super::probe::Verdict::Found(MessageId(id)));
}

/// A server that hands out `id` to the message in doubt only at `taken_at`: what an edit
/// to the very content of message `asked` answers now.
fn late_server(asked: MessageId, id: i32, taken_at: std::time::Instant) -> super::probe::Answer {
    if asked.0 == id && std::time::Instant::now() >= taken_at {
        super::probe::Answer::Ours
    } else {
        super::probe::Answer::NotThere
    }
}
