//! One run: a loop thread, its tasks, and how the run ends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use looplab_shared::limits::MAX_RUN_WALL_MS;
use looplab_shared::model::{Scenario, Step};
use looplab_shared::protocol::{EventKind, Outcome, WaitReason};
use tokio::sync::{mpsc, oneshot};

use super::recorder::{Record, Recorder};

/// What a run produces, in order: its records, then exactly one `End`.
#[derive(Debug)]
pub enum RunOutput {
    /// Something happened.
    Record(Record),
    /// The run is over; the loop thread has exited and every task is gone.
    End(RunReport),
}

/// How a run went.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// How it ended.
    pub outcome: Outcome,
    /// From the run's start until every task was gone, in nanoseconds.
    pub wall_ns: u64,
    /// Records that did not fit the channel.
    pub events_lost: u64,
}

/// Controls a run. Dropping it stops the run, so a vanished client cannot leave one behind.
#[derive(Debug)]
pub struct RunHandle {
    stop: Option<oneshot::Sender<()>>,
}

impl RunHandle {
    /// Asks the run to stop; its `End` follows with [`Outcome::Stopped`].
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts `scenario` on a new loop thread. The scenario must have passed validation: its
/// event bound sizes the channel.
pub fn start(scenario: Scenario) -> std::io::Result<(RunHandle, mpsc::Receiver<RunOutput>)> {
    // Room for every record the scenario can produce, plus its end.
    let (tx, rx) = mpsc::channel(scenario.event_upper_bound() + 1);
    let (stop_tx, stop_rx) = oneshot::channel();
    std::thread::Builder::new()
        .name("looplab-loop".into())
        .spawn(move || run_loop(Arc::new(scenario), tx, stop_rx))?;
    Ok((
        RunHandle {
            stop: Some(stop_tx),
        },
        rx,
    ))
}

fn run_loop(scenario: Arc<Scenario>, tx: mpsc::Sender<RunOutput>, stop: oneshot::Receiver<()>) {
    let epoch = Instant::now();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let outcome = Outcome::Failed {
                reason: format!("could not start the event loop: {e}"),
            };
            let wall_ns = u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
            let report = RunReport {
                outcome,
                wall_ns,
                events_lost: 0,
            };
            let _ = tx.blocking_send(RunOutput::End(report));
            return;
        }
    };
    let rec = Recorder::new(epoch, tx.clone());
    let outcome = runtime.block_on(async {
        tokio::select! {
            () = main_task(scenario, rec.clone()) => Outcome::Completed,
            // A dropped handle stops the run just as an explicit stop does.
            _ = stop => Outcome::Stopped,
            () = tokio::time::sleep(Duration::from_millis(MAX_RUN_WALL_MS)) => Outcome::TimedOut,
        }
    });
    // Dropping the runtime drops every task still alive; their guards record `Cancelled`
    // before the end is sent.
    drop(runtime);
    let report = RunReport {
        outcome,
        wall_ns: rec.now_ns(),
        events_lost: rec.lost(),
    };
    // Blocking is fine here: the loop is gone, and the end must not be dropped.
    let _ = tx.blocking_send(RunOutput::End(report));
}

/// `main`: creates every task, then gathers them.
async fn main_task(scenario: Arc<Scenario>, rec: Recorder) {
    let guard = TaskGuard::new(0, rec.clone());
    rec.record(0, EventKind::Started);
    let handles: Vec<_> = (0..scenario.tasks.len())
        .map(|index| {
            let id = task_id(index);
            rec.record(
                id,
                EventKind::Created {
                    name: scenario.tasks[index].name.clone(),
                },
            );
            let guard = TaskGuard::new(id, rec.clone());
            tokio::spawn(async_task(scenario.clone(), index, guard))
        })
        .collect();
    rec.record(
        0,
        EventKind::Suspended {
            on: WaitReason::Gather,
        },
    );
    for handle in handles {
        // A task can only fail by panicking, and the engine does not panic; either way the
        // guard has recorded how the task ended.
        let _ = handle.await;
    }
    rec.record(0, EventKind::Resumed);
    guard.finish();
}

async fn async_task(scenario: Arc<Scenario>, index: usize, guard: TaskGuard) {
    let (id, rec) = (guard.task, guard.rec.clone());
    rec.record(id, EventKind::Started);
    for step in &scenario.tasks[index].steps {
        match step {
            Step::Print { text } => rec.record(id, EventKind::Print { text: text.clone() }),
            Step::Sleep { ms } => {
                let ms = *ms as f64 * scenario.time_scale;
                rec.record(
                    id,
                    EventKind::Suspended {
                        on: WaitReason::Sleep { ms },
                    },
                );
                tokio::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await;
                rec.record(id, EventKind::Resumed);
            }
        }
    }
    guard.finish();
}

fn task_id(index: usize) -> u32 {
    // Validation caps tasks far below u32::MAX.
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Records how a task ended: `Finished` when it returns, `Cancelled` when it is dropped
/// before that, even if it never ran.
#[derive(Debug)]
struct TaskGuard {
    task: u32,
    rec: Recorder,
    finished: bool,
}

impl TaskGuard {
    fn new(task: u32, rec: Recorder) -> Self {
        Self {
            task,
            rec,
            finished: false,
        }
    }

    fn finish(mut self) {
        self.finished = true;
        self.rec.record(self.task, EventKind::Finished);
    }
}

impl Drop for TaskGuard {
    fn drop(&mut self) {
        if !self.finished {
            self.rec.record(self.task, EventKind::Cancelled);
        }
    }
}
