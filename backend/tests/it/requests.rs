//! Refusals, stops, replacements and disconnects, over a real WebSocket.

use std::time::{Duration, Instant};

use looplab_backend::admission::Capacity;
use looplab_shared::model::{Call, Function, Scenario, Step};
use looplab_shared::protocol::{ClientMsg, EventKind, Outcome, ServerMsg};
use tokio_tungstenite::tungstenite::Message;

use looplab_backend::engine::RunLimits;
use looplab_backend::server::Limits;

use crate::support::{
    Client, DEADLINE, assert_numbered, asyncio_main, eventually, spawn_server, spawn_server_limited,
};

/// One task that sleeps for `ms`, long enough to be stopped mid-way.
pub(crate) fn sleeper(ms: u64) -> Scenario {
    sleepers(ms, 1)
}

/// `times` tasks that each sleep for `ms`, gathered.
pub(crate) fn sleepers(ms: u64, times: u32) -> Scenario {
    asyncio_main(
        "sleeper",
        vec![Function {
            name: "sleepy".into(),
            params: vec![],
            steps: vec![Step::Sleep { ms }],
        }],
        vec![Step::Gather {
            calls: vec![Call::Task {
                task: "sleepy".into(),
                args: vec![],
                times,
            }],
            into: None,
        }],
    )
}

pub(crate) fn run(scenario: Scenario) -> ClientMsg {
    ClientMsg::Run { scenario }
}

fn rejection(msg: &ServerMsg) -> (&str, &str) {
    match msg {
        ServerMsg::Rejected {
            field,
            message,
            seq: 0,
            ..
        } => (field, message),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// Waits for the first event of the run; returns the run's id and its runner's pid.
async fn runner_pid(client: &mut Client) -> (u64, u32) {
    let ServerMsg::RunStarted { run_id, .. } = client.recv().await else {
        panic!("the run did not start")
    };
    match client.recv().await {
        ServerMsg::Event { pid, .. } => (run_id, pid),
        other => panic!("expected an event, got {other:?}"),
    }
}

#[tokio::test]
async fn a_scenario_over_a_limit_is_refused_with_its_field() {
    let mut client = Client::connect(spawn_server().await).await;
    client.send(&run(sleeper(60_001))).await;
    let msg = client.recv().await;
    let (field, message) = rejection(&msg);
    assert_eq!(field, "scenario.tasks[0].steps[0].ms");
    assert!(message.contains("MAX_STEP_MS"), "{message}");

    // The connection stays usable.
    client.send(&run(sleeper(1))).await;
    let msgs = client.recv_run().await;
    assert_numbered(&msgs);
    assert!(matches!(
        msgs.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));
}

#[tokio::test]
async fn unreadable_messages_are_refused_clearly() {
    let mut client = Client::connect(spawn_server().await).await;
    let cases = [
        (r#"{"type":"fly"}"#, "type", "unknown variant `fly`"),
        ("{not json", "message", "key must be a string"),
        (r#"{"type":"run"}"#, "message", "missing field `scenario`"),
        (
            r#"{"type":"run","scenario":{"name":"s","main":[],"tasks":[{"name":"t","steps":[{"type":"sleep","ms":-5}]}]}}"#,
            "scenario.tasks[0].steps[0].ms",
            "invalid value: integer `-5`",
        ),
    ];
    for (text, want_field, want_message) in cases {
        client.send_text(text).await;
        let msg = client.recv().await;
        let (field, message) = rejection(&msg);
        assert_eq!(field, want_field, "for {text}: {message}");
        assert!(message.contains(want_message), "for {text}: {message}");
    }
    client.send_raw(Message::binary(vec![1, 2, 3])).await;
    let msg = client.recv().await;
    assert!(rejection(&msg).1.contains("binary frames"));
}

#[tokio::test]
async fn stop_ends_the_run_and_cancels_its_tasks() {
    let mut client = Client::connect(spawn_server().await).await;
    let begun = Instant::now();
    client.send(&run(sleeper(10_000))).await;
    let (run_id, _) = runner_pid(&mut client).await;
    // A stop for another run is ignored...
    client
        .send(&ClientMsg::Stop {
            run_id: run_id + 1000,
        })
        .await;
    // ...and a stop for this one ends it.
    client.send(&ClientMsg::Stop { run_id }).await;
    let msgs = client.recv_run().await;
    assert!(
        begun.elapsed() < DEADLINE / 2,
        "the stop took {:?}",
        begun.elapsed()
    );
    let Some(ServerMsg::RunEnded { outcome, .. }) = msgs.last() else {
        panic!("no end: {msgs:?}")
    };
    assert_eq!(*outcome, Outcome::Stopped);
    let cancelled: Vec<u32> = msgs
        .iter()
        .filter_map(|m| match m {
            ServerMsg::Event {
                subject,
                kind: EventKind::Cancelled,
                ..
            } => Some(*subject),
            _ => None,
        })
        .collect();
    assert!(
        cancelled.contains(&0) && cancelled.contains(&1),
        "cancelled: {cancelled:?}"
    );
}

#[tokio::test]
async fn a_new_run_ends_the_old_one_first() {
    let mut client = Client::connect(spawn_server().await).await;
    client.send(&run(sleeper(10_000))).await;
    let (old, _) = runner_pid(&mut client).await;
    client.send(&run(sleeper(1))).await;
    // What is left of the old run arrives first, down to its end, then the new run.
    let rest = client.recv_run().await;
    assert!(rest.iter().all(|m| m.run_id() == Some(old)));
    assert!(matches!(
        rest.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Stopped,
            ..
        })
    ));
    let new = client.recv_run().await;
    assert_numbered(&new);
    assert_ne!(new[0].run_id(), Some(old));
    assert!(matches!(
        new.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));
}

#[tokio::test]
async fn a_run_past_the_wall_time_limit_is_stopped_and_keeps_its_events() {
    // Two tasks that each block the loop for 2 s: 4 s on one loop thread, past a 1 s limit
    // and the grace a runner gets to stop (a blocked loop cannot hear the request).
    let wall = Duration::from_secs(1);
    let mut scenario = sleepers(1, 2);
    scenario.tasks[0].steps = vec![
        Step::Print {
            text: "blocking".into(),
        },
        Step::BlockingSleep { ms: 2_000 },
    ];
    let limits = Limits {
        run: RunLimits {
            wall,
            ..RunLimits::default()
        },
        ..Limits::default()
    };
    let mut client =
        Client::connect(spawn_server_limited(Capacity::of_cores(2), limits).await).await;
    let begun = Instant::now();
    client.send(&run(scenario)).await;
    let (_, pid) = runner_pid(&mut client).await;
    let msgs = client.recv_run().await;
    let took = begun.elapsed();
    assert!(
        matches!(
            msgs.last(),
            Some(ServerMsg::RunEnded {
                outcome: Outcome::TimedOut,
                ..
            })
        ),
        "{:?}",
        msgs.last()
    );
    assert!(took >= wall, "stopped after {took:?}");
    // What it printed before the limit is kept.
    assert!(msgs.iter().any(|m| matches!(
        m,
        ServerMsg::Event {
            kind: EventKind::Print { .. },
            ..
        }
    )));
    let proc = std::path::PathBuf::from(format!("/proc/{pid}"));
    eventually("the runner process to be gone", || !proc.exists()).await;
}

#[tokio::test]
async fn a_run_past_the_event_cap_is_stopped_with_exactly_the_cap_kept() {
    let cap = 300;
    // 200 tasks make at least 800 events.
    let scenario = sleepers(200, 200);
    let limits = Limits {
        run: RunLimits {
            events: cap,
            ..RunLimits::default()
        },
        ..Limits::default()
    };
    let mut client =
        Client::connect(spawn_server_limited(Capacity::of_cores(2), limits).await).await;
    client.send(&run(scenario)).await;
    let msgs = client.recv_run().await;
    assert_numbered(&msgs);
    let events = msgs
        .iter()
        .filter(|m| matches!(m, ServerMsg::Event { .. }))
        .count();
    assert_eq!(events as u64, cap);
    assert!(
        matches!(
            msgs.last(),
            Some(ServerMsg::RunEnded {
                outcome: Outcome::TooManyEvents,
                ..
            })
        ),
        "{:?}",
        msgs.last()
    );
}
