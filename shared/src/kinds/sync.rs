//! Locks, semaphores, events and queues: `async with lock:` (or `with` a threading.Lock) and
//! an event's or a queue's methods.

use super::{Exit, Frame, PlanError, Renderer, Scope, Sim, StepJson, Uses, ValidationError};
use crate::model::json::need;
use crate::model::{Context, Op, OpKind, ResourceKind, Step};
use crate::plan::sim::Val;
use crate::python::render::expr;
use crate::validate::ValidationError as Error;
use crate::validate::body::{Checker, Kind as Bound, block_depth, expr as check_expr};

/// A kind of this family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Hold,
    Use,
}

pub(super) fn from_json(k: Kind, j: &mut StepJson, tag: &str) -> Result<Step, String> {
    Ok(match k {
        Kind::Hold => Step::Hold {
            resource: need(&mut j.resource, tag, "resource")?,
            body: need(&mut j.body, tag, "body")?,
        },
        Kind::Use => Step::Use {
            resource: need(&mut j.resource, tag, "resource")?,
            op: match need(&mut j.op, tag, "op")? {
                OpKind::Set => Op::Set,
                OpKind::Wait => Op::Wait,
                OpKind::Put => Op::Put {
                    value: need(&mut j.value, "use` `put", "value")?,
                },
                OpKind::Get => Op::Get {
                    into: j.into.take(),
                },
                OpKind::TaskDone => Op::TaskDone,
                OpKind::Join => Op::Join,
            },
        },
    })
}

pub(super) fn to_json(k: Kind, step: Step, j: &mut StepJson) {
    match k {
        Kind::Hold => {
            fields!(Step::Hold { resource, body } = step);
            j.resource = Some(resource);
            j.body = Some(body);
        }
        Kind::Use => {
            fields!(Step::Use { resource, op } = step);
            j.resource = Some(resource);
            j.op = Some(op.kind());
            match op {
                Op::Put { value } => j.value = Some(value),
                Op::Get { into } => j.into = into,
                Op::Set | Op::Wait | Op::TaskDone | Op::Join => {}
            }
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
    match k {
        Kind::Hold => {
            fields!(Step::Hold { resource, body } = step);
            let field = format!("{at}.resource");
            let kind = c.resource(&field, resource, scope)?;
            if !kind.is_held() {
                return Err(Error::new(
                    field,
                    format!(
                        "`{resource}` is made by {}(): only a lock or a semaphore is held with `with`",
                        kind.class()
                    ),
                ));
            }
            if kind.is_async() && c.ctx != Context::Coroutine {
                return Err(Error::new(
                    field,
                    format!(
                        "`{resource}` is made by {}(): `async with` it in an async def; \
                         a plain def or the module holds a threading.Lock",
                        kind.class()
                    ),
                ));
            }
            block_depth(at, depth)?;
            c.body(&format!("{at}.body"), body, scope, depth + 1)
        }
        Kind::Use => {
            fields!(Step::Use { resource, op } = step);
            let field = format!("{at}.resource");
            let kind = c.resource(&field, resource, scope)?;
            if !op.kind().applies_to(kind) {
                let has = match kind {
                    ResourceKind::Event => "set() and wait()",
                    ResourceKind::Queue { .. } => "put(), get(), task_done() and join()",
                    ResourceKind::Lock
                    | ResourceKind::Semaphore { .. }
                    | ResourceKind::ThreadLock => "no such method: hold it with `with`",
                };
                return Err(Error::new(
                    format!("{at}.op"),
                    format!(
                        "`{resource}` is made by {}() and has {has}, not {}()",
                        kind.class(),
                        op.kind().method()
                    ),
                ));
            }
            match op {
                Op::Put { value } => check_expr(&format!("{at}.value"), value, scope, 0),
                Op::Set | Op::Wait | Op::Get { .. } | Op::TaskDone | Op::Join => Ok(()),
            }
        }
    }
}

pub(super) fn bound(k: Kind) -> Bound {
    match k {
        Kind::Hold | Kind::Use => Bound::Value,
    }
}

pub(super) fn render(r: &mut Renderer<'_>, k: Kind, step: &Step, indent: usize, ctx: Context) {
    let text = match k {
        Kind::Hold => {
            fields!(Step::Hold { resource, body } = step);
            let held = r.s.resource(resource).is_none_or(|r| r.kind.is_async());
            let with = if held { "async with" } else { "with" };
            r.line(indent, &format!("{with} {resource}:"));
            r.body(body, indent + 1, ctx);
            return;
        }
        Kind::Use => {
            fields!(Step::Use { resource, op } = step);
            match op {
                Op::Set => format!("{resource}.set()"),
                Op::Wait => format!("await {resource}.wait()"),
                Op::Put { value } => format!("await {resource}.put({})", expr(value)),
                Op::Get { into } => super::tasks::assign(into, format!("await {resource}.get()")),
                Op::TaskDone => format!("{resource}.task_done()"),
                Op::Join => format!("await {resource}.join()"),
            }
        }
    };
    r.line(indent, &text);
}

pub(super) fn uses(k: Kind, _: &Step, _: &mut Uses) {
    match k {
        Kind::Hold | Kind::Use => {}
    }
}

pub(super) fn needs_loop(k: Kind, _: &Step) -> bool {
    match k {
        Kind::Hold | Kind::Use => false,
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
        Kind::Hold => {
            fields!(Step::Hold { resource, body } = step);
            let (slot, held) = sim.resources.acquire(resource, *now);
            let (end, returned) = sim.body(body, &format!("{at}.body"), held, frame)?;
            sim.resources.release(resource, slot, end);
            *now = end;
            sim.count(0, 2);
            if returned.is_some() {
                return Ok(returned);
            }
        }
        Kind::Use => {
            fields!(Step::Use { resource, op } = step);
            match op {
                Op::Set => sim.resources.set(resource, *now),
                Op::Wait => {
                    *now = sim.resources.wait(resource, *now);
                    sim.count(0, 2);
                }
                Op::Put { value } => {
                    let v = sim.computed(frame, value, at, now)?;
                    *now = sim.resources.put(resource, *now, v);
                    sim.count(0, 2);
                }
                Op::Get { into } => {
                    let (end, v) = sim.resources.get(resource, *now);
                    *now = end;
                    sim.count(0, 2);
                    if let Some(name) = into {
                        sim.bind(frame, name, Val::Value(v));
                    }
                }
                Op::TaskDone => sim.resources.task_done(resource, *now),
                Op::Join => {
                    *now = sim.resources.join(resource, *now);
                    sim.count(0, 2);
                }
            }
        }
    }
    Ok(None)
}
