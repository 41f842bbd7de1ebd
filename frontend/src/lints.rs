//! What a finished run says about its program, in plain words, each with the change that
//! answers it: a blocking call that held the event loop (→ `run_in_executor`), CPU work on
//! threads that the GIL kept to one at a time (→ processes), a queue that piled up (→ a
//! maxsize), a lock held across awaits (→ the awaits moved out of it). Read from what was measured,
//! not guessed from the program: a lint names the figure that shows it.

use looplab_shared::model::{Call, Function, PoolKind, Scenario, StartKind, Step};
use looplab_shared::protocol::{Lane, SubjectKind};

use crate::edit::{self, Edit};
use crate::state::{RunView, Span, SpanKind, Track};
use crate::timeline::measured_label;

/// A coroutine blocking the loop for less than this is left alone: the heartbeat's own
/// resolution, and below what a person notices.
pub const LOOP_HOLD_LINT_MS: u64 = 20;

/// Threads doing CPU work are said to have gained nothing once they waited for the GIL at
/// least this share of the CPU time they got.
pub const GIL_WAIT_LINT_SHARE: f64 = 0.3;

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Lint {
    /// What it is about, for tests and the page's `data-lint`.
    pub kind: LintKind,
    /// What happened, with the figure measured.
    pub text: String,
    /// The change that answers it, in words (the button's label).
    pub fix_label: String,
    /// The scenario with that change made.
    pub fixed: Scenario,
}

/// The kinds of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintKind {
    /// A coroutine called `time.sleep()` or burned CPU: the loop ran nothing else meanwhile.
    BlockingInCoroutine,
    /// CPU work on threads that share a GIL: one ran at a time.
    CpuOnThreads,
    /// A queue with no maxsize piled up items.
    UnboundedQueue,
    /// An asyncio.Lock held across awaits while other tasks waited for it.
    LockAcrossAwait,
}

impl LintKind {
    /// The name the page's markup carries.
    pub fn key(self) -> &'static str {
        match self {
            LintKind::BlockingInCoroutine => "blocking-in-coroutine",
            LintKind::CpuOnThreads => "cpu-on-threads",
            LintKind::UnboundedQueue => "unbounded-queue",
            LintKind::LockAcrossAwait => "lock-across-await",
        }
    }
}

/// The lints of `run`, a finished run of `scenario`.
pub fn lints(run: &RunView, scenario: &Scenario) -> Vec<Lint> {
    // A deadlocked run was cut short: its waits were forever, not long, and its answer is
    // the cycle the summary names, not a faster program.
    if matches!(
        run.status,
        crate::state::RunStatus::Ended {
            outcome: looplab_shared::protocol::Outcome::Deadlocked { .. },
            ..
        }
    ) {
        return Vec::new();
    }
    let mut out = blocking_in_coroutines(run, scenario);
    out.extend(cpu_on_threads(run, scenario));
    out.extend(resources::unbounded_queues(run, scenario));
    out.extend(resources::locks_held_across_awaits(run, scenario));
    out
}

fn duration(span: &Span) -> u64 {
    span.end.map_or(0, |end| end.saturating_sub(span.start))
}

/// The coroutine or function a subject ran: a track is named `name(args)`, a request
/// `GET /path #n` (its route's handler).
fn code_of<'a>(track: &Track, scenario: &'a Scenario) -> Option<&'a str> {
    if track.kind == Some(SubjectKind::Request) {
        let path = track.name.split(' ').nth(1)?;
        return scenario.route(path).map(|r| r.handler.as_str());
    }
    let name = track.name.split('(').next()?;
    scenario
        .tasks
        .iter()
        .chain(&scenario.functions)
        .find(|f| f.name == name)
        .map(|f| f.name.as_str())
}

fn blocking_in_coroutines(run: &RunView, scenario: &Scenario) -> Vec<Lint> {
    // Each coroutine once, with its longest hold of the loop and what held it.
    let mut found: Vec<(String, u64, bool)> = Vec::new();
    for track in &run.tracks {
        let on_loop = track.home.is_some_and(|h| h.lane == Lane::Loop);
        let coroutine = matches!(track.kind, Some(SubjectKind::Task | SubjectKind::Request));
        if !on_loop || !coroutine {
            continue;
        }
        let Some(name) = code_of(track, scenario) else {
            continue;
        };
        let held = track
            .spans
            .iter()
            .filter(|s| matches!(s.kind, SpanKind::BlockedSleep | SpanKind::Cpu))
            .max_by_key(|s| duration(s));
        let Some(held) = held else { continue };
        let ns = duration(held);
        if ns < LOOP_HOLD_LINT_MS * 1_000_000 {
            continue;
        }
        let sleep = held.kind == SpanKind::BlockedSleep;
        match found.iter_mut().find(|(n, ..)| n == name) {
            Some(f) if f.1 < ns => *f = (name.to_owned(), ns, sleep),
            Some(_) => {}
            None => found.push((name.to_owned(), ns, sleep)),
        }
    }
    found
        .into_iter()
        .filter_map(|(name, ns, sleep)| {
            let fixed = to_executor(scenario, &name)?;
            let what = if sleep { "time.sleep()" } else { "CPU work" };
            Some(Lint {
                kind: LintKind::BlockingInCoroutine,
                text: format!(
                    "`{name}` is a coroutine, but its {what} held the event loop for {}: no \
                     other task, timer or request on the loop could run meanwhile.",
                    measured_label(ns)
                ),
                fix_label: if sleep {
                    "Run the blocking call in a thread: await loop.run_in_executor(None, …)".into()
                } else {
                    "Run the CPU work in a process: await loop.run_in_executor(processes, …)".into()
                },
                fixed,
            })
        })
        .collect()
}

/// `scenario` with every blocking step of coroutine `name` run in an executor: a sleep in
/// the loop's default thread pool, CPU work in a process pool (made if there is none).
fn to_executor(scenario: &Scenario, name: &str) -> Option<Scenario> {
    let mut s = scenario.clone();
    let index = s.tasks.iter().position(|t| t.name == name)?;
    let mut steps = std::mem::take(&mut s.tasks[index].steps);
    let mut changed = false;
    move_blocking(&mut s, &mut steps, &mut changed);
    s.tasks[index].steps = steps;
    changed.then_some(s)
}

fn move_blocking(s: &mut Scenario, steps: &mut [Step], changed: &mut bool) {
    for step in steps.iter_mut() {
        let bodies = step.bodies_mut();
        if !bodies.is_empty() {
            for body in bodies {
                move_blocking(s, body, changed);
            }
            continue;
        }
        // The helper is named for what it does.
        let (pool, stem) = if matches!(step, Step::BlockingSleep { .. }) {
            (None, "blocking_sleep")
        } else if matches!(step, Step::Cpu { .. }) {
            (Some(process_pool(s)), "crunch")
        } else {
            continue;
        };
        let function = helper(s, step.clone(), stem);
        *step = Step::Await {
            call: Call::Executor {
                pool,
                function,
                args: vec![],
                times: 1,
            },
            into: None,
            timeout_ms: None,
        };
        *changed = true;
    }
}

/// A function that does `step`: an existing one that does just that, or a new one named
/// for what it does (`blocking_sleep`, `crunch`).
fn helper(s: &mut Scenario, step: Step, stem: &str) -> String {
    let steps = vec![step];
    if let Some(f) = s
        .functions
        .iter()
        .find(|f| f.params.is_empty() && f.steps == steps)
    {
        return f.name.clone();
    }
    let name = edit::name_like(s, stem);
    s.functions.push(Function {
        name: name.clone(),
        params: vec![],
        steps,
    });
    name
}

/// The first process pool at module level, made if there is none.
fn process_pool(s: &mut Scenario) -> String {
    let existing = s
        .pools
        .iter()
        .find(|p| p.kind == PoolKind::Process && !s.opened_by_with(&p.name));
    if let Some(p) = existing {
        return p.name.clone();
    }
    edit::apply(s, Edit::AddPool(PoolKind::Process));
    s.pools.last().map(|p| p.name.clone()).unwrap_or_default()
}

fn cpu_on_threads(run: &RunView, scenario: &Scenario) -> Vec<Lint> {
    if !scenario.options.gil {
        return vec![];
    }
    // Per thread pool (by index) and for started threads (`None`): jobs, CPU and GIL waits.
    let mut groups: Vec<(Option<usize>, u32, u64, u64)> = Vec::new();
    let mut computing_threads: Vec<&str> = Vec::new();
    for track in &run.tracks {
        let group = match track.home.map(|h| h.lane) {
            Some(Lane::PoolWorker { pool, .. })
                if scenario
                    .pools
                    .get(pool as usize)
                    .is_some_and(|p| p.kind == PoolKind::Thread) =>
            {
                Some(pool as usize)
            }
            Some(Lane::Thread) => None,
            _ => continue,
        };
        let sum = |kind| -> u64 {
            track
                .spans
                .iter()
                .filter(|s| s.kind == kind)
                .map(duration)
                .sum()
        };
        let (cpu, gil) = (sum(SpanKind::Cpu), sum(SpanKind::GilWait));
        if cpu == 0 {
            continue;
        }
        if group.is_none() {
            computing_threads.extend(code_of(track, scenario));
        }
        match groups.iter_mut().find(|g| g.0 == group) {
            Some(g) => {
                g.1 += 1;
                g.2 += cpu;
                g.3 += gil;
            }
            None => groups.push((group, 1, cpu, gil)),
        }
    }
    groups
        .into_iter()
        .filter(|&(_, n, cpu, gil)| n >= 2 && gil as f64 >= GIL_WAIT_LINT_SHARE * cpu as f64)
        .filter_map(|(group, n, cpu, gil)| {
            let mut fixed = scenario.clone();
            let (who, label) = match group {
                Some(i) => {
                    let pool = fixed.pools.get_mut(i)?;
                    pool.kind = PoolKind::Process;
                    (
                        format!("The {n} jobs on `{}`", pool.name),
                        format!("Make `{}` a ProcessPoolExecutor", pool.name),
                    )
                }
                None => {
                    threads_to_processes(&mut fixed, &computing_threads);
                    (
                        format!("The {n} threads"),
                        "Start processes (multiprocessing.Process) instead of threads".into(),
                    )
                }
            };
            Some(Lint {
                kind: LintKind::CpuOnThreads,
                text: format!(
                    "{who} did CPU work on threads of one process: they share its GIL, so one \
                     ran Python at a time. They waited {} for the GIL against {} of CPU work: \
                     the threads gained nothing. Processes have a GIL each.",
                    measured_label(gil),
                    measured_label(cpu)
                ),
                fix_label: label,
                fixed,
            })
        })
        .collect()
}

/// `scenario` with the threads that run one of `functions` started as processes instead.
fn threads_to_processes(s: &mut Scenario, functions: &[&str]) {
    let walk = |steps: &mut Vec<Step>| {
        fn each(steps: &mut [Step], functions: &[&str]) {
            for step in steps {
                if let Step::Start(start) = step
                    && start.kind == StartKind::Thread
                    && functions.contains(&&*start.function)
                {
                    start.kind = StartKind::Process;
                }
                for body in step.bodies_mut() {
                    each(body, functions);
                }
            }
        }
        each(steps, functions)
    };
    walk(&mut s.main);
    for f in s.tasks.iter_mut().chain(s.functions.iter_mut()) {
        walk(&mut f.steps);
    }
}

mod resources;
pub use resources::{LOCK_AWAIT_LINT_SHARE, QUEUE_GROWTH_LINT_ITEMS};
#[cfg(test)]
pub(crate) mod tests;
