use looplab_shared::model::{ResourceKind, Step};
use looplab_shared::presets;
use looplab_shared::protocol::{EventKind, Lane, SubjectKind, WaitReason};

use super::super::tests::{created, run_of};
use super::*;

const MS: u64 = 1_000_000;
const L: Lane = Lane::Loop;

fn suspended(on: WaitReason) -> EventKind {
    EventKind::Suspended { on }
}

#[test]
fn an_unbounded_queue_that_piles_up_gets_a_maxsize() {
    let mut s = presets::find("producer-consumer").unwrap().scenario();
    s.resources[0].kind = ResourceKind::Queue { maxsize: 0 };
    let mut events = vec![
        (1, 1, L, created("producer", SubjectKind::Task)),
        (2, 1, L, EventKind::Started),
    ];
    for item in 0..12 {
        events.push((
            10 * MS + item * MS,
            1,
            L,
            EventKind::Put { resource: 0, item },
        ));
    }
    events.push((30 * MS, 1, L, EventKind::Finished));
    let view = run_of(&s, events, 40 * MS);
    let found = unbounded_queues(&view, &s);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].text.contains("held 12 items at once"),
        "{}",
        found[0].text
    );
    assert_eq!(
        found[0].fixed.resources[0].kind,
        ResourceKind::Queue { maxsize: 3 }
    );
    // A bounded queue, or one that stayed short, says nothing.
    let bounded = presets::find("producer-consumer").unwrap().scenario();
    assert_eq!(
        unbounded_queues(&run_of(&bounded, vec![], MS), &bounded),
        vec![]
    );
}

/// The lock-contention lesson, two writers: the first holds `db` across its 0.5 s sleep
/// while the second waits for it.
fn contended() -> (looplab_shared::model::Scenario, RunView) {
    let s = presets::find("lock-contention").unwrap().scenario();
    let sleep = || suspended(WaitReason::Sleep { ms: 500.0 });
    let events = vec![
        (1, 1, L, created("save(1)", SubjectKind::Task)),
        (2, 2, L, created("save(2)", SubjectKind::Task)),
        (3, 1, L, EventKind::Started),
        (4, 1, L, EventKind::Acquired { resource: 0 }),
        (5, 1, L, sleep()),
        (6, 2, L, EventKind::Started),
        (7, 2, L, suspended(WaitReason::Lock { resource: 0 })),
        (500 * MS, 1, L, EventKind::Resumed),
        (500 * MS + 1, 1, L, EventKind::Released { resource: 0 }),
        (500 * MS + 2, 1, L, EventKind::Finished),
        (500 * MS + 3, 2, L, EventKind::Resumed),
        (500 * MS + 4, 2, L, EventKind::Acquired { resource: 0 }),
        (500 * MS + 5, 2, L, sleep()),
        (1000 * MS, 2, L, EventKind::Resumed),
        (1000 * MS + 1, 2, L, EventKind::Released { resource: 0 }),
        (1000 * MS + 2, 2, L, EventKind::Finished),
    ];
    let view = run_of(&s, events, 1000 * MS + 3);
    (s, view)
}

#[test]
fn a_lock_held_across_awaits_while_others_wait_is_named_and_its_sleeps_moved_out() {
    let (s, view) = contended();
    let found = locks_held_across_awaits(&view, &s);
    assert_eq!(found.len(), 1, "{found:?}");
    let lint = &found[0];
    assert!(
        lint.text
            .starts_with("`db` was held across awaits for 1000.00 ms of the 1.000 s run"),
        "{}",
        lint.text
    );
    assert!(
        lint.text.contains("1 other task waited 500.00 ms"),
        "{}",
        lint.text
    );
    let save = lint.fixed.task("save").unwrap();
    let hold = save
        .steps
        .iter()
        .position(|st| matches!(st, Step::Hold { .. }))
        .unwrap();
    let Step::Hold { body, .. } = &save.steps[hold] else {
        unreachable!()
    };
    assert!(body.iter().all(|st| !matches!(st, Step::Sleep { .. })));
    assert!(matches!(save.steps[hold + 1], Step::Sleep { ms: 500 }));
    looplab_shared::validate::validate(&lint.fixed, 2).expect("valid");
}

#[test]
fn a_lock_no_one_waited_for_or_a_semaphore_says_nothing() {
    let (s, view) = contended();
    // Without the waiter: the lock held across a sleep hurt no one.
    let mut alone = view.clone();
    std::rc::Rc::make_mut(&mut alone.tracks[2]).spans.clear();
    assert_eq!(locks_held_across_awaits(&alone, &s), vec![]);
    // A semaphore is held across I/O on purpose.
    let mut sem = s.clone();
    sem.resources[0].kind = ResourceKind::Semaphore { value: 1 };
    let view = run_of(&sem, vec![], MS);
    assert_eq!(locks_held_across_awaits(&view, &sem), vec![]);
}

#[test]
fn a_deadlocked_run_gets_no_findings_about_its_waits() {
    let (s, mut view) = contended();
    view.status = crate::state::RunStatus::Ended {
        outcome: looplab_shared::protocol::Outcome::Deadlocked { stuck: vec![] },
        wall_ns: 1000 * MS,
        events_lost: 0,
    };
    assert_eq!(crate::lints::lints(&view, &s), vec![]);
}
