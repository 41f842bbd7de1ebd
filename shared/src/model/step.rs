//! Steps: the statements a body is made of.

use serde::{Deserialize, Serialize};

use super::{Call, Callee, ExcClass, Expr, Handler, Op, Start};

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
    /// `await asyncio.sleep(0)`: the task gives the loop one turn, so the tasks ready to run
    /// go first, then it goes on. CPython does no timer for a delay of 0 (or less), only one
    /// bare yield; a sleep of 0 ms is written as this step.
    Yield,
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
    /// Cancelled if still pending when `asyncio.run` ends. With a `group`,
    /// `group.create_task(...)`: the task belongs to that [`Step::TaskGroup`].
    Spawn {
        /// The coroutine to run.
        task: String,
        /// Its arguments, one a parameter.
        args: Vec<Expr>,
        /// The variable that keeps the task, to await or cancel it later.
        into: Option<String>,
        /// The task group's variable, if the group creates it.
        group: Option<String>,
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
    /// or future kept in a variable. With a timeout, `await asyncio.wait_for(call,
    /// timeout=s)`: a coroutine runs in a task of its own, which is cancelled when the
    /// timeout passes, and the await raises `TimeoutError`.
    Await {
        /// What is awaited; its `times` must be 1.
        call: Call,
        /// The variable that receives the result.
        into: Option<String>,
        /// `wait_for`'s timeout, in ms before scaling. At most
        /// [`MAX_STEP_MS`](crate::limits::MAX_STEP_MS).
        timeout_ms: Option<u64>,
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
    /// `raise class("text")`, or without a class a bare `raise` in an `except` block, which
    /// raises again the exception it caught.
    Raise {
        /// What it raises; `None` for a bare `raise`.
        class: Option<ExcClass>,
        /// Its message. At most [`MAX_TEXT_BYTES`](crate::limits::MAX_TEXT_BYTES).
        text: String,
    },
    /// `try:` `body`, then an `except` (or with `star`, `except*`) block for each handler
    /// and a `finally:` block, which runs however the rest ended.
    Try {
        /// The block tried.
        body: Vec<Step>,
        /// `except class:` blocks, first match wins; with `star`, every matching one runs on
        /// its part of an exception group. At most
        /// [`MAX_HANDLERS`](crate::limits::MAX_HANDLERS).
        handlers: Vec<Handler>,
        /// `except*` instead of `except`.
        star: bool,
        /// The `finally:` block; empty when there is none.
        finally: Vec<Step>,
    },
    /// `name.cancel()`: asks the task kept in `name` to stop: `CancelledError` is raised in
    /// it at its current `await`, or as it starts.
    Cancel {
        /// The task's variable.
        name: String,
    },
    /// `async with asyncio.timeout(s):` — when the time passes, the task is cancelled where
    /// it awaits and the block raises `TimeoutError`.
    Timeout {
        /// Milliseconds, before scaling. At most [`MAX_STEP_MS`](crate::limits::MAX_STEP_MS).
        ms: u64,
        /// The block.
        body: Vec<Step>,
    },
    /// `async with asyncio.TaskGroup() as name:` — the block's `name.create_task(...)` tasks
    /// belong to it; at its end it waits for all of them. A child that fails cancels the
    /// others and the block, which raises an `ExceptionGroup` of the failures.
    TaskGroup {
        /// The group's variable.
        name: String,
        /// The block.
        body: Vec<Step>,
    },
}

impl Step {
    /// The time this step takes on its own, in ms before scaling.
    pub fn own_ms(&self) -> u64 {
        match self {
            Step::Sleep { ms } | Step::BlockingSleep { ms } | Step::Cpu { ms } => *ms,
            Step::ParCpu { ms, .. } => *ms,
            Step::Print { .. }
            | Step::Yield
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
            | Step::Use { .. }
            | Step::Raise { .. }
            | Step::Try { .. }
            | Step::Cancel { .. }
            | Step::Timeout { .. }
            | Step::TaskGroup { .. } => 0,
        }
    }

    /// The blocks this step holds, in order, each with its field in JSON: `body`,
    /// `handlers[0].body`, `finally`.
    pub fn bodies(&self) -> Vec<(String, &[Step])> {
        match self {
            Step::With { body, .. }
            | Step::For { body, .. }
            | Step::Hold { body, .. }
            | Step::Timeout { body, .. }
            | Step::TaskGroup { body, .. } => vec![("body".into(), body.as_slice())],
            Step::Try {
                body,
                handlers,
                finally,
                ..
            } => std::iter::once(("body".into(), body.as_slice()))
                .chain(
                    handlers
                        .iter()
                        .enumerate()
                        .map(|(i, h)| (format!("handlers[{i}].body"), h.body.as_slice())),
                )
                .chain(std::iter::once(("finally".into(), finally.as_slice())))
                .collect(),
            Step::Print { .. }
            | Step::Sleep { .. }
            | Step::Yield
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
            | Step::Use { .. }
            | Step::Raise { .. }
            | Step::Cancel { .. } => vec![],
        }
    }

    /// The blocks this step holds, in the order of [`bodies`](Self::bodies), to change them.
    pub fn bodies_mut(&mut self) -> Vec<&mut Vec<Step>> {
        match self {
            Step::With { body, .. }
            | Step::For { body, .. }
            | Step::Hold { body, .. }
            | Step::Timeout { body, .. }
            | Step::TaskGroup { body, .. } => vec![body],
            Step::Try {
                body,
                handlers,
                finally,
                ..
            } => std::iter::once(body)
                .chain(handlers.iter_mut().map(|h| &mut h.body))
                .chain(std::iter::once(finally))
                .collect(),
            Step::Print { .. }
            | Step::Sleep { .. }
            | Step::Yield
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
            | Step::Use { .. }
            | Step::Raise { .. }
            | Step::Cancel { .. } => vec![],
        }
    }

    /// Calls `f` on this step and on every step nested in it, depth first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Step)) {
        f(self);
        for (_, body) in self.bodies() {
            for step in body {
                step.walk(f);
            }
        }
    }

    /// Calls `f` with the name and the arguments of every coroutine or function this step
    /// calls (not those of its blocks).
    pub fn calls_mut(&mut self, f: &mut impl FnMut(Callee, &mut String, &mut Vec<Expr>)) {
        let mut call = |c: &mut Call| match c {
            Call::Task { task, args, .. } => f(Callee::Task, task, args),
            Call::Executor { function, args, .. } => f(Callee::Function, function, args),
            Call::Handle { .. } => {}
        };
        match self {
            Step::Spawn { task, args, .. } | Step::Run { task, args } => {
                f(Callee::Task, task, args)
            }
            Step::Submit { function, args, .. } => f(Callee::Function, function, args),
            Step::Start(start) => f(Callee::Function, &mut start.function, &mut start.args),
            Step::Await { call: c, .. } => call(c),
            Step::Gather { calls, .. } => calls.iter_mut().for_each(call),
            Step::Print { .. }
            | Step::Sleep { .. }
            | Step::Yield
            | Step::BlockingSleep { .. }
            | Step::Cpu { .. }
            | Step::ParCpu { .. }
            | Step::Assign { .. }
            | Step::Return { .. }
            | Step::Join { .. }
            | Step::With { .. }
            | Step::For { .. }
            | Step::Hold { .. }
            | Step::Use { .. }
            | Step::Raise { .. }
            | Step::Try { .. }
            | Step::Cancel { .. }
            | Step::Timeout { .. }
            | Step::TaskGroup { .. } => {}
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
            // The pool a `with` opens, a loop's variable and a task group are bound inside
            // the block.
            Step::With { .. }
            | Step::For { .. }
            | Step::Hold { .. }
            | Step::Use { .. }
            | Step::Print { .. }
            | Step::Sleep { .. }
            | Step::Yield
            | Step::BlockingSleep { .. }
            | Step::Cpu { .. }
            | Step::ParCpu { .. }
            | Step::Return { .. }
            | Step::Join { .. }
            | Step::Run { .. }
            | Step::Raise { .. }
            | Step::Try { .. }
            | Step::Cancel { .. }
            | Step::Timeout { .. }
            | Step::TaskGroup { .. } => None,
        }
    }
}
