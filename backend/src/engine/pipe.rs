//! What the run's processes say to each other over their pipes, one JSON object a line.
//! Internal to the engine; the client never sees it.

use looplab_shared::model::Function;
use looplab_shared::protocol::{EventKind, Lane, Outcome};
use looplab_shared::python::value::Value;
use serde::{Deserialize, Serialize};

/// One event as the engine records it. [`crate::wire`] turns it into a protocol message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Nanoseconds since the run began (CLOCK_MONOTONIC).
    pub t_ns: u64,
    /// What it happened to.
    pub subject: u32,
    /// The process it happened in.
    pub pid: u32,
    /// The thread it happened on.
    pub tid: u64,
    /// Its lane.
    pub lane: Lane,
    /// What happened.
    pub kind: EventKind,
}

/// Runner → server, on the runner's stdout.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum RunnerOut {
    /// An event.
    Record(Record),
    /// The run is over; the runner exits next.
    End {
        /// How it ended.
        outcome: Outcome,
        /// Records that could not be kept.
        lost: u64,
    },
}

/// Server → runner, on the runner's stdin, after the scenario's line. End of file means the
/// server is gone: the runner kills its whole process group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RunnerIn {
    /// The client asked to stop.
    Stop,
    /// The run reached its wall-time limit.
    Timeout,
    /// The run emitted as many events as it may.
    TooManyEvents,
}

impl RunnerIn {
    /// How a run asked this way ends.
    pub(crate) fn outcome(self) -> Outcome {
        match self {
            RunnerIn::Stop => Outcome::Stopped,
            RunnerIn::Timeout => Outcome::TimedOut,
            RunnerIn::TooManyEvents => Outcome::TooManyEvents,
        }
    }
}

/// Runner → worker process, on the worker's stdin. End of file: the worker exits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct JobSpec {
    /// The job's subject id.
    pub(crate) subject: u32,
    /// Where its events go on the timeline.
    pub(crate) lane: Lane,
    /// The function to call.
    pub(crate) function: Function,
    /// Its arguments.
    pub(crate) args: Vec<Value>,
    /// The module's variables when the job was sent, which the function may read.
    pub(crate) globals: Vec<(String, Value)>,
    /// Subject ids reserved for the job's `par_cpu` chunks.
    pub(crate) first_chunk: u32,
    /// The scenario's `threading.Lock`s, by name, with their index: the process makes its
    /// own copies.
    pub(crate) thread_locks: Vec<(String, u32)>,
}

/// Worker process → runner, on the worker's stdout.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum WorkerOut {
    /// An event of the job.
    Record(Record),
    /// The job is done: what it returned, or why it failed.
    Done(Result<Value, String>),
}
