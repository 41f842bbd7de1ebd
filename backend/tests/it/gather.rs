//! The `gather` lesson over a real WebSocket: console order, overlap, wall time.

use looplab_shared::presets;
use looplab_shared::protocol::{ClientMsg, EventKind, Outcome, ServerMsg, WaitReason};

use crate::support::{Client, assert_numbered, spawn_server};

/// (subject, when, what) for every event of a run but the loop's heartbeat.
fn events(msgs: &[ServerMsg]) -> Vec<(u32, u64, EventKind)> {
    msgs.iter()
        .filter_map(|m| match m {
            ServerMsg::Event {
                subject,
                t_ns,
                kind,
                ..
            } if !matches!(kind, EventKind::LoopLag { .. }) => {
                Some((*subject, *t_ns, kind.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The subject created with `name`.
fn subject(events: &[(u32, u64, EventKind)], name: &str) -> u32 {
    events
        .iter()
        .find(|(_, _, k)| matches!(k, EventKind::Created { name: n, .. } if n == name))
        .map(|(s, _, _)| *s)
        .unwrap_or_else(|| panic!("no subject named {name}"))
}

/// When `subject` slept: from its sleep's `suspended` to its next `resumed`.
fn sleep_interval(events: &[(u32, u64, EventKind)], subject: u32) -> (u64, u64) {
    let start = events
        .iter()
        .find(|(s, _, k)| {
            *s == subject
                && matches!(
                    k,
                    EventKind::Suspended {
                        on: WaitReason::Sleep { .. }
                    }
                )
        })
        .map(|(_, at, _)| *at)
        .expect("the task never slept");
    let end = events
        .iter()
        .find(|(s, at, k)| *s == subject && *at >= start && *k == EventKind::Resumed)
        .map(|(_, at, _)| *at)
        .expect("the task never woke");
    (start, end)
}

#[tokio::test]
async fn gather_runs_like_the_lesson() {
    let addr = spawn_server().await;
    let mut client = Client::connect(addr).await;
    let preset = presets::find("gather").unwrap();
    client
        .send(&ClientMsg::Run {
            scenario: preset.scenario(),
        })
        .await;
    let msgs = client.recv_run().await;
    assert_numbered(&msgs);
    assert!(
        matches!(msgs[0], ServerMsg::RunStarted { .. }),
        "{:?}",
        msgs[0]
    );

    let events = events(&msgs);
    let printed: Vec<_> = events
        .iter()
        .filter_map(|(_, _, k)| match k {
            EventKind::Print { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(printed, preset.expected_output);

    // Timestamps never go backwards: one monotonic clock, one loop thread.
    assert!(events.windows(2).all(|w| w[0].1 <= w[1].1));

    // Both tasks are suspended at the same time: the loop does not wait for one sleep to end
    // before starting the other.
    let (s1, e1) = sleep_interval(&events, subject(&events, "task1"));
    let (s2, e2) = sleep_interval(&events, subject(&events, "task2"));
    assert!(
        s1.max(s2) < e1.min(e2),
        "sleeps do not overlap: {s1}..{e1} and {s2}..{e2}"
    );

    // Every task finished (task1, task2, main), and the module last.
    let finished = events
        .iter()
        .filter(|(_, _, k)| *k == EventKind::Finished)
        .count();
    assert_eq!(finished, 4);
    assert_eq!(
        events.last().map(|e| (e.0, e.2.clone())),
        Some((0, EventKind::Finished))
    );

    let ServerMsg::RunEnded {
        outcome,
        wall_ns,
        events_lost,
        ..
    } = msgs.last().unwrap()
    else {
        panic!("the run did not end: {:?}", msgs.last());
    };
    assert_eq!(*outcome, Outcome::Completed);
    assert_eq!(*events_lost, 0);
    // The longest sleep (2 s), not the sum (3 s): closer to the max than to the sum.
    let wall = *wall_ns as f64 / 1e9;
    assert!((2.0..2.5).contains(&wall), "wall time {wall:.3} s");
}
