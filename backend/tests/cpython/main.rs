//! CPython as the oracle: the same program run by `python3` and by `looplab run` prints the
//! same lines, in CPython's order wherever that order is fixed, in about CPython's time.
//! Every preset (through the Python it renders as) and every program of `tests/python/`
//! is compared; a preset that is not Python is checked to say so instead. A program that
//! deadlocks (a corpus file named `deadlock_*.py`, a lesson that says it deadlocks) hangs
//! in CPython: there it must print the same lines and still be stuck when it is killed, and
//! looplab must end it as deadlocked.

mod compare;
mod looplab;
mod oracle;
mod plan;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use looplab_shared::model::{OpKind, ResourceKind, Scenario, StartKind, Step, StepKind, Term};
use looplab_shared::presets;
use looplab_shared::protocol::Outcome;
use looplab_shared::python::{parse, render};

/// The corpus's programs that deadlock: their names start so.
const DEADLOCK_PREFIX: &str = "deadlock_";

/// One program at a time: the lessons measure time on a machine with two cores.
pub(crate) static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Lines that a daemon prints: a daemon process is terminated at exit and a daemon thread
/// abandoned, either maybe before it prints — a race in CPython too, whose outcome differs
/// from run to run (the daemon-threads lessons' own tests check when looplab cuts them).
fn optional_lines(s: &Scenario) -> Vec<String> {
    let mut lines = Vec::new();
    let mut see = |step: &Step| {
        if let Step::Start(start) = step
            && start.daemon
            && let Some(f) = s.function(&start.function)
        {
            for st in &f.steps {
                if let Step::Print { text } = st
                    && !text.contains('{')
                {
                    lines.push(text.clone());
                }
            }
        }
    };
    for step in s.main.iter().chain(s.tasks.iter().flat_map(|t| &t.steps)) {
        step.walk(&mut see);
    }
    lines
}

/// Runs `file`, which deadlocks, under both: the same lines, CPython still stuck when it is
/// killed, looplab's run ended as deadlocked.
fn compare_stuck(name: &str, file: &Path, ours: &looplab::Output) -> Result<String, String> {
    let Outcome::Deadlocked { stuck } = &ours.outcome else {
        return Err(format!("{name}: looplab's run ended {:?}", ours.outcome));
    };
    let launcher = oracle::root().join("tests/oracle/run.py");
    let theirs = oracle::run_stuck(&[launcher.to_str().unwrap(), file.to_str().unwrap()]);
    compare::console(&theirs.lines, &ours.lines, &[])
        .map_err(|e| format!("{name}: console: {e}"))?;
    Ok(format!(
        "| {name} | {} | stuck (killed after {} s) | deadlocked at {:.3} s, {} stuck |",
        ours.lines.len(),
        oracle::STUCK_AFTER_S,
        ours.wall_s,
        stuck.len()
    ))
}

/// What differs between CPython's run and looplab's.
enum Differs {
    /// The lines or the ending: a wrong answer.
    Output(String),
    /// Only the time: maybe a busy machine, worth measuring again.
    Time(String),
}

impl Differs {
    fn into_message(self) -> String {
        match self {
            Differs::Output(e) | Differs::Time(e) => e,
        }
    }
}

impl From<String> for Differs {
    fn from(e: String) -> Self {
        Differs::Output(e)
    }
}

impl From<&str> for Differs {
    fn from(e: &str) -> Self {
        Differs::Output(e.to_owned())
    }
}

/// Runs `file` under both and compares; `Err` says what differs.
fn compare(name: &str, file: &Path, deadlocks: bool) -> Result<String, Differs> {
    let source = std::fs::read_to_string(file).unwrap();
    let scenario = parse(&source, 2).map_err(|d| format!("looplab refuses it: {d:?}"))?;
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let ours = looplab::run(file);
    if deadlocks {
        return Ok(compare_stuck(name, file, &ours)?);
    }
    // An uncaught exception fails as CPython's program does: the ending is compared below.
    if !matches!(ours.outcome, Outcome::Completed | Outcome::Failed { .. }) {
        return Err(format!("{name}: looplab's run ended {:?}", ours.outcome).into());
    }
    let (theirs_lines, theirs_s, ours_s, theirs_end) = match &scenario.server {
        Some(server) => {
            let traffic = serde_json::to_string(&server.traffic).unwrap();
            let serve = oracle::root().join("tests/oracle/serve.py");
            let out = oracle::run(&[serve.to_str().unwrap(), file.to_str().unwrap(), &traffic]);
            let summary: serde_json::Value = out
                .stderr
                .lines()
                .rev()
                .find_map(|l| serde_json::from_str(l).ok())
                .ok_or_else(|| format!("the oracle said: {}", out.stderr))?;
            let served = ours.served_s.ok_or("looplab served no request")?;
            (
                out.lines,
                summary["wall_s"].as_f64().unwrap(),
                served,
                (out.code, out.stderr),
            )
        }
        None => {
            let launcher = oracle::root().join("tests/oracle/run.py");
            let out = oracle::run(&[launcher.to_str().unwrap(), file.to_str().unwrap()]);
            let startup = oracle::startup_s();
            (
                out.lines,
                (out.wall_s - startup).max(0.0),
                ours.wall_s,
                (out.code, out.stderr),
            )
        }
    };
    let reason = match &ours.outcome {
        Outcome::Failed { reason } => Some(reason.as_str()),
        Outcome::Completed
        | Outcome::Stopped
        | Outcome::TimedOut
        | Outcome::TooManyEvents
        | Outcome::Deadlocked { .. } => None,
    };
    compare::ending(
        (theirs_end.0, &theirs_end.1),
        (ours.code, &ours.stderr),
        reason,
    )
    .map_err(|e| format!("{name}: ending: {e}"))?;
    compare::console(&theirs_lines, &ours.lines, &optional_lines(&scenario))
        .map_err(|e| format!("{name}: console: {e}"))?;
    compare::wall(theirs_s, ours_s).map_err(|e| Differs::Time(format!("{name}: time: {e}")))?;
    Ok(format!(
        "| {name} | {} | {theirs_s:.3} s | {ours_s:.3} s | {:+.1} % |",
        ours.lines.len(),
        (ours_s - theirs_s) / theirs_s.max(1e-3) * 100.0
    ))
}

/// How many times a program whose lines and ending matched but whose time did not is run
/// again under both: the time of a process pool's program includes its workers' start-up,
/// which on a busy machine varies by more than the tolerance from one run to the next (a
/// wrong line or ending is never run again).
const TIME_ATTEMPTS: usize = 3;

/// Compares each of `cases`, printing a row for each; fails with every difference found.
fn compare_all(cases: Vec<(String, PathBuf, bool)>) {
    let mut failures = Vec::new();
    println!("| program | lines | CPython | looplab | difference |\n|---|---|---|---|---|");
    for (name, file, deadlocks) in cases {
        let mut compared = compare(&name, &file, deadlocks);
        for _ in 1..TIME_ATTEMPTS {
            match &compared {
                Err(Differs::Time(e)) => println!("| {name} | again: {e} |"),
                Ok(_) | Err(Differs::Output(_)) => break,
            }
            compared = compare(&name, &file, deadlocks);
        }
        match compared.map_err(Differs::into_message) {
            Ok(row) => println!("{row}"),
            Err(e) => {
                println!("| {name} | differs: {e} |");
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn corpus() -> Vec<PathBuf> {
    let dir = oracle::root().join("tests/python");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_program_of_the_corpus_matches_cpython() {
    let cases = corpus()
        .into_iter()
        .map(|f| {
            let name = f.file_stem().unwrap().to_string_lossy().into_owned();
            let deadlocks = name.starts_with(DEADLOCK_PREFIX);
            (name, f, deadlocks)
        })
        .collect();
    compare_all(cases);
}

#[test]
fn every_challenge_solution_matches_cpython() {
    let dir = oracle::root().join("tests/challenges");
    let cases = presets::challenges::all()
        .iter()
        .map(|c| (c.id.to_owned(), dir.join(format!("{}.py", c.id)), false))
        .collect();
    compare_all(cases);
}

#[test]
fn every_python_preset_matches_cpython() {
    let dir = std::env::temp_dir().join(format!("looplab-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = presets::all()
        .iter()
        .filter(|p| p.scenario().not_python().is_none())
        .map(|p| {
            let file = dir.join(format!("{}.py", p.id.replace('-', "_")));
            std::fs::write(&file, render(&p.scenario())).unwrap();
            (p.id.to_owned(), file, p.deadlocks())
        })
        .collect();
    compare_all(cases);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_presets_that_are_not_python_say_so() {
    let not_python: Vec<_> = presets::all()
        .iter()
        .filter(|p| p.scenario().not_python().is_some())
        .map(|p| p.id)
        .collect();
    assert_eq!(not_python, ["gil-off", "multi-thread-loop", "rayon"]);
}

#[test]
fn the_corpus_uses_every_construct_of_the_subset() {
    let mut kinds = std::collections::HashSet::new();
    let mut terms = std::collections::HashSet::new();
    let (mut resources, mut ops) = (Vec::new(), std::collections::HashSet::new());
    let (mut server, mut daemon_threads, mut daemon_processes, mut default_executor) =
        (false, false, false, false);
    for file in corpus() {
        let source = std::fs::read_to_string(&file).unwrap();
        let s = parse(&source, 2).unwrap_or_else(|d| panic!("{}: {d:?}", file.display()));
        server |= s.server.is_some();
        resources.extend(s.resources.iter().map(|r| std::mem::discriminant(&r.kind)));
        let mut see = |step: &Step| {
            kinds.insert(step.kind());
            match step {
                Step::Use { op, .. } => {
                    ops.insert(op.kind());
                }
                Step::Start(start) => match start.kind {
                    StartKind::Thread => daemon_threads |= start.daemon,
                    StartKind::Process => daemon_processes |= start.daemon,
                },
                Step::Assign { value, .. } | Step::Return { value } => {
                    if let looplab_shared::model::Expr::Sum { term, .. } = value {
                        terms.insert(*term);
                    }
                }
                Step::Gather { calls, .. } => {
                    default_executor |= calls.iter().any(|c| {
                        matches!(c, looplab_shared::model::Call::Executor { pool: None, .. })
                    });
                }
                _ => {}
            }
        };
        for step in s
            .main
            .iter()
            .chain(s.tasks.iter().chain(&s.functions).flat_map(|f| &f.steps))
        {
            step.walk(&mut see);
        }
    }
    for kind in StepKind::ALL {
        assert!(
            kinds.contains(&kind) || !kind.is_python(),
            "no program of tests/python/ uses {kind:?}"
        );
    }
    for term in Term::ALL {
        assert!(terms.contains(&term), "no program sums {term:?}");
    }
    for kind in ResourceKind::ALL {
        let used = resources.contains(&std::mem::discriminant(&kind));
        assert!(used, "no program makes {}", kind.class());
    }
    for op in OpKind::ALL {
        assert!(ops.contains(&op), "no program calls {}()", op.method());
    }
    assert!(server && daemon_threads && daemon_processes && default_executor);
    assert!(corpus().len() >= 30, "only {} programs", corpus().len());
}
