//! Awaits and what they wait for: coroutines, gathers, tasks and jobs run in an executor.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use super::calls::{ASYNCIO_SUPPORTED, Callee};
use super::exprs::{Negative, Var, plural, small_int};
use super::lower::{Body, Lower, R};
use crate::model::{self, Call, Context, Step};

/// A `loop.run_in_executor(...)` call.
pub(super) struct Job {
    pub(super) pool: Option<String>,
    pub(super) function: String,
    pub(super) args: Vec<model::Expr>,
}

impl Lower<'_> {
    /// `await <expr>`, its result going `into` a variable.
    pub(super) fn await_step(
        &mut self,
        body: &mut Body,
        e: &Expr,
        into: Option<String>,
        range: TextRange,
    ) -> R<()> {
        if body.ctx != Context::Coroutine {
            return Err((range, "`await` works only inside an async def".into()));
        }
        if let Some(step) = self.resource_method(body, e, true, into.clone()) {
            if let Some(name) = into {
                body.locals.insert(name, Var::Value);
            }
            body.steps.push(step?);
            return Ok(());
        }
        let step = if let Expr::Name(name) = e {
            match self.var(body, name.id.as_str()) {
                Some(Var::Task | Var::Future) => Step::Await {
                    call: Call::Handle {
                        name: name.id.as_str().into(),
                    },
                    into: into.clone(),
                    timeout_ms: None,
                },
                Some(other) => {
                    return Err((
                        e.range(),
                        format!(
                            "`{}` is {}: looplab awaits tasks, futures and coroutines",
                            name.id.as_str(),
                            other.describe()
                        ),
                    ));
                }
                None => {
                    return Err((
                        e.range(),
                        format!("name `{}` is not defined", name.id.as_str()),
                    ));
                }
            }
        } else {
            match self.callee(e) {
                Some((Callee::AsyncioSleep, call)) => {
                    if into.is_some() {
                        return Err((range, "`asyncio.sleep` gives nothing to keep: write `await asyncio.sleep(...)`".into()));
                    }
                    // CPython sets no timer for 0 or less: one bare yield to the loop.
                    match self.one_duration(call, Negative::Nothing)? {
                        0 => Step::Yield,
                        ms => Step::Sleep { ms },
                    }
                }
                Some((Callee::Gather, call)) => {
                    if !call.arguments.keywords.is_empty() {
                        return Err((call.arguments.range(), "looplab's gather takes no keyword arguments".into()));
                    }
                    let calls = call.arguments.args.iter().map(|a| self.gather_item(body, a)).collect::<R<_>>()?;
                    Step::Gather { calls, into: into.clone() }
                }
                Some((Callee::Coroutine(_), _)) => {
                    let (task, args) = self.coroutine_call(body, e)?;
                    Step::Await { call: Call::Task { task, args, times: 1 }, into: into.clone(), timeout_ms: None }
                }
                Some((Callee::RunInExecutor, call)) => {
                    let job = self.executor_call(body, call)?;
                    Step::Await { call: job.into_call(1), into: into.clone(), timeout_ms: None }
                }
                Some((Callee::WaitFor, call)) => {
                    let (call, ms) = self.wait_for(body, call)?;
                    Step::Await { call, into: into.clone(), timeout_ms: Some(ms) }
                }
                Some((other, call)) => return Err((call.range(), match other {
                    Callee::Other(Some(name)) if name.starts_with("asyncio.") => format!("`{name}` is not in looplab's Python subset, which has {ASYNCIO_SUPPORTED}"),
                    _ => "looplab awaits asyncio.sleep, asyncio.gather, a coroutine, loop.run_in_executor, or a task or future kept in a variable".into(),
                })),
                None => return Err((e.range(), "looplab awaits asyncio.sleep, asyncio.gather, a coroutine, loop.run_in_executor, or a task or future kept in a variable".into())),
            }
        };
        if let Some(name) = into {
            body.locals.insert(name, Var::Value);
        }
        body.steps.push(step);
        Ok(())
    }

    /// One argument of `asyncio.gather`.
    pub(super) fn gather_item(&mut self, body: &Body, e: &Expr) -> R<Call> {
        if let Expr::Starred(star) = e {
            return self.repeated(body, &star.value);
        }
        if let Expr::Name(name) = e {
            return match self.var(body, name.id.as_str()) {
                Some(Var::Task | Var::Future) => Ok(Call::Handle {
                    name: name.id.as_str().into(),
                }),
                _ => Err((
                    e.range(),
                    format!(
                        "gather takes tasks, futures and coroutines; `{}` is none of them",
                        name.id.as_str()
                    ),
                )),
            };
        }
        self.one_call(body, e, 1)
    }

    /// A coroutine call or an executor call, run `times` times.
    pub(super) fn one_call(&mut self, body: &Body, e: &Expr, times: u32) -> R<Call> {
        match self.callee(e) {
            Some((Callee::Coroutine(_), _)) => {
                let (task, args) = self.coroutine_call(body, e)?;
                Ok(Call::Task { task, args, times })
            }
            Some((Callee::RunInExecutor, call)) => Ok(self.executor_call(body, call)?.into_call(times)),
            _ => Err((e.range(), "gather takes coroutine calls (`task1()`), `loop.run_in_executor(...)`, kept tasks and futures, and `*(f() for _ in range(n))`".into())),
        }
    }

    /// `*(f() for _ in range(n))` or `*[f() for _ in range(n)]`.
    pub(super) fn repeated(&mut self, body: &Body, e: &Expr) -> R<Call> {
        let (elt, generators) = match e {
            Expr::Generator(g) => (&g.elt, &g.generators),
            Expr::ListComp(l) => (&l.elt, &l.generators),
            _ => {
                return Err((
                    e.range(),
                    "looplab repeats a call with `*(f() for _ in range(n))`".into(),
                ));
            }
        };
        let [gen_] = generators.as_slice() else {
            return Err((e.range(), "one `for _ in range(n)` only".into()));
        };
        let times = match (&gen_.iter, gen_.ifs.is_empty(), gen_.is_async) {
            (Expr::Call(range), true, false) if self.is_builtin(&range.func, "range") => {
                match range.arguments.args.as_ref() {
                    [n] if range.arguments.keywords.is_empty() => small_int(n, "range")?,
                    _ => return Err((range.range(), "`range(n)` with one number".into())),
                }
            }
            _ => {
                return Err((
                    gen_.range(),
                    "looplab repeats a call with `for _ in range(n)`, n a number".into(),
                ));
            }
        };
        if times == 0 {
            return Err((
                gen_.range(),
                "range(0) repeats nothing: gather at least one".into(),
            ));
        }
        self.one_call(body, elt, times)
    }

    /// `f(args)` where `f` is an async def of the program.
    pub(super) fn coroutine_call(
        &mut self,
        body: &Body,
        e: &Expr,
    ) -> R<(String, Vec<model::Expr>)> {
        let Some((Callee::Coroutine(name), call)) = self.callee(e) else {
            return Err((
                e.range(),
                "expected a call of an async def of this program: `main()`".into(),
            ));
        };
        let args = self.args(body, call, &name)?;
        Ok((name, args))
    }

    /// A call's positional arguments, checked against the def's parameters.
    pub(super) fn args(
        &mut self,
        body: &Body,
        call: &ast::ExprCall,
        def: &str,
    ) -> R<Vec<model::Expr>> {
        if !call.arguments.keywords.is_empty() {
            return Err((
                call.arguments.range(),
                "looplab passes arguments by position".into(),
            ));
        }
        let want = self.defs.get(def).map_or(0, |d| d.params);
        let args = call
            .arguments
            .args
            .iter()
            .map(|a| self.value(body, a))
            .collect::<R<Vec<_>>>()?;
        if args.len() != want {
            return Err((
                call.arguments.range(),
                format!(
                    "`{def}` takes {want} argument{}, given {}",
                    plural(want),
                    args.len()
                ),
            ));
        }
        Ok(args)
    }

    /// `asyncio.create_task(f(args))`.
    pub(super) fn spawn(
        &mut self,
        body: &Body,
        call: &ast::ExprCall,
        into: Option<String>,
    ) -> R<Step> {
        let [coro] = call.arguments.args.as_ref() else {
            return Err((
                call.range(),
                "create_task takes one coroutine call: `asyncio.create_task(task1())`".into(),
            ));
        };
        if body.ctx != Context::Coroutine {
            return Err((
                call.range(),
                "asyncio.create_task needs a running loop: use it inside an async def".into(),
            ));
        }
        let (task, args) = self.coroutine_call(body, coro)?;
        Ok(Step::Spawn {
            task,
            args,
            into,
            group: None,
        })
    }

    /// `loop.run_in_executor(pool, function, *args)`.
    pub(super) fn executor_call(&mut self, body: &Body, call: &ast::ExprCall) -> R<Job> {
        let Expr::Attribute(attr) = call.func.as_ref() else {
            return Err((call.range(), "expected loop.run_in_executor(...)".into()));
        };
        let on_loop = match attr.value.as_ref() {
            Expr::Name(n) => self.var(body, n.id.as_str()) == Some(Var::Loop),
            other => matches!(self.callee(other), Some((Callee::GetLoop, _))),
        };
        if !on_loop {
            return Err((attr.value.range(), "run_in_executor is a method of the running loop: `loop = asyncio.get_running_loop()` first".into()));
        }
        if body.ctx != Context::Coroutine {
            return Err((
                call.range(),
                "run_in_executor needs a running loop: use it inside an async def".into(),
            ));
        }
        let args = call.arguments.args.as_ref();
        let [pool, function, rest @ ..] = args else {
            return Err((
                call.arguments.range(),
                "run_in_executor takes the pool (or None), the function, then its arguments".into(),
            ));
        };
        let pool = match pool {
            Expr::NoneLiteral(_) => None,
            Expr::Name(n) if self.var(body, n.id.as_str()) == Some(Var::Pool) => Some(n.id.as_str().to_owned()),
            other => return Err((other.range(), "the first argument of run_in_executor is an executor's variable, or None for the loop's default executor".into())),
        };
        let function = match function {
            Expr::Name(n) if self.defs.get(n.id.as_str()).is_some_and(|d| !d.coroutine) => {
                n.id.as_str().to_owned()
            }
            other => {
                return Err((
                    other.range(),
                    "run_in_executor runs a plain `def` of this program".into(),
                ));
            }
        };
        let want = self.defs.get(&function).map_or(0, |d| d.params);
        if rest.len() != want || !call.arguments.keywords.is_empty() {
            return Err((
                call.arguments.range(),
                format!(
                    "`{function}` takes {want} argument{}, given {}",
                    plural(want),
                    rest.len()
                ),
            ));
        }
        let args = rest.iter().map(|a| self.value(body, a)).collect::<R<_>>()?;
        Ok(Job {
            pool,
            function,
            args,
        })
    }
}

impl Job {
    pub(super) fn into_call(self, times: u32) -> Call {
        Call::Executor {
            pool: self.pool,
            function: self.function,
            args: self.args,
            times,
        }
    }
}
