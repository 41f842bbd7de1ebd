use looplab_shared::model::{Call, PoolKind, StartKind, Step};
use looplab_shared::presets;
use looplab_shared::protocol::{BlockReason, EventKind, Lane, Outcome, ServerMsg, SubjectKind};

use super::*;
use crate::state::{Action, State};

const MS: u64 = 1_000_000;

/// A run of `events` (time, subject, lane, kind), ended at `end`.
fn run(events: Vec<(u64, u32, Lane, EventKind)>, end: u64) -> RunView {
    run_of(&State::default().scenario, events, end)
}

/// A run of `scenario` made of `events` (time, subject, lane, kind), ended at `end`.
pub(crate) fn run_of(
    scenario: &looplab_shared::model::Scenario,
    events: Vec<(u64, u32, Lane, EventKind)>,
    end: u64,
) -> RunView {
    let mut msgs = vec![ServerMsg::RunStarted {
        run_id: 1,
        seq: 0,
        name: "t".into(),
        ideal_wall_ns: end,
        predicted_wall_ns: None,
        cores: 2,
    }];
    for (i, (t_ns, subject, lane, kind)) in events.into_iter().enumerate() {
        msgs.push(ServerMsg::Event {
            run_id: 1,
            seq: i as u64 + 1,
            t_ns,
            subject,
            pid: 1,
            tid: u64::from(subject) + 1,
            lane,
            kind,
        });
    }
    msgs.push(ServerMsg::RunEnded {
        run_id: 1,
        seq: msgs.len() as u64,
        outcome: Outcome::Completed,
        wall_ns: end,
        events_lost: 0,
    });
    let mut state = State {
        scenario: scenario.clone(),
        ..State::default()
    };
    state.apply(Action::RunRequested);
    state.sent = Some(crate::state::RunRequest {
        id: 1,
        scenario: scenario.clone(),
        by_hand: true,
    });
    state.apply(Action::Received(msgs));
    state.run.expect("the run is shown")
}

pub(crate) fn created(name: &str, what: SubjectKind) -> EventKind {
    EventKind::Created {
        name: name.into(),
        what,
        parent: 0,
    }
}

fn blocked(on: BlockReason, ms: f64) -> EventKind {
    EventKind::Blocked {
        on,
        ms,
        resource: None,
    }
}

/// Two tasks of `blocking-the-loop`: the first calls `time.sleep(ms)` on the loop.
fn blocking_run(ms: u64) -> RunView {
    let l = Lane::Loop;
    run(
        vec![
            (0, 0, l, EventKind::Started),
            (1, 1, l, created("task1", SubjectKind::Task)),
            (2, 1, l, EventKind::Started),
            (3, 1, l, blocked(BlockReason::Sleep, ms as f64)),
            (3 + ms * MS, 1, l, EventKind::Unblocked),
            (4 + ms * MS, 1, l, EventKind::Finished),
        ],
        5 + ms * MS,
    )
}

#[test]
fn a_coroutine_that_sleeps_on_the_loop_is_named_with_how_long_it_held_it() {
    let lesson = presets::find("blocking-the-loop").unwrap().scenario();
    let found = lints(&blocking_run(2000), &lesson);
    assert_eq!(found.len(), 1, "{found:?}");
    let lint = &found[0];
    assert_eq!(lint.kind, LintKind::BlockingInCoroutine);
    assert!(lint.text.contains("`task1`"), "{}", lint.text);
    assert!(lint.text.contains("time.sleep()"), "{}", lint.text);
    assert!(lint.text.contains("2.000 s"), "{}", lint.text);
    assert!(lint.fix_label.contains("run_in_executor(None"));
}

#[test]
fn the_fix_hands_the_sleep_to_the_default_executor_and_stays_valid() {
    let lesson = presets::find("blocking-the-loop").unwrap().scenario();
    let fixed = &lints(&blocking_run(2000), &lesson)[0].fixed;
    let task = fixed.task("task1").unwrap();
    let mut sleeps = 0;
    let mut executor = None;
    for step in &task.steps {
        step.walk(&mut |s| match s {
            Step::BlockingSleep { .. } => sleeps += 1,
            Step::Await {
                call: Call::Executor { pool, function, .. },
                ..
            } => executor = Some((pool.clone(), function.clone())),
            _ => {}
        });
    }
    assert_eq!(sleeps, 0, "no time.sleep is left in the coroutine");
    let (pool, function) = executor.expect("an await of run_in_executor");
    assert_eq!(pool, None, "the loop's default executor");
    let helper = fixed.function(&function).expect("the helper exists");
    assert!(matches!(
        helper.steps[..],
        [Step::BlockingSleep { ms: 2000 }]
    ));
    looplab_shared::validate::validate(fixed, 2).expect("the fixed scenario is valid");
    let python = looplab_shared::python::render(fixed);
    assert!(
        python.contains("await loop.run_in_executor(None, blocking_sleep)"),
        "{python}"
    );
}

#[test]
fn the_helper_is_named_for_what_it_does_and_takes_no_name_in_use() {
    let mut lesson = presets::find("blocking-the-loop").unwrap().scenario();
    lesson.functions.push(looplab_shared::model::Function {
        name: "blocking_sleep".into(),
        params: vec![],
        steps: vec![Step::Cpu { ms: 1 }],
    });
    let fixed = &lints(&blocking_run(2000), &lesson)[0].fixed;
    let python = looplab_shared::python::render(fixed);
    assert!(
        python.contains("await loop.run_in_executor(None, blocking_sleep2)"),
        "{python}"
    );
}

#[test]
fn cpu_work_in_a_coroutine_moves_to_a_process_pool() {
    let mut lesson = presets::find("blocking-the-loop").unwrap().scenario();
    lesson.tasks[0].steps[1] = Step::Cpu { ms: 500 };
    let l = Lane::Loop;
    let view = run(
        vec![
            (1, 1, l, created("task1", SubjectKind::Task)),
            (2, 1, l, EventKind::Started),
            (3, 1, l, blocked(BlockReason::Cpu, 500.0)),
            (3 + 500 * MS, 1, l, EventKind::Finished),
        ],
        600 * MS,
    );
    let found = lints(&view, &lesson);
    assert_eq!(found.len(), 1);
    assert!(found[0].text.contains("CPU work"));
    let fixed = &found[0].fixed;
    assert_eq!(fixed.pools.len(), 1);
    assert_eq!(fixed.pools[0].kind, PoolKind::Process);
    looplab_shared::validate::validate(fixed, 2).expect("valid");
    let python = looplab_shared::python::render(fixed);
    assert!(python.contains("ProcessPoolExecutor"), "{python}");
    assert!(
        python.contains("run_in_executor(processes1, crunch)"),
        "{python}"
    );
}

#[test]
fn a_short_block_or_a_block_off_the_loop_says_nothing() {
    let lesson = presets::find("blocking-the-loop").unwrap().scenario();
    assert_eq!(lints(&blocking_run(LOOP_HOLD_LINT_MS - 1), &lesson), vec![]);
    let t = Lane::Thread;
    let off_loop = run(
        vec![
            (1, 1, t, created("task1", SubjectKind::Thread)),
            (2, 1, t, EventKind::Started),
            (3, 1, t, blocked(BlockReason::Sleep, 2000.0)),
            (3 + 2000 * MS, 1, t, EventKind::Unblocked),
            (4 + 2000 * MS, 1, t, EventKind::Finished),
        ],
        5 + 2000 * MS,
    );
    assert_eq!(lints(&off_loop, &lesson), vec![]);
}

/// The `gil` lesson's two jobs: each burns 1 s, waiting `wait` ms for the GIL.
fn gil_run(wait: u64) -> RunView {
    let mut events = vec![];
    for (subject, worker) in [(1, 0), (2, 1)] {
        let l = Lane::PoolWorker { pool: 0, worker };
        events.push((1, subject, l, created("job('Job')", SubjectKind::Job)));
        events.push((2, subject, l, EventKind::Started));
        events.push((3, subject, l, blocked(BlockReason::Cpu, 1000.0)));
        events.push((4, subject, l, EventKind::GilWait));
        events.push((4 + wait * MS, subject, l, EventKind::GilAcquire));
        events.push((5 + (wait + 1000) * MS, subject, l, EventKind::Finished));
    }
    events.sort_by_key(|e| e.0);
    run(events, 2100 * MS)
}

#[test]
fn cpu_jobs_on_a_thread_pool_under_the_gil_become_a_process_pool() {
    let lesson = presets::find("gil").unwrap().scenario();
    let found = lints(&gil_run(1000), &lesson);
    assert_eq!(found.len(), 1, "{found:?}");
    let lint = &found[0];
    assert_eq!(lint.kind, LintKind::CpuOnThreads);
    assert!(lint.text.contains("The 2 jobs on `pool`"), "{}", lint.text);
    assert!(lint.text.contains("waited 2.000 s"), "{}", lint.text);
    assert_eq!(lint.fixed.pools[0].kind, PoolKind::Process);
    looplab_shared::validate::validate(&lint.fixed, 2).expect("valid");
    // Without the GIL, or with little waiting, there is nothing to say.
    let mut free = lesson.clone();
    free.options.gil = false;
    assert_eq!(lints(&gil_run(1000), &free), vec![]);
    assert_eq!(lints(&gil_run(100), &lesson), vec![]);
}

#[test]
fn threads_that_compute_become_processes() {
    let mut s = presets::find("daemon-threads").unwrap().scenario();
    let mut threads = 0;
    for step in &s.main {
        step.walk(&mut |st| {
            if matches!(st, Step::Start(start) if start.kind == StartKind::Thread) {
                threads += 1;
            }
        });
    }
    assert!(threads >= 2, "the lesson starts threads");
    threads_to_processes(&mut s, &["nobody"]);
    let mut left = 0;
    for step in &s.main {
        step.walk(&mut |st| {
            if matches!(st, Step::Start(start) if start.kind == StartKind::Thread) {
                left += 1;
            }
        });
    }
    assert_eq!(left, threads, "only the functions named change");
    threads_to_processes(&mut s, &["worker"]);
    let mut processes = 0;
    for step in &s.main {
        step.walk(&mut |st| {
            if matches!(st, Step::Start(start) if start.kind == StartKind::Process) {
                processes += 1;
            }
        });
    }
    assert_eq!(processes, threads);
    looplab_shared::validate::validate(&s, 2).expect("valid");
}
