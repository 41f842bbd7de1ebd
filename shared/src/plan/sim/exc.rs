//! Exceptions in virtual time: `try`, `task.cancel()`, `asyncio.timeout` and task groups;
//! what a body's exception gives whoever awaits it.

use super::{Exit, Frame, PlanError, Sim, Val};
use crate::model::{ExcClass, Handler, Step};
use crate::python::value::Value;

/// What a coroutine, a function or a job gives whoever awaits it: its value, or the class of
/// the exception it raised, which the awaiting body raises in turn.
pub(crate) type Outcome = Result<Value, ExcClass>;

/// An open task group: when its last child ends, and when a child first failed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group {
    pub(crate) last: f64,
    pub(crate) failed: Option<f64>,
}

/// A `try` statement's parts: its block, its handlers, whether they are `except*`, and its
/// `finally` block.
type Try<'a> = (&'a [Step], &'a [Handler], bool, &'a [Step]);

impl<'a> Sim<'a> {
    /// `try`: when it ends from `now`, and how if it ends its body early.
    pub(crate) fn try_block(
        &mut self,
        (body, handlers, star, finally): Try<'a>,
        at: &str,
        now: f64,
        frame: &mut Frame,
    ) -> Result<(f64, Option<Exit>), PlanError> {
        let (mut now, mut exit) = self.body(body, &format!("{at}.body"), now, frame)?;
        if let Some(Exit::Raise(class)) = exit {
            let caught = handlers
                .iter()
                .enumerate()
                .find(|(_, h)| catches(h, star, class));
            if let Some((k, h)) = caught {
                let path = format!("{at}.handlers[{k}].body");
                (now, exit) = self.body(&h.body, &path, now, frame)?;
            }
        }
        let (end, after) = self.body(finally, &format!("{at}.finally"), now, frame)?;
        Ok((end, after.or(exit)))
    }

    /// `name.cancel()` at `now`: the task ends where it awaits, now, if it had not ended, and
    /// raises `CancelledError` to whoever awaits it.
    pub(crate) fn cancel(&mut self, name: &str, now: f64, frame: &mut Frame) {
        let cancelled = match frame.vars.get(name).or_else(|| self.globals.get(name)) {
            Some(Val::Done(end, _)) if *end > now => Val::Done(now, Err(ExcClass::CancelledError)),
            Some(other) => other.clone(),
            None => return,
        };
        self.bind(frame, name, cancelled);
    }

    /// `async with asyncio.timeout(ms / 1000):` from `now`.
    pub(crate) fn timeout(
        &mut self,
        ms: u64,
        body: &'a [Step],
        at: &str,
        now: f64,
        frame: &mut Frame,
    ) -> Result<(f64, Option<Exit>), PlanError> {
        let limit = now + ms as f64;
        let (end, exit) = self.body(body, &format!("{at}.body"), now, frame)?;
        self.count(0, 2);
        if end > limit {
            return Ok((limit, Some(Exit::Raise(ExcClass::TimeoutError))));
        }
        Ok((end, exit))
    }

    /// `async with asyncio.TaskGroup() as name:` from `now`.
    pub(crate) fn task_group(
        &mut self,
        name: &'a str,
        body: &'a [Step],
        at: &str,
        now: f64,
        frame: &mut Frame,
    ) -> Result<(f64, Option<Exit>), PlanError> {
        let fresh = Group {
            last: now,
            failed: None,
        };
        let outer = self.groups.insert(name, fresh);
        let (end, exit) = self.body(body, &format!("{at}.body"), now, frame)?;
        let group = self.groups.remove(name).unwrap_or(fresh);
        if let Some(outer) = outer {
            self.groups.insert(name, outer);
        }
        self.count(0, 2);
        Ok(group_end(group, end, exit))
    }
}

/// What a body's end gives whoever called it.
pub(crate) fn outcome(exit: Option<Exit>) -> Outcome {
    match exit {
        Some(Exit::Return(v)) => Ok(v),
        Some(Exit::Raise(class)) => Err(class),
        None => Ok(Value::None),
    }
}

/// When a task group's `async with` ends, and how, given its body's end and exit. The first
/// failure (a child's exception, or the body's own) cancels the body and every child still
/// running at that moment; the cancelled end there and then, and the group raises
/// `ExceptionGroup`. A body cancelled from outside, no child having failed, raises on its
/// `CancelledError`. Otherwise the group waits for its last child.
fn group_end(group: Group, end: f64, exit: Option<Exit>) -> (f64, Option<Exit>) {
    let body_failed = match exit {
        Some(Exit::Raise(class)) => Some((end, class)),
        Some(Exit::Return(_)) | None => None,
    };
    let child_failed = group
        .failed
        .filter(|f| body_failed.is_none_or(|(b, _)| *f < b));
    match (child_failed, body_failed) {
        (Some(at), _) => (at, Some(Exit::Raise(ExcClass::ExceptionGroup))),
        (None, Some((at, ExcClass::CancelledError))) => {
            (at, Some(Exit::Raise(ExcClass::CancelledError)))
        }
        (None, Some((at, _))) => (at, Some(Exit::Raise(ExcClass::ExceptionGroup))),
        (None, None) => (end.max(group.last), exit),
    }
}

/// Whether `handler` catches `class`: an `except*` catches its class inside a group too.
fn catches(handler: &Handler, star: bool, class: ExcClass) -> bool {
    handler.class.catches(class) || (star && class == ExcClass::ExceptionGroup)
}
