//! From the syntax tree to the scenario: module, definitions and statements.

use std::collections::HashMap;

use ruff_python_ast::{self as ast, Expr, ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::calls::Callee;
use super::exprs::Var;
use super::names::Imports;
use super::{Spans, at, sorted};
use crate::model::{
    Context, Function, Pool, PoolKind, Route, Scenario, Server, Start, Step, Traffic,
};
use crate::python::Diagnostic;

/// Requests a route gets when no `# looplab: traffic(...)` directive says otherwise.
pub(super) const DEFAULT_TRAFFIC: (u32, u64) = (6, 100);

pub(super) type R<T> = Result<T, (TextRange, String)>;

/// Turns the module into a scenario, or every problem found.
pub(super) fn lower(src: &str, module: &ModModule) -> Result<(Scenario, Spans), Vec<Diagnostic>> {
    let mut l = Lower {
        src,
        imports: Imports::default(),
        diags: Vec::new(),
        spans: Spans::default(),
        s: Scenario::empty("my program"),
        defs: HashMap::new(),
        globals: HashMap::new(),
    };
    l.directives();
    l.declare(&module.body);
    let mut main = Body::new(Context::Module, "main".into());
    for stmt in &module.body {
        l.module_stmt(&mut main, stmt);
    }
    l.s.main = main.steps;
    if let Some(server) = &mut l.s.server
        && server.traffic.is_empty()
    {
        let (count, every_ms) = DEFAULT_TRAFFIC;
        server.traffic = server
            .routes
            .iter()
            .map(|r| Traffic {
                path: r.path.clone(),
                at_ms: 0,
                every_ms,
                count,
            })
            .collect();
    }
    if l.diags.is_empty() {
        Ok((l.s, l.spans))
    } else {
        Err(sorted(l.diags))
    }
}

/// What the lowering knows about a `def` before reading its body.
#[derive(Debug, Clone, Copy)]
pub(super) struct Def {
    pub(super) coroutine: bool,
    pub(super) params: usize,
}

pub(super) struct Lower<'a> {
    pub(super) src: &'a str,
    pub(super) imports: Imports,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) spans: Spans,
    pub(super) s: Scenario,
    /// Every `def` of the module, by name; `burn_cpu` and `par_cpu` are the prelude's.
    pub(super) defs: HashMap<String, Def>,
    /// Names the module assigns, with what they hold.
    pub(super) globals: HashMap<String, Var>,
}

/// A body being lowered: where it runs, its variables, and the steps so far.
pub(super) struct Body {
    pub(super) ctx: Context,
    /// Its path in the scenario's JSON: `tasks[0].steps`.
    pub(super) path: String,
    pub(super) locals: HashMap<String, Var>,
    /// Threads and processes made but not started yet, by variable.
    pub(super) pending: HashMap<String, Start>,
    pub(super) steps: Vec<Step>,
}

impl Body {
    pub(super) fn new(ctx: Context, path: String) -> Self {
        Self {
            ctx,
            path,
            locals: HashMap::new(),
            pending: HashMap::new(),
            steps: Vec::new(),
        }
    }
}

fn is_prelude(name: &str) -> bool {
    name == "burn_cpu" || name == "par_cpu"
}

impl Lower<'_> {
    pub(super) fn error(&mut self, (range, message): (TextRange, String)) {
        self.diags.push(at(self.src, range, message));
    }

    /// First pass: imports, definitions and module-level names, so that a body may use
    /// what the module defines further down, as Python resolves names when it runs.
    fn declare(&mut self, body: &[Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::Import(_) | Stmt::ImportFrom(_) => {
                    if let Err(e) = self.imports.add(stmt) {
                        self.error(e);
                    }
                }
                Stmt::FunctionDef(def) => {
                    let def_info = Def {
                        coroutine: def.is_async,
                        params: def.parameters.args.len(),
                    };
                    self.defs.insert(def.name.as_str().into(), def_info);
                }
                Stmt::Assign(assign) => {
                    if let [Expr::Name(name)] = assign.targets.as_slice() {
                        let var = self.kind_of(&assign.value);
                        self.globals.insert(name.id.as_str().into(), var);
                    }
                }
                Stmt::If(guard) if is_main_guard(guard) => self.declare(&guard.body),
                _ => {}
            }
        }
    }

    /// What an assignment's right side makes, judged by its shape.
    fn kind_of(&self, value: &Expr) -> Var {
        match self.callee(value) {
            Some((Callee::Executor(_), _)) => Var::Pool,
            Some((Callee::FastApi, _)) => Var::App,
            Some((Callee::Start(kind), _)) => Var::Thread(kind),
            Some((Callee::Resource(kind), _)) => Var::Resource(kind),
            _ => Var::Value,
        }
    }

    fn module_stmt(&mut self, main: &mut Body, stmt: &Stmt) {
        let result = match stmt {
            Stmt::Import(_) | Stmt::ImportFrom(_) => Ok(()),
            Stmt::FunctionDef(def) => self.def(def),
            Stmt::If(guard) if is_main_guard(guard) => {
                for stmt in &guard.body {
                    self.module_stmt(main, stmt);
                }
                Ok(())
            }
            Stmt::Assign(assign) => match (assign.targets.as_slice(), self.callee(&assign.value)) {
                ([Expr::Name(name)], Some((Callee::Executor(kind), call))) => {
                    self.pool(name.id.as_str(), kind, call, assign.range())
                }
                ([Expr::Name(name)], Some((Callee::Resource(kind), call))) => {
                    self.resource(name.id.as_str(), kind, call, assign.range())
                }
                ([Expr::Name(_)], Some((Callee::FastApi, _))) => {
                    self.s.server.get_or_insert_with(|| Server {
                        routes: vec![],
                        traffic: vec![],
                    });
                    Ok(())
                }
                _ => self.stmt(main, stmt),
            },
            _ => self.stmt(main, stmt),
        };
        if let Err(e) = result {
            self.error(e);
        }
    }

    /// Adds a pool called `name`, made by `ctor` (`ThreadPoolExecutor(max_workers=2)`).
    pub(super) fn pool(
        &mut self,
        name: &str,
        kind: PoolKind,
        ctor: &ast::ExprCall,
        range: TextRange,
    ) -> R<()> {
        if self.s.pool(name).is_some() {
            return Err((
                range,
                format!(
                    "a pool named `{name}` is made twice: looplab keeps one pool a name, so \
                     give each executor a name of its own"
                ),
            ));
        }
        let max_workers = self.max_workers(ctor)?;
        self.spans
            .add(format!("pools[{}]", self.s.pools.len()), range);
        self.s.pools.push(Pool {
            name: name.into(),
            kind,
            max_workers,
        });
        Ok(())
    }

    fn def(&mut self, def: &ast::StmtFunctionDef) -> R<()> {
        let name = def.name.as_str();
        if is_prelude(name) {
            return Ok(());
        }
        let p = &def.parameters;
        if !p.posonlyargs.is_empty()
            || p.vararg.is_some()
            || !p.kwonlyargs.is_empty()
            || p.kwarg.is_some()
            || p.args.iter().any(|a| a.default.is_some())
        {
            return Err((
                p.range(),
                "looplab's functions take plain positional parameters: no defaults, `*args`, \
                 keyword-only parameters or `**kwargs`"
                    .into(),
            ));
        }
        let params: Vec<String> = p
            .args
            .iter()
            .map(|a| a.name().as_str().to_owned())
            .collect();
        let (ctx, kind) = if def.is_async {
            (Context::Coroutine, "tasks")
        } else {
            (Context::Function, "functions")
        };
        let index = if def.is_async {
            self.s.tasks.len()
        } else {
            self.s.functions.len()
        };
        let path = format!("{kind}[{index}]");
        self.spans.add(path.clone(), def.name.range());
        for decorator in &def.decorator_list {
            self.route(decorator, name, def.is_async, params.is_empty())?;
        }
        let mut body = Body::new(ctx, format!("{path}.steps"));
        for param in &params {
            body.locals.insert(param.clone(), Var::Value);
        }
        for stmt in &def.body {
            if let Err(e) = self.stmt(&mut body, stmt) {
                self.error(e);
            }
        }
        let f = Function {
            name: name.into(),
            params,
            steps: body.steps,
        };
        if def.is_async {
            self.s.tasks.push(f);
        } else {
            self.s.functions.push(f);
        }
        Ok(())
    }

    /// `@app.get("/path")` on a handler.
    fn route(
        &mut self,
        decorator: &ast::Decorator,
        handler: &str,
        coroutine: bool,
        no_params: bool,
    ) -> R<()> {
        let e = &decorator.expression;
        let unsupported = || {
            (
                e.range(),
                "the only decorator looplab reads is a FastAPI route: `@app.get(\"/path\")`".into(),
            )
        };
        let Expr::Call(call) = e else {
            return Err(unsupported());
        };
        let Expr::Attribute(attr) = call.func.as_ref() else {
            return Err(unsupported());
        };
        let is_app = matches!(attr.value.as_ref(), Expr::Name(n) if self.globals.get(n.id.as_str()) == Some(&Var::App));
        if !is_app || attr.attr.as_str() != "get" {
            return Err(unsupported());
        }
        let path = match call.arguments.args.as_ref() {
            [Expr::StringLiteral(s)] if call.arguments.keywords.is_empty() => {
                s.value.to_str().to_owned()
            }
            _ => {
                return Err((
                    call.arguments.range(),
                    "a route takes its path as one string: `@app.get(\"/compute\")`".into(),
                ));
            }
        };
        if !coroutine || !no_params {
            return Err((
                e.range(),
                "a route's handler is an `async def` without parameters in looplab".into(),
            ));
        }
        let server = self.s.server.get_or_insert_with(|| Server {
            routes: vec![],
            traffic: vec![],
        });
        self.spans
            .add(format!("server.routes[{}]", server.routes.len()), e.range());
        server.routes.push(Route {
            path,
            handler: handler.into(),
        });
        Ok(())
    }

    /// One statement of a body.
    pub(super) fn stmt(&mut self, body: &mut Body, stmt: &Stmt) -> R<()> {
        let before = body.steps.len();
        let result = self.stmt_steps(body, stmt);
        for j in before..body.steps.len() {
            self.spans.add(format!("{}[{j}]", body.path), stmt.range());
        }
        result
    }

    fn stmt_steps(&mut self, body: &mut Body, stmt: &Stmt) -> R<()> {
        match stmt {
            Stmt::Pass(_) => Ok(()),
            Stmt::Expr(e) => match e.value.as_ref() {
                // A docstring, or a string standing alone: it does nothing.
                Expr::StringLiteral(_) => Ok(()),
                Expr::Await(a) => self.await_step(body, &a.value, None, a.range()),
                Expr::Call(call) => self.call_stmt(body, call),
                other => Err((
                    other.range(),
                    "this expression does nothing looplab can show: a statement here is a call \
                     (print, time.sleep, ...), an await, or an assignment"
                        .into(),
                )),
            },
            Stmt::Assign(assign) => self.assign(body, assign),
            Stmt::Return(ret) => {
                if body.ctx == Context::Module {
                    return Err((ret.range(), "`return` outside a function".into()));
                }
                let value = match &ret.value {
                    Some(v) => self.value(body, v)?,
                    None => crate::model::Expr::None,
                };
                body.steps.push(Step::Return { value });
                Ok(())
            }
            Stmt::With(with) => match self.async_block(body, with) {
                Some(result) => result,
                None => match self.hold(body, with) {
                    Some(result) => result,
                    None => self.with(body, with),
                },
            },
            Stmt::Raise(raise) => self.raise(body, raise),
            Stmt::Try(t) => self.try_stmt(body, t),
            Stmt::For(f) => self.for_loop(body, f),
            Stmt::FunctionDef(def) => Err((
                def.name.range(),
                "looplab reads functions defined at module level only".into(),
            )),
            Stmt::Import(_) | Stmt::ImportFrom(_) => {
                Err((stmt.range(), "put imports at the top of the module".into()))
            }
            other => Err((other.range(), self.unsupported_statement(other, body.ctx))),
        }
    }

    fn unsupported_statement(&self, stmt: &Stmt, ctx: Context) -> String {
        let what = match stmt {
            Stmt::While(_) => "a `while` loop",
            Stmt::If(_) => "an `if` (other than `if __name__ == \"__main__\":`)",
            Stmt::ClassDef(_) => "a class",
            Stmt::AugAssign(_) => "an augmented assignment",
            Stmt::AnnAssign(_) => "an annotated assignment",
            Stmt::Global(_) | Stmt::Nonlocal(_) => "`global` and `nonlocal`",
            _ => "this statement",
        };
        let supported = match ctx {
            Context::Module => {
                "imports, `def`, `async def`, assignments, print, time.sleep, burn_cpu, \
                 threading.Thread / multiprocessing.Process with start() and join(), locks, \
                 events and queues made here, `for i in range(n):`, `with lock:`, \
                 asyncio.run(...) and `if __name__ == \"__main__\":`"
            }
            Context::Coroutine => {
                "await (asyncio.sleep, asyncio.gather, a coroutine, loop.run_in_executor, a \
                 task, a queue's or an event's methods), asyncio.create_task, `with \
                 ...Executor() as pool:`, `async with` a lock or semaphore, `for i in \
                 range(n):`, assignments, return, print, time.sleep, burn_cpu, threads and \
                 processes"
            }
            Context::Function => {
                "print, time.sleep, burn_cpu, assignments, return, `for i in range(n):` and \
                 `with lock:` (a threading.Lock)"
            }
        };
        format!(
            "{what} is not in looplab's Python subset; in {} it reads {supported}",
            ctx.describe()
        )
    }

    /// `with ThreadPoolExecutor(...) as pool:`.
    fn with(&mut self, body: &mut Body, with: &ast::StmtWith) -> R<()> {
        let unsupported = (
            with.range(),
            "looplab reads `with ThreadPoolExecutor(...) as pool:` (or ProcessPoolExecutor) in \
             an async def, `async with` an asyncio.Lock or asyncio.Semaphore there, and `with` \
             a threading.Lock anywhere; each made at module level"
                .to_owned(),
        );
        if with.is_async || body.ctx != Context::Coroutine {
            return Err(unsupported);
        }
        let [item] = with.items.as_slice() else {
            return Err(unsupported);
        };
        let (Some((Callee::Executor(kind), ctor)), Some(Expr::Name(name))) = (
            self.callee(&item.context_expr),
            item.optional_vars.as_deref(),
        ) else {
            return Err(unsupported);
        };
        let name = name.id.as_str().to_owned();
        self.pool(&name, kind, ctor, item.range())?;
        let steps = self.block(body, &with.body, |inner| {
            inner.locals.insert(name.clone(), Var::Pool);
        });
        body.steps.push(Step::With {
            pool: name,
            body: steps,
        });
        Ok(())
    }

    /// `name = ...`.
    fn assign(&mut self, body: &mut Body, assign: &ast::StmtAssign) -> R<()> {
        let [Expr::Name(target)] = assign.targets.as_slice() else {
            return Err((
                assign.range(),
                "looplab assigns one value to one name: `x = ...`".into(),
            ));
        };
        let name = target.id.as_str().to_owned();
        if self.imports.binds(&name) || self.defs.contains_key(&name) {
            return Err((
                target.range(),
                format!("`{name}` is already an import or a function: pick another name"),
            ));
        }
        let value = assign.value.as_ref();
        if let Expr::Await(a) = value {
            return self.await_step(body, &a.value, Some(name), a.range());
        }
        if let Expr::Call(call) = value
            && let Some(step) = self.task_method(body, call, Some(name.clone()))
        {
            body.steps.push(step?);
            body.locals.insert(name, Var::Task);
            return Ok(());
        }
        // `item = queue.get()` without `await`: say so rather than that it is no value.
        if let Some(step) = self.resource_method(body, value, false, Some(name.clone())) {
            body.steps.push(step?);
            body.locals.insert(name, Var::Value);
            return Ok(());
        }
        match self.callee(value) {
            Some((Callee::GetLoop, _)) if body.ctx == Context::Coroutine => {
                body.locals.insert(name, Var::Loop);
                Ok(())
            }
            Some((Callee::Resource(kind), _)) => Err((
                value.range(),
                format!(
                    "make the {}() at module level (`{name} = {}()`): looplab's tasks share \
                     locks, events and queues through module-level names",
                    kind.class(),
                    kind.class()
                ),
            )),
            Some((Callee::Executor(_), _)) => Err((
                value.range(),
                "an executor is assigned at module level (`executor = ProcessPoolExecutor()`) \
                 or opened with `with ... as pool:`"
                    .into(),
            )),
            Some((Callee::Start(kind), call)) => {
                let start = self.start(body, kind, call, Some(name.clone()))?;
                body.pending.insert(name.clone(), start);
                body.locals.insert(name, Var::Thread(kind));
                Ok(())
            }
            Some((Callee::CreateTask, call)) => {
                let step = self.spawn(body, call, Some(name.clone()))?;
                body.steps.push(step);
                body.locals.insert(name, Var::Task);
                Ok(())
            }
            Some((Callee::RunInExecutor, call)) => {
                let job = self.executor_call(body, call)?;
                body.steps.push(Step::Submit {
                    pool: job.pool,
                    function: job.function,
                    args: job.args,
                    into: name.clone(),
                });
                body.locals.insert(name, Var::Future);
                Ok(())
            }
            _ => {
                let value = self.value(body, value)?;
                body.steps.push(Step::Assign {
                    name: name.clone(),
                    value,
                });
                body.locals.insert(name, Var::Value);
                Ok(())
            }
        }
    }
}

/// `if __name__ == "__main__":` with no `else`.
fn is_main_guard(guard: &ast::StmtIf) -> bool {
    let Expr::Compare(cmp) = guard.test.as_ref() else {
        return false;
    };
    guard.elif_else_clauses.is_empty()
        && matches!(cmp.left.as_ref(), Expr::Name(n) if n.id.as_str() == "__name__")
        && matches!(cmp.ops.as_ref(), [ast::CmpOp::Eq])
        && matches!(cmp.comparators.as_ref(), [Expr::StringLiteral(s)] if s.value.to_str() == "__main__")
}
