//! Two organisations on one bot, end to end: a real Synapse, the real binary, the
//! Telegram stand-in. Acme's counsellor is Anna, Beta's is Bram. An employee without a
//! code is asked for one and nothing is kept; each organisation's deep link (and Beta's
//! code typed as a first message on Matrix) leads to its own counsellor, in rooms no one
//! of the other organisation is in; each counsellor's digest lists their own cases; each organisation's report counts its own case only; and each
//! poster's QR code (read back by resvg and rqrr) holds its own deep link.

use std::collections::BTreeSet;

use matrix_sdk::RoomMemberships;

use crate::util::command::confidant_cli;
use crate::util::counsellor::MatrixPeer;
use crate::util::matrix_employee::bot_says;
use crate::util::tempdir::scratch_dir;
use crate::util::world::{WAIT, World};

const ACME_CODE: &str = "acme-Qx7fK2pLm9Zr4TwB";
const BETA_CODE: &str = "beta-8HsN3vQw5YcJ1uEd";
const USERNAME: &str = "ConfidantTestBot";

#[tokio::test(flavor = "multi_thread")]
async fn two_organisations_on_one_bot_never_cross() {
    let mut world = World::start().await;
    let bram_user = world.synapse.register("bram", "bram-password", false).await;
    let bram = MatrixPeer::login(&world.synapse, &bram_user).await;
    let config = world.dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let anna_id = world.anna_user.user_id.to_string();
    let bram_id = bram_user.user_id.to_string();
    let text = text
        .replacen(
            "[organisation]\nname = \"Testbedrijf\"\n",
            &format!(
                r#"[[organisation]]
id = "acme"
name = "Acme BV"
code = "{ACME_CODE}"
counsellors = ["{anna_id}"]

[[organisation]]
id = "beta"
name = "Beta Zorg"
code = "{BETA_CODE}"
counsellors = ["{bram_id}"]
"#
            ),
            1,
        )
        .replacen(
            "poll_timeout_seconds = 2",
            &format!("poll_timeout_seconds = 2\nusername = \"{USERNAME}\""),
            1,
        );
    // Due within a day, and past the digest hour at any start: a restart sends each
    // counsellor their digest (as in tests/digest.rs).
    let text = format!(
        "{text}\n[[counsellor]]\nmatrix_id = \"{bram_id}\"\nfirst_name = \"Bram\"\ngender = \"male\"\n\n[deadlines]\nfirst_contact = \"23h\"\nreminders = [\"4h\"]\ndigest_hour = 0\n"
    );
    std::fs::write(&config, text).unwrap();
    world.bot.kill();
    world.bot.start();
    world.bot.wait_until_running().await;

    // No code: asked for one, and nothing about any organisation is said.
    let zoe = world.employee(7601, "Zoë", "zoe_nocode");
    zoe.say("/start");
    let asked = zoe.wait_for("code van uw organisatie").await.text;
    for never in ["Acme", "Beta", "Anna", "Bram"] {
        assert!(!asked.contains(never), "{never} named: {asked}");
    }

    // Acme through its deep link, Beta through its code typed as a first message.
    let acme_story = "Bij Acme scheldt de ploegleider op iedereen";
    let beta_story = "Bij Beta houdt een collega mij na het werk op";
    let eva = world.employee(7602, "Eva", "eva_acme");
    let finn = world.employee(7603, "Finn", "finn_beta");
    let eva_token = eva
        .report_from(&format!("/start {ACME_CODE}"), acme_story)
        .await;
    assert!(
        eva.received()
            .iter()
            .any(|m| m.text.contains("Acme BV") && m.text.contains("Anna")),
        "Eva was welcomed by Acme's counsellors"
    );
    let finn_token = finn
        .report_from(&format!("/start {BETA_CODE}"), beta_story)
        .await;
    assert!(
        finn.received()
            .iter()
            .any(|m| m.text.contains("Beta Zorg") && m.text.contains("Bram"))
    );
    // On Matrix: a first message without the code is answered with the question for
    // it; the code typed as a message starts Beta's intake.
    let (mila, dm) = world.matrix_employee("mila").await;
    let bot_id = world.bot_user.user_id.clone();
    mila.send_text(&dm, "hallo").await;
    bot_says(&mila, &dm, &bot_id, "code van uw organisatie").await;
    mila.send_text(&dm, BETA_CODE).await;
    bot_says(
        &mila,
        &dm,
        &bot_id,
        "vertrouwenspersonen van Beta Zorg: Bram",
    )
    .await;

    let acme_room = world.anna.join_next_room(WAIT).await;
    world.anna.wait_for_text(&acme_room, acme_story, WAIT).await;
    let beta_room = bram.join_next_room(WAIT).await;
    bram.wait_for_text(&beta_room, beta_story, WAIT).await;

    // Each room holds the bot and its own counsellor, joined or invited, and no one else.
    let bot = world.bot_user.user_id.to_string();
    for (peer, room, counsellor) in [
        (&world.anna, &acme_room, &anna_id),
        (&bram, &beta_room, &bram_id),
    ] {
        let members: BTreeSet<String> = peer
            .client()
            .get_room(room)
            .expect("the room")
            .members(RoomMemberships::ACTIVE)
            .await
            .expect("members")
            .iter()
            .map(|m| m.user_id().to_string())
            .collect();
        assert_eq!(
            members,
            BTreeSet::from([bot.clone(), counsellor.clone()]),
            "{room}"
        );
    }
    assert!(!world.anna.joined_rooms().await.contains(&beta_room));
    assert!(!bram.joined_rooms().await.contains(&acme_room));
    // Digests (before anyone answered, so both cases are due): a restart sends each
    // counsellor their own organisation's cases only.
    world.bot.restart();
    world.bot.wait_until_running().await;
    let anna_dm = world.anna.wait_for_invite(WAIT).await.room_id;
    let bram_dm = bram.wait_for_invite(WAIT).await.room_id;
    let anna_digest = world
        .anna
        .wait_for_text(&anna_dm, &eva_token, WAIT)
        .await
        .body
        .unwrap_or_default();
    let bram_digest = bram
        .wait_for_text(&bram_dm, &finn_token, WAIT)
        .await
        .body
        .unwrap_or_default();
    assert!(anna_digest.contains("Acme BV"), "{anna_digest}");
    assert!(
        !anna_digest.contains(&finn_token) && !anna_digest.contains("Beta"),
        "{anna_digest}"
    );
    assert!(bram_digest.contains("Beta Zorg"), "{bram_digest}");
    assert!(
        !bram_digest.contains(&eva_token) && !bram_digest.contains("Acme"),
        "{bram_digest}"
    );

    // And each relays to its own employee.
    world
        .anna
        .send_text(&acme_room, "Hallo Eva, met Anna van Acme.")
        .await;
    bram.send_text(&beta_room, "Hallo Finn, met Bram van Beta.")
        .await;
    eva.wait_for("met Anna van Acme").await;
    finn.wait_for("met Bram van Beta").await;
    assert!(!eva.received().iter().any(|m| m.text.contains("Bram")));
    assert!(!finn.received().iter().any(|m| m.text.contains("Anna")));

    // A second Acme case, so Acme's count (2) is above the threshold and shown, while
    // Beta's one case stays below it: neither counts the other's.
    let gijs = world.employee(7604, "Gijs", "gijs_acme");
    gijs.report_from(&format!("/start {ACME_CODE}"), "Ook bij Acme gebeurt het")
        .await;
    let second = world.anna.join_next_room(WAIT).await;
    world
        .anna
        .wait_for_text(&second, "Ook bij Acme gebeurt het", WAIT)
        .await;

    // Reports: each organisation counts its own cases; none without naming it.
    let config = config.to_str().unwrap();
    let year = jiff::Zoned::now().year().to_string();
    let report = |organisation: Option<&str>| {
        let mut args = vec![
            "report",
            "--config",
            config,
            "--year",
            &year,
            "--format",
            "json",
            "--threshold",
            "2",
            "--out",
            "-",
        ];
        if let Some(id) = organisation {
            args.extend(["--organisation", id]);
        }
        confidant_cli(&args)
    };
    let (ok, _, err) = report(None);
    assert!(
        !ok && err.contains("--organisation") && err.contains("acme, beta"),
        "{err}"
    );
    let (ok, out, err) = report(Some("acme"));
    assert!(ok, "{err}");
    let acme: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(acme["organisation"], "Acme BV");
    assert_eq!(acme["contacts"]["count"], 2, "{acme:#}");
    let (ok, out, err) = report(Some("beta"));
    assert!(ok, "{err}");
    let beta: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(beta["organisation"], "Beta Zorg");
    assert_eq!(beta["contacts"], "below", "{beta:#}");

    // Posters: each QR code holds its own organisation's deep link.
    let out_dir = scratch_dir("posters");
    for (id, code) in [("acme", ACME_CODE), ("beta", BETA_CODE)] {
        let (ok, out, err) = confidant_cli(&[
            "poster",
            "--config",
            config,
            "--organisation",
            id,
            "--out-dir",
            out_dir.path().to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        assert!(out.contains(&format!("poster-{id}.pdf")), "{out}");
        let svg = std::fs::read_to_string(out_dir.path().join(format!("poster-{id}.svg")))
            .expect("the SVG");
        assert_eq!(
            crate::util::qr::scan_svg(&svg),
            format!("https://t.me/{USERNAME}?start={code}")
        );
        let pdf = std::fs::read(out_dir.path().join(format!("poster-{id}.pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{id}: no PDF");
    }
}
