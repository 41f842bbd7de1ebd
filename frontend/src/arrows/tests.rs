use std::rc::Rc;

use looplab_shared::model::{Resource, ResourceKind};
use looplab_shared::protocol::{
    EventKind, Lane, Outcome, ServerMsg, Stuck, SubjectKind, WaitReason,
};

use super::*;
use crate::state::Track;

/// A run rebuilt from `events` (time, subject, what), with `resources`, as the page
/// rebuilds one from the server's messages; `outcome` ends it.
pub(crate) fn replay(
    resources: &[(&str, ResourceKind)],
    events: Vec<(u64, u32, EventKind)>,
    outcome: Option<Outcome>,
) -> RunView {
    let mut run = RunView {
        resources: Rc::new(
            resources
                .iter()
                .map(|&(name, kind)| Resource {
                    name: name.into(),
                    kind,
                })
                .collect(),
        ),
        ..RunView::started(1, "r".into(), 1_000, vec![Track::new("main".into())])
    };
    let mut seq = 1;
    let mut last = 0;
    for (t_ns, subject, kind) in events {
        last = last.max(t_ns);
        run.receive(ServerMsg::Event {
            run_id: 1,
            seq,
            t_ns,
            subject,
            pid: 1,
            tid: 1,
            lane: Lane::Loop,
            kind,
        });
        seq += 1;
    }
    if let Some(outcome) = outcome {
        run.receive(ServerMsg::RunEnded {
            run_id: 1,
            seq,
            outcome,
            wall_ns: last,
            events_lost: 0,
        });
    }
    run
}

pub(crate) fn created(name: &str, parent: u32) -> EventKind {
    EventKind::Created {
        name: name.into(),
        what: SubjectKind::Task,
        parent,
    }
}

pub(crate) fn suspended(on: WaitReason) -> EventKind {
    EventKind::Suspended { on }
}

fn pairs(arrows: &[Arrow]) -> Vec<(usize, u64, usize, u64, Cause)> {
    arrows
        .iter()
        .map(|a| (a.from.subject, a.from.t, a.to.subject, a.to.t, a.cause))
        .collect()
}

#[test]
fn a_gather_fans_out_and_in_and_an_await_resumes_its_awaiter() {
    use EventKind::{Finished, Resumed, Started};
    let run = replay(
        &[],
        vec![
            (0, 0, Started),
            (1, 1, created("a", 0)),
            (1, 2, created("b", 0)),
            (
                2,
                0,
                suspended(WaitReason::Gather {
                    subjects: vec![1, 2],
                }),
            ),
            (3, 1, Started),
            (4, 2, Started),
            (10, 1, Finished),
            (20, 2, Finished),
            (21, 0, Resumed),
            (22, 3, created("c", 0)),
            (23, 0, suspended(WaitReason::Await { subject: Some(3) })),
            (24, 3, Started),
            (30, 3, Finished),
            (31, 0, Resumed),
            // A coroutine awaited directly has nobody to draw an arrow from.
            (32, 0, suspended(WaitReason::Await { subject: None })),
            (33, 0, Resumed),
        ],
        None,
    );
    assert_eq!(
        pairs(&arrows(&run)),
        vec![
            (0, 2, 1, 3, Cause::Spawn),
            (1, 10, 0, 21, Cause::Done),
            (0, 2, 2, 4, Cause::Spawn),
            (2, 20, 0, 21, Cause::Done),
            (3, 30, 0, 31, Cause::Done),
        ]
    );
}

#[test]
fn a_lock_is_handed_to_its_waiter_an_item_goes_from_put_to_get_an_event_wakes() {
    use EventKind::{Acquired, Got, Put, Released, Resumed, Set, Started};
    let run = replay(
        &[
            ("db", ResourceKind::Lock),
            ("q", ResourceKind::Queue { maxsize: 1 }),
            ("ready", ResourceKind::Event),
        ],
        vec![
            (0, 1, created("a", 0)),
            (0, 2, created("b", 0)),
            (1, 1, Started),
            (1, 1, Acquired { resource: 0 }),
            (2, 2, Started),
            (3, 2, suspended(WaitReason::Lock { resource: 0 })),
            (9, 1, Released { resource: 0 }),
            (10, 2, Resumed),
            (10, 2, Acquired { resource: 0 }),
            // a takes the lock again, without waiting: no handover.
            (11, 2, Released { resource: 0 }),
            (12, 1, Acquired { resource: 0 }),
            (
                13,
                1,
                Put {
                    resource: 1,
                    item: 0,
                },
            ),
            (
                14,
                2,
                Got {
                    resource: 1,
                    item: 0,
                },
            ),
            (15, 2, suspended(WaitReason::Event { resource: 2 })),
            (18, 1, Set { resource: 2 }),
            (19, 2, Resumed),
        ],
        None,
    );
    assert_eq!(
        pairs(&arrows(&run)),
        vec![
            (1, 9, 2, 10, Cause::Handover),
            (1, 13, 2, 14, Cause::Item),
            (1, 18, 2, 19, Cause::Signal),
        ]
    );
    // The waits on a resource have a colour of their own; their words name it.
    let spans = &run.tracks[2].spans;
    assert_eq!(spans[2].kind, SpanKind::Contended);
    assert_eq!(
        crate::waits::wait_words(&run, 2, &spans[2], None).as_deref(),
        Some("waiting for lock `db`, held by `a`")
    );
}

#[test]
fn a_deadlock_s_cycle_is_found_and_drawn() {
    use EventKind::{Acquired, Started};
    let stuck = vec![
        Stuck {
            subject: 0,
            resource: None,
            on: vec![1],
        },
        Stuck {
            subject: 1,
            resource: Some(1),
            on: vec![2],
        },
        Stuck {
            subject: 2,
            resource: Some(0),
            on: vec![1],
        },
    ];
    let subjects: Vec<u32> = cycle(&stuck).iter().map(|s| s.subject).collect();
    assert_eq!(
        subjects,
        vec![1, 2],
        "main waits on the cycle but is not in it"
    );
    let run = replay(
        &[("l1", ResourceKind::Lock), ("l2", ResourceKind::Lock)],
        vec![
            (0, 1, created("a", 0)),
            (0, 2, created("b", 0)),
            (1, 1, Started),
            (1, 1, Acquired { resource: 0 }),
            (2, 2, Started),
            (2, 2, Acquired { resource: 1 }),
            (4, 1, suspended(WaitReason::Lock { resource: 1 })),
            (6, 2, suspended(WaitReason::Lock { resource: 0 })),
            (10, 0, Started),
            (
                12,
                0,
                suspended(WaitReason::Gather {
                    subjects: vec![1, 2],
                }),
            ),
            (20, 1, EventKind::Cancelled),
            (20, 2, EventKind::Cancelled),
            (20, 0, EventKind::Cancelled),
        ],
        Some(Outcome::Deadlocked { stuck }),
    );
    // Cancelled at the end, the workers let main go on no more than it did: no fan-in.
    assert!(arrows(&run).iter().all(|a| a.cause != Cause::Done));
    assert_eq!(
        pairs(&deadlock_arrows(&run)),
        vec![
            (1, 4, 2, 13, Cause::Deadlock),
            (2, 6, 1, 12, Cause::Deadlock)
        ]
    );
    assert!(cycle(&[]).is_empty());
}
