//! The `confidant` binary: parse the command line, set up logging, and hand over to the
//! library. Errors meet `anyhow` here, at the edge, and nowhere else.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "confidant",
    version,
    about = "Anonymous reporting chatbot and messaging gateway for confidential counsellors"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot.
    Run {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
    },
    /// Write a new master key file (mode 0600). Refuses to overwrite an existing file.
    Keygen {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Check the configuration, dialogs and locales, and print every problem found, and
    /// where each secret comes from. Reads the secrets as the service would: from the
    /// environment file (default: secrets.env beside the config file, if there is one),
    /// then the environment.
    CheckConfig {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        /// The unit's `EnvironmentFile=` (e.g. /etc/confidant/secrets.env).
        #[arg(long, value_name = "FILE")]
        env_file: Option<PathBuf>,
    },
    /// Ask the running bot how it is (its `[health] listen` address): readiness, when
    /// Telegram and Matrix last answered, open cases and deadlines, what waits to be
    /// delivered. Exits 0 when ready, 2 when cases are past their deadline without
    /// contact, 1 when the bot is not ready or does not answer.
    Status {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
    },
    /// Check the data folder: cases that do not open, damaged outbox entries and timers,
    /// dead letters, and what was set aside (no content is shown). Stop the bot first.
    /// Exits 1 when something is damaged.
    CheckStore {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        /// Set damaged outbox entries and timers aside (as the running bot would).
        #[arg(long)]
        repair: bool,
    },
    /// Vouch for the bot's side when a counsellor verifies it from Element: list the
    /// verifications waiting, and confirm one by typing what the counsellor sees.
    Verify {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        #[command(subcommand)]
        action: VerifyAction,
    },
    /// Clean one file's metadata: the file on standard input, a header line and the
    /// cleaned bytes on standard output. The bot runs this itself, under hard limits.
    #[command(hide = true)]
    CleanFile {
        #[arg(long)]
        max_file_bytes: u64,
    },
    /// Write the yearly report for management and the works council, or (--month with
    /// --hours) the monthly hours statement for invoicing, from the anonymous
    /// registrations (small counts suppressed). Reads a copy of the store (through the
    /// running bot, if it runs): the data folder is never written.
    Report {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        /// The calendar year to report on (the yearly report).
        #[arg(long, required_unless_present = "month", conflicts_with = "month")]
        year: Option<i16>,
        /// With --hours: the month (YYYY-MM) of the hours statement for invoicing:
        /// requests and hours per unit.
        #[arg(long, value_name = "YYYY-MM", requires = "hours")]
        month: Option<String>,
        /// The monthly hours statement (with --month).
        #[arg(long, requires = "month")]
        hours: bool,
        #[arg(long, value_enum, default_value = "markdown")]
        format: confidant::app::ReportFormat,
        /// Language of the report (a folder in locales/); default: the organisation's.
        #[arg(long = "lang", value_name = "CODE")]
        lang: Option<String>,
        /// Output file (`-` for standard output, Markdown then without charts);
        /// default: confidant-report-YEAR.md/.csv/.json here. Charts go beside it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Print counts under this as "< N" (default: privacy.report_threshold, 5).
        #[arg(long)]
        threshold: Option<u64>,
        /// The organisation to report on (its `id`); required when the bot serves several.
        #[arg(long, value_name = "ID")]
        organisation: Option<String>,
    },
    /// Write the printable poster for an organisation's staff room (SVG and PDF): what
    /// the counsellors do, their first names, and the QR code and link that lead to the
    /// organisation's own conversation.
    Poster {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        /// The organisation (its `id`); required when the bot serves several.
        #[arg(long, value_name = "ID")]
        organisation: Option<String>,
        /// Language of the poster; default: the organisation's.
        #[arg(long = "lang", value_name = "CODE")]
        lang: Option<String>,
        /// The folder to write poster-<id>.svg and .pdf into (default: here).
        #[arg(long, value_name = "DIR", default_value = ".")]
        out_dir: PathBuf,
    },
    /// Back up the data folder (store, case key files, Matrix databases) into a new file,
    /// while the bot runs: it makes the copy at one moment. Not the master key: keep
    /// that apart. Run as root or the service's user.
    Backup {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        /// The backup file to write (must not exist yet; mode 0600).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Make the data folder from a backup (a new machine, or a folder moved aside). The
    /// config's master key must be the one the backup was made with.
    Restore {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Move the data folder to a new master key (made with `keygen`), then put that key
    /// in the configured key file's place. Stop the bot first; if this is interrupted,
    /// run it again with the same new key.
    RotateKey {
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        #[arg(long, value_name = "FILE")]
        new_key: PathBuf,
    },
}

#[derive(Subcommand)]
enum VerifyAction {
    /// Show the verifications waiting: who is verifying, and the bot's emoji and numbers.
    List,
    /// Confirm the bot's side: type the three numbers or the seven emoji names the
    /// counsellor reads out from their screen. Anything else cancels the verification.
    Confirm {
        id: String,
        #[arg(required = true, num_args = 1..)]
        seen: Vec<String>,
    },
    /// Refuse a verification (the counsellor's emoji did not match, or nobody asked).
    Reject { id: String },
}

/// Logs carry counts, timings and case ids at most; the SDKs' own logs are kept to errors
/// because they may name rooms and users.
const DEFAULT_LOG_FILTER: &str = "info,matrix_sdk::http_client=off,matrix_sdk::room=off,matrix_sdk=error,matrix_sdk_base=error,matrix_sdk_crypto=error,matrix_sdk_sqlite=error,matrix_sdk_common=error,ruma=error,teloxide=error,teloxide_core=error,hyper=warn,reqwest=warn,sled=warn";

fn main() -> ExitCode {
    // Whatever the shell's umask, what the bot creates (its data, keys, reports) is its
    // own: files 0600, folders 0700.
    confidant::app::private_files();
    let cli = Cli::parse();
    match cli.command {
        Command::Keygen { out } => report(keygen(&out)),
        Command::CheckConfig { config, env_file } => check_config(&config, env_file.as_deref()),
        Command::CheckStore { config, repair } => check_store(&config, repair),
        Command::Status { config } => status(&config),
        Command::Verify { config, action } => report(verify(&config, action)),
        Command::CleanFile { max_file_bytes } => confidant::media::serve_child(max_file_bytes),
        Command::Report {
            config,
            year,
            month,
            hours: _,
            format,
            lang,
            out,
            threshold,
            organisation,
        } => report((|| {
            // clap has made sure there is exactly one of them.
            let period = match (year, month) {
                (Some(year), _) => confidant::app::ReportPeriod::Year(year),
                (None, Some(month)) => confidant::app::ReportPeriod::month(&month)?,
                (None, None) => anyhow::bail!("--year or --month is needed"),
            };
            write_report(
                &config,
                confidant::app::ReportOptions {
                    period,
                    format,
                    lang,
                    out,
                    threshold,
                    organisation,
                },
            )
        })()),
        Command::Poster {
            config,
            organisation,
            lang,
            out_dir,
        } => report(write_poster(
            &config,
            confidant::app::poster::PosterOptions {
                organisation,
                lang,
                out_dir,
            },
        )),
        Command::Backup { config, out } => report(backup(&config, &out)),
        Command::Restore { config, from } => report(restore(&config, &from)),
        Command::RotateKey { config, new_key } => report(rotate_key(&config, &new_key)),
        Command::Run { config } => {
            init_logging();
            quiet_panics();
            // Files are cleaned in child processes of this binary, under hard limits.
            match std::env::current_exe() {
                Ok(exe) => confidant::media::clean_in_child_processes(exe),
                Err(e) => {
                    tracing::warn!(error = %e, "cleaning files in-process: own binary not found")
                }
            }
            report(run(&config))
        }
    }
}

/// A panic's message may quote what it was working on (a message, an id): the log gets
/// where it happened, never what it says. The core's panics are caught and set aside
/// (see the engine); any other ends its task and the bot, for a clean restart.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let thread = std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_owned();
        tracing::error!(
            at,
            thread,
            "a panic (its message is not logged: it may hold content)"
        );
    }));
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CONFIDANT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER));
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}

fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("confidant: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn keygen(out: &std::path::Path) -> anyhow::Result<()> {
    // A missing folder is made, for the key alone: mode 0700.
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.exists()
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .with_context(|| {
                format!(
                    "cannot create the folder {} (run this as root, or create it first: `install -d -m 0700 {}`)",
                    parent.display(),
                    parent.display()
                )
            })?;
        println!("created the folder {} (mode 0700)", parent.display());
    }
    confidant::crypto::MasterKey::generate().write_new(out)?;
    println!(
        "wrote a new master key to {} (mode 0600); keep a copy apart from the data folder",
        out.display()
    );
    Ok(())
}

fn write_report(
    path: &std::path::Path,
    options: confidant::app::ReportOptions,
) -> anyhow::Result<()> {
    let config = load_offline(path)?;
    for file in confidant::app::write_report(&config, &options)? {
        println!("wrote {}", file.display());
    }
    Ok(())
}

fn write_poster(
    path: &std::path::Path,
    options: confidant::app::poster::PosterOptions,
) -> anyhow::Result<()> {
    let config = load_offline(path)?;
    for file in confidant::app::poster::write_poster(&config, &options)? {
        println!("wrote {}", file.display());
    }
    Ok(())
}

fn backup(path: &std::path::Path, out: &std::path::Path) -> anyhow::Result<()> {
    let config = load_offline(path)?;
    let made = confidant::app::backup::backup(&config, out)?;
    println!(
        "wrote {} ({} bytes; {} records, {} case key files, {} Matrix files), taken {}",
        out.display(),
        made.bytes,
        made.records,
        made.key_files,
        made.matrix_files,
        if made.through_bot {
            "by the running bot"
        } else {
            "with the bot stopped"
        }
    );
    println!("keep it apart from the master key; both are needed to restore");
    Ok(())
}

fn restore(path: &std::path::Path, from: &std::path::Path) -> anyhow::Result<()> {
    let config = load_offline(path)?;
    let restored = confidant::app::backup::restore(&config, from)?;
    println!(
        "restored {} from the backup made {} by confidant {}: {} cases, {} messages waiting to be sent, {} Matrix files",
        config.data_dir.display(),
        restored.made_at,
        restored.made_by,
        restored.cases,
        restored.outbox,
        restored.matrix_files
    );
    println!(
        "start the bot now; if the old one may still run somewhere, stop it first (two bots on one account answer twice)"
    );
    Ok(())
}

fn rotate_key(path: &std::path::Path, new_key: &std::path::Path) -> anyhow::Result<()> {
    let config = load_offline(path)?;
    let done = confidant::app::rotate_key(&config, new_key)?;
    let rotated = &done.rotated;
    if rotated.already {
        println!("the data folder was on the new key already");
    } else {
        println!(
            "rotated: {} case key files wrapped again, {} records sealed again{}",
            rotated.key_files,
            rotated.records,
            match rotated.unreadable {
                0 => String::new(),
                n => format!(
                    "; {n} were damaged before and left as they were (see `confidant check-store`)"
                ),
            }
        );
    }
    match &done.installed {
        Some(file) => println!(
            "the new key is now {}; backups made before this need the old key",
            file.display()
        ),
        None => println!(
            "the key comes from the environment: put the new key (from {}) there before starting the bot",
            new_key.display()
        ),
    }
    Ok(())
}

fn load_offline(path: &std::path::Path) -> anyhow::Result<confidant::config::Config> {
    confidant::config::load_offline(path)
        .map_err(|problems| anyhow::anyhow!("the configuration has problems:\n{problems}"))
}

fn verify(path: &std::path::Path, action: VerifyAction) -> anyhow::Result<()> {
    use confidant::app::verification_desk::Desk;
    let config = load_offline(path)?;
    let desk = Desk::new(&config.data_dir);
    match action {
        VerifyAction::List => {
            let waiting = desk.waiting()?;
            if waiting.is_empty() {
                println!("no verification is waiting");
            }
            for w in waiting {
                let emoji: Vec<String> = w
                    .emoji
                    .iter()
                    .map(|(symbol, name)| format!("{symbol} {name}"))
                    .collect();
                println!("{}  {}", w.id, w.counsellor);
                println!("    emoji:   {}", emoji.join(", "));
                println!(
                    "    numbers: {} {} {}",
                    w.decimals[0], w.decimals[1], w.decimals[2]
                );
            }
            println!(
                "Ask the counsellor to read out what their screen shows; do not read these to them."
            );
        }
        VerifyAction::Confirm { id, seen } => {
            desk.confirm(&id, &seen)?;
            println!("confirmed: the bot's side of verification {id} matches");
        }
        VerifyAction::Reject { id } => {
            desk.reject(&id)?;
            println!("verification {id} is refused");
        }
    }
    Ok(())
}

fn status(path: &std::path::Path) -> ExitCode {
    let asked = confidant::config::load_offline(path)
        .map_err(|problems| anyhow::anyhow!("the configuration has problems:\n{problems}"))
        .and_then(|config| {
            let address = config.health_listen.ok_or_else(|| {
                anyhow::anyhow!(
                    "health.listen is not set in {}: set it (e.g. \"127.0.0.1:9464\") and restart the bot",
                    path.display()
                )
            })?;
            let runtime = tokio::runtime::Runtime::new()?;
            let health = runtime.block_on(async {
                let answer = reqwest::Client::new()
                    .get(format!("http://{address}/health"))
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await
                    .with_context(|| format!("the bot does not answer on {address}"))?;
                let text = answer.text().await?;
                anyhow::Ok(serde_json::from_str::<serde_json::Value>(&text)?)
            })?;
            Ok((address, health))
        });
    let (address, health) = match asked {
        Ok(asked) => asked,
        Err(e) => {
            eprintln!("confidant: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let number = |key: &str| health[key].as_u64().unwrap_or(0);
    let ago = |network: &serde_json::Value| match network["last_answer_seconds_ago"].as_f64() {
        Some(seconds) => format!("last answered {seconds:.0} s ago"),
        None => "has not answered yet".to_owned(),
    };
    let ready = health["ready"].as_bool().unwrap_or(false);
    println!(
        "confidant on {address}: {} (up {} s)",
        if ready { "ready" } else { "NOT READY" },
        number("uptime_seconds")
    );
    if !health["telegram"].is_null() {
        println!("  Telegram: {}", ago(&health["telegram"]));
    }
    println!("  Matrix: {}", ago(&health["matrix"]));
    let past = number("cases_past_deadline_without_contact");
    println!(
        "  open cases: {} ({past} past the first-contact deadline without contact, {} within 12 hours of it)",
        number("cases_open"),
        number("cases_near_deadline_without_contact"),
    );
    println!(
        "  waiting to be delivered: {} to Telegram, {} to Matrix",
        number("outbox_telegram"),
        number("outbox_matrix")
    );
    println!(
        "  dead letters: {}; set aside: {}; cases that do not open: {}",
        number("dead_letters"),
        number("quarantined"),
        number("cases_unreadable")
    );
    println!(
        "  since the start: {} reminders, {} escalations",
        number("reminders_sent"),
        number("escalations_sent")
    );
    if !ready {
        ExitCode::FAILURE
    } else if past > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn check_store(path: &std::path::Path, repair: bool) -> ExitCode {
    let checked = confidant::config::load_offline(path)
        .map_err(|problems| anyhow::anyhow!("the configuration has problems:\n{problems}"))
        .and_then(|config| Ok(confidant::app::check_store(&config, repair)?));
    let report = match checked {
        Ok(report) => report,
        Err(e) => {
            eprintln!("confidant: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let fixed = if repair { " (set aside now)" } else { "" };
    println!("cases: {}", report.cases);
    for case in &report.unreadable_cases {
        println!(
            "  case {} does not open: restore its key file (keys/{}.key) from a backup",
            case.to_hex(),
            case.to_hex()
        );
    }
    println!(
        "outbox entries: {} ({} damaged{fixed})",
        report.outbox, report.unreadable_outbox
    );
    println!(
        "timers: {} ({} damaged{fixed})",
        report.timers, report.unreadable_timers
    );
    println!("dead letters: {}", report.dead_letters);
    println!("set aside: {}", report.quarantined.len());
    for item in &report.quarantined {
        let case = item.case.map(|c| c.to_hex()).unwrap_or_else(|| "-".into());
        let at = item.at.map(|t| t.to_string()).unwrap_or_else(|| "?".into());
        println!(
            "  {at}  {}  case {case}  {} bytes  {}",
            item.source, item.bytes, item.reason
        );
    }
    if report.damaged() && !repair {
        println!("damaged items found; `--repair` sets aside what can be set aside");
        ExitCode::FAILURE
    } else if !report.unreadable_cases.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn check_config(path: &std::path::Path, env_file: Option<&std::path::Path>) -> ExitCode {
    use confidant::config::{EnvFile, Found};
    // The unit's environment file: named, or secrets.env beside the config file.
    let beside = path
        .parent()
        .map(|dir| dir.join("secrets.env"))
        .filter(|f| f.is_file());
    let named = env_file.is_some();
    let env_file = match env_file.map(std::path::Path::to_owned).or(beside) {
        Some(file) => match EnvFile::read(&file) {
            Ok(read) => {
                println!(
                    "secrets from {} first, then the environment",
                    file.display()
                );
                Some(read)
            }
            Err(e) if named => {
                eprintln!("confidant: {e}");
                return ExitCode::FAILURE;
            }
            // Found beside the config but not readable (the service's own check runs as
            // its user; systemd has put the file's secrets in the environment already).
            Err(e) => {
                println!("note: {e}; using the environment only");
                None
            }
        },
        None => None,
    };
    let env = |name: &str| {
        env_file
            .as_ref()
            .and_then(|f| f.get(name))
            .or_else(|| std::env::var(name).ok())
    };
    let sources = confidant::config::secret_sources(path, env_file.as_ref(), &env);
    for source in &sources {
        println!("  {source}");
    }
    match confidant::config::load_with_env(path, &env) {
        Ok(config) => {
            let core = config.service.first();
            let organisations = match config.service.all().len() {
                1 => String::new(),
                n => format!(", {n} organisations"),
            };
            println!(
                "{}: OK ({} dialogs, languages: {}, {} counsellors{organisations}{})",
                path.display(),
                core.dialogs.by_id.len(),
                core.catalog
                    .languages()
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                config.service.roster().counsellors.len(),
                if config.telegram.is_some() {
                    ", Telegram and Matrix"
                } else {
                    ", Matrix only"
                }
            );
            for warning in config.warnings() {
                println!("warning: {warning}");
            }
            if sources
                .iter()
                .any(|s| s.setting == "matrix.password" && matches!(s.found, Found::Missing(_)))
            {
                println!(
                    "note: without matrix.password the bot starts only if it has logged in before from {}",
                    config.data_dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            eprint!("{problems}");
            eprintln!("{} problem(s) found", problems.0.len());
            ExitCode::FAILURE
        }
    }
}

fn run(path: &std::path::Path) -> anyhow::Result<()> {
    let config = confidant::config::load(path)
        .map_err(|problems| anyhow::anyhow!("the configuration has problems:\n{problems}"))?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        let shutdown = tokio_util::sync::CancellationToken::new();
        let signal = shutdown.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutting down");
            signal.cancel();
            exit_after(SHUTDOWN_GRACE);
            wait_for_signal().await;
            tracing::warn!("a second stop signal: stopping at once");
            std::process::exit(1);
        });
        confidant::app::run(config, shutdown).await
    });
    // A task stuck in a blocking call must not hold the exit up.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result?;
    Ok(())
}

/// How long a stop may take before the process ends anyway. Nothing is lost by that:
/// every input is acknowledged to its network only once it is on disk.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(4);

/// Ends the process after `grace`, from a thread of its own, in case the orderly stop
/// hangs (a wedged network call, a disk that does not answer).
fn exit_after(grace: Duration) {
    let spawned = std::thread::Builder::new()
        .name("confidant-stop".into())
        .spawn(move || {
            std::thread::sleep(grace);
            tracing::error!(
                "the orderly stop did not finish within {} s; exiting anyway (nothing acknowledged is lost)",
                grace.as_secs()
            );
            std::process::exit(1);
        });
    if spawned.is_err() {
        std::process::exit(1);
    }
}

async fn wait_for_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
