//! Calls: what a call calls, a call as a statement, and whether it is allowed where it is.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use super::exprs::{Negative, Var, duration, no_arguments, small_int};
use super::lower::{Body, Lower, R};
use crate::model::{self, Context, PoolKind, ResourceKind, StartKind, Step};

/// What a call calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Callee {
    Print,
    TimeSleep,
    BurnCpu,
    ParCpu,
    AsyncioSleep,
    Gather,
    Run,
    CreateTask,
    GetLoop,
    RunInExecutor,
    WaitFor,
    Executor(PoolKind),
    Start(StartKind),
    /// A lock, semaphore, event or queue's class; its fields are read from the call.
    Resource(ResourceKind),
    FastApi,
    UvicornRun,
    /// An `async def` of the program.
    Coroutine(String),
    /// A plain `def` of the program.
    Function(String),
    /// Something else, by its dotted name where it has one.
    Other(Option<String>),
}

pub(super) const ASYNCIO_SUPPORTED: &str = "asyncio.run, asyncio.sleep, asyncio.gather, asyncio.create_task, \
                                 asyncio.wait_for, asyncio.timeout, asyncio.TaskGroup, \
                                 asyncio.CancelledError, asyncio.get_running_loop().run_in_executor, and asyncio.Lock, \
                                 Semaphore, Event and Queue made at module level";

impl Lower<'_> {
    /// What `e` calls, if it is a call.
    pub(super) fn callee<'e>(&self, e: &'e Expr) -> Option<(Callee, &'e ast::ExprCall)> {
        let Expr::Call(call) = e else {
            return None;
        };
        let func = call.func.as_ref();
        if let Expr::Attribute(attr) = func
            && attr.attr.as_str() == "run_in_executor"
        {
            return Some((Callee::RunInExecutor, call));
        }
        let callee = match self.imports.qualified(func).as_deref() {
            Some("asyncio.sleep") => Callee::AsyncioSleep,
            Some("asyncio.gather") => Callee::Gather,
            Some("asyncio.run") => Callee::Run,
            Some("asyncio.create_task") => Callee::CreateTask,
            Some("asyncio.wait_for") => Callee::WaitFor,
            Some("asyncio.get_running_loop" | "asyncio.get_event_loop") => Callee::GetLoop,
            Some("concurrent.futures.ThreadPoolExecutor") => Callee::Executor(PoolKind::Thread),
            Some("concurrent.futures.ProcessPoolExecutor") => Callee::Executor(PoolKind::Process),
            Some("threading.Thread") => Callee::Start(StartKind::Thread),
            Some("multiprocessing.Process") => Callee::Start(StartKind::Process),
            Some("asyncio.Lock") => Callee::Resource(ResourceKind::Lock),
            Some("asyncio.Semaphore") => Callee::Resource(ResourceKind::Semaphore { value: 1 }),
            Some("asyncio.Event") => Callee::Resource(ResourceKind::Event),
            Some("asyncio.Queue") => Callee::Resource(ResourceKind::Queue { maxsize: 0 }),
            Some("threading.Lock") => Callee::Resource(ResourceKind::ThreadLock),
            Some("fastapi.FastAPI") => Callee::FastApi,
            Some("uvicorn.run") => Callee::UvicornRun,
            Some("time.sleep") => Callee::TimeSleep,
            Some(other) => Callee::Other(Some(other.to_owned())),
            None => match func {
                Expr::Name(name) => match name.id.as_str() {
                    "print" => Callee::Print,
                    "burn_cpu" if self.defs.contains_key("burn_cpu") => Callee::BurnCpu,
                    "par_cpu" if self.defs.contains_key("par_cpu") => Callee::ParCpu,
                    def => match self.defs.get(def) {
                        Some(d) if d.coroutine => Callee::Coroutine(def.into()),
                        Some(_) => Callee::Function(def.into()),
                        None => Callee::Other(Some(def.into())),
                    },
                },
                other => Callee::Other(super::names::dotted(other)),
            },
        };
        Some((callee, call))
    }

    /// A statement that is a call.
    pub(super) fn call_stmt(&mut self, body: &mut Body, call: &ast::ExprCall) -> R<()> {
        if let Some(step) = self.task_method(body, call, None) {
            body.steps.push(step?);
            return Ok(());
        }
        let e = Expr::Call(call.clone());
        if let Some(step) = self.resource_method(body, &e, false, None) {
            body.steps.push(step?);
            return Ok(());
        }
        // `t.start()` and `t.join()` on a variable.
        if let Expr::Attribute(attr) = call.func.as_ref()
            && let Expr::Name(var) = attr.value.as_ref()
            && let Some(Var::Thread(_)) = self.var(body, var.id.as_str())
        {
            no_arguments(call)?;
            let name = var.id.as_str().to_owned();
            return match attr.attr.as_str() {
                "start" => {
                    let start = body.pending.remove(&name).ok_or_else(|| {
                        (
                            call.range(),
                            format!(
                                "`{name}` was started already: a thread or process starts once"
                            ),
                        )
                    })?;
                    self.in_ctx(body, model::StepKind::Start, call.range())?;
                    body.steps.push(Step::Start(start));
                    Ok(())
                }
                "join" => {
                    if body.pending.contains_key(&name) {
                        return Err((
                            call.range(),
                            format!("`{name}` is joined before it is started"),
                        ));
                    }
                    body.steps.push(Step::Join { name });
                    Ok(())
                }
                other => Err((
                    attr.attr.range(),
                    format!(
                        "looplab reads `.start()` and `.join()` of a thread or process, not `.{other}()`"
                    ),
                )),
            };
        }
        // `threading.Thread(...).start()`.
        if let Expr::Attribute(attr) = call.func.as_ref()
            && attr.attr.as_str() == "start"
            && let Some((Callee::Start(kind), ctor)) = self.callee(&attr.value)
        {
            no_arguments(call)?;
            let start = self.start(body, kind, ctor, None)?;
            self.in_ctx(body, model::StepKind::Start, call.range())?;
            body.steps.push(Step::Start(start));
            return Ok(());
        }
        let (callee, call) = self.callee(&e).expect("a call");
        let step = match callee {
            Callee::Print => Step::Print {
                text: self.print_text(body, call)?,
            },
            Callee::TimeSleep => Step::BlockingSleep {
                ms: self.one_duration(call, Negative::Raises)?,
            },
            Callee::BurnCpu => Step::Cpu {
                ms: self.one_duration(call, Negative::Nothing)?,
            },
            Callee::ParCpu => {
                let ([seconds], [chunks]) = (
                    call.arguments.args.as_ref(),
                    call.arguments.keywords.as_ref(),
                ) else {
                    return Err((call.range(), "par_cpu takes `(seconds, chunks=n)`".into()));
                };
                Step::ParCpu {
                    ms: duration(seconds, Negative::Nothing)?,
                    chunks: small_int(&chunks.value, "chunks")?,
                }
            }
            Callee::Run => {
                let [coro] = call.arguments.args.as_ref() else {
                    return Err((
                        call.range(),
                        "asyncio.run takes one coroutine: `asyncio.run(main())`".into(),
                    ));
                };
                let (task, args) = self.coroutine_call(body, coro)?;
                Step::Run { task, args }
            }
            Callee::CreateTask => self.spawn(body, call, None)?,
            Callee::UvicornRun if body.ctx == Context::Module => return Ok(()),
            Callee::Coroutine(name) => {
                let message = format!(
                    "`{name}(...)` makes a coroutine but does not run it (CPython warns \"coroutine \
                     was never awaited\"): write `await {name}(...)` or \
                     `asyncio.create_task({name}(...))`"
                );
                let diagnostic = super::at(self.src, call.range(), message);
                // The one sure answer where the call stands: awaited in a coroutine, run by
                // asyncio.run at module level; a plain function can do neither.
                let written = &self.src[call.range()];
                let fix = match body.ctx {
                    Context::Coroutine => Some((format!("await {written}"), "await it")),
                    Context::Module => {
                        Some((format!("asyncio.run({written})"), "run it with asyncio.run"))
                    }
                    Context::Function => None,
                };
                self.diags.push(match fix {
                    Some((text, label)) => diagnostic.with_fix(crate::python::Fix {
                        label: format!("Fix: {label}"),
                        text,
                    }),
                    None => diagnostic,
                });
                return Ok(());
            }
            Callee::Function(name) => {
                return Err((
                    call.range(),
                    format!(
                        "calling `{name}` directly is not in looplab's subset: hand it to a pool with \
                     `loop.run_in_executor(pool, {name}, ...)`, or to a thread or process"
                    ),
                ));
            }
            Callee::RunInExecutor => {
                return Err((call.range(), "keep the future in a variable and await it: `future = loop.run_in_executor(...)`, or `await loop.run_in_executor(...)`".into()));
            }
            other => return Err((call.range(), self.not_supported(&other, body.ctx))),
        };
        self.in_ctx(body, step.kind(), call.range())?;
        body.steps.push(step);
        Ok(())
    }

    pub(super) fn not_supported(&self, callee: &Callee, ctx: Context) -> String {
        let name = match callee {
            Callee::Other(Some(name)) => format!("`{name}`"),
            Callee::Other(None) => "this call".into(),
            Callee::AsyncioSleep | Callee::Gather => {
                return "`await` it: `await asyncio.sleep(...)`, `await asyncio.gather(...)`"
                    .into();
            }
            Callee::GetLoop => {
                return "keep the loop in a variable: `loop = asyncio.get_running_loop()`".into();
            }
            Callee::Executor(_) => {
                return "an executor is assigned at module level or opened with `with ... as pool:`"
                    .into();
            }
            other => format!("{other:?}"),
        };
        if name.starts_with("`asyncio.") {
            return format!(
                "{name} is not in looplab's Python subset, which has {ASYNCIO_SUPPORTED}"
            );
        }
        format!(
            "{name} is not in looplab's Python subset; in {} a call is print, time.sleep, \
             burn_cpu{}",
            ctx.describe(),
            match ctx {
                Context::Module => ", asyncio.run, or a thread's or process's start() and join()",
                Context::Coroutine =>
                    ", asyncio.create_task, or a thread's or process's start() and join()",
                Context::Function => "",
            }
        )
    }

    /// Refuses a step its body may not hold.
    pub(super) fn in_ctx(&self, body: &Body, kind: model::StepKind, range: TextRange) -> R<()> {
        if kind.allowed_in(body.ctx) {
            Ok(())
        } else {
            Err((
                range,
                format!(
                    "`{}` may appear only in {}, not in {}",
                    kind.label(),
                    kind.where_allowed(),
                    body.ctx.describe()
                ),
            ))
        }
    }
}
