//! Admission over real sockets: runs that wait beside runs that compute, the queue and its
//! places, and a server that shuts down.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use looplab_backend::admission::Capacity;
use looplab_shared::model::{PoolKind, Step};
use looplab_shared::protocol::{ClientMsg, Outcome, ServerMsg};

use crate::requests::{run, sleeper};
use crate::support::{Client, eventually, pool_jobs, spawn_server_with};

async fn queued(client: &mut Client) -> (u64, u32) {
    match client.recv().await {
        ServerMsg::Queued {
            run_id, position, ..
        } => (run_id, position),
        other => panic!("expected a place in the queue, got {other:?}"),
    }
}

#[tokio::test]
async fn runs_beyond_the_slots_wait_in_order_and_are_told_their_place() {
    let addr = spawn_server_with(Capacity {
        cores: 1,
        light_per_core: 1,
        ..Capacity::of_cores(1)
    })
    .await;
    let (mut a, mut b, mut c) = (
        Client::connect(addr).await,
        Client::connect(addr).await,
        Client::connect(addr).await,
    );
    a.send(&run(sleeper(10_000))).await;
    let ServerMsg::RunStarted { run_id: a_run, .. } = a.recv().await else {
        panic!("a did not start")
    };
    b.send(&run(sleeper(1))).await;
    let (b_run, b_place) = queued(&mut b).await;
    c.send(&run(sleeper(1))).await;
    let (_, c_place) = queued(&mut c).await;
    assert_eq!((b_place, c_place), (1, 2));

    // b gives up its place: c moves up, and b's run ends without having started.
    b.send(&ClientMsg::Stop { run_id: b_run }).await;
    assert!(matches!(
        b.recv().await,
        ServerMsg::RunEnded {
            outcome: Outcome::Stopped,
            wall_ns: 0,
            ..
        }
    ));
    assert_eq!(queued(&mut c).await.1, 1);

    // a ends: c runs, its start numbered after its two places.
    a.send(&ClientMsg::Stop { run_id: a_run }).await;
    let msgs = c.recv_run().await;
    assert!(
        matches!(msgs[0], ServerMsg::RunStarted { seq: 2, .. }),
        "{:?}",
        msgs[0]
    );
    assert!(matches!(
        msgs.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));
}

async fn started(client: &mut Client) -> u64 {
    match client.recv().await {
        ServerMsg::RunStarted { run_id, .. } => run_id,
        other => panic!("expected a start, got {other:?}"),
    }
}

#[tokio::test]
async fn runs_that_wait_start_together_and_a_run_that_computes_has_its_core() {
    let light = 3;
    let addr = spawn_server_with(Capacity {
        cores: 1,
        light_per_core: light,
        ..Capacity::of_cores(1)
    })
    .await;
    // A class of runs that only wait: all start at once on the one core.
    let mut class = Vec::new();
    for _ in 0..light {
        let mut c = Client::connect(addr).await;
        c.send(&run(sleeper(10_000))).await;
        let run_id = started(&mut c).await;
        class.push((c, run_id));
    }
    // A run that computes waits for the core to be its own...
    let mut cpu = Client::connect(addr).await;
    cpu.send(&run(pool_jobs(
        PoolKind::Process,
        vec![Step::Cpu { ms: 1 }],
        1,
    )))
    .await;
    assert_eq!(queued(&mut cpu).await.1, 1);
    // ...and a run that waits, pressed after it, waits behind it.
    let mut late = Client::connect(addr).await;
    late.send(&run(sleeper(1))).await;
    assert_eq!(queued(&mut late).await.1, 2);
    for (c, run_id) in &mut class {
        c.send(&ClientMsg::Stop { run_id: *run_id }).await;
    }
    assert!(matches!(cpu.recv().await, ServerMsg::RunStarted { .. }));
    let msgs = late.recv_run().await;
    assert!(matches!(
        msgs.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));
}

#[tokio::test]
async fn sigterm_ends_every_run_tells_the_clients_and_leaves_nothing() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(["--port", "0", "--dist", "/nonexistent"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("looplab is serving http://")
        .trim_end_matches('/');
    let mut client = Client::connect(addr.parse().unwrap()).await;
    client.send(&run(sleeper(20_000))).await;
    let ServerMsg::RunStarted { .. } = client.recv().await else {
        panic!("no start")
    };
    let runner = match client.recv().await {
        ServerMsg::Event { pid, .. } => pid,
        other => panic!("expected an event, got {other:?}"),
    };

    // SAFETY: kill has no memory-safety preconditions; the pid is this test's server.
    unsafe { libc::kill(server.id() as libc::pid_t, libc::SIGTERM) };
    let rest = client.recv_run().await;
    assert!(
        matches!(
            rest.last(),
            Some(ServerMsg::RunEnded {
                outcome: Outcome::Stopped,
                ..
            })
        ),
        "{:?}",
        rest.last()
    );
    let reason = client.close_reason().await;
    assert!(reason.contains("shutting down"), "{reason}");
    let status = tokio::task::spawn_blocking(move || server.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "the server exited with {status}");
    let proc = std::path::PathBuf::from(format!("/proc/{runner}"));
    eventually("the run's runner to be gone", || !proc.exists()).await;
}
