//! The `looplab` binary: serves the playground, or runs a scenario headless.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use std::process::ExitCode;

use anyhow::{Context, bail, ensure};
use clap::{Args, Parser, Subcommand};
use looplab_backend::admission::{AddressCaps, Capacity};
use looplab_backend::cli::scenario;
use looplab_backend::engine::cores;
use looplab_backend::forwarded::TrustedProxies;
use looplab_backend::headless::{self, Format};
use looplab_backend::log::LogFormat;
use looplab_backend::page::Page;
use looplab_backend::security::{DEFAULT_EMBED_ANCESTORS, DEFAULT_FRAME_ANCESTORS, Security};
use looplab_backend::server::{AppState, Options};
use looplab_backend::{bench, listen, load};
use looplab_shared::presets;
use looplab_shared::protocol::Outcome;
use looplab_shared::share::{Shared, decode, encode};

/// looplab: build a concurrency scenario, run it for real, watch its timeline.
///
/// Without a subcommand, serves the playground: the UI and its WebSocket on one address.
#[derive(Debug, Parser)]
#[command(name = "looplab", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the playground (what looplab does without a subcommand).
    Serve(ServeArgs),
    /// Run a scenario or a Python program without a browser: print its console as it
    /// happens, then a summary.
    Run(RunArgs),
    /// Print a scenario as the Python 3.11 program it stands for.
    Python(SourceArgs),
    /// List the built-in lessons.
    Presets,
    /// Print a share link that opens a lesson or a scenario file in the playground.
    Link(LinkArgs),
    /// Put a server under the load of a class on loopback: N sessions at once, each running
    /// a small scenario; report sessions held, runs completed, events lost, time to the
    /// first event and the server's peak memory.
    Load(load::LoadArgs),
    /// Benchmarks: each lesson's measured time against its prediction, overhead beside
    /// CPython, latency to the first event (docs/PERFORMANCE.md).
    Bench(bench::BenchArgs),
}

#[derive(Debug, Args)]
struct LinkArgs {
    /// A built-in lesson (see `looplab presets`).
    #[arg(long, conflicts_with = "file", required_unless_present = "file")]
    preset: Option<String>,
    /// A scenario: a Python program (`.py`) or a JSON file.
    file: Option<PathBuf>,
    /// Multiply every duration by this.
    #[arg(long)]
    scale: Option<f64>,
    /// A note shown to learners above the scenario.
    #[arg(long, default_value = "")]
    note: String,
    /// Start the run as soon as the link opens.
    #[arg(long)]
    run: bool,
    /// Where the playground is served.
    #[arg(long, default_value = "http://127.0.0.1:8080/")]
    base: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LOOPLAB_ADDR", default_value = "127.0.0.1")]
    addr: IpAddr,
    /// Port to listen on; 0 picks a free one (the URL printed says which).
    #[arg(long, env = "LOOPLAB_PORT", default_value_t = 8080)]
    port: u16,
    /// Cores given to runs: a run that computes takes the cores it can keep busy to itself,
    /// so that measured timings stay meaningful; more wait in a queue and are told their
    /// place. Defaults to the number of cores.
    #[arg(long, env = "LOOPLAB_RUN_CORES")]
    run_cores: Option<u32>,
    /// Runs that only wait (no CPU work) admitted at once a core. Defaults to
    /// LIGHT_RUNS_PER_CORE (16).
    #[arg(long, env = "LOOPLAB_LIGHT_RUNS_PER_CORE")]
    light_runs_per_core: Option<u32>,
    /// Serve the page from this folder (what `scripts/build-ui.sh` writes) instead of the
    /// copy compiled into the binary.
    #[arg(long, env = "LOOPLAB_DIST")]
    dist: Option<PathBuf>,
    /// An origin (`https://school.example`) whose pages may open the WebSocket besides the
    /// page's own; repeat for more. Requests without an Origin (not from a browser: the CLI,
    /// scripts) are always allowed.
    #[arg(
        long = "allowed-origin",
        env = "LOOPLAB_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    allowed_origins: Vec<String>,
    /// Who may show the page in a frame: the CSP `frame-ancestors` sources, separated by spaces
    /// ('none', 'self', https://lms.school.example).
    #[arg(long, env = "LOOPLAB_FRAME_ANCESTORS", default_value = DEFAULT_FRAME_ANCESTORS)]
    frame_ancestors: String,
    /// Who may show the page's embed view (`?embed`: the program, Run and the timeline) in a
    /// frame, such as a slide or a course page: CSP `frame-ancestors` sources (`*`, any site).
    #[arg(long, env = "LOOPLAB_EMBED_ANCESTORS", default_value = DEFAULT_EMBED_ANCESTORS)]
    embed_ancestors: String,
    /// Trusted reverse proxies and the header they set.
    #[command(flatten)]
    proxies: TrustedProxies,
    /// What one client address may hold and start.
    #[command(flatten)]
    per_address: AddressCaps,
    /// Serve Prometheus metrics at /metrics.
    #[arg(long, env = "LOOPLAB_METRICS")]
    metrics: bool,
    /// How the server logs to stderr: text for people, JSON lines for collectors. RUST_LOG
    /// picks what is logged (default: info).
    #[arg(long, env = "LOOPLAB_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Debug, Args)]
struct SourceArgs {
    /// A built-in lesson (see `looplab presets`).
    #[arg(long, conflicts_with = "file", required_unless_present = "file")]
    preset: Option<String>,
    /// A scenario: a Python program (`.py`, in looplab's subset) or a JSON file.
    file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// A built-in lesson to run (see `looplab presets`).
    #[arg(long, conflicts_with = "file", required_unless_present = "file")]
    preset: Option<String>,
    /// A scenario: a Python program (`.py`, in looplab's subset) or a JSON file.
    file: Option<PathBuf>,
    /// Print every event as JSON Lines instead of the console.
    #[arg(long)]
    events: bool,
    /// Multiply every duration by this (0.1 runs ten times faster).
    #[arg(long)]
    scale: Option<f64>,
}

fn main() -> ExitCode {
    // Errors are a line each, their causes after colons: no backtrace, whatever
    // RUST_BACKTRACE says.
    match entry() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => match e.downcast_ref::<Failed>() {
            // As CPython ends a program that raised: the exception's line last.
            Some(Failed(reason)) => {
                eprintln!("looplab: the run failed:\n{reason}");
                ExitCode::FAILURE
            }
            None => {
                eprintln!("looplab: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

/// A run that ended `Outcome::Failed`: its reason, for an uncaught exception the last line
/// of CPython's traceback (`ValueError: boom`).
#[derive(Debug)]
struct Failed(String);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failed {}

fn entry() -> anyhow::Result<()> {
    // The engine's own processes: not for people, so not in --help.
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("__runner") => {
            let epoch = args
                .get(2)
                .and_then(|a| a.parse().ok())
                .context("__runner EPOCH")?;
            looplab_backend::engine::runner_main(epoch);
            return Ok(());
        }
        Some("__worker") => {
            let epoch = args
                .get(2)
                .and_then(|a| a.parse().ok())
                .context("__worker EPOCH")?;
            let gil = args.get(3).map(String::as_str) == Some("gil");
            let scale = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(1.0);
            looplab_backend::engine::worker_main(epoch, gil, scale);
            return Ok(());
        }
        _ => {}
    }
    tokio::runtime::Runtime::new()?.block_on(cli_main())
}

/// A command whose output is read by another (`looplab python --preset gather | head`) ends
/// quietly when the reader goes, as Unix tools do. The server keeps Rust's ignored SIGPIPE: a
/// closed socket is an error it handles, not its end.
fn end_quietly_on_a_closed_pipe() {
    // SAFETY: restoring a signal's default disposition has no memory-safety preconditions;
    // it happens before any thread of this process writes to a pipe.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
}

async fn cli_main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if matches!(
        cli.command,
        Some(Command::Run(_) | Command::Python(_) | Command::Link(_) | Command::Presets)
    ) {
        end_quietly_on_a_closed_pipe();
    }
    match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Run(args)) => run(args).await,
        Some(Command::Python(args)) => {
            let scenario = scenario(args.preset.as_deref(), args.file.as_deref(), None)?;
            if let Some(why) = scenario.not_python() {
                eprintln!("looplab: note: this scenario is not Python: {why}");
            }
            print!("{}", looplab_shared::python::render(&scenario));
            Ok(())
        }
        Some(Command::Link(args)) => {
            let scenario = scenario(args.preset.as_deref(), args.file.as_deref(), args.scale)?;
            let shared = Shared {
                scenario,
                note: args.note,
                run_on_open: args.run,
                goals: Vec::new(),
                ask: None,
            };
            let fragment = encode(&shared);
            // The link must open: check it the way the page will.
            decode(&fragment, cores()).context("the link would not open")?;
            println!("{}#{fragment}", args.base);
            Ok(())
        }
        Some(Command::Load(args)) => {
            let scenarios = match &args.file {
                Some(file) => vec![self::scenario(None, Some(file), args.scale)?],
                None => (args.lessons().iter())
                    .map(|id| self::scenario(Some(id), None, Some(args.scale.unwrap_or(0.01))))
                    .collect::<Result<_, _>>()?,
            };
            let looplab = std::env::current_exe().context("cannot find the looplab binary")?;
            let report = load::load(&args, scenarios, &looplab).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{report}");
            }
            ensure!(report.is_clean(), "the server did not hold the load");
            Ok(())
        }
        Some(Command::Bench(args)) => {
            let looplab = std::env::current_exe().context("cannot find the looplab binary")?;
            bench::bench(&args, &looplab).await
        }
        Some(Command::Presets) => {
            for p in presets::all() {
                println!("{:<20} {}", p.id, p.title);
            }
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    looplab_backend::log::init(args.log_format)?;
    let page = args.dist.map_or(Page::Embedded, Page::Folder);
    if let Some(why) = page.missing() {
        tracing::warn!("{why}; the WebSocket works regardless");
    }
    let security = Security::new(&args.allowed_origins, &args.frame_ancestors)?
        .with_embed_ancestors(&args.embed_ancestors)?;
    let mut capacity = Capacity::of_cores(args.run_cores.unwrap_or_else(cores));
    if let Some(light) = args.light_runs_per_core {
        capacity.light_per_core = light;
    }
    let capacity = capacity.with_caps(args.per_address);
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(args.addr, args.port))
        .await
        .with_context(|| format!("cannot listen on {}:{}", args.addr, args.port))?;
    let addr = listener.local_addr()?;
    // On stdout, for people and for the scripts that start a server and read where it is.
    println!("looplab is serving http://{addr}/");
    tracing::info!(
        %addr,
        page = ?page,
        run_cores = capacity.cores,
        light_runs_per_core = capacity.light_per_core,
        metrics = args.metrics,
        "serving"
    );
    let runner = std::env::current_exe().context("cannot find the looplab binary")?;
    let options = Options {
        page,
        capacity,
        security,
        proxies: args.proxies,
        metrics: args.metrics,
        ..Options::new()
    };
    let state = AppState::with_options(runner, options);
    // On SIGTERM or Ctrl-C: /readyz says so, stop accepting, end every run (killing its
    // processes) and tell its client, close the sockets, then exit.
    let stopping = state.clone();
    listen::serve(listener, state.clone(), async move {
        stop_signal().await;
        tracing::info!("shutting down: ending every run");
        stopping.shut_down();
    })
    .await;
    // Upgraded sockets outlive the HTTP server: give every session the moment it needs to
    // end its run and say goodbye.
    state.admission().closed(SHUTDOWN_GRACE).await;
    tracing::info!("stopped");
    Ok(())
}

/// How long a shutdown waits for the connections to close.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

async fn stop_signal() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    let scenario = scenario(args.preset.as_deref(), args.file.as_deref(), args.scale)?;
    let format = if args.events {
        Format::Events
    } else {
        Format::Console
    };
    let runner = std::env::current_exe().context("cannot find the looplab binary")?;
    let outcome =
        match headless::run(&runner, scenario, format, &mut std::io::stdout().lock()).await {
            Ok(outcome) => outcome,
            // The reader went away (`looplab run ... | head`): nothing left to tell anyone.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(e.into()),
        };
    match outcome {
        Outcome::Completed => Ok(()),
        Outcome::Failed { reason } => Err(Failed(reason).into()),
        other => bail!(
            "the run did not complete: {}",
            looplab_backend::headless::outcome_word(&other)
        ),
    }
}
