//! Faults injected for real: processes of a run killed mid-way.

use std::time::{Duration, Instant};

use looplab_shared::model::{PoolKind, Scenario, Step};
use looplab_shared::protocol::{ClientMsg, EventKind, Outcome, ServerMsg, SubjectKind};

use crate::lessons::ONE_AT_A_TIME;
use crate::support::{Client, alive, eventually, pool_jobs, spawn_server};

fn kill(pid: u32) {
    // SAFETY: kill has no memory-safety preconditions; the pid is one of this test's runs.
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
}

/// One CPU job of `ms` on a process pool of one worker.
fn one_job(ms: u64) -> Scenario {
    pool_jobs(PoolKind::Process, vec![Step::Cpu { ms }], 1)
}

/// Starts a 20 s CPU job; returns the pid of the run's runner, which records main's events.
async fn start_long_job(client: &mut Client) -> u32 {
    client
        .send(&ClientMsg::Run {
            scenario: one_job(20_000),
        })
        .await;
    until(client, |m| match m {
        ServerMsg::Event { pid, .. } => Some(*pid),
        _ => None,
    })
    .await
}

/// The subject of the run's one pool job, from its creation.
async fn job_subject(client: &mut Client) -> u32 {
    until(client, |m| match m {
        ServerMsg::Event {
            subject,
            kind:
                EventKind::Created {
                    what: SubjectKind::Job,
                    ..
                },
            ..
        } => Some(*subject),
        _ => None,
    })
    .await
}

/// Reads messages until `pick` returns something.
async fn until<T>(client: &mut Client, mut pick: impl FnMut(&ServerMsg) -> Option<T>) -> T {
    loop {
        if let Some(found) = pick(&client.recv().await) {
            return found;
        }
    }
}

#[tokio::test]
async fn a_killed_runner_ends_the_run_as_failed_and_the_server_serves_on() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let addr = spawn_server().await;
    let mut client = Client::connect(addr).await;
    // main's events come from the runner.
    let runner = start_long_job(&mut client).await;
    kill(runner);
    let outcome = until(&mut client, |m| match m {
        ServerMsg::RunEnded { outcome, .. } => Some(outcome.clone()),
        _ => None,
    })
    .await;
    match outcome {
        Outcome::Failed { reason } => assert!(reason.contains("runner process died"), "{reason}"),
        other => panic!("expected a failure, got {other:?}"),
    }
    // The worker went with its runner, and the server still runs scenarios.
    let mut other = Client::connect(addr).await;
    other
        .send(&ClientMsg::Run {
            scenario: one_job(10),
        })
        .await;
    let msgs = other.recv_run().await;
    assert!(matches!(
        msgs.last(),
        Some(ServerMsg::RunEnded {
            outcome: Outcome::Completed,
            ..
        })
    ));
    let proc = std::path::PathBuf::from(format!("/proc/{runner}"));
    eventually("the killed runner to be reaped", || !proc.exists()).await;
}

#[tokio::test]
async fn a_killed_pool_worker_breaks_the_pool_and_the_run_ends_cleanly() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut client = Client::connect(spawn_server().await).await;
    client
        .send(&ClientMsg::Run {
            scenario: one_job(20_000),
        })
        .await;
    // The job's own `started` comes from the worker process.
    let job = job_subject(&mut client).await;
    let worker = until(&mut client, |m| match m {
        ServerMsg::Event {
            subject,
            pid,
            kind: EventKind::Started,
            ..
        } if *subject == job => Some(*pid),
        _ => None,
    })
    .await;
    kill(worker);
    let mut failed = None;
    let outcome = until(&mut client, |m| match m {
        ServerMsg::Event {
            subject,
            kind: EventKind::Failed { reason },
            ..
        } if *subject == job => {
            failed = Some(reason.clone());
            None
        }
        ServerMsg::RunEnded { outcome, .. } => Some(outcome.clone()),
        _ => None,
    })
    .await;
    let failed = failed.expect("the job did not fail");
    assert!(failed.contains("BrokenProcessPool"), "{failed}");
    assert!(
        matches!(&outcome, Outcome::Failed { reason } if reason.contains("BrokenProcessPool")),
        "{outcome:?}"
    );
}

/// The soft limit named `name` in /proc/PID/limits.
fn proc_limit(pid: u32, name: &str) -> String {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with(name))
        .unwrap()
        .to_owned();
    line[name.len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn every_process_of_a_run_has_the_runs_limits() {
    use looplab_shared::limits::{
        MAX_PROCESS_CPU_S, MAX_PROCESS_MEMORY_BYTES, MAX_PROCESS_OPEN_FILES,
    };
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut client = Client::connect(spawn_server().await).await;
    // The module's events come from the runner.
    let runner = start_long_job(&mut client).await;
    let job = job_subject(&mut client).await;
    let worker = until(&mut client, |m| match m {
        ServerMsg::Event {
            subject,
            pid,
            kind: EventKind::Started,
            ..
        } if *subject == job => Some(*pid),
        _ => None,
    })
    .await;
    assert_ne!(runner, worker);
    for pid in [runner, worker] {
        assert_eq!(
            proc_limit(pid, "Max address space"),
            MAX_PROCESS_MEMORY_BYTES.to_string()
        );
        assert_eq!(
            proc_limit(pid, "Max cpu time"),
            MAX_PROCESS_CPU_S.to_string()
        );
        assert_eq!(
            proc_limit(pid, "Max open files"),
            MAX_PROCESS_OPEN_FILES.to_string()
        );
    }
}

#[tokio::test]
async fn a_vanished_client_takes_every_process_of_its_run_within_a_second() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut client = Client::connect(spawn_server().await).await;
    let runner = start_long_job(&mut client).await;
    let worker = until(&mut client, |m| match m {
        ServerMsg::Event { pid, .. } if *pid != runner => Some(*pid),
        _ => None,
    })
    .await;
    assert_ne!(
        runner,
        std::process::id(),
        "the run must not run in the server"
    );
    assert!(
        alive(runner) && alive(worker),
        "the run's processes are not alive"
    );
    let gone = Instant::now();
    drop(client);
    eventually("the run's processes to end", || {
        !alive(runner) && !alive(worker)
    })
    .await;
    let took = gone.elapsed();
    assert!(took < Duration::from_secs(1), "gone after {took:?}");
}
