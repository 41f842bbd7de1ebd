//! The interpreter: one body of steps, wherever it runs. A coroutine's body runs on the loop
//! and may await; the module's own code and a plain function's body block the thread that
//! runs them. Each kind of step is handled once, here; what differs between those places is
//! in [`Mode`], and a body that blocks is driven by [`blocking`], for which it never waits.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use futures_util::future::BoxFuture;
use looplab_shared::model::{Call, Step};
use looplab_shared::protocol::{Lane, WaitReason};
use looplab_shared::python::value::{self, Value};

use super::exc::{Exc, Flow};
use super::group::Group;
use super::interp::{Binding, Frame, Interp};
use super::pool::Pool;
use super::sync::Ctx;
use super::tasks::suspended;

/// Where a body runs, which decides what its steps may do.
#[derive(Clone, Copy)]
pub(crate) enum Mode<'a> {
    /// A coroutine on the loop: it may await.
    Loop(&'a Arc<Interp>),
    /// The module's own code on the main thread: it blocks, and its variables are the
    /// module's.
    Module(&'a Arc<Interp>),
    /// A plain function on a thread of any process: it blocks, and reads the module's values
    /// as they were when it was called.
    Thread(&'a [(String, Value)]),
}

/// Who runs a body, and where.
pub(crate) struct Cx<'a> {
    /// The subject, its lane, the process's GIL and recorder.
    pub(crate) ctx: Ctx<'a>,
    /// Where it runs.
    pub(crate) mode: Mode<'a>,
}

/// Runs a body that never waits (one of [`Mode::Module`] or [`Mode::Thread`]) to its end.
pub(crate) fn blocking(body: impl Future<Output = Flow>) -> Flow {
    let mut body = pin!(body);
    match body.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(flow) => flow,
        Poll::Pending => Err(Exc::error("an await in code that blocks")),
    }
}

impl Cx<'_> {
    /// Runs `steps` in order; `Some` when a `return` ran. A thread's body stops early if its
    /// subject is killed.
    pub(crate) fn body<'b>(
        &'b self,
        frame: &'b mut Frame,
        steps: &'b [Step],
    ) -> BoxFuture<'b, Flow> {
        Box::pin(async move {
            for step in steps {
                if self.ctx.is_killed() {
                    break;
                }
                if let Some(value) = self.step(frame, step).await? {
                    return Ok(Some(value));
                }
            }
            Ok(None)
        })
    }

    /// The run, for a step that starts or joins something: not on a plain function's thread.
    fn interp(&self, step: &Step) -> Result<&Arc<Interp>, Exc> {
        match self.mode {
            Mode::Loop(run) | Mode::Module(run) => Ok(run),
            Mode::Thread(_) => Err(self.cannot(step)),
        }
    }

    /// The run, for a step that awaits: only in a coroutine.
    fn on_loop(&self, step: &Step) -> Result<&Arc<Interp>, Exc> {
        match self.mode {
            Mode::Loop(run) => Ok(run),
            Mode::Module(_) | Mode::Thread(_) => Err(self.cannot(step)),
        }
    }

    fn cannot(&self, step: &Step) -> Exc {
        let place = match self.mode {
            Mode::Loop(_) => "a coroutine",
            Mode::Module(_) => "module-level code",
            Mode::Thread(_) => "a plain function",
        };
        Exc::error(format!("`{}` cannot run in {place}", step.kind().label()))
    }

    /// A variable of the body, or of the module.
    pub(crate) fn binding(&self, frame: &Frame, name: &str) -> Option<Binding> {
        match self.mode {
            Mode::Loop(run) | Mode::Module(run) => run.binding(frame, name),
            Mode::Thread(globals) => frame.0.get(name).cloned().or_else(|| {
                globals
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| Binding::Value(v.clone()))
            }),
        }
    }

    /// The value of a variable of the body or of the module.
    pub(crate) fn value(&self, frame: &Frame, name: &str) -> Option<Value> {
        match self.binding(frame, name)? {
            Binding::Value(v) => Some(v),
            Binding::Awaitable(..) | Binding::Unit(_) | Binding::Pool(_) | Binding::Group(_) => {
                None
            }
        }
    }

    /// Binds `name`: the module's code binds the module's variables.
    pub(crate) fn bind(&self, frame: &mut Frame, name: &str, binding: Binding) {
        match self.mode {
            Mode::Module(run) => run.set_global(name, binding),
            Mode::Loop(_) | Mode::Thread(_) => {
                frame.0.insert(name.to_owned(), binding);
            }
        }
    }

    fn eval_args(
        &self,
        frame: &Frame,
        args: &[looplab_shared::model::Expr],
    ) -> Result<Vec<Value>, Exc> {
        let lookup = |name: &str| self.value(frame, name);
        args.iter()
            .map(|a| value::eval(a, &lookup).map_err(|e| Exc::error(e.to_string())))
            .collect()
    }

    fn step<'b>(&'b self, frame: &'b mut Frame, step: &'b Step) -> BoxFuture<'b, Flow> {
        Box::pin(async move {
            let ctx = &self.ctx;
            let subject = ctx.subject;
            match step {
                Step::Print { text } => ctx.print(text, &|n| self.value(frame, n))?,
                Step::Sleep { ms } => {
                    let run = self.on_loop(step)?;
                    let ms = *ms as f64 * ctx.scale;
                    let on = WaitReason::Sleep { ms };
                    let sleep = tokio::time::sleep(std::time::Duration::from_secs_f64(ms / 1000.0));
                    suspended(&run.env, subject, on, sleep).await?;
                }
                // One turn of the loop, as CPython's `asyncio.sleep(0)`: the tasks ready now
                // run before this one goes on. Waking itself puts the task at the back of the
                // loop's queue; tokio's `yield_now` defers its wake-up and wakes the deferred
                // tasks last first, which would change their order.
                Step::Yield => {
                    let run = self.on_loop(step)?;
                    let on = WaitReason::Sleep { ms: 0.0 };
                    let mut yielded = false;
                    let turn = std::future::poll_fn(move |cx| {
                        if yielded {
                            return Poll::Ready(());
                        }
                        yielded = true;
                        cx.waker().wake_by_ref();
                        Poll::Pending
                    });
                    suspended(&run.env, subject, on, turn).await?;
                }
                // These run right here, on the thread that runs the body: in a coroutine, the
                // loop's, which they block.
                Step::BlockingSleep { ms } => ctx.blocking_sleep(*ms),
                Step::Cpu { ms } => ctx.cpu(*ms),
                Step::ParCpu { ms, chunks } => ctx.par_cpu(*ms, *chunks),
                Step::Assign { name, value } => {
                    let v = ctx.eval(value, &|n| self.value(frame, n))?;
                    self.bind(frame, name, Binding::Value(v));
                }
                Step::Return { value } => {
                    if let Mode::Module(_) = self.mode {
                        return Err(self.cannot(step));
                    }
                    return Ok(Some(ctx.eval(value, &|n| self.value(frame, n))?));
                }
                Step::Spawn {
                    task,
                    args,
                    into,
                    group,
                } => {
                    let run = self.on_loop(step)?;
                    let args = self.eval_args(frame, args)?;
                    let group = match group {
                        Some(name) => match self.binding(frame, name) {
                            Some(Binding::Group(g)) => Some(g),
                            _ => {
                                return Err(Exc::error(format!(
                                    "NameError: name '{name}' is not a task group"
                                )));
                            }
                        },
                        None => None,
                    };
                    let (done, cancel) = run.spawn_in(task, args, subject, None, group.clone());
                    if let Some(group) = group {
                        group.add(done.clone(), Arc::clone(&cancel));
                    }
                    // Not awaited: cancelled if still pending when `asyncio.run` ends.
                    if let Some(name) = into {
                        self.bind(frame, name, Binding::Awaitable(done, Some(cancel)));
                    }
                }
                Step::Submit {
                    pool,
                    function,
                    args,
                    into,
                } => {
                    let run = self.on_loop(step)?;
                    let args = self.eval_args(frame, args)?;
                    let job = run.submit(frame, pool.as_deref(), function, args, subject)?;
                    self.bind(frame, into, Binding::Awaitable(job, None));
                }
                Step::Await {
                    call,
                    into,
                    timeout_ms: Some(ms),
                } => {
                    let run = self.on_loop(step)?;
                    let value = self.wait_for(run, frame, call, *ms).await?;
                    if let Some(name) = into {
                        self.bind(frame, name, Binding::Value(value));
                    }
                }
                Step::Await {
                    call,
                    into,
                    timeout_ms: None,
                } => {
                    let run = self.on_loop(step)?;
                    let value = match call {
                        // `await coroutine()` runs it in this very task.
                        Call::Task { task, args, .. } => {
                            let args = self.eval_args(frame, args)?;
                            run.call_coroutine(subject, task, args).await?
                        }
                        Call::Executor { .. } | Call::Handle { .. } => {
                            let waits =
                                run.awaitables(frame, std::slice::from_ref(call), subject)?;
                            let on = WaitReason::Await {
                                subject: waits.first().map(|a| a.subject),
                            };
                            let all = futures_util::future::try_join_all(waits);
                            suspended(&run.env, subject, on, all)
                                .await??
                                .pop()
                                .unwrap_or(Value::None)
                        }
                    };
                    if let Some(name) = into {
                        self.bind(frame, name, Binding::Value(value));
                    }
                }
                Step::Gather { calls, into } => {
                    let run = self.on_loop(step)?;
                    let waits = run.awaitables(frame, calls, subject)?;
                    let subjects = waits.iter().map(|a| a.subject).collect();
                    let on = WaitReason::Gather { subjects };
                    let all = futures_util::future::try_join_all(waits);
                    let values = suspended(&run.env, subject, on, all).await??;
                    if let Some(name) = into {
                        self.bind(frame, name, Binding::Value(Value::List(values)));
                    }
                }
                Step::Start(start) => {
                    let unit = self.interp(step)?.start(frame, start, subject)?;
                    if let Some(name) = &start.into {
                        self.bind(frame, name, Binding::Unit(unit));
                    }
                }
                Step::Join { name } => self.interp(step)?.join(frame, name, subject, ctx.lane)?,
                Step::With { pool, body } => {
                    let run = self.on_loop(step)?;
                    let (index, p) = run.s.pool(pool).ok_or_else(|| {
                        Exc::error(format!("NameError: name '{pool}' is not defined"))
                    })?;
                    let opened = Pool::new(
                        index as u32,
                        p.kind,
                        p.workers(run.cores),
                        Arc::clone(&run.env),
                    );
                    let outer = frame
                        .0
                        .insert(pool.clone(), Binding::Pool(Arc::clone(&opened)));
                    let returned = self.body(frame, body).await;
                    match outer {
                        Some(b) => frame.0.insert(pool.clone(), b),
                        None => frame.0.remove(pool),
                    };
                    // `shutdown(wait=True)` on the loop's thread: it blocks the loop.
                    run.blocked(subject, Lane::Loop, opened.busy(), &[], || {
                        opened.shutdown()
                    });
                    return returned;
                }
                Step::Run { task, args } => {
                    let Mode::Module(run) = self.mode else {
                        return Err(Exc::error(
                            "asyncio.run() cannot be called from a running event loop",
                        ));
                    };
                    let args = self.eval_args(frame, args)?;
                    super::program::asyncio_run(run, task, args)?;
                }
                Step::For { var, times, body } => {
                    for k in 0..*times {
                        self.bind(frame, var, Binding::Value(Value::Int(k.into())));
                        if let Some(value) = self.body(frame, body).await? {
                            return Ok(Some(value));
                        }
                    }
                }
                Step::Hold { resource, body } => {
                    let is_async = match self.mode {
                        Mode::Loop(run) | Mode::Module(run) => {
                            run.s.resource(resource).is_some_and(|r| r.kind.is_async())
                        }
                        Mode::Thread(_) => false,
                    };
                    if is_async {
                        let run = self.on_loop(step)?;
                        return run.hold_block(subject, frame, resource, body).await;
                    }
                    // A threading.Lock: waiting for it blocks the thread, in a coroutine the
                    // loop's, as in CPython.
                    let _held = ctx.acquire(resource)?;
                    return self.body(frame, body).await;
                }
                Step::Use { resource, op } => {
                    let run = self.on_loop(step)?;
                    run.use_resource(subject, frame, resource, op).await?;
                }
                Step::Raise { class, text } => {
                    return Err(match class {
                        Some(class) => Exc::raised(*class, text),
                        None => frame.1.last().cloned().ok_or_else(|| {
                            Exc::error("RuntimeError: No active exception to reraise")
                        })?,
                    });
                }
                Step::Try {
                    body,
                    handlers,
                    star,
                    finally,
                } => {
                    let mut flow = self.body(frame, body).await;
                    if let Err(exc) = flow {
                        flow = if *star {
                            self.except_star(frame, exc, handlers).await
                        } else {
                            self.except(frame, exc, handlers).await
                        };
                    }
                    // `finally` runs however the rest ended; its own return or raise wins.
                    if let Some(value) = self.body(frame, finally).await? {
                        return Ok(Some(value));
                    }
                    return flow;
                }
                Step::Cancel { name } => match self.binding(frame, name) {
                    Some(Binding::Awaitable(_, Some(cancel))) => cancel.request(),
                    _ => {
                        return Err(Exc::error(format!(
                            "NameError: name '{name}' is not a task"
                        )));
                    }
                },
                Step::Timeout { ms, body } => {
                    self.on_loop(step)?;
                    return self.timeout(frame, *ms, body).await;
                }
                Step::TaskGroup { name, body } => {
                    let run = self.on_loop(step)?;
                    let group = Arc::new(Group::new());
                    let outer = frame
                        .0
                        .insert(name.clone(), Binding::Group(Arc::clone(&group)));
                    let flow = self.body(frame, body).await;
                    match outer {
                        Some(b) => frame.0.insert(name.clone(), b),
                        None => frame.0.remove(name),
                    };
                    return group.exit(&run.env, subject, flow).await;
                }
            }
            Ok(None)
        })
    }
}
