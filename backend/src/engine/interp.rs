//! The interpreter: a run's state, its variables, and coroutines' bodies. Tasks on the loop
//! are made in [`tasks`](super::tasks), work off it (jobs, threads, processes) in
//! [`jobs`](super::jobs); plain functions run in [`sync`](super::sync); the module's own
//! code, `asyncio.run` and exit in [`program`](super::program).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use looplab_shared::model::{Expr, Function, Scenario, Step};
use looplab_shared::protocol::Lane;
use looplab_shared::python::value::Value;

use super::env::Env;
use super::exc::{Cancel, Exc, Flow};
use super::exec::{Cx, Mode};
use super::group::Group;
use super::pool::Pool;
use super::resource::AsyncResources;
use super::started::{Started, Unit};

/// A task or a future, which several may await: what it gives, and its subject.
#[derive(Clone)]
pub(crate) struct Awaitable {
    /// The task or job.
    pub(crate) subject: u32,
    result: Shared<BoxFuture<'static, Result<Value, Exc>>>,
}

impl Awaitable {
    /// What `result` will give, which several may await.
    pub(super) fn new(
        subject: u32,
        result: impl std::future::Future<Output = Result<Value, Exc>> + Send + 'static,
    ) -> Self {
        let result = result.boxed().shared();
        Self { subject, result }
    }

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
    pub(super) functions: HashMap<String, Arc<Function>>,
    tasks: HashMap<String, Arc<Function>>,
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

    pub(crate) fn eval_args(&self, frame: &Frame, args: &[Expr]) -> Result<Vec<Value>, String> {
        let lookup = |name: &str| self.value(frame, name);
        args.iter()
            .map(|a| looplab_shared::python::value::eval(a, &lookup).map_err(|e| e.to_string()))
            .collect()
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
}
