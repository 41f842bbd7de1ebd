//! The WebSocket protocol between the browser and the server: this module is its spec.
//!
//! Every message is one JSON text frame holding an object whose `type` field names the
//! variant (snake_case). The client sends [`ClientMsg`]; the server sends [`ServerMsg`].
//!
//! A connection has at most one run at a time. Each `run` request gets a fresh `run_id`, and
//! every server message carries that `run_id` and a `seq` that starts at 0 for the run's first
//! message and rises by one with each message of the run, so a client can drop messages of
//! runs it no longer shows and notice a gap. A run's messages are: one
//! [`RunStarted`](ServerMsg::RunStarted), its [`Event`](ServerMsg::Event)s in the order they
//! happened, one [`RunEnded`](ServerMsg::RunEnded) — or a single
//! [`Rejected`](ServerMsg::Rejected) if it never started.
//!
//! `tests/fixtures/` holds one example of every message; a test parses and re-serialises them,
//! so any change to the wire shows up there.

use serde::{Deserialize, Serialize};

use crate::model::Scenario;

/// Identifies one run on the server. Unique for the server's lifetime.
pub type RunId = u64;

/// What the browser sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// Run `scenario`. Stops the connection's current run first, if any. Answered by
    /// [`ServerMsg::RunStarted`] or [`ServerMsg::Rejected`].
    Run {
        /// What to run; validated against [`limits`](crate::limits) before it starts.
        scenario: Scenario,
    },
    /// Stop the run `run_id`. Its [`ServerMsg::RunEnded`] follows with [`Outcome::Stopped`].
    /// Ignored unless `run_id` is the connection's current run, so a stop that crosses a new
    /// `run` on the wire cannot stop the new run.
    Stop {
        /// The run to stop, from its [`ServerMsg::RunStarted`].
        run_id: RunId,
    },
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// A run was accepted and has begun. Always `seq` 0.
    RunStarted {
        /// The new run.
        run_id: RunId,
        /// Always 0.
        seq: u64,
        /// The scenario's name.
        name: String,
        /// What an ideal machine would take for the scenario, in nanoseconds, to compare the
        /// measured wall time with.
        ideal_wall_ns: u64,
    },
    /// Something happened in a run.
    Event {
        /// The run it happened in.
        run_id: RunId,
        /// Position in the run's message stream.
        seq: u64,
        /// When, in nanoseconds of a monotonic clock since the run began.
        t_ns: u64,
        /// Which task: 0 is `main`; `n` is the scenario's `tasks[n - 1]`.
        task: u32,
        /// Where it ran.
        lane: Lane,
        /// What happened.
        kind: EventKind,
    },
    /// A run is over; nothing more of it follows.
    RunEnded {
        /// The run that ended.
        run_id: RunId,
        /// Position in the run's message stream: the last one.
        seq: u64,
        /// How it ended.
        outcome: Outcome,
        /// Wall time from the run's start to its end, in nanoseconds.
        wall_ns: u64,
        /// Events the server had to drop because the client read too slowly. Task starts and
        /// ends are never dropped.
        events_lost: u64,
    },
    /// A request was refused; no run started. Answers a `run` whose scenario broke a limit,
    /// and any message the server could not understand.
    Rejected {
        /// The run the request would have started (a fresh id, used only here).
        run_id: RunId,
        /// Always 0.
        seq: u64,
        /// The offending field, as a path into the message: `scenario.tasks[1].steps[0].ms`,
        /// or `message` when the message as a whole was unreadable.
        field: String,
        /// What is wrong, naming the limit where one was broken.
        message: String,
    },
}

impl ServerMsg {
    /// The run this message belongs to.
    pub fn run_id(&self) -> RunId {
        match self {
            Self::RunStarted { run_id, .. }
            | Self::Event { run_id, .. }
            | Self::RunEnded { run_id, .. }
            | Self::Rejected { run_id, .. } => *run_id,
        }
    }

    /// The message's position in its run's stream.
    pub fn seq(&self) -> u64 {
        match self {
            Self::RunStarted { seq, .. }
            | Self::Event { seq, .. }
            | Self::RunEnded { seq, .. }
            | Self::Rejected { seq, .. } => *seq,
        }
    }
}

/// Where an event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Lane {
    /// On the event loop's thread.
    Loop {
        /// The OS process id of the process running the loop.
        pid: u32,
        /// The OS thread id of the loop's thread.
        tid: u64,
    },
}

/// What happened to a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The task was created and scheduled; it has not run yet.
    Created {
        /// The task's name.
        name: String,
    },
    /// The task ran for the first time.
    Started,
    /// The task printed a line to the console.
    Print {
        /// The line, without its newline.
        text: String,
    },
    /// The task hit an `await` that was not ready and gave the loop back.
    Suspended {
        /// What it waits for.
        on: WaitReason,
    },
    /// The task got the loop again after a suspension.
    Resumed,
    /// The task returned.
    Finished,
    /// The task was cancelled before it finished (the run was stopped or timed out).
    Cancelled,
}

/// What a suspended task waits for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WaitReason {
    /// A timer: `await asyncio.sleep(...)`.
    Sleep {
        /// For how long, in milliseconds after scaling.
        ms: f64,
    },
    /// Other tasks to finish: `await asyncio.gather(...)`.
    Gather,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// Every task finished.
    Completed,
    /// The client asked to stop it, or started another run.
    Stopped,
    /// It ran past [`MAX_RUN_WALL_MS`](crate::limits::MAX_RUN_WALL_MS) and was stopped.
    TimedOut,
    /// The engine failed.
    Failed {
        /// Why, for the learner.
        reason: String,
    },
}
