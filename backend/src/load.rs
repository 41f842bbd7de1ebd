//! `looplab load`: a class of learners on loopback. Opens N WebSocket sessions at once, each
//! from its own loopback address (as N students on N machines would be), runs a small
//! scenario in each, and reports what a teacher would worry about: whether every session was
//! held, every run completed and every event arrived, how long the first event took, and how
//! much memory the server needed.
//!
//! Bounded on purpose: at most [`MAX_LOAD_SESSIONS`] sessions and [`MAX_LOAD_RUNS`] runs each,
//! within a deadline, and only ever against a loopback address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use futures_util::{SinkExt, StreamExt};
use looplab_shared::model::Scenario;
use looplab_shared::protocol::{ClientMsg, Outcome, ServerMsg, server_messages};
use serde::Serialize;
use tokio::io::AsyncBufReadExt;
use tokio::net::TcpSocket;
use tokio_tungstenite::tungstenite::Message;

/// Sessions one load test may open.
pub const MAX_LOAD_SESSIONS: usize = 1_000;
/// Runs one session of a load test may make.
pub const MAX_LOAD_RUNS: usize = 10;
/// Rounds of a load test.
pub const MAX_LOAD_ROUNDS: usize = 10;

/// What to put under load.
#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// WebSocket sessions held open at once, each from its own loopback address.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u16).range(1..=MAX_LOAD_SESSIONS as i64))]
    pub sessions: u16,
    /// Runs each session makes, one after another.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=MAX_LOAD_RUNS as i64))]
    pub runs: u8,
    /// The lesson each run plays (see `looplab presets`).
    #[arg(long, default_value = "gather", conflicts_with = "file")]
    pub preset: String,
    /// A scenario file each run plays instead of a lesson.
    #[arg(long)]
    pub file: Option<std::path::PathBuf>,
    /// Multiply every duration by this; the default makes `gather` a 20 ms run.
    #[arg(long, default_value_t = 0.01)]
    pub scale: f64,
    /// Runs the server it starts may have at once (default: its own default, the cores).
    #[arg(long)]
    pub max_runs: Option<usize>,
    /// Load a server already running on this loopback address instead of starting one (its
    /// memory is then not reported).
    #[arg(long)]
    pub server: Option<SocketAddr>,
    /// Times to repeat the whole class (connect, run, disconnect) against the same server,
    /// reading its memory after each: a leak shows as growth.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=MAX_LOAD_ROUNDS as i64))]
    pub rounds: u8,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 300)]
    pub deadline_s: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// What a load test found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Sessions asked for.
    pub sessions: usize,
    /// Sessions that were open at once, before any run started.
    pub sessions_held: usize,
    /// Runs asked for.
    pub runs: usize,
    /// Runs that ended `completed`.
    pub runs_completed: usize,
    /// Runs that ended otherwise, or were refused, with why.
    pub failures: Vec<String>,
    /// Events the server reported lost, plus gaps in any run's `seq`.
    pub events_lost: u64,
    /// Events received in all.
    pub events: u64,
    /// From sending `run` to its `run_started` (the queue's wait), ms: p50, p99, max.
    pub admitted_ms: [f64; 3],
    /// From sending `run` to its first event, ms: p50, p99, max.
    pub first_event_ms: [f64; 3],
    /// From `run_started` to the first event, ms: p50, p99, max. The server's own latency,
    /// without the queue: starting the runner process and its first record's trip.
    pub started_to_first_event_ms: [f64; 3],
    /// The whole test, from the first connection to the last run's end, s.
    pub wall_s: f64,
    /// The server process's peak resident memory (VmHWM), MiB, when this test started it.
    pub server_peak_mib: Option<f64>,
    /// The largest resident memory of the server and all its run processes together, MiB,
    /// sampled every 50 ms, when this test started the server.
    pub tree_peak_mib: Option<f64>,
    /// The server's resident memory after each round, MiB: flat when nothing leaks.
    pub server_rss_after_rounds_mib: Vec<f64>,
}

impl Report {
    /// Every session held, every run completed, no event lost.
    pub fn is_clean(&self) -> bool {
        self.sessions_held == self.sessions
            && self.runs_completed == self.runs
            && self.events_lost == 0
            && self.failures.is_empty()
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mib = |m: Option<f64>| m.map_or("not measured".into(), |m| format!("{m:.1} MiB"));
        let ms = |[p50, p99, max]: [f64; 3]| {
            format!("p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms")
        };
        writeln!(
            f,
            "sessions held      {} of {}",
            self.sessions_held, self.sessions
        )?;
        writeln!(
            f,
            "runs completed     {} of {}",
            self.runs_completed, self.runs
        )?;
        writeln!(
            f,
            "events             {} received, {} lost",
            self.events, self.events_lost
        )?;
        writeln!(f, "run to admitted    {}", ms(self.admitted_ms))?;
        writeln!(f, "run to 1st event   {}", ms(self.first_event_ms))?;
        writeln!(
            f,
            "started to 1st     {}",
            ms(self.started_to_first_event_ms)
        )?;
        writeln!(
            f,
            "server peak        {} (VmHWM)",
            mib(self.server_peak_mib)
        )?;
        writeln!(f, "server + runs peak {}", mib(self.tree_peak_mib))?;
        if self.server_rss_after_rounds_mib.len() > 1 {
            let rounds: Vec<_> = self
                .server_rss_after_rounds_mib
                .iter()
                .map(|m| format!("{m:.1}"))
                .collect();
            writeln!(f, "server after rounds {} MiB", rounds.join(", "))?;
        }
        writeln!(f, "wall               {:.2} s", self.wall_s)?;
        for failure in self.failures.iter().take(10) {
            writeln!(f, "failure            {failure}")?;
        }
        Ok(())
    }
}

/// One session's account.
#[derive(Debug, Default)]
struct Session {
    completed: usize,
    failures: Vec<String>,
    lost: u64,
    events: u64,
    admitted: Vec<Duration>,
    first_event: Vec<Duration>,
    started_to_first_event: Vec<Duration>,
    events_this_run: u64,
}

/// Runs the load test described by `args` with `scenario`; `looplab` is the binary to start
/// the server from.
pub async fn load(args: &LoadArgs, scenario: Scenario, looplab: &Path) -> anyhow::Result<Report> {
    let sessions = usize::from(args.sessions);
    let runs = usize::from(args.runs);
    let mut server = match args.server {
        Some(addr) => {
            ensure!(
                addr.ip().is_loopback(),
                "--server must be a loopback address: a load test never leaves this machine"
            );
            Server::Running(addr)
        }
        None => Server::start(looplab, args.max_runs).await?,
    };
    let url = format!("ws://{}/ws", server.addr());
    let tree_peak_kib = Arc::new(AtomicU64::new(0));
    let sampler = server
        .pid()
        .map(|pid| tokio::spawn(sample_tree_rss(pid, Arc::clone(&tree_peak_kib))));
    let began = Instant::now();
    let deadline = Duration::from_secs(args.deadline_s);
    let mut held = usize::MAX;
    let mut failures = Vec::new();
    let mut done = Vec::new();
    let mut rss_after_rounds = Vec::new();
    for _ in 0..args.rounds {
        let left = deadline.saturating_sub(began.elapsed());
        let round =
            tokio::time::timeout(left, class(&url, server.addr(), sessions, &scenario, runs))
                .await
                .with_context(|| format!("the load test passed its deadline of {deadline:?}"))?;
        held = held.min(round.0);
        failures.extend(round.1);
        done.extend(round.2);
        rss_after_rounds.extend(server.rss_mib());
    }
    let wall = began.elapsed();
    let tree_peak = sampler.map(|sampler| {
        sampler.abort();
        tree_peak_kib.load(Ordering::Relaxed) as f64 / 1024.0
    });
    let server_peak = server.peak_mib();
    server.stop().await;
    let mut admitted = Vec::new();
    let mut first_event = Vec::new();
    let mut started_to_first_event = Vec::new();
    let (mut completed, mut lost, mut events) = (0, 0, 0);
    for s in done {
        completed += s.completed;
        lost += s.lost;
        events += s.events;
        failures.extend(s.failures);
        admitted.extend(s.admitted);
        first_event.extend(s.first_event);
        started_to_first_event.extend(s.started_to_first_event);
    }
    Ok(Report {
        sessions,
        sessions_held: held,
        runs: sessions * runs * usize::from(args.rounds),
        runs_completed: completed,
        failures,
        events_lost: lost,
        events,
        admitted_ms: percentiles(&mut admitted),
        first_event_ms: percentiles(&mut first_event),
        started_to_first_event_ms: percentiles(&mut started_to_first_event),
        wall_s: wall.as_secs_f64(),
        server_peak_mib: server_peak,
        tree_peak_mib: tree_peak,
        server_rss_after_rounds_mib: rss_after_rounds,
    })
}

/// One round: every session connects, then every session makes its runs. Returns the
/// sessions held, the failures, and each session's account.
async fn class(
    url: &str,
    server: SocketAddr,
    sessions: usize,
    scenario: &Scenario,
    runs: usize,
) -> (usize, Vec<String>, Vec<Session>) {
    // Everyone connects first, then everyone presses Run: the worst moment for a server.
    let mut sockets = Vec::with_capacity(sessions);
    for i in 0..sessions {
        sockets.push(connect(url, server, student_address(i)).await);
    }
    let held = sockets.iter().filter(|s| s.is_ok()).count();
    let mut failures: Vec<String> = sockets
        .iter()
        .filter_map(|s| s.as_ref().err().map(|e| format!("connect: {e:#}")))
        .collect();
    let tasks: Vec<_> = sockets
        .into_iter()
        .flatten()
        .map(|ws| tokio::spawn(session(ws, scenario.clone(), runs)))
        .collect();
    let mut done = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok(s) => done.push(s),
            Err(e) => failures.push(format!("a session panicked: {e}")),
        }
    }
    (held, failures, done)
}

/// The `i`th student's loopback address: 127.0.1.2, 127.0.1.3, … Linux routes all of
/// 127.0.0.0/8 to the loopback, so each session counts as a different address for the
/// server's per-address caps, as each student's machine would.
fn student_address(i: usize) -> IpAddr {
    let [_, _, hi, lo] = u32::try_from(i).unwrap_or(0).to_be_bytes();
    IpAddr::V4(Ipv4Addr::new(127, 1 + hi, lo, 2))
}

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

async fn connect(url: &str, server: SocketAddr, from: IpAddr) -> anyhow::Result<Socket> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from, 0))?;
    let tcp = socket.connect(server).await?;
    let (ws, _) = tokio_tungstenite::client_async(url, tcp).await?;
    Ok(ws)
}

/// Makes `runs` runs of `scenario` one after another, checking each message stream.
async fn session(mut ws: Socket, scenario: Scenario, runs: usize) -> Session {
    let mut s = Session::default();
    let run = serde_json::to_string(&ClientMsg::Run { scenario }).unwrap_or_default();
    for _ in 0..runs {
        if let Err(e) = one_run(&mut ws, &run, &mut s).await {
            s.failures.push(format!("{e:#}"));
            break;
        }
    }
    let _ = ws.close(None).await;
    s
}

async fn one_run(ws: &mut Socket, run: &str, s: &mut Session) -> anyhow::Result<()> {
    let sent = Instant::now();
    ws.send(Message::text(run)).await?;
    let mut next_seq = None;
    let mut started = None;
    loop {
        let frame = ws.next().await.context("the server closed the session")??;
        let Message::Text(text) = frame else { continue };
        for msg in server_messages(text.as_str()) {
            if let Some(ended) = account(msg?, sent, &mut started, &mut next_seq, s)? {
                return Ok(ended);
            }
        }
    }
}

/// Counts one message of a run in `s`; `Some(())` once the run has ended.
fn account(
    msg: ServerMsg,
    sent: Instant,
    started: &mut Option<Instant>,
    next_seq: &mut Option<u64>,
    s: &mut Session,
) -> anyhow::Result<Option<()>> {
    // Queue places have seq 0 until the run starts; from `run_started` on, none may miss.
    match &msg {
        ServerMsg::Queued { .. } => return Ok(None),
        ServerMsg::RunStarted { .. } => {
            s.admitted.push(sent.elapsed());
            *started = Some(Instant::now());
        }
        ServerMsg::Event { .. } => {
            if s.events_this_run == 0 {
                s.first_event.push(sent.elapsed());
                if let Some(started) = started {
                    s.started_to_first_event.push(started.elapsed());
                }
            }
            s.events += 1;
            s.events_this_run += 1;
        }
        _ => {}
    }
    if let Some(expected) = *next_seq {
        s.lost += msg.seq().saturating_sub(expected);
    }
    *next_seq = Some(msg.seq() + 1);
    match msg {
        ServerMsg::RunEnded {
            outcome,
            events_lost,
            ..
        } => {
            s.lost += events_lost;
            s.events_this_run = 0;
            if outcome == Outcome::Completed {
                s.completed += 1;
            } else {
                s.failures.push(format!("a run ended {outcome:?}"));
            }
            Ok(Some(()))
        }
        ServerMsg::Rejected { field, message, .. } => bail!("refused: {field}: {message}"),
        _ => Ok(None),
    }
}

/// p50, p99 and max of `samples`, in ms.
pub(crate) fn percentiles(samples: &mut [Duration]) -> [f64; 3] {
    samples.sort_unstable();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    [at(0.5), at(0.99), at(1.0)]
}

/// The server under load: one this test started, or one already running.
enum Server {
    Started {
        child: tokio::process::Child,
        addr: SocketAddr,
        pid: u32,
    },
    Running(SocketAddr),
}

impl Server {
    /// Starts `looplab serve` on a free loopback port and waits for it to say where.
    async fn start(looplab: &Path, max_runs: Option<usize>) -> anyhow::Result<Self> {
        // No UI: the load is on the WebSocket.
        let dist = std::env::temp_dir().join("looplab-load-no-ui");
        let mut command = tokio::process::Command::new(looplab);
        command
            .args(["serve", "--addr", "127.0.0.1", "--port", "0", "--dist"])
            .arg(dist)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        if let Some(n) = max_runs {
            command.args(["--max-runs", &n.to_string()]);
        }
        let mut child = command.spawn().context("cannot start the server")?;
        let pid = child.id().context("the server exited at once")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let addr = loop {
            let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
                .await
                .context("the server did not say where it serves")??
                .context("the server exited before serving")?;
            if let Some(url) = line.strip_prefix("looplab is serving http://") {
                break url.trim_end_matches('/').parse()?;
            }
        };
        Ok(Server::Started { child, addr, pid })
    }

    fn addr(&self) -> SocketAddr {
        match self {
            Server::Started { addr, .. } | Server::Running(addr) => *addr,
        }
    }

    fn pid(&self) -> Option<u32> {
        match self {
            Server::Started { pid, .. } => Some(*pid),
            Server::Running(_) => None,
        }
    }

    fn peak_mib(&self) -> Option<f64> {
        self.status_mib("VmHWM:")
    }

    fn rss_mib(&self) -> Option<f64> {
        self.status_mib("VmRSS:")
    }

    fn status_mib(&self, field: &str) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        kib_field(&status, field).map(|kib| kib / 1024.0)
    }

    /// Stops a server this test started, as an operator would: SIGTERM, then wait.
    async fn stop(&mut self) {
        if let Server::Started { child, pid, .. } = self {
            // SAFETY: kill has no memory-safety preconditions; pid is our child.
            unsafe { libc::kill(*pid as libc::pid_t, libc::SIGTERM) };
            let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
        }
    }
}

fn kib_field(status: &str, name: &str) -> Option<f64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Samples the resident memory of `root` and every process below it every 50 ms, keeping the
/// largest total in `peak` (KiB).
async fn sample_tree_rss(root: u32, peak: Arc<AtomicU64>) {
    loop {
        peak.fetch_max(tree_rss_kib(root), Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Resident memory of `root` and its descendants, in KiB, from /proc.
fn tree_rss_kib(root: u32) -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    // (pid, parent, rss) of every process; a process that exits meanwhile is skipped.
    let procs: Vec<(u32, u32, u64)> = dir
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let parent = kib_field(&status, "PPid:")? as u32;
            let rss = kib_field(&status, "VmRSS:").unwrap_or(0.0) as u64;
            Some((pid, parent, rss))
        })
        .collect();
    let mut tree = vec![root];
    let mut total = 0;
    while let Some(pid) = tree.pop() {
        for &(child, parent, rss) in &procs {
            if child == pid {
                total += rss;
            }
            if parent == pid {
                tree.push(child);
            }
        }
    }
    total
}
