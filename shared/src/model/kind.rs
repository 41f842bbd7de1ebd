//! Step kinds and their metadata: the one place that says what each kind is called, where it
//! may appear and what a new one looks like. Every match over kinds is exhaustive, so a new
//! kind does not compile until each of them says what it does with it.

use crate::kinds::{ErrorsKind, Family, SyncKind, TasksKind, TimingKind, ValuesKind, WorkersKind};

use super::{Call, ExcClass, Expr, Handler, OpKind, Scenario, Start, StartKind, Step};

/// The kind of a [`Step`], without its fields; its JSON `type`, in snake case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// [`Step::Print`]
    Print,
    /// [`Step::Sleep`]
    Sleep,
    /// [`Step::Yield`]
    Yield,
    /// [`Step::BlockingSleep`]
    BlockingSleep,
    /// [`Step::Cpu`]
    Cpu,
    /// [`Step::ParCpu`]
    ParCpu,
    /// [`Step::Assign`]
    Assign,
    /// [`Step::Return`]
    Return,
    /// [`Step::Spawn`]
    Spawn,
    /// [`Step::Submit`]
    Submit,
    /// [`Step::Await`]
    Await,
    /// [`Step::Gather`]
    Gather,
    /// [`Step::Start`]
    Start,
    /// [`Step::Join`]
    Join,
    /// [`Step::With`]
    With,
    /// [`Step::Run`]
    Run,
    /// [`Step::For`]
    For,
    /// [`Step::Hold`]
    Hold,
    /// [`Step::Use`]
    Use,
    /// [`Step::Raise`]
    Raise,
    /// [`Step::Try`]
    Try,
    /// [`Step::Cancel`]
    Cancel,
    /// [`Step::Timeout`]
    Timeout,
    /// [`Step::TaskGroup`]
    TaskGroup,
}

/// Where a body runs, which decides the steps it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// The module's own code (`main`), on the main thread, with no loop running.
    Module,
    /// A coroutine (`async def`), on the loop.
    Coroutine,
    /// A plain function (`def`), on a pool worker, a thread or a process.
    Function,
}

impl Context {
    /// How the builder and error messages name it.
    pub fn describe(self) -> &'static str {
        match self {
            Context::Module => "module-level code",
            Context::Coroutine => "an async def",
            Context::Function => "a plain def",
        }
    }
}

impl StepKind {
    /// Every kind, in the order the builder's menu offers them.
    pub const ALL: [StepKind; 24] = [
        StepKind::Print,
        StepKind::Sleep,
        StepKind::Yield,
        StepKind::BlockingSleep,
        StepKind::Cpu,
        StepKind::Gather,
        StepKind::Await,
        StepKind::Spawn,
        StepKind::Submit,
        StepKind::With,
        StepKind::For,
        StepKind::Hold,
        StepKind::Use,
        StepKind::Try,
        StepKind::Raise,
        StepKind::Cancel,
        StepKind::Timeout,
        StepKind::TaskGroup,
        StepKind::Start,
        StepKind::Join,
        StepKind::Assign,
        StepKind::Return,
        StepKind::Run,
        StepKind::ParCpu,
    ];

    /// Its JSON `type`: `blocking_sleep`.
    pub fn tag(self) -> String {
        serde_json::to_string(&self)
            .unwrap_or_default()
            .trim_matches('"')
            .to_owned()
    }

    /// The Python it stands for, as the builder's menu shows it.
    pub fn label(self) -> &'static str {
        match self {
            StepKind::Print => "print(…)",
            StepKind::Sleep => "await asyncio.sleep(…)",
            StepKind::Yield => "await asyncio.sleep(0)",
            StepKind::BlockingSleep => "time.sleep(…)",
            StepKind::Cpu => "burn_cpu(…)",
            StepKind::ParCpu => "par_cpu (rayon, not Python)",
            StepKind::Assign => "x = …",
            StepKind::Return => "return …",
            StepKind::Spawn => "asyncio.create_task(…)",
            StepKind::Submit => "f = loop.run_in_executor(…)",
            StepKind::Await => "await …",
            StepKind::Gather => "await asyncio.gather(…)",
            StepKind::Start => "Thread / Process(…).start()",
            StepKind::Join => "t.join()",
            StepKind::With => "with …Executor() as pool:",
            StepKind::Run => "asyncio.run(…)",
            StepKind::For => "for i in range(…):",
            StepKind::Hold => "async with lock: / with lock:",
            StepKind::Use => "queue.put/get… / event.set/wait",
            StepKind::Raise => "raise …",
            StepKind::Try => "try: … except …:",
            StepKind::Cancel => "t.cancel()",
            StepKind::Timeout => "async with asyncio.timeout(…):",
            StepKind::TaskGroup => "async with asyncio.TaskGroup() as tg:",
        }
    }

    /// Whether a body that runs in `ctx` may hold this kind.
    pub fn allowed_in(self, ctx: Context) -> bool {
        use Context::*;
        match self {
            StepKind::Print
            | StepKind::BlockingSleep
            | StepKind::Cpu
            | StepKind::ParCpu
            | StepKind::Assign
            | StepKind::For
            | StepKind::Hold
            | StepKind::Raise
            | StepKind::Try => true,
            StepKind::Return => ctx != Module,
            StepKind::Sleep
            | StepKind::Yield
            | StepKind::Spawn
            | StepKind::Submit
            | StepKind::Await
            | StepKind::Gather
            | StepKind::With
            | StepKind::Use
            | StepKind::Cancel
            | StepKind::Timeout
            | StepKind::TaskGroup => ctx == Coroutine,
            StepKind::Start | StepKind::Join => ctx != Function,
            StepKind::Run => ctx == Module,
        }
    }

    /// Where it may appear, in words, for an error message.
    pub fn where_allowed(self) -> String {
        let places: Vec<_> = [Context::Module, Context::Coroutine, Context::Function]
            .into_iter()
            .filter(|c| self.allowed_in(*c))
            .map(Context::describe)
            .collect();
        places.join(" and ")
    }

    /// Its family, and its kind there: which module of [`kinds`](crate::kinds) handles it.
    pub(crate) fn family(self) -> Family {
        match self {
            StepKind::Print => Family::Values(ValuesKind::Print),
            StepKind::Sleep => Family::Timing(TimingKind::Sleep),
            StepKind::Yield => Family::Timing(TimingKind::Yield),
            StepKind::BlockingSleep => Family::Timing(TimingKind::BlockingSleep),
            StepKind::Cpu => Family::Timing(TimingKind::Cpu),
            StepKind::ParCpu => Family::Timing(TimingKind::ParCpu),
            StepKind::Assign => Family::Values(ValuesKind::Assign),
            StepKind::Return => Family::Values(ValuesKind::Return),
            StepKind::Spawn => Family::Tasks(TasksKind::Spawn),
            StepKind::Submit => Family::Workers(WorkersKind::Submit),
            StepKind::Await => Family::Tasks(TasksKind::Await),
            StepKind::Gather => Family::Tasks(TasksKind::Gather),
            StepKind::Start => Family::Workers(WorkersKind::Start),
            StepKind::Join => Family::Workers(WorkersKind::Join),
            StepKind::With => Family::Workers(WorkersKind::With),
            StepKind::Run => Family::Tasks(TasksKind::Run),
            StepKind::For => Family::Values(ValuesKind::For),
            StepKind::Hold => Family::Sync(SyncKind::Hold),
            StepKind::Use => Family::Sync(SyncKind::Use),
            StepKind::Raise => Family::Errors(ErrorsKind::Raise),
            StepKind::Try => Family::Errors(ErrorsKind::Try),
            StepKind::Cancel => Family::Tasks(TasksKind::Cancel),
            StepKind::Timeout => Family::Errors(ErrorsKind::Timeout),
            StepKind::TaskGroup => Family::Errors(ErrorsKind::TaskGroup),
        }
    }

    /// Whether CPython has it.
    pub fn is_python(self) -> bool {
        self != StepKind::ParCpu
    }

    /// A new step of this kind for a body of `owner` (a task's or function's name, or `None`
    /// for `main`) in `s`: the choice a person most likely wants, so that adding it takes
    /// one click.
    pub fn example(self, s: &Scenario, owner: Option<&str>) -> Step {
        let other_task = s
            .tasks
            .iter()
            .find(|t| Some(t.name.as_str()) != owner && t.params.is_empty())
            .map_or("task1", |t| t.name.as_str());
        let function = s.functions.first();
        let args = |params: &[String]| -> Vec<Expr> {
            params.iter().map(|p| Expr::Str(p.clone())).collect()
        };
        let pool = s.pools.first().map(|p| p.name.clone());
        let function_name = function.map_or("job".to_owned(), |f| f.name.clone());
        let function_args = function.map_or(vec![], |f| args(&f.params));
        let job = || Call::Executor {
            pool: pool.clone(),
            function: function_name.clone(),
            args: function_args.clone(),
            times: 1,
        };
        match self {
            StepKind::Print => Step::Print {
                text: "Hello".into(),
            },
            StepKind::Sleep => Step::Sleep { ms: 1000 },
            StepKind::Yield => Step::Yield,
            StepKind::BlockingSleep => Step::BlockingSleep { ms: 1000 },
            StepKind::Cpu => Step::Cpu { ms: 1000 },
            StepKind::ParCpu => Step::ParCpu {
                ms: 1000,
                chunks: 4,
            },
            StepKind::Assign => Step::Assign {
                name: "x".into(),
                value: Expr::Int(1),
            },
            StepKind::Return => Step::Return { value: Expr::None },
            StepKind::Spawn => Step::Spawn {
                task: other_task.into(),
                args: vec![],
                into: None,
                group: None,
            },
            StepKind::Submit => Step::Submit {
                pool: pool.clone(),
                function: function_name.clone(),
                args: function_args.clone(),
                into: "future".into(),
            },
            StepKind::Await => Step::Await {
                call: Call::Task {
                    task: other_task.into(),
                    args: vec![],
                    times: 1,
                },
                into: None,
                timeout_ms: None,
            },
            StepKind::Gather => {
                let calls: Vec<Call> = s
                    .tasks
                    .iter()
                    .filter(|t| Some(t.name.as_str()) != owner && t.name != "main")
                    .map(|t| Call::Task {
                        task: t.name.clone(),
                        args: args(&t.params),
                        times: 1,
                    })
                    .collect();
                Step::Gather {
                    calls: if calls.is_empty() { vec![job()] } else { calls },
                    into: None,
                }
            }
            StepKind::Start => Step::Start(Start {
                kind: StartKind::Thread,
                function: function_name.clone(),
                args: function_args.clone(),
                daemon: false,
                into: Some("t".into()),
            }),
            StepKind::Join => Step::Join { name: "t".into() },
            StepKind::With => Step::With {
                pool: s.pools.first().map_or("pool".into(), |p| p.name.clone()),
                body: vec![],
            },
            StepKind::Run => Step::Run {
                task: s
                    .task("main")
                    .or(s.tasks.first())
                    .map_or("main".into(), |t| t.name.clone()),
                args: vec![],
            },
            StepKind::For => Step::For {
                var: "i".into(),
                times: 3,
                body: vec![],
            },
            StepKind::Hold => {
                // A coroutine holds asyncio's locks and semaphores; the module's code and a
                // plain function, which cannot `async with`, a threading.Lock.
                let in_coroutine = owner.is_some_and(|o| s.task(o).is_some());
                let fits = |r: &&super::Resource| {
                    r.kind.is_held() && (r.kind == super::ResourceKind::ThreadLock) != in_coroutine
                };
                Step::Hold {
                    resource: s
                        .resources
                        .iter()
                        .find(fits)
                        .map_or("lock".into(), |r| r.name.clone()),
                    body: vec![],
                }
            }
            StepKind::Use => {
                let found = s.resources.iter().find(|r| !r.kind.is_held());
                let op = OpKind::ALL
                    .into_iter()
                    .find(|op| found.is_some_and(|r| op.applies_to(r.kind)))
                    .unwrap_or(OpKind::Put);
                Step::Use {
                    resource: found.map_or("queue".into(), |r| r.name.clone()),
                    op: op.example(),
                }
            }
            StepKind::Raise => Step::Raise {
                class: Some(ExcClass::ValueError),
                text: "something went wrong".into(),
            },
            StepKind::Try => Step::Try {
                body: vec![],
                handlers: vec![Handler {
                    class: ExcClass::ValueError,
                    body: vec![],
                }],
                star: false,
                finally: vec![],
            },
            StepKind::Cancel => Step::Cancel { name: "t".into() },
            StepKind::Timeout => Step::Timeout {
                ms: 1000,
                body: vec![],
            },
            StepKind::TaskGroup => Step::TaskGroup {
                name: "tg".into(),
                body: vec![],
            },
        }
    }
}

impl Step {
    /// This step's kind.
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Print { .. } => StepKind::Print,
            Step::Sleep { .. } => StepKind::Sleep,
            Step::Yield => StepKind::Yield,
            Step::BlockingSleep { .. } => StepKind::BlockingSleep,
            Step::Cpu { .. } => StepKind::Cpu,
            Step::ParCpu { .. } => StepKind::ParCpu,
            Step::Assign { .. } => StepKind::Assign,
            Step::Return { .. } => StepKind::Return,
            Step::Spawn { .. } => StepKind::Spawn,
            Step::Submit { .. } => StepKind::Submit,
            Step::Await { .. } => StepKind::Await,
            Step::Gather { .. } => StepKind::Gather,
            Step::Start(_) => StepKind::Start,
            Step::Join { .. } => StepKind::Join,
            Step::With { .. } => StepKind::With,
            Step::Run { .. } => StepKind::Run,
            Step::For { .. } => StepKind::For,
            Step::Hold { .. } => StepKind::Hold,
            Step::Use { .. } => StepKind::Use,
            Step::Raise { .. } => StepKind::Raise,
            Step::Try { .. } => StepKind::Try,
            Step::Cancel { .. } => StepKind::Cancel,
            Step::Timeout { .. } => StepKind::Timeout,
            Step::TaskGroup { .. } => StepKind::TaskGroup,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_and_its_example_is_of_that_kind() {
        let s = crate::presets::find("thread-pool").unwrap().scenario();
        let mut seen = std::collections::HashSet::new();
        for kind in StepKind::ALL {
            assert!(seen.insert(kind), "{kind:?} twice");
            assert_eq!(kind.example(&s, Some("main")).kind(), kind);
            assert!(
                !kind.where_allowed().is_empty(),
                "{kind:?} is allowed nowhere"
            );
        }
    }

    #[test]
    fn a_held_lock_is_one_its_body_can_hold() {
        let mut s = crate::presets::find("semaphore-scraper")
            .unwrap()
            .scenario();
        s.resources.push(crate::model::Resource {
            name: "tlock".into(),
            kind: crate::model::ResourceKind::ThreadLock,
        });
        let held = |owner| match StepKind::Hold.example(&s, owner) {
            Step::Hold { resource, .. } => resource,
            other => panic!("{other:?}"),
        };
        let task = s.tasks[0].name.clone();
        assert_ne!(held(Some(&task)), "tlock", "a coroutine holds asyncio's");
        assert_eq!(
            held(None),
            "tlock",
            "the module's code holds a threading.Lock"
        );
    }
}
