//! What a step calls or starts: a gather's or an await's calls, the threads and processes
//! a program starts, and whom a call names.

use serde::{Deserialize, Serialize};

use super::Expr;

/// Whom a call names: a coroutine or a plain function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callee {
    /// An `async def`: a task, a gather's or an await's call, `asyncio.run`.
    Task,
    /// A plain `def`: a job, a thread's or a process's target.
    Function,
}

/// A thread or process to start: [`Step::Start`](super::Step::Start).
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    /// A thread or a process.
    pub kind: StartKind,
    /// The function it runs (`target=`).
    pub function: String,
    /// Its arguments (`args=`).
    pub args: Vec<Expr>,
    /// Whether it is a daemon. At exit CPython joins non-daemon threads while daemon threads
    /// run on, terminates daemon processes and joins the others, and abandons daemon threads
    /// last.
    pub daemon: bool,
    /// The variable that keeps it, to `join()` it.
    pub into: Option<String>,
}

/// What [`Step::Start`](super::Step::Start) starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartKind {
    /// `threading.Thread`: a thread of this process, sharing its GIL.
    Thread,
    /// `multiprocessing.Process`: a new OS process with a GIL of its own.
    Process,
}

/// Something a `gather` or an `await` waits for. In JSON, an object with its `type`
/// (`task`, `executor`, `handle`) and its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "super::json::CallJson", into = "super::json::CallJson")]
pub enum Call {
    /// A coroutine call: in a gather, wrapped in a task of its own.
    Task {
        /// The coroutine.
        task: String,
        /// Its arguments.
        args: Vec<Expr>,
        /// How many copies to run: `gather(*(task() for _ in range(times)))`; 1 when absent.
        times: u32,
    },
    /// `loop.run_in_executor(pool, function, *args)`.
    Executor {
        /// The pool's variable; absent for the loop's default executor (`None`).
        pool: Option<String>,
        /// The function it runs.
        function: String,
        /// Its arguments.
        args: Vec<Expr>,
        /// How many copies to submit; 1 when absent.
        times: u32,
    },
    /// A task or future kept in a variable (by [`Step::Spawn`] or [`Step::Submit`]).
    Handle {
        /// The variable.
        name: String,
    },
}

impl Call {
    /// How many copies the call runs.
    pub fn times(&self) -> u32 {
        match self {
            Call::Task { times, .. } | Call::Executor { times, .. } => *times,
            Call::Handle { .. } => 1,
        }
    }
}
