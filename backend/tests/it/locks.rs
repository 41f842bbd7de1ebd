//! Locks, semaphores, events and queues run for real: the events that say who acquired,
//! released, put, got and set what pair up as the objects allow, a wait names what it waits
//! for, and a run in which nothing can move any more ends as deadlocked at once, naming every
//! stuck subject and what it waits for.

use std::path::Path;

use looplab_backend::engine::{self, Record, RunOutput};
use looplab_shared::model::Scenario;
use looplab_shared::presets;
use looplab_shared::protocol::{BlockReason, EventKind, Outcome, Stuck, SubjectKind, WaitReason};

use crate::lessons::ONE_AT_A_TIME;
use crate::support::eventually;

/// How late a deadlock may be reported here: the engine aims at
/// [`DEADLOCK_CONFIRM_MS`](looplab_shared::limits::DEADLOCK_CONFIRM_MS) and well under 100 ms
/// (docs/PERFORMANCE.md); a loaded machine gets room.
const DEADLOCK_FOUND_WITHIN_S: f64 = 0.5;

/// A run to its end.
struct Ran {
    events: Vec<Record>,
    outcome: Outcome,
}

impl Ran {
    /// Subjects created as `what` by `parent`, in the order they were created.
    fn children(&self, parent: u32, what: SubjectKind) -> Vec<u32> {
        (self.events.iter())
            .filter(|e| {
                matches!(&e.kind, EventKind::Created { what: w, parent: p, .. }
                    if *w == what && *p == parent)
            })
            .map(|e| e.subject)
            .collect()
    }

    /// The subject called `name`.
    fn named(&self, name: &str) -> u32 {
        (self.events.iter())
            .find(|e| matches!(&e.kind, EventKind::Created { name: n, .. } if n == name))
            .map(|e| e.subject)
            .unwrap_or_else(|| panic!("no subject {name}"))
    }

    /// Seconds from the moment the last stuck subject began to wait to the moment the run was
    /// cut (the first subject ended as cancelled or killed after it).
    fn deadlock_found_after_s(&self, stuck: &[Stuck]) -> f64 {
        let waits = |e: &&Record| {
            stuck.iter().any(|s| s.subject == e.subject)
                && matches!(
                    e.kind,
                    EventKind::Suspended { .. } | EventKind::Blocked { .. }
                )
        };
        let became = self.events.iter().filter(waits).map(|e| e.t_ns).max();
        let became = became.expect("the stuck subjects waited");
        let cut = (self.events.iter())
            .filter(|e| e.t_ns >= became)
            .find(|e| matches!(e.kind, EventKind::Cancelled | EventKind::Killed))
            .map(|e| e.t_ns)
            .expect("the run was cut");
        (cut - became) as f64 / 1e9
    }
}

async fn run(scenario: &Scenario) -> Ran {
    let _turn = ONE_AT_A_TIME.lock().await;
    let runner = Path::new(env!("CARGO_BIN_EXE_looplab"));
    let (_handle, mut outputs) =
        engine::start(runner, scenario, engine::RunLimits::default()).unwrap();
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
    assert_eq!(report.events_lost, 0);
    let pids: Vec<u32> = events.iter().map(|e| e.pid).collect();
    eventually("every process of the run to be gone", || {
        pids.iter()
            .all(|pid| !Path::new(&format!("/proc/{pid}")).exists())
    })
    .await;
    Ran {
        events,
        outcome: report.outcome,
    }
}

fn lesson(id: &str, scale: f64) -> Scenario {
    let mut s = presets::find(id).unwrap().scenario();
    s.time_scale = scale;
    s
}

fn program(file: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/python")
        .join(file);
    let source = std::fs::read_to_string(path).unwrap();
    looplab_shared::python::parse(&source, 2).unwrap()
}

/// On lock `resource`: one holder at a time, each `Acquired` after the previous holder's
/// `Released`, in the stream and in time; every place released by the end.
fn assert_one_holder_at_a_time(ran: &Ran, resource: u32) -> usize {
    let (mut holder, mut released_at, mut held) = (None, 0, 0);
    for e in &ran.events {
        if e.kind == (EventKind::Acquired { resource }) {
            assert_eq!(holder, None, "{} acquired a held lock", e.subject);
            assert!(e.t_ns >= released_at, "acquired before the release");
            holder = Some(e.subject);
            held += 1;
        } else if e.kind == (EventKind::Released { resource }) {
            assert_eq!(holder, Some(e.subject), "released by whoever held it");
            holder = None;
            released_at = e.t_ns;
        }
    }
    assert_eq!(holder, None, "the lock was never released");
    held
}

#[tokio::test]
async fn contended_writers_hold_the_lock_one_after_another() {
    let ran = run(&lesson("lock-contention", 0.2)).await;
    assert_eq!(ran.outcome, Outcome::Completed);
    assert_eq!(assert_one_holder_at_a_time(&ran, 0), 3, "three writes");
    // The gather waits for exactly the tasks it created, in the call's order.
    let main = ran.named("main");
    let gathered = (ran.events.iter()).find_map(|e| {
        let EventKind::Suspended {
            on: WaitReason::Gather { subjects },
        } = &e.kind
        else {
            return None;
        };
        (e.subject == main).then(|| subjects.clone())
    });
    assert_eq!(
        gathered,
        Some(ran.children(main, SubjectKind::Task)),
        "the gather's subjects"
    );
    assert_eq!(ran.children(main, SubjectKind::Task).len(), 3);
}

#[tokio::test]
async fn every_item_got_was_put_before_with_its_number() {
    let ran = run(&lesson("producer-consumer", 0.2)).await;
    assert_eq!(ran.outcome, Outcome::Completed);
    let (mut put, mut got) = (Vec::new(), Vec::new());
    for (i, e) in ran.events.iter().enumerate() {
        if let EventKind::Put { resource: 0, item } = e.kind {
            put.push((item, i, e.t_ns));
        } else if let EventKind::Got { resource: 0, item } = e.kind {
            got.push((item, i, e.t_ns));
        }
    }
    assert_eq!(put.len(), 6);
    // First in, first out: numbered from 0, got in the order they were put.
    let numbers = |v: &[(u64, usize, u64)]| v.iter().map(|p| p.0).collect::<Vec<_>>();
    assert_eq!(numbers(&put), (0..6).collect::<Vec<_>>());
    assert_eq!(numbers(&got), numbers(&put));
    for (item, at, t) in got {
        let (_, put_at, put_t) = put.iter().find(|p| p.0 == item).unwrap();
        assert!(
            *put_at < at && *put_t <= t,
            "item {item} got before it was put"
        );
    }
}

#[tokio::test]
async fn a_threading_lock_says_which_lock_a_thread_waits_for() {
    let ran = run(&program("thread_lock.py")).await;
    assert_eq!(ran.outcome, Outcome::Completed);
    let blocked: Vec<_> = (ran.events.iter())
        .filter_map(|e| {
            let EventKind::Blocked {
                on: BlockReason::Lock,
                resource,
                ..
            } = e.kind
            else {
                return None;
            };
            Some(resource)
        })
        .collect();
    assert!(!blocked.is_empty(), "t2 waited for t1's lock");
    assert!(blocked.iter().all(|r| *r == Some(0)), "{blocked:?}");
    // t1, t2 and main each held it once.
    assert_eq!(assert_one_holder_at_a_time(&ran, 0), 3);
}

#[tokio::test]
async fn an_awaited_task_and_a_set_event_are_named() {
    let ran = run(&program("event_signal.py")).await;
    assert_eq!(ran.outcome, Outcome::Completed);
    let set = (ran.events.iter()).position(|e| matches!(e.kind, EventKind::Set { .. }));
    let set = set.expect("the event was set");
    // Whoever waited on the event resumed after it was set.
    for (i, e) in ran.events.iter().enumerate() {
        if let EventKind::Suspended {
            on: WaitReason::Event { .. },
        } = e.kind
        {
            let resumed = (ran.events[i..].iter())
                .position(|r| r.subject == e.subject && r.kind == EventKind::Resumed);
            assert!(
                resumed.is_some_and(|r| i + r > set),
                "resumed before the set"
            );
        }
    }
    let stuck = run(&program("deadlock_event_never_set.py")).await;
    let awaited = (stuck.events.iter()).find_map(|e| {
        let EventKind::Suspended {
            on: WaitReason::Await { subject },
        } = &e.kind
        else {
            return None;
        };
        *subject
    });
    assert_eq!(
        awaited,
        Some(stuck.named("waiter")),
        "`await task` names it"
    );
}

/// Runs `scenario`, which must deadlock, and checks that each of `cycle`'s subjects (by
/// name) was stuck on resource `.1` held by the subjects named `.2`; how long the engine took
/// to find it, in seconds.
async fn deadlocks(scenario: &Scenario, cycle: &[(&str, Option<u32>, &[&str])]) -> f64 {
    let ran = run(scenario).await;
    let Outcome::Deadlocked { stuck } = &ran.outcome else {
        panic!("{} ended {:?}", scenario.name, ran.outcome);
    };
    for (name, resource, on) in cycle {
        let subject = ran.named(name);
        let on: Vec<u32> = on.iter().map(|n| ran.named(n)).collect();
        let want = Stuck {
            subject,
            resource: *resource,
            on,
        };
        assert!(stuck.contains(&want), "{want:?} not in {stuck:?}");
    }
    let after = ran.deadlock_found_after_s(stuck);
    assert!(
        after < DEADLOCK_FOUND_WITHIN_S,
        "{}: deadlock found {after:.3} s late",
        scenario.name
    );
    after
}

#[tokio::test]
async fn cycles_of_waits_end_the_run_as_deadlocked_at_once() {
    let asyncio = lesson("lock-order-deadlock", 1.0);
    let threads = program("deadlock_thread_locks.py");
    let join = program("deadlock_queue_join.py");
    let event = program("deadlock_event_never_set.py");
    let mut found = vec![
        deadlocks(
            &asyncio,
            &[
                ("transfer", Some(1), &["audit"]),
                ("audit", Some(0), &["transfer"]),
            ],
        )
        .await,
        deadlocks(
            &threads,
            &[
                ("first", Some(1), &["second"]),
                ("second", Some(0), &["first"]),
            ],
        )
        .await,
        deadlocks(&join, &[("main", Some(0), &[])]).await,
        deadlocks(
            &event,
            &[("waiter", Some(0), &[]), ("main", None, &["waiter"])],
        )
        .await,
    ];
    // The figure docs/PERFORMANCE.md quotes: the lesson's deadlock, twenty times.
    for _ in 0..20 {
        found.push(deadlocks(&asyncio, &[("transfer", Some(1), &["audit"])]).await);
    }
    found.sort_by(f64::total_cmp);
    println!(
        "deadlock found after: p50 {:.1} ms, max {:.1} ms over {} runs",
        found[found.len() / 2] * 1e3,
        found[found.len() - 1] * 1e3,
        found.len()
    );
}

#[tokio::test]
async fn the_fixed_lock_order_completes() {
    let ran = run(&lesson("lock-order-fixed", 0.5)).await;
    assert_eq!(ran.outcome, Outcome::Completed);
    assert_eq!(assert_one_holder_at_a_time(&ran, 0), 2);
    assert_eq!(assert_one_holder_at_a_time(&ran, 1), 2);
}
