//! A file to a reporter is sent exactly once even when the outbox forgot, in a crash,
//! that Telegram had already taken it: against the stand-in and a real store.

use teloxide::Bot;

use super::Telegram;
use crate::core::files::{
    CaseFile, Cleaning, FileBytes, FileKind, FileMeta, Format, NewFile, ReporterFile,
};
use crate::core::{Case, CaseChange, CaseId, Effects, Output, ReporterAddress, Token};
use crate::crypto::MasterKey;
use crate::i18n::Lang;
use telegram_standin::{TestUser, serve};
use crate::store::{Ack, Commit, Store};
use crate::watchdog::Pulse;

#[tokio::test]
async fn a_file_taken_before_a_crash_is_found_and_not_sent_again() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let standin = serve(listener, "42:TOKEN".into()).await.unwrap();
    let user = TestUser::new(77, "Eva");
    standin.register_user(&user).unwrap();
    let first = standin.inject_text(&user, "hallo").unwrap();
    let telegram = Telegram {
        bot: Bot::new("42:TOKEN").set_api_url(standin.api_url().parse().unwrap()),
        poll_timeout: 1,
        pacer: super::Pacer::start(
            crate::config::Pace {
                per_second: 30,
                chat_per_second: 1.0,
                chat_burst: 3,
            },
            Pulse::new("pacer"),
        ),
    };
    let pulse = Pulse::new("delivery");

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MasterKey::generate()).unwrap();
    let to = ReporterAddress::Telegram { chat_id: 77 };
    let now = "2026-11-23T09:00:00Z".parse().unwrap();
    let case = Case::new(
        CaseId([5; 16]),
        Token::parse("VP-AAAA-BBBB").unwrap(),
        to.clone(),
        Lang::new("nl"),
        now,
    );
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
    let effects = Effects {
        case: CaseChange::Save(Box::new(case.clone())),
        outputs: vec![Output::ReporterFile(leaflet)],
        files: vec![NewFile {
            seq: 0,
            bytes: FileBytes::new(b"%PDF-1.7".to_vec()),
        }],
        ..Effects::default()
    };
    store
        .commit(Commit {
            before: None,
            effects: &effects,
            shared: None,
            ack: Ack::None,
        })
        .unwrap();
    store.note_message_id(&to, first).unwrap();
    let dest = store.outbox_destinations().unwrap()[0];
    let entry = store.outbox_head(dest).unwrap().unwrap();

    // Sent, but the crash comes before the outbox records it.
    telegram.deliver(&store, &entry, &pulse).await.unwrap();
    // After the restart the same entry is delivered again.
    let again = telegram.deliver(&store, &entry, &pulse).await.unwrap();
    let files: Vec<_> = standin
        .sent_messages(77)
        .into_iter()
        .filter(|m| m.file_id.is_some())
        .collect();
    assert_eq!(files.len(), 1, "the file was sent once: {files:?}");
    assert!(matches!(
        again,
        crate::store::Delivered::ReporterMessage(record) if record.message_id == files[0].message_id
    ));
    assert_eq!(
        standin
            .file_bytes(files[0].file_id.as_deref().unwrap())
            .unwrap(),
        b"%PDF-1.7"
    );
}
