//! `looplab bench`: how closely and how cheaply the engine runs what a lesson predicts.
//! Benchmarks, not tests: they print figures (docs/PERFORMANCE.md keeps them) and fail only
//! when a run itself fails.
//!
//! - `fidelity`: every lesson at its own durations, measured span against the schedule the
//!   lesson predicts.
//! - `overhead`: the scenarios in `bench/scenarios/` against the CPython scripts in
//!   `bench/python/` doing the same work with asyncio and concurrent.futures.
//! - `latency`: from asking for a run to its first event, runner process start included.
//! - `python`: reading and writing programs, and the cost model beside `python3`.

mod python;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use looplab_shared::model::Scenario;
use looplab_shared::plan::plan;
use looplab_shared::presets;
use looplab_shared::protocol::{EventKind, Outcome, SubjectKind};
use looplab_shared::validate::parse_scenario;

use crate::engine::{self, Record, RunLimits, RunOutput, cores};

/// Which benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// Every lesson's measured span against its predicted schedule.
    Fidelity,
    /// Big scenarios beside CPython doing the same.
    Overhead,
    /// Asking for a run to its first event.
    Latency,
    /// Reading and writing Python, and the cost model beside CPython.
    Python,
}

/// What `looplab bench` takes.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// The benchmarks to run (default: all).
    #[arg(value_enum)]
    pub which: Vec<Which>,
    /// Runs of each scenario; the median is reported.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// The folder with `scenarios/` and `python/` (default: this checkout's `bench/`).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench"))]
    pub dir: PathBuf,
    /// The Python interpreter for the comparison.
    #[arg(long, default_value = "python3")]
    pub python: String,
}

/// One run, as the engine recorded it.
#[derive(Debug, Clone)]
struct Measured {
    /// From the first event to the last one (the loop's heartbeat aside), ms: what the
    /// timeline shows.
    span_ms: f64,
    /// From `main`'s start to its end, ms: what an asyncio program timing its own `main`
    /// would see.
    main_ms: f64,
    /// From the run's start until its processes were gone, ms.
    wall_ms: f64,
    /// When the first event happened, ms after the run's start.
    first_event_ms: f64,
}

/// Runs `scenario` once to its end and reads its timing from its own events.
async fn measure(runner: &Path, scenario: &Scenario) -> anyhow::Result<Measured> {
    let (_handle, mut outputs) = engine::start(runner, scenario, RunLimits::default())?;
    let mut records: Vec<Record> = Vec::new();
    while let Some(output) = outputs.recv().await {
        match output {
            RunOutput::Record(record) => records.push(record),
            RunOutput::End(report) => {
                if report.outcome != Outcome::Completed {
                    bail!("`{}` ended {:?}", scenario.name, report.outcome);
                }
                return Ok(timing(&records, report.wall_ns));
            }
        }
    }
    bail!("`{}` ended without an end", scenario.name)
}

fn timing(records: &[Record], wall_ns: u64) -> Measured {
    let ms = |ns: u64| ns as f64 / 1e6;
    let work = || {
        records
            .iter()
            .filter(|r| !matches!(r.kind, EventKind::LoopLag { .. }))
    };
    let first = work().map(|r| r.t_ns).min().unwrap_or(0);
    let last = work().map(|r| r.t_ns).max().unwrap_or(0);
    // `async def main()`, which `asyncio.run` runs as a task of its own (the CPython
    // scripts time its body too); the module itself (subject 0) when there is none.
    let main = records
        .iter()
        .find(|r| {
            matches!(&r.kind, EventKind::Created { name, what: SubjectKind::Task, parent: 0 } if name == "main")
        })
        .map_or(0, |r| r.subject);
    let main_at = |kind: fn(&EventKind) -> bool| {
        records
            .iter()
            .find(|r| r.subject == main && kind(&r.kind))
            .map_or(0, |r| r.t_ns)
    };
    let main_started = main_at(|k| matches!(k, EventKind::Started));
    let main_finished = main_at(|k| matches!(k, EventKind::Finished));
    Measured {
        span_ms: ms(last - first),
        main_ms: ms(main_finished.saturating_sub(main_started)),
        wall_ms: ms(wall_ns),
        first_event_ms: ms(first),
    }
}

/// The run with the median `key` of `runs` runs.
async fn median_of(
    runs: usize,
    runner: &Path,
    scenario: &Scenario,
    key: fn(&Measured) -> f64,
) -> anyhow::Result<Measured> {
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        all.push(measure(runner, scenario).await?);
    }
    all.sort_by(|a, b| key(a).total_cmp(&key(b)));
    Ok(all.swap_remove(all.len() / 2))
}

/// Runs the benchmarks `args` names, printing each table as it completes.
pub async fn bench(args: &BenchArgs, runner: &Path) -> anyhow::Result<()> {
    let which = if args.which.is_empty() {
        vec![
            Which::Fidelity,
            Which::Overhead,
            Which::Latency,
            Which::Python,
        ]
    } else {
        args.which.clone()
    };
    println!(
        "looplab bench on {} cores, median of {} runs",
        cores(),
        args.runs
    );
    for w in which {
        match w {
            Which::Fidelity => fidelity(args, runner).await?,
            Which::Overhead => overhead(args, runner).await?,
            Which::Latency => latency(runner).await?,
            Which::Python => python::bench(args)?,
        }
    }
    Ok(())
}

/// p50, p99 and max of `samples`, which it sorts.
pub fn spread(samples: &mut [f64]) -> [f64; 3] {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((samples.len().saturating_sub(1)) as f64 * q).round() as usize;
        samples.get(i).copied().unwrap_or(0.0)
    };
    [at(0.5), at(0.99), at(1.0)]
}

/// [`spread`] of `samples`, in ms.
pub fn spread_ms(samples: &[Duration]) -> [f64; 3] {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    spread(&mut ms)
}

/// The lesson's tolerance: max(2 ms, 1 %).
fn tolerance_ms(predicted_ms: f64) -> f64 {
    (predicted_ms * 0.01).max(2.0)
}

async fn fidelity(args: &BenchArgs, runner: &Path) -> anyhow::Result<()> {
    println!("\n## fidelity: measured span against the lesson's predicted schedule\n");
    println!("| lesson | predicted | measured | off by | within max(2 ms, 1 %) |");
    println!("|---|---|---|---|---|");
    for preset in presets::all() {
        let scenario = preset.scenario();
        let predicted = preset.predicted_ms(cores());
        let m = median_of(args.runs, runner, &scenario, |m| m.span_ms).await?;
        let off = m.span_ms - predicted;
        println!(
            "| {} | {:.1} ms | {:.1} ms | {:+.1} ms ({:+.2} %) | {} |",
            preset.id,
            predicted,
            m.span_ms,
            off,
            off / predicted * 100.0,
            if off.abs() <= tolerance_ms(predicted) {
                "yes"
            } else {
                "no"
            },
        );
    }
    Ok(())
}

/// The overhead scenarios: (file in `scenarios/`, script in `python/`).
const OVERHEAD: [(&str, &str); 3] = [
    ("gather-10k.json", "gather_10k.py"),
    ("threads-1k.json", "threads_1k.py"),
    ("processes-100.json", "processes_100.py"),
];

async fn overhead(args: &BenchArgs, runner: &Path) -> anyhow::Result<()> {
    println!("\n## overhead: time beyond the ideal, looplab beside CPython\n");
    println!(
        "| scenario | ideal | looplab main | looplab overhead | CPython | CPython overhead | CPython / looplab | looplab whole run |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (file, script) in OVERHEAD {
        let path = args.dir.join("scenarios").join(file);
        let json = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let scenario =
            parse_scenario(&json, cores()).with_context(|| format!("{file} is refused"))?;
        let ideal = plan(&scenario, cores()).map_or(0.0, |p| p.ideal_ms);
        let ours = median_of(args.runs, runner, &scenario, |m| m.main_ms).await?;
        let theirs = cpython_ms(args, &args.dir.join("python").join(script))?;
        let (ours_over, theirs_over) = (ours.main_ms - ideal, theirs - ideal);
        println!(
            "| {} | {ideal:.1} ms | {:.1} ms | {ours_over:.1} ms | {theirs:.1} ms | {theirs_over:.1} ms | {:.1}× | {:.1} ms |",
            scenario.name,
            ours.main_ms,
            theirs_over / ours_over,
            ours.wall_ms,
        );
    }
    Ok(())
}

/// The median of the script's own measurement of its work, in ms.
fn cpython_ms(args: &BenchArgs, script: &Path) -> anyhow::Result<f64> {
    let mut walls = Vec::with_capacity(args.runs);
    for _ in 0..args.runs.max(1) {
        let out = std::process::Command::new(&args.python)
            .arg(script)
            .output()
            .with_context(|| format!("cannot run {}", args.python))?;
        if !out.status.success() {
            bail!(
                "{} failed: {}",
                script.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let wall = report["wall_s"]
            .as_f64()
            .context("no wall_s in the script's report")?;
        walls.push(wall * 1e3);
    }
    walls.sort_by(f64::total_cmp);
    Ok(walls[walls.len() / 2])
}

/// Runs of the latency benchmark.
const LATENCY_RUNS: usize = 100;

async fn latency(runner: &Path) -> anyhow::Result<()> {
    println!("\n## latency: asking for a run to its first event, {LATENCY_RUNS} runs\n");
    let scenario = presets::find("gather")
        .context("no gather preset")?
        .scenario();
    let mut scenario = scenario;
    scenario.time_scale = 0.01;
    let mut from_start = Vec::with_capacity(LATENCY_RUNS);
    let mut whole = Vec::with_capacity(LATENCY_RUNS);
    for _ in 0..LATENCY_RUNS {
        let asked = Instant::now();
        let m = measure(runner, &scenario).await?;
        whole.push(asked.elapsed());
        from_start.push(Duration::from_secs_f64(m.first_event_ms / 1e3));
    }
    let [p50, p99, max] = spread_ms(&from_start);
    println!("| measure | p50 | p99 | max |");
    println!("|---|---|---|---|");
    println!(
        "| run start (runner spawned) to first event | {p50:.2} ms | {p99:.2} ms | {max:.2} ms |"
    );
    let [p50, p99, max] = spread_ms(&whole);
    println!(
        "| a whole 20 ms run, spawn to processes gone | {p50:.2} ms | {p99:.2} ms | {max:.2} ms |"
    );
    Ok(())
}
