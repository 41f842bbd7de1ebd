//! The interpreter: a run's state (tasks, bindings, pools, threads) and what awaiting needs.
//! A coroutine's task is in [`tasks`](super::tasks); jobs, threads and processes in
//! [`jobs`](super::jobs); plain functions run in [`sync`](super::sync); the module's own
//! code, `asyncio.run` and exit in [`program`](super::program).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use looplab_shared::model::{Expr, Function, Scenario, Step};
use looplab_shared::protocol::{BlockReason, EventKind, Lane, WaitReason};
use looplab_shared::python::value::Value;
use tokio::sync::oneshot;

use super::env::Env;
use super::exc::{Cancel, Exc};
use super::group::Group;
use super::pool::Pool;
use super::resource::AsyncResources;
use super::started::{Started, Unit};
use super::sync::Returned;

/// A task or a future, which several may await.
pub(crate) type Awaitable = Shared<BoxFuture<'static, Result<Value, Exc>>>;

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
    pub(super) functions: HashMap<String, Arc<Function>>,
    pub(super) tasks: HashMap<String, Arc<Function>>,
    /// Pools assigned at module level.
    pub(crate) module_pools: Vec<Arc<Pool>>,
    /// The running loop's default executor, made on first use.
    pub(super) default_pool: Mutex<Option<Arc<Pool>>>,
    pub(crate) started: Started,
    /// The module's variables.
    pub(crate) globals: Mutex<Frame>,
    /// The module's asyncio locks, semaphores, events and queues.
    pub(crate) resources: AsyncResources,
    pub(crate) cores: u32,
    /// The loop's tasks, for `asyncio.run` to cancel at its end.
    pub(super) pending: Mutex<Vec<(Awaitable, Arc<Cancel>)>>,
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

    pub(super) fn globals(&self) -> std::sync::MutexGuard<'_, Frame> {
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
    pub(super) fn display(name: &str, args: &[Value]) -> String {
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

    /// Binds a variable of the module.
    pub(crate) fn set_global(&self, name: &str, binding: Binding) {
        self.globals().0.insert(name.to_owned(), binding);
    }

    /// Records the subject blocked while `wait` runs, if `waits`.
    pub(crate) fn blocked(&self, subject: u32, lane: Lane, waits: bool, wait: impl FnOnce()) {
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
            self.env.rec.record(subject, lane, EventKind::Unblocked);
        }
    }
}

/// Records `subject` suspended on `on` while `wait` runs.
pub(crate) async fn suspended<T>(
    rec: &super::recorder::Recorder,
    subject: u32,
    on: WaitReason,
    wait: impl std::future::Future<Output = T>,
) -> Result<T, Exc> {
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
    rec.record(subject, Lane::Loop, EventKind::Resumed);
    out
}

pub(crate) fn joined(handle: tokio::task::JoinHandle<Result<Value, Exc>>) -> Awaitable {
    handle
        .map(|r| r.unwrap_or_else(|e| Err(Exc::error(format!("a task panicked: {e}")))))
        .boxed()
        .shared()
}

pub(crate) fn received(rx: oneshot::Receiver<Returned>) -> Awaitable {
    rx.map(|r| {
        r.unwrap_or_else(|_| Err("the pool shut down".into()))
            .map_err(Exc::from)
    })
    .boxed()
    .shared()
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
