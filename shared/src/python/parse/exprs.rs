//! From the syntax tree to the scenario: calls, awaits, values and prints.

use ruff_python_ast::{self as ast, Expr, Number};
use ruff_text_size::{Ranged, TextRange};

use super::lower::{Body, Lower, R};
use crate::model::{
    self, Call, Context, DictItem, PoolKind, ResourceKind, Start, StartKind, Step, Term,
};

/// What a variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Var {
    /// A value: a number, a string, a list...
    Value,
    /// A task from `asyncio.create_task`.
    Task,
    /// A future from `loop.run_in_executor`.
    Future,
    /// A thread or a process object.
    Thread(StartKind),
    /// The running loop.
    Loop,
    /// An executor.
    Pool,
    /// The FastAPI app.
    App,
    /// A lock, semaphore, event or queue.
    Resource(ResourceKind),
    /// An `asyncio.TaskGroup`, inside its block.
    Group,
}

impl Var {
    fn describe(self) -> &'static str {
        match self {
            Var::Value => "a value",
            Var::Task => "a task",
            Var::Future => "a future",
            Var::Thread(StartKind::Thread) => "a thread",
            Var::Thread(StartKind::Process) => "a process",
            Var::Loop => "the event loop",
            Var::Pool => "an executor",
            Var::App => "the web app",
            Var::Group => "a task group",
            Var::Resource(kind) => match kind {
                ResourceKind::Lock => "an asyncio.Lock",
                ResourceKind::Semaphore { .. } => "an asyncio.Semaphore",
                ResourceKind::Event => "an asyncio.Event",
                ResourceKind::Queue { .. } => "an asyncio.Queue",
                ResourceKind::ThreadLock => "a threading.Lock",
            },
        }
    }
}

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

/// A `loop.run_in_executor(...)` call.
pub(super) struct Job {
    pub(super) pool: Option<String>,
    pub(super) function: String,
    pub(super) args: Vec<model::Expr>,
}

const ASYNCIO_SUPPORTED: &str = "asyncio.run, asyncio.sleep, asyncio.gather, asyncio.create_task, \
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

    fn not_supported(&self, callee: &Callee, ctx: Context) -> String {
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

    /// `await <expr>`, its result going `into` a variable.
    pub(super) fn await_step(
        &mut self,
        body: &mut Body,
        e: &Expr,
        into: Option<String>,
        range: TextRange,
    ) -> R<()> {
        if body.ctx != Context::Coroutine {
            return Err((range, "`await` works only inside an async def".into()));
        }
        if let Some(step) = self.resource_method(body, e, true, into.clone()) {
            if let Some(name) = into {
                body.locals.insert(name, Var::Value);
            }
            body.steps.push(step?);
            return Ok(());
        }
        let step = if let Expr::Name(name) = e {
            match self.var(body, name.id.as_str()) {
                Some(Var::Task | Var::Future) => Step::Await {
                    call: Call::Handle {
                        name: name.id.as_str().into(),
                    },
                    into: into.clone(),
                    timeout_ms: None,
                },
                Some(other) => {
                    return Err((
                        e.range(),
                        format!(
                            "`{}` is {}: looplab awaits tasks, futures and coroutines",
                            name.id.as_str(),
                            other.describe()
                        ),
                    ));
                }
                None => {
                    return Err((
                        e.range(),
                        format!("name `{}` is not defined", name.id.as_str()),
                    ));
                }
            }
        } else {
            match self.callee(e) {
                Some((Callee::AsyncioSleep, call)) => {
                    if into.is_some() {
                        return Err((range, "`asyncio.sleep` gives nothing to keep: write `await asyncio.sleep(...)`".into()));
                    }
                    Step::Sleep { ms: self.one_duration(call, Negative::Nothing)? }
                }
                Some((Callee::Gather, call)) => {
                    if !call.arguments.keywords.is_empty() {
                        return Err((call.arguments.range(), "looplab's gather takes no keyword arguments".into()));
                    }
                    let calls = call.arguments.args.iter().map(|a| self.gather_item(body, a)).collect::<R<_>>()?;
                    Step::Gather { calls, into: into.clone() }
                }
                Some((Callee::Coroutine(_), _)) => {
                    let (task, args) = self.coroutine_call(body, e)?;
                    Step::Await { call: Call::Task { task, args, times: 1 }, into: into.clone(), timeout_ms: None }
                }
                Some((Callee::RunInExecutor, call)) => {
                    let job = self.executor_call(body, call)?;
                    Step::Await { call: job.into_call(1), into: into.clone(), timeout_ms: None }
                }
                Some((Callee::WaitFor, call)) => {
                    let (call, ms) = self.wait_for(body, call)?;
                    Step::Await { call, into: into.clone(), timeout_ms: Some(ms) }
                }
                Some((other, call)) => return Err((call.range(), match other {
                    Callee::Other(Some(name)) if name.starts_with("asyncio.") => format!("`{name}` is not in looplab's Python subset, which has {ASYNCIO_SUPPORTED}"),
                    _ => "looplab awaits asyncio.sleep, asyncio.gather, a coroutine, loop.run_in_executor, or a task or future kept in a variable".into(),
                })),
                None => return Err((e.range(), "looplab awaits asyncio.sleep, asyncio.gather, a coroutine, loop.run_in_executor, or a task or future kept in a variable".into())),
            }
        };
        if let Some(name) = into {
            body.locals.insert(name, Var::Value);
        }
        body.steps.push(step);
        Ok(())
    }

    /// One argument of `asyncio.gather`.
    fn gather_item(&mut self, body: &Body, e: &Expr) -> R<Call> {
        if let Expr::Starred(star) = e {
            return self.repeated(body, &star.value);
        }
        if let Expr::Name(name) = e {
            return match self.var(body, name.id.as_str()) {
                Some(Var::Task | Var::Future) => Ok(Call::Handle {
                    name: name.id.as_str().into(),
                }),
                _ => Err((
                    e.range(),
                    format!(
                        "gather takes tasks, futures and coroutines; `{}` is none of them",
                        name.id.as_str()
                    ),
                )),
            };
        }
        self.one_call(body, e, 1)
    }

    /// A coroutine call or an executor call, run `times` times.
    pub(super) fn one_call(&mut self, body: &Body, e: &Expr, times: u32) -> R<Call> {
        match self.callee(e) {
            Some((Callee::Coroutine(_), _)) => {
                let (task, args) = self.coroutine_call(body, e)?;
                Ok(Call::Task { task, args, times })
            }
            Some((Callee::RunInExecutor, call)) => Ok(self.executor_call(body, call)?.into_call(times)),
            _ => Err((e.range(), "gather takes coroutine calls (`task1()`), `loop.run_in_executor(...)`, kept tasks and futures, and `*(f() for _ in range(n))`".into())),
        }
    }

    /// `*(f() for _ in range(n))` or `*[f() for _ in range(n)]`.
    fn repeated(&mut self, body: &Body, e: &Expr) -> R<Call> {
        let (elt, generators) = match e {
            Expr::Generator(g) => (&g.elt, &g.generators),
            Expr::ListComp(l) => (&l.elt, &l.generators),
            _ => {
                return Err((
                    e.range(),
                    "looplab repeats a call with `*(f() for _ in range(n))`".into(),
                ));
            }
        };
        let [gen_] = generators.as_slice() else {
            return Err((e.range(), "one `for _ in range(n)` only".into()));
        };
        let times = match (&gen_.iter, gen_.ifs.is_empty(), gen_.is_async) {
            (Expr::Call(range), true, false) if self.is_builtin(&range.func, "range") => {
                match range.arguments.args.as_ref() {
                    [n] if range.arguments.keywords.is_empty() => small_int(n, "range")?,
                    _ => return Err((range.range(), "`range(n)` with one number".into())),
                }
            }
            _ => {
                return Err((
                    gen_.range(),
                    "looplab repeats a call with `for _ in range(n)`, n a number".into(),
                ));
            }
        };
        if times == 0 {
            return Err((
                gen_.range(),
                "range(0) repeats nothing: gather at least one".into(),
            ));
        }
        self.one_call(body, elt, times)
    }

    /// `f(args)` where `f` is an async def of the program.
    pub(super) fn coroutine_call(
        &mut self,
        body: &Body,
        e: &Expr,
    ) -> R<(String, Vec<model::Expr>)> {
        let Some((Callee::Coroutine(name), call)) = self.callee(e) else {
            return Err((
                e.range(),
                "expected a call of an async def of this program: `main()`".into(),
            ));
        };
        let args = self.args(body, call, &name)?;
        Ok((name, args))
    }

    /// A call's positional arguments, checked against the def's parameters.
    fn args(&mut self, body: &Body, call: &ast::ExprCall, def: &str) -> R<Vec<model::Expr>> {
        if !call.arguments.keywords.is_empty() {
            return Err((
                call.arguments.range(),
                "looplab passes arguments by position".into(),
            ));
        }
        let want = self.defs.get(def).map_or(0, |d| d.params);
        let args = call
            .arguments
            .args
            .iter()
            .map(|a| self.value(body, a))
            .collect::<R<Vec<_>>>()?;
        if args.len() != want {
            return Err((
                call.arguments.range(),
                format!(
                    "`{def}` takes {want} argument{}, given {}",
                    plural(want),
                    args.len()
                ),
            ));
        }
        Ok(args)
    }

    /// `asyncio.create_task(f(args))`.
    pub(super) fn spawn(
        &mut self,
        body: &Body,
        call: &ast::ExprCall,
        into: Option<String>,
    ) -> R<Step> {
        let [coro] = call.arguments.args.as_ref() else {
            return Err((
                call.range(),
                "create_task takes one coroutine call: `asyncio.create_task(task1())`".into(),
            ));
        };
        if body.ctx != Context::Coroutine {
            return Err((
                call.range(),
                "asyncio.create_task needs a running loop: use it inside an async def".into(),
            ));
        }
        let (task, args) = self.coroutine_call(body, coro)?;
        Ok(Step::Spawn {
            task,
            args,
            into,
            group: None,
        })
    }

    /// `loop.run_in_executor(pool, function, *args)`.
    pub(super) fn executor_call(&mut self, body: &Body, call: &ast::ExprCall) -> R<Job> {
        let Expr::Attribute(attr) = call.func.as_ref() else {
            return Err((call.range(), "expected loop.run_in_executor(...)".into()));
        };
        let on_loop = match attr.value.as_ref() {
            Expr::Name(n) => self.var(body, n.id.as_str()) == Some(Var::Loop),
            other => matches!(self.callee(other), Some((Callee::GetLoop, _))),
        };
        if !on_loop {
            return Err((attr.value.range(), "run_in_executor is a method of the running loop: `loop = asyncio.get_running_loop()` first".into()));
        }
        if body.ctx != Context::Coroutine {
            return Err((
                call.range(),
                "run_in_executor needs a running loop: use it inside an async def".into(),
            ));
        }
        let args = call.arguments.args.as_ref();
        let [pool, function, rest @ ..] = args else {
            return Err((
                call.arguments.range(),
                "run_in_executor takes the pool (or None), the function, then its arguments".into(),
            ));
        };
        let pool = match pool {
            Expr::NoneLiteral(_) => None,
            Expr::Name(n) if self.var(body, n.id.as_str()) == Some(Var::Pool) => Some(n.id.as_str().to_owned()),
            other => return Err((other.range(), "the first argument of run_in_executor is an executor's variable, or None for the loop's default executor".into())),
        };
        let function = match function {
            Expr::Name(n) if self.defs.get(n.id.as_str()).is_some_and(|d| !d.coroutine) => {
                n.id.as_str().to_owned()
            }
            other => {
                return Err((
                    other.range(),
                    "run_in_executor runs a plain `def` of this program".into(),
                ));
            }
        };
        let want = self.defs.get(&function).map_or(0, |d| d.params);
        if rest.len() != want || !call.arguments.keywords.is_empty() {
            return Err((
                call.arguments.range(),
                format!(
                    "`{function}` takes {want} argument{}, given {}",
                    plural(want),
                    rest.len()
                ),
            ));
        }
        let args = rest.iter().map(|a| self.value(body, a)).collect::<R<_>>()?;
        Ok(Job {
            pool,
            function,
            args,
        })
    }

    /// `threading.Thread(target=f, args=(...), daemon=True)` or `multiprocessing.Process(...)`.
    pub(super) fn start(
        &mut self,
        body: &Body,
        kind: StartKind,
        call: &ast::ExprCall,
        into: Option<String>,
    ) -> R<Start> {
        if !call.arguments.args.is_empty() {
            return Err((
                call.arguments.range(),
                "pass `target=`, `args=` and `daemon=` by keyword".into(),
            ));
        }
        let mut start = Start {
            kind,
            function: String::new(),
            args: vec![],
            daemon: false,
            into,
        };
        for kw in call.arguments.keywords.iter() {
            let key = kw.arg.as_ref().map_or("", |a| a.as_str());
            match key {
                "target" => match &kw.value {
                    Expr::Name(n) if self.defs.get(n.id.as_str()).is_some_and(|d| !d.coroutine) => {
                        start.function = n.id.as_str().into()
                    }
                    other => {
                        return Err((
                            other.range(),
                            "`target=` names a plain `def` of this program".into(),
                        ));
                    }
                },
                "args" => match &kw.value {
                    Expr::Tuple(t) => {
                        start.args = t
                            .elts
                            .iter()
                            .map(|a| self.value(body, a))
                            .collect::<R<_>>()?
                    }
                    Expr::List(l) => {
                        start.args = l
                            .elts
                            .iter()
                            .map(|a| self.value(body, a))
                            .collect::<R<_>>()?
                    }
                    other => {
                        return Err((other.range(), "`args=` is a tuple: `args=(\"a\",)`".into()));
                    }
                },
                "daemon" => match &kw.value {
                    Expr::BooleanLiteral(b) => start.daemon = b.value,
                    Expr::NoneLiteral(_) => start.daemon = false,
                    other => return Err((other.range(), "`daemon=` is True or False".into())),
                },
                other => {
                    return Err((
                        kw.range(),
                        format!("looplab reads `target=`, `args=` and `daemon=`, not `{other}=`"),
                    ));
                }
            }
        }
        if start.function.is_empty() {
            return Err((call.range(), "a thread or process needs `target=`".into()));
        }
        let want = self.defs.get(&start.function).map_or(0, |d| d.params);
        if start.args.len() != want {
            return Err((
                call.range(),
                format!(
                    "`{}` takes {want} argument{}, given {}",
                    start.function,
                    plural(want),
                    start.args.len()
                ),
            ));
        }
        Ok(start)
    }

    /// `max_workers` of an executor's constructor.
    pub(super) fn max_workers(&self, ctor: &ast::ExprCall) -> R<Option<u32>> {
        let a = &ctor.arguments;
        match (a.args.as_ref(), a.keywords.as_ref()) {
            ([], []) => Ok(None),
            ([n], []) => Ok(Some(small_int(n, "max_workers")?)),
            ([], [kw]) if kw.arg.as_ref().is_some_and(|k| k.as_str() == "max_workers") => {
                match &kw.value {
                    Expr::NoneLiteral(_) => Ok(None),
                    n => Ok(Some(small_int(n, "max_workers")?)),
                }
            }
            _ => Err((a.range(), "an executor takes `max_workers=n` only".into())),
        }
    }

    /// The variable `name` of the body, or of the module.
    pub(super) fn var(&self, body: &Body, name: &str) -> Option<Var> {
        body.locals
            .get(name)
            .or_else(|| self.globals.get(name))
            .copied()
    }

    fn is_builtin(&self, func: &Expr, name: &str) -> bool {
        matches!(func, Expr::Name(n) if n.id.as_str() == name && !self.imports.binds(name) && !self.defs.contains_key(name))
    }

    fn one_duration(&self, call: &ast::ExprCall, negative: Negative) -> R<u64> {
        match (
            call.arguments.args.as_ref(),
            call.arguments.keywords.is_empty(),
        ) {
            ([seconds], true) => duration(seconds, negative),
            _ => Err((
                call.arguments.range(),
                "takes one duration in seconds".into(),
            )),
        }
    }

    /// A value: a literal, a variable, a list, a dict or a computation.
    pub(super) fn value(&self, body: &Body, e: &Expr) -> R<model::Expr> {
        Ok(match e {
            Expr::NoneLiteral(_) => model::Expr::None,
            Expr::BooleanLiteral(b) => model::Expr::Bool(b.value),
            Expr::StringLiteral(s) => model::Expr::Str(s.value.to_str().to_owned()),
            Expr::FString(f) => model::Expr::Fstring(self.fstring(body, f)?),
            Expr::NumberLiteral(_) | Expr::UnaryOp(_) => number(e)?,
            Expr::Name(n) => match self.var(body, n.id.as_str()) {
                Some(Var::Value) => model::Expr::Var(n.id.as_str().into()),
                Some(other) => return Err((e.range(), format!("`{}` is {}, not a value looplab can pass or print", n.id.as_str(), other.describe()))),
                None => return Err((e.range(), format!("name `{}` is not defined", n.id.as_str()))),
            },
            Expr::List(l) => model::Expr::List(l.elts.iter().map(|x| self.value(body, x)).collect::<R<_>>()?),
            Expr::Dict(d) => model::Expr::Dict(
                d.items
                    .iter()
                    .map(|item| match &item.key {
                        Some(Expr::StringLiteral(k)) => Ok(DictItem { key: k.value.to_str().into(), value: self.value(body, &item.value)? }),
                        _ => Err((item.value.range(), "looplab's dicts have string keys".to_owned())),
                    })
                    .collect::<R<_>>()?,
            ),
            Expr::Call(call) if self.is_builtin(&call.func, "sum") => self.sum(body, call)?,
            other => return Err((other.range(), "looplab's values are None, True, False, numbers, strings, variables, lists, dicts with string keys, and sums such as `sum(math.sqrt(i) for i in range(n))`".into())),
        })
    }

    /// `sum(range(n))` or `sum(<term> for i in range(n))`.
    fn sum(&self, body: &Body, call: &ast::ExprCall) -> R<model::Expr> {
        let unsupported = || {
            (call.range(), "looplab computes `sum(range(n))` and `sum(x for i in range(n))` where x is `i`, `i * i`, `i ** 2` or `math.sqrt(i)`".to_owned())
        };
        let [arg] = call.arguments.args.as_ref() else {
            return Err(unsupported());
        };
        if !call.arguments.keywords.is_empty() {
            return Err(unsupported());
        }
        let range_n = |e: &Expr| -> R<model::Expr> {
            match e {
                Expr::Call(r)
                    if self.is_builtin(&r.func, "range") && r.arguments.keywords.is_empty() =>
                {
                    match r.arguments.args.as_ref() {
                        [n] => self.value(body, n),
                        _ => Err(unsupported()),
                    }
                }
                _ => Err(unsupported()),
            }
        };
        if let Ok(n) = range_n(arg) {
            return Ok(model::Expr::Sum {
                term: Term::Range,
                n: Box::new(n),
            });
        }
        let Expr::Generator(g) = arg else {
            return Err(unsupported());
        };
        let [gen_] = g.generators.as_slice() else {
            return Err(unsupported());
        };
        let Expr::Name(i) = &gen_.target else {
            return Err(unsupported());
        };
        if !gen_.ifs.is_empty() || gen_.is_async {
            return Err(unsupported());
        }
        let n = range_n(&gen_.iter)?;
        let is_i = |e: &Expr| matches!(e, Expr::Name(x) if x.id == i.id);
        let term = match g.elt.as_ref() {
            e if is_i(e) => Term::Ident,
            Expr::BinOp(b) if b.op == ast::Operator::Mult && is_i(&b.left) && is_i(&b.right) => {
                Term::Square
            }
            Expr::BinOp(b)
                if b.op == ast::Operator::Pow
                    && is_i(&b.left)
                    && matches!(number(&b.right), Ok(model::Expr::Int(2))) =>
            {
                Term::Power2
            }
            Expr::Call(c)
                if self.imports.qualified(&c.func).as_deref() == Some("math.sqrt")
                    && matches!(c.arguments.args.as_ref(), [x] if is_i(x)) =>
            {
                Term::Sqrt
            }
            _ => return Err(unsupported()),
        };
        Ok(model::Expr::Sum {
            term,
            n: Box::new(n),
        })
    }

    /// A print's arguments as the text of a [`Step::Print`].
    fn print_text(&self, body: &Body, call: &ast::ExprCall) -> R<String> {
        for kw in call.arguments.keywords.iter() {
            if kw.arg.as_ref().is_none_or(|k| k.as_str() != "flush") {
                return Err((
                    kw.range(),
                    "looplab prints with the default `sep` and `end`; only `flush=` may be given"
                        .into(),
                ));
            }
        }
        let mut pieces = Vec::new();
        for arg in call.arguments.args.iter() {
            pieces.push(match arg {
                Expr::StringLiteral(s) => escape(s.value.to_str()),
                Expr::FString(f) => self.fstring(body, f)?,
                Expr::Name(n) => {
                    self.value(body, arg)?;
                    format!("{{{}}}", n.id.as_str())
                }
                Expr::BooleanLiteral(b) => if b.value { "True" } else { "False" }.into(),
                Expr::NoneLiteral(_) => "None".into(),
                other => {
                    match number(other) {
                        // As `str()` shows it: `1e+16`, `10000000`.
                        Ok(n) => escape(&shown(&n)),
                        Err(_) => return Err((
                            other.range(),
                            "looplab prints strings, numbers, True, False, None, variables and \
                             f-strings of variables"
                                .into(),
                        )),
                    }
                }
            });
        }
        Ok(pieces.join(" "))
    }

    fn fstring(&self, body: &Body, f: &ast::ExprFString) -> R<String> {
        let mut text = String::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(s) => text.push_str(&escape(&s.value)),
                ast::FStringPart::FString(fs) => {
                    for element in &fs.elements {
                        match element {
                            ast::InterpolatedStringElement::Literal(l) => {
                                text.push_str(&escape(&l.value))
                            }
                            ast::InterpolatedStringElement::Interpolation(i) => {
                                let repr = match i.conversion {
                                    ast::ConversionFlag::None | ast::ConversionFlag::Str => false,
                                    ast::ConversionFlag::Repr => true,
                                    ast::ConversionFlag::Ascii => {
                                        return Err((
                                            i.range(),
                                            "looplab's f-string fields are `{name}` or `{name!r}`"
                                                .into(),
                                        ));
                                    }
                                };
                                let Expr::Name(n) = i.expression.as_ref() else {
                                    return Err((i.expression.range(), "looplab's f-string fields show a variable: `{name}` or `{name!r}`".into()));
                                };
                                if i.format_spec.is_some() || i.debug_text.is_some() {
                                    return Err((i.range(), "looplab's f-string fields are `{name}` or `{name!r}`, without a format spec or `=`".into()));
                                }
                                self.value(body, i.expression.as_ref())?;
                                text.push_str(&format!(
                                    "{{{}{}}}",
                                    n.id.as_str(),
                                    if repr { "!r" } else { "" }
                                ));
                            }
                        }
                    }
                }
            }
        }
        Ok(text)
    }
}

impl Job {
    fn into_call(self, times: u32) -> Call {
        Call::Executor {
            pool: self.pool,
            function: self.function,
            args: self.args,
            times,
        }
    }
}

pub(super) fn no_arguments(call: &ast::ExprCall) -> R<()> {
    if call.arguments.args.is_empty() && call.arguments.keywords.is_empty() {
        Ok(())
    } else {
        Err((call.arguments.range(), "takes no arguments".into()))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Literal text of a print, with braces doubled as [`template_parts`](crate::model::template_parts) reads them.
fn escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// A literal as `str()` shows it.
fn shown(n: &model::Expr) -> String {
    crate::python::value::eval(n, &|_| None).map_or_else(|_| String::new(), |v| v.to_str())
}

/// A number literal, possibly negated.
fn number(e: &Expr) -> R<model::Expr> {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map(model::Expr::Int).ok_or_else(|| {
                (
                    e.range(),
                    "this integer is larger than looplab keeps in a literal (64 bits)".into(),
                )
            }),
            Number::Float(f) if f.is_finite() => Ok(model::Expr::Float(*f)),
            Number::Float(_) => Err((e.range(), "this float is too large".into())),
            Number::Complex { .. } => Err((e.range(), "looplab has no complex numbers".into())),
        },
        Expr::UnaryOp(u) if u.op == ast::UnaryOp::USub => match number(&u.operand)? {
            model::Expr::Int(i) => Ok(model::Expr::Int(
                i.checked_neg()
                    .ok_or_else(|| (e.range(), "too large".to_owned()))?,
            )),
            model::Expr::Float(f) => Ok(model::Expr::Float(-f)),
            _ => Err((e.range(), "expected a number".into())),
        },
        _ => Err((e.range(), "expected a number".into())),
    }
}

/// What a negative duration does in CPython.
#[derive(Debug, Clone, Copy)]
pub(super) enum Negative {
    /// `time.sleep(-1)` raises.
    Raises,
    /// `asyncio.sleep(-1)` returns at once, as do the prelude's `burn_cpu` and `par_cpu`.
    Nothing,
}

/// A duration in seconds, as whole milliseconds.
pub(super) fn duration(e: &Expr, negative: Negative) -> R<u64> {
    let seconds = match number(e) {
        Ok(model::Expr::Int(i)) => i as f64,
        Ok(model::Expr::Float(f)) => f,
        _ => {
            return Err((
                e.range(),
                "a duration is a number of seconds written in the program: `2`, `0.5`".into(),
            ));
        }
    };
    if seconds < 0.0 {
        return match negative {
            Negative::Nothing => Ok(0),
            Negative::Raises => Err((
                e.range(),
                "ValueError: sleep length must be non-negative".into(),
            )),
        };
    }
    let exact = seconds * 1000.0;
    let ms = exact.round();
    if ms > u64::MAX as f64 / 2.0 {
        return Err((e.range(), "this duration is too long".into()));
    }
    // A float's last bit (0.1 * 1000 = 100.00000000000001) is not a fraction of a ms.
    if (exact - ms).abs() > 1e-6 {
        return Err((
            e.range(),
            format!(
                "{seconds} s is {exact} ms: looplab's durations are whole milliseconds \
                 (write {} or {})",
                exact.floor() / 1000.0,
                exact.ceil() / 1000.0
            ),
        ));
    }
    Ok(ms as u64)
}

/// A non-negative int literal that fits a count.
pub(super) fn small_int(e: &Expr, what: &str) -> R<u32> {
    match number(e) {
        Ok(model::Expr::Int(i)) if i >= 0 => {
            u32::try_from(i).map_err(|_| (e.range(), format!("`{what}` is too large")))
        }
        _ => Err((
            e.range(),
            format!("`{what}` is a whole number written in the program"),
        )),
    }
}
