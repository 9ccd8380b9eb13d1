//! Files through the core: limits, neutral names, warnings, storage with the transcript.

use super::support::*;
use crate::core::files::{
    Cleaning, FileBytes, FileKind, FileLimits, Format, IncomingFile, Received,
};
use crate::core::*;

fn photo(format: Option<Format>, cleaning: Cleaning, bytes: &[u8]) -> IncomingFile {
    IncomingFile {
        kind: FileKind::Photo,
        received: Received::File {
            format,
            bytes: FileBytes::new(bytes.to_vec()),
            cleaning,
        },
        caption: None,
        name: Some("IMG_Jan_Jansen_kantoor.jpg".into()),
    }
}

fn send(w: &mut World, from: &ReporterAddress, file: IncomingFile) -> Effects {
    w.input(Input::Reporter {
        from: from.clone(),
        event: ReporterEvent::File(file),
    })
}

fn room_files(fx: &Effects) -> Vec<crate::core::files::RoomFile> {
    fx.outputs
        .iter()
        .filter_map(|o| match o {
            Output::RoomFile(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_clean_photo_is_stored_with_its_record_and_posted_under_a_neutral_name() {
    let mut w = World::new();
    let me = telegram(40);
    let case = w.submit_case(&me, "verhaal");
    let fx = send(
        &mut w,
        &me,
        photo(Some(Format::Jpeg), Cleaning::Clean, b"jpeg"),
    );
    assert_eq!(fx.files.len(), 1);
    let record = fx.transcript.last().expect("a transcript record");
    assert_eq!(
        fx.files[0].seq, record.seq,
        "the file sits at its record's position"
    );
    let posted = room_files(&fx);
    assert_eq!(posted.len(), 1);
    let name = &posted[0].file.meta.name;
    assert_eq!(name, &format!("{}-{}.jpg", case.token, record.seq));
    assert!(
        !format!("{fx:?}").contains("Jansen"),
        "the sender's file name is dropped"
    );
    assert!(
        fx.outputs
            .iter()
            .all(|o| !matches!(o, Output::Room(p) if p.kind == RoomPostKind::Notice)),
        "no warning for a clean file"
    );
    assert!(w.texts_to(&me).last().unwrap().contains(name.as_str()));
}

#[test]
fn a_file_that_cannot_be_cleaned_comes_with_a_visible_warning_first() {
    let mut w = World::new();
    let me = telegram(41);
    w.submit_case(&me, "verhaal");
    let fx = send(
        &mut w,
        &me,
        photo(Some(Format::Heic), Cleaning::NotRemovable, b"heic"),
    );
    let warning = fx
        .outputs
        .iter()
        .position(|o| matches!(o, Output::Room(p) if p.kind == RoomPostKind::Notice && p.text.contains("Let op")))
        .expect("a warning in the room");
    let file = fx
        .outputs
        .iter()
        .position(|o| matches!(o, Output::RoomFile(_)))
        .expect("the file");
    assert!(warning < file);
    assert_eq!(
        room_files(&fx)[0].file.meta.cleaning,
        Cleaning::NotRemovable
    );
    assert!(w.texts_to(&me).last().unwrap().contains("Let op"));
}

#[test]
fn refused_files_are_answered_and_nothing_is_kept() {
    let mut w = World::new();
    w.core.settings.files = FileLimits {
        max_bytes: 10,
        types: vec![Format::Pdf, Format::Jpeg],
        ..FileLimits::default()
    };
    let me = telegram(42);
    w.submit_case(&me, "verhaal");
    let cases = [
        (
            photo(Some(Format::Png), Cleaning::Clean, b"png"),
            "pdf, jpeg",
        ),
        (photo(None, Cleaning::Unreadable, b"MZ"), "pdf, jpeg"),
        (
            photo(Some(Format::Jpeg), Cleaning::Clean, &[0; 11]),
            "te groot",
        ),
        (
            IncomingFile {
                kind: FileKind::Document,
                received: Received::TooLarge { size: 30_000_000 },
                caption: None,
                name: None,
            },
            "29 MB",
        ),
        (
            IncomingFile {
                kind: FileKind::Voice,
                received: Received::Unavailable,
                caption: None,
                name: None,
            },
            "niet ophalen",
        ),
    ];
    for (file, expected) in cases {
        let fx = send(&mut w, &me, file);
        assert!(fx.files.is_empty());
        assert!(fx.transcript.is_empty());
        assert!(room_files(&fx).is_empty());
        let answer = w.texts_to(&me).last().unwrap().clone();
        assert!(answer.contains(expected), "{answer}");
        assert!(answer.contains("niet bewaard"), "{answer}");
    }
}

#[test]
fn files_during_the_intake_are_not_kept() {
    let mut w = World::new();
    let me = telegram(43);
    w.say(&me, "/start");
    let fx = send(
        &mut w,
        &me,
        photo(Some(Format::Jpeg), Cleaning::Clean, b"x"),
    );
    assert!(fx.files.is_empty());
    assert!(room_files(&fx).is_empty());
    assert!(w.texts_to(&me).last().unwrap().contains("zodra uw melding"));
}

#[test]
fn a_counsellor_document_goes_to_every_chat_and_counts_as_contact() {
    let mut w = World::new();
    let me = telegram(44);
    let case = w.submit_case(&me, "verhaal");
    let fx = w.input(Input::CounsellorFile {
        case: case.id,
        sender: ANNA.into(),
        file: IncomingFile {
            kind: FileKind::Document,
            received: Received::File {
                format: Some(Format::Pdf),
                bytes: FileBytes::new(b"%PDF".to_vec()),
                cleaning: Cleaning::Clean,
            },
            caption: None,
            name: Some("/home/anna/Klachtenregeling.PDF".into()),
        },
    });
    assert_eq!(fx.files.len(), 1);
    let sent: Vec<_> = fx
        .outputs
        .iter()
        .filter_map(|o| match o {
            Output::ReporterFile(f) => Some(f.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, me);
    assert_eq!(sent[0].file.meta.name, "Klachtenregeling.pdf");
    assert!(sent[0].caption.contains("Anna"));
    assert_eq!(w.cases[&case.id].first_contact_at, Some(w.now));
}

#[test]
fn a_stranger_in_the_room_cannot_send_files_to_the_reporter() {
    let mut w = World::new();
    let me = telegram(45);
    let case = w.submit_case(&me, "verhaal");
    let fx = w.input(Input::CounsellorFile {
        case: case.id,
        sender: "@mallory:example.org".into(),
        file: photo(Some(Format::Jpeg), Cleaning::Clean, b"x"),
    });
    assert!(fx.files.is_empty());
    assert!(
        fx.outputs
            .iter()
            .all(|o| !matches!(o, Output::ReporterFile(_)))
    );
}

#[test]
fn a_file_before_any_report_is_not_kept_and_the_employee_is_told() {
    let mut w = World::new();
    let me = telegram(46);
    let fx = send(
        &mut w,
        &me,
        photo(Some(Format::Jpeg), Cleaning::Clean, b"x"),
    );
    assert!(fx.files.is_empty());
    assert!(matches!(fx.case, CaseChange::Unchanged));
    assert!(w.texts_to(&me).last().unwrap().contains("/start"));
}

#[test]
fn a_counsellor_file_that_could_not_be_fetched_is_reported_as_such() {
    let mut w = World::new();
    let me = telegram(47);
    let case = w.submit_case(&me, "verhaal");
    let fx = w.input(Input::CounsellorFile {
        case: case.id,
        sender: ANNA.into(),
        file: IncomingFile {
            kind: FileKind::Document,
            received: Received::Unavailable,
            caption: None,
            name: Some("x.pdf".into()),
        },
    });
    assert!(fx.files.is_empty());
    let notice = w.room_posts(case.id).pop().expect("a notice");
    assert!(
        notice.text.contains("niet van de server"),
        "{}",
        notice.text
    );
    assert_eq!(notice.mentions, vec![ANNA.to_string()]);
}

#[test]
fn files_past_the_quota_of_a_case_are_refused_both_ways() {
    let mut w = World::new();
    w.core.settings.files.max_per_case = 2;
    let me = telegram(43);
    let case = w.submit_case(&me, "verhaal");
    for _ in 0..2 {
        w.input(Input::Reporter {
            from: me.clone(),
            event: ReporterEvent::File(photo(Some(Format::Jpeg), Cleaning::Clean, b"jpg")),
        });
    }
    assert_eq!(w.cases[&case.id].files_kept, 2);
    w.input(Input::Reporter {
        from: me.clone(),
        event: ReporterEvent::File(photo(Some(Format::Jpeg), Cleaning::Clean, b"jpg")),
    });
    assert!(
        w.texts_to(&me).last().unwrap().contains("al 2 bestanden"),
        "{:?}",
        w.texts_to(&me).last()
    );
    assert_eq!(w.cases[&case.id].files_kept, 2, "nothing more kept");
    w.input(Input::CounsellorFile {
        case: case.id,
        sender: ANNA.into(),
        file: photo(Some(Format::Pdf), Cleaning::Clean, b"%PDF"),
    });
    let notice = w.room_posts(case.id).pop().unwrap().text;
    assert!(notice.contains("al 2 bestanden"), "{notice}");
}
