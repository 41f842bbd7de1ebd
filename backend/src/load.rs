//! `looplab load`: a class of learners on loopback. Opens N WebSocket sessions at once, each
//! from its own loopback address (as N students on N machines would be), runs a small
//! scenario in each (or a mix of lessons, one a session in turn), and reports what a teacher
//! would worry about: whether every session was held, every run completed and every event
//! arrived, how long the first event took, how many runs a second and a core the server
//! carried, and how much memory it needed. It targets a server it starts, or one already
//! running on loopback, behind a reverse proxy's path prefix too.
//!
//! Bounded on purpose: at most [`MAX_LOAD_SESSIONS`] sessions and [`MAX_LOAD_RUNS`] runs each,
//! within a deadline, and only ever against a loopback address.

mod client;
mod server;
mod target;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use looplab_shared::model::Scenario;
use looplab_shared::presets;
use serde::Serialize;
use tokio::task::JoinHandle;

use crate::bench::spread_ms;
use client::{Session, class, student_address};

use server::{Server, sample_tree_rss};
use target::target;

/// How long after the class presses Run the learner beside it starts.
const BESIDE_AFTER: Duration = Duration::from_millis(200);

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
    /// The lesson each run plays (see `looplab presets`); several, comma-separated, make a
    /// mix (session i plays the i-th, in turn); `all` is every lesson.
    #[arg(
        long,
        default_value = "gather",
        conflicts_with = "file",
        value_delimiter = ','
    )]
    pub preset: Vec<String>,
    /// A scenario file each run plays instead of a lesson.
    #[arg(long)]
    pub file: Option<std::path::PathBuf>,
    /// Multiply every duration by this. Default: 0.01 for a lesson (a 20 ms `gather`), 1 for a
    /// file, which is taken as written.
    #[arg(long)]
    pub scale: Option<f64>,
    /// Cores the server it starts gives runs (default: its own, the cores).
    #[arg(long)]
    pub run_cores: Option<u32>,
    /// Runs that only wait the server it starts admits a core (default: its own).
    #[arg(long)]
    pub light_runs_per_core: Option<u32>,
    /// Lessons one more learner runs at their own durations while the class runs, one after
    /// another, each measured against its prediction (as `looplab bench fidelity` does):
    /// whether the class disturbs runs that compute. Comma-separated ids.
    #[arg(long, value_delimiter = ',')]
    pub beside: Vec<String>,
    /// Load a server already running on loopback instead of starting one (its memory is then
    /// not reported): its address (`127.0.0.1:8080`, socket at `/ws`), its page's URL
    /// (`http://127.0.0.1:8080/looplab/`, behind a proxy's prefix: the socket is beside the
    /// page, as the page finds it) or its socket's (`ws://127.0.0.1:8080/looplab/ws`).
    #[arg(long, value_name = "ADDR|URL")]
    pub server: Option<String>,
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
    /// The cores runs were given (the server's `--run-cores`, by default this machine's).
    pub cores: u32,
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
    /// Completed runs' wall times (their processes' starts included), ms: p50, p99, max.
    pub run_wall_ms: [f64; 3],
    /// The completed run whose span (first event to last) was furthest from its ideal
    /// schedule: how far, in % of it (+ longer).
    pub worst_off_ideal_pct: f64,
    /// The lessons run beside the class: id, predicted ms, measured span ms, ms waited for
    /// admission.
    pub beside: Vec<(String, f64, f64, f64)>,
    /// The whole test, from the first connection to the last run's end, s.
    pub wall_s: f64,
    /// Runs completed a second, from the class pressing Run to the last run's end (all
    /// rounds together).
    pub runs_per_s: f64,
    /// The same, a core of [`Report::cores`].
    pub runs_per_s_per_core: f64,
    /// Runs under way at once, on average over the same time (the completed runs' wall
    /// times added up, over it), a core.
    pub concurrent_runs_per_core: f64,
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
            "run wall           {}; span furthest off the ideal {:+.2} %",
            ms(self.run_wall_ms),
            self.worst_off_ideal_pct
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
        for (id, predicted, span, admitted) in &self.beside {
            writeln!(
                f,
                "beside: {id:<17} predicted {predicted:.1} ms, measured {span:.1} ms ({:+.2} %), admitted after {admitted:.0} ms",
                (span / predicted - 1.0) * 100.0
            )?;
        }
        writeln!(
            f,
            "throughput         {:.2} runs/s ({:.2} a core of {}), {:.1} runs at once a core",
            self.runs_per_s, self.runs_per_s_per_core, self.cores, self.concurrent_runs_per_core
        )?;
        writeln!(f, "wall               {:.2} s", self.wall_s)?;
        for failure in self.failures.iter().take(10) {
            writeln!(f, "failure            {failure}")?;
        }
        Ok(())
    }
}

impl LoadArgs {
    /// The lessons of `--preset`, `all` spelled out: every lesson that runs to its end (a
    /// lesson that deadlocks ends as one, which the load test counts as a failure).
    pub fn lessons(&self) -> Vec<String> {
        if self.preset.iter().any(|p| p == "all") {
            return (presets::all().iter())
                .filter(|p| !p.deadlocks())
                .map(|p| p.id.to_string())
                .collect();
        }
        self.preset.clone()
    }
}

/// Runs the load test described by `args`, session i playing `scenarios[i % n]`; `looplab`
/// is the binary to start the server from.
pub async fn load(
    args: &LoadArgs,
    scenarios: Vec<Scenario>,
    looplab: &Path,
) -> anyhow::Result<Report> {
    let sessions = usize::from(args.sessions);
    let runs = usize::from(args.runs);
    let (mut server, url) = match &args.server {
        Some(server) => {
            let (addr, url) = target(server)?;
            (Server::Running(addr), url)
        }
        None => {
            let server = Server::start(looplab, args.run_cores, args.light_runs_per_core).await?;
            let url = format!("ws://{}/ws", server.addr());
            (server, url)
        }
    };
    let cores = args.run_cores.unwrap_or_else(crate::engine::cores).max(1);
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
    let mut running = Duration::ZERO;
    let beside = beside_lessons(args, &url, server.addr())?;
    for _ in 0..args.rounds {
        let left = deadline.saturating_sub(began.elapsed());
        let round = class(&url, server.addr(), sessions, &scenarios, runs);
        let round = tokio::time::timeout(left, round)
            .await
            .with_context(|| format!("the load test passed its deadline of {deadline:?}"))?;
        held = held.min(round.held);
        failures.extend(round.failures);
        done.extend(round.sessions);
        running += round.running;
        rss_after_rounds.extend(server.rss_mib());
    }
    let beside = match beside {
        Some((ids, task)) => {
            let s = task.await.context("the learner beside the class")??;
            let spans = s.spans.iter().zip(&s.admitted);
            let measured = ids.into_iter().zip(spans);
            measured
                .map(|((id, predicted), (span, admitted))| {
                    let ms = |d: &Duration| d.as_secs_f64() * 1e3;
                    (id, predicted, ms(span), ms(admitted))
                })
                .collect()
        }
        None => Vec::new(),
    };
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
    let (mut walls, mut off_ideal) = (Vec::new(), Vec::new());
    let (mut completed, mut lost, mut events) = (0, 0, 0);
    for s in done {
        completed += s.completed;
        lost += s.lost;
        events += s.events;
        failures.extend(s.failures);
        admitted.extend(s.admitted);
        first_event.extend(s.first_event);
        started_to_first_event.extend(s.started_to_first_event);
        walls.extend(s.walls);
        off_ideal.extend(s.off_ideal);
    }
    let running = running.as_secs_f64().max(f64::MIN_POSITIVE);
    let busy: f64 = walls.iter().map(Duration::as_secs_f64).sum();
    let worst_off = off_ideal
        .into_iter()
        .max_by(|a, b| a.abs().total_cmp(&b.abs()))
        .unwrap_or(0.0);
    Ok(Report {
        sessions,
        cores,
        runs_per_s: completed as f64 / running,
        runs_per_s_per_core: completed as f64 / running / f64::from(cores),
        concurrent_runs_per_core: busy / running / f64::from(cores),
        sessions_held: held,
        runs: sessions * runs * usize::from(args.rounds),
        runs_completed: completed,
        failures,
        events_lost: lost,
        events,
        admitted_ms: spread_ms(&admitted),
        first_event_ms: spread_ms(&first_event),
        started_to_first_event_ms: spread_ms(&started_to_first_event),
        run_wall_ms: spread_ms(&walls),
        worst_off_ideal_pct: worst_off * 100.0,
        wall_s: wall.as_secs_f64(),
        server_peak_mib: server_peak,
        tree_peak_mib: tree_peak,
        server_rss_after_rounds_mib: rss_after_rounds,
        beside,
    })
}

/// The lesson ids and predictions of `--beside`, and the learner running them, started once
/// the class has had a moment to press Run.
#[allow(clippy::type_complexity)]
fn beside_lessons(
    args: &LoadArgs,
    url: &str,
    server: SocketAddr,
) -> anyhow::Result<Option<(Vec<(String, f64)>, JoinHandle<anyhow::Result<Session>>)>> {
    if args.beside.is_empty() {
        return Ok(None);
    }
    let cores = crate::engine::cores();
    let mut ids = Vec::new();
    let mut scenarios = Vec::new();
    for id in &args.beside {
        let preset = presets::find(id)
            .with_context(|| format!("no lesson `{id}` (see `looplab presets`)"))?;
        ids.push((id.clone(), preset.predicted_ms(cores)));
        scenarios.push(preset.scenario());
    }
    let url = url.to_owned();
    let from = student_address(usize::from(args.sessions));
    let task = tokio::spawn(async move {
        // After the class's own presses: the lessons run beside it, not before it.
        tokio::time::sleep(BESIDE_AFTER).await;
        client::beside(&url, server, from, scenarios).await
    });
    Ok(Some((ids, task)))
}
