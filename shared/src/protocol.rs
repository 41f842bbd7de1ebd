//! The WebSocket protocol between the browser and the server: this module is its spec.
//!
//! Every message is a JSON object whose `type` field names the variant (snake_case). The
//! client sends [`ClientMsg`], one a text frame. The server sends [`ServerMsg`], one or more a
//! text frame, one a line (JSON Lines, `\n` between them): a burst of ten thousand events
//! costs a handful of frames, not ten thousand. [`server_messages`] reads a frame.
//!
//! A repeat ([`ClientMsg::Repeat`]) is one stream like a run's: its
//! [`RepeatStarted`](ServerMsg::RepeatStarted), then for each of its runs `queued` messages
//! while it waits and one [`Repeated`](ServerMsg::Repeated) as it ends, then one
//! `run_ended`.
//!
//! Besides runs, the client may ask the server to read a Python program
//! ([`ClientMsg::Parse`]); the answer ([`ServerMsg::Parsed`]) belongs to no run.
//!
//! A connection has at most one run at a time. Each `run` request gets a fresh `run_id`, and
//! every server message carries that `run_id` and a `seq` that starts at 0 for the run's first
//! message and rises by one with each message of the run, so a client can drop messages of
//! runs it no longer shows and notice a gap. A run's messages are: one
//! [`RunStarted`](ServerMsg::RunStarted), its [`Event`](ServerMsg::Event)s in the order they
//! happened, one [`RunEnded`](ServerMsg::RunEnded) — or a single
//! [`Rejected`](ServerMsg::Rejected) if it never started. When every run slot is taken, a
//! run first waits in the server's queue: [`Queued`](ServerMsg::Queued) messages, one each
//! time its place changes, come before its `run_started`.
//!
//! `tests/fixtures/` holds one example of every message; a test parses and re-serialises them,
//! so any change to the wire shows up there.

use serde::{Deserialize, Serialize};

mod json;

use crate::model::Scenario;
use crate::python::Diagnostic;
use crate::repeat::Digest;

/// The server messages in one text frame, in order: one JSON object a line.
pub fn server_messages(frame: &str) -> impl Iterator<Item = serde_json::Result<ServerMsg>> + '_ {
    frame
        .split('\n')
        .filter(|line| !line.trim().is_empty())
        .map(serde_json::from_str)
}

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
    /// Read a Python program into a scenario. Answered by [`ServerMsg::Parsed`] with the same
    /// `id`; no run starts. The page has no Python parser of its own (it would double the
    /// page's weight), so it asks the server it already holds a socket to.
    Parse {
        /// Chosen by the client and echoed in the answer, so that it can ignore answers to
        /// text it no longer shows.
        id: u64,
        /// The program, at most [`MAX_PYTHON_BYTES`](crate::limits::MAX_PYTHON_BYTES).
        source: String,
    },
    /// Run `scenario` `times` times, one run after another, to see what varies between runs.
    /// Stops the connection's current run first, if any. Each run is a whole run, admitted
    /// like any other (it may wait in the queue) and holding one run's place while it runs;
    /// instead of its events, each sends its [`Digest`]. Answered by
    /// [`ServerMsg::RepeatStarted`] or [`ServerMsg::Rejected`]; then, for each run,
    /// [`ServerMsg::Queued`] messages while it waits and a [`ServerMsg::Repeated`] when it
    /// ends; then one [`ServerMsg::RunEnded`] for the whole repeat. A
    /// [`ClientMsg::Stop`] of the repeat's `run_id` stops the run under way and every run
    /// still to come.
    Repeat {
        /// What to run; validated against [`limits`](crate::limits) before it starts.
        scenario: Scenario,
        /// How many runs: 1 to [`MAX_REPEATS`](crate::limits::MAX_REPEATS).
        times: u32,
    },
    /// Stop the run `run_id`. Its [`ServerMsg::RunEnded`] follows with [`Outcome::Stopped`].
    /// Ignored unless `run_id` is the connection's current run, so a stop that crosses a new
    /// `run` on the wire cannot stop the new run.
    Stop {
        /// The run to stop, from its [`ServerMsg::RunStarted`].
        run_id: RunId,
    },
}

/// What the server sends: an object with its `type` (snake case) and its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "json::MsgJson", into = "json::MsgJson")]
pub enum ServerMsg {
    /// The run waits for a free run slot. Sent when it joins the queue and whenever its place
    /// changes; `run_started` follows when it is admitted, or `run_ended` if it is stopped
    /// while waiting.
    Queued {
        /// The waiting run.
        run_id: RunId,
        /// Position in the run's message stream.
        seq: u64,
        /// Its place in the queue: 1 is next.
        position: u32,
    },
    /// A run was accepted and has begun: `seq` 0, or the next after its `queued` messages.
    RunStarted {
        /// The new run.
        run_id: RunId,
        /// Position in the run's message stream.
        seq: u64,
        /// The scenario's name.
        name: String,
        /// What an ideal machine would take for the scenario, in nanoseconds, to compare the
        /// measured wall time with.
        ideal_wall_ns: u64,
        /// The length its lesson states, in nanoseconds at the scenario's time scale, when
        /// the scenario is a lesson as written and the lesson states one (where contention is
        /// the point, and the ideal would hide it). Absent otherwise.
        predicted_wall_ns: Option<u64>,
        /// Cores of the machine that runs it: no more than these can be busy at once.
        cores: u32,
    },
    /// A [`ClientMsg::Repeat`] was accepted: `seq` 0 of the repeat, whose `run_id` every
    /// message of it carries. Its runs follow, each admitted in turn.
    RepeatStarted {
        /// The repeat.
        run_id: RunId,
        /// Always 0.
        seq: u64,
        /// The scenario's name.
        name: String,
        /// How many runs it will make.
        times: u32,
        /// Cores of the machine that runs them.
        cores: u32,
    },
    /// One run of a repeat ended (a run stopped by a [`ClientMsg::Stop`] sends none).
    Repeated {
        /// The repeat.
        run_id: RunId,
        /// Position in the repeat's message stream.
        seq: u64,
        /// Which run, from 0.
        index: u32,
        /// What it did.
        digest: Digest,
    },
    /// Something happened in a run.
    Event {
        /// The run it happened in.
        run_id: RunId,
        /// Position in the run's message stream.
        seq: u64,
        /// When, in nanoseconds since the run began, from the machine's monotonic clock
        /// (comparable across the run's processes).
        t_ns: u64,
        /// What it happened to: 0 is `main`; every other id is introduced by its
        /// [`EventKind::Created`].
        subject: u32,
        /// The OS process it happened in.
        pid: u32,
        /// The OS thread it happened on.
        tid: u64,
        /// The lane it belongs to on the timeline.
        lane: Lane,
        /// What happened.
        kind: EventKind,
    },
    /// A run is over; nothing more of it follows. Of a repeat: every run of it is over, or
    /// it was stopped (`outcome` completed or stopped, `wall_ns` from its acceptance to its
    /// end, `events_lost` summed over its runs).
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
    /// The answer to a [`ClientMsg::Parse`]: the scenario the program stands for, or each
    /// problem found, at its line and column. Belongs to no run: it carries the parse's `id`
    /// instead of a `run_id` and a `seq`.
    Parsed {
        /// The request's `id`.
        id: u64,
        /// The scenario, when the program is in looplab's subset and within its limits, as
        /// its JSON text: the page reads it with the reader it has for the JSON view (the
        /// whole model read a second way would weigh on every learner's download).
        scenario: Option<String>,
        /// Why it is not, in source order; empty when `scenario` is there.
        diagnostics: Vec<Diagnostic>,
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
    /// The run this message belongs to; `None` for a [`ServerMsg::Parsed`].
    pub fn run_id(&self) -> Option<RunId> {
        match self {
            Self::RunStarted { run_id, .. }
            | Self::RepeatStarted { run_id, .. }
            | Self::Repeated { run_id, .. }
            | Self::Queued { run_id, .. }
            | Self::Event { run_id, .. }
            | Self::RunEnded { run_id, .. }
            | Self::Rejected { run_id, .. } => Some(*run_id),
            Self::Parsed { .. } => None,
        }
    }

    /// The message's position in its run's stream; `None` for a [`ServerMsg::Parsed`].
    pub fn seq(&self) -> Option<u64> {
        match self {
            Self::RunStarted { seq, .. }
            | Self::RepeatStarted { seq, .. }
            | Self::Repeated { seq, .. }
            | Self::Queued { seq, .. }
            | Self::Event { seq, .. }
            | Self::RunEnded { seq, .. }
            | Self::Rejected { seq, .. } => Some(*seq),
            Self::Parsed { .. } => None,
        }
    }
}

/// Where an event happened: the timeline's lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "json::LaneJson", into = "json::LaneJson")]
pub enum Lane {
    /// On the main thread, which runs the module's code and, inside `asyncio.run`, the event
    /// loop (for a multi-threaded loop, on one of the loop's threads).
    Loop,
    /// On worker `worker` of the scenario's `pools[pool]`.
    PoolWorker {
        /// Index into the scenario's `pools`; one past the last is the loop's default
        /// executor (`run_in_executor(None, ...)`).
        pool: u32,
        /// The worker, counted from 0 in the order the pool started them.
        worker: u32,
    },
    /// On a thread started by `start_thread`; the subject is the thread.
    Thread,
    /// In a process started by `start_process`; the subject is the process.
    Process,
    /// On worker `worker` of the run's rayon pool.
    Rayon {
        /// The rayon worker's index.
        worker: u32,
    },
}

/// What kind of thing a subject is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// The module's own code, on the main thread: subject 0.
    Main,
    /// An asyncio task.
    Task,
    /// A job submitted to a pool with `run_in_executor`.
    Job,
    /// A thread started with `threading.Thread`.
    Thread,
    /// A process started with `multiprocessing.Process`.
    Process,
    /// One request the server answers.
    Request,
    /// One chunk of a `par_cpu` step.
    Chunk,
}

/// What happened to a subject: an object with its `type` (snake case) and its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "json::EventJson", into = "json::EventJson")]
pub enum EventKind {
    /// The subject exists; it has not run yet.
    Created {
        /// Its name: the task's or function's, with the call's argument if any.
        name: String,
        /// What it is.
        what: SubjectKind,
        /// The subject that created it.
        parent: u32,
    },
    /// A job waits in its pool's queue for a free worker.
    Queued,
    /// The subject began to run.
    Started,
    /// The subject printed a line to the console.
    Print {
        /// The line, without its newline.
        text: String,
    },
    /// A task hit an `await` that was not ready and gave the loop back.
    Suspended {
        /// What it waits for.
        on: WaitReason,
    },
    /// A suspended task got the loop again.
    Resumed,
    /// The subject blocks the thread it runs on (on the loop: the whole loop) for a while.
    Blocked {
        /// Why.
        on: BlockReason,
        /// For how long, in milliseconds after scaling (0 when it waits for others: a join,
        /// a lock).
        ms: f64,
        /// For [`BlockReason::Lock`]: which `threading.Lock`, its index in the scenario's
        /// `resources`.
        resource: Option<u32>,
    },
    /// The blocking call returned.
    Unblocked,
    /// The subject waits for its process's GIL.
    GilWait,
    /// The subject holds its process's GIL.
    GilAcquire,
    /// The subject gave its process's GIL up.
    GilRelease,
    /// The subject ended normally.
    Finished,
    /// A task was cancelled: pending when `asyncio.run` ended, or the run was stopped.
    Cancelled,
    /// A thread or process ended where it stood: a daemon process terminated at exit, a
    /// daemon thread abandoned when the interpreter finished, or the run stopped.
    Killed,
    /// The subject failed; the reason says why (a broken process pool, for instance).
    Failed {
        /// Why, for the learner.
        reason: String,
    },
    /// A request was answered; `latency_ns` runs from its arrival to its answer.
    Responded {
        /// From arrival to answer, in nanoseconds.
        latency_ns: u64,
    },
    /// The subject took a lock, or one of a semaphore's places (`async with`, `with`): it
    /// holds it until its [`EventKind::Released`]. Recorded whether or not it had to wait.
    Acquired {
        /// Which: its index in the scenario's `resources`.
        resource: u32,
    },
    /// The subject let a lock or a semaphore's place go (its `async with` block ended).
    Released {
        /// Which: its index in the scenario's `resources`.
        resource: u32,
    },
    /// The subject put an item on a queue (`await queue.put(...)` returned).
    Put {
        /// Which queue: its index in the scenario's `resources`.
        resource: u32,
        /// The item's number on that queue, counting puts from 0: the `Got` with the same
        /// number took this item (a queue is first in, first out).
        item: u64,
    },
    /// The subject took an item off a queue (`await queue.get()` returned).
    Got {
        /// Which queue: its index in the scenario's `resources`.
        resource: u32,
        /// The item's number, as its [`EventKind::Put`] said.
        item: u64,
    },
    /// The subject set an event (`event.set()`): every task waiting on it may go on.
    Set {
        /// Which event: its index in the scenario's `resources`.
        resource: u32,
    },
    /// The loop's heartbeat woke `lag_ns` later than it asked to: how long the loop could not
    /// run anything. Subject 0. Sent only for a lag of at least
    /// [`LAG_REPORT_MS`](crate::limits::LAG_REPORT_MS): no news is an on-time loop.
    LoopLag {
        /// The delay, in nanoseconds.
        lag_ns: u64,
    },
}

/// What a suspended task waits for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "json::WaitJson", into = "json::WaitJson")]
pub enum WaitReason {
    /// A timer: `await asyncio.sleep(...)`.
    Sleep {
        /// For how long, in milliseconds after scaling.
        ms: f64,
    },
    /// Other tasks or jobs: `await asyncio.gather(...)`.
    Gather {
        /// The subjects gathered, in the call's order.
        subjects: Vec<u32>,
    },
    /// One task, job or coroutine: `await task`, `await loop.run_in_executor(...)`.
    Await {
        /// The task or job awaited; none for a coroutine awaited directly, which runs as
        /// part of the task that awaits it.
        subject: Option<u32>,
    },
    /// Threads and processes to end.
    Join,
    /// `async with` a lock or a semaphore that others hold.
    Lock {
        /// Which: its index in the scenario's `resources`.
        resource: u32,
    },
    /// `await event.wait()` on an event not set yet.
    Event {
        /// Which: its index in the scenario's `resources`.
        resource: u32,
    },
    /// `await queue.put(...)` on a full queue.
    QueuePut {
        /// Which: its index in the scenario's `resources`.
        resource: u32,
    },
    /// `await queue.get()` on an empty queue.
    QueueGet {
        /// Which: its index in the scenario's `resources`.
        resource: u32,
    },
    /// `await queue.join()` while items put are not all done.
    QueueJoin {
        /// Which: its index in the scenario's `resources`.
        resource: u32,
    },
}

/// Why a subject blocks its thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockReason {
    /// `time.sleep()`.
    Sleep,
    /// CPU work.
    Cpu,
    /// Data-parallel CPU work on the rayon pool, waited for.
    ParCpu,
    /// Waiting for threads or processes to end (`join()`, and at exit) or for a pool's jobs
    /// to finish (the end of a `with` block).
    Join,
    /// `with lock:` on a `threading.Lock` another thread holds.
    Lock,
    /// The module's code in `asyncio.run()`, or serving a web app: it waits while the event
    /// loop it runs on this thread runs tasks, until the coroutine (or the server) is done.
    /// The loop's tasks show what runs meanwhile.
    Loop,
}

/// One subject of a deadlock, and what it waited for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stuck {
    /// The subject that waited.
    pub subject: u32,
    /// The resource it waited on, its index in the scenario's `resources`; none when it
    /// waited for other subjects (an `await`, a `gather`, a `join()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<u32>,
    /// The subjects it waited for: the holders of the lock, the task awaited, the threads
    /// joined. Empty when no one could ever let it go on (an event no one will set, a queue
    /// no one will fill). A cycle through these is the deadlock's cycle.
    pub on: Vec<u32>,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "json::OutcomeJson", into = "json::OutcomeJson")]
pub enum Outcome {
    /// Every task finished.
    Completed,
    /// The client asked to stop it, or started another run.
    Stopped,
    /// It ran past [`MAX_RUN_WALL_MS`](crate::limits::MAX_RUN_WALL_MS) and was stopped.
    TimedOut,
    /// The run was stopped at [`MAX_EVENTS`](crate::limits::MAX_EVENTS).
    TooManyEvents,
    /// Nothing could move any more: every subject still running waited for a resource or
    /// for another subject that would never let it go on (two locks taken in opposite
    /// orders, `queue.join()` with no one left to call `task_done()`). CPython would wait
    /// forever; the run was ended as soon as this was certain.
    Deadlocked {
        /// Every subject that was stuck, and what it waited for.
        stuck: Vec<Stuck>,
    },
    /// The engine failed: its runner process died, for instance.
    Failed {
        /// Why, for the learner.
        reason: String,
    },
}
