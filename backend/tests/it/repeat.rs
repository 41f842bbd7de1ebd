//! A repeat (`ClientMsg::Repeat`): N real runs of one scenario, one after another, each
//! admitted like any run and sent as a digest; its limit, its turns in the queue and Stop.

use looplab_backend::admission::Capacity;
use looplab_shared::limits::MAX_REPEATS;
use looplab_shared::protocol::{ClientMsg, Outcome, ServerMsg};
use looplab_shared::repeat::Digest;

use crate::requests::{run, sleeper};
use crate::support::{Client, assert_numbered, spawn_server, spawn_server_with};

fn repeat(scenario: looplab_shared::model::Scenario, times: u32) -> ClientMsg {
    ClientMsg::Repeat { scenario, times }
}

fn thread_pool_fast() -> looplab_shared::model::Scenario {
    let mut s = looplab_shared::presets::find("thread-pool")
        .unwrap()
        .scenario();
    s.time_scale = 0.02;
    s
}

fn bytes(msgs: &[ServerMsg]) -> usize {
    msgs.iter()
        .map(|m| serde_json::to_string(m).unwrap().len() + 1)
        .sum()
}

#[tokio::test]
async fn a_repeat_of_n_runs_sends_n_digests_then_its_end() {
    let addr = spawn_server().await;
    let mut client = Client::connect(addr).await;
    let times = 20;
    client.send(&repeat(thread_pool_fast(), times)).await;
    let msgs = client.recv_run().await;
    assert_numbered(&msgs);
    assert!(
        matches!(&msgs[0], ServerMsg::RepeatStarted { times: 20, name, .. } if name == "thread-pool"),
        "{:?}",
        msgs[0]
    );
    let digests: Vec<(u32, &Digest)> = (msgs.iter())
        .filter_map(|m| match m {
            ServerMsg::Repeated { index, digest, .. } => Some((*index, digest)),
            _ => None,
        })
        .collect();
    assert_eq!(
        digests.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        (0..times).collect::<Vec<_>>()
    );
    for (_, d) in &digests {
        assert_eq!(d.outcome, Outcome::Completed);
        // 3 s × 0.02 of blocking sleep, at least.
        assert!(d.wall_ns >= 60_000_000, "{}", d.wall_ns);
        assert_eq!(d.console.len(), 4, "{:?}", d.console);
        assert!(
            d.console[..2]
                .iter()
                .all(|l| l.ends_with("started (blocking)"))
        );
        assert!(
            d.console[2..]
                .iter()
                .all(|l| l.ends_with("finished (blocking)"))
        );
        // Both jobs end, the order varying; the task that gathered them after.
        assert_eq!(d.ended.len(), 3, "{:?}", d.ended);
        assert!(!d.cut);
    }
    assert!(matches!(
        msgs.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));

    // What a repeat saves: the same runs' every event would weigh many times more.
    client.send(&run(thread_pool_fast())).await;
    let one = client.recv_run().await;
    let (streamed, digested) = (bytes(&one) * times as usize, bytes(&msgs));
    eprintln!("thread-pool × {times}: {digested} bytes as digests, {streamed} as events");
    assert!(digested * 4 < streamed, "{digested} vs {streamed}");
}

#[tokio::test]
async fn times_beyond_max_repeats_is_refused_by_its_field() {
    let addr = spawn_server().await;
    let mut client = Client::connect(addr).await;
    for times in [0, MAX_REPEATS + 1] {
        client.send(&repeat(sleeper(1), times)).await;
        match client.recv().await {
            ServerMsg::Rejected { field, message, .. } => {
                assert_eq!(field, "times");
                assert!(message.contains("MAX_REPEATS"), "{message}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn each_run_of_a_repeat_takes_its_turn_behind_runs_already_waiting() {
    // One place: a repeat's runs and another client's run cannot run together.
    let addr = spawn_server_with(Capacity {
        cores: 1,
        light_per_core: 1,
        ..Capacity::of_cores(1)
    })
    .await;
    let (mut a, mut b) = (Client::connect(addr).await, Client::connect(addr).await);
    a.send(&repeat(sleeper(300), 3)).await;
    let ServerMsg::RepeatStarted { .. } = a.recv().await else {
        panic!("the repeat did not start")
    };
    b.send(&run(sleeper(300))).await;
    assert!(matches!(
        b.recv().await,
        ServerMsg::Queued { position: 1, .. }
    ));
    // a's first run ends; its second waits behind b's, which starts.
    assert!(matches!(
        a.recv().await,
        ServerMsg::Repeated { index: 0, .. }
    ));
    let next = a.recv().await;
    assert!(
        matches!(next, ServerMsg::Queued { .. }),
        "the repeat's next run went before b's: {next:?}"
    );
    let b_run = b.recv_run().await;
    assert!(matches!(b_run[0], ServerMsg::RunStarted { .. }));
    assert!(matches!(
        b_run.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));
    let rest = a.recv_run().await;
    let indices: Vec<u32> = (rest.iter())
        .filter_map(|m| match m {
            ServerMsg::Repeated { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(indices, vec![1, 2]);
}

#[tokio::test]
async fn stop_ends_the_run_under_way_and_every_run_to_come() {
    let addr = spawn_server().await;
    let mut client = Client::connect(addr).await;
    client.send(&repeat(sleeper(200), 3)).await;
    let ServerMsg::RepeatStarted { run_id, .. } = client.recv().await else {
        panic!("the repeat did not start")
    };
    assert!(matches!(
        client.recv().await,
        ServerMsg::Repeated { index: 0, .. }
    ));
    let stopped_at = std::time::Instant::now();
    client.send(&ClientMsg::Stop { run_id }).await;
    // The second run, stopped, sends no digest; the third never starts.
    match client.recv().await {
        ServerMsg::RunEnded {
            run_id: ended,
            outcome: Outcome::Stopped,
            ..
        } => assert_eq!(ended, run_id),
        other => panic!("expected the repeat's end, got {other:?}"),
    }
    assert!(stopped_at.elapsed() < std::time::Duration::from_secs(2));

    // A new run after it is the connection's own again.
    client.send(&run(sleeper(1))).await;
    let msgs = client.recv_run().await;
    assert!(matches!(msgs[0], ServerMsg::RunStarted { .. }));
}

#[tokio::test]
async fn a_run_replaces_a_repeat_which_ends_as_stopped_first() {
    let addr = spawn_server().await;
    let mut client = Client::connect(addr).await;
    client.send(&repeat(sleeper(10_000), 3)).await;
    let ServerMsg::RepeatStarted { run_id, .. } = client.recv().await else {
        panic!("the repeat did not start")
    };
    client.send(&run(sleeper(1))).await;
    match client.recv().await {
        ServerMsg::RunEnded {
            run_id: ended,
            outcome: Outcome::Stopped,
            ..
        } => assert_eq!(ended, run_id),
        other => panic!("expected the repeat's end, got {other:?}"),
    }
    let msgs = client.recv_run().await;
    assert!(matches!(msgs[0], ServerMsg::RunStarted { .. }));
}

#[tokio::test]
async fn a_deadlocked_runs_digest_names_who_never_ended() {
    let addr = spawn_server().await;
    let mut client = Client::connect(addr).await;
    let mut s = looplab_shared::presets::find("lock-order-deadlock")
        .unwrap()
        .scenario();
    s.time_scale = 0.2;
    client.send(&repeat(s, 2)).await;
    let msgs = client.recv_run().await;
    let digests: Vec<&Digest> = (msgs.iter())
        .filter_map(|m| match m {
            ServerMsg::Repeated { digest, .. } => Some(digest),
            _ => None,
        })
        .collect();
    assert_eq!(digests.len(), 2);
    for d in digests {
        assert!(matches!(d.outcome, Outcome::Deadlocked { .. }), "{d:?}");
        // The engine cancels the stuck tasks to end the run; CPython would wait for ever.
        assert!(d.ended.is_empty(), "{:?}", d.ended);
        for who in ["transfer", "audit"] {
            assert!(d.unended.iter().any(|u| u == who), "{:?}", d.unended);
        }
    }
}
