//! `confidant run`: open the store, connect the networks, and run the pollers, the
//! delivery worker and the scheduler until shutdown.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::clock::SystemClock;
use super::engine::Engine;
use super::{delivery, scheduler};
use crate::channels::Router;
use crate::channels::matrix;
use crate::channels::telegram::{self, Telegram};
use crate::config::Config;
use crate::store::Store;
use crate::watchdog::{self, Watchdog};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("master key: {0}")]
    MasterKey(#[from] crate::crypto::MasterKeyError),
    #[error("data folder: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Matrix(#[from] matrix::MatrixError),
    #[error(transparent)]
    Telegram(#[from] telegram::reqwest_error::BuildError),
    #[error(transparent)]
    Engine(#[from] super::EngineError),
    #[error("a part of the bot stopped unexpectedly (see the log)")]
    TaskStopped,
    #[error("cannot start the watchdog: {0}")]
    Watchdog(std::io::Error),
    #[error("health.listen: cannot listen on {0}: {1}")]
    HealthListen(std::net::SocketAddr, std::io::Error),
}

/// Runs the bot until `shutdown` is cancelled.
pub async fn run(config: Config, shutdown: CancellationToken) -> Result<(), RunError> {
    let master = config.master_key.load()?;
    tracing::info!("opening the data folder");
    let store = Store::open(&config.data_dir, &master)?;
    drop(master);
    tracing::info!("connecting to Matrix");
    let watchdog = Watchdog::default();
    watchdog.watch(store.flusher_pulse());
    watchdog
        .spawn(config.stall_after, watchdog::exit_stalled)
        .map_err(RunError::Watchdog)?;
    let mut matrix = matrix::connect(&config.matrix, &config.data_dir, &store).await?;
    matrix.hr_rooms = config
        .service
        .all()
        .iter()
        .filter_map(|core| core.settings.hr_room.clone())
        .collect();
    let telegram = config
        .telegram
        .as_ref()
        .map(|t| Telegram::new(t, &watchdog, config.service.first().catalog.clone()))
        .transpose()?;
    // Counsellors may verify the bot; the operator confirms its side (`confidant verify`).
    matrix::listen_for_verifications(
        &matrix.client,
        Arc::new(config.service.roster()),
        config.data_dir.clone(),
    );
    let telegram_enabled = telegram.is_some();
    let engine = Arc::new(
        Engine::new(config.service, store, Arc::new(SystemClock)).with_telegram(telegram_enabled),
    );
    watchdog.watch(engine.pulse());
    engine.arm_system_timers().await?;
    tracing::info!(
        outbox = engine.store.outbox_len(),
        timers = engine.store.timer_count(),
        "confidant is running"
    );

    let router = Arc::new(Router {
        engine: engine.clone(),
        telegram: telegram.clone(),
        matrix: matrix.clone(),
    });
    let mut tasks = tokio::task::JoinSet::new();
    tasks.spawn(delivery::run(
        engine.clone(),
        router,
        watchdog.clone(),
        shutdown.clone(),
    ));
    tasks.spawn(super::disk_guard::run(engine.clone(), shutdown.clone()));
    tasks.spawn(scheduler::run(
        engine.clone(),
        watchdog.pulse("scheduler"),
        shutdown.clone(),
    ));
    tasks.spawn(matrix::sync(
        engine.clone(),
        matrix,
        watchdog.pulse("Matrix sync"),
        shutdown.clone(),
    ));
    if let Some(telegram) = telegram {
        tasks.spawn(telegram::poll(
            engine.clone(),
            telegram,
            watchdog.pulse("Telegram poller"),
            shutdown.clone(),
        ));
    }
    if let Some(address) = config.health_listen {
        super::health_http::serve(engine.clone(), address, shutdown.clone())
            .await
            .map_err(|e| RunError::HealthListen(address, e))?;
    }
    // Backups and reports ask the running bot for a copy of its data (see `backup`).
    if let Err(error) =
        super::backup::serve(engine.clone(), config.data_dir.clone(), shutdown.clone()).await
    {
        tracing::warn!(%error, "no control socket: backups and reports need the bot stopped");
    }
    // Ready for systemd once Telegram and the homeserver have each answered once.
    let health = engine.health.clone();
    tokio::spawn(async move {
        health.wait_ready().await;
        tracing::info!("ready: Telegram and Matrix answer");
        watchdog::notify_ready();
    });
    // A task that ends before shutdown (a panic, say) leaves the bot half-working; stop
    // everything instead, so the service manager restarts a whole bot.
    let mut failed = false;
    while let Some(result) = tasks.join_next().await {
        watchdog::notify_stopping();
        if !shutdown.is_cancelled() {
            failed = true;
            tracing::error!(
                panicked = result.is_err(),
                "a part of the bot stopped unexpectedly; shutting down"
            );
            shutdown.cancel();
        }
    }
    engine.store.flush().await?;
    if failed {
        return Err(RunError::TaskStopped);
    }
    tracing::info!("confidant stopped");
    Ok(())
}
