//! Every preset, run for real by the engine: its console is the lesson's, and the lesson's
//! point holds in the measured events. Durations are scaled down; bounds are ratios against
//! the lesson's ideal schedule, loose enough for a busy two-core machine. Lessons run one at a
//! time so that CPU-bound ones do not share the cores with each other.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use looplab_backend::engine::{self, RunOutput};
use looplab_shared::model::{PoolKind, Scenario, Step};
use looplab_shared::presets;
use looplab_shared::protocol::{EventKind, Outcome, SubjectKind};
use tokio::sync::Mutex;

use crate::support::{eventually, pool_jobs};

/// CPU-bound tests take turns: two of them at once on two cores would measure each other.
pub(crate) static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// A finished run, indexed for questions.
pub(crate) struct Run {
    pub(crate) events: Vec<looplab_backend::engine::Record>,
    outcome: Outcome,
    wall_s: f64,
    names: HashMap<u32, (String, SubjectKind)>,
}

impl Run {
    fn printed(&self) -> Vec<&str> {
        self.events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Print { text } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn subjects(&self, what: SubjectKind) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .names
            .iter()
            .filter(|(_, (_, w))| *w == what)
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }

    fn of(&self, subject: u32) -> impl Iterator<Item = &looplab_backend::engine::Record> {
        self.events.iter().filter(move |e| e.subject == subject)
    }

    /// When `subject` first did `first` and when it then did `then`, in seconds.
    fn between(
        &self,
        subject: u32,
        first: fn(&EventKind) -> bool,
        then: fn(&EventKind) -> bool,
    ) -> (f64, f64) {
        let start = self
            .of(subject)
            .find(|e| first(&e.kind))
            .map(|e| e.t_ns)
            .unwrap_or_else(|| panic!("subject {subject} never started that"));
        let end = self
            .of(subject)
            .find(|e| e.t_ns >= start && then(&e.kind))
            .map(|e| e.t_ns)
            .unwrap_or_else(|| panic!("subject {subject} never ended that"));
        (start as f64 / 1e9, end as f64 / 1e9)
    }

    /// The span of `subject`'s blocking step (CPU work or a blocking sleep).
    fn blocked(&self, subject: u32) -> (f64, f64) {
        self.between(
            subject,
            |k| matches!(k, EventKind::Blocked { .. }),
            |k| *k == EventKind::Unblocked,
        )
    }

    fn has(&self, subject: u32, kind: &EventKind) -> bool {
        self.of(subject).any(|e| e.kind == *kind)
    }

    /// The processes the subjects ran in: where each recorded its own start.
    fn pids(&self, subjects: &[u32]) -> BTreeSet<u32> {
        subjects
            .iter()
            .flat_map(|s| {
                self.of(*s)
                    .filter(|e| e.kind == EventKind::Started)
                    .map(|e| e.pid)
            })
            .collect()
    }

    fn tids(&self, subjects: &[u32], kind: fn(&EventKind) -> bool) -> BTreeSet<u64> {
        subjects
            .iter()
            .flat_map(|s| self.of(*s).filter(|e| kind(&e.kind)).map(|e| e.tid))
            .collect()
    }

    fn max_lag_s(&self) -> f64 {
        let max = self.events.iter().filter_map(|e| match e.kind {
            EventKind::LoopLag { lag_ns } => Some(lag_ns),
            _ => None,
        });
        max.max().unwrap_or_default() as f64 / 1e9
    }

    /// The latencies of the requests for `path`, shortest first.
    fn latencies_s(&self, path: &str) -> Vec<f64> {
        let prefix = format!("GET {path} #");
        let mut all: Vec<f64> = self
            .events
            .iter()
            .filter(|e| {
                self.names
                    .get(&e.subject)
                    .is_some_and(|(n, _)| n.starts_with(&prefix))
            })
            .filter_map(|e| match e.kind {
                EventKind::Responded { latency_ns } => Some(latency_ns as f64 / 1e9),
                _ => None,
            })
            .collect();
        all.sort_by(f64::total_cmp);
        all
    }
}

/// The loop never lagged more than a tenth of a second: offloaded work did not hold it.
fn assert_loop_free(run: &Run) {
    let lag = run.max_lag_s();
    assert!(lag < 0.1, "the loop lagged {lag:.3} s");
}

fn overlap((a0, a1): (f64, f64), (b0, b1): (f64, f64)) -> f64 {
    (a1.min(b1) - a0.max(b0)).max(0.0)
}

/// Runs preset `id` at `scale`, checks that it completed with the lesson's console output
/// and left no process behind.
async fn lesson(id: &str, scale: f64) -> Run {
    let preset = presets::find(id).unwrap();
    let mut scenario = preset.scenario();
    scenario.time_scale = scale;
    let run = execute(&scenario).await;
    assert!(
        preset.output_matches(&run.printed()),
        "{id} printed {:?}",
        run.printed()
    );
    run
}

/// Runs `scenario` to its end; checks that it completed and left no process behind.
pub(crate) async fn execute(scenario: &Scenario) -> Run {
    let id = &scenario.name;
    let _turn = ONE_AT_A_TIME.lock().await;
    let (_handle, mut outputs) = engine::start(
        Path::new(env!("CARGO_BIN_EXE_looplab")),
        scenario,
        engine::RunLimits::default(),
    )
    .unwrap();
    let mut events = Vec::new();
    let report = loop {
        match outputs
            .recv()
            .await
            .expect("the run ended without a report")
        {
            RunOutput::Record(r) => events.push(r),
            RunOutput::End(report) => break report,
        }
    };
    let names = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Created { name, what, .. } => Some((e.subject, (name.clone(), *what))),
            _ => None,
        })
        .collect();
    let run = Run {
        events,
        outcome: report.outcome,
        wall_s: report.wall_ns as f64 / 1e9,
        names,
    };
    assert_eq!(run.outcome, Outcome::Completed, "{id}");
    assert_eq!(report.events_lost, 0, "{id}");
    // Nothing of the run outlives it.
    let pids: BTreeSet<u32> = run.events.iter().map(|e| e.pid).collect();
    eventually("every process of the run to be gone", || {
        pids.iter()
            .all(|pid| !Path::new(&format!("/proc/{pid}")).exists())
    })
    .await;
    run
}

#[tokio::test]
async fn gather_takes_the_longest_sleep_not_the_sum() {
    let run = lesson("gather", 0.25).await;
    // Ideal 0.5 s; the sum would be 0.75 s.
    assert!(
        (0.5..0.625).contains(&run.wall_s),
        "wall {:.3} s",
        run.wall_s
    );
    assert_eq!(run.tids(&[0], |_| true).len(), 1, "one loop thread");
}

#[tokio::test]
async fn thread_pool_jobs_overlap_and_the_loop_stays_free() {
    let run = lesson("thread-pool", 0.25).await;
    let jobs = run.subjects(SubjectKind::Job);
    assert_eq!(jobs.len(), 2);
    let (a, b) = (run.blocked(jobs[0]), run.blocked(jobs[1]));
    assert!(overlap(a, b) > 0.6, "jobs {a:?} and {b:?} barely overlap");
    assert_eq!(
        run.tids(&jobs, |k| *k == EventKind::Started).len(),
        2,
        "two worker threads"
    );
    assert!(
        run.wall_s < 1.1,
        "wall {:.3} s: the sum would be 1.5 s",
        run.wall_s
    );
    assert_loop_free(&run);
}

#[tokio::test]
async fn process_pool_jobs_run_in_distinct_processes_at_once() {
    let run = lesson("process-pool", 0.5).await;
    let jobs = run.subjects(SubjectKind::Job);
    let pids = run.pids(&jobs);
    assert_eq!(pids.len(), 2, "jobs ran in {pids:?}");
    let runner = run.of(0).next().unwrap().pid;
    assert!(!pids.contains(&runner), "a job ran in the runner itself");
    let (a, b) = (run.blocked(jobs[0]), run.blocked(jobs[1]));
    assert!(
        overlap(a, b) > 0.3,
        "CPU work {a:?} and {b:?} did not overlap"
    );
    assert!(
        run.wall_s < 0.85,
        "wall {:.3} s: the sum would be 1 s",
        run.wall_s
    );
    assert_loop_free(&run);
}

#[tokio::test]
async fn an_offloading_server_stays_fast_and_an_inline_one_stalls() {
    let fast = lesson("responsive-server", 0.5).await;
    let slow = lesson("responsive-server-inline", 0.5).await;
    let (fast_lat, slow_lat) = (fast.latencies_s("/"), slow.latencies_s("/"));
    assert_eq!(fast_lat.len(), 18);
    assert_eq!(slow_lat.len(), 18);
    let fast_max = fast_lat[fast_lat.len() - 1];
    let slow_max = slow_lat[slow_lat.len() - 1];
    // The computation takes 0.75 s: inline, a request that arrives as it starts waits for it.
    assert!(fast_max < 0.1, "offloaded: slowest answer {fast_max:.3} s");
    assert!(
        slow_max > 0.5,
        "inline: slowest answer only {slow_max:.3} s"
    );
    assert!(slow.max_lag_s() > 0.5 && fast.max_lag_s() < 0.1);
}

#[tokio::test]
async fn blocking_the_loop_shows_as_lag_and_delays_the_other_task() {
    let run = lesson("blocking-the-loop", 0.25).await;
    // Task 1 blocks the loop for 0.5 s; the lag meter sees all of it.
    assert!(run.max_lag_s() >= 0.45, "max lag {:.3} s", run.max_lag_s());
    assert!(
        run.wall_s >= 0.74,
        "wall {:.3} s: the sum is 0.75 s",
        run.wall_s
    );
}

#[tokio::test]
async fn the_gil_serialises_cpu_threads_but_not_processes() {
    let with = lesson("gil", 0.5).await;
    let without = lesson("gil-off", 0.5).await;
    let processes = lesson("gil-processes", 0.5).await;
    // Two jobs of 0.5 s of CPU: the sum is 1 s, the max 0.5 s.
    assert!(with.wall_s > 0.9, "with the GIL: {:.3} s", with.wall_s);
    assert!(
        without.wall_s < 0.85,
        "without the GIL: {:.3} s",
        without.wall_s
    );
    assert!(
        processes.wall_s < 0.85,
        "on processes: {:.3} s",
        processes.wall_s
    );
    let handoffs = with
        .events
        .iter()
        .filter(|e| e.kind == EventKind::GilWait)
        .count();
    assert!(
        handoffs > 20,
        "only {handoffs} GIL waits: the threads did not take turns"
    );
    assert_eq!(
        without
            .events
            .iter()
            .filter(|e| e.kind == EventKind::GilWait)
            .count(),
        0
    );
}

/// The time of `subject`'s first event of `kind`.
fn when(run: &Run, subject: u32, kind: &EventKind) -> u64 {
    run.of(subject).find(|e| e.kind == *kind).unwrap().t_ns
}

/// When main printed it was exiting.
fn exiting(run: &Run) -> u64 {
    run.events
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Print { text } if text.contains("exiting")))
        .unwrap()
        .t_ns
}

#[tokio::test]
async fn daemon_threads_run_on_while_the_others_are_joined() {
    // The notes' program, as CPython runs it: the daemon and the non-daemon sleep as long,
    // the interpreter joins the non-daemon, and the daemon runs on meanwhile. Which sleep
    // ends first is a race (in CPython too), so the daemon either finishes or is cut when
    // the non-daemon has been joined — never at main's exit.
    let run = lesson("daemon-threads", 0.3).await;
    let threads = run.subjects(SubjectKind::Thread);
    assert_eq!(threads.len(), 2);
    let (daemon, other) = (threads[0], threads[1]);
    assert!(run.has(other, &EventKind::Finished) && !run.has(other, &EventKind::Killed));
    let joined = when(&run, other, &EventKind::Finished);
    let finished = run
        .printed()
        .iter()
        .filter(|l| **l == "Worker finished")
        .count();
    if run.has(daemon, &EventKind::Killed) {
        let killed = when(&run, daemon, &EventKind::Killed);
        assert!(
            joined <= killed,
            "cut at {killed} ns, before the join at {joined} ns"
        );
        // Cut after its last print, before it returned, it printed as well: a race too.
        let daemon_printed = run.events.iter().any(|e| {
            e.subject == daemon
                && matches!(&e.kind, EventKind::Print { text } if text == "Worker finished")
        });
        assert_eq!(finished, 1 + usize::from(daemon_printed));
    } else {
        assert!(run.has(daemon, &EventKind::Finished));
        assert_eq!(finished, 2);
    }
    // Sleeping for 1.5 s when main printed that it was exiting, and not cut there.
    assert!(joined > exiting(&run) + 1_000_000_000, "{joined}");
}

#[tokio::test]
async fn a_daemon_thread_that_outlasts_the_others_is_cut_when_they_end() {
    let run = lesson("daemon-threads-outlast", 0.3).await;
    let threads = run.subjects(SubjectKind::Thread);
    let (daemon, other) = (threads[0], threads[1]);
    assert!(run.has(daemon, &EventKind::Killed) && !run.has(daemon, &EventKind::Finished));
    let killed = when(&run, daemon, &EventKind::Killed);
    let joined = when(&run, other, &EventKind::Finished);
    // Cut when the non-daemon thread has been joined: at 0.6 s of its 1.5 s.
    assert!(
        exiting(&run) < joined && joined <= killed,
        "{joined} {killed}"
    );
    assert!(
        killed < joined + 100_000_000,
        "cut {} ms after the join",
        (killed - joined) / 1_000_000
    );
    assert!(!run.printed().contains(&"Background finished"));
}

#[tokio::test]
async fn daemon_processes_are_terminated_at_exit_and_the_others_joined() {
    let run = lesson("daemon-processes", 0.3).await;
    let started = run.subjects(SubjectKind::Process);
    let (daemon, other) = (started[0], started[1]);
    assert!(run.has(daemon, &EventKind::Killed) && !run.has(daemon, &EventKind::Finished));
    assert!(run.has(other, &EventKind::Finished) && !run.has(other, &EventKind::Killed));
    let killed = when(&run, daemon, &EventKind::Killed);
    let finished = when(&run, other, &EventKind::Finished);
    assert!(exiting(&run) <= killed && killed < finished);
    // Each in a process of its own — if the daemon got to start before it was terminated,
    // which a process taking milliseconds to start may not (in CPython too).
    let runner = run.of(0).next().unwrap().pid;
    let (d, o) = (run.pids(&[daemon]), run.pids(&[other]));
    assert!(o.len() == 1 && !o.contains(&runner), "{o:?}");
    assert!(d.is_disjoint(&o) && !d.contains(&runner), "{d:?} {o:?}");
}

#[tokio::test]
async fn a_multi_threaded_loop_runs_cpu_tasks_in_parallel() {
    let run = lesson("multi-thread-loop", 0.5).await;
    let tasks = run.subjects(SubjectKind::Task);
    assert_eq!(
        run.tids(&tasks, |k| matches!(k, EventKind::Blocked { .. }))
            .len(),
        2
    );
    assert!(
        run.wall_s < 0.85,
        "wall {:.3} s: the sum would be 1 s",
        run.wall_s
    );
}

#[tokio::test]
async fn rayon_spreads_chunks_over_the_cores() {
    let run = lesson("rayon", 0.5).await;
    let chunks = run.subjects(SubjectKind::Chunk);
    assert_eq!(chunks.len(), 16);
    assert!(run.tids(&chunks, |k| *k == EventKind::Started).len() >= 2);
    assert!(
        run.wall_s < 0.85,
        "wall {:.3} s: one core would take 1 s",
        run.wall_s
    );
}

#[tokio::test]
async fn the_real_world_patterns_run_as_described() {
    for id in [
        "web-scraper",
        "chat-server",
        "image-upload",
        "report-generator",
        "ai-assistant",
    ] {
        let run = lesson(id, 0.25).await;
        let offloaded = run.subjects(SubjectKind::Job);
        assert!(!offloaded.is_empty(), "{id} offloaded nothing");
        assert!(
            offloaded.iter().all(|j| run.has(*j, &EventKind::Finished)),
            "{id}"
        );
    }
}

#[tokio::test]
async fn jobs_beyond_max_workers_wait_in_the_queue() {
    let scenario = pool_jobs(PoolKind::Thread, vec![Step::BlockingSleep { ms: 200 }], 2);
    let run = execute(&scenario).await;
    let jobs = run.subjects(SubjectKind::Job);
    let waits: Vec<f64> = jobs
        .iter()
        .map(|j| {
            let (queued, started) = run.between(
                *j,
                |k| *k == EventKind::Queued,
                |k| *k == EventKind::Started,
            );
            started - queued
        })
        .collect();
    // One worker: the second job waits for the first to finish.
    assert!(waits[0] < 0.1 && waits[1] > 0.18, "queue waits {waits:?}");
    assert_eq!(
        run.tids(&jobs, |k| *k == EventKind::Started).len(),
        1,
        "one worker thread"
    );
    assert!(run.wall_s >= 0.4, "wall {:.3} s", run.wall_s);
}

#[tokio::test]
async fn ten_thousand_tasks_starting_at_once_lose_no_event() {
    let json = r#"{"name":"many","tasks":[{"name":"t","steps":[{"type":"sleep","ms":10}]},
                   {"name":"main","steps":[{"type":"gather","calls":[{"type":"task","task":"t","times":10000}]}]}],
                   "main":[{"type":"run","task":"main"}]}"#;
    let scenario = looplab_shared::validate::parse_scenario(json, 2).unwrap();
    // `execute` checks that nothing was lost; every task's end is there too.
    let run = execute(&scenario).await;
    let finished = run
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Finished)
        .count();
    assert_eq!(finished, 10_002, "every task, main and the module");
}
