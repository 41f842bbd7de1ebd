//! The interpreter: a run's state, and coroutines on the loop. Plain functions run in
//! [`sync`](super::sync); the module's own code, `asyncio.run` and exit in
//! [`program`](super::program).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use looplab_shared::model::{Call, Expr, Function, PoolKind, Scenario, Start, StartKind, Step};
use looplab_shared::protocol::{BlockReason, EventKind, Lane, SubjectKind, WaitReason};
use looplab_shared::python::value::Value;
use tokio::sync::oneshot;

use super::agents::Wait;
use super::env::Env;
use super::exc::{Cancel, Exc, Flow};
use super::exec::{Cx, Mode};
use super::group::Group;
use super::pipe::JobSpec;
use super::pool::{Job, Pool};
use super::resource::AsyncResources;
use super::started::{Started, Unit};
use super::sync::Returned;

/// A task or a future, which several may await: what it gives, and its subject.
#[derive(Clone)]
pub(crate) struct Awaitable {
    /// The task or job.
    pub(crate) subject: u32,
    result: Shared<BoxFuture<'static, Result<Value, Exc>>>,
}

impl Awaitable {
    /// What it gave, if it has ended.
    pub(crate) fn peek(&self) -> Option<&Result<Value, Exc>> {
        self.result.peek()
    }
}

impl std::future::Future for Awaitable {
    type Output = Result<Value, Exc>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        self.result.poll_unpin(cx)
    }
}

/// What a variable holds.
#[derive(Clone)]
pub(crate) enum Binding {
    Value(Value),
    /// A task (with its cancellation) or a future.
    Awaitable(Awaitable, Option<Arc<Cancel>>),
    /// A task group, inside its block.
    Group(Arc<Group>),
    /// A started thread or process.
    Unit(Arc<Unit>),
    /// A pool a `with` block opened.
    Pool(Arc<Pool>),
}

/// A body's variables, and the exceptions its `except` blocks are handling, innermost last.
#[derive(Default)]
pub(crate) struct Frame(pub(crate) HashMap<String, Binding>, pub(crate) Vec<Exc>);

/// One run: what every body of it shares.
pub(crate) struct Interp {
    pub(crate) env: Arc<Env>,
    pub(crate) s: Arc<Scenario>,
    functions: HashMap<String, Arc<Function>>,
    tasks: HashMap<String, Arc<Function>>,
    /// Pools assigned at module level.
    pub(crate) module_pools: Vec<Arc<Pool>>,
    /// The running loop's default executor, made on first use.
    default_pool: Mutex<Option<Arc<Pool>>>,
    pub(crate) started: Started,
    /// The module's variables.
    pub(crate) globals: Mutex<Frame>,
    /// The module's asyncio locks, semaphores, events and queues.
    pub(crate) resources: AsyncResources,
    pub(crate) cores: u32,
    /// The loop's tasks, for `asyncio.run` to cancel at its end.
    pending: Mutex<Vec<(Awaitable, Arc<Cancel>)>>,
}

impl Interp {
    pub(crate) fn new(s: Scenario, env: Arc<Env>, cores: u32) -> Self {
        let defs = |fs: &[Function]| {
            fs.iter()
                .map(|f| (f.name.clone(), Arc::new(f.clone())))
                .collect()
        };
        let mut globals = Frame::default();
        let mut module_pools = Vec::new();
        for (i, p) in s.pools.iter().enumerate() {
            if !s.opened_by_with(&p.name) {
                let pool = Pool::new(i as u32, p.kind, p.workers(cores), Arc::clone(&env));
                globals
                    .0
                    .insert(p.name.clone(), Binding::Pool(Arc::clone(&pool)));
                module_pools.push(pool);
            }
        }
        Self {
            functions: defs(&s.functions),
            tasks: defs(&s.tasks),
            module_pools,
            default_pool: Mutex::new(None),
            started: Started::default(),
            globals: Mutex::new(globals),
            resources: AsyncResources::of(&s),
            env,
            s: Arc::new(s),
            cores,
            pending: Mutex::new(Vec::new()),
        }
    }

    fn globals(&self) -> std::sync::MutexGuard<'_, Frame> {
        self.globals.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The module's values, for a job or thread to read.
    pub(crate) fn global_values(&self) -> Arc<Vec<(String, Value)>> {
        Arc::new(
            self.globals()
                .0
                .iter()
                .filter_map(|(k, b)| match b {
                    Binding::Value(v) => Some((k.clone(), v.clone())),
                    Binding::Awaitable(..)
                    | Binding::Unit(_)
                    | Binding::Pool(_)
                    | Binding::Group(_) => None,
                })
                .collect(),
        )
    }

    /// A variable of `frame`, or of the module.
    pub(crate) fn binding(&self, frame: &Frame, name: &str) -> Option<Binding> {
        frame
            .0
            .get(name)
            .cloned()
            .or_else(|| self.globals().0.get(name).cloned())
    }

    /// The value of a variable of `frame` or of the module.
    pub(crate) fn value(&self, frame: &Frame, name: &str) -> Option<Value> {
        match self.binding(frame, name)? {
            Binding::Value(v) => Some(v),
            Binding::Awaitable(..) | Binding::Unit(_) | Binding::Pool(_) | Binding::Group(_) => {
                None
            }
        }
    }

    /// `function`'s display name with its arguments: `blocking_task('Thread-1')`.
    fn display(name: &str, args: &[Value]) -> String {
        if args.is_empty() {
            return name.to_owned();
        }
        let args: Vec<_> = args.iter().map(Value::repr).collect();
        format!("{name}({})", args.join(", "))
    }

    pub(crate) fn eval_args(&self, frame: &Frame, args: &[Expr]) -> Result<Vec<Value>, String> {
        let lookup = |name: &str| self.value(frame, name);
        args.iter()
            .map(|a| looplab_shared::python::value::eval(a, &lookup).map_err(|e| e.to_string()))
            .collect()
    }

    /// `asyncio.create_task(task(args))`, or a task a gather wraps a coroutine in, or a
    /// request's handler (`arrival` set: its answer is measured from then).
    pub(crate) fn spawn_task(
        self: &Arc<Self>,
        task: &str,
        args: Vec<Value>,
        parent: u32,
        request: Option<(String, u64)>,
    ) -> Awaitable {
        self.spawn_in(task, args, parent, request, None).0
    }

    /// [`spawn_task`](Self::spawn_task) in `group`, if any: the task, and what cancels it.
    pub(crate) fn spawn_in(
        self: &Arc<Self>,
        task: &str,
        args: Vec<Value>,
        parent: u32,
        request: Option<(String, u64)>,
        group: Option<Arc<Group>>,
    ) -> (Awaitable, Arc<Cancel>) {
        let id = self.env.next_id();
        let rec = &self.env.rec;
        // A request exists from when it reached the socket, however late the loop sees it:
        // it waits, queued, for as long as the loop was busy.
        let (name, what, at) = match &request {
            Some((name, arrival)) => (name.clone(), SubjectKind::Request, *arrival),
            None => (Self::display(task, &args), SubjectKind::Task, rec.now_ns()),
        };
        rec.record_at(
            at,
            id,
            Lane::Loop,
            EventKind::Created { name, what, parent },
        );
        self.env.agents.add(id);
        let guard = Guard::new(id, Arc::clone(&self.env));
        let task = task.to_owned();
        let run = Arc::clone(self);
        let cancel = Arc::new(Cancel::default());
        let body = Cancel::scope(Arc::clone(&cancel), async move {
            run.env.rec.record(id, Lane::Loop, EventKind::Started);
            // A task cancelled before it ran raises as it starts: none of its code runs.
            let result = match Cancel::current().is_some_and(|c| c.take()) {
                true => Err(Exc::cancelled()),
                false => run.call_coroutine(id, &task, args).await,
            };
            if let Some((_, arrival)) = request {
                let latency_ns = run.env.rec.now_ns().saturating_sub(arrival);
                run.env
                    .rec
                    .record(id, Lane::Loop, EventKind::Responded { latency_ns });
            }
            guard.finish(&result);
            if let Some(group) = group {
                group.child_done(&result);
            }
            result
        });
        let done = joined(id, tokio::spawn(body));
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((done.clone(), Arc::clone(&cancel)));
        (done, cancel)
    }

    /// Every task started so far, with what cancels it: `asyncio.run` cancels those still
    /// pending as its coroutine returns, and waits for them.
    pub(crate) fn take_tasks(&self) -> Vec<(Awaitable, Arc<Cancel>)> {
        std::mem::take(&mut self.pending.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs coroutine `task` with `args` in task `subject` to its end.
    pub(crate) async fn call_coroutine(
        self: &Arc<Self>,
        subject: u32,
        task: &str,
        args: Vec<Value>,
    ) -> Result<Value, Exc> {
        let f = self
            .tasks
            .get(task)
            .cloned()
            .ok_or_else(|| Exc::error(format!("NameError: name '{task}' is not defined")))?;
        let mut frame = Frame(
            f.params
                .iter()
                .cloned()
                .zip(args.into_iter().map(Binding::Value))
                .collect(),
            Vec::new(),
        );
        Ok(self
            .body(subject, &mut frame, &f.steps)
            .await?
            .unwrap_or(Value::None))
    }

    /// Runs `steps` of task `subject` on the loop; `Some` when a `return` ran.
    pub(crate) fn body<'a>(
        self: &'a Arc<Self>,
        subject: u32,
        frame: &'a mut Frame,
        steps: &'a [Step],
    ) -> BoxFuture<'a, Flow> {
        Box::pin(async move {
            let cx = Cx {
                ctx: self.env.ctx(subject, Lane::Loop, None),
                mode: Mode::Loop(self),
            };
            cx.body(frame, steps).await
        })
    }

    /// Binds a variable of the module.
    pub(crate) fn set_global(&self, name: &str, binding: Binding) {
        self.globals().0.insert(name.to_owned(), binding);
    }

    /// Records the subject blocked while `wait` runs, if `waits`: waiting for `subjects` to
    /// end, as far as the deadlock detector can tell (none: for work it cannot name).
    pub(crate) fn blocked(
        &self,
        subject: u32,
        lane: Lane,
        waits: bool,
        subjects: &[u32],
        wait: impl FnOnce(),
    ) {
        let agents = &self.env.agents;
        if waits && !subjects.is_empty() {
            agents.wait(subject, Wait::Subjects(subjects.to_vec()));
        }
        if waits {
            self.env.rec.record(
                subject,
                lane,
                EventKind::Blocked {
                    on: BlockReason::Join,
                    ms: 0.0,
                    resource: None,
                },
            );
        }
        wait();
        if waits {
            agents.go(subject);
            self.env.rec.record(subject, lane, EventKind::Unblocked);
        }
    }

    /// `name.join()`, blocking the thread that runs `subject`.
    pub(crate) fn join(
        &self,
        frame: &Frame,
        name: &str,
        subject: u32,
        lane: Lane,
    ) -> Result<(), String> {
        match self.binding(frame, name) {
            Some(Binding::Unit(unit)) => {
                let joined = [unit.subject()];
                self.blocked(subject, lane, !unit.is_done(), &joined, || unit.join());
                Ok(())
            }
            _ => Err(format!(
                "NameError: name '{name}' is not a thread or process"
            )),
        }
    }

    /// Starts a thread or process.
    pub(crate) fn start(
        &self,
        frame: &Frame,
        start: &Start,
        parent: u32,
    ) -> Result<Arc<Unit>, String> {
        let f = self
            .functions
            .get(&start.function)
            .cloned()
            .ok_or_else(|| format!("NameError: name '{}' is not defined", start.function))?;
        let args = self.eval_args(frame, &start.args)?;
        let id = self.env.next_id();
        let (lane, what) = match start.kind {
            StartKind::Thread => (Lane::Thread, SubjectKind::Thread),
            StartKind::Process => (Lane::Process, SubjectKind::Process),
        };
        self.env.rec.record(
            id,
            lane,
            EventKind::Created {
                name: Self::display(&start.function, &args),
                what,
                parent,
            },
        );
        let globals = self.global_values();
        Ok(match start.kind {
            StartKind::Thread => self
                .started
                .thread(&self.env, id, f, args, globals, start.daemon),
            StartKind::Process => {
                let chunks = par_chunks(&f);
                let job = JobSpec {
                    subject: id,
                    lane,
                    function: Function::clone(&f),
                    args,
                    globals: globals.to_vec(),
                    first_chunk: if chunks > 0 {
                        self.env.reserve(chunks)
                    } else {
                        0
                    },
                    thread_locks: self.env.locks.indices(),
                };
                self.started.process(&self.env, job, start.daemon)
            }
        })
    }

    /// What a gather or an await waits for, each started now.
    pub(crate) fn awaitables(
        self: &Arc<Self>,
        frame: &Frame,
        calls: &[Call],
        subject: u32,
    ) -> Result<Vec<Awaitable>, String> {
        let mut waits = Vec::with_capacity(calls.iter().map(|c| c.times() as usize).sum());
        for call in calls {
            match call {
                Call::Task { task, args, times } => {
                    let args = self.eval_args(frame, args)?;
                    for _ in 0..*times {
                        waits.push(self.spawn_task(task, args.clone(), subject, None));
                    }
                }
                Call::Executor {
                    pool,
                    function,
                    args,
                    times,
                } => {
                    let args = self.eval_args(frame, args)?;
                    for _ in 0..*times {
                        let job =
                            self.submit(frame, pool.as_deref(), function, args.clone(), subject);
                        waits.push(job?);
                    }
                }
                Call::Handle { name } => match self.binding(frame, name) {
                    Some(Binding::Awaitable(a, _)) => waits.push(a),
                    _ => return Err(format!("NameError: name '{name}' is not a task or future")),
                },
            }
        }
        Ok(waits)
    }

    /// `loop.run_in_executor(pool, function, *args)`.
    pub(crate) fn submit(
        &self,
        frame: &Frame,
        pool: Option<&str>,
        function: &str,
        args: Vec<Value>,
        parent: u32,
    ) -> Result<Awaitable, String> {
        let pool = match pool {
            Some(name) => match self.binding(frame, name) {
                Some(Binding::Pool(p)) => p,
                _ => return Err(format!("NameError: name '{name}' is not an executor")),
            },
            None => self.default_pool(),
        };
        let f = self
            .functions
            .get(function)
            .cloned()
            .ok_or_else(|| format!("NameError: name '{function}' is not defined"))?;
        let id = self.env.next_id();
        self.env.rec.record(
            id,
            Lane::Loop,
            EventKind::Created {
                name: Self::display(function, &args),
                what: SubjectKind::Job,
                parent,
            },
        );
        self.env.rec.record(id, Lane::Loop, EventKind::Queued);
        // A queued job counts as able to move: the pool may yet run it.
        self.env.agents.add(id);
        let (tx, rx) = oneshot::channel();
        pool.submit(Job {
            subject: id,
            chunks: par_chunks(&f),
            function: f,
            args,
            globals: self.global_values(),
            done: tx,
        });
        Ok(received(id, rx))
    }

    fn default_pool(&self) -> Arc<Pool> {
        let mut pool = self
            .default_pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Arc::clone(pool.get_or_insert_with(|| {
            Pool::new(
                self.s.pools.len() as u32,
                PoolKind::Thread,
                PoolKind::Thread.default_workers(self.cores),
                Arc::clone(&self.env),
            )
        }))
    }

    /// The loop's default executor, which `asyncio.run` shuts down as it ends.
    pub(crate) fn take_default_pool(&self) -> Option<Arc<Pool>> {
        self.default_pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// Records `subject` suspended on `on` while `wait` runs, and tells the deadlock detector
/// what it waits for.
pub(crate) async fn suspended<T>(
    env: &Env,
    subject: u32,
    on: WaitReason,
    wait: impl std::future::Future<Output = T>,
) -> Result<T, Exc> {
    let rec = &env.rec;
    if let Some(waits) = Wait::of(&on) {
        env.agents.wait(subject, waits);
    }
    rec.record(subject, Lane::Loop, EventKind::Suspended { on });
    // `cancel()` raises `CancelledError` here, even if what it waited for is done by the
    // time the task runs again.
    let out = match Cancel::current() {
        Some(cancel) => tokio::select! {
            biased;
            () = cancel.requested() => Err(Exc::cancelled()),
            out = wait => Ok(out),
        },
        None => Ok(wait.await),
    };
    env.agents.go(subject);
    rec.record(subject, Lane::Loop, EventKind::Resumed);
    out
}

fn joined(subject: u32, handle: tokio::task::JoinHandle<Result<Value, Exc>>) -> Awaitable {
    let result = handle
        .map(|r| r.unwrap_or_else(|e| Err(Exc::error(format!("a task panicked: {e}")))))
        .boxed()
        .shared();
    Awaitable { subject, result }
}

fn received(subject: u32, rx: oneshot::Receiver<Returned>) -> Awaitable {
    let result = rx
        .map(|r| {
            r.unwrap_or_else(|_| Err("the pool shut down".into()))
                .map_err(Exc::from)
        })
        .boxed()
        .shared();
    Awaitable { subject, result }
}

/// Subject ids a function's `par_cpu` steps need.
pub(crate) fn par_chunks(f: &Function) -> u32 {
    let mut chunks = 0;
    for step in &f.steps {
        step.walk(&mut |s| {
            if let Step::ParCpu { chunks: n, .. } = s {
                chunks += n;
            }
        });
    }
    chunks
}

/// Records how a task ended: `finished` or `failed` when its body returns, `cancelled` when
/// it is dropped before that, even if it never ran.
pub(crate) struct Guard {
    subject: u32,
    env: Arc<Env>,
    done: bool,
}

impl Guard {
    pub(crate) fn new(subject: u32, env: Arc<Env>) -> Self {
        Self {
            subject,
            env,
            done: false,
        }
    }

    pub(crate) fn finish(mut self, result: &Result<Value, Exc>) {
        self.done = true;
        self.env.agents.end(self.subject, result.is_err());
        let kind = match result {
            Ok(_) => EventKind::Finished,
            Err(exc) if exc.is_cancelled() => EventKind::Cancelled,
            Err(exc) => EventKind::Failed {
                reason: exc.to_string(),
            },
        };
        self.env.rec.record(self.subject, Lane::Loop, kind);
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !self.done {
            self.env.agents.end(self.subject, true);
            self.env
                .rec
                .record(self.subject, Lane::Loop, EventKind::Cancelled);
        }
    }
}
