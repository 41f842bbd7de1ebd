//! The server's side of a run: starts the runner process in a process group of its own,
//! streams its events, asks it to stop, enforces the wall-time limit and the event cap, and
//! kills the whole group when the run is over or abandoned.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use looplab_shared::limits::{MAX_EVENTS, MAX_RUN_WALL_MS};
use looplab_shared::model::Scenario;
use looplab_shared::protocol::Outcome;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::mpsc;
use tracing::Instrument;

use super::clock::monotonic_ns;
use super::pipe::{Record, RunnerIn, RunnerOut};

/// Malloc arenas each process of a run may have (glibc's `MALLOC_ARENA_MAX`).
const MALLOC_ARENAS: &str = "2";

/// How long a runner asked to stop may take before its group is killed.
const STOP_GRACE: Duration = Duration::from_secs(2);
/// Room between the runner's pipe and the session.
const CHANNEL: usize = 4096;

/// The limits a run is held to, counted here on the server's side of the pipe so that no
/// process of the run can escape them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLimits {
    /// Wall time before the run is stopped as [`Outcome::TimedOut`].
    pub wall: Duration,
    /// Events before the run is stopped as [`Outcome::TooManyEvents`]; later ones are dropped.
    pub events: u64,
}

impl Default for RunLimits {
    /// [`MAX_RUN_WALL_MS`] and [`MAX_EVENTS`].
    fn default() -> Self {
        Self {
            wall: Duration::from_millis(MAX_RUN_WALL_MS),
            events: MAX_EVENTS,
        }
    }
}

/// What a run produces, in order: its records, then exactly one `End`.
#[derive(Debug)]
pub enum RunOutput {
    /// Something happened.
    Record(Record),
    /// The run is over and every process of it is gone.
    End(RunReport),
}

/// How a run went.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// How it ended.
    pub outcome: Outcome,
    /// From the run's start until its processes were gone, in nanoseconds.
    pub wall_ns: u64,
    /// Records the runner could not keep.
    pub events_lost: u64,
}

/// Controls a run. Dropping it kills the run at once: its client is gone.
#[derive(Debug)]
pub struct RunHandle {
    control: mpsc::Sender<RunnerIn>,
    pid: u32,
}

impl RunHandle {
    /// Asks the run to stop; its `End` follows with [`Outcome::Stopped`].
    pub fn stop(&mut self) {
        let _ = self.control.try_send(RunnerIn::Stop);
    }

    /// The runner process's pid (its process group's id too).
    pub fn pid(&self) -> u32 {
        self.pid
    }
}

/// Starts `scenario`, which must have passed validation, in a new runner process: `runner` is
/// the `looplab` binary.
pub fn start(
    runner: &Path,
    scenario: &Scenario,
    limits: RunLimits,
) -> std::io::Result<(RunHandle, mpsc::Receiver<RunOutput>)> {
    let epoch = monotonic_ns();
    let mut child = Command::new(runner)
        .arg("__runner")
        .arg(epoch.to_string())
        // glibc reserves 64 MiB of address space for each thread's malloc arena, up to eight
        // a core: a run of a few dozen threads would spend its RLIMIT_AS on reservations and
        // fail to start threads and processes (EAGAIN). Its worker processes inherit this.
        .env("MALLOC_ARENA_MAX", MALLOC_ARENAS)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()?;
    let pid = child.id().unwrap_or_default();
    let (control, control_rx) = mpsc::channel(4);
    let (out, out_rx) = mpsc::channel(CHANNEL);
    let line = serde_json::to_string(scenario).unwrap_or_default();
    // In the caller's span (the server's `run`): these lines carry the run's id.
    let supervisor = async move {
        let report = supervise(&mut child, line, epoch, limits, control_rx, &out).await;
        // Whatever is left of the group goes before the runner is reaped: until then its
        // pid, and so the group id, cannot be reused by anyone else.
        kill_group(pid);
        let _ = child.wait().await;
        if let Outcome::Failed { reason } = &report.outcome {
            tracing::warn!(reason, "the run failed");
        }
        let _ = out.send(RunOutput::End(report)).await;
    };
    tokio::spawn(supervisor.in_current_span());
    Ok((RunHandle { control, pid }, out_rx))
}

fn kill_group(pgid: u32) {
    if let Ok(pgid) = libc::pid_t::try_from(pgid)
        && pgid > 0
    {
        // SAFETY: killpg has no memory-safety preconditions.
        unsafe { libc::killpg(pgid, libc::SIGKILL) };
    }
}

async fn supervise(
    child: &mut Child,
    scenario: String,
    epoch: u64,
    limits: RunLimits,
    mut control: mpsc::Receiver<RunnerIn>,
    out: &mpsc::Sender<RunOutput>,
) -> RunReport {
    let report = |outcome, lost| RunReport {
        outcome,
        wall_ns: monotonic_ns().saturating_sub(epoch),
        events_lost: lost,
    };
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return report(
            Outcome::Failed {
                reason: "the runner's pipes are missing".into(),
            },
            0,
        );
    };
    if send_line(&mut stdin, &scenario).await.is_err() {
        return report(
            Outcome::Failed {
                reason: "the runner process did not start".into(),
            },
            0,
        );
    }
    let mut lines = BufReader::new(stdout).lines();
    let limit = tokio::time::sleep(limits.wall);
    tokio::pin!(limit);
    let grace = tokio::time::sleep(Duration::MAX / 4);
    tokio::pin!(grace);
    let mut asked: Option<RunnerIn> = None;
    let mut events = 0u64;
    loop {
        tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => match serde_json::from_str::<RunnerOut>(&line) {
                    Ok(RunnerOut::Record(_)) if events >= limits.events => {}
                    Ok(RunnerOut::Record(record)) => {
                        if out.send(RunOutput::Record(record)).await.is_err() {
                            return report(Outcome::Stopped, 0);
                        }
                        events += 1;
                        if events == limits.events {
                            ask(&mut stdin, &mut asked, grace.as_mut(), RunnerIn::TooManyEvents).await;
                        }
                    }
                    Ok(RunnerOut::End { outcome, lost }) => return report(outcome, lost),
                    Err(_) => {}
                },
                // The runner ended without saying how: it died.
                _ => {
                    let status = child.wait().await.map(|s| s.to_string()).unwrap_or_default();
                    let outcome = match asked {
                        Some(asked) => asked.outcome(),
                        None => Outcome::Failed { reason: format!("the runner process died ({status})") },
                    };
                    return report(outcome, 0);
                }
            },
            msg = control.recv() => match msg {
                Some(msg) => ask(&mut stdin, &mut asked, grace.as_mut(), msg).await,
                // The handle is gone: nobody wants this run any more.
                None => return report(Outcome::Stopped, 0),
            },
            () = &mut limit, if asked.is_none() => {
                ask(&mut stdin, &mut asked, grace.as_mut(), RunnerIn::Timeout).await;
            }
            () = &mut grace => return report(asked.map_or(Outcome::Stopped, RunnerIn::outcome), 0),
        }
    }
}

/// Asks the runner to end (only the first request counts) and gives it [`STOP_GRACE`] before
/// its group is killed.
async fn ask(
    stdin: &mut ChildStdin,
    asked: &mut Option<RunnerIn>,
    grace: std::pin::Pin<&mut tokio::time::Sleep>,
    msg: RunnerIn,
) {
    if asked.is_some() {
        return;
    }
    *asked = Some(msg);
    tracing::debug!(?msg, "asked the runner to end");
    let _ = send_line(stdin, &serde_json::to_string(&msg).unwrap_or_default()).await;
    grace.reset(tokio::time::Instant::now() + STOP_GRACE);
}

async fn send_line(stdin: &mut ChildStdin, line: &str) -> std::io::Result<()> {
    stdin.write_all(line.as_bytes()).await?;
    stdin.write_all(b"\n").await?;
    stdin.flush().await
}
