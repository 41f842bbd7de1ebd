//! asyncio's tasks: `asyncio.create_task(...)`, `await ...`, `await asyncio.gather(...)`,
//! `asyncio.run(...)` and `task.cancel()`.

use super::{Exit, Frame, PlanError, Renderer, Scope, Sim, StepJson, Uses, ValidationError};
use crate::model::json::{args, need};
use crate::model::{Context, ExcClass, Step};
use crate::plan::call_name;
use crate::plan::sim::{EVENTS_PER_INSTANCE, Val};
use crate::protocol::SubjectKind;
use crate::python::render::{LINE_WIDTH, call, exprs, gather_item, is_executor, seconds};
use crate::python::value::Value;
use crate::validate::ValidationError as Error;
use crate::validate::body::{Checker, Kind as Bound, expect, step_ms};

/// A kind of this family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Spawn,
    Await,
    Gather,
    Run,
    Cancel,
}

pub(super) fn from_json(k: Kind, j: &mut StepJson, tag: &str) -> Result<Step, String> {
    Ok(match k {
        Kind::Spawn => Step::Spawn {
            task: need(&mut j.task, tag, "task")?,
            args: args(&mut j.args),
            into: j.into.take(),
            group: j.group.take(),
        },
        Kind::Await => Step::Await {
            call: need(&mut j.call, tag, "call")?,
            into: j.into.take(),
            timeout_ms: j.timeout_ms.take(),
        },
        Kind::Gather => Step::Gather {
            calls: need(&mut j.calls, tag, "calls")?,
            into: j.into.take(),
        },
        Kind::Run => Step::Run {
            task: need(&mut j.task, tag, "task")?,
            args: args(&mut j.args),
        },
        Kind::Cancel => Step::Cancel {
            name: need(&mut j.name, tag, "name")?,
        },
    })
}

pub(super) fn to_json(k: Kind, step: Step, j: &mut StepJson) {
    let some_args = |a: Vec<_>| (!a.is_empty()).then_some(a);
    match k {
        Kind::Spawn => {
            fields!(
                Step::Spawn {
                    task,
                    args,
                    into,
                    group,
                } = step
            );
            j.task = Some(task);
            j.args = some_args(args);
            j.into = into;
            j.group = group;
        }
        Kind::Await => {
            fields!(
                Step::Await {
                    call,
                    into,
                    timeout_ms,
                } = step
            );
            j.call = Some(call);
            j.into = into;
            j.timeout_ms = timeout_ms;
        }
        Kind::Gather => {
            fields!(Step::Gather { calls, into } = step);
            j.calls = Some(calls);
            j.into = into;
        }
        Kind::Run => {
            fields!(Step::Run { task, args } = step);
            j.task = Some(task);
            j.args = some_args(args);
        }
        Kind::Cancel => {
            fields!(Step::Cancel { name } = step);
            j.name = Some(name);
        }
    }
}

pub(super) fn check(
    c: &mut Checker<'_>,
    k: Kind,
    step: &Step,
    at: &str,
    scope: &mut Scope,
    _: usize,
) -> Result<(), ValidationError> {
    match k {
        Kind::Spawn => {
            fields!(
                Step::Spawn {
                    task,
                    args,
                    group,
                    ..
                } = step
            );
            if let Some(group) = group {
                expect(&format!("{at}.group"), group, scope, &[Bound::Group])?;
            }
            c.task_call(at, task, args, scope)
        }
        Kind::Await => {
            fields!(
                Step::Await {
                    call,
                    timeout_ms,
                    ..
                } = step
            );
            if let Some(ms) = timeout_ms {
                step_ms(&format!("{at}.timeout_ms"), *ms)?;
            }
            if call.times() != 1 {
                return Err(Error::new(
                    format!("{at}.call.times"),
                    "an await waits for one call: gather runs several",
                ));
            }
            c.call(&format!("{at}.call"), call, scope)
        }
        Kind::Gather => {
            fields!(Step::Gather { calls, .. } = step);
            for (k, call) in calls.iter().enumerate() {
                c.call(&format!("{at}.calls[{k}]"), call, scope)?;
            }
            Ok(())
        }
        Kind::Run => {
            fields!(Step::Run { task, args } = step);
            c.task_call(at, task, args, scope)
        }
        Kind::Cancel => {
            fields!(Step::Cancel { name } = step);
            expect(&format!("{at}.name"), name, scope, &[Bound::Task])
        }
    }
}

pub(super) fn bound(k: Kind) -> Bound {
    match k {
        Kind::Spawn => Bound::Task,
        Kind::Await | Kind::Gather | Kind::Run | Kind::Cancel => Bound::Value,
    }
}

/// `into = text`, or `text` alone.
pub(super) fn assign(into: &Option<String>, text: String) -> String {
    match into {
        Some(name) => format!("{name} = {text}"),
        None => text,
    }
}

pub(super) fn render(r: &mut Renderer<'_>, k: Kind, step: &Step, indent: usize, _: Context) {
    let text = match k {
        Kind::Spawn => {
            fields!(
                Step::Spawn {
                    task,
                    args,
                    into,
                    group,
                } = step
            );
            let group = group.as_deref().unwrap_or("asyncio");
            assign(
                into,
                format!("{group}.create_task({task}({}))", exprs(args)),
            )
        }
        Kind::Await => {
            fields!(
                Step::Await {
                    call: c,
                    into,
                    timeout_ms,
                } = step
            );
            match timeout_ms {
                None => assign(into, format!("await {}", call(c))),
                Some(ms) => assign(
                    into,
                    format!(
                        "await asyncio.wait_for({}, timeout={})",
                        call(c),
                        seconds(*ms)
                    ),
                ),
            }
        }
        Kind::Gather => {
            fields!(Step::Gather { calls, into } = step);
            let calls: Vec<_> = calls.iter().map(gather_item).collect();
            let one_line = assign(into, format!("await asyncio.gather({})", calls.join(", ")));
            if !r.wrap || calls.len() < 2 || 4 * indent + one_line.chars().count() <= LINE_WIDTH {
                one_line
            } else {
                r.line(indent, &assign(into, "await asyncio.gather(".into()));
                for c in &calls {
                    r.line(indent + 1, &format!("{c},"));
                }
                ")".into()
            }
        }
        Kind::Run => {
            fields!(Step::Run { task, args } = step);
            format!("asyncio.run({task}({}))", exprs(args))
        }
        Kind::Cancel => {
            fields!(Step::Cancel { name } = step);
            format!("{name}.cancel()")
        }
    };
    r.line(indent, &text);
}

pub(super) fn uses(k: Kind, _: &Step, _: &mut Uses) {
    match k {
        Kind::Spawn | Kind::Await | Kind::Gather | Kind::Run | Kind::Cancel => {}
    }
}

pub(super) fn needs_loop(k: Kind, step: &Step) -> bool {
    match k {
        Kind::Await => {
            fields!(Step::Await { call, .. } = step);
            is_executor(call)
        }
        Kind::Gather => {
            fields!(Step::Gather { calls, .. } = step);
            calls.iter().any(is_executor)
        }
        Kind::Spawn | Kind::Run | Kind::Cancel => false,
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
        Kind::Spawn => {
            fields!(
                Step::Spawn {
                    task,
                    args,
                    into,
                    group,
                } = step
            );
            let args = sim.values(frame, args, at)?;
            let own = sim.enter(|| call_name(task, &args), SubjectKind::Task, *now);
            let (end, out) = sim.task(task, args, *now, at)?;
            sim.leave(own, None, end);
            sim.count(1, EVENTS_PER_INSTANCE);
            if let Some(g) = group.as_deref().and_then(|g| sim.groups.get_mut(g)) {
                g.last = g.last.max(end);
                // A child's failure (not its cancellation) fails the group.
                if out.as_ref().is_err_and(|c| *c != ExcClass::CancelledError) {
                    g.failed = Some(g.failed.map_or(end, |f| f.min(end)));
                }
            }
            if let Some(name) = into {
                sim.bind(frame, name, Val::Done(end, out));
            }
        }
        Kind::Await => {
            fields!(
                Step::Await {
                    call,
                    into,
                    timeout_ms,
                } = step
            );
            // `wait_for` wraps a coroutine in a task, and ends at its timeout.
            let inline = timeout_ms.is_none();
            let (end, out) = sim.call(frame, call, *now, at, inline)?;
            sim.count(0, 2);
            if let Some(limit) = timeout_ms.map(|ms| *now + ms as f64)
                && end > limit
            {
                *now = limit;
                return Ok(Some(Exit::Raise(ExcClass::TimeoutError)));
            }
            *now = now.max(end);
            match out {
                Ok(v) => {
                    if let Some(name) = into {
                        sim.bind(frame, name, Val::Value(v));
                    }
                }
                // What the awaited raised, the awaiting body raises.
                Err(class) => return Ok(Some(Exit::Raise(class))),
            }
        }
        Kind::Gather => {
            fields!(Step::Gather { calls, into } = step);
            let mut results = Vec::new();
            let mut end = *now;
            // The first exception raised, when: gather raises it then; the other awaitables
            // run on.
            let mut raised: Option<(f64, ExcClass)> = None;
            for call in calls {
                let (e, out) = sim.call(frame, call, *now, at, false)?;
                end = end.max(e);
                match out {
                    Ok(v) => results.extend(std::iter::repeat_n(v, call.times() as usize)),
                    Err(class) if raised.is_none_or(|(r, _)| e < r) => {
                        raised = Some((e, class));
                    }
                    Err(_) => {}
                }
            }
            sim.count(0, 2);
            if let Some((r, class)) = raised {
                *now = r;
                return Ok(Some(Exit::Raise(class)));
            }
            *now = end;
            if let Some(name) = into {
                sim.bind(frame, name, Val::Value(Value::List(results)));
            }
        }
        Kind::Run => {
            fields!(Step::Run { task, args } = step);
            sim.has_loop = true;
            let args = sim.values(frame, args, at)?;
            let outer = sim.default_pool.take();
            let own = sim.enter(|| call_name(task, &args), SubjectKind::Task, *now);
            let (end, out) = sim.task(task, args, *now, at)?;
            sim.leave(own, None, end);
            sim.count(1, EVENTS_PER_INSTANCE);
            *now = end;
            if let Some(default) = std::mem::replace(&mut sim.default_pool, outer) {
                *now = now.max(default.last);
            }
            sim.count(0, 2);
            // An exception out of `asyncio.run` ends the program.
            if let Err(class) = out {
                return Ok(Some(Exit::Raise(class)));
            }
        }
        Kind::Cancel => {
            fields!(Step::Cancel { name } = step);
            sim.cancel(name, *now, frame);
        }
    }
    Ok(None)
}
