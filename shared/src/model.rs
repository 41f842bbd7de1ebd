//! The scenario model: what a learner builds and the engine runs.
//!
//! A scenario is a small program in the shape of the Python programs of the lessons; it is
//! the model of a documented subset of Python 3 ([`python`](crate::python) reads and writes
//! it), and no user code is ever run. It has:
//! - `main`: the module's own code, run on the main thread; `asyncio.run(main())` is one of
//!   its steps ([`Step::Run`]);
//! - `tasks`: coroutines (`async def`), run on an event loop;
//! - `functions`: plain functions (`def`), run by pools, threads and processes;
//! - `pools`: thread and process pools (`ThreadPoolExecutor`, `ProcessPoolExecutor`) assigned
//!   at module level or opened by a `with` block ([`Step::With`]);
//! - `resources`: locks, semaphores, events and queues made at module level
//!   ([`Step::Hold`] holds a lock, [`Step::Use`] calls an event's or a queue's methods);
//! - `server`: optionally, a web app (FastAPI's `@app.get`) whose routes answer requests
//!   arriving on a schedule, as uvicorn would serve them.
//!
//! When `main`'s steps end, the program exits as CPython does: pools finish their work and
//! non-daemon threads are joined while daemon threads run on; then daemon processes are
//! terminated and non-daemon processes joined; daemon threads still running are abandoned
//! last.

mod call;
mod exc;
mod expr;
pub(crate) mod json;
mod kind;
mod resource;
mod step;

use serde::{Deserialize, Serialize};

pub use call::{Call, Callee, Start, StartKind};
pub use exc::{ExcClass, Handler};
pub use expr::{DictItem, Expr, Term};
pub use kind::{Context, StepKind};
pub use resource::{Op, OpKind, Resource, ResourceKind};
pub use step::Step;

/// A whole scenario, as sent by the client in [`ClientMsg::Run`](crate::protocol::ClientMsg::Run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short title. At most [`MAX_NAME_BYTES`](crate::limits::MAX_NAME_BYTES).
    pub name: String,
    /// Multiplies every duration: `0.1` runs ten times faster than written. Between
    /// [`MIN_TIME_SCALE`](crate::limits::MIN_TIME_SCALE) and
    /// [`MAX_TIME_SCALE`](crate::limits::MAX_TIME_SCALE); `1.0` when absent.
    #[serde(default = "default_time_scale")]
    pub time_scale: f64,
    /// How the loop runs and whether the GIL is simulated.
    #[serde(default)]
    pub options: Options,
    /// Executors: module-level ones and those a `with` block opens.
    #[serde(default)]
    pub pools: Vec<Pool>,
    /// Locks, semaphores, events and queues, made at module level. At most
    /// [`MAX_RESOURCES`](crate::limits::MAX_RESOURCES).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    /// Plain functions (`def`), run by pools, threads and processes.
    #[serde(default)]
    pub functions: Vec<Function>,
    /// Coroutines (`async def`), run as tasks on the loop.
    #[serde(default)]
    pub tasks: Vec<Function>,
    /// The module's own code, on the main thread.
    pub main: Vec<Step>,
    /// A web app serving requests after `main`'s steps, as `uvicorn` would.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<Server>,
}

fn default_time_scale() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}

/// Run-wide switches.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Which event loop runs the tasks.
    #[serde(default)]
    pub loop_flavor: LoopFlavor,
    /// Simulate CPython's global interpreter lock (on unless switched off): in each process,
    /// one thread at a time runs CPU work, handing over about every
    /// [`GIL_SWITCH_MS`](crate::limits::GIL_SWITCH_MS); sleeping and waiting release it. Off
    /// is not CPython 3.11 but a free-threaded build.
    #[serde(default = "yes")]
    pub gil: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            loop_flavor: LoopFlavor::default(),
            gil: true,
        }
    }
}

/// Which event loop runs the tasks: `{"type": "single_thread"}` or
/// `{"type": "multi_thread", "workers": 2}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "json::LoopJson", into = "json::LoopJson")]
pub enum LoopFlavor {
    /// One thread, like asyncio's loop: a task that blocks stops every other task.
    #[default]
    SingleThread,
    /// tokio's work-stealing runtime with `workers` threads: tasks may run in parallel. Not
    /// Python: asyncio has no such loop.
    MultiThread {
        /// Worker threads, at most [`MAX_LOOP_WORKERS`](crate::limits::MAX_LOOP_WORKERS).
        workers: u32,
    },
}

/// A thread or process pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// The variable that holds it: `run_in_executor` calls name it.
    pub name: String,
    /// Threads or processes.
    pub kind: PoolKind,
    /// Workers at most; jobs beyond them wait in the pool's queue. At most
    /// [`MAX_POOL_WORKERS`](crate::limits::MAX_POOL_WORKERS). Absent: CPython's default for
    /// the machine that runs it ([`PoolKind::default_workers`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_workers: Option<u32>,
}

impl Pool {
    /// Its workers on a machine with `cores` cores.
    pub fn workers(&self, cores: u32) -> u32 {
        self.max_workers
            .unwrap_or_else(|| self.kind.default_workers(cores))
    }
}

/// What a pool's workers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolKind {
    /// Threads of the run's process (`ThreadPoolExecutor`): they share its GIL.
    Thread,
    /// Separate OS processes (`ProcessPoolExecutor`): each has its own GIL.
    Process,
}

impl PoolKind {
    /// CPython 3.11's `max_workers` when none is given, on `cores` cores — `min(32, cores +
    /// 4)` threads, `cores` processes — capped at
    /// [`MAX_POOL_WORKERS`](crate::limits::MAX_POOL_WORKERS).
    pub fn default_workers(self, cores: u32) -> u32 {
        let cores = cores.max(1);
        let python = match self {
            PoolKind::Thread => (cores + 4).min(32),
            PoolKind::Process => cores,
        };
        python.min(crate::limits::MAX_POOL_WORKERS)
    }

    /// The class that makes one.
    pub fn class(self) -> &'static str {
        match self {
            PoolKind::Thread => "ThreadPoolExecutor",
            PoolKind::Process => "ProcessPoolExecutor",
        }
    }
}

/// A coroutine or a plain function: a name, its parameters and its steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// How calls name it. At most [`MAX_NAME_BYTES`](crate::limits::MAX_NAME_BYTES).
    pub name: String,
    /// Its positional parameters; a call passes one argument each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<String>,
    /// What it does, in order.
    pub steps: Vec<Step>,
}

/// A web app: routes that answer requests, and the requests that arrive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// `@app.get(path)` handlers.
    pub routes: Vec<Route>,
    /// Requests arriving on a schedule, each answered by its path's route in a task of its
    /// own.
    pub traffic: Vec<Traffic>,
}

/// One `@app.get(path)` handler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The path it answers, starting with `/`.
    pub path: String,
    /// The coroutine (a task without parameters) that answers it; what it returns is the
    /// response.
    pub handler: String,
}

/// Requests for one path, arriving at a steady rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// The path requested.
    pub path: String,
    /// When the first arrives, in ms after the server starts, before scaling.
    #[serde(default)]
    pub at_ms: u64,
    /// Time between two arrivals, in ms before scaling.
    #[serde(default)]
    pub every_ms: u64,
    /// How many arrive. At most [`MAX_REQUESTS`](crate::limits::MAX_REQUESTS) in all.
    pub count: u32,
}

impl Scenario {
    /// An empty scenario called `name`: `main` does nothing.
    pub fn empty(name: &str) -> Self {
        Self {
            name: name.into(),
            time_scale: 1.0,
            options: Options::default(),
            pools: vec![],
            resources: vec![],
            functions: vec![],
            tasks: vec![],
            main: vec![],
            server: None,
        }
    }

    /// The task named `name`.
    pub fn task(&self, name: &str) -> Option<&Function> {
        self.tasks.iter().find(|t| t.name == name)
    }

    /// The function named `name`.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// The pool named `name`, with its index.
    pub fn pool(&self, name: &str) -> Option<(usize, &Pool)> {
        self.pools.iter().enumerate().find(|(_, p)| p.name == name)
    }

    /// The resource named `name`.
    pub fn resource(&self, name: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.name == name)
    }

    /// Calls `f` on every step of the program, nested ones too, in the order its Python
    /// declares them: functions, then tasks, then the module's code.
    pub fn walk_steps<'a>(&'a self, f: &mut impl FnMut(&'a Step)) {
        for func in self.functions.iter().chain(&self.tasks) {
            func.steps.iter().for_each(|st| st.walk(f));
        }
        self.main.iter().for_each(|st| st.walk(f));
    }

    /// Whether pool `name` is one a `with` block opens, rather than a module-level variable.
    pub fn opened_by_with(&self, name: &str) -> bool {
        let mut found = false;
        self.walk_steps(&mut |st| {
            if let Step::With { pool, .. } = st {
                found |= pool == name;
            }
        });
        found
    }

    /// The same scenario with its pools in the order its Python declares them: module-level
    /// pools as listed, then those `with` blocks open, by first block. Reading a program
    /// back ([`crate::python::parse`]) gives this order.
    pub fn canonical(&self) -> Scenario {
        let mut opened: Vec<&str> = Vec::new();
        self.walk_steps(&mut |st| {
            if let Step::With { pool, .. } = st
                && !opened.contains(&pool.as_str())
            {
                opened.push(pool);
            }
        });
        let rank = |p: &Pool| {
            opened
                .iter()
                .position(|o| *o == p.name)
                .map_or(0, |i| i + 1)
        };
        let mut pools = self.pools.clone();
        // Stable: module-level pools keep their order.
        pools.sort_by_key(rank);
        Scenario {
            pools,
            ..self.clone()
        }
    }

    /// The route answering `path`.
    pub fn route(&self, path: &str) -> Option<&Route> {
        self.server.as_ref()?.routes.iter().find(|r| r.path == path)
    }

    /// Why this scenario is not what CPython 3.11 would do, if it is not: it uses something
    /// only tokio or rayon have.
    pub fn not_python(&self) -> Option<&'static str> {
        if let LoopFlavor::MultiThread { .. } = self.options.loop_flavor {
            return Some(
                "tokio's multi-threaded loop runs tasks on several threads at once; asyncio's \
                 loop is one thread",
            );
        }
        let mut par_cpu = false;
        self.walk_steps(&mut |st| par_cpu |= st.kind() == StepKind::ParCpu);
        if par_cpu {
            return Some(
                "par_cpu splits work over a rayon pool of native threads; Python has no rayon",
            );
        }
        if !self.options.gil {
            return Some(
                "without the GIL, threads of one process run Python code at once: that is a \
                 free-threaded build (3.13t), not CPython 3.11",
            );
        }
        None
    }
}

/// The parts of a print's text: literal text and `{name}` or `{name!r}` fields, which show
/// a variable's value as `str()` or `repr()` would. `{{` and `}}` stand for braces. A brace
/// that opens no field is kept as text.
pub fn template_parts(text: &str) -> Vec<TemplatePart<'_>> {
    let mut parts = Vec::new();
    let mut rest = text;
    let mut literal = String::new();
    while let Some(i) = rest.find(['{', '}']) {
        literal.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            literal.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let (true, Some(end)) = (tail.starts_with('{'), tail.find('}')) {
            let field = &tail[1..end];
            let (name, repr) = match field.strip_suffix("!r") {
                Some(name) => (name, true),
                None => (field, false),
            };
            if is_identifier(name) {
                if !literal.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                }
                parts.push(TemplatePart::Field { name, repr });
                rest = &tail[end + 1..];
                continue;
            }
        }
        literal.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(TemplatePart::Text(literal));
    }
    parts
}

/// Where `text` has a brace that is neither doubled nor opens a `{name}` or `{name!r}` field,
/// if anywhere: such a text is not what an f-string can say.
pub fn stray_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => i += 2,
            b'{' => {
                let Some(end) = text[i..].find('}').map(|e| e + i) else {
                    return Some(i);
                };
                let field = &text[i + 1..end];
                if !is_identifier(field.strip_suffix("!r").unwrap_or(field)) {
                    return Some(i);
                }
                i = end + 1;
            }
            b'}' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// One piece of a print's text, see [`template_parts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart<'a> {
    /// Text printed as it is.
    Text(String),
    /// A variable's value.
    Field {
        /// The variable.
        name: &'a str,
        /// `repr()` rather than `str()`.
        repr: bool,
    },
}

/// Whether `s` is a Python identifier (ASCII letters, digits and `_`, not starting with a
/// digit): names of tasks, functions, pools, parameters and variables.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_text_and_fields() {
        use TemplatePart::*;
        let check = |text: &str, want: Vec<TemplatePart<'_>>| {
            assert_eq!(template_parts(text), want, "{text}")
        };
        check("plain", vec![Text("plain".into())]);
        check(
            "{name} started",
            vec![
                Field {
                    name: "name",
                    repr: false,
                },
                Text(" started".into()),
            ],
        );
        check(
            "{x!r}",
            vec![Field {
                name: "x",
                repr: true,
            }],
        );
        check("{{x}} {", vec![Text("{x} {".into())]);
        check("a {not a field} b", vec![Text("a {not a field} b".into())]);
        check("}", vec![Text("}".into())]);
    }

    #[test]
    fn stray_braces_are_found() {
        assert_eq!(stray_brace("{a} {{b}} {c!r}"), None);
        assert_eq!(stray_brace("x { y"), Some(2));
        assert_eq!(stray_brace("{not a field}"), Some(0));
        assert_eq!(stray_brace("a }"), Some(2));
        assert_eq!(stray_brace("{"), Some(0), "an unclosed brace");
    }

    #[test]
    fn default_pool_sizes_are_cpythons() {
        assert_eq!(PoolKind::Thread.default_workers(2), 6);
        assert_eq!(PoolKind::Process.default_workers(2), 2);
        assert_eq!(
            PoolKind::Thread.default_workers(64),
            16,
            "capped at MAX_POOL_WORKERS"
        );
        assert_eq!(PoolKind::Process.default_workers(0), 1);
    }
}
