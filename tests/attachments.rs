//! Attachments end to end: a phone photo with GPS and a PDF with an author travel from the
//! employee's Telegram chat (stand-in) through the real bot to the counsellor's encrypted
//! room, and arrive without their metadata (read with kamadak-exif and lopdf, not with the
//! bot's own code); nothing of them lies unsealed in the data folder; a file of the wrong
//! kind is refused in words; a counsellor's document reaches the employee, cleaned.

use std::io::Cursor;

use crate::util::data_folder::{files_under, holds};
use crate::util::files::msgtype;
use crate::util::fixtures::{self, AUTHOR, PDF_TEXT};
use crate::util::world::{WAIT, World};

fn gps_fields(jpeg: &[u8]) -> Vec<String> {
    match exif::Reader::new().read_from_container(&mut Cursor::new(jpeg)) {
        Ok(exif) => exif
            .fields()
            .map(|f| f.tag.to_string())
            .filter(|t| t.starts_with("GPS"))
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn assert_pdf_has_no_author(pdf: &[u8]) {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF arrives");
    assert!(
        doc.trailer.get(b"Info").is_err(),
        "the info dictionary is gone"
    );
    assert!(
        doc.catalog().unwrap().get(b"Metadata").is_err(),
        "the XMP stream is gone"
    );
    assert!(!holds(pdf, AUTHOR.as_bytes()), "the author's name is gone");
    assert!(holds(pdf, PDF_TEXT.as_bytes()), "the page itself is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn photos_and_documents_arrive_without_metadata_and_never_lie_unsealed() {
    let mut world = World::start().await;
    let eva = world.employee(900_061, "Eva", "eva_bijlage");
    let token = eva.report("Ik heb foto's van de berichten.").await;
    let room = world.anna.join_next_room(WAIT).await;

    // A phone photo with its location, sent as a Telegram photo.
    let photo = fixtures::jpeg_with_gps(1);
    assert!(!gps_fields(&photo).is_empty(), "the fixture has a location");
    eva.send_photo(photo, Some("de chat van gisteren"));
    let image = world
        .anna
        .wait_for_message(&room, |e| msgtype(e) == Some("m.image"), WAIT)
        .await;
    assert!(
        image.was_encrypted,
        "the image event is end-to-end encrypted"
    );
    assert!(
        image.raw["content"]["file"].is_object() && image.raw["content"]["url"].is_null(),
        "the media itself is encrypted: {}",
        image.raw
    );
    assert!(
        image.mentions(&token),
        "named by the case token: {}",
        image.raw
    );
    let received = world.anna.download(&image).await;
    assert_eq!(gps_fields(&received), Vec::<String>::new());
    assert!(!holds(&received, AUTHOR.as_bytes()));
    assert!(!holds(&received, b"Fairphone"));
    image::load_from_memory(&received).expect("still a picture");
    world
        .anna
        .wait_for_message(
            &room,
            |e| e.body.as_deref() == Some("de chat van gisteren"),
            WAIT,
        )
        .await;
    eva.wait_for("zijn er eerst uit gehaald").await;

    // A PDF whose properties and XMP name its author, under a name that names them too.
    eva.send_document(fixtures::pdf_with_author(), "Verslag Jan Jansen.pdf");
    let file = world
        .anna
        .wait_for_message(
            &room,
            |e| msgtype(e) == Some("m.file") && e.mentions(".pdf"),
            WAIT,
        )
        .await;
    assert!(
        !file.mentions("Jansen"),
        "the original name is not passed on"
    );
    assert_pdf_has_no_author(&world.anna.download(&file).await);

    // A voice note loses the tags that name the speaker.
    eva.send_voice(fixtures::opus_with_tags());
    let voice = world
        .anna
        .wait_for_message(&room, |e| msgtype(e) == Some("m.audio"), WAIT)
        .await;
    let audio = world.anna.download(&voice).await;
    assert!(audio.starts_with(b"OggS"), "still an Ogg stream");
    assert!(!holds(&audio, AUTHOR.as_bytes()));

    // A file over the limit (20 MB by default) is refused before it is downloaded.
    eva.send_document(vec![0x25; 21 * 1024 * 1024], "groot.pdf");
    eva.wait_for("Dit bestand is te groot").await;

    // Something the bot does not take is refused in words, and not stored.
    eva.send_document(b"MZ\x90\0\x03 GEWEIGERD-8812 program".to_vec(), "tool.exe");
    eva.wait_for("Dit soort bestand kan ik niet doorgeven")
        .await;

    // The counsellor sends a leaflet back; it arrives cleaned, under its own name.
    world
        .anna
        .send_file(
            &room,
            "Klachtenregeling.pdf",
            "application/pdf",
            fixtures::pdf_with_author(),
        )
        .await;
    let (leaflet, bytes) = eva.wait_for_file("Anna").await;
    assert_pdf_has_no_author(&bytes);
    let shown = eva
        .standin
        .chat_history(eva.chat_id())
        .into_iter()
        .find(|m| m.message_id == leaflet.message_id)
        .expect("in the chat");
    assert_eq!(shown.other_content.as_deref(), Some("document"));
    world
        .anna
        .wait_for_text(&room, "Klachtenregeling.pdf is naar de melder", WAIT)
        .await;

    // What a thief of the data folder gets: no file content, no refused file either.
    world.bot.kill();
    let cleaned_jpeg = confidant::media::prepare_capped(
        fixtures::jpeg_with_gps(1),
        &confidant::media::Caps::for_limit(20 << 20),
    )
    .expect("within the caps")
    .bytes;
    let window = &cleaned_jpeg[cleaned_jpeg.len() / 2..cleaned_jpeg.len() / 2 + 24];
    for path in files_under(&world.data_dir()) {
        let bytes = std::fs::read(&path).expect("readable file");
        for needle in [PDF_TEXT.as_bytes(), b"GEWEIGERD-8812".as_slice(), window] {
            assert!(
                !holds(&bytes, needle),
                "{} holds file content unsealed",
                path.display()
            );
        }
    }
}
