//! Editing a scenario without code: every change the builder can make, as a value applied
//! to the scenario. Pure, so each is tested natively.

use looplab_shared::model::{Call, Function, LoopFlavor, Pool, PoolKind, Requests, Scenario, Step};

/// Which list of steps an edit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// `main`.
    Main,
    /// `tasks[i]`.
    Task(usize),
    /// `functions[i]`.
    Function(usize),
}

impl Body {
    /// The body's path in the scenario's JSON, as validation names fields.
    pub fn path(self) -> String {
        match self {
            Body::Main => "main".into(),
            Body::Task(i) => format!("tasks[{i}].steps"),
            Body::Function(i) => format!("functions[{i}].steps"),
        }
    }

    /// Whether its steps run on the loop (main and tasks) or on a thread (functions).
    pub fn on_loop(self) -> bool {
        !matches!(self, Body::Function(_))
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Start over with an empty scenario.
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
    /// Change pool `i`'s size.
    PoolWorkers(usize, u32),
    /// Remove pool `i`.
    RemovePool(usize),
    /// Add a task (`true`) or a function with a free name.
    AddDef(bool),
    /// Rename a task or function; calls to it follow.
    RenameDef(Body, String),
    /// Remove a task or function.
    RemoveDef(Body),
    /// Append a step to a body.
    AddStep(Body, Step),
    /// Replace step `i` of a body.
    SetStep(Body, usize, Step),
    /// Remove step `i` of a body.
    RemoveStep(Body, usize),
    /// Move step `i` of a body one place up (`true`) or down.
    MoveStep(Body, usize, bool),
    /// Set or clear the request source.
    Requests(Option<Requests>),
}

/// An empty scenario to build from.
pub fn empty() -> Scenario {
    Scenario {
        name: "my scenario".into(),
        time_scale: 1.0,
        options: Default::default(),
        pools: vec![],
        functions: vec![],
        tasks: vec![],
        main: vec![],
        requests: None,
    }
}

fn free_name(taken: impl Fn(&str) -> bool, stem: &str) -> String {
    (1..)
        .map(|n| format!("{stem}{n}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| stem.into())
}

/// The steps of `body`; none if it does not exist.
pub fn steps(s: &Scenario, body: Body) -> &[Step] {
    match body {
        Body::Main => &s.main,
        Body::Task(i) => s.tasks.get(i).map_or(&[], |t| &t.steps),
        Body::Function(i) => s.functions.get(i).map_or(&[], |f| &f.steps),
    }
}

/// The steps of `body`, if it exists.
pub fn steps_mut(s: &mut Scenario, body: Body) -> Option<&mut Vec<Step>> {
    match body {
        Body::Main => Some(&mut s.main),
        Body::Task(i) => s.tasks.get_mut(i).map(|t| &mut t.steps),
        Body::Function(i) => s.functions.get_mut(i).map(|f| &mut f.steps),
    }
}

/// A new step of `kind` with sensible values, naming things the scenario has.
pub fn new_step(s: &Scenario, kind: &str) -> Step {
    let task = s.tasks.first().map(|t| t.name.clone()).unwrap_or_default();
    let function = s
        .functions
        .first()
        .map(|f| f.name.clone())
        .unwrap_or_default();
    match kind {
        "sleep" => Step::Sleep { ms: 1000 },
        "blocking_sleep" => Step::BlockingSleep { ms: 1000 },
        "cpu" => Step::Cpu { ms: 500 },
        "par_cpu" => Step::ParCpu {
            ms: 1000,
            chunks: 8,
        },
        "spawn" => Step::Spawn { task },
        "gather" => Step::Gather {
            calls: vec![Call::Task { task, times: 1 }],
        },
        "start_thread" => Step::StartThread {
            function,
            daemon: false,
            arg: String::new(),
        },
        "start_process" => Step::StartProcess {
            function,
            daemon: false,
            arg: String::new(),
        },
        _ => Step::Print {
            text: "hello".into(),
        },
    }
}

/// The kinds a step may be in a body, as the builder offers them.
pub fn step_kinds(on_loop: bool) -> &'static [&'static str] {
    if on_loop {
        &[
            "print",
            "sleep",
            "blocking_sleep",
            "cpu",
            "par_cpu",
            "spawn",
            "gather",
            "start_thread",
            "start_process",
        ]
    } else {
        &["print", "sleep", "cpu", "par_cpu"]
    }
}

/// The kind of a step, as in its JSON `type`.
pub fn kind_of(step: &Step) -> &'static str {
    match step {
        Step::Print { .. } => "print",
        Step::Sleep { .. } => "sleep",
        Step::BlockingSleep { .. } => "blocking_sleep",
        Step::Cpu { .. } => "cpu",
        Step::ParCpu { .. } => "par_cpu",
        Step::Spawn { .. } => "spawn",
        Step::Gather { .. } => "gather",
        Step::StartThread { .. } => "start_thread",
        Step::StartProcess { .. } => "start_process",
    }
}

/// Renames every call to task (`tasks`) or function `from`.
fn rename_calls(s: &mut Scenario, tasks: bool, from: &str, to: &str) {
    let rename = |name: &mut String| {
        if name == from {
            *name = to.to_owned();
        }
    };
    let bodies = std::iter::once(&mut s.main)
        .chain(s.tasks.iter_mut().map(|t| &mut t.steps))
        .chain(s.functions.iter_mut().map(|f| &mut f.steps));
    for steps in bodies {
        for step in steps {
            match step {
                Step::Spawn { task } if tasks => rename(task),
                Step::StartThread { function, .. } | Step::StartProcess { function, .. }
                    if !tasks =>
                {
                    rename(function)
                }
                Step::Gather { calls } => {
                    for call in calls {
                        match call {
                            Call::Task { task, .. } if tasks => rename(task),
                            Call::Executor { function, .. } if !tasks => rename(function),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(r) = s.requests.as_mut().filter(|_| tasks) {
        rename(&mut r.handler);
    }
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
            let stem = if kind == PoolKind::Thread {
                "threads"
            } else {
                "processes"
            };
            let name = free_name(|n| s.pool(n).is_some(), stem);
            s.pools.push(Pool {
                name,
                kind,
                max_workers: 2,
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
        Edit::AddDef(task) => {
            if task {
                let name = free_name(|n| s.task(n).is_some(), "task");
                s.tasks.push(Function {
                    name,
                    steps: vec![Step::Print {
                        text: "started".into(),
                    }],
                });
            } else {
                let name = free_name(|n| s.function(n).is_some(), "work");
                s.functions.push(Function {
                    name,
                    steps: vec![Step::Sleep { ms: 1000 }],
                });
            }
        }
        Edit::RenameDef(body, to) => {
            let (defs, tasks, i) = match body {
                Body::Task(i) => (&mut s.tasks, true, i),
                Body::Function(i) => (&mut s.functions, false, i),
                Body::Main => return,
            };
            let Some(def) = defs.get_mut(i) else { return };
            let from = std::mem::replace(&mut def.name, to.clone());
            rename_calls(s, tasks, &from, &to);
        }
        Edit::RemoveDef(body) => match body {
            Body::Task(i) if i < s.tasks.len() => drop(s.tasks.remove(i)),
            Body::Function(i) if i < s.functions.len() => drop(s.functions.remove(i)),
            _ => {}
        },
        Edit::AddStep(body, step) => {
            if let Some(steps) = steps_mut(s, body) {
                steps.push(step);
            }
        }
        Edit::SetStep(body, i, step) => {
            if let Some(slot) = steps_mut(s, body).and_then(|steps| steps.get_mut(i)) {
                *slot = step;
            }
        }
        Edit::RemoveStep(body, i) => {
            if let Some(steps) = steps_mut(s, body).filter(|steps| i < steps.len()) {
                steps.remove(i);
            }
        }
        Edit::MoveStep(body, i, up) => {
            if let Some(steps) = steps_mut(s, body) {
                let j = if up { i.checked_sub(1) } else { Some(i + 1) };
                if let Some(j) = j.filter(|&j| j < steps.len() && i < steps.len()) {
                    steps.swap(i, j);
                }
            }
        }
        Edit::Requests(r) => s.requests = r,
    }
}

#[cfg(test)]
mod tests;
