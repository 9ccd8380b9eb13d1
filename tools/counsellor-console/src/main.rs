//! `counsellor-console`: a tiny web app standing in for a counsellor's Element in the
//! local demo (deploy/local/demo.sh). It logs in to the homeserver as one counsellor
//! (end-to-end encryption on, its device kept across restarts), accepts every room
//! invite, and serves on loopback a page listing the case rooms, showing their decrypted
//! messages and letting the counsellor write in them.
//!
//! It is a demo tool, not a product: no authentication of its own (loopback only), no
//! attachments, no verification. Logs never carry message text or user ids.

mod error;
mod rooms;
mod session;
mod state;
mod sync;
mod view;
mod web;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use crate::error::ConsoleError;
use crate::state::{Console, Me};

/// A counsellor's stand-in for Element, for the local confidant demo.
#[derive(Parser)]
#[command(name = "counsellor-console", version)]
struct Args {
    /// The homeserver's base URL, e.g. http://127.0.0.1:8008
    #[arg(long)]
    homeserver: String,
    /// The counsellor's Matrix user id, e.g. @anna:localhost
    #[arg(long)]
    user: String,
    /// The counsellor's password (used for the first login only).
    #[arg(long, env = "COUNSELLOR_CONSOLE_PASSWORD", hide_env_values = true)]
    password: String,
    /// Folder for the encryption store and the saved session; keep it to keep the device.
    #[arg(long)]
    store: PathBuf,
    /// Where to serve the page; loopback addresses only.
    #[arg(long, default_value = "127.0.0.1:8082")]
    listen: SocketAddr,
    /// Display name to set on the profile (as one would in Element), e.g. Anna.
    #[arg(long)]
    display_name: Option<String>,
}

/// Keep the SDKs quiet: their logs may name rooms and users. The SDK's HTTP client logs
/// every failed request as an error, including the 404s that are a normal part of
/// setting up encryption; failures that matter reach this binary as errors anyway.
const DEFAULT_LOG_FILTER: &str = "info,matrix_sdk=error,matrix_sdk::http_client=off,matrix_sdk_base=error,matrix_sdk_crypto=error,matrix_sdk_sqlite=error,matrix_sdk_common=error,ruma=error,hyper=warn,reqwest=warn";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One readable line for the demo's log, not anyhow's debug dump.
            eprintln!("counsellor-console: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CONSOLE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person watching, not in the demo's log files.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let args = Args::parse();
    if !args.listen.ip().is_loopback() {
        return Err(ConsoleError::NotLoopback(args.listen).into());
    }
    // Bind first: a taken port should fail before a login creates a device.
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;

    let login = session::Login {
        homeserver: &args.homeserver,
        user: &args.user,
        password: &args.password,
        store: &args.store,
    };
    let client = session::connect(&login).await?;
    let user_id = client.user_id().ok_or(ConsoleError::NoSession)?.to_owned();
    let name = profile_name(&client, args.display_name.as_deref()).await;
    let console = Console::new(
        client,
        Me {
            name: view::display_name(&user_id, name),
            user_id,
        },
    );

    let sync = tokio::spawn(sync::run(console.clone(), args.store.clone()));
    let app = web::router(console);
    println!("counsellor console on http://{}/", args.listen);
    // Not a graceful shutdown: that would wait out the page's open long polls, and
    // nothing here needs finishing (the SDK's stores are written as it goes).
    tokio::select! {
        served = axum::serve(listener, app) => served.context("the web server stopped")?,
        synced = sync => synced.context("the sync task panicked")??,
        () = shutdown_signal() => tracing::info!("stopping"),
    }
    Ok(())
}

/// Sets the display name if asked to (and it differs), then reads it back. A failure
/// here only costs the nicer name, so it is logged, not fatal.
async fn profile_name(client: &matrix_sdk::Client, wanted: Option<&str>) -> Option<String> {
    let account = client.account();
    let current = match account.get_display_name().await {
        Ok(name) => name,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the profile's display name");
            None
        }
    };
    match wanted {
        Some(wanted) if current.as_deref() != Some(wanted) => {
            match account.set_display_name(Some(wanted)).await {
                Ok(()) => Some(wanted.to_owned()),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot set the display name");
                    current
                }
            }
        }
        _ => current,
    }
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
