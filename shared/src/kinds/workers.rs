//! Pools, threads and processes: `loop.run_in_executor(...)` kept for later,
//! `threading.Thread(...).start()` (or a `multiprocessing.Process`), `t.join()` and
//! `with ThreadPoolExecutor() as pool:`.

use super::{Exit, Frame, PlanError, Renderer, Scope, Sim, StepJson, Uses, ValidationError};
use crate::model::json::{args as json_args, need};
use crate::model::{Context, Start, StartKind, Step};
use crate::plan::call_name;
use crate::plan::sim::{EVENTS_PER_INSTANCE, Val, Workers};
use crate::protocol::SubjectKind;
use crate::python::render::{executor_call, pool_ctor, start_ctor};
use crate::validate::ValidationError as Error;
use crate::validate::body::{Checker, Kind as Bound, args, arity, block_depth, expect};

/// A kind of this family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Submit,
    Start,
    Join,
    With,
}

pub(super) fn from_json(k: Kind, j: &mut StepJson, tag: &str) -> Result<Step, String> {
    Ok(match k {
        Kind::Submit => Step::Submit {
            pool: j.pool.take(),
            function: need(&mut j.function, tag, "function")?,
            args: json_args(&mut j.args),
            into: need(&mut j.into, tag, "into")?,
        },
        Kind::Start => Step::Start(Start {
            kind: need(&mut j.kind, tag, "kind")?,
            function: need(&mut j.function, tag, "function")?,
            args: json_args(&mut j.args),
            daemon: j.daemon.take().unwrap_or(false),
            into: j.into.take(),
        }),
        Kind::Join => Step::Join {
            name: need(&mut j.name, tag, "name")?,
        },
        Kind::With => Step::With {
            pool: need(&mut j.pool, tag, "pool")?,
            body: need(&mut j.body, tag, "body")?,
        },
    })
}

pub(super) fn to_json(k: Kind, step: Step, j: &mut StepJson) {
    let some_args = |a: Vec<_>| (!a.is_empty()).then_some(a);
    match k {
        Kind::Submit => {
            fields!(
                Step::Submit {
                    pool,
                    function,
                    args,
                    into,
                } = step
            );
            j.pool = pool;
            j.function = Some(function);
            j.args = some_args(args);
            j.into = Some(into);
        }
        Kind::Start => {
            fields!(Step::Start(s) = step);
            j.kind = Some(s.kind);
            j.function = Some(s.function);
            j.args = some_args(s.args);
            j.daemon = Some(s.daemon);
            j.into = s.into;
        }
        Kind::Join => {
            fields!(Step::Join { name } = step);
            j.name = Some(name);
        }
        Kind::With => {
            fields!(Step::With { pool, body } = step);
            j.pool = Some(pool);
            j.body = Some(body);
        }
    }
}

pub(super) fn check(
    c: &mut Checker<'_>,
    k: Kind,
    step: &Step,
    at: &str,
    scope: &mut Scope,
    depth: usize,
) -> Result<(), ValidationError> {
    let s = c.s;
    match k {
        Kind::Submit => {
            fields!(
                Step::Submit {
                    pool,
                    function,
                    args,
                    ..
                } = step
            );
            c.job(at, pool, function, args, scope)
        }
        Kind::Start => {
            fields!(Step::Start(start) = step);
            let Some(f) = s.function(&start.function) else {
                return Err(Error::new(
                    format!("{at}.function"),
                    format!("no function is named `{}`", start.function),
                ));
            };
            arity(at, &f.name, f.params.len(), &start.args)?;
            args(at, &start.args, scope)
        }
        Kind::Join => {
            fields!(Step::Join { name } = step);
            expect(&format!("{at}.name"), name, scope, &[Bound::Thread])
        }
        Kind::With => {
            fields!(Step::With { pool, body } = step);
            if s.pool(pool).is_none() || !s.opened_by_with(pool) {
                return Err(Error::new(
                    format!("{at}.pool"),
                    format!("no pool is named `{pool}`"),
                ));
            }
            if scope.get(pool) == Some(&Bound::Pool) || c.globals.0.contains_key(pool) {
                return Err(Error::new(
                    format!("{at}.pool"),
                    format!("`{pool}` is open already: a `with` opens a pool of its own"),
                ));
            }
            block_depth(at, depth)?;
            let mut inner = scope.clone();
            inner.insert(pool.clone(), Bound::Pool);
            c.body(&format!("{at}.body"), body, &mut inner, depth + 1)?;
            // What the block bound stays bound after it; the pool is shut down.
            inner.remove(pool);
            scope.extend(inner);
            Ok(())
        }
    }
}

pub(super) fn bound(k: Kind) -> Bound {
    match k {
        Kind::Submit => Bound::Future,
        Kind::Start => Bound::Thread,
        Kind::Join | Kind::With => Bound::Value,
    }
}

pub(super) fn render(r: &mut Renderer<'_>, k: Kind, step: &Step, indent: usize, ctx: Context) {
    let text = match k {
        Kind::Submit => {
            fields!(
                Step::Submit {
                    pool,
                    function,
                    args,
                    into,
                } = step
            );
            format!("{into} = {}", executor_call(pool, function, args))
        }
        Kind::Start => {
            fields!(Step::Start(start) = step);
            let ctor = start_ctor(start);
            match &start.into {
                Some(name) => {
                    r.line(indent, &format!("{name} = {ctor}"));
                    format!("{name}.start()")
                }
                None => format!("{ctor}.start()"),
            }
        }
        Kind::Join => {
            fields!(Step::Join { name } = step);
            format!("{name}.join()")
        }
        Kind::With => {
            fields!(Step::With { pool, body } = step);
            let ctor =
                r.s.pool(pool)
                    .map_or_else(|| "ThreadPoolExecutor()".into(), |(_, p)| pool_ctor(p));
            r.line(indent, &format!("with {ctor} as {pool}:"));
            r.body(body, indent + 1, ctx);
            return;
        }
    };
    r.line(indent, &text);
}

pub(super) fn uses(k: Kind, step: &Step, u: &mut Uses) {
    match k {
        Kind::Start => {
            fields!(Step::Start(Start { kind, .. }) = step);
            match kind {
                StartKind::Thread => u.threading = true,
                StartKind::Process => u.multiprocessing = true,
            }
        }
        Kind::Submit | Kind::Join | Kind::With => {}
    }
}

pub(super) fn needs_loop(k: Kind, _: &Step) -> bool {
    match k {
        Kind::Submit => true,
        Kind::Start | Kind::Join | Kind::With => false,
    }
}

pub(super) fn simulate<'a>(
    sim: &mut Sim<'a>,
    k: Kind,
    step: &'a Step,
    at: &str,
    now: &mut f64,
    frame: &mut Frame,
) -> Result<Option<Exit>, PlanError> {
    match k {
        Kind::Submit => {
            fields!(
                Step::Submit {
                    pool,
                    function,
                    args,
                    into,
                } = step
            );
            let args = sim.values(frame, args, at)?;
            let (end, out) = sim.job(pool.as_deref(), function, args, *now)?;
            sim.bind(frame, into, Val::Done(end, out));
        }
        Kind::Start => {
            fields!(Step::Start(start) = step);
            let args = sim.values(frame, &start.args, at)?;
            let what = match start.kind {
                StartKind::Thread => SubjectKind::Thread,
                StartKind::Process => SubjectKind::Process,
            };
            let own = sim.enter(|| call_name(&start.function, &args), what, *now);
            let (end, _) = sim.function(&start.function, args, *now)?;
            sim.leave(own, None, end);
            sim.count(1, EVENTS_PER_INSTANCE);
            match start.kind {
                StartKind::Thread => sim.plan.threads = sim.plan.threads.saturating_add(1),
                StartKind::Process => sim.plan.processes = sim.plan.processes.saturating_add(1),
            }
            sim.started.push((start.kind, start.daemon, end));
            if let Some(name) = &start.into {
                sim.bind(frame, name, Val::Thread(end));
            }
        }
        Kind::Join => {
            fields!(Step::Join { name } = step);
            if let Some(Val::Thread(end)) = frame.vars.get(name).or_else(|| sim.globals.get(name)) {
                *now = now.max(*end);
            }
            sim.count(0, 2);
        }
        Kind::With => {
            fields!(Step::With { pool, body } = step);
            let Some((_, p)) = sim.s.pool(pool) else {
                return Ok(None);
            };
            let n = p.workers(sim.cores);
            sim.workers(p.kind, n);
            let outer = sim.pools.insert(pool, Workers::new(n));
            let (end, returned) = sim.body(body, &format!("{at}.body"), *now, frame)?;
            let inner = sim.pools.remove(pool.as_str()).unwrap_or_default();
            if let Some(outer) = outer {
                sim.pools.insert(pool, outer);
            }
            *now = end.max(inner.last);
            sim.count(0, 2);
            if returned.is_some() {
                return Ok(returned);
            }
        }
    }
    Ok(None)
}
