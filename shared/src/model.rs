//! The scenario model: what a learner builds and the engine runs.
//!
//! A scenario is a small declarative program, shaped like the Python programs of the lessons;
//! no user code is ever run. It has:
//! - `tasks`: coroutines (`async def`), run on the event loop;
//! - `functions`: plain functions (`def`), run by pools, threads and processes;
//! - `pools`: thread and process pools (`ThreadPoolExecutor`, `ProcessPoolExecutor`);
//! - `main`: the steps of `async def main()`, which `asyncio.run` runs;
//! - `requests`: optionally, requests arriving at a steady rate, each handled by a task, as a
//!   web server's would be.
//!
//! When `main`'s steps end, non-daemon threads and processes are joined and daemon ones are
//! killed where they stand; tasks still pending are cancelled.

use serde::{Deserialize, Serialize};

/// A whole scenario, as sent by the client in [`ClientMsg::Run`](crate::protocol::ClientMsg::Run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short title. At most [`MAX_NAME_BYTES`](crate::limits::MAX_NAME_BYTES).
    pub name: String,
    /// Multiplies every duration: `0.1` runs ten times faster than written. Between
    /// [`MIN_TIME_SCALE`](crate::limits::MIN_TIME_SCALE) and
    /// [`MAX_TIME_SCALE`](crate::limits::MAX_TIME_SCALE); `1.0` when absent.
    #[serde(default = "default_time_scale")]
    pub time_scale: f64,
    /// How the loop runs and whether the GIL is simulated.
    #[serde(default)]
    pub options: Options,
    /// Executors that `run_in_executor` calls can name.
    #[serde(default)]
    pub pools: Vec<Pool>,
    /// Plain functions, run by pools, threads and processes.
    #[serde(default)]
    pub functions: Vec<Function>,
    /// Coroutines, run as tasks on the loop.
    #[serde(default)]
    pub tasks: Vec<Function>,
    /// The steps of `async def main()`.
    pub main: Vec<Step>,
    /// Requests arriving while `main` runs.
    #[serde(default)]
    pub requests: Option<Requests>,
}

fn default_time_scale() -> f64 {
    1.0
}

/// Run-wide switches.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Which event loop runs the tasks.
    #[serde(default)]
    pub loop_flavor: LoopFlavor,
    /// Simulate CPython's global interpreter lock: in each process, one thread at a time runs
    /// `cpu` steps, handing over about every
    /// [`GIL_SWITCH_MS`](crate::limits::GIL_SWITCH_MS); sleeping and waiting release it.
    #[serde(default)]
    pub gil: bool,
}

/// Which event loop runs the tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LoopFlavor {
    /// One thread, like asyncio's loop: a task that blocks stops every other task.
    #[default]
    SingleThread,
    /// tokio's work-stealing runtime with `workers` threads: tasks may run in parallel.
    MultiThread {
        /// Worker threads, at most [`MAX_LOOP_WORKERS`](crate::limits::MAX_LOOP_WORKERS).
        workers: u32,
    },
}

/// A thread or process pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// How `run_in_executor` calls name it.
    pub name: String,
    /// Threads or processes.
    pub kind: PoolKind,
    /// Workers at most; jobs beyond them wait in the pool's queue. At most
    /// [`MAX_POOL_WORKERS`](crate::limits::MAX_POOL_WORKERS).
    pub max_workers: u32,
}

/// What a pool's workers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolKind {
    /// Threads of the run's process (`ThreadPoolExecutor`): they share its GIL.
    Thread,
    /// Separate OS processes (`ProcessPoolExecutor`): each has its own GIL.
    Process,
}

/// A coroutine or a plain function: a name and its steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// How calls name it. At most [`MAX_NAME_BYTES`](crate::limits::MAX_NAME_BYTES).
    pub name: String,
    /// What it does, in order.
    pub steps: Vec<Step>,
}

/// Requests arriving at a steady rate, each handled by a new task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requests {
    /// The task that handles one request.
    pub handler: String,
    /// Time between two arrivals, in ms before scaling.
    pub every_ms: u64,
    /// How many arrive. At most [`MAX_REQUESTS`](crate::limits::MAX_REQUESTS).
    pub count: u32,
}

/// One step. `print`, `sleep`, `blocking_sleep`, `cpu` and `par_cpu` may appear anywhere; the
/// others only in `main` and in tasks, where there is a loop to await on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Writes a line to the console. `{arg}` is replaced by the call's argument.
    Print {
        /// The line. At most [`MAX_TEXT_BYTES`](crate::limits::MAX_TEXT_BYTES).
        text: String,
    },
    /// In a task, `await asyncio.sleep()`: the task suspends and the loop is free. In a
    /// function, `time.sleep()`. Releases the GIL.
    Sleep {
        /// Milliseconds, before scaling. At most [`MAX_STEP_MS`](crate::limits::MAX_STEP_MS).
        ms: u64,
    },
    /// `time.sleep()`: blocks the thread that runs it — in a task, the loop itself.
    BlockingSleep {
        /// Milliseconds, before scaling.
        ms: u64,
    },
    /// Pure-Python CPU work: burns `ms` of CPU time on the thread that runs it, holding the GIL
    /// when it is on. In a task it blocks the loop.
    Cpu {
        /// Milliseconds of CPU time, before scaling.
        ms: u64,
    },
    /// Data-parallel CPU work split into `chunks` on a rayon pool (native code: no GIL).
    ParCpu {
        /// Milliseconds of CPU time in all, before scaling.
        ms: u64,
        /// Pieces it is split into. At most [`MAX_PAR_CHUNKS`](crate::limits::MAX_PAR_CHUNKS).
        chunks: u32,
    },
    /// `asyncio.create_task(task())` without awaiting it. Cancelled if still pending when
    /// main ends.
    Spawn {
        /// The task to start.
        task: String,
    },
    /// `await asyncio.gather(...)`: starts every call and waits for all.
    Gather {
        /// What to run together.
        calls: Vec<Call>,
    },
    /// `threading.Thread(target=function, daemon=daemon).start()`.
    StartThread {
        /// What the thread runs.
        function: String,
        /// Killed at main's exit instead of joined.
        #[serde(default)]
        daemon: bool,
        /// Replaces `{arg}` in the function's prints.
        #[serde(default)]
        arg: String,
    },
    /// `multiprocessing.Process(target=function, daemon=daemon).start()`.
    StartProcess {
        /// What the process runs.
        function: String,
        /// Killed at main's exit instead of joined.
        #[serde(default)]
        daemon: bool,
        /// Replaces `{arg}` in the function's prints.
        #[serde(default)]
        arg: String,
    },
}

/// Something a `gather` awaits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Call {
    /// A coroutine, wrapped in a task.
    Task {
        /// The task to run.
        task: String,
        /// How many copies to run: `gather(*(task() for _ in range(times)))`.
        #[serde(default = "one", skip_serializing_if = "is_one")]
        times: u32,
    },
    /// `loop.run_in_executor(pool, function, arg)`.
    Executor {
        /// The pool that runs it.
        pool: String,
        /// The function it runs.
        function: String,
        /// Replaces `{arg}` in the function's prints.
        #[serde(default)]
        arg: String,
        /// How many copies to submit.
        #[serde(default = "one", skip_serializing_if = "is_one")]
        times: u32,
    },
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl Call {
    /// How many copies the call runs.
    pub fn times(&self) -> u32 {
        match self {
            Call::Task { times, .. } | Call::Executor { times, .. } => *times,
        }
    }
}

impl Step {
    /// Whether this step needs an event loop (it may appear only in `main` and tasks).
    pub fn needs_loop(&self) -> bool {
        matches!(
            self,
            Step::Spawn { .. }
                | Step::Gather { .. }
                | Step::StartThread { .. }
                | Step::StartProcess { .. }
        )
    }

    /// The time this step takes on its own, in ms before scaling.
    pub fn own_ms(&self) -> u64 {
        match self {
            Step::Sleep { ms } | Step::BlockingSleep { ms } | Step::Cpu { ms } => *ms,
            Step::ParCpu { ms, .. } => *ms,
            _ => 0,
        }
    }
}

impl Scenario {
    /// The task named `name`.
    pub fn task(&self, name: &str) -> Option<&Function> {
        self.tasks.iter().find(|t| t.name == name)
    }

    /// The function named `name`.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// The pool named `name`, with its index.
    pub fn pool(&self, name: &str) -> Option<(usize, &Pool)> {
        self.pools.iter().enumerate().find(|(_, p)| p.name == name)
    }
}

/// Replaces `{arg}` in a print's text.
pub fn with_arg(text: &str, arg: &str) -> String {
    text.replace("{arg}", arg)
}
