//! Runs the Telegram Bot API stand-in on its own, for the local demo: point the bot at the
//! printed API URL and open the phone page in a browser to chat with it as an employee.

use clap::Parser;
use telegram_standin::StandinOptions;
use tracing_subscriber::EnvFilter;

/// Telegram Bot API stand-in with a browser "phone" for employees.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8081")]
    listen: String,
    /// The bot token the bot will use.
    #[arg(long, env = "TELEGRAM_STANDIN_TOKEN")]
    token: String,
    /// The bot's username, as getMe reports it.
    #[arg(long)]
    bot_username: Option<String>,
    /// Answer repeated getUpdates calls at once instead of throttling them like Telegram.
    #[arg(long)]
    no_poll_throttling: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let args = Args::parse();
    let mut options = StandinOptions::new(args.token);
    if let Some(username) = args.bot_username {
        options.bot_username = username;
    }
    options.throttle_repeated_polls = !args.no_poll_throttling;

    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    let telegram = telegram_standin::serve_with(listener, options).await?;
    println!("Telegram stand-in listening on {}", telegram.addr());
    println!("Bot API URL (teloxide set_api_url): {}", telegram.api_url());
    println!("Phone page for employees: {}", telegram.phone_url());
    tokio::signal::ctrl_c().await?;
    telegram.shutdown();
    Ok(())
}
