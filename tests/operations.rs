//! Running it for years, as an administrator does: the Matrix password is needed only
//! for the first login; without it and without a session, the bot says what to do.

use std::time::Duration;

use crate::util::world::{WAIT, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_matrix_password_is_needed_only_until_the_first_login() {
    let mut world = World::start().await;
    world
        .bot
        .terminate(Duration::from_secs(10))
        .await
        .expect("stops");
    let config = std::fs::read_to_string(&world.bot.config).unwrap();
    let without: String = config
        .lines()
        .filter(|line| !line.trim_start().starts_with("password"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(without, config, "the password line was there");
    std::fs::write(&world.bot.config, &without).unwrap();
    world.bot.start();
    world.bot.wait_until_running().await;
    let (eva, room) = world
        .open_case(900_401, "eva_o", "Mijn leidinggevende negeert mij.")
        .await;
    world.anna.send_text(&room, "Ik bel u.").await;
    eva.wait_for("Anna: Ik bel u.").await;

    // A fresh data folder has no session: it says what to do, and stops.
    world.bot.kill();
    std::fs::rename(world.data_dir(), world.dir.path().join("data-old")).unwrap();
    world.bot.start();
    let status = world
        .bot
        .wait_for_exit(WAIT)
        .await
        .expect("it stops by itself");
    assert!(!status.success());
    let log = world.bot.log_text();
    assert!(
        log.contains("set matrix.password (or CONFIDANT_MATRIX_PASSWORD) for this first start"),
        "{log}"
    );
}

/// `/health`, `/metrics` and `confidant status` on the loopback listener: readiness after
/// Telegram and Matrix answered, the case counts, and no token, id or text anywhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn health_metrics_and_status_tell_a_monitor_how_the_bot_is() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let extra = format!("[health]\nlisten = \"127.0.0.1:{port}\"\n");
    let world = World::start_with(&extra).await;
    world
        .bot
        .wait_for_log("ready: Telegram and Matrix answer", WAIT)
        .await;
    let (eva, room) = world
        .open_case(900_402, "eva_m", "Er wordt steeds over mij gelachen.")
        .await;
    world.anna.send_text(&room, "Ik lees mee.").await;
    eva.wait_for("Anna: Ik lees mee.").await;
    let token = world.anna.room_name(&room).await.expect("the token");

    let client = crate::util::synapse::loopback_http_client();
    let get = |path: &'static str| {
        let client = client.clone();
        async move {
            let answer = client
                .get(format!("http://127.0.0.1:{port}{path}"))
                .send()
                .await
                .expect("the listener answers");
            (answer.status().as_u16(), answer.text().await.unwrap())
        }
    };
    let (status, health) = get("/health").await;
    assert_eq!(status, 200, "{health}");
    let health: serde_json::Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["ready"], true);
    assert!(
        health["telegram"]["last_answer_seconds_ago"]
            .as_f64()
            .unwrap()
            < 60.0
    );
    assert!(
        health["matrix"]["last_answer_seconds_ago"]
            .as_f64()
            .unwrap()
            < 60.0
    );
    assert_eq!(health["cases_open"], 1, "{health}");
    assert_eq!(health["cases_near_deadline_without_contact"], 0, "{health}");

    let (status, metrics) = get("/metrics").await;
    assert_eq!(status, 200);
    for line in [
        "confidant_ready 1",
        "confidant_cases_open 1",
        "confidant_cases_past_deadline_without_contact 0",
        "confidant_outbox_depth{network=\"telegram\"}",
        "confidant_dead_letters 0",
        "confidant_delivery_seconds_count{network=\"telegram\"}",
        "confidant_delivery_seconds_bucket{network=\"matrix\",le=\"+Inf\"}",
    ] {
        assert!(metrics.contains(line), "{line} in:\n{metrics}");
    }
    let telegram_deliveries: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("confidant_delivery_seconds_count{network=\"telegram\"} "))
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert!(telegram_deliveries > 0, "deliveries were timed");
    for secret in [
        token.as_str(),
        &eva.chat_id().to_string(),
        "gelachen",
        "Ik lees mee",
        room.as_str(),
        "anna",
    ] {
        assert!(!metrics.contains(secret), "{secret} leaks into /metrics");
    }

    let out = std::process::Command::new(crate::util::checkout::confidant_binary())
        .args(["status", "--config"])
        .arg(&world.bot.config)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(": ready"), "{text}");
    assert!(text.contains("open cases: 1 (0 past"), "{text}");
    assert!(!text.contains(&token), "{text}");
}
