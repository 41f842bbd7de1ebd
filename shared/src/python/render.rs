//! Python out: a scenario as a runnable Python 3.11 program.
//!
//! What the model says that Python cannot (a name, a time scale, a simulated GIL switched
//! off, a multi-threaded loop, the requests a server receives) goes into `# looplab:`
//! directive comments, which CPython ignores and [`parse`](super::parse) reads back, so that
//! `parse(render(s)) == s`. CPU work is `burn_cpu(seconds)`, defined in a short prelude that
//! spins until `time.thread_time()` has advanced: two such threads under CPython's GIL take
//! the sum of their times, as the GIL lesson shows.

use std::fmt::Write;

use crate::model::{
    Call, Context, Expr, Function, LoopFlavor, Op, PoolKind, ResourceKind, Scenario, Start,
    StartKind, Step, TemplatePart, template_parts,
};

use super::value::float_repr;
use super::{DIRECTIVE, directive_call};

/// Defines `burn_cpu`, for scenarios with CPU work.
pub const BURN_CPU: &str = "\
def burn_cpu(seconds):
    \"\"\"CPU work: spin until this thread has used `seconds` of CPU time.\"\"\"
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass
";

/// Defines `par_cpu`, for scenarios that use rayon: not Python, and says so.
pub const PAR_CPU: &str = "\
def par_cpu(seconds, chunks):
    \"\"\"Not Python: looplab splits this over a rayon pool, one native thread per core.
    CPython has no such thing; this stand-in burns the same CPU time on one thread.\"\"\"
    burn_cpu(seconds)
";

/// The program, with a trailing newline.
pub fn render(s: &Scenario) -> String {
    let mut r = Renderer {
        s,
        out: String::new(),
        wrap: true,
        blocks: true,
    };
    r.program();
    r.out
}

/// One step as the Python it stands for (for a block, its first line only).
pub fn step(s: &Scenario, step: &Step, ctx: Context) -> String {
    let mut r = Renderer {
        s,
        out: String::new(),
        wrap: false,
        blocks: false,
    };
    r.step(step, 0, ctx);
    r.out.trim_end().to_owned()
}

struct Renderer<'a> {
    s: &'a Scenario,
    out: String,
    /// Whether a gather too long for a line gets a line a call, as black would write it.
    wrap: bool,
    /// Whether a block's steps are written: not for one step on its own, whose first line
    /// says what it is.
    blocks: bool,
}

/// The longest line a program's gather keeps on one line: black's default.
const LINE_WIDTH: usize = 88;

/// What a scenario uses, which decides its imports and prelude.
#[derive(Default)]
struct Uses {
    time: bool,
    cpu: bool,
    par_cpu: bool,
    math: bool,
    threading: bool,
    multiprocessing: bool,
    pools: [bool; 2],
}

impl Uses {
    fn of(s: &Scenario) -> Self {
        let mut u = Uses::default();
        let mut see = |step: &Step| match step {
            Step::BlockingSleep { .. } => u.time = true,
            Step::Cpu { .. } => u.cpu = true,
            Step::ParCpu { .. } => u.par_cpu = true,
            Step::Assign { value, .. } | Step::Return { value } => {
                u.math |= uses_sqrt(value);
            }
            Step::Start(Start { kind, .. }) => match kind {
                StartKind::Thread => u.threading = true,
                StartKind::Process => u.multiprocessing = true,
            },
            Step::Print { .. }
            | Step::Sleep { .. }
            | Step::Spawn { .. }
            | Step::Submit { .. }
            | Step::Await { .. }
            | Step::Gather { .. }
            | Step::Join { .. }
            | Step::With { .. }
            | Step::Run { .. }
            | Step::For { .. }
            | Step::Hold { .. }
            | Step::Use { .. }
            | Step::Raise { .. }
            | Step::Try { .. }
            | Step::Cancel { .. }
            | Step::Timeout { .. }
            | Step::TaskGroup { .. } => {}
        };
        for f in s.functions.iter().chain(&s.tasks) {
            f.steps.iter().for_each(|st| st.walk(&mut see));
        }
        s.main.iter().for_each(|st| st.walk(&mut see));
        for p in &s.pools {
            u.pools[p.kind as usize] = true;
        }
        u.threading |= s.resources.iter().any(|r| !r.kind.is_async());
        u.cpu |= u.par_cpu;
        u.time |= u.cpu;
        u
    }
}

fn uses_sqrt(e: &Expr) -> bool {
    match e {
        Expr::Sum { term, n } => *term == crate::model::Term::Sqrt || uses_sqrt(n),
        Expr::List(items) => items.iter().any(uses_sqrt),
        Expr::Dict(items) => items.iter().any(|i| uses_sqrt(&i.value)),
        Expr::None
        | Expr::Bool(_)
        | Expr::Int(_)
        | Expr::Float(_)
        | Expr::Str(_)
        | Expr::Fstring(_)
        | Expr::Var(_) => false,
    }
}

impl Renderer<'_> {
    fn line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn program(&mut self) {
        let s = self.s;
        let u = Uses::of(s);
        self.directives();
        let mut imports = vec!["import asyncio"];
        if u.math {
            imports.push("import math");
        }
        if u.multiprocessing {
            imports.push("import multiprocessing");
        }
        if u.threading {
            imports.push("import threading");
        }
        if u.time {
            imports.push("import time");
        }
        for line in imports {
            self.line(0, line);
        }
        match u.pools {
            [true, true] => self.line(
                0,
                "from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor",
            ),
            [true, false] => self.line(0, "from concurrent.futures import ThreadPoolExecutor"),
            [false, true] => self.line(0, "from concurrent.futures import ProcessPoolExecutor"),
            [false, false] => {}
        }
        if s.server.is_some() {
            self.line(0, "");
            self.line(0, "from fastapi import FastAPI");
        }
        if u.cpu {
            self.out.push_str("\n\n");
            self.out.push_str(BURN_CPU);
        }
        if u.par_cpu {
            self.out.push_str("\n\n");
            self.out.push_str(PAR_CPU);
        }
        let module_pools: Vec<_> = s
            .pools
            .iter()
            .filter(|p| !s.opened_by_with(&p.name))
            .collect();
        if !module_pools.is_empty() || s.server.is_some() || !s.resources.is_empty() {
            self.out.push('\n');
        }
        if s.server.is_some() {
            self.line(0, "app = FastAPI()");
        }
        for p in module_pools {
            let text = format!("{} = {}", p.name, pool_ctor(p));
            self.line(0, &text);
        }
        for r in &s.resources {
            let text = format!("{} = {}", r.name, resource_ctor(r.kind));
            self.line(0, &text);
        }
        for f in &s.functions {
            self.def(f, false);
        }
        for t in &s.tasks {
            self.def(t, true);
        }
        if !s.main.is_empty() {
            self.out.push_str("\n\n");
            // Where child processes start by forking this is optional, but with `spawn` or
            // `forkserver` (Python 3.14's default) each child imports the module again. A web
            // app's module is imported by the server, never run as `__main__`: its code runs
            // on import.
            let guard =
                (u.multiprocessing || u.pools[PoolKind::Process as usize]) && s.server.is_none();
            if guard {
                self.line(0, "if __name__ == \"__main__\":");
            }
            self.body(&s.main, usize::from(guard), Context::Module);
        }
    }

    fn directives(&mut self) {
        let s = self.s;
        let mut args = vec![format!("name={}", str_literal(&s.name))];
        if s.time_scale != 1.0 {
            args.push(format!("time_scale={}", float_repr(s.time_scale)));
        }
        if !s.options.gil {
            args.push("gil=False".into());
        }
        if let LoopFlavor::MultiThread { workers } = s.options.loop_flavor {
            args.push(format!("loop_workers={workers}"));
        }
        let text = directive_call("scenario", &args);
        self.line(0, &text);
        for t in s.server.iter().flat_map(|srv| &srv.traffic) {
            let mut args = vec![str_literal(&t.path), format!("count={}", t.count)];
            if t.every_ms != 0 {
                args.push(format!("every={}", seconds(t.every_ms)));
            }
            if t.at_ms != 0 {
                args.push(format!("at={}", seconds(t.at_ms)));
            }
            let text = directive_call("traffic", &args);
            self.line(0, &text);
        }
        debug_assert!(self.out.lines().all(|l| l.starts_with(DIRECTIVE)));
    }

    fn def(&mut self, f: &Function, coroutine: bool) {
        self.out.push_str("\n\n");
        for route in self.s.server.iter().flat_map(|srv| &srv.routes) {
            if route.handler == f.name {
                let text = format!("@app.get({})", str_literal(&route.path));
                self.line(0, &text);
            }
        }
        let text = format!(
            "{}def {}({}):",
            if coroutine { "async " } else { "" },
            f.name,
            f.params.join(", ")
        );
        self.line(0, &text);
        let ctx = if coroutine {
            Context::Coroutine
        } else {
            Context::Function
        };
        if coroutine && f.steps.iter().any(needs_loop_variable) {
            self.line(1, "loop = asyncio.get_running_loop()");
        }
        self.body(&f.steps, 1, ctx);
    }

    fn body(&mut self, steps: &[Step], indent: usize, ctx: Context) {
        if !self.blocks {
            return;
        }
        if steps.is_empty() {
            self.line(indent, "pass");
        }
        for step in steps {
            self.step(step, indent, ctx);
        }
    }

    fn step(&mut self, step: &Step, indent: usize, ctx: Context) {
        let assign = |into: &Option<String>, text: String| match into {
            Some(name) => format!("{name} = {text}"),
            None => text,
        };
        let text = match step {
            Step::Print { text } => format!("print({})", template_literal(text)),
            Step::Sleep { ms } => format!("await asyncio.sleep({})", seconds(*ms)),
            Step::BlockingSleep { ms } => format!("time.sleep({})", seconds(*ms)),
            Step::Cpu { ms } => format!("burn_cpu({})", seconds(*ms)),
            Step::ParCpu { ms, chunks } => {
                format!(
                    "par_cpu({}, chunks={chunks})  # not Python: rayon",
                    seconds(*ms)
                )
            }
            Step::Assign { name, value } => format!("{name} = {}", expr(value)),
            Step::Return { value } => format!("return {}", expr(value)),
            Step::Spawn {
                task,
                args,
                into,
                group,
            } => assign(
                into,
                format!(
                    "{}.create_task({task}({}))",
                    group.as_deref().unwrap_or("asyncio"),
                    exprs(args)
                ),
            ),
            Step::Submit {
                pool,
                function,
                args,
                into,
            } => format!("{into} = {}", executor_call(pool, function, args)),
            Step::Await {
                call: c,
                into,
                timeout_ms,
            } => match timeout_ms {
                None => assign(into, format!("await {}", call(c))),
                Some(ms) => assign(
                    into,
                    format!(
                        "await asyncio.wait_for({}, timeout={})",
                        call(c),
                        seconds(*ms)
                    ),
                ),
            },
            Step::Gather { calls, into } => {
                let calls: Vec<_> = calls.iter().map(gather_item).collect();
                let one_line = assign(into, format!("await asyncio.gather({})", calls.join(", ")));
                if !self.wrap
                    || calls.len() < 2
                    || 4 * indent + one_line.chars().count() <= LINE_WIDTH
                {
                    one_line
                } else {
                    self.line(indent, &assign(into, "await asyncio.gather(".into()));
                    for c in &calls {
                        self.line(indent + 1, &format!("{c},"));
                    }
                    ")".into()
                }
            }
            Step::Start(start) => {
                let ctor = start_ctor(start);
                match &start.into {
                    Some(name) => {
                        self.line(indent, &format!("{name} = {ctor}"));
                        format!("{name}.start()")
                    }
                    None => format!("{ctor}.start()"),
                }
            }
            Step::Join { name } => format!("{name}.join()"),
            Step::With { pool, body } => {
                let ctor = self
                    .s
                    .pool(pool)
                    .map_or_else(|| "ThreadPoolExecutor()".into(), |(_, p)| pool_ctor(p));
                self.line(indent, &format!("with {ctor} as {pool}:"));
                self.body(body, indent + 1, ctx);
                return;
            }
            Step::Run { task, args } => format!("asyncio.run({task}({}))", exprs(args)),
            Step::For { var, times, body } => {
                self.line(indent, &format!("for {var} in range({times}):"));
                self.body(body, indent + 1, ctx);
                return;
            }
            Step::Hold { resource, body } => {
                let held = self.s.resource(resource).is_none_or(|r| r.kind.is_async());
                let with = if held { "async with" } else { "with" };
                self.line(indent, &format!("{with} {resource}:"));
                self.body(body, indent + 1, ctx);
                return;
            }
            Step::Use { resource, op } => match op {
                Op::Set => format!("{resource}.set()"),
                Op::Wait => format!("await {resource}.wait()"),
                Op::Put { value } => format!("await {resource}.put({})", expr(value)),
                Op::Get { into } => assign(into, format!("await {resource}.get()")),
                Op::TaskDone => format!("{resource}.task_done()"),
                Op::Join => format!("await {resource}.join()"),
            },
            Step::Raise { class, text } => match class {
                None => "raise".into(),
                Some(class) if text.is_empty() => format!("raise {}()", class.python()),
                Some(class) => format!("raise {}({})", class.python(), str_literal(text)),
            },
            Step::Try {
                body,
                handlers,
                star,
                finally,
            } => {
                self.line(indent, "try:");
                self.body(body, indent + 1, ctx);
                let except = if *star { "except*" } else { "except" };
                for h in handlers {
                    self.line(indent, &format!("{except} {}:", h.class.python()));
                    self.body(&h.body, indent + 1, ctx);
                }
                if !finally.is_empty() || handlers.is_empty() {
                    self.line(indent, "finally:");
                    self.body(finally, indent + 1, ctx);
                }
                return;
            }
            Step::Cancel { name } => format!("{name}.cancel()"),
            Step::Timeout { ms, body } => {
                self.line(
                    indent,
                    &format!("async with asyncio.timeout({}):", seconds(*ms)),
                );
                self.body(body, indent + 1, ctx);
                return;
            }
            Step::TaskGroup { name, body } => {
                self.line(
                    indent,
                    &format!("async with asyncio.TaskGroup() as {name}:"),
                );
                self.body(body, indent + 1, ctx);
                return;
            }
        };
        self.line(indent, &text);
    }
}

fn needs_loop_variable(step: &Step) -> bool {
    let mut found = false;
    step.walk(&mut |st| {
        found |= match st {
            Step::Submit { .. } => true,
            Step::Await { call, .. } => is_executor(call),
            Step::Gather { calls, .. } => calls.iter().any(is_executor),
            Step::Print { .. }
            | Step::Sleep { .. }
            | Step::BlockingSleep { .. }
            | Step::Cpu { .. }
            | Step::ParCpu { .. }
            | Step::Assign { .. }
            | Step::Return { .. }
            | Step::Spawn { .. }
            | Step::Start(_)
            | Step::Join { .. }
            | Step::With { .. }
            | Step::Run { .. }
            | Step::For { .. }
            | Step::Hold { .. }
            | Step::Use { .. }
            | Step::Raise { .. }
            | Step::Try { .. }
            | Step::Cancel { .. }
            | Step::Timeout { .. }
            | Step::TaskGroup { .. } => false,
        }
    });
    found
}

fn is_executor(call: &Call) -> bool {
    match call {
        Call::Executor { .. } => true,
        Call::Task { .. } | Call::Handle { .. } => false,
    }
}

/// The expression that makes pool `p`: `ThreadPoolExecutor(max_workers=4)`.
pub fn pool_ctor(p: &crate::model::Pool) -> String {
    match p.max_workers {
        Some(n) => format!("{}(max_workers={n})", p.kind.class()),
        None => format!("{}()", p.kind.class()),
    }
}

/// The expression that makes a resource of `kind`: `asyncio.Semaphore(2)`,
/// `asyncio.Queue(maxsize=3)`, `asyncio.Lock()`.
pub fn resource_ctor(kind: ResourceKind) -> String {
    let class = kind.class();
    match kind {
        ResourceKind::Semaphore { value } => format!("{class}({value})"),
        ResourceKind::Queue { maxsize } if maxsize > 0 => format!("{class}(maxsize={maxsize})"),
        ResourceKind::Lock
        | ResourceKind::Event
        | ResourceKind::Queue { .. }
        | ResourceKind::ThreadLock => format!("{class}()"),
    }
}

fn start_ctor(start: &Start) -> String {
    let class = match start.kind {
        StartKind::Thread => "threading.Thread",
        StartKind::Process => "multiprocessing.Process",
    };
    let args = match start.args.as_slice() {
        [] => String::new(),
        [one] => format!(", args=({},)", expr(one)),
        many => format!(", args=({})", exprs(many)),
    };
    let daemon = if start.daemon { "True" } else { "False" };
    format!("{class}(target={}{args}, daemon={daemon})", start.function)
}

fn executor_call(pool: &Option<String>, function: &str, args: &[Expr]) -> String {
    let mut text = format!(
        "loop.run_in_executor({}, {function}",
        pool.as_deref().unwrap_or("None")
    );
    for a in args {
        text.push_str(", ");
        text.push_str(&expr(a));
    }
    text.push(')');
    text
}

fn call(c: &Call) -> String {
    match c {
        Call::Task { task, args, .. } => format!("{task}({})", exprs(args)),
        Call::Executor {
            pool,
            function,
            args,
            ..
        } => executor_call(pool, function, args),
        Call::Handle { name } => name.clone(),
    }
}

fn gather_item(c: &Call) -> String {
    match c.times() {
        1 => call(c),
        n => format!("*({} for _ in range({n}))", call(c)),
    }
}

fn exprs(args: &[Expr]) -> String {
    args.iter().map(expr).collect::<Vec<_>>().join(", ")
}

/// An expression as Python source.
pub fn expr(e: &Expr) -> String {
    match e {
        Expr::None => "None".into(),
        Expr::Bool(b) => if *b { "True" } else { "False" }.into(),
        Expr::Int(i) => int_literal(*i),
        Expr::Float(f) => float_repr(*f),
        Expr::Str(s) => str_literal(s),
        Expr::Fstring(text) => template_literal(text),
        Expr::Var(name) => name.clone(),
        Expr::Sum { term, n } => term.python(&expr(n)),
        Expr::List(items) => format!("[{}]", exprs(items)),
        Expr::Dict(items) => {
            let items: Vec<_> = items
                .iter()
                .map(|i| format!("{}: {}", str_literal(&i.key), expr(&i.value)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// An int literal, with `_` between thousands from 10_000 up, as the notes write them.
fn int_literal(i: i64) -> String {
    let digits = i.unsigned_abs().to_string();
    if digits.len() <= 4 {
        return i.to_string();
    }
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    if i < 0 { format!("-{out}") } else { out }
}

/// A duration in seconds, as short as Python can write it: `2`, `1.5`, `0.002`.
pub fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        float_repr(ms as f64 / 1000.0)
    }
}

/// A string literal in double quotes.
pub fn str_literal(s: &str) -> String {
    let mut out = String::from("\"");
    escape_into(&mut out, s);
    out.push('"');
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// A print's argument: a plain string, or an f-string when the text shows variables.
fn template_literal(text: &str) -> String {
    let parts = template_parts(text);
    if !parts
        .iter()
        .any(|p| matches!(p, TemplatePart::Field { .. }))
    {
        let plain: String = parts
            .into_iter()
            .map(|p| match p {
                TemplatePart::Text(t) => t,
                TemplatePart::Field { .. } => String::new(),
            })
            .collect();
        return str_literal(&plain);
    }
    let mut out = String::from("f\"");
    for part in parts {
        match part {
            TemplatePart::Text(t) => {
                escape_into(&mut out, &t.replace('{', "{{").replace('}', "}}"))
            }
            TemplatePart::Field { name, repr } => {
                let _ = write!(out, "{{{name}{}}}", if repr { "!r" } else { "" });
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
