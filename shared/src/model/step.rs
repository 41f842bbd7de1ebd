//! Steps: the statements a body is made of.

use serde::{Deserialize, Serialize};

use super::{Expr, Op};

/// One step of `main`, a task or a function. [`StepKind`](super::StepKind) says where each
/// may appear; [`validate`](crate::validate) enforces it. In JSON, an object with its kind's
/// `type` (snake case: `blocking_sleep`) and its fields; the optional ones may be left out
/// ([`json`](super::json)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "super::json::StepJson", into = "super::json::StepJson")]
pub enum Step {
    /// `print(...)`: writes a line to the console. `{name}` in the text shows the value of the
    /// variable `name` as `str()` would, `{name!r}` as `repr()` would; `{{` and `}}` are
    /// braces ([`template_parts`](super::template_parts)).
    Print {
        /// The line. At most [`MAX_TEXT_BYTES`](crate::limits::MAX_TEXT_BYTES).
        text: String,
    },
    /// `await asyncio.sleep(s)`: the task suspends and the loop is free.
    Sleep {
        /// Milliseconds, before scaling. At most [`MAX_STEP_MS`](crate::limits::MAX_STEP_MS).
        ms: u64,
    },
    /// `time.sleep(s)`: blocks the thread that runs it — in a task, the loop itself. Releases
    /// the GIL.
    BlockingSleep {
        /// Milliseconds, before scaling.
        ms: u64,
    },
    /// `burn_cpu(s)`: pure-Python CPU work that burns `ms` of CPU time on the thread that
    /// runs it, holding the GIL. In a task it blocks the loop.
    Cpu {
        /// Milliseconds of CPU time, before scaling.
        ms: u64,
    },
    /// Data-parallel CPU work split into `chunks` on a rayon pool (native code: no GIL). Not
    /// Python.
    ParCpu {
        /// Milliseconds of CPU time in all, before scaling.
        ms: u64,
        /// Pieces it is split into. At most [`MAX_PAR_CHUNKS`](crate::limits::MAX_PAR_CHUNKS).
        chunks: u32,
    },
    /// `name = value`. A computation in `value` costs the CPU time CPython would spend on it.
    Assign {
        /// The variable.
        name: String,
        /// Its new value.
        value: Expr,
    },
    /// `return value`: ends the task or function; a gather or an await receives the value.
    Return {
        /// What it returns.
        value: Expr,
    },
    /// `[into =] asyncio.create_task(task(args))`: starts a task without waiting for it.
    /// Cancelled if still pending when `asyncio.run` ends.
    Spawn {
        /// The coroutine to run.
        task: String,
        /// Its arguments, one a parameter.
        args: Vec<Expr>,
        /// The variable that keeps the task, to await it later.
        into: Option<String>,
    },
    /// `into = loop.run_in_executor(pool, function, *args)` without awaiting it: the job is
    /// submitted now and awaited later through `into`.
    Submit {
        /// The pool's variable; absent for the loop's default executor (`None`).
        pool: Option<String>,
        /// The function it runs.
        function: String,
        /// Its arguments.
        args: Vec<Expr>,
        /// The variable that keeps the future.
        into: String,
    },
    /// `[into =] await call`: a coroutine called right here (no new task), a job, or a task
    /// or future kept in a variable.
    Await {
        /// What is awaited; its `times` must be 1.
        call: Call,
        /// The variable that receives the result.
        into: Option<String>,
    },
    /// `[into =] await asyncio.gather(...)`: starts every call and waits for all; the result
    /// is the list of their results, in the order of the calls.
    Gather {
        /// What to run together.
        calls: Vec<Call>,
        /// The variable that receives the results.
        into: Option<String>,
    },
    /// `[into =] threading.Thread(target=function, args=args, daemon=daemon); into.start()`,
    /// or the same with `multiprocessing.Process`. `start()` returns once the thread runs.
    Start(Start),
    /// `name.join()`: waits for a thread or process kept in `name` to end, blocking the
    /// thread that waits.
    Join {
        /// The variable holding the thread or process.
        name: String,
    },
    /// `with ThreadPoolExecutor() as pool:` — the pool (one of the scenario's `pools`) exists
    /// for `body`, and at its end `shutdown(wait=True)` waits for every job it was given.
    With {
        /// The pool's variable.
        pool: String,
        /// The block.
        body: Vec<Step>,
    },
    /// `asyncio.run(task(args))`: an event loop on this thread runs the coroutine to its end,
    /// then cancels the tasks still pending and closes. Module level only.
    Run {
        /// The coroutine: usually `main`.
        task: String,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `for var in range(times):` — the block, `times` times, with `var` counting from 0.
    For {
        /// The loop variable (`_` when unused).
        var: String,
        /// How many times: at most [`MAX_FOR_TIMES`](crate::limits::MAX_FOR_TIMES).
        times: u32,
        /// The block.
        body: Vec<Step>,
    },
    /// `async with lock:` (an asyncio lock or semaphore, in a coroutine: waiting suspends the
    /// task) or `with lock:` (a `threading.Lock`: waiting blocks the thread): the block runs
    /// holding it, and it is released at the block's end, whatever happens.
    Hold {
        /// The lock's or semaphore's variable, one of the scenario's `resources`.
        resource: String,
        /// The block.
        body: Vec<Step>,
    },
    /// A method of an event or a queue: `event.set()`, `await queue.put(x)`,
    /// `item = await queue.get()`. In a coroutine.
    Use {
        /// The event's or queue's variable, one of the scenario's `resources`.
        resource: String,
        /// What it does.
        op: Op,
    },
}

/// A thread or process to start: [`Step::Start`].
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

/// What [`Step::Start`] starts.
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

impl Step {
    /// The time this step takes on its own, in ms before scaling.
    pub fn own_ms(&self) -> u64 {
        match self {
            Step::Sleep { ms } | Step::BlockingSleep { ms } | Step::Cpu { ms } => *ms,
            Step::ParCpu { ms, .. } => *ms,
            Step::Print { .. }
            | Step::Assign { .. }
            | Step::Return { .. }
            | Step::Spawn { .. }
            | Step::Submit { .. }
            | Step::Await { .. }
            | Step::Gather { .. }
            | Step::Start(_)
            | Step::Join { .. }
            | Step::With { .. }
            | Step::Run { .. }
            | Step::For { .. }
            | Step::Hold { .. }
            | Step::Use { .. } => 0,
        }
    }

    /// The block this step holds, if any.
    pub fn body(&self) -> Option<&[Step]> {
        match self {
            Step::With { body, .. } | Step::For { body, .. } | Step::Hold { body, .. } => {
                Some(body)
            }
            Step::Print { .. }
            | Step::Sleep { .. }
            | Step::BlockingSleep { .. }
            | Step::Cpu { .. }
            | Step::ParCpu { .. }
            | Step::Assign { .. }
            | Step::Return { .. }
            | Step::Spawn { .. }
            | Step::Submit { .. }
            | Step::Await { .. }
            | Step::Gather { .. }
            | Step::Start(_)
            | Step::Join { .. }
            | Step::Run { .. }
            | Step::Use { .. } => None,
        }
    }

    /// The block this step holds, if any, to change it.
    pub fn body_mut(&mut self) -> Option<&mut Vec<Step>> {
        match self {
            Step::With { body, .. } | Step::For { body, .. } | Step::Hold { body, .. } => {
                Some(body)
            }
            Step::Print { .. }
            | Step::Sleep { .. }
            | Step::BlockingSleep { .. }
            | Step::Cpu { .. }
            | Step::ParCpu { .. }
            | Step::Assign { .. }
            | Step::Return { .. }
            | Step::Spawn { .. }
            | Step::Submit { .. }
            | Step::Await { .. }
            | Step::Gather { .. }
            | Step::Start(_)
            | Step::Join { .. }
            | Step::Run { .. }
            | Step::Use { .. } => None,
        }
    }

    /// Calls `f` on this step and on every step nested in it, depth first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Step)) {
        f(self);
        if let Some(body) = self.body() {
            for step in body {
                step.walk(f);
            }
        }
    }

    /// The variable this step assigns, if any.
    pub fn binds(&self) -> Option<&str> {
        match self {
            Step::Assign { name, .. } | Step::Submit { into: name, .. } => Some(name),
            Step::Spawn { into, .. } | Step::Await { into, .. } | Step::Gather { into, .. } => {
                into.as_deref()
            }
            Step::Start(start) => start.into.as_deref(),
            Step::Use {
                op: Op::Get { into },
                ..
            } => into.as_deref(),
            // The pool a `with` opens, and a loop's variable, are bound inside the block.
            Step::With { .. }
            | Step::For { .. }
            | Step::Hold { .. }
            | Step::Use { .. }
            | Step::Print { .. }
            | Step::Sleep { .. }
            | Step::BlockingSleep { .. }
            | Step::Cpu { .. }
            | Step::ParCpu { .. }
            | Step::Return { .. }
            | Step::Join { .. }
            | Step::Run { .. } => None,
        }
    }
}
