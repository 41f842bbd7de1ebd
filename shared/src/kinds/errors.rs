//! Exceptions, timeouts and task groups: `raise`, `try`/`except`/`finally`,
//! `async with asyncio.timeout(s):` and `async with asyncio.TaskGroup() as tg:`.

use super::{Exit, Frame, PlanError, Renderer, Scope, Sim, StepJson, Uses, ValidationError};
use crate::limits::MAX_HANDLERS;
use crate::model::json::need;
use crate::model::{Context, ExcClass, Step};
use crate::python::render::{seconds, str_literal};
use crate::validate::body::{Checker, Kind as Bound, block_depth, step_ms};
use crate::validate::{ValidationError as Error, check_identifier, check_text, over};

/// A kind of this family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Raise,
    Try,
    Timeout,
    TaskGroup,
}

pub(super) fn from_json(k: Kind, j: &mut StepJson, tag: &str) -> Result<Step, String> {
    Ok(match k {
        Kind::Raise => Step::Raise {
            class: j.class.take(),
            text: j.text.take().unwrap_or_default(),
        },
        Kind::Try => Step::Try {
            body: need(&mut j.body, tag, "body")?,
            handlers: j.handlers.take().unwrap_or_default(),
            star: j.star.take().unwrap_or(false),
            finally: j.finally.take().unwrap_or_default(),
        },
        Kind::Timeout => Step::Timeout {
            ms: need(&mut j.ms, tag, "ms")?,
            body: need(&mut j.body, tag, "body")?,
        },
        Kind::TaskGroup => Step::TaskGroup {
            name: need(&mut j.name, tag, "name")?,
            body: need(&mut j.body, tag, "body")?,
        },
    })
}

pub(super) fn to_json(k: Kind, step: Step, j: &mut StepJson) {
    match k {
        Kind::Raise => {
            fields!(Step::Raise { class, text } = step);
            j.class = class;
            j.text = (!text.is_empty()).then_some(text);
        }
        Kind::Try => {
            fields!(
                Step::Try {
                    body,
                    handlers,
                    star,
                    finally,
                } = step
            );
            j.body = Some(body);
            j.handlers = (!handlers.is_empty()).then_some(handlers);
            j.star = star.then_some(true);
            j.finally = (!finally.is_empty()).then_some(finally);
        }
        Kind::Timeout => {
            fields!(Step::Timeout { ms, body } = step);
            j.ms = Some(ms);
            j.body = Some(body);
        }
        Kind::TaskGroup => {
            fields!(Step::TaskGroup { name, body } = step);
            j.name = Some(name);
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
    match k {
        Kind::Raise => {
            fields!(Step::Raise { class, text } = step);
            match class {
                None if c.handling == 0 => Err(Error::new(
                    format!("{at}.class"),
                    "a bare `raise` raises the exception an `except` block caught: write it inside an `except` block, or name a class: `raise ValueError(\"...\")`",
                )),
                None if !text.is_empty() => Err(Error::new(
                    format!("{at}.text"),
                    "a bare `raise` has no message",
                )),
                None => Ok(()),
                Some(class) if !class.raisable() => Err(Error::new(
                    format!("{at}.class"),
                    format!(
                        "looplab raises {} only as asyncio does: cancel() a task, or let a TaskGroup's child fail",
                        class.name()
                    ),
                )),
                Some(_) => check_text(format!("{at}.text"), text),
            }
        }
        Kind::Try => {
            fields!(
                Step::Try {
                    body,
                    handlers,
                    finally,
                    ..
                } = step
            );
            block_depth(at, depth)?;
            if handlers.len() > MAX_HANDLERS {
                return Err(over(
                    &format!("{at}.handlers"),
                    handlers.len(),
                    MAX_HANDLERS,
                    "MAX_HANDLERS",
                    "except blocks",
                ));
            }
            c.body(&format!("{at}.body"), body, scope, depth + 1)?;
            c.handling += 1;
            for (k, h) in handlers.iter().enumerate() {
                c.body(
                    &format!("{at}.handlers[{k}].body"),
                    &h.body,
                    scope,
                    depth + 1,
                )?;
            }
            c.handling -= 1;
            c.body(&format!("{at}.finally"), finally, scope, depth + 1)
        }
        Kind::Timeout => {
            fields!(Step::Timeout { ms, body } = step);
            step_ms(&format!("{at}.ms"), *ms)?;
            block_depth(at, depth)?;
            c.body(&format!("{at}.body"), body, scope, depth + 1)
        }
        Kind::TaskGroup => {
            fields!(Step::TaskGroup { name, body } = step);
            check_identifier(&format!("{at}.name"), name)?;
            block_depth(at, depth)?;
            let mut inner = scope.clone();
            inner.insert(name.clone(), Bound::Group);
            c.body(&format!("{at}.body"), body, &mut inner, depth + 1)?;
            // What the block bound stays bound after it; the group is done.
            inner.remove(name);
            scope.extend(inner);
            Ok(())
        }
    }
}

pub(super) fn bound(k: Kind) -> Bound {
    match k {
        Kind::Raise | Kind::Try | Kind::Timeout | Kind::TaskGroup => Bound::Value,
    }
}

pub(super) fn render(r: &mut Renderer<'_>, k: Kind, step: &Step, indent: usize, ctx: Context) {
    match k {
        Kind::Raise => {
            fields!(Step::Raise { class, text } = step);
            let text = match class {
                None => "raise".into(),
                Some(class) if text.is_empty() => format!("raise {}()", class.python()),
                Some(class) => format!("raise {}({})", class.python(), str_literal(text)),
            };
            r.line(indent, &text);
        }
        Kind::Try => {
            fields!(
                Step::Try {
                    body,
                    handlers,
                    star,
                    finally,
                } = step
            );
            r.line(indent, "try:");
            r.body(body, indent + 1, ctx);
            let except = if *star { "except*" } else { "except" };
            for h in handlers {
                r.line(indent, &format!("{except} {}:", h.class.python()));
                r.body(&h.body, indent + 1, ctx);
            }
            if !finally.is_empty() || handlers.is_empty() {
                r.line(indent, "finally:");
                r.body(finally, indent + 1, ctx);
            }
        }
        Kind::Timeout => {
            fields!(Step::Timeout { ms, body } = step);
            r.line(
                indent,
                &format!("async with asyncio.timeout({}):", seconds(*ms)),
            );
            r.body(body, indent + 1, ctx);
        }
        Kind::TaskGroup => {
            fields!(Step::TaskGroup { name, body } = step);
            r.line(
                indent,
                &format!("async with asyncio.TaskGroup() as {name}:"),
            );
            r.body(body, indent + 1, ctx);
        }
    }
}

pub(super) fn uses(k: Kind, _: &Step, _: &mut Uses) {
    match k {
        Kind::Raise | Kind::Try | Kind::Timeout | Kind::TaskGroup => {}
    }
}

pub(super) fn needs_loop(k: Kind, _: &Step) -> bool {
    match k {
        Kind::Raise | Kind::Try | Kind::Timeout | Kind::TaskGroup => false,
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
    let (end, exit) = match k {
        Kind::Raise => {
            fields!(Step::Raise { class, .. } = step);
            sim.count(0, 1);
            return Ok(Some(Exit::Raise(class.unwrap_or(ExcClass::Exception))));
        }
        Kind::Try => {
            fields!(
                Step::Try {
                    body,
                    handlers,
                    star,
                    finally,
                } = step
            );
            sim.try_block((body, handlers, *star, finally), at, *now, frame)?
        }
        Kind::Timeout => {
            fields!(Step::Timeout { ms, body } = step);
            sim.timeout(*ms, body, at, *now, frame)?
        }
        Kind::TaskGroup => {
            fields!(Step::TaskGroup { name, body } = step);
            sim.task_group(name, body, at, *now, frame)?
        }
    };
    *now = end;
    Ok(exit)
}
