//! Editing a scenario without code: every change the builder can make, as a value applied
//! to the scenario. Pure, so each is tested natively.

use looplab_shared::model::{
    Callee, Context, Function, LoopFlavor, Pool, PoolKind, Resource, ResourceKind, Route, Scenario,
    Server, Step, Traffic,
};

/// Where a body of steps is: `main`, a task's or a function's, or a block inside one of
/// them (the steps that lead to it, each with which of its blocks).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyPath {
    /// Whose body.
    pub root: Root,
    /// The steps holding blocks, by index, down to the block: each with the block's place
    /// among [`Step::bodies`] and its field in JSON (`body`, `finally`).
    pub blocks: Vec<(usize, usize, String)>,
}

/// The definition a body belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Root {
    /// `main`, the module's own code.
    Main,
    /// `tasks[i]`.
    Task(usize),
    /// `functions[i]`.
    Function(usize),
}

impl BodyPath {
    /// The top-level body of `root`.
    pub fn of(root: Root) -> Self {
        Self {
            root,
            blocks: Vec::new(),
        }
    }

    /// Block `k` (its field `field`) of step `i` of this body.
    pub fn block(&self, i: usize, k: usize, field: &str) -> Self {
        let mut blocks = self.blocks.clone();
        blocks.push((i, k, field.to_owned()));
        Self {
            root: self.root,
            blocks,
        }
    }

    /// Its path in the scenario's JSON, as validation names fields: `tasks[0].steps[2].body`.
    pub fn path(&self) -> String {
        let mut path = match self.root {
            Root::Main => "main".to_owned(),
            Root::Task(i) => format!("tasks[{i}].steps"),
            Root::Function(i) => format!("functions[{i}].steps"),
        };
        for (i, _, field) in &self.blocks {
            path.push_str(&format!("[{i}].{field}"));
        }
        path
    }

    /// Where its steps run, which decides the steps it may hold.
    pub fn context(&self) -> Context {
        match self.root {
            Root::Main => Context::Module,
            Root::Task(_) => Context::Coroutine,
            Root::Function(_) => Context::Function,
        }
    }

    /// The task's or function's name (`None` for `main`), for a new step's defaults.
    pub fn owner<'a>(&self, s: &'a Scenario) -> Option<&'a str> {
        match self.root {
            Root::Main => None,
            Root::Task(i) => s.tasks.get(i).map(|t| t.name.as_str()),
            Root::Function(i) => s.functions.get(i).map(|f| f.name.as_str()),
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Start over: `async def main()` with nothing in it, run by `asyncio.run`.
    Clear,
    /// Rename the scenario.
    Name(String),
    /// Set the time scale.
    Scale(f64),
    /// Turn the simulated GIL on or off.
    Gil(bool),
    /// Pick the loop: `None` single-threaded, `Some(n)` multi-threaded with `n` workers.
    LoopWorkers(Option<u32>),
    /// Add a pool with a free name.
    AddPool(PoolKind),
    /// Set pool `i`'s size; `None` is CPython's default.
    PoolWorkers(usize, Option<u32>),
    /// Remove pool `i`.
    RemovePool(usize),
    /// Add a lock, semaphore, event or queue with a free name.
    AddResource(ResourceKind),
    /// Set resource `i`'s size: a semaphore's value or a queue's maxsize.
    ResourceSize(usize, u32),
    /// Remove resource `i`.
    RemoveResource(usize),
    /// Add a task (`true`) or a function with a free name and a first step.
    AddDef(bool),
    /// Rename a task or function; calls to it follow.
    RenameDef(Root, String),
    /// Set a task's or function's parameters; calls get an argument for each.
    Params(Root, Vec<String>),
    /// Remove a task or function.
    RemoveDef(Root),
    /// Append a step to a body.
    AddStep(BodyPath, Step),
    /// Replace step `i` of a body.
    SetStep(BodyPath, usize, Step),
    /// Remove step `i` of a body.
    RemoveStep(BodyPath, usize),
    /// Move step `i` of a body one place up (`true`) or down.
    MoveStep(BodyPath, usize, bool),
    /// Add a web app answering `/` with the first task that takes no parameters (or a new
    /// one), ten requests a tenth of a second apart: where a person starts one.
    AddServer,
    /// Change or remove the web app.
    Server(Option<Server>),
}

/// The scenario to build from: `async def main()` with nothing in it yet.
pub fn empty() -> Scenario {
    let mut s = Scenario::empty("my scenario");
    s.tasks.push(Function {
        name: "main".into(),
        params: vec![],
        steps: vec![],
    });
    s.main.push(Step::Run {
        task: "main".into(),
        args: vec![],
    });
    s
}

/// `stem` with the first number that makes it a name nothing in `s` has.
pub(crate) fn free_name(s: &Scenario, stem: &str) -> String {
    (1..)
        .map(|n| format!("{stem}{n}"))
        .find(|n| !taken(s, n))
        .unwrap_or_else(|| stem.into())
}

/// Whether a task, function, pool or resource of `s` is named `n`.
fn taken(s: &Scenario, n: &str) -> bool {
    s.task(n).is_some() || s.function(n).is_some() || s.pool(n).is_some() || s.resource(n).is_some()
}

/// `stem` itself if no task, function, pool or resource has that name, or else the first of
/// `stem2`, `stem3`… that is free.
pub(crate) fn name_like(s: &Scenario, stem: &str) -> String {
    std::iter::once(stem.to_owned())
        .chain((2..).map(|n| format!("{stem}{n}")))
        .find(|n| !taken(s, n))
        .unwrap_or_else(|| stem.into())
}

/// The steps of the body at `path`; none if it does not exist.
pub fn steps<'a>(s: &'a Scenario, path: &BodyPath) -> &'a [Step] {
    let mut steps: &[Step] = match path.root {
        Root::Main => &s.main,
        Root::Task(i) => s.tasks.get(i).map_or(&[], |t| &t.steps),
        Root::Function(i) => s.functions.get(i).map_or(&[], |f| &f.steps),
    };
    for (i, k, _) in &path.blocks {
        steps = steps
            .get(*i)
            .and_then(|st| st.bodies().into_iter().nth(*k))
            .map_or(&[], |(_, body)| body);
    }
    steps
}

/// The steps of the body at `path`, if it exists.
pub fn steps_mut<'a>(s: &'a mut Scenario, path: &BodyPath) -> Option<&'a mut Vec<Step>> {
    let mut steps = match path.root {
        Root::Main => Some(&mut s.main),
        Root::Task(i) => s.tasks.get_mut(i).map(|t| &mut t.steps),
        Root::Function(i) => s.functions.get_mut(i).map(|f| &mut f.steps),
    }?;
    for (i, k, _) in &path.blocks {
        steps = steps.get_mut(*i)?.bodies_mut().into_iter().nth(*k)?;
    }
    Some(steps)
}

/// Every body of the scenario, nested blocks included, for visiting all steps.
fn all_steps_mut(s: &mut Scenario, f: &mut impl FnMut(&mut Step)) {
    fn walk(steps: &mut [Step], f: &mut impl FnMut(&mut Step)) {
        for step in steps {
            f(step);
            for body in step.bodies_mut() {
                walk(body, f);
            }
        }
    }
    walk(&mut s.main, f);
    for def in s.tasks.iter_mut().chain(s.functions.iter_mut()) {
        walk(&mut def.steps, f);
    }
}

/// Visits every call of a coroutine (`tasks`) or of a plain function: its name, and its
/// arguments (a route's handler is called by the web app, with none).
fn each_call(
    s: &mut Scenario,
    tasks: bool,
    f: &mut impl FnMut(&mut String, Option<&mut Vec<looplab_shared::model::Expr>>),
) {
    let wanted = if tasks {
        Callee::Task
    } else {
        Callee::Function
    };
    all_steps_mut(s, &mut |step| {
        step.calls_mut(&mut |callee, name, args| {
            if callee == wanted {
                f(name, Some(args));
            }
        })
    });
    if let Some(server) = s.server.as_mut().filter(|_| tasks) {
        for route in &mut server.routes {
            f(&mut route.handler, None);
        }
    }
}

/// Renames every call to task (`tasks`) or function `from`.
fn rename_calls(s: &mut Scenario, tasks: bool, from: &str, to: &str) {
    each_call(s, tasks, &mut |name, _| {
        if name == from {
            *name = to.to_owned();
        }
    });
}

/// Gives every call to `name` as many arguments as it now has parameters: kept where they
/// were, `None` for a new one.
fn fit_args(s: &mut Scenario, tasks: bool, name: &str, count: usize) {
    each_call(s, tasks, &mut |called, args| {
        if let Some(args) = args.filter(|_| called == name) {
            args.resize(count, looplab_shared::model::Expr::None);
        }
    });
}

/// Applies `edit` to `s`. Edits that name something missing change nothing.
pub fn apply(s: &mut Scenario, edit: Edit) {
    match edit {
        Edit::Clear => *s = empty(),
        Edit::Name(name) => s.name = name,
        Edit::Scale(scale) => s.time_scale = scale,
        Edit::Gil(on) => s.options.gil = on,
        Edit::LoopWorkers(workers) => {
            s.options.loop_flavor = workers.map_or(LoopFlavor::SingleThread, |workers| {
                LoopFlavor::MultiThread { workers }
            });
        }
        Edit::AddPool(kind) => {
            let stem = match kind {
                PoolKind::Thread => "threads",
                PoolKind::Process => "processes",
            };
            let name = free_name(s, stem);
            s.pools.push(Pool {
                name,
                kind,
                max_workers: None,
            });
        }
        Edit::PoolWorkers(i, n) => {
            if let Some(p) = s.pools.get_mut(i) {
                p.max_workers = n;
            }
        }
        Edit::RemovePool(i) => {
            if i < s.pools.len() {
                s.pools.remove(i);
            }
        }
        Edit::AddResource(kind) => {
            let stem = match kind {
                ResourceKind::Lock | ResourceKind::ThreadLock => "lock",
                ResourceKind::Semaphore { .. } => "sem",
                ResourceKind::Event => "event",
                ResourceKind::Queue { .. } => "queue",
            };
            let name = free_name(s, stem);
            s.resources.push(Resource { name, kind });
        }
        Edit::ResourceSize(i, n) => {
            if let Some(r) = s.resources.get_mut(i) {
                match &mut r.kind {
                    ResourceKind::Semaphore { value } => *value = n,
                    ResourceKind::Queue { maxsize } => *maxsize = n,
                    ResourceKind::Lock | ResourceKind::Event | ResourceKind::ThreadLock => {}
                }
            }
        }
        Edit::RemoveResource(i) => {
            if i < s.resources.len() {
                s.resources.remove(i);
            }
        }
        Edit::AddDef(task) => {
            // A task waits for something; a function blocks on something: the step a person
            // adds them for.
            let (name, step) = if task {
                (free_name(s, "task"), Step::Sleep { ms: 1000 })
            } else {
                (free_name(s, "work"), Step::BlockingSleep { ms: 1000 })
            };
            let def = Function {
                name,
                params: vec![],
                steps: vec![step],
            };
            if task {
                s.tasks.push(def);
            } else {
                s.functions.push(def);
            }
        }
        Edit::RenameDef(root, to) => {
            let (defs, tasks, i) = match root {
                Root::Task(i) => (&mut s.tasks, true, i),
                Root::Function(i) => (&mut s.functions, false, i),
                Root::Main => return,
            };
            let Some(def) = defs.get_mut(i) else { return };
            let from = std::mem::replace(&mut def.name, to.clone());
            rename_calls(s, tasks, &from, &to);
        }
        Edit::Params(root, params) => {
            let (defs, tasks, i) = match root {
                Root::Task(i) => (&mut s.tasks, true, i),
                Root::Function(i) => (&mut s.functions, false, i),
                Root::Main => return,
            };
            let Some(def) = defs.get_mut(i) else { return };
            def.params = params;
            let (name, count) = (def.name.clone(), def.params.len());
            fit_args(s, tasks, &name, count);
        }
        Edit::RemoveDef(root) => match root {
            Root::Task(i) if i < s.tasks.len() => drop(s.tasks.remove(i)),
            Root::Function(i) if i < s.functions.len() => drop(s.functions.remove(i)),
            Root::Task(_) | Root::Function(_) | Root::Main => {}
        },
        Edit::AddStep(path, step) => {
            if let Some(steps) = steps_mut(s, &path) {
                steps.push(step);
            }
        }
        Edit::SetStep(path, i, step) => {
            if let Some(slot) = steps_mut(s, &path).and_then(|steps| steps.get_mut(i)) {
                *slot = step;
            }
        }
        Edit::RemoveStep(path, i) => {
            if let Some(steps) = steps_mut(s, &path).filter(|steps| i < steps.len()) {
                steps.remove(i);
            }
        }
        Edit::MoveStep(path, i, up) => {
            if let Some(steps) = steps_mut(s, &path) {
                let j = if up { i.checked_sub(1) } else { Some(i + 1) };
                if let Some(j) = j.filter(|&j| j < steps.len() && i < steps.len()) {
                    steps.swap(i, j);
                }
            }
        }
        Edit::AddServer => {
            let handler = match s
                .tasks
                .iter()
                .find(|t| t.params.is_empty() && t.name != "main")
            {
                Some(t) => t.name.clone(),
                None => {
                    apply(s, Edit::AddDef(true));
                    s.tasks.last().map(|t| t.name.clone()).unwrap_or_default()
                }
            };
            s.server = Some(Server {
                routes: vec![Route {
                    path: "/".into(),
                    handler,
                }],
                traffic: vec![Traffic {
                    path: "/".into(),
                    at_ms: 0,
                    every_ms: 100,
                    count: 10,
                }],
            });
        }
        Edit::Server(server) => s.server = server,
    }
}

#[cfg(test)]
mod tests;
