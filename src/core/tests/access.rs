//! `/mydata`: the employee gets, in their chat, one document with everything kept about
//! their case, read here from the file the store would keep and checked against the
//! transcript; a note the counsellor shared is in it, a private one is not, and the room
//! learns only that a copy was asked for.

use super::support::*;
use crate::core::*;

#[test]
fn mydata_sends_the_whole_case_but_no_private_note_and_the_room_only_hears_of_it() {
    let mut w = World::new();
    let me = telegram(601);
    let story = "Mijn leidinggevende Kees schreeuwt elke dag.";
    let case = w.submit_case(&me, story);
    w.counsellor_says(case.id, ANNA, "Hoi, ik ben Anna. Zullen we bellen?");
    w.counsellor_says(case.id, ANNA, "!note Kees is al eerder gemeld bij HR");
    w.counsellor_says(
        case.id,
        ANNA,
        "!shared-note Advies: klachtenregeling doorgestuurd",
    );
    let before_note = w.texts_to(&me).len();
    assert_eq!(
        w.texts_to(&me).len(),
        before_note,
        "a shared note is not sent live"
    );
    w.say(&me, "Liever hier schrijven.");
    let sent_before = w.sent.len();

    let effects = w.say(&me, "/mydata");
    assert_eq!(
        effects.files.len(),
        1,
        "one document, kept sealed in the case"
    );
    let document = String::from_utf8(effects.files[0].bytes.bytes().to_vec()).expect("text");
    // Everything in the transcript that is the employee's to read is in it, in order.
    let transcript = &w.transcript[&case.id];
    let readable: Vec<&TranscriptEntry> = transcript
        .iter()
        .filter(|e| {
            matches!(
                e.author,
                Author::Reporter | Author::Counsellor(_) | Author::SharedNote(_)
            )
        })
        .collect();
    assert!(readable.len() >= 2, "{transcript:#?}");
    let mut at = 0;
    for entry in readable {
        let found = document[at..]
            .find(&entry.text)
            .unwrap_or_else(|| panic!("{:?} missing or out of order:\n{document}", entry.text));
        at += found;
    }
    assert!(document.contains("Anna: Hoi, ik ben Anna."), "{document}");
    assert!(
        document.contains("Aantekening van Anna: Advies: klachtenregeling doorgestuurd"),
        "the shared note: {document}"
    );
    assert!(document.contains("U: Liever hier schrijven."), "{document}");
    assert!(document.contains(&case.token.to_string()));
    assert!(document.contains("Pesten"), "the answers: {document}");
    assert!(document.contains("wordt gewist"), "{document}");
    // Not a counsellor's private note, not an account id.
    assert!(!document.contains("eerder gemeld bij HR"), "{document}");
    assert!(!document.contains(ANNA), "{document}");

    let new = &w.sent[sent_before..];
    let files_to_me: Vec<_> = new
        .iter()
        .filter_map(|o| match o {
            Output::ReporterFile(file) => Some(file),
            _ => None,
        })
        .collect();
    assert_eq!(files_to_me.len(), 1);
    assert_eq!(files_to_me[0].to, me);
    assert!(files_to_me[0].file.meta.name.ends_with(".txt"));
    let room: Vec<&String> = new
        .iter()
        .filter_map(|o| match o {
            Output::Room(post) => Some(&post.text),
            _ => None,
        })
        .collect();
    assert!(
        room.iter().any(|t| t.contains("kopie gevraagd")),
        "{room:#?}"
    );
    assert!(room.iter().all(|t| !t.contains("schreeuwt")), "{room:#?}");
}

#[test]
fn mydata_before_a_report_says_what_little_is_kept() {
    let mut w = World::new();
    let me = telegram(602);
    w.say(&me, "/mydata");
    assert!(w.texts_to(&me).last().unwrap().contains("niets"));
    w.say(&me, "/start");
    let effects = w.say(&me, "/mydata");
    assert!(effects.files.is_empty());
    assert!(
        w.texts_to(&me)
            .last()
            .unwrap()
            .contains("nog geen melding verstuurd")
    );
}
