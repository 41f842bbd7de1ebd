//! Python out: a scenario as a runnable Python 3.11 program.
//!
//! What the model says that Python cannot (a name, a time scale, a simulated GIL switched
//! off, a multi-threaded loop, the requests a server receives) goes into `# looplab:`
//! directive comments, which CPython ignores and [`parse`](super::parse) reads back, so that
//! `parse(render(s)) == s`. CPU work is `burn_cpu(seconds)`, defined in a short prelude that
//! spins until `time.thread_time()` has advanced: two such threads under CPython's GIL take
//! the sum of their times, as the GIL lesson shows.

use crate::model::{Context, Expr, Function, LoopFlavor, PoolKind, Scenario, Step};

mod source;

pub(crate) use source::{
    call, executor_call, exprs, gather_item, is_executor, start_ctor, template_literal,
};
pub use source::{expr, pool_ctor, resource_ctor, seconds, str_literal};

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

pub(crate) struct Renderer<'a> {
    pub(crate) s: &'a Scenario,
    pub(crate) out: String,
    /// Whether a gather too long for a line gets a line a call, as black would write it.
    pub(crate) wrap: bool,
    /// Whether a block's steps are written: not for one step on its own, whose first line
    /// says what it is.
    pub(crate) blocks: bool,
}

/// The longest line a program's gather keeps on one line: black's default.
pub(crate) const LINE_WIDTH: usize = 88;

/// What a scenario uses, which decides its imports and prelude.
#[derive(Default)]
pub(crate) struct Uses {
    pub(crate) time: bool,
    pub(crate) cpu: bool,
    pub(crate) par_cpu: bool,
    pub(crate) math: bool,
    pub(crate) threading: bool,
    pub(crate) multiprocessing: bool,
    pub(crate) pools: [bool; 2],
}

impl Uses {
    pub(crate) fn of(s: &Scenario) -> Self {
        let mut u = Uses::default();
        let mut see = |step: &Step| crate::kinds::uses(step, &mut u);
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

pub(crate) fn uses_sqrt(e: &Expr) -> bool {
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
    pub(crate) fn line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    pub(crate) fn program(&mut self) {
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

    pub(crate) fn directives(&mut self) {
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

    pub(crate) fn def(&mut self, f: &Function, coroutine: bool) {
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

    pub(crate) fn body(&mut self, steps: &[Step], indent: usize, ctx: Context) {
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

    pub(crate) fn step(&mut self, step: &Step, indent: usize, ctx: Context) {
        crate::kinds::render(self, step, indent, ctx);
    }
}

fn needs_loop_variable(step: &Step) -> bool {
    let mut found = false;
    step.walk(&mut |st| found |= crate::kinds::needs_loop(st));
    found
}

#[cfg(test)]
mod tests;
